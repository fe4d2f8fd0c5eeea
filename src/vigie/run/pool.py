"""A pool of worker processes that maps a function over a stream, in order, and never hangs.

    with WorkerPool(annotate, workers=2, init=load, time_budget=budget, max_rss=2 << 30) as pool:
        for result in pool.imap(items, wanted=needs_nlp):
            ...  # the function's result, the item itself (not wanted), or a TaskFailure

Why not multiprocessing.Pool or spaCy's n_process: a task that hangs, a worker that dies (a crash, the
out-of-memory killer) or a bad input upstream must cost one item, not the run. Here every worker has its
own pipe; the parent waits on the pipes and the process sentinels with a timeout, so it sees a result, a
death or an overrun budget within a poll interval, kills and replaces the worker concerned, and reports
that one task as a TaskFailure. Inputs are pulled lazily and at most `window` items are in flight, so
memory stays bounded whatever the stream's length. Workers start with the spawn method (no inherited
file descriptors: a database connection of the parent is never held open by a worker), are started only
when the first wanted item arrives, die with the parent (kill -9 included), and ignore Ctrl-C, which the
parent turns into a clean stop.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from vigie.run.processes import rss_bytes
from vigie.run.worker import worker_main

#: How often the parent looks at deadlines and memory when nothing else happens (seconds).
POLL_SECONDS = 0.25
#: Loading the French model and the gazetteer takes 5-10 s; a worker that is not ready after this is stuck.
START_TIMEOUT = 300.0
#: A worker that fails to start this many times in a row means the run cannot work (a missing model).
MAX_START_FAILURES = 2
#: Grace for a worker asked to stop at the end of a run before it is killed.
STOP_GRACE = 2.0


class PoolError(RuntimeError):
    """The pool cannot do its job at all (workers cannot start): a run-level error, not an item's."""


@dataclass(slots=True)
class TaskFailure:
    """Why one item has no result: its function raised, its worker died, or it overran a budget."""

    item: Any
    reason: str


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    started: float = field(default_factory=time.monotonic)
    task: tuple[int, Any] | None = None
    deadline: float | None = None
    dispatched: float = 0.0
    retiring: bool = False  # leaving after its last task (memory): gets no more


