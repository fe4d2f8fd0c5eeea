"""Numbers as news write them, in French and English: regex fragments that find them, functions that read them.

French: "2.000" and "10 000" (dot or space thousands; NBSP/NNBSP are plain spaces in the model text),
"1,5 million" (comma decimals), number words up to the milliards ("vingt-cinq", "deux cents", "soixante et onze",
"quatre-vingt-dix", "dix mille"), vague counts ("une dizaine", "des centaines", "des dizaines de milliers").
English: "10,000", "1.5 million", "$2m", "twenty-five", "two hundred and fifty", "a dozen", "dozens",
"hundreds", "tens of thousands", "several hundred".

    >>> parse_number("10 000", "fr"), parse_number("2.000", "fr"), parse_number("1,5", "fr")
    (10000.0, 2000.0, 1.5)
    >>> parse_number("un demi-milliard", "fr"), parse_number("deux millions", "fr")
    (500000000.0, 2000000.0)
    >>> parse_number("10,000", "en"), parse_number("quatre-vingt-dix", "fr")
    (10000.0, 90.0)
    >>> parse_number("two hundred and fifty", "en")
    250.0
    >>> vague_bounds("centaines", None, "fr"), vague_bounds("dizaines", "milliers", "fr")
    ((200.0, 999.0), (20000.0, 99999.0))
"""
from __future__ import annotations

import re

from vigie.lexicons import word_pairs

# --- number words -------------------------------------------------------------------------------------------
# The word lists are in resources/number_words_<fr|en|all>.tsv, as pairs "word = value".


def _ints(name: str, cls: str) -> dict[str, int]:
    return {word: int(value) for word, value in word_pairs(name, cls).items()}


FR_UNITS = _ints("number_words_fr.tsv", "unit")
FR_HUNDRED = {"cent", "cents"}
FR_SCALES = _ints("number_words_fr.tsv", "scale")

EN_UNITS = _ints("number_words_en.tsv", "unit")
EN_HUNDRED = {"hundred"}
EN_SCALES = _ints("number_words_en.tsv", "scale")

# Multipliers written after digits ("1,5 million", "2 Md€", "$3bn").
MULTIPLIERS = {k: float(v) for k, v in word_pairs("number_words_all.tsv", "multiplier").items()}

# Vague count nouns: "une dizaine" = 10 (approx); "des dizaines" = 2..9 tens (20-99).
FR_VAGUE = _ints("number_words_fr.tsv", "vague")
EN_VAGUE = _ints("number_words_en.tsv", "vague")


def _alt(words: list[str] | set[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def digits_pattern(lang: str) -> str:
    """Digits with the language's thousands and decimal separators (no boundaries: the caller adds them)."""
    if lang == "fr":
        # 10 000 (space, NBSP, NNBSP — model_text makes the last two plain spaces), 10.000, 1,5
        # ... and "3.5 millions" (a decimal point, English style, before a multiplier)
        return (r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
                r"|\d+\.\d+(?=\s*milli)|\d+(?:,\d+)?")
    return r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def words_pattern(lang: str) -> str:
    """A run of number words ("vingt-cinq", "deux cent mille", "two hundred and fifty")."""
    if lang == "fr":
        word = _alt(set(FR_UNITS) | FR_HUNDRED | set(FR_SCALES) | {"quatre-vingts", "quatre-vingt", "demi"})
        # "et" joins only "vingt et un", "soixante et onze"...
        joiner = r"(?:[- ]et[- ](?=une?\b|onze\b)|[- ])"
    else:
        word = _alt((set(EN_UNITS) - {"a"}) | EN_HUNDRED | set(EN_SCALES))
        joiner = r"(?:\s+and\s+|[- ])"
    one = rf"(?:{word})(?!\w)"
    return rf"{one}(?:{joiner}{one})*(?![\w-])"


def parse_digits(text: str, lang: str) -> float | None:
    s = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if lang == "fr":
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
            s = s.replace(".", "")
        s = s.replace(" ", "").replace(",", ".")
    else:
        s = s.replace(",", "").replace(" ", "")
    try:
        return float(s)
    except ValueError:
        return None


def parse_words(text: str, lang: str) -> float | None:
    """Value of a run of number words; None when the words do not form a number ("deux trois")."""
    s = text.lower().replace("quatre-vingts", "quatre-vingt").replace("quatre-vingt", "quatrevingt")
    s = re.sub(r"\bune?[\s-]+demi\b", "demi", s)  # "un demi-milliard"
    words = [w for w in re.split(r"[\s-]+", s) if w and w not in ("et", "and")]
    if not words:
        return None
    units: dict[str, float] = dict(FR_UNITS if lang == "fr" else EN_UNITS)
    units["quatrevingt"] = 80
    if lang == "fr":
        units["demi"] = 0.5
    hundred = FR_HUNDRED if lang == "fr" else EN_HUNDRED
    scales = FR_SCALES if lang == "fr" else EN_SCALES
    total, current, last = 0.0, 0.0, None
    for w in words:
        if w in units:
            value = units[w]
            # "deux trois" is two numbers, not five: a unit may only follow a bigger tens/hundreds/scale word
            if last is not None and last in units and not (units[last] >= 20 and units[last] % 10 == 0 and value < 10
                                                            or last == "dix" and 7 <= value <= 9
                                                            or last == "soixante" and value < 20
                                                            or last == "quatrevingt" and value < 20):
                return None
            current += value
        elif w in hundred:
            current = (current or 1) * 100
        elif w in scales:
            total += (current or 1) * scales[w]
            current = 0
        else:
            return None
        last = w
    return total + current


def parse_number(text: str, lang: str) -> float | None:
    """Digits ("10.000", "1,5") or number words ("vingt-cinq") -> value."""
    if text[:1].isdigit():
        return parse_digits(text, lang)
    return parse_words(text, lang)


def vague_value(noun: str, lang: str) -> float | None:
    """'dizaine' -> 10, 'centaines' -> 100, 'hundreds' -> 100 (the base of a vague count noun)."""
    key = noun.lower()
    table = FR_VAGUE if lang == "fr" else EN_VAGUE
    if key in table:
        return float(table[key])
    if key.endswith("s") and key[:-1] in table:
        return float(table[key[:-1]])
    return None


def vague_bounds(noun: str, multiplier: str | None, lang: str) -> tuple[float, float] | None:
    """Bounds of a plural vague count: 'des centaines' 200-999, 'des dizaines de milliers' 20000-99999.

    The guide's convention: "des dizaines" is two to nine tens, so 2*base .. 10*base - 1, times the multiplier.
    """
    base = vague_value(noun, lang)
    if base is None:
        return None
    if base == 12:
        base = 10  # "des douzaines", "dozens": the guide reads them as "des dizaines" (20-99)
    mult = vague_value(multiplier, lang) if multiplier else 1.0
    if mult is None:
        return None
    return 2 * base * mult, 10 * base * mult - 1
