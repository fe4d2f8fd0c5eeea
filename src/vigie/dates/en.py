"""English time expressions: the rules of the English grammar (same families and keys as `dates_fr`).

English runs on a blank spaCy pipeline, so everything here reads the text only. Month and weekday names
must be capitalised ("May" the month, "may" the verb); "May" alone also needs a calendar context ("in May",
"May 5", "May 2016"), as does every month without a day or year ("in March", "early June", "last April").
Spans include "last"/"next"/"this" but not prepositions ("on Monday" -> "Monday").
"""
from __future__ import annotations

import re
from functools import lru_cache

from vigie.dates.fr import decade, swallow, year_ctx
from vigie.dates.patterns import (
    APOS,
    CONF_AGO,
    CONF_ANAPHOR,
    CONF_BARE_YEAR,
    CONF_DAY_MONTH,
    CONF_DAYWORD,
    CONF_FULL_DATE,
    CONF_MONTH,
    CONF_MONTH_YEAR,
    CONF_PERIOD,
    CONF_RANGE,
    CONF_WEEKDAY,
    CONF_YEAR,
    S0,
    Grammar,
    Hit,
    Lexicon,
    Rule,
    S,
    alternation,
    build,
    counted_noun_follows,
    day_number,
    item,
    lexicon,
    trie_pattern,
)
from vigie.lexicons import word_class

FUNCTION_WORDS = word_class("date_words_en.tsv", "function_word")
UNITS = word_class("date_words_en.tsv", "unit")
YEAR_PREPOSITIONS = word_class("date_words_en.tsv", "year_preposition")
DETERMINERS = word_class("date_words_en.tsv", "determiner")
# Before a weekday, a kind of day rather than a date: "a Saturday youth club", "every Monday", "the first
# Saturday of each month", "an ordinary Sunday", "the Sunday Times".
ORDINAL_OR_INDEFINITE = word_class("date_words_en.tsv", "ordinal_or_indefinite")
YEAR_MIN_WITH_PREP, YEAR_MIN_BARE, YEAR_MAX = 1000, 1900, 2099


def _previous_word(h: Hit, start: int) -> str:
    words = re.findall(r"[\w'’.]+", h.text[max(0, start - 25) : start].rsplit("\n", 1)[-1])
    return words[-1].lower() if words else ""


def _valid_day(n: int, m: int) -> bool:
    return 1 <= n <= (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)


def _year(s: str | None) -> int | None:
    return int(s.lstrip("'’")) if s else None


def full_date(h: Hit) -> list[dict]:
    m, d, y = h.lex.month(h.req("m")), day_number(h.req("d")), _year(h("y"))
    if not _valid_day(d, m):
        return []
    conf = CONF_FULL_DATE if y is not None else CONF_DAY_MONTH
    wd = h.lex.weekday(h.req("wd")) if h("wd") else None
    return [item(h.start, h.end, "date", conf, y=y, m=m, d=d, dir=0, wd=wd)]


def day_range(h: Hit) -> list[dict]:
    """'March 3-5, 2016', 'from March 3 to 5', 'between 3 and 5 March'."""
    m = h.lex.month(h.req("m"))
    da, db = day_number(h.req("da")), day_number(h.req("db"))
    if not (_valid_day(da, m) and _valid_day(db, m)) or da >= db:
        return []
    b = {"kind": "date", "y": _year(h("y")), "m": m, "d": db}
    a = {"kind": "date", "y": None, "m": m, "d": da}
    return [item(h.start, h.end, "range", CONF_RANGE, a=a, b=b)]


def numeric_date(h: Hit) -> list[dict]:
    """'3/15/2016' (month first, the US order) unless the first number cannot be a month ('15/3/2016')."""
    a, b, y = int(h.req("a")), int(h.req("b")), int(h.req("y"))
    m, d = (a, b) if a <= 12 else (b, a)
    if y < 100:
        y += 2000 if y < 50 else 1900
    if not (1 <= m <= 12 and _valid_day(d, m)):
        return []
    return [item(h.start, h.end, "date", CONF_FULL_DATE, y=y, m=m, d=d, dir=0)]


def iso_date(h: Hit) -> list[dict]:
    d, m = int(h.req("d")), int(h.req("m"))
    if not (1 <= m <= 12 and _valid_day(d, m)):
        return []
    return [item(h.start, h.end, "date", CONF_FULL_DATE, y=int(h.req("y")), m=m, d=d, dir=0)]


def month_year(h: Hit) -> list[dict]:
    m = h.lex.month(h.req("m"))
    return [item(h.start, h.end, "month", CONF_MONTH_YEAR, y=_year(h("y")), m=m, dir=0, mod=h("mod"))]


