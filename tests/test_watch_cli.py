"""The `vigie watch` command: options, exit codes, log lines, signals, and a restart in a new process; the end-to-end
test runs the French model (marked `model`). The command is registered here in a small Typer app, as vigie.cli does.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from test_watch_server import FAST, NewsSite, article_html, rss, site_fixture  # noqa: F401 - the `site` fixture
from vigie.pipeline import RunOptions
from vigie.store import SQLiteStore
from vigie.watch import command
from vigie.watch.command import run, watch
from vigie.watch.http import Fetcher
from vigie.watch.poll import Poller, Terminated

ROOT = Path(__file__).resolve().parents[1]
XML = "application/xml"
#: The command as a program: `python -c RUNNER SOURCE... --db ...` (NO_NLP: with the NLP off, for speed).
RUNNER = ("import typer; from vigie.watch.command import watch; app = typer.Typer(add_completion=False); "
          "app.command()(watch); app()")
NO_NLP = ("import vigie.watch.command as c; from vigie.pipeline import RunOptions; "
          "c._options = lambda workers: RunOptions(nlp=False, workers=1); " + RUNNER)
FAST_FLAGS = ["--delay", "0", "--timeout", "2"]
#: The local site is never reached through a proxy of the environment.
LOCAL = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False)

    @app.callback()
    def main() -> None:
        """vigie (the commands under test)."""

    app.command("watch")(watch)
    return app


@pytest.fixture
def no_nlp(monkeypatch):
    monkeypatch.setattr(command, "_options", lambda workers: RunOptions(nlp=False, workers=1))
    for name, value in LOCAL.items():
        monkeypatch.setenv(name, value)


def _feed(site: NewsSite, numbers: list[int]) -> str:
    items = []
    for n in numbers:
        site.set(f"/art/{n}.html", article_html(f"Article numéro {n} de la rédaction", n))
        items.append((f"/art/{n}.html", f"Article {n}"))
    return site.set("/rss.xml", rss(site, items), content_type="application/rss+xml")


def _article_hits(site: NewsSite) -> int:
    return sum(n for path, n in site.hits.items() if path.startswith("/art/"))


# ---------------------------------------------------------------------------------------------- in process


def test_once_from_a_list_file_then_again(site, no_nlp, tmp_path):
    url = _feed(site, [1, 2])
    listing = tmp_path / "sources.txt"
    listing.write_text(f"# mes sources\n{url}\n", encoding="utf-8")
    db = str(tmp_path / "w.db")
    runner = CliRunner()
    result = runner.invoke(_app(), ["watch", str(listing), "--once", "--db", db, *FAST_FLAGS])
    assert result.exit_code == 0, result.output
    err = result.stderr
    assert "watching 1 source once into" in err and f"{url}: 2 new, 0 seen before; 2 pages fetched: 2 stored" in err
    assert "poll 1: 1 source (1 new); 2 pages fetched; articles: 2 new" in err and "database: 2 articles" in err
    assert "next poll" not in err
    again = runner.invoke(_app(), ["watch", url, "--once", "--db", db, *FAST_FLAGS])
    assert again.exit_code == 0 and f"{url}: unchanged (2 seen before)" in again.stderr
    assert _article_hits(site) == 2


def test_exit_codes(site, no_nlp, tmp_path):
    db = str(tmp_path / "w.db")
    runner = CliRunner()
    gone = site.url("/missing.xml")  # 404: failed, not retried
    result = runner.invoke(_app(), ["watch", gone, "--once", "--db", db, *FAST_FLAGS])
    assert result.exit_code == 1 and f"{gone}: failed: HTTP 404" in result.stderr
    assert runner.invoke(_app(), ["watch", "pas-une-url", "--once", "--db", db]).exit_code == 2
    assert runner.invoke(_app(), ["watch", gone, "--every", "souvent", "--db", db]).exit_code == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("# rien\n", encoding="utf-8")
    assert runner.invoke(_app(), ["watch", str(empty), "--once", "--db", db]).exit_code == 2


def test_run_polls_every_interval_and_reads_list_files_again(site, tmp_path):
    first = _feed(site, [1])
    other = site.set("/other.xml", rss(site, []), content_type=XML)
    listing = tmp_path / "sources.txt"
    listing.write_text(first + "\n", encoding="utf-8")
    lines: list[str] = []
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:
            listing.write_text(f"{first}\n{other}\n", encoding="utf-8")
        else:
            raise Terminated()  # SIGTERM while waiting for the next poll

    with SQLiteStore(tmp_path / "w.db") as store, Fetcher(FAST) as fetcher:
        poller = Poller(store, fetcher=fetcher, options=lambda: RunOptions(nlp=False, workers=1),
                        log=lambda message, problem: lines.append(message))
        with pytest.raises(Terminated):
            run(poller, [str(listing)], [first], every=600, once=False, log=lambda m, p: lines.append(m), sleep=sleep)
    assert len(waits) == 2 and all(500 < w <= 600 for w in waits)
    assert sum(1 for m in lines if m.startswith("next poll at ")) == 2
    assert any(m.startswith(f"{other}: unchanged (nothing listed)") for m in lines)  # the list file was read again


def test_a_poll_that_fails_as_a_whole_does_not_end_the_watch(site, tmp_path):
    url = _feed(site, [1])
    lines: list[tuple[str, bool]] = []
    calls = {"n": 0}

    def options() -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the NLP workers cannot start")
        return RunOptions(nlp=False, workers=1)

    def sleep(seconds: float) -> None:
        if calls["n"] >= 2:
            raise KeyboardInterrupt

    with SQLiteStore(tmp_path / "w.db") as store, Fetcher(FAST) as fetcher:
        poller = Poller(store, fetcher=fetcher, options=options, log=lambda m, p: lines.append((m, p)))

        def log(message: str, problem: bool) -> None:
            lines.append((message, problem))

        assert run(poller, [url], [url], every=1, once=True, log=log) == 1
        with pytest.raises(KeyboardInterrupt):
            run(poller, [url], [url], every=5, once=False, log=log, sleep=sleep)
        assert store.count_articles() == 1
    assert ("poll 1: failed (RuntimeError: the NLP workers cannot start)", True) in lines


# ---------------------------------------------------------------------------------------------- processes


def _start(code: str, args: list[str], env_extra: dict[str, str] | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "COLUMNS": "300", **LOCAL, **(env_extra or {})}
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for(proc: subprocess.Popen[str], needle: str, timeout: float = 120.0) -> list[str]:
    """stderr lines of `proc` up to the first one containing `needle`."""
    lines: list[str] = []
    found = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if needle in line:
                found.set()
                return

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(timeout):
        proc.kill()
        raise AssertionError(f"{needle!r} never came; stderr so far:\n{''.join(lines)}")
    return lines


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signals_between_polls_end_the_watch_cleanly(site, tmp_path, signum, code):
    url = _feed(site, [1])
    proc = _start(NO_NLP, [url, "--every", "1h", "--db", str(tmp_path / "w.db"), *FAST_FLAGS])
    try:
        lines = _wait_for(proc, "next poll at")
        assert any("poll 1: 1 source (1 new)" in line for line in lines)
        proc.send_signal(signum)
        assert proc.wait(timeout=60) == code
    finally:
        if proc.poll() is None:
            proc.kill()
    with SQLiteStore(tmp_path / "w.db") as store:
        assert store.count_articles() == 1 and store.watch_counts() == {"stored": 1}


def test_sigterm_during_a_poll(site, tmp_path):
    """SIGTERM while pages are being fetched: the poll stops, the process exits 143, the next run goes on."""
    site.set("/art/0.html", article_html("Lent", 0), delay=30)
    items = [("/art/0.html", "Lent")]
    for n in range(1, 3):
        site.set(f"/art/{n}.html", article_html(f"Article numéro {n}", n))
        items.append((f"/art/{n}.html", f"Article {n}"))
    url = site.set("/rss.xml", rss(site, items), content_type="application/rss+xml")
    db = str(tmp_path / "w.db")
    proc = _start(NO_NLP, [url, "--once", "--db", db, "--delay", "0", "--timeout", "60", "--fetchers", "1"])
    try:
        deadline = time.monotonic() + 60
        while site.hit("/art/0.html") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 143
    finally:
        if proc.poll() is None:
            proc.kill()
    _, err = proc.communicate()
    assert "terminated: stopped early" in err
    site.set("/art/0.html", article_html("Enfin là", 0))
    again = _start(NO_NLP, [url, "--once", "--db", db, *FAST_FLAGS])
    assert again.wait(timeout=120) == 0
    with SQLiteStore(db) as store:
        assert store.count_articles() == 3 and store.watch_counts() == {"stored": 3}
    # pages fetched but not yet stored when the signal came are fetched again: stored once all the same
    assert 1 <= site.hit("/art/1.html") <= 2 and 1 <= site.hit("/art/2.html") <= 2


@pytest.mark.model
def test_end_to_end_with_the_model_and_a_restart(site, tmp_path):
    """The real command (French model, NLP in this process or workers) twice over one database: the second
    process fetches no page again and stores nothing twice."""
    url = _feed(site, [1, 2, 3])
    db = str(tmp_path / "w.db")
    first = _start(RUNNER, [url, "--once", "--db", db, "--workers", "1", *FAST_FLAGS])
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    assert f"{url}: 3 new, 0 seen before; 3 pages fetched: 3 stored" in err
    assert "stories: " in err and "events: " in err
    site.set("/art/4.html", article_html("Article numéro 4 de la rédaction", 4))
    site.set("/rss.xml", rss(site, [("/art/4.html", "Article 4"), ("/art/1.html", "Article 1"),
                                     ("/art/2.html", "Article 2"), ("/art/3.html", "Article 3")]),
             content_type="application/rss+xml")
    second = _start(RUNNER, [url, "--once", "--db", db, "--workers", "1", *FAST_FLAGS])
    _, err = second.communicate(timeout=600)
    assert second.returncode == 0, err
    assert f"{url}: 1 new, 3 seen before; 1 page fetched: 1 stored" in err
    assert {path: n for path, n in site.hits.items() if path.startswith("/art/")} == {
        f"/art/{n}.html": 1 for n in range(1, 5)}
    with SQLiteStore(db) as store:
        assert store.count_articles() == 4
        art = store.get_article(store.watch_item(site.url("/art/2.html"))["article_id"])
        assert art["language"] == "fr" and art["entities"] and art["story_id"] is not None
