"""The numeric expression of the quantities extractor: the regex that finds one, and how to read its match.

An expression is an optional approximator ("plus de", "près d'", "at least"), an optional currency sign or code
("£", "CA$", "CHF": the signs of `resources/currencies.tsv`; a code is any three letters here, which
`vigie.quantities.component` keeps only when they are an ISO code in capitals), then a vague count ("des dizaines",
"une centaine", "tens of thousands"), a range ("entre 30 et 40", "10 à 20 000") or one number (digits or words, with a
multiplier: "1,5 million", "$2m"), then an optional currency sign ("750 €"). The counted noun after it is found by
`vigie.quantities.nouns`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vigie.quantities.lexicon import currency_signs
from vigie.quantities.numbers import MULTIPLIERS, digits_pattern, parse_number, vague_bounds, vague_value, words_pattern

_DE = r"d(?:e\s+|')"  # "de " or "d'" (the model text has straight apostrophes)

_PREFIXES = {
    "fr": {
        "low": rf"(?:un\s+peu\s+|bien\s+|largement\s+|légèrement\s+)?plus\s+{_DE}|au\s+moins\s+|pas\s+moins\s+{_DE}"
               rf"|au\s+minimum\s+|au\s+bas\s+mot\s+",
        "high": rf"(?:un\s+peu\s+|bien\s+|légèrement\s+)?moins\s+{_DE}|au\s+maximum\s+|au\s+plus\s+|jusqu'\s*à\s+"
                rf"|pas\s+plus\s+{_DE}",
        "apx": rf"près\s+{_DE}|environ\s+|quelques?\s+|presque\s+|approximativement\s+|à\s+peu\s+près\s+"
               rf"|autour\s+{_DE}|pratiquement\s+|quasiment\s+|aux\s+alentours\s+{_DE}|grosso\s+modo\s+"
               rf"|une\s+estimation\s+{_DE}|estimée?s?\s+à\s+",
    },
    "en": {
        "low": r"more\s+than\s+|over\s+|at\s+least\s+|upwards\s+of\s+|in\s+excess\s+of\s+|no\s+(?:fewer|less)\s+than\s+"
               r"|a\s+minimum\s+of\s+",
        "high": r"fewer\s+than\s+|less\s+than\s+|under\s+|up\s+to\s+|as\s+many\s+as\s+|at\s+most\s+"
                r"|no\s+more\s+than\s+",
        "apx": r"nearly\s+|almost\s+|about\s+|around\s+|some\s+|roughly\s+|approximately\s+|an\s+estimated\s+"
               r"|close\s+to\s+|estimated\s+|just\s+(?:over|under)\s+|an\s+estimate\s+of\s+",
    },
}

_VAGUE_FR_PLURAL = "dizaines|douzaines|vingtaines|centaines|milliers|millions|milliards"
_VAGUE_FR_SINGULAR = ("dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine"
                      "|centaine|millier")


# Every word an expression can start with (approximators, vague determiners, number words, "us$"): checked by a
# lookahead first at each word start, which makes the whole search about twice as fast.
_FIRST_WORDS = {
    "fr": "plus|moins|au|aux|pas|près|environ|quelques?|presque|approximativement|à|autour|pratiquement|quasiment"
          "|grosso|une?|estimée?s?|des|plusieurs|de|entre|jusqu|bien|largement|légèrement|zéro|deux|trois|quatre"
          "|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante"
          "|soixante|septante|huitante|octante|nonante|cents?|mille|millions?|milliards?|demi|us",
    "en": "more|over|at|upwards|in|no|a|an|fewer|less|under|up|as|nearly|almost|about|around|some|roughly"
          "|approximately|close|estimated|just|tens|hundreds|thousands|millions|billions|dozens|several|many"
          "|between|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
          "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
          "|thousand|million|billion|trillion|us",
}


@lru_cache(maxsize=8)
def expression(lang: str, ignore_case: bool = False) -> re.Pattern[str]:
    """The regex of one numeric expression: optional approximator, then a vague count, a range or a number.

    Written for lower-cased text (the extractor searches `text.lower()` when lower-casing keeps every offset,
    which is twice as fast as a case-insensitive search); `ignore_case=True` for the other texts.

    Named groups: low/high/apx (approximator kinds), cur/cur2 (currency sign before/after), vq/vn/vm
    (plural vague count: determiner, noun, "de milliers"), vs/vsm (singular vague: "une centaine (de milliers)"),
    b1/bm1/b2/bm2 ("entre 30 et 40"), r1/rm1/r2/rm2 ("10 à 20 000"), n/m (one number, its multiplier).
    """
    pre = _PREFIXES[lang]
    prefix = f"(?:(?P<low>{pre['low']})|(?P<high>{pre['high']})|(?P<apx>{pre['apx']}))?"
    # a number never continues a word, a decimal, a code ("A7", "n°2", "-62kg") nor goes on into letters
    # ("1er", "14h30", "25-year-old"), a decimal or a percentage
    dig = rf"(?<![\w.,/°#])(?<!\w-)(?:{digits_pattern(lang)})(?![\w%])(?![.,]\d)(?!-[^\W\d_])"
    num = rf"(?:{dig}|(?<![\w-]){words_pattern(lang)})"
    if lang == "fr":
        mult = r"(?:\s*(?:demi-)?(?:millions?|milliards?)(?![\w-])|\s+mille(?![\w-])|\s*(?:mds?|m|k)(?=\s*[€$£]))"
        vague = (rf"(?P<vq>des|plusieurs|quelques|de\s+(?:très\s+)?nombreu(?:x|ses))\s+(?P<vn>{_VAGUE_FR_PLURAL})"
                 rf"(?:\s+{_DE}(?P<vm>milliers|millions|milliards))?"
                 rf"|une?\s+(?P<vs>{_VAGUE_FR_SINGULAR})s?(?:\s+{_DE}(?P<vsm>milliers|millions|milliards))?")
        between = r"entre\s+"
        joiner_between = r"\s+et\s+"
        joiner_range = r"\s*(?:à|au|ou|-|–)\s*"
    else:
        mult = r"(?:\s*(?:million|billion|trillion)s?(?![\w-])|\s*(?:bn|m|k)(?![\w-]))"
        vague = (r"(?:(?P<vm>tens|hundreds)\s+of\s+)?(?P<vn>dozens|hundreds|thousands|millions|billions)(?!\w)"
                 r"|(?P<vq>several|a\s+few|a\s+couple\s+of|many)\s+(?P<vp>dozen|hundred|thousand|million)(?!\w)"
                 r"|an?\s+(?P<vs>dozen|hundred|thousand|million|billion)(?!\w)")
        between = r"between\s+"
        joiner_between = r"\s+and\s+"
        joiner_range = r"\s*(?:to|or|-|–)\s*"
    signs = "|".join(re.escape(sign.lower()) for sign in currency_signs())
    sign_chars = "".join(sorted({re.escape(c) for sign in currency_signs() for c in sign if not c.isalnum()}))
    # a sign, or three letters right before the number ("CHF 50", "GBP 3m": the caller checks the code)
    currency = rf"(?:(?P<cur>us\s?\$|{signs}|[^\W\d_]{{3}}(?=\s?\d))\s?)?"
    core = (
        f"(?:{vague})"
        f"|{between}(?P<b1>{num})(?P<bm1>{mult})?{joiner_between}(?P<b2>{num})(?P<bm2>{mult})?"
        f"|(?P<r1>{num})(?P<rm1>{mult})?{joiner_range}(?P<r2>{num})(?P<rm2>{mult})?"
        f"|(?P<n>{num})(?P<m>{mult})?"
    )
    first = (rf"(?=\d|[{sign_chars}]|[^\W\d_]{{1,3}}[{sign_chars}]|[^\W\d_]{{3}}\s?\d"
             rf"|(?:{_FIRST_WORDS[lang]})(?!\w))")
    pattern = rf"(?<!\w){first}{prefix}{currency}(?:{core})(?:\s?(?P<cur2>{signs})(?!\w))?"
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


@dataclass
class Number:
    """The numeric part of a match: value or bounds, and how it was written."""

    value: float | None
    low: float | None
    high: float | None
    approx: bool
    vague: bool
    digits: bool
    multiplied: bool
    money: bool  # a currency sign was part of it


def plain_number(v: float | None) -> float | int | None:
    """Integral values as int (2000, not 2000.0) in the records."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() else round(v, 6)


