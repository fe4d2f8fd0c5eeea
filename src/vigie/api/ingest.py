"""Writes over HTTP: analyse posted articles with the same steps as `vigie ingest`, then store them."""
from __future__ import annotations

import threading
from collections.abc import Iterator

from vigie.analysis.load import load_english, load_french
from vigie.api.schemas import ArticleIn, IngestResult
from vigie.dedup import DedupIndex
from vigie.ingest.ids import content_id
from vigie.ingest.jsonl import parse_record
from vigie.pipeline import RunOptions, analyze_articles
from vigie.records import Article, ArticleError, Skipped
from vigie.store.base import Store

#: One analysis at a time: spaCy pipelines are not documented as safe to call from several threads at once,
#: and two NLP runs in parallel on two cores would only slow the page views served meanwhile.
_NLP_LOCK = threading.Lock()


def _read(items: list[ArticleIn]) -> Iterator[Article | ArticleError]:
    for item in items:
        record = item.model_dump(exclude_none=True)
        # The origin names the article (not the request), so posting it again clears its earlier errors,
        # as re-ingesting the same file does on the command line.
        origin = "api:" + (item.id or item.url or content_id(item.text))
        parsed = parse_record(record, origin=origin, meta={}, default_published=None)
        if isinstance(parsed, Article):
            parsed.meta["format"] = "api"
        yield parsed


def warm_up() -> None:
    """Load the NLP pipelines now (about 3 s for the French model) rather than on the first write."""
    with _NLP_LOCK:
        load_french()
        load_english()


def analyze_items(items: list[ArticleIn], store: Store | None = None) -> list[Article | ArticleError]:
    """read -> clean -> language -> dedup -> NLP (`vigie.pipeline.analyze_articles`, as `vigie ingest` runs), in
    this process; with a `store`, copies of its articles (or of an earlier item) are marked and not analysed.

    Every step yields exactly one item per input, in order, so results line up with `items`.
    """
    options = RunOptions(workers=1)
    if store is not None:
        options.dedup = DedupIndex(source=store)
    with _NLP_LOCK:
        # no store to skip against (`is_stored` unset): nothing comes out as Skipped
        out = [o for o in analyze_articles(_read(items), options) if not isinstance(o, Skipped)]
    if len(out) != len(items):  # a step broke its one-in-one-out contract: better to fail loudly
        raise RuntimeError(f"analysis returned {len(out)} items for {len(items)} inputs")
    return out


def ingest_items(store: Store, items: list[ArticleIn]) -> list[IngestResult]:
    """Analyse and store `items`; per-article failures are recorded in the store and reported, never raised."""
    results = []
    for i, item in enumerate(analyze_items(items, store)):
        if isinstance(item, ArticleError):
            store.record_error(item)
            results.append(
                IngestResult(index=i, id=item.article_id, status="error", stage=item.stage, reason=item.reason)
            )
            continue
        try:
            status = store.upsert_article(item)
        except Exception as exc:  # this article's transaction was rolled back; the others go on
            error = ArticleError(item.origin, "store", f"could not store: {exc}", item.id)
            store.record_error(error)
            results.append(IngestResult(index=i, id=item.id, status="error", stage="store", reason=error.reason))
            continue
        duplicate_of = item.duplicate.of if item.duplicate is not None else None
        results.append(
            IngestResult(index=i, id=item.id, status=status, language=item.language, duplicate_of=duplicate_of)
        )
    return results
