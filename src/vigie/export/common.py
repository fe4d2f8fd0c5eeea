"""Helpers the export formats share: output files, the event's day, names by label, cell cleaning, the
spreadsheet formula guard."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_BREAKS = re.compile(r"[\t\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


@contextmanager
def open_output(path: str | Path) -> Iterator[IO[str]]:
    """A text file to write (parents created), or standard output for "-". Written as UTF-8, LF line ends."""
    if str(path) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        yield fh


def event_day(event: dict[str, Any], published: str | None) -> str | None:
    """The day an event is placed on: its date's first day when the date is day-level, else the day of
    publication (the rule of vigie.store.queries.EVENT_DAY, so exports and the web pages agree)."""
    date = event.get("date") or ""
    if _DAY.match(date):
        return date[:10]
    return published[:10] if published else None


def names_by_label(article: dict[str, Any], label: str) -> list[str]:
    """Distinct canonical names of the article's entities with this label, in order of first mention."""
    return list(dict.fromkeys(e["canonical"] for e in article.get("entities", []) if e["label"] == label))


def one_line(value: Any) -> str:
    """A value as text on one line (tabs and line breaks become spaces): safe in a TSV cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _BREAKS.sub(" ", str(value)).strip()


#: A spreadsheet (Excel, LibreOffice, Google Sheets) opening a CSV/TSV runs a cell starting with one of these
#: as a formula ("=HYPERLINK(...)", "+cmd|...", "-2+3", "@SUM(...)"; a leading tab or CR is skipped first).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, with a leading apostrophe (shown as text);
    anything else unchanged. Numbers are not text: -3.5 written as a number stays a number.

    Every CSV/TSV writer of vigie (export csv, polecat, gkg; the web's /events.csv) passes its text cells
    through this one function.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def guarded_line(value: Any) -> str:
    """`one_line(value)` (a TSV-safe cell), with text values guarded against formulas; numbers as numbers."""
    text = one_line(value)
    return guard_formula(text) if isinstance(value, str) else text


def place_for(article: dict[str, Any], name: str | None) -> dict[str, Any] | None:
    """The article's resolved place named `name` (the first one with coordinates, else the first)."""
    if not name:
        return None
    same = [p for p in article.get("places", []) if p.get("name") == name]
    with_coords = [p for p in same if p.get("lat") is not None]
    return (with_coords or same or [None])[0]
