"""French time expressions: the rules (regex templates + handlers) of the French grammar.

What counts follows shared/eval/GUIDE.md ("dates"): explicit dates, months, years, relative days and
periods, ranges; not durations ("pendant trois jours", "depuis dix ans"), bare times ("14h30"), ages or
frequencies ("chaque lundi"). Spans include a leading "le"/"la"/"ce"/"cette" ("le 28 juillet 2016",
"la semaine dernière", "ce mardi") but not prepositions ("du", "en", "depuis").
"""
from __future__ import annotations

import re
from functools import lru_cache

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

# Words that may follow a year without making it a count ("en 2015 les manifestants", "depuis 2004 sans").
FUNCTION_WORDS = word_class("date_words_fr.tsv", "function_word")
# Units after a number: "2000 km", "1500 m" are measures, not years.
UNITS = word_class("date_words_fr.tsv", "unit")
# Words before a 4-digit number that may stand for a year (lower-cased previous word).
YEAR_PREPOSITIONS = word_class("date_words_fr.tsv", "year_preposition")
# A 4-digit number with one of these before it is a year only in this range; bare, only in the narrower one.
YEAR_MIN_WITH_PREP, YEAR_MIN_BARE, YEAR_MAX = 1000, 1900, 2099

# Before a weekday, a habit or a kind of day rather than a date: "le lundi", "chaque lundi", "un lundi",
# "le premier dimanche du mois", "le Journal du dimanche", "le marché du samedi".
NOT_A_DATE_BEFORE_WEEKDAY = word_class("date_words_fr.tsv", "not_date_before_weekday")

_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"(\n–—-])\s*$")


def sentence_initial(h: Hit, start: int) -> bool:
    """True when nothing but punctuation or a line start precedes `start` in its sentence."""
    return bool(_SENTENCE_START.search(h.text[max(0, start - 20) : start]))


def _previous_word(h: Hit, start: int) -> str:
    words = re.findall(r"[\w'’°.]+", h.text[max(0, start - 25) : start].rsplit("\n", 1)[-1])
    return words[-1].lower().replace("’", "'") if words else ""


def _year(s: str | None) -> int | None:
    if not s:
        return None
    return int(s.lstrip("'’"))


def _date(h: Hit, start: int, end: int, d: str, m: str, y: str | None, dir_: str | None = None) -> dict:
    year = _year(y)
    conf = CONF_FULL_DATE if year is not None else CONF_DAY_MONTH
    return item(start, end, "date", conf, y=year, m=h.lex.month(m), d=day_number(d), dir=h.lex.direction(dir_))


def _valid_day(d: str, m: int) -> bool:
    n = day_number(d)
    return 1 <= n <= (29 if m == 2 else 30 if m in (4, 6, 9, 11) else 31)


# --- handlers -------------------------------------------------------------------------------------------


def nuit_weekdays(h: Hit) -> list[dict]:
    a = {"kind": "weekday", "wd": h.lex.weekday(h.req("wa"))}
    b = {"kind": "weekday", "wd": h.lex.weekday(h.req("wb"))}
    return [item(h.start, h.end, "range", CONF_RANGE, a=a, b=b)]


def day_range(h: Hit) -> list[dict]:
    mb = h.lex.month(h.req("mb"))
    if not _valid_day(h.req("db"), mb):
        return []
    b = {"kind": "date", "y": _year(h("yb")), "m": mb, "d": day_number(h.req("db"))}
    ma = h.lex.month(h.req("ma")) if h("ma") else None
    a = {"kind": "date", "y": _year(h("ya")), "m": ma, "d": day_number(h.req("da"))}
    return [item(h.start, h.end, "range", CONF_RANGE, a=a, b=b)]


def swallow(h: Hit) -> list[dict]:
    """Frequencies and habits ("chaque lundi", "du lundi au vendredi"): consumed, not dates."""
    return []


