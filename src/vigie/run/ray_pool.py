"""The NLP step on Ray: actors that load the pipelines once each, fed one article at a time, results in input order.

    with RayPool(annotate, workers=2, init=load, time_budget=budget, address=None) as pool:
        for result in pool.imap(items, wanted=needs_nlp):
            ...  # as `vigie.run.WorkerPool.imap`: func(item), the item itself (not wanted), or a TaskFailure

Same contract as `WorkerPool`, so `vigie.steps.annotate` runs the same function on either: plain `Article`
records go to the actors and come back analysed (no spaCy `Doc` crosses a process boundary), the caller's
process stores them (the database is never written by an actor). With `address=None` a local Ray is started for
the run (`workers` CPUs, no dashboard, usage statistics off) and stopped at its end; with an address (a cluster's
`ray://host:10001` or `auto`) the actors run on the cluster, whose nodes need vigie installed.

An article that overruns its time budget costs that article an error and its actor is replaced (the articles
queued behind it on that actor are sent again elsewhere); an actor that dies costs the article it was analysing.
At most `window` articles are in flight, so memory stays bounded whatever the stream's length.
"""
from __future__ import annotations

import logging
import os
import socket
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from vigie.run.pool import PoolError, TaskFailure

#: Object store of a local Ray started for one run (articles are small; the default takes 30 % of the memory).
LOCAL_OBJECT_STORE_BYTES = 512 * 2**20
#: Loading the French model and the gazetteer takes 5-10 s; an actor that is not ready after this is stuck.
START_TIMEOUT = 300.0
POLL_SECONDS = 0.25
#: An actor that fails to start this many times in a row means the run cannot work (a missing model).
MAX_START_FAILURES = 2
#: Seconds to wait for a Ray cluster's address to accept a connection.
CONNECT_TIMEOUT = 5.0


def _actor_class() -> Any:
    import ray

    @ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)
    class Analyser:
        """One Ray actor: `init()` once, then `func(item)` per call."""

        def __init__(self, func: Callable[[Any], Any], init: Callable[[], Any] | None) -> None:
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
            self.func = func
            if init is not None:
                init()

        def ready(self) -> int:
            return os.getpid()

        def run(self, item: Any) -> tuple[str, Any]:
            try:
                return "done", self.func(item)
            except Exception as exc:  # noqa: BLE001 - one item's failure is that item's error, not the actor's
                text = f"{type(exc).__name__}: {exc}"
                return "failed", text if len(text) <= 500 else text[:500] + "…"

    return Analyser


@dataclass
class _Actor:
    handle: Any
    ready_ref: Any
    started: float = field(default_factory=time.monotonic)
    ready: bool = False
    pid: int | None = None
    queued: int = 0  # tasks sent and not answered


@dataclass
class _Task:
    seq: int
    item: Any
    actor: _Actor | None = None
    ref: Any = None
    deadline: float | None = None  # set when the task reaches the head of the line (its actor is then on it)


