"""Machinery shared by the French and English date finders: the lexicon, and one compiled regex per language.

Each language module (`dates_fr`, `dates_en`) lists `Rule`s in priority order: a name, a regex template
that uses %PLACEHOLDERS% for lexicon alternations, and a handler that turns a match into zero or more
descriptions (see `dates_resolve` for their keys). All rules of a language are joined into one
alternation, scanned once over the text: at each position the first rule that matches wins, so longer
constructions ("du 3 au 5 mars") are listed before their parts ("5 mars"). A handler may return nothing
to reject a match (a "negative" rule that swallows "chaque lundi" is a rule whose handler returns []).
Everything here works on plain text; the spaCy-dependent parts live in `dates_context`.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

from vigie.lexicons import read_text

# Whitespace inside one expression: never a line break (a title line ending in "mars" and a line starting
# with "2016" are not "mars 2016").
S = r"[^\S\n]+"
S0 = r"[^\S\n]*"
APOS = r"['’]"


@dataclass(slots=True)
class Lexicon:
    """The calendar words of one language (resources/dates_lexicon.tsv)."""

    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    daywords: dict[str, int] = field(default_factory=dict)
    partdays: dict[str, int] = field(default_factory=dict)
    dirs: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    notyear: set[str] = field(default_factory=set)

    def month(self, s: str) -> int:
        return self.months[s.lower()]

    def weekday(self, s: str) -> int:
        return self.weekdays[s.lower()]

    def direction(self, s: str | None) -> int:
        return self.dirs.get(s.lower(), 0) if s else 0

    def number(self, s: str) -> int | None:
        if s.isdigit():
            return int(s)
        return self.numbers.get(s.lower())


@lru_cache(maxsize=1)
def _lexicons() -> dict[str, Lexicon]:
    text = read_text("dates_lexicon.tsv")
    out: dict[str, Lexicon] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, kind, form, value = line.split("\t")
        lex = out.setdefault(lang, Lexicon())
        form = form.lower().replace("’", "'")
        if kind == "month":
            lex.months[form] = int(value)
        elif kind == "weekday":
            lex.weekdays[form] = int(value)
        elif kind == "dayword":
            lex.daywords[form] = int(value)
        elif kind == "partday":
            lex.partdays[form] = int(value)
        elif kind == "dir":
            lex.dirs[form] = int(value)
        elif kind == "unit":
            lex.units[form] = value
        elif kind == "number":
            lex.numbers[form] = int(value)
        elif kind == "notyear":
            lex.notyear.add(form)
    return out


def lexicon(lang: str) -> Lexicon:
    return _lexicons()[lang]


def alternation(forms: Iterable[str]) -> str:
    """A regex alternation of literal forms, longest first; spaces match any run of blanks, ' any apostrophe."""
    parts = []
    for f in sorted(set(forms), key=len, reverse=True):
        p = re.escape(f).replace(r"\ ", S).replace("'", APOS)
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


def trie_pattern(phrases: Iterable[str]) -> str:
    """A regex matching the start of any of `phrases`, as a character trie.

    Python's regex engine tries the branches of an alternation one by one; a trie ("j(?:anvier|uin|...)")
    rejects a position after one or two character tests instead of one test per word. In a phrase, a space
    stands for a run of blanks, ' for an apostrophe (and blanks after it, as in "l' an"), # for a digit. A
    phrase ending in a letter must end a word ("mai", not "maire"); one ending in a space or # is a prefix.
    """
    root: dict = {}
    for phrase in set(phrases):
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def unit(ch: str) -> str:
        return {" ": S, "'": APOS + S0, "#": r"\d"}.get(ch) or re.escape(ch)

    def emit(node: dict, last: str) -> str:
        alts = []
        for ch in sorted(node, key=lambda c: (c == "", c)):
            if ch == "":
                alts.append(r"(?!\w)" if last.isalpha() else "")
            else:
                alts.append(unit(ch) + emit(node[ch], ch))
        if len(alts) == 1:
            return alts[0]
        if "" in alts:  # an empty branch (prefix accepted): make it the last resort
            alts = [a for a in alts if a] + [""]
        return "(?:" + "|".join(alts) + ")"

    return emit(root, "")


class Hit:
    """A match seen through one rule's group names (the master regex prefixes them with the rule's name)."""

    __slots__ = ("m", "prefix", "lex", "text")

    def __init__(self, m: re.Match[str], prefix: str, lex: Lexicon, text: str) -> None:
        self.m, self.prefix, self.lex, self.text = m, prefix, lex, text

    def __call__(self, name: str) -> str | None:
        """The text of the rule's group `name`, None when it did not take part (or the rule has no such group:
        handlers are shared between rules)."""
        try:
            return self.m.group(f"{self.prefix}_{name}")
        except IndexError:
            return None

    def req(self, name: str) -> str:
        """The text of a group the rule's regex always fills when it matches (same value as `self(name)`)."""
        return cast(str, self(name))

    def span(self, name: str | None = None) -> tuple[int, int]:
        return self.m.span(f"{self.prefix}_{name}" if name else self.prefix)

    @property
    def start(self) -> int:
        return self.m.start(self.prefix)

    @property
    def end(self) -> int:
        return self.m.end(self.prefix)

    def before(self, n: int = 30) -> str:
        """Up to n characters before the match, on the same line."""
        s = self.text[max(0, self.start - n) : self.start]
        return s.rsplit("\n", 1)[-1]

    def after(self, n: int = 40) -> str:
        s = self.text[self.end : self.end + n]
        return s.split("\n", 1)[0]


