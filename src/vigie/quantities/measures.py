"""Measures: a number with a unit of measurement ("80 kg", "4 000 m", "12 km", "100 km/h", "40 degrés", "2 hectares"),
read against `resources/measure_units.tsv`. They are no counts of people or things: `vigie.quantities.component` lists
them apart, in `doc._.measures`, as plain dicts: start, end (number and unit), value, low, high, unit (the normalised
symbol: "kg", "m", "km/h", "°C"). A measure of what an event acted on ("3 kilos de TATP" seized) is also a count, as
before (the `material` class of quantity_units.tsv), so it is in both lists.

"livres"/"pounds" are weights only after a word of weighing ("pesait 200 livres") or before what they weigh
("200 pounds of cocaine"); otherwise money.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vigie.lexicons import read_rows
from vigie.quantities.expression import Number, plain_number
from vigie.quantities.lexicon import MONEY, WEAK_MONEY, WORD_RE, Lexicon, lookup, words
from vigie.quantities.numbers import parse_number

DE = frozenset({"de", "d'", "of"})
WEIGH_WINDOW = 40  # characters before the number searched for a word of weighing


@dataclass(frozen=True, slots=True)
class MeasureUnit:
    unit: str  # normalised symbol
    dimension: str  # mass | length | ... ; "mass|money" for "livres", "pounds"

    @property
    def money(self) -> bool:
        return "money" in self.dimension


@dataclass(frozen=True)
class MeasureTable:
    units: dict[tuple[str, ...], MeasureUnit]  # lower-cased word tuple -> unit
    max_words: int
    first_words: frozenset[str]  # first words of every form: a cheap test before the lookup

    def lookup(self, ws: list[str], i: int) -> tuple[MeasureUnit, int] | None:
        """Longest unit starting at word i of `ws`: (unit, number of words)."""
        for n in range(min(self.max_words, len(ws) - i), 0, -1):
            unit = self.units.get(tuple(ws[i : i + n]))
            if unit is not None:
                return unit, n
        return None


@lru_cache(maxsize=4)
def measure_table(lang: str) -> MeasureTable:
    units: dict[tuple[str, ...], MeasureUnit] = {}
    for row in read_rows("measure_units.tsv"):
        row_lang, symbol, dimension, forms = row.cells
        if row_lang not in (lang, "*"):
            continue
        for form in forms.split(","):
            if form.strip():
                units.setdefault(words(form), MeasureUnit(symbol, dimension))
    return MeasureTable(units, max(len(k) for k in units), frozenset(k[0] for k in units))


class MeasureReader:
    """Reads the measure at a number of one text (the Doc's text, same offsets)."""

    def __init__(self, text: str, lex: Lexicon, lang: str) -> None:
        self.text = text
        self.lex = lex
        self.lang = lang
        self.table = measure_table(lang)
        self.weigh = lex.word_list("weigh")
        self.first_words = self.table.first_words

    def read(self, m: re.Match[str], number: Number, after: list[re.Match[str]], ws: list[str]) -> dict | None:
        """The measure of match `m` (`after`: the words after it, `ws` the same lower-cased), or None."""
        if number.money:
            return None
        i = 1 if ws[:1] and ws[0] in DE and (number.multiplied or number.vague) else 0  # "1,5 million de tonnes"
        if i >= len(ws) or ws[i] not in self.first_words:
            return None
        hit = self.table.lookup(ws, i)
        if hit is None:
            return None
        unit, n = hit
        if unit.money and not self.weight(m, ws, i, n):
            return None
        return {"start": m.start(), "end": after[i + n - 1].end(), "value": plain_number(number.value),
                "low": plain_number(number.low), "high": plain_number(number.high), "unit": unit.unit}

    def weight(self, m: re.Match[str], ws: list[str], i: int, n: int) -> bool:
        """'pesait 200 livres', '200 pounds of cocaine': a weight; '5 millions de livres', '£200 pounds': money."""
        money = lookup(self.lex, ws, i)
        if money is not None and money[0].cls in (MONEY, WEAK_MONEY) and money[1] > n:
            return False  # "livres sterling"
        before = {w.lower() for w in WORD_RE.findall(self.text, max(0, m.start() - WEIGH_WINDOW), m.start())}
        if not before.isdisjoint(self.weigh):
            return True
        j = i + n
        return j + 1 < len(ws) and ws[j] in DE and ws[j + 1][:1].isalpha() and ws[j + 1] not in self.lex.word_list("stop")

    def metres(self, m: re.Match[str]) -> dict | None:
        """English '400 m', which the expression reads as a multiplier ("$2 m" is two million): a length."""
        mult = m.group("m") or ""
        if self.lang != "en" or mult.strip().lower() != "m" or not mult[:1].isspace() or not m.group("n"):
            return None
        value = parse_number(m.group("n"), self.lang)
        if value is None:
            return None
        return {"start": m.start(), "end": m.end(), "value": plain_number(value), "low": None, "high": None, "unit": "m"}
