"""CSV export of the events table: one row per event, with the article it comes from.

Columns, in order:

- ``article_id``, ``article_url``, ``article_title``, ``published`` (the article's publication date),
  ``source_name`` (the article's site or publisher);
- ``event_idx`` (position of the event in the article), ``day`` (the day the event is placed on: its date
  when day-level, else the publication day);
- every field of `vigie.model.Event`: ``type``, ``mode``, ``start``, ``end``, ``trigger``, ``source``,
  ``source_country``, ``source_sector``, ``target``, ``target_country``, ``target_sector``, ``location``,
  ``location_country``, ``date``, ``date_inferred``, ``killed``, ``injured``, ``arrested``, ``size``,
  ``context`` (words joined by ``;``), ``evidence``, ``evidence_start``, ``evidence_end``, ``mentions``
  (JSON list of [start, end]), ``extractor``, ``confidence``.

RFC 4180 quoting (fields with commas, quotes or line breaks are quoted), UTF-8, LF line ends, empty cells
for nulls, booleans as true/false. Offsets are into the article's cleaned text. Text cells a spreadsheet
would run as a formula (starting with = + - @) get a leading apostrophe (`guard_formula`); numbers stay
numbers.
"""

from __future__ import annotations

import csv
import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from vigie.export.common import event_day, guard_formula, open_output
from vigie.model import Event
from vigie.store.base import Store

EVENT_FIELDS = [f.name for f in fields(Event)]
COLUMNS = ["article_id", "article_url", "article_title", "published", "source_name", "event_idx", "day", *EVENT_FIELDS]


def _cell(value: Any, name: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "context":
        return ";".join(value)
    if isinstance(value, list):
        return json.dumps(value)
    return value


def write_events_csv(store: Store, out: str | Path) -> int:
    """Write every stored event as a CSV row (streamed article by article). Returns the number of events."""
    n = 0
    with open_output(out) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for article in store.iter_articles():
            for idx, event in enumerate(article.get("events", [])):
                row = [
                    article["id"],
                    article.get("url") or "",
                    article.get("title") or "",
                    article.get("published") or "",
                    article.get("source") or "",
                    idx,
                    event_day(event, article.get("published")) or "",
                    *(_cell(event.get(name), name) for name in EVENT_FIELDS),
                ]
                writer.writerow([guard_formula(cell) for cell in row])
                n += 1
    return n