def day_list(h: Hit) -> list[dict]:
    """'les 6 et 13 avril': one day per number, the month (and year, direction) from the last."""
    m = h.lex.month(h.req("m"))
    out = []
    base = h.span("list")[0]
    for dm in re.finditer(r"\d+(?:er|re)?|premier", h("list") or "", re.I):
        if _valid_day(dm.group(), m):
            s = base + dm.start()
            out.append(_date(h, s, base + dm.end(), dm.group(), h.req("m"), h("y"), h("dir")))
    last_start = h.span("d")[0]
    if _valid_day(h.req("d"), m):
        out.append(_date(h, last_start, h.end, h.req("d"), h.req("m"), h("y"), h("dir")))
    if out and h("list") and h.text[h.start : h.span("list")[0]].strip():  # "les 6" like FR-TimeBank's span
        out[0]["start"] = h.start
    return out


def full_date(h: Hit) -> list[dict]:
    m = h.lex.month(h.req("m"))
    if not _valid_day(h.req("d"), m):
        return []
    if h.text[h.span("d")[1]] == "-" and (h("m") or "")[:1].isupper() and not h("y"):
        return []  # "le 11-Septembre", "le 8-Mai": the name of an event or a holiday, not a date of the news
    it = _date(h, h.start, h.end, h.req("d"), h.req("m"), h("y"), h("dir"))
    if h("wd"):
        it["wd"] = h.lex.weekday(h.req("wd"))
    return [it]


def numeric_date(h: Hit) -> list[dict]:
    """'le 3/03/2016', '03.03.2016' (day first, the French order); a 2-digit year only with slashes."""
    d, m, y = int(h.req("d")), int(h.req("m")), h("y") or ""
    if "." in h.text[h.span("d")[1] : h.span("y")[0]] and len(y) != 4:
        return []
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return []
    return [item(h.start, h.end, "date", CONF_FULL_DATE, y=int(y), m=m, d=d, dir=0)]


def iso_date(h: Hit) -> list[dict]:
    d, m = int(h.req("d")), int(h.req("m"))
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return []
    return [item(h.start, h.end, "date", CONF_FULL_DATE, y=int(h.req("y")), m=m, d=d, dir=0)]


def month_range(h: Hit) -> list[dict]:
    """'de janvier à mars 2015', 'mai et juin derniers': two months sharing the year or direction."""
    ya, yb = _year(h("ya")), _year(h("yb"))
    ma, mb = h.lex.month(h.req("ma")), h.lex.month(h.req("mb"))
    dir_ = h.lex.direction(h("dir"))
    if ya is None and yb is not None:
        ya = yb if ma <= mb else yb - 1
    conf_a = CONF_MONTH_YEAR if ya is not None else CONF_MONTH
    conf_b = CONF_MONTH_YEAR if yb is not None else CONF_MONTH
    a_end = h.span("ya")[1] if h("ya") else h.span("ma")[1]
    return [
        item(h.span("ma")[0], a_end, "month", conf_a, y=ya, m=ma, dir=dir_),
        item(h.span("mb")[0], h.end, "month", conf_b, y=yb, m=mb, dir=dir_),
    ]


def month_year(h: Hit) -> list[dict]:
    m = h.lex.month(h.req("m"))
    return [item(h.start, h.end, "month", CONF_MONTH_YEAR, y=_year(h("y")), m=m, dir=0, mod=h("mod"))]


def month_dir(h: Hit) -> list[dict]:
    m, dir_ = h.lex.month(h.req("m")), h.lex.direction(h("dir"))
    return [item(h.start, h.end, "month", CONF_MONTH, y=None, m=m, dir=dir_, mod=h("mod"))]


def month_bare(h: Hit) -> list[dict]:
    """'en mars', 'juin': lower-case, or capitalised at the start of a sentence ('Mars' the planet is not)."""
    word = h("m") or ""
    if word[0].isupper() and (word == "Mars" or not sentence_initial(h, h.start)):
        return []
    return [item(h.start, h.end, "month", CONF_MONTH, y=None, m=h.lex.month(word), dir=0, mod=h("mod"))]