def month_ctx(h: Hit) -> list[dict]:
    """A month with a calendar word before it; the preposition ('in', 'since') is left out of the span.
    Without one ('March' alone, 'May' the verb) the match is dropped."""
    if not (h("prep") or h("mod") or h("dir")):
        return []
    start = h.span("mod")[0] if h("mod") else h.span("dir")[0] if h("dir") else h.span("m")[0]
    dir_ = h.lex.direction(h("dir"))
    this = (h("dir") or "").lower() == "this"
    y = _year(h("y"))  # "in April of 2006", "in December, 2005"
    conf = CONF_MONTH_YEAR if y is not None else CONF_MONTH
    m = h.lex.month(h.req("m"))
    return [item(start, h.end, "month", conf, y=y, m=m, dir=0 if y else dir_, this=this, mod=h("mod"))]


def year_bare(h: Hit) -> list[dict]:
    y = int(h.req("y"))
    prev = _previous_word(h, h.start)
    if prev in h.lex.notyear:
        return []
    low = YEAR_MIN_WITH_PREP if prev in YEAR_PREPOSITIONS else YEAR_MIN_BARE
    if not low <= y <= YEAR_MAX:
        return []
    # English writes counts with a comma ("2,000 troops"), so "the 2016 elections" is a year; only a number
    # with no determiner before it and a plural noun or unit after it is a count.
    if prev not in DETERMINERS and counted_noun_follows(h.text, h.end, FUNCTION_WORDS, UNITS):
        return []
    conf = CONF_YEAR if prev in YEAR_PREPOSITIONS else CONF_BARE_YEAR
    return [item(h.start, h.end, "year", conf, y=y, bare=True)]


def dayword(h: Hit) -> list[dict]:
    w = re.sub(r"\s+", " ", (h("w") or "").lower())
    offset = h.lex.daywords.get(w, h.lex.partdays.get(w, 0))
    return [item(h.start, h.end, "relday", CONF_DAYWORD, offset=offset)]


def weekday(h: Hit) -> list[dict]:
    """'Monday', 'last Monday', 'this Monday'; not 'a Saturday youth club', 'an ordinary Sunday', 'every Monday'."""
    word = (h("dir") or "").lower()
    if not word and _previous_word(h, h.start) in ORDINAL_OR_INDEFINITE:
        return []
    dir_ = h.lex.direction(word) if word != "this" else 0
    return [item(h.start, h.end, "weekday", CONF_WEEKDAY, wd=h.lex.weekday(h.req("wd")), dir=dir_, this=word == "this")]


def period(h: Hit) -> list[dict]:
    """'last week', 'earlier this month', 'next year'; not 'in the last week' (a duration)."""
    if not h("pre") and _previous_word(h, h.start) in ("the", "over", "within", "past"):
        return []
    word = (h("dir") or "").lower()
    offset = 0 if word == "this" else h.lex.direction(word)
    unit = (h("u") or "").lower()
    if unit in ("weekend", "week-end"):
        return [item(h.start, h.end, "weekend", CONF_PERIOD, offset=offset)]
    return [item(h.start, h.end, "period", CONF_PERIOD, unit=unit, offset=offset, mod=h("pre"))]


def ago(h: Hit) -> list[dict]:
    if h.text[max(0, h.start - 1) : h.start] == "/":  # "1 1/2 years ago"
        return []
    n = h.lex.number(h("n") or "")
    unit = h.lex.units.get((h("u") or "").lower())
    if n is None or unit is None:
        return []
    return [item(h.start, h.end, "ago", CONF_AGO, unit=unit, n=-n)]


def anaphor(h: Hit) -> list[dict]:
    w = (h("a") or "").lower()
    offset = -1 if ("previous" in w or "before" in w) else 0 if "same" in w else 1
    return [item(h.start, h.end, "anaphor", CONF_ANAPHOR, offset=offset)]


def _ci(pattern: str) -> str:
    return f"(?i:{pattern})"


