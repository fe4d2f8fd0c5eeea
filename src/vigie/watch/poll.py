"""One poll of `vigie watch`: every source's document (conditional GET), its new article URLs, their pages, and the
articles through the steps and the store of `vigie ingest`.

    poller = Poller(store, fetcher=Fetcher(HttpSettings()), log=print_line)
    report = poller.poll(["https://exemple.fr/rss.xml", "https://exemple.fr/sitemap_news.xml"])

For each source, in order: the document is fetched with the validators of its last answer (a 304 ends there); a feed
gives its entries, a sitemap its URLs (a sitemap index its child sitemaps, followed newest first, at most
`max_child_sitemaps`, `max_sitemap_depth` levels deep, never twice); the URLs never listed before are recorded as
pending (`vigie.watch.state`), then the validators; then at most `max_items` pending URLs are fetched (`fetchers` at
once, one at a time per host) and their pages become articles (`vigie.watch.pages`). All the poll's articles go
through one `vigie.pipeline.analyze_articles` stream and `vigie.steps.store_writer.StoreWriter` (skip stored inputs,
deduplicate, NLP, store), each item's state being recorded once its article is stored; `finish()` (stories, events
across articles) ends a poll that stored something. One log line per source when its last item is stored, and a
summary line per poll.
"""
from __future__ import annotations

import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from vigie.records import Article, ArticleError, Skipped
from vigie.watch.feeds import FeedError, parse_feed
from vigie.watch.http import DOCUMENT_ACCEPT, Fetcher, FetchResult
from vigie.watch.pages import html_reason, page_article
from vigie.watch.sitemaps import INDEX, URLSET, SitemapError, newest_first, parse_sitemap
from vigie.watch.sources import FEED, SITEMAP, gunzip, sniff_kind
from vigie.watch.state import FAILED, MAX_ATTEMPTS, PENDING, SKIPPED, STORED, Candidate, WatchState
from vigie.watch.urls import normalize_url

Log = Callable[[str, bool], None]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as an exception so that a poll stops the way Ctrl-C stops it."""


@dataclass(slots=True)
class WatchSettings:
    max_items: int = 100  # article pages fetched per source per poll (the others wait for the next polls)
    max_attempts: int = MAX_ATTEMPTS  # tries of a page that fails for a while, over polls
    fetchers: int = 4  # pages downloaded at once (one at a time per host whatever this says)
    max_document_bytes: int = 50_000_000  # a feed or sitemap, once inflated (the sitemaps.org limit)
    max_sitemap_depth: int = 3  # sitemap index -> sitemap index -> ... levels followed
    max_child_sitemaps: int = 50  # child sitemaps read per source per poll (newest first)
    max_listed: int = 5_000  # article URLs read from one source per poll (newest first)


@dataclass(slots=True)
class SourceReport:
    """What one poll did with one source: the source's log line."""

    url: str
    kind: str | None = None  # feed | sitemap | sitemapindex
    name: str | None = None  # the feed's title
    status: str = "unchanged"  # new | unchanged | failed
    error: str | None = None
    not_modified: bool = False
    new: int = 0  # URLs listed for the first time
    known: int = 0  # URLs listed before
    due: int = 0  # pending URLs fetched on this poll
    left: int = 0  # pending URLs left for the next polls
    outcomes: Counter[str] = field(default_factory=Counter)  # stored | skipped | failed | pending (to retry)
    child_errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outstanding: int = 0  # articles handed to the pipeline, not stored yet
    listed: bool = False  # every item of the source handed over
    logged: bool = False

    @property
    def via(self) -> str:
        return "feed" if self.kind == FEED else "sitemap"

    def fail(self, reason: str) -> None:
        self.status = "failed"
        self.error = reason

    def line(self) -> tuple[str, bool]:
        """(the log line, whether it reports a failure)."""
        done = ", ".join(f"{n} {what}" for what, n in (
            ("stored", self.outcomes[STORED]), ("skipped", self.outcomes[SKIPPED]), ("failed", self.outcomes[FAILED]),
            ("to retry", self.outcomes[PENDING])) if n)
        if self.status == "failed":
            parts = [f"failed: {self.error}"]
        elif self.not_modified:
            parts = ["unchanged (not modified)"]
        elif self.new:
            parts = [f"{self.new} new, {self.known} seen before"]
        else:
            parts = [f"unchanged ({self.known} seen before)" if self.known else "unchanged (nothing listed)"]
        if self.due:
            parts.append(f"{self.due} page{'s' if self.due > 1 else ''} fetched" + (f": {done}" if done else ""))
        if self.left:
            parts.append(f"{self.left} left for the next polls")
        if self.child_errors:
            n = len(self.child_errors)
            parts.append(f"{n} child sitemap{'s' if n > 1 else ''} failed ({self.child_errors[0]}"
                         + (", ..." if n > 1 else "") + ")")
        parts += self.notes
        problem = self.status == "failed" or bool(self.child_errors) or bool(self.outcomes[FAILED])
        return f"{self.url}: " + "; ".join(parts), problem


