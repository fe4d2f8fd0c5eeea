"""Command line: thin wrappers over vigie.pipeline and vigie.store (the functions tests call directly)."""
from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from typer import core as typer_core

from vigie import __version__
from vigie.alerts.command import alerts_app
from vigie.records import Article, ArticleError, Skipped
from vigie.watch.command import watch as watch_command

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="markdown",
                  help="vigie: a structured record of what the news says.")


def _metavar_only(self: Any, ctx: Any) -> str | None:
    """Help shows vigie's own metavars (DATE, N, DB), never typer's type tags ("<str>", "<bool>", "<int range>")."""
    return self.metavar


for _param_class in (typer_core.TyperOption, typer_core.TyperArgument):
    _param_class.display_type_rich = _metavar_only  # type: ignore[method-assign]
err = Console(stderr=True)
out = Console()

DEFAULT_DB = "vigie.db"
DB_OPTION = typer.Option(DEFAULT_DB, "--db", envvar="VIGIE_DB", metavar="DB",
                         help="SQLite file (created if missing) or postgresql:// URL.")
MAX_ERRORS_SHOWN = 20


def _version(value: bool) -> None:
    if value:
        out.print(f"vigie {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """vigie turns raw news articles into a clean, structured, queryable record."""


class RunSummary:
    """Counts for the end-of-run summary."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.articles = 0
        self.outcomes: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.errors: list[ArticleError] = []
        self.skipped = 0
        self.duplicates = 0  # articles stored as copies of an earlier one (not analysed)
        self.stopped_by: str | None = None  # "interrupted" / "terminated" (a signal), "failed" (workers cannot start)

    def add(self, item: Article | ArticleError | Skipped, outcome: str = "written") -> None:
        if isinstance(item, ArticleError):
            self.errors.append(item)
            return
        if isinstance(item, Skipped):
            self.skipped += 1
            return
        self.articles += 1
        self.outcomes[outcome] += 1
        if item.duplicate is not None:
            self.duplicates += 1
        self.languages[item.language or "und"] += 1

    def print(self, console: Console) -> None:
        dt = time.perf_counter() - self.started
        rate = self.articles / dt if dt > 0 else 0.0
        title = "vigie run" + (f" ({self.stopped_by}: stopped early)" if self.stopped_by else "")
        table = Table(title=title, show_header=False)
        table.add_row("articles", str(self.articles))
        for k, v in sorted(self.outcomes.items()):
            table.add_row(f"  {k}", str(v))
        if self.duplicates:
            table.add_row("  duplicates", f"{self.duplicates} (copies of an earlier article: stored as its sources, "
                          "not analysed)")
        if self.skipped:
            table.add_row("already stored", f"{self.skipped} (same input: not analysed again; --force to redo)")
        table.add_row("languages", ", ".join(f"{k} {v}" for k, v in self.languages.most_common()) or "-")
        table.add_row("errors", str(len(self.errors)))
        table.add_row("time", f"{dt:.1f} s ({rate:.1f} articles/s)")
        console.print(table)
        if self.errors:
            et = Table(title="per-article errors", show_lines=False)
            et.add_column("input")
            et.add_column("stage")
            et.add_column("reason")
            for e in self.errors[:MAX_ERRORS_SHOWN]:
                et.add_row(escape(e.origin), e.stage, escape(e.reason))
            if len(self.errors) > MAX_ERRORS_SHOWN:
                et.add_row("…", "", f"{len(self.errors) - MAX_ERRORS_SHOWN} more")
            console.print(et)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


class _Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an exception so that the run stops the way Ctrl-C stops it."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated()


def _run(inputs: list[str], opts, description: str, sink) -> RunSummary:
    """Run the steps over `inputs`, hand every item to `sink`, and count what happened.

    Ctrl-C or SIGTERM stop the run cleanly: the workers are killed, what was stored stays stored (each
    article is one transaction), and the summary says the run stopped early.
    """
    from vigie.ingest import count_inputs
    from vigie.pipeline import analyze
    from vigie.run import PoolError

    summary = RunSummary()
    total = count_inputs(inputs)
    show = total is None or total > 1
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        with _progress() if show else nullcontext() as progress:
            task = progress.add_task(description, total=total, errors=0) if progress else None
            stream = analyze(inputs, opts)
            try:
                for item in stream:
                    outcome = sink(item)
                    if isinstance(outcome, ArticleError):
                        item = outcome
                    summary.add(item, outcome if isinstance(outcome, str) else "written")
                    if progress is not None and task is not None:
                        progress.update(task, advance=1, errors=len(summary.errors))
            finally:
                stream.close()  # stops the worker processes now, whatever ended the loop
    except KeyboardInterrupt as exc:
        summary.stopped_by = "terminated" if isinstance(exc, _Terminated) else "interrupted"
    except PoolError as exc:  # the NLP workers cannot start (a missing model, an unreachable Ray cluster)
        err.print(f"[red]the run cannot go on[/red]: {escape(str(exc))}")
        summary.stopped_by = "failed"
    finally:
        signal.signal(signal.SIGTERM, previous)
    return summary


def _exit_if_failed(summary: RunSummary) -> None:
    """Exit code 2 when some inputs failed (the summary above lists them); 0 when every input went through."""
    if summary.errors:
        err.print(f"[red]{len(summary.errors)} input(s) failed[/red] (listed above; kept in the database's errors "
                  "table by `vigie ingest`)", soft_wrap=True)
        raise typer.Exit(2)


def _exit_if_stopped(summary: RunSummary) -> None:
    if summary.stopped_by:
        raise typer.Exit({"terminated": 143, "interrupted": 130}.get(summary.stopped_by, 1))


def _options(published: str | None, workers: int | None, timeout: float | None, max_memory: int | None,
             executor: str = "local", ray_address: str | None = None):
    from dataclasses import replace

    from vigie.ingest import normalize_date
    from vigie.pipeline import RunOptions, default_workers
    from vigie.steps.annotate import Budgets

    if published is not None and normalize_date(published) is None:
        _fail(f"bad --published {published!r}: expected a date like 2022-01-12")
    if workers is not None and workers < 1:
        _fail(f"bad --workers {workers}: at least 1")
    budgets = Budgets()
    if timeout is not None:
        budgets = replace(budgets, seconds=timeout)
    if max_memory is not None:
        limit = max_memory * 2**20
        budgets = replace(budgets, max_rss=limit, recycle_rss=min(budgets.recycle_rss or limit, limit))
    if executor not in ("local", "ray"):
        err.print(f"[red]unknown executor {escape(executor)}[/red]: choose local or ray")
        raise typer.Exit(2)
    if ray_address and executor != "ray":
        err.print("[red]--ray-address needs --executor ray[/red]")
        raise typer.Exit(2)
    return RunOptions(published=published, workers=workers or default_workers(), budgets=budgets,
                      executor=executor, ray_address=ray_address)


WORKERS_HELP = "Worker processes for the NLP (default: cores, max 4)."
TIMEOUT_OPTION = typer.Option(
    None, "--article-timeout", metavar="SECONDS",
    help="Seconds an article of up to 100,000 characters may take in a worker "
    "(proportionally more for longer ones) before it is recorded as an error [default: 120].",
)
MEMORY_OPTION = typer.Option(
    None, "--max-memory", metavar="MB",
    help="Memory (MB) a worker may use before it is stopped and its article recorded as "
    "an error [default: 3072].",
)


EXECUTOR_OPTION = typer.Option(
    "local", "--executor", metavar="local|ray",
    help="Where the NLP runs: local (worker processes of this machine) or ray (Ray actors: a "
    "local Ray started for the run, or the cluster at --ray-address). Only this process writes the database.")
RAY_ADDRESS_OPTION = typer.Option(
    None, "--ray-address", metavar="ADDRESS",
    help="With --executor ray: the address of a running Ray cluster (ray://HOST:10001, or "
    "auto); its nodes need vigie installed. Default: start a local Ray with --workers CPUs.")


EVENT_CLASSIFIER_OPTION = typer.Option(
    False, "--event-classifier",
    help="Let the sentence classifier decide the event coder's uncertain mentions (about 8 ms and 150 MB per worker; "
         "see docs/BENCHMARKS.md for what it gains).")


def _event_classifier(on: bool) -> None:
    """Workers are spawned: they read the choice from the environment when they load the pipeline."""
    if on:
        from vigie.events.second_opinion import ENV

        os.environ[ENV] = "1"


@app.command()
def analyze(
    inputs: list[str] = typer.Argument(..., metavar="INPUT...", help="Files, folders (read recursively) or '-' for stdin."),
    published: str | None = typer.Option(None, metavar="DATE", help="Publication date YYYY-MM-DD for articles that carry none."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="JSONL file (default: standard output)."),
    workers: int | None = typer.Option(None, metavar="N", help=WORKERS_HELP),
    article_timeout: float | None = TIMEOUT_OPTION,
    max_memory: int | None = MEMORY_OPTION,
    event_classifier: bool = EVENT_CLASSIFIER_OPTION,
    executor: str = EXECUTOR_OPTION,
    ray_address: str | None = RAY_ADDRESS_OPTION,
) -> None:
    """Analyse articles and write one analysis record per article as JSONL (no database)."""
    from vigie.contract import to_record

    _check_inputs(inputs)
    opts = _options(published, workers, article_timeout, max_memory, executor, ray_address)
    _event_classifier(event_classifier)
    fh = output.open("w", encoding="utf-8") if output else sys.stdout
    written = 0

    def sink(item: Article | ArticleError):
        nonlocal written
        if isinstance(item, Article):
            fh.write(json.dumps(to_record(item), ensure_ascii=False) + "\n")
            written += 1
        return "written"

    try:
        summary = _run(inputs, opts, "analysing", sink)
    finally:
        if output:
            fh.close()
            if written == 0:  # no record: no empty file left behind
                output.unlink(missing_ok=True)
    summary.print(err)
    _exit_if_stopped(summary)
    _exit_if_failed(summary)


@app.command()
def ingest(
    inputs: list[str] = typer.Argument(..., metavar="INPUT...", help="Files, folders (read recursively) or '-' for stdin."),
    db: str = DB_OPTION,
    published: str | None = typer.Option(None, metavar="DATE", help="Publication date YYYY-MM-DD for articles that carry none."),
    workers: int | None = typer.Option(None, metavar="N", help=WORKERS_HELP),
    force: bool = typer.Option(False, "--force", help="Analyse again articles already stored from the same input."),
    article_timeout: float | None = TIMEOUT_OPTION,
    max_memory: int | None = MEMORY_OPTION,
    event_classifier: bool = EVENT_CLASSIFIER_OPTION,
    dedup: bool = typer.Option(
        True, "--dedup/--no-dedup", help="Store copies of an earlier article (same or nearly the same text) as its "
        "sources, without analysing them."),
    dedup_window: int | None = typer.Option(
        None, "--dedup-window", min=0, metavar="DAYS", help="Days between two articles' publication dates within which they are "
        "compared [default: 3]; articles without a date are compared with all."),
    stories: bool = typer.Option(
        True, "--stories/--no-stories", help="Place the run's articles in stories (vigie.stories) at the end of the "
        "run; `vigie cluster` places the stored articles left out."),
    link_events: bool = typer.Option(
        True, "--link-events/--no-link-events", help="At the end of the run, group the event records of all stored "
        "articles that tell the same real-world event into one event (vigie.events.crossdoc)."),
    executor: str = EXECUTOR_OPTION,
    ray_address: str | None = RAY_ADDRESS_OPTION,
) -> None:
    """Analyse articles and store them (same article twice = one row; errors are recorded per article).

    Articles already stored from the same input are skipped before the NLP, so a rerun after a crash
    resumes where it stopped; --force analyses everything again. A copy of an article stored before or met
    earlier in the run (other site chrome, a new headline, truncated, lightly edited...) is stored as a
    duplicate of it, with its source and URL, and not analysed (`vigie show ID` lists an article's sources).
    At the end of the run, the analysed articles are placed in stories (a duplicate takes its original's), then
    the event records of every stored article are grouped into events across articles (each record's event id and how many articles and sources tell it are
    in `vigie show`, the export, the API and the web pages).
    """
    from vigie.steps.store_writer import StoreWriter, WriterSettings
    from vigie.steps.stories import limit_blas_threads

    _check_inputs(inputs)
    opts = _options(published, workers, article_timeout, max_memory, executor, ray_address)
    if stories:
        limit_blas_threads()  # before numpy is loaded; the workers inherit it too
    _event_classifier(event_classifier)
    settings = WriterSettings(force=force, dedup=dedup, dedup_window=dedup_window, stories=stories,
                              link_events=link_events)
    with _open_store(db) as store:
        writer = StoreWriter(store, settings, log=log_line)
        writer.prepare(opts)
        summary = _run(inputs, opts, "ingesting", writer.sink)
        summary.print(err)
        failed = False if summary.stopped_by else not writer.finish()
        err.print(f"database: {escape(db)} ({store.count_articles()} articles)")
    _exit_if_stopped(summary)
    if failed:
        raise typer.Exit(1)
    _exit_if_failed(summary)


def log_line(message: str, problem: bool = False) -> None:
    """One line of what a run did, on stderr (red when it says something failed)."""
    err.print(escape(message), style="red" if problem else None, soft_wrap=True)


def _open_existing(db: str):
    if "://" not in db and not Path(db).exists():
        err.print(f"[red]no database at {escape(db)}[/red] (run `vigie ingest` first)")
        raise typer.Exit(2)
    return _open_store(db)


def _open_store(db: str):
    """The store at `db` (created when it is a new SQLite file), or one line saying why not and exit code 2: a file
    that is no SQLite database, an unreachable or refusing PostgreSQL server, a bad URL."""
    import sqlite3

    from vigie.store import open_store

    try:
        return open_store(db)
    except sqlite3.DatabaseError as exc:
        _fail(f"{db} is not a vigie database ({exc}): give another --db")
    except ValueError as exc:
        _fail(f"bad --db {db}: {exc}")
    except Exception as exc:  # psycopg's OperationalError and the like: the server, not vigie
        if type(exc).__module__.startswith("psycopg"):
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _fail(f"cannot reach the database {_hide_password(db)}: {first}")
        raise


def _hide_password(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def _fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit: a user error, not a crash."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code)


def _check_port(host: str, port: int) -> None:
    import socket

    if not 0 < port < 65536:
        _fail(f"bad --port {port}: 1 to 65535")
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}): is another server there? try --port")


