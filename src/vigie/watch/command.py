"""`vigie watch`: follow RSS/Atom feeds and news sitemaps, and ingest their new articles poll after poll.

The command function `watch` is registered by `vigie.cli` (``app.command("watch")(watch)``); `run` is its loop,
apart from Typer for the tests. Importing this module costs typer and rich only (every `vigie` command imports it):
the HTTP client, the parsers and the pipeline are imported when the command runs.
"""
from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from vigie.watch import DEFAULT_USER_AGENT

if TYPE_CHECKING:
    from vigie.watch.poll import Log, Poller, PollReport

err = Console(stderr=True)

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def log_line(message: str, problem: bool = False) -> None:
    """One line of what the watch did, on stderr, after the local time (red when it says something failed)."""
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    err.print(escape(f"{stamp} {message}"), style="red" if problem else None, soft_wrap=True, highlight=False)


def parse_duration(text: str) -> float:
    """Seconds in a duration: "90s", "15m", "1h", "1h30m", "2d", or a bare number of seconds. ValueError when it
    is none, or not positive."""
    value = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    else:
        parts = list(_DURATION_PART.finditer(value))
        if not parts or "".join(p.group(0) for p in parts) != value:
            raise ValueError(f"not a duration: {text!r} (try 90s, 15m, 1h or 1h30m)")
        seconds = sum(float(p.group(1)) * _UNITS[p.group(2)] for p in parts)
    if seconds <= 0:
        raise ValueError(f"not a positive duration: {text!r}")
    return seconds


def format_duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g}m"
    return f"{seconds:g}s"


def _stopped_code(stopped_by: str | None) -> int:
    return 143 if stopped_by == "terminated" else 130


def run(
    poller: Poller,
    args: list[str],
    urls: list[str],
    every: float,
    once: bool,
    log: Log,
    sleep: Callable[[float], Any] | None = None,
    after_poll: Callable[[PollReport], Any] | None = None,
) -> int:
    """Poll `urls` (the sources `args` name: list files are read again before each poll) once, or every `every`
    seconds until stopped; the exit code. A poll that fails as a whole (the database went away, the NLP workers
    cannot start) is logged and the next one tries again; with `once`, it makes the exit code 1, and so does a poll
    whose sources all failed. Ctrl-C and SIGTERM end the poll under way cleanly: 130 and 143."""
    from vigie.watch.sources import SourceListError, read_sources

    while True:
        started = time.monotonic()
        if any("://" not in a for a in args):  # a list file may have changed since the last poll
            try:
                urls = read_sources(args) or urls
            except SourceListError as exc:
                log(f"sources: {exc}; polling the previous list", True)
        report: PollReport | None = None
        try:
            report = poller.poll(urls)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # noqa: BLE001 - a daemon survives a bad poll; the next one tries again
            log(f"poll {poller.polls}: failed ({type(exc).__name__}: {exc})", True)
        if after_poll is not None and report is not None:
            after_poll(report)
        if report is not None and report.stopped_by:
            return _stopped_code(report.stopped_by)
        if once:
            return 1 if report is None or report.all_failed or report.finished is False else 0
        wait = started + every - time.monotonic()
        at = (datetime.now() + timedelta(seconds=max(wait, 0))).strftime("%H:%M:%S")
        log(f"next poll at {at}", False)
        if wait > 0:
            (sleep or time.sleep)(wait)


def _raise_terminated(signum: int, frame: object) -> None:
    from vigie.watch.poll import Terminated

    raise Terminated()


def _shown(db: str) -> str:
    if "://" not in db:
        return db
    from vigie.store.postgres import redact

    return redact(db)


def watch(
    sources: Annotated[list[str], typer.Argument(
        help="RSS/Atom feed or news sitemap URLs (sitemap indexes and .xml.gz included), or files listing them "
        "one a line (# comments).")],
    db: Annotated[str, typer.Option("--db", envvar="VIGIE_DB", help="SQLite file (created if missing) or "
                                    "PostgreSQL URL.")] = "vigie.db",
    every: Annotated[str, typer.Option("--every", help="Time between two polls: 90s, 15m, 1h...")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (for cron).")] = False,
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Worker processes for the NLP (default: "
                                                "cores, max 4).")] = None,
    max_items: Annotated[int, typer.Option("--max-items", min=1, help="Article pages fetched per source per poll; "
                                           "the others wait for the next polls.")] = 100,
    delay: Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between two requests to one host "
                                         "(longer when its robots.txt asks).")] = 1.0,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds without an answer before a request "
                                           "is given up (then tried again, twice).")] = 20.0,
    user_agent: Annotated[str | None, typer.Option("--user-agent", help="User-Agent header (its first word is "
                                                   f"matched in robots.txt) [default: {DEFAULT_USER_AGENT}]")] = None,
    fetchers: Annotated[int, typer.Option("--fetchers", min=1, help="Pages downloaded at once (one at a time per "
                                          "host whatever this says).")] = 4,
) -> None:
    """Follow feeds and sitemaps: fetch their new article pages and ingest them as `vigie ingest` does.

    Each poll fetches every source (a conditional request: an unchanged feed costs a 304), lists the article URLs
    never seen before, fetches their pages (robots.txt obeyed, one request per host every --delay seconds) and
    stores the articles, then places them in stories and links their events. What was seen is kept in the
    database: a restart fetches nothing twice. A page that fails for a while (a timeout, a 5xx) is tried again on
    the next polls, up to 3 times. One log line per source per poll, and a summary line.
    """
    from vigie.steps.stories import limit_blas_threads
    from vigie.store import open_store
    from vigie.watch.http import Fetcher, HttpSettings
    from vigie.watch.poll import Poller, Terminated, WatchSettings
    from vigie.watch.sources import SourceListError, read_sources

    try:
        interval = parse_duration(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None
    try:
        urls = read_sources(sources)
    except SourceListError as exc:
        err.print(f"[red]bad source[/red]: {escape(str(exc))}")
        raise typer.Exit(2) from None
    if not urls:
        err.print("[red]no source to watch[/red] (the lists given are empty)")
        raise typer.Exit(2)
    limit_blas_threads()  # before numpy is loaded; the NLP workers inherit it too
    http = HttpSettings(timeout=timeout, connect_timeout=min(timeout, 10.0), delay=delay,
                        user_agent=user_agent or DEFAULT_USER_AGENT)
    settings = WatchSettings(max_items=max_items, fetchers=fetchers)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if main_thread else None
    code = 0
    try:
        with open_store(db) as store, Fetcher(http) as fetcher:
            poller = Poller(store, fetcher=fetcher, settings=settings, options=lambda: _options(workers),
                            log=log_line)
            log_line(f"watching {len(urls)} source{'s' if len(urls) > 1 else ''} "
                     + ("once" if once else f"every {format_duration(interval)}")
                     + f" into {_shown(db)} ({store.count_articles()} articles)")
            code = run(poller, sources, urls, interval, once, log_line,
                       after_poll=lambda report: _after_poll(store))
    except KeyboardInterrupt as exc:
        code = _stopped_code("terminated" if isinstance(exc, Terminated) else "interrupted")
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)
    if code:
        raise typer.Exit(code)


def _after_poll(store: Any) -> None:
    """After each poll: the size of the database, then the saved searches' alerts (`vigie.alerts`: one log line,
    only when the store has saved searches)."""
    from vigie.alerts.engine import check_after_poll

    log_line(f"database: {store.count_articles()} articles")
    check_after_poll(store, log_line)


def _options(workers: int | None) -> Any:
    from vigie.pipeline import RunOptions, default_workers

    return RunOptions(workers=workers or default_workers())
