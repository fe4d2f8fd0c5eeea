"""The loop a worker process runs: set up once, then take one task at a time from its pipe.

Messages (tuples) from the parent: ("task", seq, payload) and ("stop",). To the parent: ("ready",) once set
up, ("init_failed", reason), ("done", seq, result, retiring) and ("failed", seq, reason, retiring) when the
function raised. `retiring` is True when the worker leaves after this task because its memory grew past the
recycling mark: the parent then sends it nothing more.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from vigie.run.processes import die_with_parent, ignore_interrupts, rss_bytes


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 500 else text[:500] + "…"


def worker_main(
    conn: Connection,
    parent_pid: int,
    func: Callable[[Any], Any],
    init: Callable[[], Any] | None,
    recycle_rss: int | None,
) -> None:
    """Entry point of a worker process (the target of multiprocessing.Process)."""
    die_with_parent(parent_pid)
    ignore_interrupts()
    try:
        if init is not None:
            init()
    except BaseException as exc:  # noqa: BLE001 - the parent decides what a failed start means
        conn.send(("init_failed", _describe(exc) + "\n" + traceback.format_exc(limit=5)))
        return
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent is gone or closed our pipe
            return
        if message[0] != "task":
            return
        _, seq, payload = message
        try:
            kind, result = "done", func(payload)
        except BaseException as exc:  # noqa: BLE001 - one task's failure is that task's error, not the worker's
            kind, result = "failed", _describe(exc)
        rss = rss_bytes()
        retiring = bool(recycle_rss and rss and rss > recycle_rss)
        try:
            conn.send((kind, seq, result, retiring))
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled
            conn.send(("failed", seq, f"result could not be sent back: {_describe(exc)}", retiring))
        if retiring:
            return