def _check_inputs(inputs: list[str]) -> None:
    """Every named input exists before anything runs (no half-made output for a typo)."""
    missing = [i for i in inputs if i != "-" and not Path(i).exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}")


STATS_TOP_PLACES = 5

LABEL_STYLES = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green", "MISC": "bold yellow"}


def highlight(text: str, entities: list[dict]) -> str:
    """Rich markup of `text` with entity mentions coloured; the article text itself is escaped."""
    parts, pos = [], 0
    for e in sorted(entities, key=lambda e: e["start"]):
        if e["start"] < pos:
            continue
        parts.append(escape(text[pos : e["start"]]))
        style = LABEL_STYLES.get(e["label"], "bold")
        parts.append(f"[{style}]{escape(text[e['start']:e['end']])}[/{style}]")
        pos = e["end"]
    parts.append(escape(text[pos:]))
    return "".join(parts)


@app.command()
def show(
    article_id: str = typer.Argument(..., metavar="ID", help="Article id or a unique prefix (6+ characters)."),
    db: str = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the stored record as JSON."),
) -> None:
    """Show a stored article with its entities highlighted, then its quotes, dates, quantities, measures, places and
    events."""
    from vigie.store import AmbiguousIdError

    with _open_existing(db) as store:
        try:
            art = store.get_article(article_id)
        except AmbiguousIdError as exc:
            err.print(f"[red]ambiguous id prefix[/red] {escape(article_id)}: {', '.join(exc.matches[:10])}")
            raise typer.Exit(2) from exc
    if art is None:
        err.print(f"[red]no article[/red] {escape(article_id)}")
        raise typer.Exit(1)
    if as_json:
        out.print_json(json.dumps(art, ensure_ascii=False, default=str))
        return
    head = Table(show_header=False, box=None)
    for k in ("id", "title", "published", "language", "source", "url", "origin", "duplicate_of"):
        if art.get(k):
            head.add_row(f"[bold]{k.replace('_', ' ')}[/bold]", escape(str(art[k])))
    out.print(head)
    if art.get("duplicate_of"):
        out.print(f"[dim]a copy of {escape(art['duplicate_of'])}: not analysed, its annotations are the original's[/dim]")
    out.print()
    out.print(highlight(art["text"], art["entities"]))
    out.print()
    t = Table(title="entities")
    for col in ("mention", "label", "canonical", "offsets"):
        t.add_column(col)
    for e in art["entities"]:
        t.add_row(escape(e["text"]), e["label"], escape(e["canonical"]), f"{e['start']}-{e['end']}")
    out.print(t)
    for table in _extraction_tables(art):
        out.print(table)
    if len(art.get("sources") or []) > 1:
        t = Table(title="sources (this article, then its duplicates)")
        for col in ("id", "source", "url", "published", "match"):
            t.add_column(col, overflow="fold")
        for src in art["sources"]:
            match = f"{src['method']} {src['similarity']:.2f}" if src.get("method") else ""
            t.add_row(src["id"], escape(src.get("source") or ""), escape(src.get("url") or ""),
                      src.get("published") or "", match)
        out.print(t)
    if art.get("removed_lines"):
        out.print(f"[dim]{len(art['removed_lines'])} boilerplate lines removed[/dim]")


