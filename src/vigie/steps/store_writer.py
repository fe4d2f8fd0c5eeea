"""The end of every ingest chain: store each analysed item, then place the run's articles in stories and group
event records across articles. `vigie ingest` and `vigie watch` (after each poll) share it.

    writer = StoreWriter(store, WriterSettings(), log=lambda message, problem: print(message))
    writer.prepare(options)                 # skip stored inputs, deduplicate against the store
    for item in analyze(inputs, options):
        outcome = writer.sink(item)         # "new", "updated", "unchanged", "skipped", "error" or an ArticleError
    ok = writer.finish()                    # stories and events across articles; False when one of them failed

One writer: the NLP may run in worker processes or on a Ray cluster, but only the process that holds the writer
writes the database.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from vigie.records import Article, ArticleError, Skipped


@dataclass(slots=True)
class WriterSettings:
    force: bool = False  # analyse again inputs already stored
    dedup: bool = True
    dedup_window: int | None = None  # days; None: DedupConfig's
    stories: bool = True
    link_events: bool = True


class StoreWriter:
    """Stores a run's items one transaction each; `finish` runs the steps that need the whole run."""

    def __init__(self, store: Any, settings: WriterSettings | None = None,
                 log: Callable[[str, bool], None] | None = None) -> None:
        self.store = store
        self.settings = settings or WriterSettings()
        self.log = log or (lambda message, problem: None)  # (message, whether it reports a failure)
        self.batch: Any = None  # vigie.steps.stories.StoryBatch of the run's analysed originals

    def prepare(self, options: Any) -> None:
        """Set a run's options (`vigie.pipeline.RunOptions`) to skip stored inputs and find copies of stored
        articles."""
        if not self.settings.force:
            from vigie.steps.resume import stored_in

            options.is_stored = stored_in(self.store)
        if self.settings.dedup:
            from vigie.dedup import DedupConfig, DedupIndex

            config = DedupConfig()
            if self.settings.dedup_window is not None:
                config = replace(config, window_days=self.settings.dedup_window)
            options.dedup = DedupIndex(config, source=self.store)

    def sink(self, item: Article | ArticleError | Skipped) -> str | ArticleError:
        """Store one item: its status, or the ArticleError recorded when it could not be stored."""
        if isinstance(item, ArticleError):
            self.store.record_error(item)
            return "error"
        if isinstance(item, Skipped):
            return "skipped"
        try:
            status = self.store.upsert_article(item)
        except Exception as exc:  # the article's transaction was rolled back; nothing stored is lost
            error = ArticleError(item.origin, "store", f"could not store: {exc}", item.id)
            self.store.record_error(error)
            return error
        if self.settings.stories and item.duplicate is None:
            if self.batch is None:
                from vigie.steps.stories import StoryBatch

                self.batch = StoryBatch()
            self.batch.add(item)
        return str(status)

    def finish(self) -> bool:
        """Place the run's articles in stories, then group the stored event records across articles. Each step's
        failure is logged (the articles stay stored; `vigie cluster` does both later) and makes this False."""
        ok = True
        if self.settings.stories:
            from vigie.steps.stories import place_run

            t0 = time.perf_counter()
            try:
                changed = place_run(self.store, self.batch)
            except Exception as exc:
                self.log(f"stories: not placed ({exc}); run `vigie cluster`", True)
                ok = False
            else:
                self.log(f"stories: {len(changed)} story ids written ({time.perf_counter() - t0:.1f} s)", False)
            self.batch = None
        if self.settings.link_events and ok:
            ok = link_and_log(self.store, self.log)
        return ok


def link_and_log(store: Any, log: Callable[[str, bool], None]) -> bool:
    """Group the stored event records into events across articles; False (and a message) when it failed."""
    from vigie.steps.crossdoc import link_events

    t0 = time.perf_counter()
    try:
        result = link_events(store)
    except Exception as exc:
        log(f"events: not linked ({exc}); run `vigie cluster`", True)
        return False
    log(f"events: {result.n_events} events across articles from {result.n_mentions} records "
        f"({result.changed} written, {result.removed} removed; {time.perf_counter() - t0:.1f} s)", False)
    return True
