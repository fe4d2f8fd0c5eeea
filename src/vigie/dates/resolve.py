"""Resolve a found time expression to the calendar, given an anchor date (pure functions, no spaCy).

The finder (`dates_fr`, `dates_en`) describes each expression as a plain dict; this module turns one
description plus an anchor (the publication date, or the date of a quote's reporting clause) into an ISO
value and a granularity, following the annotation guide (shared/eval/GUIDE.md, "dates"):

    day "2016-01-01" | week "2016-W01" | month "2016-03" | year "2016" | range "2016-01-03/2016-01-09"

Description keys, by `kind`:
    date     y (or None), m, d, dir, wd    "le 14 juillet 2016", "le 6 mai dernier", "samedi 5 février"
    month    y (or None), m, dir           "janvier 2012", "en mars", "septembre dernier"
    year     y                             "en 2015", "début 2016"
    decade   y (first year)                "les années 1990" -> range 1990-01-01/1999-12-31
    relday   offset                        "hier" (-1), "aujourd'hui" (0), "après-demain" (+2)
    weekday  wd (ISO 1-7), dir, this       "mercredi", "lundi dernier", "ce mardi"
    period   unit (week|month|year), offset "la semaine dernière", "l'an prochain", "cette année"
    weekend  offset                        "ce week-end", "le week-end dernier"
    ago      unit (day|week|month|year), n "il y a trois jours" (n=-3), "dans deux ans" (n=+2)
    anaphor  offset                        "la veille" (-1), "le lendemain" (+1): from the previous day in the text
    range    a, b (date or weekday descriptions; a may lack month and year, taken from b)
A date or month without a year may carry `year_hint` (a year carried over from the text, see
dates._carry_years). Every description may also carry `tense`: "past" | "future" | None (from the
governing verb), and `dir`: -1 ("dernier", "last"), +1 ("prochain", "next") or 0.
"""
from __future__ import annotations

from datetime import date, timedelta

DAY, WEEK, MONTH, YEAR, RANGE = "day", "week", "month", "year", "range"


def lean(desc: dict) -> int:
    """-1 when the expression points to the past, +1 to the future, 0 when nothing says.

    An explicit direction word ("dernier", "prochain") wins over the tense of the governing verb.
    """
    d = desc.get("dir") or 0
    if d:
        return -1 if d < 0 else 1
    tense = desc.get("tense")
    return -1 if tense == "past" else 1 if tense == "future" else 0


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_index(y: int, m: int) -> int:
    return y * 12 + (m - 1)


def _from_month_index(i: int) -> tuple[int, int]:
    return i // 12, i % 12 + 1


def iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def full_year(y: int, anchor: date | None) -> int:
    """A two-digit year ("octobre 98", "mai 68") in the century that keeps it at most ten years after the anchor."""
    if y >= 100:
        return y
    ref = anchor.year if anchor else date.today().year
    century = (ref + 10) // 100 * 100
    return century + y if century + y <= ref + 10 else century - 100 + y


def day_month(anchor: date, m: int, d: int, direction: int, strict: bool = False) -> date | None:
    """The date (m, d) in the year that fits: the latest not after `anchor` for the past, the earliest not
    before it for the future (strictly, for "dernier"/"prochain"), otherwise the nearest to `anchor`.

    The guide's rule (the year of publication, or the previous one when that would put a past event after
    publication) is the past case; "nearest" handles the French historical present ("annonce le 28 décembre"
    in a January article).
    """
    cands = [c for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (c := _safe_date(y, m, d))]
    if not cands:
        return None
    if direction < 0:
        return max((c for c in cands if c < anchor or (c == anchor and not strict)), default=None)
    if direction > 0:
        return min((c for c in cands if c > anchor or (c == anchor and not strict)), default=None)
    return min(cands, key=lambda c: (abs((c - anchor).days), c.year != anchor.year))