Handler = Callable[[Hit], list[dict]]


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    template: str
    handler: Handler


@dataclass(slots=True)
class Grammar:
    regex: re.Pattern[str]  # the rules behind a start guard: what `scan` uses
    rules: dict[str, Rule]
    lex: Lexicon
    unguarded: re.Pattern[str]  # the same rules without the guard, to test the guard against


_GROUP = re.compile(r"\(\?P<(\w+)>")


def expand(template: str, placeholders: dict[str, str], where: str) -> str:
    for key, value in placeholders.items():
        template = template.replace(f"%{key}%", value)
    leftover = re.findall(r"%[A-Z][A-Z0-9]*%", template)
    if leftover:  # a typo in a template, caught when the grammar is first built
        raise ValueError(f"{where}: unknown placeholders {leftover}")
    return template


def _group_renamer(prefix: str) -> Callable[[re.Match[str]], str]:
    """A `re.sub` replacement turning the group `(?P<name>` into `(?P<prefix_name>`."""

    def rename(g: re.Match[str]) -> str:
        return f"(?P<{prefix}_{g.group(1)}>"

    return rename


def build(rules: list[Rule], placeholders: dict[str, str], lex: Lexicon, flags: int, start: str) -> Grammar:
    """Join the rules into one alternation, renaming each rule's groups `<rule>_<group>`.

    `start` is a regex (see `trie_pattern`) for the words an expression can begin with. Python's regex engine
    tries every alternative at every position; checking the start first makes the scan more than ten times
    faster. It must accept every start a rule can match: tests/test_dates.py compares the guarded scan with
    the unguarded one.
    """
    alts = []
    for rule in rules:
        pat = _GROUP.sub(_group_renamer(rule.name), expand(rule.template, placeholders, rule.name))
        alts.append(f"(?P<{rule.name}>{pat})")
    body = "|".join(alts)
    guarded = re.compile(rf"\b(?={start})(?:{body})", flags)
    return Grammar(guarded, {r.name: r for r in rules}, lex, re.compile(body, flags))


def scan(grammar: Grammar, text: str, guarded: bool = True) -> list[dict]:
    """Every description the grammar finds in `text`, in text order."""
    out: list[dict] = []
    for m in (grammar.regex if guarded else grammar.unguarded).finditer(text):
        name = m.lastgroup
        if name is None:
            continue
        rule = grammar.rules[name]
        for desc in rule.handler(Hit(m, name, grammar.lex, text)):
            desc.setdefault("rule", name)
            out.append(desc)
    out.sort(key=lambda d: d["start"])
    return out


def item(start: int, end: int, kind: str, confidence: float, **fields: object) -> dict:
    """One description, as stored in doc._.dates (plain types only)."""
    return {"start": start, "end": end, "kind": kind, "confidence": confidence, **fields}


def day_number(s: str) -> int:
    """'1er', '1re', 'premier', '03', '21st' -> int."""
    s = s.lower().replace(" ", "")
    if s.startswith(("1er", "1re", "1ᵉʳ", "premier", "first")):
        return 1
    digits = re.match(r"\d+", s)
    return int(digits.group()) if digits else 0


_NEXT_WORD = re.compile(r"[^\S\n]*(?:[-–]|à|et|ou|to|and|or)?[^\S\n]*(\d[\d  .,]*)?[^\S\n]*([^\W\d_][\w'’-]*)?")


def counted_noun_follows(text: str, end: int, function_words: frozenset[str], units: frozenset[str]) -> bool:
    """True when the number ending at `end` counts something ("2000 hommes", "2000 à 3000 manifestants").

    A plural lower-case word (ending in s or x) that is not a function word, or a unit, right after the
    number (or after "à/et <number>") makes it a quantity rather than a year.
    """
    m = _NEXT_WORD.match(text, end)
    if not m or not m.group(2):
        return False
    word = m.group(2)
    lw = word.lower()
    if lw in units:
        return True
    if not word[0].islower() or lw in function_words:
        return False
    return len(lw) > 3 and lw[-1] in "sx" and not lw.endswith("ss")


# Confidence per rule family: about how often an expression of that family is a date with the right value.
# From the precision and value accuracy per family that bench/timebank.py prints (FR-TimeBank, 207 matched
# expressions, precision 1.0 for every family) and the dev set, rounded down where the counts are small:
# day words 51/51 right, bare years 29/29, day-month dates 52/53, weekdays 25/29 (the tense guess),
# ranges 4/6 (TimeML splits them); families seen fewer than ten times keep a prior below those.
CONF_FULL_DATE = 0.95  # day, month and year written out: "le 14 juillet 2016"
CONF_DAYWORD = 0.95  # "hier", "aujourd'hui", "demain"
CONF_MONTH_YEAR = 0.93  # "janvier 2012", "fin septembre 2016"
CONF_YEAR = 0.9  # "en 2015", "l'année 2001", "début 2016"
CONF_DAY_MONTH = 0.9  # "le 20 mars": the year is inferred
CONF_BARE_YEAR = 0.85  # "2004" alone: could still be a count the rules did not recognise
CONF_PERIOD = 0.85  # "la semaine dernière", "l'an prochain", "cette année"
CONF_MONTH = 0.8  # "en mars": the year is inferred
CONF_WEEKDAY = 0.8  # "mercredi": past or future comes from the tense
CONF_RANGE = 0.75  # "du 3 au 5 mars", "la nuit de mercredi à jeudi"
CONF_AGO = 0.7  # "il y a trois jours"
CONF_ANAPHOR = 0.6  # "la veille", "le lendemain": relative to another date of the text