def _bounds(q: dict) -> str:
    if q.get("value") is not None:
        value = f"{q['value']:g}"
    else:
        value = f"{q['low']:g}–{q['high']:g}" if q.get("low") is not None and q.get("high") is not None else "?"
    return ("≈" if q.get("approx") else "") + value


def _extraction_tables(art: dict) -> list[Table]:
    """Tables of the article's quotes, dates, quantities, measures, places and events (empty areas are left out)."""
    tables = []
    if art.get("quotes"):
        t = Table(title="quotes")
        for col in ("speaker", "cue", "kind", "quote"):
            t.add_column(col)
        for q in art["quotes"]:
            t.add_row(escape(q["speaker"] or "?"), escape(q["cue"] or ""), "direct" if q["direct"] else "indirect",
                      escape(q["text"]))
        tables.append(t)
    if art.get("dates"):
        t = Table(title="dates")
        for col in ("expression", "value", "granularity"):
            t.add_column(col)
        for d in art["dates"]:
            t.add_row(escape(d["text"]), escape(d["value"] or "?"), d["granularity"])
        tables.append(t)
    if art.get("quantities"):
        t = Table(title="quantities")
        for col in ("expression", "value", "unit", "role"):
            t.add_column(col)
        for q in art["quantities"]:
            t.add_row(escape(q["text"]), _bounds(q), escape(q["unit"] or ""), q["role"] or "")
        tables.append(t)
    if art.get("measures"):
        t = Table(title="measures")
        for col in ("expression", "value", "unit"):
            t.add_column(col)
        for m in art["measures"]:
            t.add_row(escape(m["text"]), _bounds(m), escape(m["unit"] or ""))
        tables.append(t)
    if art.get("places"):
        t = Table(title="places")
        for col in ("mention", "name", "country", "kind", "lat, lon"):
            t.add_column(col)
        for p in art["places"]:
            where = f"{p['lat']:.2f}, {p['lon']:.2f}" if p.get("lat") is not None and p.get("lon") is not None else ""
            name = escape(p["name"] or "?") + (" [bold](main)[/bold]" if p.get("main") else "")
            t.add_row(escape(p["text"]), name, p["country"] or "", p["kind"] or "", where)
        tables.append(t)
    if art.get("events"):
        t = Table(title="events", show_header=False, box=None, padding=(0, 1))
        t.add_column("event", overflow="fold")
        for e in art["events"]:
            kind = e["type"] + (f"/{e['mode']}" if e.get("mode") else "")
            if e.get("context"):
                kind += f" ({', '.join(e['context'])})"
            who = " → ".join(x for x in (e.get("source"), e.get("target")) if x)
            facts = [f"at {e['location']}" if e.get("location") else "",
                     (f"on {e['date']}" + (" (inferred)" if e.get("date_inferred") else "")) if e.get("date") else "",
                     ", ".join(f"{k} {e[k]:g}" for k in ("killed", "injured", "arrested", "size") if e.get(k) is not None),
                     f"told by {e['n_articles']} articles, {e['n_sources']} sources" if e.get("n_articles") else ""]
            line = f"[bold]{escape(kind)}[/bold] {escape(who)}  {escape('  '.join(f for f in facts if f))}"
            t.add_row(line.rstrip())
            t.add_row(f"  [dim]{escape(e.get('evidence') or '')}[/dim]")
        tables.append(t)
    return tables