def decade(h: Hit) -> list[dict]:
    y = int((h("y") or "0").lstrip("'’"))
    if y < 100:
        y = 1900 + y  # "les années 60": the 20th century, as FR-TimeBank reads it
    return [item(h.start, h.end, "decade", CONF_YEAR, y=y, mod=h("mod"))]


def year_ctx(h: Hit) -> list[dict]:
    raw = (h("y") or "").lstrip("'’")
    y = int(raw)
    if len(raw) == 2:  # "en 97": resolved to a century against the anchor (dates_resolve.full_year)
        return [item(h.span("y")[0], h.end, "year", CONF_YEAR, y=y, mod=None)]
    if not YEAR_MIN_WITH_PREP <= y <= YEAR_MAX:
        return []
    return [item(h.start, h.end, "year", CONF_YEAR, y=y, mod=h("mod"))]


def year_bare(h: Hit) -> list[dict]:
    """A 4-digit year alone: not after 'article', 'n°'...; not a count ('2000 hommes'); 1900-2099 unless a
    preposition ('en 1789') says it is a date."""
    y = int(h.req("y"))
    prev = _previous_word(h, h.start)
    if prev in h.lex.notyear:
        return []
    low = YEAR_MIN_WITH_PREP if prev in YEAR_PREPOSITIONS else YEAR_MIN_BARE
    if not low <= y <= YEAR_MAX:
        return []
    if counted_noun_follows(h.text, h.end, FUNCTION_WORDS, UNITS):
        return []
    conf = CONF_YEAR if prev in YEAR_PREPOSITIONS else CONF_BARE_YEAR
    return [item(h.start, h.end, "year", conf, y=y, bare=True)]


def dayword(h: Hit) -> list[dict]:
    w = (h("w") or "").lower().replace("’", "'")
    return [item(h.start, h.end, "relday", CONF_DAYWORD, offset=h.lex.daywords[w])]


def partday(h: Hit) -> list[dict]:
    return [item(h.start, h.end, "relday", CONF_DAYWORD, offset=0)]


def period(unit: str):
    def handler(h: Hit) -> list[dict]:
        words = h.text[h.start : h.end].lower().replace("’", "'")
        # "fin d'année" without an article is a date only after "en" ("en fin d'année"); otherwise it
        # qualifies a noun ("une fête de fin d'année", "les examens de fin d'année").
        if re.search(r"\bd'\s*(?:année|semaine)\b", words) and _previous_word(h, h.start) != "en":
            return []
        offset = h.lex.direction(h("dir") or h("dir2"))
        if unit == "year" and "cours" in words:
            offset = 0
        return [item(h.start, h.end, "period", CONF_PERIOD, unit=unit, offset=offset, mod=h("mod"))]

    return handler


def weekend(h: Hit) -> list[dict]:
    return [item(h.start, h.end, "weekend", CONF_PERIOD, offset=h.lex.direction(h("dir")))]


def ago(sign: int):
    def handler(h: Hit) -> list[dict]:
        n = h.lex.number(h("n") or "")
        unit = h.lex.units.get((h("u") or "").lower())
        if n is None or unit is None or (sign > 0 and unit == "day" and n == 1):  # "dans un jour de grâce"
            return []
        return [item(h.start, h.end, "ago", CONF_AGO, unit=unit, n=sign * n)]

    return handler


_ANAPHOR_OFFSETS = {"veille": -1, "avant-veille": -2, "lendemain": 1, "surlendemain": 2}


def anaphor(h: Hit) -> list[dict]:
    words = re.split(r"[\s'’]+", (h("a") or "").lower())
    offset = next((_ANAPHOR_OFFSETS[w] for w in words if w in _ANAPHOR_OFFSETS), 0)
    return [item(h.start, h.end, "anaphor", CONF_ANAPHOR, offset=offset)]


