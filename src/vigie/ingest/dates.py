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


# ----------------------------------------------------------------------------------------------------
# Datelines: the publication date an article states in its first lines
# ----------------------------------------------------------------------------------------------------

# A dateline is a full date (with its year) on one of the first DATELINE_MAX_LINES non-blank lines, alone or
# with what a dateline carries around it: "PARIS, 12 mars 2024 (AFP) -", "Publié le 14 janvier 2016",
# "14 janvier 2016. –", "WASHINGTON, March 12, 2024 (Reuters) -". The shapes are those of
# vigie.dates.component's dateline (which needs spaCy; this one runs at ingest, on the date grammars only).
DATELINE_MAX_LINES = 3
DATELINE_MAX_CHARS = 400
_DATELINE_BEFORE = re.compile(
    r"\s*(?:(?:publié|mis\s+à\s+jour|modifié|published|updated|posted)\s+(?:le\s+|on\s+)?"
    r"|(?-i:[A-ZÀ-Ý])[\w'’. -]{0,40}?(?:\s*\([A-Za-z]{2,10}\))?\s*[,:–—-]\s*"  # "PARIS, ", "PARIS (AFP) - "
    r"|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r",?\s+(?:le\s+)?)?",
    re.IGNORECASE,
)
_DATELINE_AFTER = re.compile(
    r"\s*(?:(?:,|à|at)?\s*\d{1,2}\s*[h:]\s*\d{0,2}\s*(?:am|pm)?)?"  # ", 14h30"
    r"\s*(?:\([A-Za-z]{2,10}\))?\s*[.,]?\s*(?:[–—-]|$)",  # "(AFP)", "(Reuters)", " . –"
    re.IGNORECASE,
)


def dateline_date(text: str) -> str | None:
    """The YYYY-MM-DD of the dateline in the first lines of `text`, or None (no year: no date, never a guess)."""
    from vigie.dates import en, fr  # the date grammars (no spaCy)
    from vigie.dates.patterns import scan
    from vigie.dates.resolve import resolve

    lines = [line for line in text[:DATELINE_MAX_CHARS].split("\n") if line.strip()][:DATELINE_MAX_LINES]
    for line in lines:
        for grammar in (fr.grammar(), en.grammar()):
            for it in scan(grammar, line):
                if it["kind"] != "date" or it.get("y") is None:
                    continue
                if not _DATELINE_BEFORE.fullmatch(line, 0, it["start"]) or not _DATELINE_AFTER.match(line, it["end"]):
                    continue
                value, granularity = resolve(it, None)
                if granularity == "day" and isinstance(value, str) and normalize_date(value) == value:
                    return value
    return None
