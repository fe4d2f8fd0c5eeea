"""The worker pool: order, isolation of bad items, replaced workers, budgets, no orphans."""
from __future__ import annotations

import os
import time

import pytest

import pool_tasks
from processes import alive
from vigie.run import PoolError, TaskFailure, WorkerPool


def test_results_come_back_in_order_and_unwanted_items_pass_through():
    items = list(range(40))
    with WorkerPool(pool_tasks.work, workers=2, init=pool_tasks.setup) as pool:
        out = list(pool.imap(items, wanted=lambda i: i % 3 != 0))
    assert [o if isinstance(o, int) else o[1] for o in out] == items
    assert all(isinstance(o, int) for o in out[::3])
    workers = {o[2] for o in out if isinstance(o, tuple)}
    assert workers and os.getpid() not in workers and None not in workers  # set up once per worker, not here


def test_a_crash_a_raise_and_a_hang_cost_one_item_each():
    items = ["a", "crash", "b", "raise", "c", "hang", "d"]
    with WorkerPool(pool_tasks.work, workers=2, time_budget=lambda item: 2.0) as pool:
        t0 = time.monotonic()
        out = list(pool.imap(items))
    assert time.monotonic() - t0 < 20
    fails = {items[i]: o.reason for i, o in enumerate(out) if isinstance(o, TaskFailure)}
    assert set(fails) == {"crash", "raise", "hang"}
    assert "died" in fails["crash"] and "exit code 3" in fails["crash"]
    assert "ValueError: bad item" in fails["raise"]
    assert "time budget exceeded" in fails["hang"]
    assert [o[1] for o in out if isinstance(o, tuple)] == ["a", "b", "c", "d"]
    assert pool.replaced == 2


def test_a_worker_over_its_memory_budget_is_stopped_and_replaced():
    limit = 300 * 2**20  # a toy worker holds ~30 MB; the hog takes 600 MB more
    items = ["a", "hog:600", "b"]
    with WorkerPool(pool_tasks.work, workers=1, max_rss=limit) as pool:
        out = list(pool.imap(items))
    assert isinstance(out[1], TaskFailure) and "memory budget exceeded" in out[1].reason
    assert out[0][1] == "a" and out[2][1] == "b"


def test_a_worker_that_grew_is_recycled_between_items_without_losing_any():
    with WorkerPool(pool_tasks.work, workers=1, recycle_rss=1) as pool:  # every worker retires after one item
        out = list(pool.imap(["a", "b", "c"]))
    assert [o[1] for o in out] == ["a", "b", "c"]
    assert pool.replaced == 0


def test_workers_that_cannot_start_stop_the_run_with_the_reason():
    with (
        pytest.raises(PoolError, match="no model here"),
        WorkerPool(pool_tasks.work, workers=2, init=pool_tasks.fail_setup) as pool,
    ):
        list(pool.imap(["a"]))


def test_an_error_in_the_input_stream_stops_the_workers():
    def items():
        yield "a"
        yield "sleep:0.2"
        raise OSError("disk gone")

    pool = WorkerPool(pool_tasks.work, workers=2, window=1)  # reads one item ahead: the error comes mid-run
    pids: list[int] = []
    with pytest.raises(OSError), pool:
        for _ in pool.imap(items()):
            pids = pool.pids
    assert pids and not any(alive(p) for p in pids)


def test_closing_early_kills_busy_workers():
    pool = WorkerPool(pool_tasks.work, workers=2)
    with pool:
        stream = pool.imap(["a", "hang", "hang", "b"])
        assert next(stream)[1] == "a"
        pids = pool.pids
        stream.close()
    assert not any(alive(p) for p in pids)


def test_no_worker_is_started_when_nothing_is_wanted():
    with WorkerPool(pool_tasks.work, workers=2, init=pool_tasks.fail_setup) as pool:
        assert list(pool.imap(range(100), wanted=lambda i: False)) == list(range(100))
        assert pool.pids == []
