"""The one events table: its columns and its cell encoding, shared by ``vigie export -f csv``, the web's
``/events.csv`` and ``events.parquet``.

Columns, in order (`COLUMNS`, with their DuckDB types in `COLUMN_TYPES`):

- ``article_id``, ``idx`` (position of the event in the article), ``day`` (the day the event is placed on:
  its date when day-level, else the publication day, as `vigie.store.queries.EVENT_DAY`), ``published``,
  ``source_name`` (the article's site or publisher), ``article_url``, ``article_title``;
- every field of `vigie.records.Event`, in order, with ``latitude`` and ``longitude`` after
  ``location_country``: the coordinates of the event's location, from the article's resolved place of that
  name (`vigie.export.common.place_for`, the place POLECAT's Latitude/Longitude come from), empty when the
  place was not resolved or has no coordinates;
- ``event_id``, ``n_articles``, ``n_sources``: the cross-document event the record belongs to (one real-world event
  across articles, `vigie.steps.crossdoc`; ``vigie export -f crossdoc`` has one row per event id, ``-f mentions``
  one per mention), its articles (copies included) and its sources; empty before the store's events are linked.

Cell encoding (`event_row`): ``context`` as its words joined by ``;``, ``mentions`` as JSON text
(``[[start, end], ...]``), numbers as numbers, booleans as booleans, missing values as null; text cells a
spreadsheet would run as a formula get a leading apostrophe (`guard_formula`). The CSV writers (`csv_cells`)
write null as an empty cell and booleans as ``true``/``false``; Parquet keeps nulls and the types.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import fields
from typing import Any

from vigie.export.common import event_day, guard_formula, place_for
from vigie.records import Event

ARTICLE_COLUMNS = ("article_id", "idx", "day", "published", "source_name", "article_url", "article_title")
#: Where the coordinates go among the Event fields: right after the location's country.
_COORDS_AFTER = "location_country"


def _event_columns() -> list[str]:
    out: list[str] = []
    for f in fields(Event):
        out.append(f.name)
        if f.name == _COORDS_AFTER:
            out += ["latitude", "longitude"]
    return out


EVENT_COLUMNS = _event_columns()
#: The cross-document event the record belongs to (`vigie.steps.crossdoc`; null before linking), appended last so
#: the earlier columns keep their positions.
LINK_COLUMNS = ("event_id", "n_articles", "n_sources")
#: The events table's columns, in order.
COLUMNS: list[str] = [*ARTICLE_COLUMNS, *EVENT_COLUMNS, *LINK_COLUMNS]

_DUCKDB = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN"}


def _column_type(name: str) -> str:
    if name in ("idx", "n_articles", "n_sources"):
        return "BIGINT"
    if name == "event_id":
        return "VARCHAR"
    if name in ("latitude", "longitude"):
        return "DOUBLE"
    if name in ARTICLE_COLUMNS:
        return "VARCHAR"
    annotation = str(next(f.type for f in fields(Event) if f.name == name))
    base = annotation.replace(" | None", "").replace("None | ", "").strip()
    return _DUCKDB.get(base, "VARCHAR")  # list fields are encoded as text


#: Column -> DuckDB type (the Parquet table's schema).
COLUMN_TYPES: dict[str, str] = {c: _column_type(c) for c in COLUMNS}


def _encode(value: Any, name: str) -> Any:
    if value is None:
        return None
    if name == "context":
        return guard_formula(";".join(value))
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return guard_formula(value)  # text only; numbers and booleans unchanged


def event_row(article: dict[str, Any], idx: int, event: dict[str, Any]) -> dict[str, Any]:
    """The events-table row of the `idx`-th event of `article` (a stored article, as `Store.get_article` and
    `Store.iter_articles` return it), encoded: column -> cell."""
    place = place_for(article, event.get("location"))
    values: dict[str, Any] = {
        "article_id": article["id"],
        "idx": idx,
        "day": event_day(event, article.get("published")),
        "published": article.get("published"),
        "source_name": article.get("source"),
        "article_url": article.get("url"),
        "article_title": article.get("title"),
        "latitude": place.get("lat") if place else None,
        "longitude": place.get("lon") if place else None,
    }
    for name in (*EVENT_COLUMNS, *LINK_COLUMNS):
        if name not in values:
            values[name] = event.get(name)
    return {c: _encode(values[c], c) for c in COLUMNS}


def article_rows(article: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of every event of a stored article."""
    for idx, event in enumerate(article.get("events", [])):
        yield event_row(article, idx, event)


def csv_cells(row: dict[str, Any]) -> list[Any]:
    """A row as CSV cells, in `COLUMNS` order: null as an empty cell, booleans as true/false."""
    out: list[Any] = []
    for c in COLUMNS:
        v = row[c]
        out.append("" if v is None else ("true" if v else "false") if isinstance(v, bool) else v)
    return out


def listed_event_rows(store: Any, events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The rows of events as `Store.list_events` lists them (each with ``article_id`` and ``idx``): each is
    read from its stored article, so a row is the very row the export writes for that event."""
    articles: dict[str, dict[str, Any] | None] = {}
    for ev in events:
        aid = ev["article_id"]
        if aid not in articles:
            articles[aid] = store.get_article(aid)
        article = articles[aid]
        stored = article.get("events", []) if article else []
        idx = int(ev["idx"])
        if article is None or idx >= len(stored):  # deleted between the two reads: the listed event alone
            article = {"id": aid, "title": ev.get("article_title"), "published": ev.get("published")}
            yield event_row(article, idx, ev)
        else:
            yield event_row(article, idx, stored[idx])