def snippet_text(snippet: str) -> Text:
    """The store's snippet with its [match] markers shown in colour (the text itself is never markup)."""
    text = Text()
    for i, part in enumerate(re.split(r"\[([^\[\]]*)\]", snippet)):
        text.append(part, style="bold yellow" if i % 2 else "")
    return text


@app.command()
def search(
    query: str = typer.Argument(..., metavar="QUERY", help='Words (all must match, in any form: manifestation finds '
                                'manifestations; accents optional), "a phrase", a OR b, -word or NOT word, prefix*.'),
    db: str = DB_OPTION,
    kind: list[str] | None = typer.Option(None, "--kind", metavar="KIND", help="Only hits of this kind: article, "
                                          "quote, entity or event (repeatable)."),
    date_from: str | None = typer.Option(None, metavar="DATE", help="Only articles published on or after this day."),
    date_to: str | None = typer.Option(None, metavar="DATE", help="Only articles published on or before this day."),
    language: str | None = typer.Option(None, metavar="LANG", help="Only articles in this language (fr, en)."),
    source: str | None = typer.Option(None, metavar="SOURCE", help="Only articles of this source, as stored."),
    event_type: str | None = typer.Option(None, "--type", metavar="TYPE",
                                          help="Only events of this PLOVER type (PROTEST...)."),
    limit: int = typer.Option(20, metavar="N", help="Maximum number of results."),
    offset: int = typer.Option(0, metavar="N", help="Results to skip (the next page)."),
    timeout: float = typer.Option(30.0, metavar="SECONDS", help="Seconds the search may take before it is stopped."),
) -> None:
    """Search stored articles, quotes, entities and events (by stem; accents and case ignored)."""
    from vigie.store.search import SearchTimeoutError
    from vigie.store.search_all import KINDS

    kinds = [k.strip().lower() for value in kind or [] for k in value.split(",") if k.strip()]
    if unknown := [k for k in kinds if k not in KINDS]:
        _fail(f"unknown kind {', '.join(unknown)}: expected {', '.join(KINDS)}")
    with _open_existing(db) as store:
        try:
            found = store.search_all(
                query, kinds=kinds or None, date_from=date_from, date_to=date_to, language=language, source=source,
                type=event_type.upper() if event_type else None, limit=limit, offset=offset, timeout=timeout,
            )
        except SearchTimeoutError as exc:
            _fail(f"{exc} (--timeout sets the budget)", code=1)
    hits = found["items"]
    if not found["total"]:
        out.print("no match")
        return
    counts = ", ".join(f"{n} {k}" for k, n in found["by_kind"].items() if n)
    shown = f"{offset + 1}-{offset + len(hits)}" if hits else "none"
    t = Table(title=f"{found['total']} match(es) for {escape(query)} ({counts}); {shown} shown")
    for col in ("kind", "id", "published", "what", "snippet"):
        t.add_column(col, overflow="fold")
    for h in hits:
        if h["kind"] == "entity":
            what = f"{h['canonical']} ({h['n_articles']} article(s))"
        elif h["kind"] == "quote":
            what = f"{h.get('speaker') or 'unknown speaker'}, quote {h['idx']} of: {h.get('title') or ''}"
        elif h["kind"] == "event":
            what = f"{h['type']} {h.get('mode') or ''}, event {h['idx']} of: {h.get('title') or ''}"
        else:
            what = h.get("title") or ""
        t.add_row(h["kind"], h["id"], h.get("published") or "", escape(what), snippet_text(h.get("snippet") or ""))
    out.print(t)


