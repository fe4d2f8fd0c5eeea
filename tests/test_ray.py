"""The Ray executor (`vigie.run.ray_pool`, `vigie ingest --executor ray`): results in input order, one item's
failure, overrun or actor death costs that item only, a cluster that does not answer is one clear error, and an
ingest on Ray stores the rows a plain ingest stores, table by table (issue 15, acceptance 2)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vigie.cli import app
from vigie.run.pool import PoolError, TaskFailure
from vigie.run.ray_pool import RayPool

pytest.importorskip("ray")

SHARED = Path(os.environ.get("VIGIE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
# Columns that say when, not what: the time of a write, the FTS key, the error log's own id and times.
WHEN_COLUMNS = {"ingested_at", "updated_at", "seq", "first_seen", "last_seen"}


def test_results_in_order_with_failures_overruns_and_deaths():
    with RayPool(int, workers=2, time_budget=lambda item: 2.0) as pool:
        got = list(pool.imap(["1", "x", "3", 4.5, "7"], wanted=lambda item: isinstance(item, str)))
    assert got[0] == 1 and got[2:] == [3, 4.5, 7]  # 4.5 was not wanted: passed through in its place
    assert isinstance(got[1], TaskFailure) and "invalid literal" in got[1].reason
    with RayPool(time.sleep, workers=2, time_budget=lambda item: 1.0) as pool:
        got = list(pool.imap([0.01, 30, 0.01, 0.02, 0.01]))
        assert pool.replaced == 1
    assert got[0] is None and got[2:] == [None, None, None]  # the articles queued behind the overrun are sent again
    assert isinstance(got[1], TaskFailure) and "time budget exceeded" in got[1].reason
    with RayPool(os._exit, workers=1) as pool:
        (dead,) = pool.imap([3])
    assert isinstance(dead, TaskFailure) and "actor died" in dead.reason


def test_an_actor_that_cannot_start_and_a_cluster_that_does_not_answer_stop_the_run():
    with pytest.raises(PoolError, match="could not start"), RayPool(int, workers=1, init=partial(int, "x")) as pool:
        list(pool.imap(["1"]))
    t0 = time.monotonic()
    with pytest.raises(PoolError, match="does not answer"), RayPool(int, workers=1, address="ray://127.0.0.1:1") as p:
        list(p.imap(["1"]))
    assert time.monotonic() - t0 < 30


def test_cli_refuses_a_ray_address_without_ray_and_reports_an_unreachable_cluster(tmp_path: Path):
    text = tmp_path / "a.txt"
    text.write_text("Le président a visité Almaty mercredi.", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(text), "--db", str(tmp_path / "v.db"), "--ray-address", "auto"])
    assert result.exit_code == 2 and "--ray-address needs --executor ray" in result.output
    result = runner.invoke(app, ["ingest", str(text), "--db", str(tmp_path / "v.db"), "--executor", "ray",
                                 "--ray-address", "ray://127.0.0.1:1"])
    assert result.exit_code == 1 and "does not answer" in result.output
    assert "Traceback" not in result.output


def _tables(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    out = {}
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                        "'articles_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for table in names:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in WHEN_COLUMNS]
        if table == "errors":
            cols = [c for c in cols if c != "id"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        out[table] = sorted(repr(row) for row in conn.execute(f"SELECT {quoted} FROM {table}"))
    conn.close()
    return out


@pytest.mark.model
def test_ingest_on_ray_stores_what_a_plain_ingest_stores(tmp_path: Path):
    dev = SHARED / "eval" / "dev"
    if not dev.is_dir():
        pytest.skip(f"the dev gold is not at {dev}")
    inputs = tmp_path / "dev.jsonl"
    with inputs.open("w", encoding="utf-8") as fh:
        subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "inputs", str(dev)], stdout=fh, check=True)
    runner = CliRunner()
    plain, on_ray = tmp_path / "plain.db", tmp_path / "ray.db"
    result = runner.invoke(app, ["ingest", str(inputs), "--db", str(plain), "--workers", "1"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["ingest", str(inputs), "--db", str(on_ray), "--executor", "ray", "--workers", "2"])
    assert result.exit_code == 0, result.output
    a, b = _tables(plain), _tables(on_ray)
    assert a.keys() == b.keys()
    assert len(a["articles"]) == 9 and len(a["events"]) > 0 and len(a["crossdoc_events"]) > 0
    for table in a:
        assert a[table] == b[table], f"table {table} differs"
