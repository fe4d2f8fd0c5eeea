"""CSV export of the events table: one row per event, with the article it comes from.

The columns and the cell encoding are those of `vigie.export.events_table` (the web's ``/events.csv`` and
``events.parquet`` share them): ``article_id``, ``idx``, ``day``, ``published``, ``source_name``,
``article_url``, ``article_title``, then every field of `vigie.records.Event` with ``latitude`` and
``longitude`` (the event's location) after ``location_country``.

RFC 4180 quoting (fields with commas, quotes or line breaks are quoted), UTF-8, LF line ends, empty cells
for nulls, booleans as true/false. Offsets are into the article's cleaned text. Text cells a spreadsheet
would run as a formula (starting with = + - @) get a leading apostrophe (`guard_formula`); numbers stay
numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path

from vigie.export.common import open_output
from vigie.export.events_table import COLUMNS, article_rows, csv_cells
from vigie.store.base import Store

__all__ = ["COLUMNS", "write_events_csv"]


def write_events_csv(store: Store, out: str | Path) -> int:
    """Write every stored event as a CSV row (streamed article by article). Returns the number of events."""
    n = 0
    with open_output(out) as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for article in store.iter_articles():
            for row in article_rows(article):
                writer.writerow(csv_cells(row))
                n += 1
    return n
