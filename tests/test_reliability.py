"""A real `vigie ingest` that is killed, interrupted or fed bad lines: no hang, no orphan, no loss, and a rerun
that resumes without rework and ends with exactly the records of an uninterrupted run.

These tests start the command line in a subprocess (worker processes load the French model: a few seconds
each run) on the bundled Wikinews sample.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from processes import children, wait_gone
from store_backends import PG_URL, pg_skip_reason
from vigie.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"
RUN_TIMEOUT = 240  # seconds: a run that takes longer than this has hung


def _vigie(*args: str) -> list[str]:
    return [sys.executable, "-m", "vigie", *args]


def _start(*args: str, **kwargs: Any) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    return subprocess.Popen(
        _vigie(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        preexec_fn=_default_sigint, **kwargs,
    )


def _default_sigint() -> None:
    # A shell that starts jobs in the background (as a CI runner may) leaves SIGINT ignored in them, and
    # Python then never turns it into KeyboardInterrupt: give the command the terminal's usual disposition.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _count(db: str) -> int:
    try:
        with open_store(db) as store:
            return store.count_articles()
    except Exception:  # noqa: BLE001 - the database may not exist yet
        return 0


def _wait_for_articles(proc: subprocess.Popen, db: str, at_least: int) -> list[int]:
    """Wait until `db` holds `at_least` articles; return the run's worker pids seen meanwhile."""
    deadline = time.monotonic() + RUN_TIMEOUT
    workers: set[int] = set()
    while time.monotonic() < deadline:
        workers.update(children(proc.pid))
        if _count(db) >= at_least:
            return sorted(workers)
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError(f"no {at_least} articles stored in {RUN_TIMEOUT} s")


def _records(db: str) -> dict[str, Any]:
    """Everything stored per article, minus the times of storing."""
    with open_store(db) as store:
        out = {}
        for art in store.iter_articles():
            full = store.get_article(art["id"])
            for key in ("ingested_at", "updated_at", "seq"):
                full.pop(key, None)
            out[art["id"]] = full
        return out


def _run(*args: str, timeout: float = RUN_TIMEOUT, **kwargs: Any) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(_vigie(*args), capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT, **kwargs)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The records of an uninterrupted ingest of the sample (60 articles, 2 workers)."""
    db = str(tmp_path_factory.mktemp("clean") / "clean.db")
    res = _run("ingest", str(SAMPLE), "--db", db, "--workers", "2")
    assert res.returncode == 0, res.stderr
    records = _records(db)
    assert len(records) == 60
    return records


def _pg_url() -> str:
    reason = pg_skip_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        yield str(tmp_path / "v.db")
        return
    import psycopg

    url = _pg_url()
    schema = f"vigie_kill_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options=-csearch_path%3D{schema}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def test_kill_9_mid_run_then_rerun_gives_exactly_the_clean_run(db_url: str, clean_run: dict[str, Any]):
    proc = _start("ingest", str(SAMPLE), "--db", db_url, "--workers", "2")
    try:
        workers = _wait_for_articles(proc, db_url, 12)
        assert workers, "the run used no worker process"
        proc.kill()  # kill -9: no cleanup of any kind in the parent
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert wait_gone(workers) == [], "workers outlived the killed run"
    stored = _count(db_url)
    assert 12 <= stored < 60
    t0 = time.monotonic()
    res = _run("ingest", str(SAMPLE), "--db", db_url, "--workers", "2", timeout=RUN_TIMEOUT)
    assert res.returncode == 0, res.stderr
    assert time.monotonic() - t0 < RUN_TIMEOUT
    assert f"already stored │ {stored} " in res.stderr  # the stored ones are skipped, not analysed again
    assert _records(db_url) == clean_run


def test_sigterm_and_ctrl_c_stop_cleanly_with_a_summary(tmp_path: Path):
    db = str(tmp_path / "v.db")
    for sig, code, word in ((signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")):
        proc = _start("ingest", str(SAMPLE), "--db", db, "--workers", "2")
        try:
            workers = _wait_for_articles(proc, db, _count(db) + 3)
            proc.send_signal(sig)
            out, errors = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        assert proc.returncode == code, errors
        assert f"{word}: stopped early" in errors and "Traceback" not in errors
        assert wait_gone(workers) == []
    with open_store(db) as store:  # what was stored stays, once
        assert store.count_articles() == len({r["id"] for r in store.iter_articles()}) >= 6


def _bad_jsonl(tmp_path: Path) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines.insert(25, '{"id": "huge", "text": "x", "n": ' + "9" * 5000 + "}")
    lines.insert(40, "[" * 100_000)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bad_jsonl_lines_among_good_ones_neither_stop_nor_hang_a_multi_worker_run(tmp_path: Path):
    bad = _bad_jsonl(tmp_path)
    db = str(tmp_path / "v.db")
    res = _run("ingest", str(bad), "--db", db, "--workers", "2")
    assert res.returncode == 2, res.stderr  # two lines failed: the run goes on, says so, and exits 2
    assert "Traceback" not in res.stderr
    with open_store(db) as store:
        assert store.count_articles() == 60
        origins = {e["origin"] for e in store.list_errors(limit=10)}
    assert origins == {f"{bad}:26", f"{bad}:41"}


def test_bad_jsonl_lines_on_stdin_with_analyze(tmp_path: Path):
    bad = _bad_jsonl(tmp_path)
    out = tmp_path / "out.jsonl"
    with bad.open("rb") as stdin:
        res = _run("analyze", "-", "-o", str(out), "--workers", "2", stdin=stdin)
    assert res.returncode == 2, res.stderr  # two bad lines
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 60
    assert re.search(r"errors\s*│\s*2\s", res.stderr), res.stderr


def test_an_article_past_its_time_budget_is_an_error_in_process_too():
    from conftest import CRAWLED_FR
    from vigie.pipeline import RunOptions, analyze_articles
    from vigie.records import Article, ArticleError
    from vigie.steps.annotate import Budgets

    opts = RunOptions(workers=1, budgets=Budgets(seconds=0.0))
    (out,) = analyze_articles([Article(id="a", raw=CRAWLED_FR, origin="a.txt")], opts)
    assert isinstance(out, ArticleError) and out.stage == "nlp" and "time budget exceeded" in out.reason
    (ok,) = analyze_articles([Article(id="a", raw=CRAWLED_FR, origin="a.txt")], RunOptions(workers=1))
    assert ok.entities