BARE_SCALES = frozenset({"million", "millions", "milliard", "milliards", "billion", "billions", "trillion"})
SCALE_WORD_END = re.compile(r"[\s-]*(?:mille|millions?|milliards?|thousand|million|billion)$", re.IGNORECASE)


def _multiplier(text: str | None) -> float:
    if not text:
        return 1.0
    return MULTIPLIERS.get(text.strip().lower(), 1.0)


def read_number(m: re.Match[str], lang: str) -> Number | None:
    """Value and bounds of the numeric core of an `expression` match; None when it is not a number after all."""
    g = m.groupdict()
    money = bool(g.get("cur") or g.get("cur2"))
    short = {"m", "k", "bn", "md", "mds"}
    for key in ("m", "rm1", "rm2", "bm1", "bm2"):
        if g.get(key) and g[key].strip().lower() in short and not money:
            return None  # "20 m" is metres, "$2m" is money
    approx = bool(g.get("apx") or g.get("low") or g.get("high"))
    if g.get("vn"):
        bounds = vague_bounds(g["vn"], g.get("vm"), lang)
        if bounds is None:
            return None
        return Number(None, bounds[0], bounds[1], True, True, False, False, money)
    if g.get("vp"):  # "several hundred"
        bounds = vague_bounds(g["vp"], None, lang)
        return Number(None, bounds[0], bounds[1], True, True, False, False, money) if bounds else None
    if g.get("vs"):
        base = vague_value(g["vs"], lang)
        if base is None:
            return None
        mult = vague_value(g["vsm"], lang) if g.get("vsm") else 1.0
        # English "a hundred people" is exact; "a dozen", "une centaine" are round figures
        exact = lang == "en" and g["vs"].lower() != "dozen"
        value = base * (mult or 1.0)
        return Number(value, value if g.get("low") else None, value if g.get("high") else None, approx or not exact,
                      not exact, False, bool(g.get("vsm")), money)
    if g.get("b1") or g.get("r1"):
        k1, k2, km1, km2 = ("b1", "b2", "bm1", "bm2") if g.get("b1") else ("r1", "r2", "rm1", "rm2")
        v1, v2 = parse_number(g[k1], lang), parse_number(g[k2], lang)
        if v1 is None or v2 is None:
            return None
        m1, m2 = _multiplier(g.get(km1)), _multiplier(g.get(km2))
        v1, v2 = v1 * m1, v2 * m2
        # "10 à 20 000 combattants", "2 à 3 millions": the second number's multiplier distributes over the first
        head, scale = _head_and_scale(g[k2], m2, lang)
        if m1 == 1 and scale > 1 and v1 < head:
            v1 *= scale
        if not v1 < v2:
            return None  # "3 à 1" is a score, "2016 à 2015" nothing
        scaled = max(m1, m2) > 1 or bool(SCALE_WORD_END.search(g[k2]))
        return Number(None, v1, v2, True, False, g[k1][:1].isdigit(), scaled, money)
    if g["n"].lower() in BARE_SCALES:
        return None  # "millions" alone is no number ("des millions" is a vague count)
    v = parse_number(g["n"], lang)
    if v is None:
        return None
    mult = _multiplier(g.get("m"))
    value = v * mult
    low = value if g.get("low") else None
    high = value if g.get("high") else None
    # "deux millions de pèlerins": a number word ending in a scale takes "de" like a multiplier
    scaled = mult > 1 or bool(SCALE_WORD_END.search(g["n"]))
    return Number(value, low, high, approx, False, g["n"][:1].isdigit(), scaled, money)


def _head_and_scale(text: str, mult: float, lang: str) -> tuple[float, float]:
    """The leading figure of a number and what multiplies it: '20 000' -> (20, 1000); '3' with 'millions' and
    'trois millions' -> (3, 1e6)."""
    if mult > 1:
        return parse_number(text, lang) or 0.0, mult
    m = re.fullmatch(r"(\d{1,3})((?:[ .,\u00a0\u202f]000)+)", text.strip())
    if m and (lang == "fr" or "," in m.group(2)):
        return float(m.group(1)), 10.0 ** (3 * m.group(2).count("000"))
    scale = SCALE_WORD_END.search(text)
    if scale and scale.start() > 0:
        head = parse_number(text[: scale.start()].strip(" -"), lang)
        if head:
            return head, (parse_number(scale.group().strip(" -"), lang) or 1.0)
    return parse_number(text, lang) or 0.0, 1.0