@dataclass(slots=True)
class PollReport:
    number: int
    sources: list[SourceReport]
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0
    articles: Counter[str] = field(default_factory=Counter)  # new | updated | unchanged | already stored
    duplicates: int = 0
    stopped_by: str | None = None  # "interrupted" | "terminated"
    finished: bool | None = None  # what StoreWriter.finish() said; None when it did not run

    @property
    def all_failed(self) -> bool:
        return bool(self.sources) and all(s.status == "failed" for s in self.sources)

    @property
    def stored_something(self) -> bool:
        return bool(self.articles["new"] or self.articles["updated"])

    def line(self) -> tuple[str, bool]:
        states = Counter(s.status for s in self.sources)
        sources = ", ".join(f"{states[k]} {k}" for k in ("new", "unchanged", "failed") if states[k])
        outcomes: Counter[str] = Counter()
        for s in self.sources:
            outcomes.update(s.outcomes)
        fetched = sum(s.due for s in self.sources)
        stored = ", ".join(f"{n} {k}" for k, n in sorted(self.articles.items()) if n)
        text = (f"poll {self.number}: {len(self.sources)} source{'s' if len(self.sources) != 1 else ''} ({sources}); "
                f"{fetched} page{'s' if fetched != 1 else ''} fetched; articles: {stored or 'none'}")
        if self.duplicates:
            text += f" ({self.duplicates} copies of earlier articles)"
        extra = ", ".join(f"{outcomes[k]} {what}" for k, what in (
            (SKIPPED, "skipped"), (FAILED, "failed"), (PENDING, "to retry")) if outcomes[k])
        if extra:
            text += f"; pages {extra}"
        text += f" ({self.seconds:.1f} s)"
        if self.stopped_by:
            text += f"; {self.stopped_by}: stopped early"
        if self.finished is False:
            text += "; stories or events not updated (run `vigie cluster`)"
        return text, self.all_failed or self.stopped_by is not None or self.finished is False


@dataclass(slots=True)
class _Budget:
    urls: int
    children: int


