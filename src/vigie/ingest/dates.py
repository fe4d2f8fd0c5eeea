"""Normalising a publication date to YYYY-MM-DD."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from email.utils import parsedate_tz

from vigie.lexicons import word_pairs

# 2022-01-12, 2022/01/12, 2022.01.12, optionally followed by a time (ISO 8601 "T" or a space).
# The date is kept as the publisher stated it: converting a "+01:00" time to UTC could
# move an article to the previous day.
_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T\s].*)?", re.DOTALL)
# 12/01/2022 or 12-01-2022: day first, the French (and European) convention.
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:\s.*)?", re.DOTALL)
# "mercredi 12 janvier 2022", "1er mars 2021" (French bylines and JSON exports).
_FRENCH_MONTHS = {k: int(v) for k, v in word_pairs("date_words_fr.tsv", "byline_month").items()}
_FRENCH = re.compile(r"(?:[a-z]+\.?\s+)?(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})\b.*", re.DOTALL)


def _make(year: str | int, month: str | int, day: str | int) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 2022-02-30, 0000-00-00 and the like
        return None


def _fold(text: str) -> str:
    """Lower-case and strip accents: 'Février' -> 'fevrier'."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_date(value: object) -> str | None:
    """Return `value` as YYYY-MM-DD, or None when it is missing or not a date we can read.

    Accepts ISO dates and datetimes (2022-01-12, 2022-01-12T10:00:00Z), 2022/01/12,
    day-first 12/01/2022, RFC 2822 (Wed, 12 Jan 2022 10:00:00 +0100) and French
    dates (12 janvier 2022).
    """
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    if not text:
        return None
    if m := _YMD.fullmatch(text):
        return _make(m.group(1), m.group(3), m.group(4))
    if m := _DMY.fullmatch(text):
        return _make(m.group(4), m.group(3), m.group(1))
    if m := _FRENCH.fullmatch(_fold(text)):
        month = _FRENCH_MONTHS.get(m.group(2))
        if month is not None:
            return _make(m.group(3), month, m.group(1))
    parsed = parsedate_tz(text)
    if parsed is not None and parsed[0] >= 1000:  # parsedate_tz turns '22' into 2022 and junk into year 0
        return _make(parsed[0], parsed[1], parsed[2])
    return None
