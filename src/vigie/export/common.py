"""Helpers the export formats share: output files, the event's day, names by label, cell cleaning."""

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


def place_for(article: dict[str, Any], name: str | None) -> dict[str, Any] | None:
    """The article's resolved place named `name` (the first one with coordinates, else the first)."""
    if not name:
        return None
    same = [p for p in article.get("places", []) if p.get("name") == name]
    with_coords = [p for p in same if p.get("lat") is not None]
    return (with_coords or same or [None])[0]