RULES = [
    Rule(
        "day_range",
        r"\b(?:(?i:from|between)%S%)?(?P<m>%MONTH%)%S%(?P<da>%DAY%)%ORD%(?:%S0%[-–]%S0%|%S%(?i:to|and|through)%S%)"
        r"(?P<db>%DAY%)%ORD%(?:,?%S%(?P<y>%YEAR%))?",
        day_range,
    ),
    Rule("habit", r"\b(?:(?i:every|each)%S%%WD%)", swallow),
    Rule(
        "date_mdy",
        r"\b(?:(?P<wd>%WD%),?%S%)?(?P<m>%MONTH%)%S%(?P<d>%DAY%)%ORD%(?!%S0%[-–:]\d)(?:,?%S%(?P<y>%YEAR%))?",
        full_date,
    ),
    Rule(
        "date_dmy",
        r"\b(?:(?P<wd>%WD%),?%S%)?(?:(?i:the)%S%)?(?P<d>%DAY%)%ORD%%S%(?:(?i:of)%S%)?(?P<m>%MONTH%)"
        r"(?:,?%S%(?P<y>%YEAR%))?",
        full_date,
    ),
    Rule("numeric", r"(?<![\d,./])\b(?P<a>[01]?\d|[23]\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d{2})(?![\d/])", numeric_date),
    Rule("iso", r"(?<![\d/.-])\b(?P<y>(?:1[89]|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])", iso_date),
    Rule("month_year", r"\b(?:(?P<mod>%MOD%)(?:%S%|-))?(?P<m>%MONTH%),?%S%(?:(?i:of)%S%)?(?P<y>%YEAR%)", month_year),
    Rule(
        "month_ctx",
        r"\b(?:(?P<prep>(?i:in|since|until|till|by|from|through|during|before|after|of|to))%S%)?"
        r"(?:(?P<mod>%MOD%)(?:%S%|-)|(?P<dir>(?i:last|next|this))%S%)?(?P<m>%MONTH%)"
        r"(?:,?%S%(?:(?i:of)%S%)?(?P<y>%YEAR%)|(?!%S0%\d))",
        month_ctx,
    ),
    Rule("decade", r"\b(?:(?P<mod>%MOD%)(?:%S%|-))?(?:(?i:the)%S%)?(?P<y>(?:1[0-9]|20)[0-9]0|%APOS%[0-9]0)s\b", decade),
    Rule("year_ctx", r"\b(?P<mod>%MOD%)(?:%S%|-)(?P<y>\d{4})(?![\d.,]\d|%S0%%|s\b)", year_ctx),
    Rule(
        "period",
        r"\b(?:(?P<pre>(?i:earlier|later))%S%)?(?P<dir>(?i:last|next|this))%S%"
        r"(?P<u>(?i:week-?end|week|month|year))(?!\w)",
        period,
    ),
    Rule("ago", r"\b(?P<n>\d{1,3}|%NUMW%)%S%(?P<u>%UNIT%)%S%(?i:ago)\b", ago),
    Rule(
        "anaphor",
        r"\b(?P<a>(?i:the%S%(?:next|following|previous|same)%S%day|the%S%day%S%before))"
        r"(?!%S%(?i:the|a|an|his|her|its|their|this|that|he|she|they|it|we|i)\b)",
        anaphor,
    ),
    Rule("dayword", r"\b(?P<w>%DAYWORD%)", dayword),
    Rule("weekday", r"\b(?:(?P<dir>(?i:last|next|this|coming))%S%)?(?P<wd>%WD%)(?!\w)", weekday),
    Rule("year_bare", r"(?<![\d.,€$£°/])\b(?P<y>\d{4})(?![\d]|[.,]\d|%S0%%)", year_bare),
]


def start_phrases(lex: Lexicon) -> list[str]:
    """Every way an expression of RULES can start (see dates_patterns.trie_pattern). The grammar is
    case-sensitive: months and weekdays are capitalised, other words come lower-case or capitalised."""
    cap = lambda w: w[0].upper() + w[1:]  # noqa: E731
    months = [cap(m) for m in lex.months]
    wds = [cap(w) for w in lex.weekdays]
    words = ["#", *lex.daywords, *lex.partdays, "early", "late", "mid", *(f"{n} " for n in lex.numbers)]
    words += ["the #", "the '", "the day", "the next", "the following", "the previous", "the same"]
    words += ["from ", "between ", "every ", "each ", "last ", "next ", "this ", "coming ", "earlier ", "later "]
    for prep in ["in", "since", "until", "till", "by", "through", "during", "before", "after", "of", "to"]:
        words += [f"{prep} {w}" for w in (*months, "early", "late", "mid", "last", "next", "this")]
    return months + wds + words + [cap(w) for w in words if w[0].isalpha()]


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    lex = lexicon("en")
    # Lexicon forms are stored lower-cased; English month and weekday names must be capitalised in the text.
    cap = lambda forms: alternation(f[0].upper() + f[1:] for f in forms)  # noqa: E731
    placeholders = {
        "S0": S0,
        "S": S,
        "APOS": APOS,
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?!\d)",
        "MOD": r"(?i:early|late|mid)",
        "ORD": r"(?:st|nd|rd|th)?",
        "MONTH": cap(lex.months) + r"(?!\w)",
        "YEAR": r"\d{4}(?![\d.,]\d)",
        "WD": cap(lex.weekdays) + r"(?!\w)",
        "NUMW": "(?i:" + alternation(lex.numbers) + r")(?!\w)",
        "UNIT": "(?i:" + alternation(lex.units) + r")(?!\w)",
        "DAYWORD": "(?i:" + alternation(list(lex.daywords) + list(lex.partdays)) + r")(?!\w)",
    }
    return build(RULES, placeholders, lex, 0, trie_pattern(start_phrases(lex)))