@app.command()
def stats(db: str = DB_OPTION, as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Counts: articles, languages, entities, quotes, events, stories, places, top entities, errors."""
    with _open_existing(db) as store:
        s = store.stats()
        errors = store.list_errors(limit=MAX_ERRORS_SHOWN)
        s["crossdoc_events"] = store.count_crossdoc_events()
        s["stories"] = store.count_stories()
        types: Counter[str] = Counter()
        for bucket in store.event_timeline():
            types[bucket["type"]] += int(bucket["n"])
        s["event_types"] = dict(types.most_common())
        s["top_places"] = [{"name": p["name"], "country": p.get("country"), "articles": p["n_articles"]}
                           for p in store.list_places(limit=STATS_TOP_PLACES)]
    if as_json:
        s["recent_errors"] = errors
        out.print_json(json.dumps(s, ensure_ascii=False, default=str))
        return
    t = Table(title=f"{escape(str(s['db_path']))}", show_header=False)
    t.add_row("articles", str(s["articles"]))
    if s.get("duplicates"):
        t.add_row("  duplicates", f"{s['duplicates']} (copies of another article, not analysed)")
    t.add_row("languages", ", ".join(f"{k} {v}" for k, v in s["by_language"].items()) or "-")
    t.add_row("entity mentions", ", ".join(f"{k} {v}" for k, v in s["entity_mentions"].items()) or "-")
    t.add_row("removed lines", str(s.get("removed_lines", 0)))
    t.add_row("quotes / dates / quantities", f"{s['quotes']} / {s['dates']} / {s['quantities']}")
    t.add_row("events", f"{s['events']} records in articles, {s['crossdoc_events']} real-world events across "
              f"articles; {s['stories']} stories")
    if s["event_types"]:
        t.add_row("event types", ", ".join(f"{k} {v}" for k, v in list(s["event_types"].items())[:8]))
    t.add_row("places", f"{s['places']} mentions" + (": " + escape(", ".join(
        f"{p['name']} ({p['articles']})" for p in s["top_places"])) if s["top_places"] else ""))
    if s["top_speakers"]:
        t.add_row("top speakers", escape(", ".join(f"{x['speaker']} ({x['quotes']})" for x in s["top_speakers"])))
    t.add_row("errors", ", ".join(f"{k} {v}" for k, v in s["errors"].items()) or "0")
    t.add_row("size", f"{s['db_size_bytes'] / 1e6:.1f} MB")
    out.print(t)
    for label, rows in s["top_entities"].items():
        if rows:
            tt = Table(title=f"top {label}")
            tt.add_column("entity")
            tt.add_column("articles", justify="right")
            tt.add_column("mentions", justify="right")
            for r in rows:
                tt.add_row(escape(r["canonical"]), str(r["articles"]), str(r["mentions"]))
            out.print(tt)
    if errors:
        et = Table(title="recent errors")
        for col in ("input", "stage", "reason", "count"):
            et.add_column(col)
        for e in errors:
            et.add_row(escape(e["origin"]), e["stage"], escape(e["reason"]), str(e.get("count", 1)))
        out.print(et)


@app.command()
def serve(
    db: str = typer.Option(DEFAULT_DB, "--db", envvar="VIGIE_DB", metavar="DB", help="SQLite file, sqlite:/// or postgresql:// URL."),
    host: str = typer.Option("127.0.0.1", metavar="HOST", help="Address to listen on (0.0.0.0 exposes the server to the network)."),
    port: int = typer.Option(8000, metavar="PORT", help="Port to listen on."),
) -> None:
    """Serve the web UI and the JSON API over a store (read-only unless VIGIE_TOKEN is set)."""
    import uvicorn

    from vigie.api.app import TOKEN_ENV, resolve_token
    from vigie.api.server import server_options
    from vigie.app import create_app

    with _open_existing(db):  # exits with a clear message when there is no database yet
        pass
    _check_port(host, port)
    try:
        application = create_app(db, warm_nlp=True)
    except Exception as exc:  # a bad URL or an unreachable server: say so instead of a traceback
        err.print(f"[red]cannot open the store[/red]: {escape(str(exc))}")
        raise typer.Exit(2) from exc
    mode = "writes enabled (bearer token)" if resolve_token(None) else f"read-only (set {TOKEN_ENV} to accept writes)"
    err.print(f"vigie serving {escape(db)} on http://{host}:{port}/ — {mode}")
    uvicorn.run(application, **server_options(host=host, port=port, log_level="info"))


@app.command()
def cluster(
    db: str = typer.Option(DEFAULT_DB, "--db", envvar="VIGIE_DB", metavar="DB", help="SQLite file, sqlite:/// or postgresql:// URL."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Place every stored article again, from scratch (the "
                                 "partition ingestion gave, or the shipped model's after a model change)."),
) -> None:
    """Place stored articles in stories: those not placed yet (stored with --no-stories, by an interrupted run or
    before schema 6), or all of them with --rebuild. Duplicates take their original's story. Then group the stored
    event records into events across articles (always replayed from the records: the result of a rebuild)."""
    from vigie.steps import stories
    from vigie.steps.store_writer import link_and_log

    stories.limit_blas_threads()
    with _open_existing(db) as store:
        changed = stories.rebuild(store) if rebuild else stories.place_unplaced(store)
        n = len(set(changed.values()))
        err.print(f"stories: {len(changed)} story ids written ({n} stories among them)")
        linked = link_and_log(store, log_line)
    if not linked:
        raise typer.Exit(1)


@app.command()
def export(
    fmt: str = typer.Option(..., "--format", "-f", metavar="FORMAT", help="jsonl | csv | mentions | crossdoc | parquet | polecat | gkg."),
    output: str = typer.Option(..., "--output", "-o", metavar="PATH", help="Output file ('-' for stdout); a folder for parquet."),
    db: str = typer.Option(DEFAULT_DB, "--db", envvar="VIGIE_DB", metavar="DB", help="SQLite file, sqlite:/// or postgresql:// URL."),
) -> None:
    """Export the store: analysis records (jsonl), events (csv, POLECAT-style TSV), events across articles (crossdoc
    CSV) and their mentions (mentions CSV), GKG-like TSV, Parquet tables."""
    from vigie.export import FORMATS
    from vigie.export import export as run_export

    fmt = fmt.lower()
    if fmt not in FORMATS:
        err.print(f"[red]unknown format {escape(fmt)}[/red]: choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if fmt == "parquet" and output == "-":
        err.print("[red]parquet writes a folder of files[/red]: give a folder with -o")
        raise typer.Exit(2)
    with _open_existing(db) as store:
        try:
            counted = run_export(store, fmt, output)
        except ImportError as exc:  # parquet without DuckDB
            err.print(f"[red]{escape(str(exc))}[/red]: pip install 'vigie[parquet]'")
            raise typer.Exit(2) from exc
    what = ", ".join(f"{k} {v}" for k, v in counted.items()) if isinstance(counted, dict) else str(counted)
    unit = {"jsonl": "articles", "gkg": "articles", "parquet": "rows", "mentions": "mentions"}.get(fmt, "events")
    err.print(f"exported {what} {unit} as {fmt} to {escape(output)}")


if __name__ == "__main__":
    app()


app.command("watch")(watch_command)
app.add_typer(alerts_app, name="alerts")

gazetteer_app = typer.Typer(rich_markup_mode="markdown", help="The offline gazetteer index used to resolve places (built on first use).")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    path: Path | None = typer.Option(None, metavar="PATH", help="Where to write the index (default: the cache directory)."),
) -> None:
    """Build the gazetteer index now (GeoNames cities, countries, regions), instead of on first use."""
    import time

    from vigie.places import build_index

    t0 = time.perf_counter()
    target = build_index(path)
    err.print(f"gazetteer index: {target} ({target.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.1f} s)")


@gazetteer_app.command("path")
def gazetteer_path() -> None:
    """Print where the gazetteer index lives (set VIGIE_CACHE to move it)."""
    from vigie.places import index_path

    print(index_path())