class Poller:
    """Polls the sources into a store; one instance for the life of a `vigie watch` (its state is in the store)."""

    def __init__(
        self,
        store: Any,
        *,
        fetcher: Fetcher,
        settings: WatchSettings | None = None,
        options: Callable[[], Any] | None = None,
        writer_settings: Any = None,
        log: Log | None = None,
    ) -> None:
        from vigie.steps.store_writer import StoreWriter

        self.store = store
        self.fetcher = fetcher
        self.settings = settings or WatchSettings()
        self.state = WatchState(store, self.settings.max_attempts)
        self.log: Log = log or (lambda message, problem: None)
        self.options = options or _default_options
        self.writer = StoreWriter(store, writer_settings, log=self.log)
        self.polls = 0

    # ------------------------------------------------------------------ a poll

    def poll(self, sources: list[str]) -> PollReport:
        """Poll every source once. Ctrl-C and SIGTERM (`Terminated`) end the poll early without raising: what was
        stored stays stored and recorded, the rest is fetched again by the next poll; `stopped_by` says so."""
        from vigie.pipeline import analyze_articles

        self.polls += 1
        report = PollReport(self.polls, [SourceReport(url) for url in sources])
        queue: deque[tuple[Candidate, SourceReport]] = deque()
        self.fetcher.new_poll()
        feed = self._feed(report, queue)
        stream: Any = None
        try:
            options = self.options()
            self.writer.prepare(options)
            stream = analyze_articles(feed, options)
            for item in stream:
                candidate, source = queue.popleft()
                self._settle(candidate, source, item, report)
                source.outstanding -= 1
                self._log_done(source)
        except KeyboardInterrupt as exc:
            report.stopped_by = "terminated" if isinstance(exc, Terminated) else "interrupted"
            self.fetcher.stop()
        finally:
            if stream is not None:
                stream.close()  # stops the NLP worker processes now, whatever ended the loop
            feed.close()
        if report.stopped_by is None and self._needs_finish(report):
            try:
                report.finished = self.writer.finish()
            except KeyboardInterrupt as exc:
                report.stopped_by = "terminated" if isinstance(exc, Terminated) else "interrupted"
        report.seconds = time.monotonic() - report.started
        for source in report.sources:
            if not source.logged and (source.listed or source.status == "failed"):
                source.outstanding = 0
                self._log_done(source)
        message, problem = report.line()
        self.log(message, problem)
        return report

    def _needs_finish(self, report: PollReport) -> bool:
        """Stories and events across articles change when articles were stored; the first poll of a process also
        places the articles that a killed earlier run left without a story."""
        if report.stored_something:
            return True
        return self.polls == 1 and self.writer.settings.stories and bool(self.store.unplaced_story_ids(limit=1))

    def _log_done(self, source: SourceReport) -> None:
        if source.logged or not source.listed or source.outstanding > 0:
            return
        source.logged = True
        message, problem = source.line()
        self.log(message, problem)

    def _feed(self, report: PollReport, queue: deque[tuple[Candidate, SourceReport]]) -> Generator[Any, None, None]:
        """The poll's pages as articles (or read errors), source after source, for the pipeline; what is not an
        article page is recorded here."""
        for source in report.sources:
            if self.fetcher.stop_event.is_set():
                return
            try:
                self._list(source)
            except Exception as exc:  # noqa: BLE001 - one source's trouble never stops the others
                source.fail(f"unexpected error ({type(exc).__name__}: {exc})")
            if self.fetcher.stop_event.is_set():
                return
            if source.status == "failed":  # its pending pages wait: their host is likely down too
                source.listed = True
                self._log_done(source)
                continue
            due = self.state.due(source.url, self.settings.max_items)
            source.due = len(due)
            source.left = self.store.watch_counts(source.url).get(PENDING, 0) - len(due)
            fetches = self._fetch_all(due)
            try:
                for candidate, result in fetches:
                    item = self._read_page(candidate, result, source)
                    if item is None:
                        continue
                    source.outstanding += 1
                    queue.append((candidate, source))
                    yield item
            finally:
                fetches.close()
            source.listed = True
            self._log_done(source)

    # ------------------------------------------------------------------ documents

    def _list(self, source: SourceReport) -> None:
        """Fetch the source's document (and child sitemaps) and record its new URLs as pending."""
        s = self.settings
        etag, modified, kind = self.state.validators(source.url)
        source.kind = kind
        result = self.fetcher.fetch(source.url, etag=etag, last_modified=modified, max_bytes=s.max_document_bytes,
                                    accept=DOCUMENT_ACCEPT)
        if result.error == "stopped":
            return
        if result.not_modified:
            source.not_modified = True
            self.state.save_document(source.url, "unchanged")
            return
        if not result.ok:
            source.fail(_fetch_reason(result))
            self.state.save_document(source.url, f"failed: {source.error}")
            return
        complete = True
        try:
            data = gunzip(result.content, s.max_document_bytes)
            found = sniff_kind(data)
            if found == FEED:
                source.kind = FEED
                source.name, entries = parse_feed(data, result.final_url)
                taken = entries[: s.max_listed]
                complete = len(taken) == len(entries)
                source.new, source.known = self.state.enqueue(source.url, taken)
            elif found == SITEMAP:
                budget = _Budget(s.max_listed, s.max_child_sitemaps)
                visited = {_key(source.url), _key(result.final_url)}
                kind, complete = self._sitemap(source, result.final_url, data, 0, visited, budget)
                source.kind = SITEMAP if kind == URLSET else INDEX
            else:
                raise ValueError(f"not an RSS/Atom feed nor a sitemap ({result.content_type or 'no content type'})")
        except (ValueError, FeedError, SitemapError) as exc:
            source.fail(str(exc))
            self.state.save_document(source.url, f"failed: {source.error}")
            return
        source.status = "new" if source.new else "unchanged"
        validators = (result.etag, result.last_modified) if complete else None
        self.state.save_document(source.url, source.status, kind=source.kind, validators=validators)

    def _sitemap(self, source: SourceReport, url: str, data: bytes, depth: int, visited: set[str],
                 budget: _Budget) -> tuple[str, bool]:
        """Read a sitemap document: enqueue a urlset's URLs, follow an index's children. (its kind, whether every
        URL it leads to was read)."""
        s = self.settings
        sitemap = parse_sitemap(data, url, s.max_document_bytes)
        entries = newest_first(sitemap.entries)
        if sitemap.kind == URLSET:
            taken = entries[: max(budget.urls, 0)]
            budget.urls -= len(taken)
            new, known = self.state.enqueue(source.url, taken)
            source.new += new
            source.known += known
            if len(taken) < len(entries):
                source.notes.append(f"{len(entries) - len(taken)} URLs of {url} past the limit of {s.max_listed} "
                                    "a poll: read by the next one")
            return URLSET, len(taken) == len(entries)
        if depth >= s.max_sitemap_depth:
            source.notes.append(f"sitemap index {url} is nested more than {s.max_sitemap_depth} deep: not followed")
            return INDEX, True
        complete = True
        for child in entries:
            try:
                key = normalize_url(child.url)
            except ValueError:
                continue
            if key in visited:  # a loop, or a sitemap listed twice
                continue
            if budget.children <= 0 or budget.urls <= 0:
                source.notes.append(f"child sitemaps past {s.max_child_sitemaps} or {s.max_listed} URLs not read")
                complete = False
                break
            visited.add(key)
            budget.children -= 1
            if self.fetcher.stop_event.is_set():
                return INDEX, False
            etag, modified, _ = self.state.validators(key)
            result = self.fetcher.fetch(key, etag=etag, last_modified=modified, max_bytes=s.max_document_bytes,
                                        accept=DOCUMENT_ACCEPT)
            if result.error == "stopped":
                return INDEX, False
            if result.not_modified:
                self.state.save_document(key, "unchanged", parent=url)
                continue
            if not result.ok:
                reason = _fetch_reason(result)
                source.child_errors.append(f"{key}: {reason}")
                self.state.save_document(key, f"failed: {reason}", parent=url)
                continue
            before = source.new
            try:
                kind, child_complete = self._sitemap(source, result.final_url, result.content, depth + 1, visited,
                                                     budget)
            except SitemapError as exc:
                source.child_errors.append(f"{key}: {exc}")
                self.state.save_document(key, f"failed: {exc}", parent=url)
                continue
            validators = (result.etag, result.last_modified) if child_complete else None
            self.state.save_document(key, "new" if source.new > before else "unchanged", parent=url,
                                     kind=INDEX if kind == INDEX else SITEMAP, validators=validators)
        return INDEX, complete

    # ------------------------------------------------------------------ pages

    def _fetch_all(self, due: list[Candidate]) -> Generator[tuple[Candidate, FetchResult], None, None]:
        """Fetch the pages, `fetchers` at once, and give them back in order."""
        def fetch(candidate: Candidate) -> FetchResult:
            return self.fetcher.fetch(candidate.url)

        if not due:
            return
        workers = max(1, min(self.settings.fetchers, len(due)))
        if workers == 1:
            for candidate in due:
                yield candidate, fetch(candidate)
            return
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vigie-watch-fetch")
        window: deque[tuple[Candidate, Future[FetchResult]]] = deque()
        rest = iter(due)
        try:
            for candidate in itertools.islice(rest, 2 * workers):
                window.append((candidate, pool.submit(fetch, candidate)))
            while window:
                candidate, future = window.popleft()
                result = future.result()
                following = next(rest, None)
                if following is not None:
                    window.append((following, pool.submit(fetch, following)))
                yield candidate, result
        except KeyboardInterrupt:
            self.fetcher.stop()  # the downloads under way end now rather than at their timeout
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _read_page(self, candidate: Candidate, result: FetchResult, source: SourceReport) -> Any:
        """The article (or read error) of a fetched page; None when there is none (the item's state recorded)."""
        if result.error == "stopped":
            return None
        if not result.ok:
            reason = _fetch_reason(result) if result.error else f"HTTP {result.status}"
            if result.refused:
                self.state.record(candidate, SKIPPED, reason=reason)
                source.outcomes[SKIPPED] += 1
            else:
                status = self.state.record_failure(candidate, reason, result.transient)
                source.outcomes[status] += 1
            return None
        why = html_reason(result.content_type, result.content)
        if why is not None:
            self.state.record(candidate, SKIPPED, reason=why)
            source.outcomes[SKIPPED] += 1
            return None
        return page_article(result.content, url=result.final_url, listed_by=source.url, via=source.via,
                            title=candidate.title, published=candidate.published)

    def _settle(self, candidate: Candidate, source: SourceReport, item: Any, report: PollReport) -> None:
        """Store what the pipeline gave for a page, then record the item's state."""
        outcome = self.writer.sink(item)
        if isinstance(item, Skipped):  # the same input is stored (from another URL, an earlier run...)
            if self.store.resolve_id(item.id) == item.id:
                self.state.record(candidate, STORED, article_id=item.id)
                source.outcomes[STORED] += 1
                report.articles["already stored"] += 1
            else:  # repeated in this poll, and the first one could not be stored
                source.outcomes[self.state.record_failure(candidate, "its first copy was not stored", True)] += 1
        elif isinstance(item, ArticleError):
            self.state.record(candidate, FAILED, reason=f"{item.stage}: {item.reason}")
            source.outcomes[FAILED] += 1
        elif isinstance(outcome, ArticleError):  # the store refused it (its transaction was rolled back)
            source.outcomes[self.state.record_failure(candidate, f"store: {outcome.reason}", True)] += 1
        elif isinstance(item, Article):
            self.state.record(candidate, STORED, article_id=item.id)
            source.outcomes[STORED] += 1
            report.articles[str(outcome)] += 1
            if item.duplicate is not None:
                report.duplicates += 1


def _key(url: str) -> str:
    try:
        return normalize_url(url)
    except ValueError:
        return url


def _fetch_reason(result: FetchResult) -> str:
    reason = result.error or f"HTTP {result.status}"
    return reason + (f" ({result.tries} tries)" if result.tries > 1 else "")


def _default_options() -> Any:
    from vigie.pipeline import RunOptions

    return RunOptions()