class WorkerPool:
    """Up to `workers` processes running `func(item)` (after `init()` once per process); see the module doc."""

    def __init__(
        self,
        func: Callable[[Any], Any],
        *,
        workers: int,
        init: Callable[[], Any] | None = None,
        time_budget: Callable[[Any], float | None] | None = None,
        max_rss: int | None = None,
        recycle_rss: int | None = None,
        window: int | None = None,
        start_timeout: float = START_TIMEOUT,
        context: str = "spawn",
    ):
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.func = func
        self.init = init
        self.n_workers = workers
        self.time_budget = time_budget
        self.max_rss = max_rss
        self.recycle_rss = recycle_rss
        self.window = window or max(16, 4 * workers)
        self.start_timeout = start_timeout
        # a concrete context ("spawn", ...): typeshed types get_context(str) as BaseContext, which has no Process
        self._ctx: Any = multiprocessing.get_context(context)
        self._workers: list[_Worker] = []
        self._start_failures = 0
        self.replaced = 0  # workers killed or lost mid-task and replaced (for the run's statistics)
        self.closed = False

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.close(kill=exc_type is not None)

    def close(self, kill: bool = True) -> None:
        """Stop every worker: politely at the end of a run, at once (SIGKILL) on an error or an interrupt."""
        self.closed = True
        workers, self._workers = self._workers, []
        if not kill:
            for w in workers:
                with contextlib.suppress(OSError, ValueError):  # a worker already gone
                    w.conn.send(("stop",))
            deadline = time.monotonic() + STOP_GRACE
            for w in workers:
                w.process.join(max(0.0, deadline - time.monotonic()))
        for w in workers:
            if w.process.is_alive():
                w.process.kill()
        for w in workers:
            w.process.join(5)
            w.conn.close()

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _start_worker(self) -> None:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=worker_main,
            args=(child, os.getpid(), self.func, self.init, self.recycle_rss),
            name="vigie-worker",
            daemon=True,
        )
        with _one_blas_thread():
            process.start()
        child.close()  # the worker's end lives in the worker; our copy would hide its death
        self._workers.append(_Worker(process=process, conn=parent))

    def _retire(self, w: _Worker, *, kill: bool) -> None:
        if kill and w.process.is_alive():
            w.process.kill()
        w.process.join(5)
        w.conn.close()
        self._workers.remove(w)

    def _start_failed(self, w: _Worker, reason: str) -> None:
        self._retire(w, kill=True)
        self._start_failures += 1
        if self._start_failures >= MAX_START_FAILURES:
            raise PoolError(f"the NLP worker process could not start: {reason}")

    # ------------------------------------------------------------------ the map

    def imap(self, items: Iterable[Any], wanted: Callable[[Any], bool] | None = None) -> Iterator[Any]:
        """Yield, in input order, `func(item)` for wanted items (or a TaskFailure) and other items as they are."""
        if self.closed:
            raise RuntimeError("the pool is closed")
        source = iter(items)
        exhausted = False
        next_in = next_out = 0
        pending: deque[tuple[int, Any]] = deque()
        done: dict[int, Any] = {}
        while True:
            while not exhausted and next_in - next_out < self.window:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                if wanted is None or wanted(item):
                    pending.append((next_in, item))
                else:
                    done[next_in] = item
                next_in += 1
            while next_out in done:
                result = done.pop(next_out)
                next_out += 1
                yield result
            if exhausted and next_out == next_in:
                return
            if not exhausted and next_in - next_out < self.window:
                continue  # what was in flight has been given out: read on
            if not pending and next_out not in done and not any(w.task is not None for w in self._workers):
                raise RuntimeError(f"worker pool lost item {next_out}")  # a bug: fail rather than wait forever
            self._step(pending, done)

    def _step(self, pending: deque[tuple[int, Any]], done: dict[int, Any]) -> None:
        """Start, feed and watch the workers once; returns after an event or a poll interval."""
        active = [w for w in self._workers if not w.retiring]
        busy = sum(1 for w in active if w.task is not None)
        while pending and len(active) < self.n_workers and len(active) < busy + len(pending):
            self._start_worker()
            active.append(self._workers[-1])
        for w in active:
            if pending and w.ready and w.task is None:
                seq, item = pending.popleft()
                try:
                    w.conn.send(("task", seq, item))
                except (OSError, ValueError):  # it died while idle: the task was never started, so it goes back
                    pending.appendleft((seq, item))
                    continue
                now = time.monotonic()
                budget = self.time_budget(item) if self.time_budget else None
                w.task, w.dispatched, w.deadline = (seq, item), now, (now + budget if budget else None)
        self._wait(done)

    def _wait(self, done: dict[int, Any]) -> None:
        now = time.monotonic()
        timeout = POLL_SECONDS
        for w in self._workers:
            if w.deadline is not None:
                timeout = min(timeout, max(0.0, w.deadline - now))
        handles: list[Any] = [w.conn for w in self._workers] + [w.process.sentinel for w in self._workers]
        ready = set(wait(handles, timeout)) if handles else set()
        if not handles:
            time.sleep(timeout)
        for w in list(self._workers):
            if w.conn in ready:
                self._receive(w, done)
        for w in list(self._workers):
            if w not in self._workers:
                continue
            if w.process.sentinel in ready and not w.conn.poll():
                self._lost(w, done, self._death_reason(w))
        self._check_budgets(done)

    def _receive(self, w: _Worker, done: dict[int, Any]) -> None:
        while w in self._workers and w.conn.poll():
            try:
                message = w.conn.recv()
            except (EOFError, OSError):
                self._lost(w, done, self._death_reason(w))
                return
            except Exception as exc:  # noqa: BLE001 - a result that cannot be unpickled
                if w.task is not None:
                    seq, item = w.task
                    done[seq] = TaskFailure(item, f"result could not be read: {type(exc).__name__}: {exc}")
                    w.task = w.deadline = None
                continue
            kind = message[0]
            if kind == "ready":
                w.ready = True
                self._start_failures = 0
            elif kind == "init_failed":
                self._start_failed(w, message[1])
                return
            elif kind in ("done", "failed"):
                seq, item = w.task if w.task is not None else (message[1], None)
                done[seq] = message[2] if kind == "done" else TaskFailure(item, message[2])
                w.task = w.deadline = None
                if message[3]:
                    w.retiring = True  # it exits now; its sentinel retires it without an error

    def _lost(self, w: _Worker, done: dict[int, Any], reason: str) -> None:
        """A worker is gone: its task (if any) fails with `reason`; a worker that never got ready counts
        as a failed start."""
        if w.retiring and w.task is None:
            self._retire(w, kill=True)
            return
        if not w.ready and w.task is None:
            self._start_failed(w, reason)
            return
        if w.task is not None:
            seq, item = w.task
            done[seq] = TaskFailure(item, reason)
            self.replaced += 1
        self._retire(w, kill=True)

    def _death_reason(self, w: _Worker) -> str:
        w.process.join(1)
        code = w.process.exitcode
        if code is not None and code < 0:
            how = f"killed by signal {-code}" + (" (out of memory?)" if -code == 9 else "")
        else:
            how = f"exit code {code}"
        return f"the worker process died ({how}) while analysing this item"

    def _check_budgets(self, done: dict[int, Any]) -> None:
        now = time.monotonic()
        for w in list(self._workers):
            if w.task is None:
                if not w.ready and now - w.started > self.start_timeout:
                    self._start_failed(w, f"not ready after {self.start_timeout:.0f} s")
                continue
            if w.deadline is not None and now > w.deadline:
                self._lost(w, done, f"time budget exceeded ({w.deadline - w.dispatched:.0f} s): worker stopped")
                continue
            if self.max_rss:
                rss = rss_bytes(w.process.pid)
                if rss is not None and rss > self.max_rss:
                    self._lost(
                        w, done, f"memory budget exceeded ({rss / 2**20:.0f} MB > {self.max_rss / 2**20:.0f} MB): "
                        "worker stopped",
                    )


# A worker is one process per core: numpy's BLAS must not start a thread per core in each of them (two workers
# with two BLAS threads each made the sentence classifier's small products spin: 3x slower end to end).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """The environment a spawned worker starts with: one BLAS thread, unless the user set otherwise."""
    added = [v for v in BLAS_THREAD_VARIABLES if v not in os.environ]
    for v in added:
        os.environ[v] = "1"
    try:
        yield
    finally:
        for v in added:
            os.environ.pop(v, None)
