"""Cross-document events as tables (issue 14): one row per real-world event (``vigie export -f crossdoc``, GDELT's
Events table) and one row per mention of it in an article (``vigie export -f mentions``, GDELT's Mentions table);
``crossdoc_events.parquet`` and ``crossdoc_mentions.parquet`` of ``-f parquet`` hold the same rows. Join on
``event_id``; a mention's ``article_id`` joins the article tables, and the events table (``-f csv``) carries the
``event_id`` of each article's event record.

Events (`CROSSDOC_COLUMNS`): the stored event (`vigie.store.crossdoc.EVENT_COLUMNS`: type, mode, actors, place with
``lat``/``lon`` and ``location_kind``, ``date`` and ``date_inferred``, ``context``), ``day`` (its date when day-level,
else its first article's publication day) after ``date_inferred``, then the counts the articles gave as ranges,
``killed_low``, ``killed_high``, ``injured_low``, ... ``size_high`` (the lowest and the highest figure reported:
two articles giving 20 and 25 killed give 20 and 25, never a sum), ``n_articles`` (copies included), ``n_sources`` (a
duplicate group, and the articles of one publisher, count once), ``n_mentions``, ``first_seen``, ``last_seen``,
``stories`` (story ids) and ``confidence``.

Mentions (`MENTION_COLUMNS`): ``event_id``, ``event_type``, ``event_mode``, ``event_date`` (the event's), then the
article, named as in the events table: ``article_id``, ``source_name`` (its site or publisher), ``article_url``,
``article_title``, ``published``, ``duplicate_of`` (the original's id when the article is a copy: a copy is not
analysed, its mentions are its original's records, at the original's offsets, and its trigger and evidence are read
from the original's text); then the mention: ``start``, ``end`` (the trigger), ``trigger``, ``type``, ``mode`` and
``confidence`` (as this article coded the event), ``evidence_start``, ``evidence_end`` and ``evidence`` (the
sentence).

Rows are in the events' date order (mentions: by event, then oldest article first), read a page of events at a time
(`vigie.store.crossdoc_export`). CSV: RFC 4180 quoting, UTF-8, LF line ends, empty cells for nulls, booleans as
true/false, lists joined by ``;``, text cells a spreadsheet would run as a formula with a leading apostrophe
(`guard_formula`). Parquet keeps the values: typed numbers and booleans, lists as lists, nulls as nulls.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vigie.events.crossdoc.records import COUNT_FIELDS
from vigie.export.common import guard_formula, open_output
from vigie.store.base import Store
from vigie.store.crossdoc import EVENT_COLUMNS as STORED_EVENT_COLUMNS
from vigie.store.crossdoc_export import crossdoc_pages

#: Stored columns that are not exported as they are: the counts become ranges, the digest is bookkeeping.
_NOT_EXPORTED = ("counts", "digest")
COUNT_COLUMNS = [f"{name}_{bound}" for name in COUNT_FIELDS for bound in ("low", "high")]


def _crossdoc_columns() -> list[str]:
    out: list[str] = []
    for name in STORED_EVENT_COLUMNS:
        if name == "n_articles":
            out += COUNT_COLUMNS
        if name not in _NOT_EXPORTED:
            out.append(name)
        if name == "date_inferred":
            out.append("day")
    return out


#: Columns of the cross-document events table, in order.
CROSSDOC_COLUMNS: list[str] = _crossdoc_columns()

_INTEGERS = ("n_articles", "n_sources", "n_mentions", "start", "end", "evidence_start", "evidence_end")
_DOUBLES = ("lat", "lon", "confidence", *COUNT_COLUMNS)
_LISTS = ("context", "stories")


def _type(name: str) -> str:
    if name in _INTEGERS:
        return "BIGINT"
    if name in _DOUBLES:
        return "DOUBLE"
    if name == "date_inferred":
        return "BOOLEAN"
    if name in _LISTS:
        return "VARCHAR[]"
    return "VARCHAR"


#: Column -> DuckDB type (crossdoc_events.parquet).
CROSSDOC_TYPES: dict[str, str] = {c: _type(c) for c in CROSSDOC_COLUMNS}

#: Columns of the mentions table, in order: the event's, the article's, the mention's.
EVENT_PART = ("event_id", "event_type", "event_mode", "event_date")
ARTICLE_PART = ("article_id", "source_name", "article_url", "article_title", "published", "duplicate_of")
#: Mentions-table column -> the key of `mentions_of_events` (the events table's names for the article's fields).
_ARTICLE_KEYS = {"source_name": "source", "article_url": "url", "article_title": "title"}
MENTION_PART = ("start", "end", "trigger", "type", "mode", "confidence", "evidence_start", "evidence_end", "evidence")
MENTION_COLUMNS: list[str] = [*EVENT_PART, *ARTICLE_PART, *MENTION_PART]
#: Column -> DuckDB type (crossdoc_mentions.parquet).
MENTION_TYPES: dict[str, str] = {c: _type(c) for c in MENTION_COLUMNS}


def crossdoc_row(event: dict[str, Any]) -> dict[str, Any]:
    """The crossdoc-table row of an event as `list_crossdoc_events` gives it: column -> value (not encoded)."""
    counts = event.get("counts") or {}
    row: dict[str, Any] = {}
    for c in CROSSDOC_COLUMNS:
        if c in COUNT_COLUMNS:
            name, bound = c.rsplit("_", 1)
            row[c] = (counts.get(name) or {}).get(bound)
        elif c in _LISTS:
            row[c] = list(event.get(c) or [])
        elif c == "date_inferred":
            row[c] = None if event.get(c) is None else bool(event[c])
        else:
            row[c] = event.get(c)
    return row


def mention_row(event: dict[str, Any], mention: dict[str, Any]) -> dict[str, Any]:
    """The mentions-table row of one mention of `event` (as `mentions_of_events` gives it): column -> value."""
    row = {
        "event_id": event["event_id"],
        "event_type": event.get("type"),
        "event_mode": event.get("mode"),
        "event_date": event.get("date"),
    }
    for c in (*ARTICLE_PART, *MENTION_PART):
        row[c] = mention.get(_ARTICLE_KEYS.get(c, c))
    return row


def table_rows(store: Store) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Every cross-document event's row with the rows of its mentions, a page of events at a time."""
    for events, mentions in crossdoc_pages(store):
        for event in events:
            yield crossdoc_row(event), [mention_row(event, m) for m in mentions.get(event["event_id"], [])]


def csv_cells(row: dict[str, Any], columns: list[str]) -> list[Any]:
    """A row as CSV cells: null as an empty cell, booleans as true/false, lists joined by ";", text guarded."""
    out: list[Any] = []
    for c in columns:
        v = row[c]
        if v is None:
            out.append("")
        elif isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, list):
            out.append(guard_formula(";".join(map(str, v))))
        else:
            out.append(guard_formula(v))
    return out


def write_crossdoc_csv(store: Store, out: str | Path) -> int:
    """Write one CSV row per cross-document event. Returns the number of events."""
    n = 0
    with open_output(out) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(CROSSDOC_COLUMNS)
        for row, _ in table_rows(store):
            writer.writerow(csv_cells(row, CROSSDOC_COLUMNS))
            n += 1
    return n


def write_mentions_csv(store: Store, out: str | Path) -> int:
    """Write one CSV row per mention of a cross-document event (copies' included). Returns the number of mentions."""
    n = 0
    with open_output(out) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(MENTION_COLUMNS)
        for _, mention_rows in table_rows(store):
            for row in mention_rows:
                writer.writerow(csv_cells(row, MENTION_COLUMNS))
                n += 1
    return n