class RayPool:
    """`workers` Ray actors running `func(item)` after `init()` once per actor; see the module docstring."""

    def __init__(
        self,
        func: Callable[[Any], Any],
        *,
        workers: int,
        init: Callable[[], Any] | None = None,
        time_budget: Callable[[Any], float | None] | None = None,
        address: str | None = None,
        window: int | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.func, self.init, self.n_workers = func, init, workers
        self.time_budget = time_budget
        self.address = address
        self.window = window or max(16, 4 * workers)
        self.start_timeout = start_timeout
        self._actors: list[_Actor] = []
        self._started_ray = False
        self._cls: Any = None
        self.replaced = 0
        self._start_failures = 0
        self.closed = False

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> RayPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start_ray(self) -> None:
        try:
            import ray
        except ImportError as exc:  # pragma: no cover - the extra is in the default install
            raise PoolError("the Ray executor needs Ray: pip install 'vigie[ray]'") from exc
        if ray.is_initialized():
            return
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        if self.address:
            _check_reachable(self.address)
        try:
            if self.address:
                ray.init(address=self.address, log_to_driver=False, logging_level=logging.ERROR)
            else:
                ray.init(num_cpus=self.n_workers, include_dashboard=False, log_to_driver=False,
                         object_store_memory=LOCAL_OBJECT_STORE_BYTES, logging_level=logging.ERROR)
        except Exception as exc:  # noqa: BLE001 - any failure to reach or start Ray is the run's error
            where = f"the Ray cluster at {self.address}" if self.address else "a local Ray"
            raise PoolError(f"could not start or reach {where}: {type(exc).__name__}: {exc}") from exc
        self._started_ray = True

    def close(self) -> None:
        self.closed = True
        if self._actors:
            import ray

            for a in self._actors:
                ray.kill(a.handle, no_restart=True)
        self._actors = []
        if self._started_ray:
            import ray

            ray.shutdown()
            self._started_ray = False

    @property
    def pids(self) -> list[int]:
        return [a.pid for a in self._actors if a.pid is not None]

    def _start_actor(self) -> _Actor:
        if self._cls is None:
            self._start_ray()
            self._cls = _actor_class()
        handle = self._cls.remote(self.func, self.init)
        actor = _Actor(handle=handle, ready_ref=handle.ready.remote())
        self._actors.append(actor)
        return actor

    def _kill(self, actor: _Actor) -> None:
        import ray

        ray.kill(actor.handle, no_restart=True)
        if actor in self._actors:
            self._actors.remove(actor)

    # ------------------------------------------------------------------ the map

    def imap(self, items: Iterable[Any], wanted: Callable[[Any], bool] | None = None) -> Iterator[Any]:
        """Yield, in input order, `func(item)` for wanted items (or a TaskFailure) and other items as they are."""
        if self.closed:
            raise RuntimeError("the pool is closed")
        source = iter(items)
        line: deque[_Task | tuple[int, Any]] = deque()  # in input order: tasks, and (seq, item) passed through
        seq = 0
        exhausted = False
        while True:
            while not exhausted and len(line) < self.window:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                if wanted is None or wanted(item):
                    task = _Task(seq, item)
                    self._submit(task)
                    line.append(task)
                else:
                    line.append((seq, item))
                seq += 1
            if not line:
                return
            head = line[0]
            if isinstance(head, tuple):
                line.popleft()
                yield head[1]
                continue
            result = self._result_of(head, line)
            if result is not None:
                line.popleft()
                yield result[0]

    def _submit(self, task: _Task) -> None:
        """Send a task to the least loaded actor (starting actors up to `workers`)."""
        if len(self._actors) < self.n_workers:
            self._start_actor()
        actor = min(self._actors, key=lambda a: a.queued)
        actor.queued += 1
        task.actor, task.ref, task.deadline = actor, actor.handle.run.remote(task.item), None

    def _result_of(self, task: _Task, line: deque[Any]) -> tuple[Any] | None:
        """Wait up to a poll interval for the head task: (its result,), or None when it is still running."""
        import ray
        from ray.exceptions import RayActorError, RayTaskError

        actor = task.actor
        assert actor is not None
        now = time.monotonic()
        if not actor.ready:
            done, _ = ray.wait([actor.ready_ref], timeout=0)
            if done:
                try:
                    actor.pid = ray.get(actor.ready_ref)
                    actor.ready = True
                    self._start_failures = 0
                except (RayActorError, RayTaskError) as exc:
                    self._start_failed(actor, line, f"the NLP actor could not start: {_reason(exc)}")
                    return None
            elif now - actor.started > self.start_timeout:
                self._start_failed(actor, line, f"the NLP actor was not ready after {self.start_timeout:.0f} s")
                return None
            else:
                ray.wait([actor.ready_ref], timeout=POLL_SECONDS)
                return None
        if task.deadline is None and self.time_budget is not None:
            budget = self.time_budget(task.item)
            task.deadline = now + budget if budget else None
        timeout = POLL_SECONDS if task.deadline is None else max(0.0, min(POLL_SECONDS, task.deadline - now))
        done, _ = ray.wait([task.ref], timeout=timeout)
        if done:
            actor.queued -= 1
            try:
                kind, value = ray.get(task.ref)
            except RayActorError as exc:
                self._lost(actor, task, line)
                return (TaskFailure(task.item, f"the NLP actor died while analysing this item ({_reason(exc)})"),)
            except Exception as exc:  # noqa: BLE001 - a result that could not be read back
                return (TaskFailure(task.item, f"result could not be read: {_reason(exc)}"),)
            return (value if kind == "done" else TaskFailure(task.item, value),)
        if task.deadline is not None and time.monotonic() > task.deadline:
            budget = (self.time_budget(task.item) or 0) if self.time_budget else 0
            self._lost(actor, task, line)
            return (TaskFailure(task.item, f"time budget exceeded ({budget:.0f} s): actor stopped"),)
        return None

    def _start_failed(self, actor: _Actor, line: deque[Any], reason: str) -> None:
        """An actor did not start: try another one (a loaded machine may lose one start), twice in a row is the
        run's error (a missing model, a broken install)."""
        self._kill(actor)
        self._start_failures += 1
        if self._start_failures >= MAX_START_FAILURES:
            raise PoolError(reason)
        for t in line:
            if isinstance(t, _Task) and t.actor is actor:
                self._submit(t)

    def _lost(self, actor: _Actor, culprit: _Task, line: deque[Any]) -> None:
        """Replace an actor that died or overran: the tasks queued behind `culprit` on it go to other actors."""
        self._kill(actor)
        self.replaced += 1
        for t in line:
            if isinstance(t, _Task) and t is not culprit and t.actor is actor:
                self._submit(t)


def _check_reachable(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Fail at once, with the address in the message, when a cluster's host:port does not answer (Ray itself
    retries for minutes). "auto" and addresses without a port are left to Ray."""
    hostport = address.split("://", 1)[-1]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise PoolError(f"the Ray cluster at {address} does not answer ({exc})") from exc


def _reason(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".splitlines()[0]
    return text if len(text) <= 300 else text[:300] + "…"
