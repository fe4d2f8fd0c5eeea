"""Reads of the cross-document events for the exports (`vigie.export.crossdoc`, `vigie.export.parquet`), on SQLite
and PostgreSQL alike: every event and every mention, in pages, so memory stays flat whatever the size of the store.

Plain functions taking a store (they use only `list_crossdoc_events`, `_rows` and `_snapshot`):

    for events, mentions in crossdoc_pages(store):   # events in date order, 500 a page
        for event in events:
            for mention in mentions[event["event_id"]]: ...

A page is two queries in one snapshot: the page's events (`list_crossdoc_events`, by limit and offset) and every
mention of them (one query, whatever the number of events), with the article each mention comes from (source, url,
title, published, duplicate_of) and its trigger and evidence sentence cut from the text in SQL (a copy's from its
original's text, as `get_crossdoc_event` does), so no article text is read into Python.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

#: Events per page (and event ids per mentions query: well under SQLite's 32,766 parameters).
PAGE_SIZE = 500

#: The text a mention's span covers ("start"/"end" or evidence_start/evidence_end), cut from the article's text, a
#: copy's from its original's: SQLite and PostgreSQL count characters (code points) as Python does.
_CUT = (
    "CASE WHEN m.{end} > m.{start} THEN substr(COALESCE(o.text, a.text), m.{start} + 1, m.{end} - m.{start}) "
    "ELSE '' END"
)

_MENTIONS_SQL = (
    "SELECT m.event_id, m.article_id, a.source, a.url, a.title, a.published, d.article_id AS duplicate_of, "
    'm."start", m."end", m.type, m.mode, m.confidence, m.evidence_start, m.evidence_end, '
    + _CUT.format(start='"start"', end='"end"') + ' AS "trigger", '
    + _CUT.format(start="evidence_start", end="evidence_end") + " AS evidence "
    "FROM crossdoc_mentions m JOIN articles a ON a.id = m.article_id "
    "LEFT JOIN article_sources d ON d.duplicate_id = m.article_id "
    "LEFT JOIN articles o ON o.id = d.article_id "
    "WHERE m.event_id IN ({marks}) "
    'ORDER BY m.event_id, a.published IS NULL, a.published, m.article_id, m."start"'
)


def mentions_of_events(store: Any, event_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """event id -> its mentions (oldest article first), in one query: event_id, article_id, source, url, title,
    published, duplicate_of (the original's id when the article is a copy), start, end (the trigger), type, mode and
    confidence (as this article coded the event), evidence_start, evidence_end, trigger and evidence (the text)."""
    out: dict[str, list[dict[str, Any]]] = {eid: [] for eid in event_ids}
    if not event_ids:
        return out
    rows = store._rows(_MENTIONS_SQL.format(marks=", ".join("?" * len(event_ids))), list(event_ids))
    for row in rows:
        out.setdefault(row["event_id"], []).append(row)
    return out


def crossdoc_pages(
    store: Any, page_size: int = PAGE_SIZE
) -> Iterator[tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]]:
    """Every cross-document event, a page at a time, with its mentions: (events as `list_crossdoc_events` gives them,
    in date order; event id -> mentions as `mentions_of_events` gives them). A page's events and mentions come from
    one snapshot; a store linked again between two pages may shift an event from one page to the next."""
    size = max(int(page_size), 1)
    offset = 0
    while True:
        with store._snapshot():
            events = store.list_crossdoc_events(limit=size, offset=offset, newest_first=False)
            mentions = mentions_of_events(store, [e["event_id"] for e in events])
        if events:
            yield events, mentions
        if len(events) < size:
            return
        offset += size


def iter_crossdoc_events(store: Any, page_size: int = PAGE_SIZE) -> Iterator[dict[str, Any]]:
    """Every cross-document event (in date order), each with `mentions`: the page reader's mentions of it."""
    for events, mentions in crossdoc_pages(store, page_size):
        for event in events:
            yield {**event, "mentions": mentions.get(event["event_id"], [])}