def weekday(h: Hit) -> list[dict]:
    """'mercredi', 'ce mardi', 'lundi dernier'. Not a habit ('le lundi', 'les lundis'), not 'Mardi gras',
    not a capitalised name in mid-sentence ('Vendredi' in a title of a work)."""
    word = h("wd") or ""
    dir_ = h.lex.direction(h("dir"))
    prev = _previous_word(h, h.start)
    if not h("det") and not dir_ and prev in NOT_A_DATE_BEFORE_WEEKDAY:
        return []
    if re.match(rf"{S}(?:saint|gras|de{S}(?:pâques|pentecôte))\b", h.after(), re.I):
        return []
    if word[0].isupper() and not word.isupper() and not h("det") and not sentence_initial(h, h.start):
        return []
    return [item(h.start, h.end, "weekday", CONF_WEEKDAY, wd=h.lex.weekday(word), dir=dir_, this=bool(h("det")))]


# --- grammar --------------------------------------------------------------------------------------------

RULES = [
    Rule("nuit_wd", r"\b(?:(?:la|cette)%S%)?nuit%S%(?:de|du)%S%(?P<wa>%WD%)%S%(?:à|au)%S%(?P<wb>%WD%)", nuit_weekdays),
    Rule(
        "nuit_days",
        r"\b(?:(?:la|cette)%S%)?nuit%S%du%S%(?P<da>%DAY%)%S%au%S%(?P<db>%DAY%)%S%(?P<mb>%MONTH%)"
        r"(?:%S%(?P<yb>%YEAR%))?(?P<ma>)?(?P<ya>)?",
        day_range,
    ),
    Rule(
        "day_range",
        r"\b(?:du|entre%S%le|entre)%S%(?:%WD%%S%)?(?P<da>%DAY%)(?:%S%(?P<ma>%MONTH%)(?:%S%(?P<ya>%YEAR%))?)?"
        r"%S%(?:au|et%S%le|et)%S%(?:%WD%%S%)?(?P<db>%DAY%)%S%(?P<mb>%MONTH%)(?:%S%(?P<yb>%YEAR%))?",
        day_range,
    ),
    Rule("habit", r"\bdu%S%%WD%%S%au%S%%WD%", swallow),  # "chaque lundi": see weekday()
    Rule(
        "day_list",
        r"(?<![\d,.])\b(?:les%S%)?(?P<list>%DAY%(?:%S0%,%S0%%DAY%)*)%S%et%S%(?P<d>%DAY%)%S%(?P<m>%MONTH%)"
        r"(?:%S%(?P<y>%YEAR%))?(?:%S%(?P<dir>%DIRW%))?",
        day_list,
    ),
    Rule(
        "date",
        r"(?<![\d,.])\b(?:%DAYWORD%%S%(?=%WD%))?(?:(?P<det>le|ce)%S%)?(?:(?P<wd>%WD%)%S0%,?%S0%)?"
        r"(?P<d>%DAY%)(?:%S%|-)(?P<m>%MONTH%)(?:%S%(?P<y>%YEARX%))?(?:%S%(?P<dir>%DIRW%))?",
        full_date,
    ),
    Rule(
        "numeric",
        r"(?<![\d,./])\b(?:le%S%)?(?P<d>[0-3]?\d)[/.](?P<m>[01]?\d)[/.](?P<y>\d{4}|\d{2})(?![\d/]|\.\d)",
        numeric_date,
    ),
    Rule("iso", r"(?<![\d/.-])\b(?P<y>(?:1[89]|20)\d{2})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])", iso_date),
    Rule(
        "month_range",
        r"\b(?:(?:de|entre|en)%S%)?(?P<ma>%MONTHFULL%)(?:%S%(?P<ya>%YEAR%))?%S%(?:à|et|-)%S%(?P<mb>%MONTHFULL%)"
        r"(?:%S%(?P<yb>%YEAR%)|%S%(?P<dir>%DIRW%))",
        month_range,
    ),
    Rule("month_year", r"\b(?:(?P<mod>%MOD%)(?:%S%|-))?%MONTHOF%?(?P<m>%MONTH%)%S%(?P<y>%YEARX%)", month_year),
    Rule("month_dir", r"\b(?:(?P<mod>%MOD%)(?:%S%|-))?%MONTHOF%?(?P<m>%MONTHFULL%)%S%(?P<dir>%DIRW%)", month_dir),
    Rule("month_ctx", r"\b(?:(?P<mod>%MOD%)(?:%S%|-)|%MONTHOF%)(?P<m>%MONTHFULL%)", month_bare),
    Rule(
        "decade",
        r"\b(?:(?P<mod>début|fin|milieu)%S%des%S%|(?:les|des)%S%)?années%S%(?P<y>(?:1[0-9]|20)[0-9]0|[0-9]0)(?!\d)",
        decade,
    ),
    Rule(
        "year_ctx",
        r"\b(?:(?:(?:le|la)%S%)?(?P<mod>%MOD%|milieu)(?:%S%|-)(?:de%S%l%APOS%%S0%année%S%)?|l%APOS%an(?:née)?%S%)"
        r"(?P<y>\d{4})(?![\d.,]\d|%S0%%)",
        year_ctx,
    ),
    # "en 97": a two-digit year after "en", only when punctuation closes it ("en 98 minutes", "en 17 Grands
    # Prix" are counts).
    Rule("year_short", r"\ben%S%(?P<y>%APOS%?\d{2})(?=%S0%(?:[,;:()–—\n]|\.(?!\d)|$))", year_ctx),
    Rule(
        "period_year",
        r"\b(?:l%APOS%an(?:née)?%S%(?P<dir>%DIRW%)|cette%S%année(?!-)|l%APOS%année%S%en%S%cours"
        r"|(?:(?:le|la)%S%)?(?P<mod>début|fin|milieu)%S%(?:de%S%l%APOS%%S0%|d%APOS%%S0%|de%S%cette%S%)année"
        r"(?:%S%(?P<dir2>%DIRW%))?)(?!\w)",
        period("year"),
    ),
    Rule(
        "period_month",
        r"\b(?:le%S%mois%S%(?P<dir>%DIRW%)|ce%S%mois(?:-ci)?(?!%S%d[e'’]|-)"
        r"|(?:(?:le|la)%S%)?(?P<mod>début|fin|milieu)%S%(?:du|de%S%ce)%S%mois(?:%S%(?P<dir2>%DIRW%))?"
        r"(?!%S%d[e'’]))(?!\w)",
        period("month"),
    ),
    Rule(
        "period_week",
        r"\b(?:cette%S%semaine|la%S%semaine%S%(?P<dir>%DIRW%)"
        r"|(?:(?:le|la)%S%)?(?P<mod>début|fin|milieu)%S%de%S%(?:la|cette)%S%semaine(?:%S%(?P<dir2>%DIRW%))?)(?!\w)",
        period("week"),
    ),
    Rule("weekend", r"\b(?:ce%S%week-?end|le%S%week-?end%S%(?P<dir>%DIRW%))(?!\w)", weekend),
    Rule("ago", r"\bil%S%y%S%a%S%(?P<n>\d{1,3}|%NUMW%)%S%(?P<u>%UNIT%)", ago(-1)),
    Rule("in", r"\bdans%S%(?P<n>\d{1,3}|%NUMW%)%S%(?P<u>%UNIT%)", ago(1)),
    Rule(
        "anaphor",
        r"\b(?P<a>la%S%veille|l%APOS%avant-veille|le%S%lendemain|le%S%surlendemain|le%S%même%S%jour"
        r"|le%S%jour%S%même|ce%S%jour-là)(?!%S0%(?:de|du|des)(?!\w)|%S0%d%APOS%)",
        anaphor,
    ),
    Rule("dayword", r"\b(?P<w>%DAYWORD%)(?:%S%%WD%)?", dayword),
    Rule("partday", r"\b(?P<w>%PARTDAY%)", partday),
    Rule("weekday", r"\b(?:(?P<det>ce)%S%)?(?P<wd>%WD%)(?:%S%(?P<dir>%DIRW%))?", weekday),
    Rule("month_bare", r"\b(?P<m>%MONTHFULL%)(?P<mod>)?", month_bare),
    Rule("year_bare", r"(?<![\d.,€$£°])\b(?P<y>\d{4})(?![\d]|[.,]\d|%S0%%|%S0%h\d)", year_bare),
]

