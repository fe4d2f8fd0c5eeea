"""JSONL export: one analysis record per line, in the contract of ../shared/eval/CONTRACT.md (`vigie.contract`),
plus the fields only a store can know.

Article: ``duplicate_of`` (the original's id when the article is a copy of another one, `vigie.dedup`; a copy is
not analysed, so its annotation lists are empty), ``sources`` (the article's own id, source, url and published, then
its duplicates'), ``story_id`` (its story, `vigie.stories`: the id of the story's first article; a copy's is its
original's; null when not placed), ``ingested_at``, ``origin``.
Event: ``event_id`` (the cross-document event the record belongs to: one real-world event across articles,
`vigie.steps.crossdoc`, the same id in every article telling it), ``n_articles`` (copies included), ``n_sources`` (a
duplicate group, and the articles of one publisher, count once), ``first_seen``, ``last_seen`` (earliest and latest
publication date of its articles); all null before the store's events are linked (at the end of `vigie ingest`, or
by `vigie cluster`). A copy has no event records of its own: its mentions are its original's (``vigie export -f
mentions``).
The record is built by `vigie.contract.to_record`, the same function `vigie analyze` uses: each event holds the
fields of `vigie.records.Event`, then these five (read from the stored article, never other keys it may carry).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vigie.contract import to_record
from vigie.export.common import open_output
from vigie.store.base import Store
from vigie.store.common import to_article

#: Store-only fields (story_id: null for an article not placed in a story, see `vigie cluster`).
ARTICLE_STORE_FIELDS = ("duplicate_of", "story_id")
EVENT_STORE_FIELDS = ("event_id", "n_articles", "n_sources", "first_seen", "last_seen")


def record(article: dict[str, Any]) -> dict[str, Any]:
    """The contract record of a stored article, with the store-only fields."""
    rec = to_record(to_article(article))
    for key in ARTICLE_STORE_FIELDS:
        rec[key] = article.get(key)
    rec["sources"] = [
        {k: src.get(k) for k in ("id", "source", "url", "published")} for src in article.get("sources") or []
    ]
    rec["ingested_at"] = article.get("ingested_at")
    rec["origin"] = article.get("origin")
    # to_record builds the events from the same stored list, in order: the i-th record is the i-th stored event
    for event, stored in zip(rec["events"], article.get("events") or [], strict=True):
        for key in EVENT_STORE_FIELDS:
            event[key] = stored.get(key)
    return rec


def write_jsonl(store: Store, out: str | Path) -> int:
    """Write every article as one JSON line (streamed: one article in memory at a time). Returns the count."""
    n = 0
    with open_output(out) as fh:
        for article in store.iter_articles():
            fh.write(json.dumps(record(article), ensure_ascii=False) + "\n")
            n += 1
    return n