def month_of(anchor: date, m: int, direction: int, strict: bool = False) -> tuple[int, int]:
    """The month m in the year that fits, like `day_month` but comparing whole months."""
    here = _month_index(anchor.year, anchor.month)
    cands = [_month_index(y, m) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if direction < 0:
        pick = max(c for c in cands if c < here or (c == here and not strict))
    elif direction > 0:
        pick = min(c for c in cands if c > here or (c == here and not strict))
    else:
        pick = min(cands, key=lambda c: (abs(c - here), c // 12 != anchor.year))
    return _from_month_index(pick)


def weekday_of(anchor: date, wd: int, direction: int, explicit: bool, this: bool) -> date:
    """Resolve a weekday name (ISO 1-7) against `anchor`.

    Guide: the closest such day not after the anchor (the same day counts), unless the sentence is about the
    future: then the closest day after it. "dernier"/"prochain" (explicit) exclude the anchor's own day;
    "ce mardi" means this week's: the anchor itself when it is that day, else by tense (past when unknown).
    """
    back = (anchor.isoweekday() - wd) % 7  # days back to the latest such day, 0 = today
    fwd = (wd - anchor.isoweekday()) % 7
    if this and back == 0:
        return anchor
    if direction > 0:
        return anchor + timedelta(days=fwd or 7)
    if explicit and direction < 0:
        return anchor - timedelta(days=back or 7)
    return anchor - timedelta(days=back)


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    return _from_month_index(_month_index(y, m) + n)


def weekend_of(anchor: date, offset: int, direction: int) -> tuple[date, date]:
    """Saturday-Sunday: "le week-end dernier" (-1), "ce week-end" (0, by tense), "le week-end prochain" (+1)."""
    wd = anchor.isoweekday()
    last_sunday = anchor - timedelta(days=(wd % 7) or 7)  # strictly before the anchor
    if offset < 0:
        sun = last_sunday
    elif offset > 0:
        sun = anchor + timedelta(days=(7 - wd) or 7)
    elif wd >= 6:  # the anchor is in the weekend
        sun = anchor + timedelta(days=7 - wd)
    else:
        past = direction < 0 or (direction == 0 and wd <= 3)
        sun = last_sunday if past else anchor + timedelta(days=7 - wd)
    return sun - timedelta(days=1), sun


def _day_value(desc: dict, anchor: date | None, previous_day: date | None) -> date | None:
    """The day of a day-level description (date, relday, weekday, anaphor, ago in days/weeks)."""
    kind = desc["kind"]
    if kind == "date":
        y, m, d = desc.get("y"), desc["m"], desc["d"]
        y = y if y is not None else desc.get("year_hint")
        if y is not None:
            return _safe_date(full_year(y, anchor), m, d)
        if anchor is None:
            return None
        if desc.get("wd"):  # "samedi 5 février": the weekday says which year
            years = (anchor.year - 1, anchor.year, anchor.year + 1)
            fits = [c for yy in years if (c := _safe_date(yy, m, d)) and c.isoweekday() == desc["wd"]]
            if len(fits) == 1:
                return fits[0]
        return day_month(anchor, m, d, lean(desc), strict=bool(desc.get("dir")))
    if kind == "anaphor":
        base = previous_day or anchor
        return base + timedelta(days=desc["offset"]) if base else None
    if anchor is None:
        return None
    if kind == "relday":
        return anchor + timedelta(days=desc["offset"])
    if kind == "weekday":
        return weekday_of(anchor, desc["wd"], lean(desc), bool(desc.get("dir")), bool(desc.get("this")))
    if kind == "ago" and desc["unit"] in (DAY, WEEK):
        return anchor + timedelta(days=desc["n"] * (7 if desc["unit"] == WEEK else 1))
    return None


def _range_start(a: dict, end: date, anchor: date | None) -> date | None:
    """The first end of a range, placed at or before its resolved second end."""
    if a["kind"] == "weekday":
        back = (end.isoweekday() - a["wd"]) % 7 or 7
        return end - timedelta(days=back)
    if a["kind"] != "date":
        return None
    y = a.get("y")
    m = a.get("m") or end.month
    if y is not None:
        return _safe_date(full_year(y, anchor), m, a["d"])
    start = _safe_date(end.year, m, a["d"])
    if start is not None and start > end:  # "du 28 décembre au 3 janvier", "du 30 au 2 mars"
        if a.get("m"):
            start = _safe_date(end.year - 1, m, a["d"])
        else:
            py, pm = add_months(end.year, end.month, -1)
            start = _safe_date(py, pm, a["d"])
    return start


def resolve(desc: dict, anchor: date | None, previous_day: date | None = None) -> tuple[str | None, str]:
    """(value, granularity) of one description; value None when it needs an anchor and there is none.

    `anchor` is the publication date (or the date of a quote's reporting clause); `previous_day` is the
    latest day-level date resolved before this expression in the text, for "la veille" / "le lendemain".
    """
    kind = desc["kind"]
    if kind == "year":
        return str(full_year(desc["y"], anchor)), YEAR
    if kind == "decade":
        first = full_year(desc["y"], anchor)
        return f"{first:04d}-01-01/{first + 9:04d}-12-31", RANGE
    if kind == "month":
        y, m = desc.get("y"), desc["m"]
        y = y if y is not None else desc.get("year_hint")
        if y is not None:
            return f"{full_year(y, anchor):04d}-{m:02d}", MONTH
        if anchor is None:
            return None, MONTH
        y, m = month_of(anchor, m, lean(desc), strict=bool(desc.get("dir")))
        return f"{y:04d}-{m:02d}", MONTH
    if kind == "range":
        b = dict(desc["b"], tense=desc["b"].get("tense") or desc.get("tense"))
        end = _day_value(b, anchor, previous_day)
        start = _range_start(desc["a"], end, anchor) if end else None
        if start is None or end is None:
            return None, RANGE
        return f"{start.isoformat()}/{end.isoformat()}", RANGE
    if kind == "weekend":
        if anchor is None:
            return None, RANGE
        sat, sun = weekend_of(anchor, desc.get("offset", 0), lean(desc))
        return f"{sat.isoformat()}/{sun.isoformat()}", RANGE
    if kind == "period":
        unit, off = desc["unit"], desc.get("offset", 0)
        gran = {"week": WEEK, "month": MONTH, "year": YEAR}[unit]
        if anchor is None:
            return None, gran
        if unit == "week":
            return iso_week(anchor + timedelta(weeks=off)), WEEK
        if unit == "month":
            y, m = add_months(anchor.year, anchor.month, off)
            return f"{y:04d}-{m:02d}", MONTH
        return str(anchor.year + off), YEAR
    if kind == "ago" and desc["unit"] in (MONTH, YEAR):
        if anchor is None:
            return None, desc["unit"]
        if desc["unit"] == MONTH:
            y, m = add_months(anchor.year, anchor.month, desc["n"])
            return f"{y:04d}-{m:02d}", MONTH
        return str(anchor.year + desc["n"]), YEAR
    day = _day_value(desc, anchor, previous_day)
    return (day.isoformat() if day else None), DAY