def start_phrases(lex: Lexicon) -> list[str]:
    """Every way an expression of RULES can start (see dates_patterns.trie_pattern): calendar words and digits,
    and the function words of the rules only together with the calendar word they introduce."""
    months = list(lex.months)
    full_months = [m for m in months if not m.endswith(".")]
    wds = list(lex.weekdays)
    out = ["#", "premier", "mois", "nuit", "années", "début", "fin", "mi", "courant", "milieu", *months, *wds]
    out += list(lex.daywords)
    heads = {
        "la": ["nuit", "semaine", "veille", "fin", "début", "milieu"],
        "cette": ["nuit", "semaine", "année", "après-midi", "fin", "début", "milieu"],
        "le": ["#", "premier", "mois", "lendemain", "surlendemain", "même", "jour", "week", "weekend", "début", "fin",
               "milieu", *wds],
        "ce": ["#", "premier", "matin", "soir", "mois", "week", "weekend", "jour", *wds],
        "cet": ["après-midi"],
        "du": ["#", "premier", *wds],
        "entre": ["#", "le", "premier", *wds, *full_months],
        "les": ["#", "premier", "années"],
        "des": ["années"],
        "en": ["#", "'#", *full_months],
        "de": full_months,
        "il": ["y a"],
        "dans": ["#", *lex.numbers],
    }
    out += [f"{h} {w}" for h, ws in heads.items() for w in ws]
    out += ["l'an", "l'année", "l'avant-veille"]
    return out


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    lex = lexicon("fr")
    full_months = [f for f in lex.months if not f.endswith(".")]
    placeholders = {
        "S0": S0,
        "S": S,
        "APOS": APOS,
        # "1 er" as some tokenised corpora (WiNER-fr) write it
        "DAY": r"(?:1[^\S\n]?er|1[^\S\n]?re|1ᵉʳ|premier|[12]\d|3[01]|0?[1-9])(?!\d)",
        "MONTHFULL": alternation(full_months) + r"(?!\w)",
        "MONTH": alternation(lex.months) + r"(?!\w)",
        "YEARX": r"(?:\d{4}(?![\d.,]\d)|%APOS%\d{2}(?!\d)|\d{2}(?!\d)(?!%S0%(?:\d|(?-i:[a-zà-ÿ%])|h\b)))",
        "YEAR": r"\d{4}(?![\d.,]\d)",
        "WD": alternation(lex.weekdays) + r"(?!\w)",
        "DIRW": alternation(lex.dirs) + r"(?!\w)",
        "NUMW": alternation(lex.numbers) + r"(?!\w)",
        "UNIT": alternation(lex.units) + r"(?!\w)",
        "DAYWORD": alternation(lex.daywords) + r"(?!\w)",
        "PARTDAY": alternation(lex.partdays) + r"(?!\w)",
        "MOD": r"(?:début|fin|mi|courant)",
        "MONTHOF": r"(?:(?:le%S%)?mois%S%d(?:e%S%|%APOS%%S0%))",  # "(le) mois de", "mois d'"
    }
    # YEARX and MONTHOF use other placeholders: expand them first.
    for key in ("YEARX", "MONTHOF"):
        for k2 in ("APOS", "S0", "S"):
            placeholders[key] = placeholders[key].replace(f"%{k2}%", placeholders[k2])
    return build(RULES, placeholders, lex, re.IGNORECASE, trie_pattern(start_phrases(lex)))
