"""The quantities extractor's data, per language: counted nouns, role cues and word lists.

Read once per language on first use (functools.lru_cache) from three resource files: `resources/quantity_units.tsv`
(counted nouns), `resources/quantity_roles.tsv` (role cues), `resources/quantity_words.tsv` (the words around a
number that tell a count from a label, a date, an age or a back-reference).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from vigie.lexicons import read_text

# One word of the text as the extractor sees it: an elided article ("d'", "l'"), a word (hyphens inside:
# "sapeurs-pompiers"), a number, or one punctuation sign ("%", "€", ","). Resource phrases are split the same way.
WORD_RE = re.compile(r"[^\W\d_]+'|[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[.,]\d+)*|[^\w\s]")

COUNTED_CLASSES = frozenset({"person", "weapon", "money", "vote", "arrest"})  # a count by themselves
MATERIAL = "material"  # a count only with what it measures ("3 kilos de TATP")
CUE_ONLY = "cue"  # a count only with a role cue ("200 habitants évacués", not "une ville de 200 000 habitants")
BLOCK = "block"  # never a count ("trois jours", "20 km")


@dataclass(frozen=True, slots=True)
class Unit:
    """A counted noun of quantity_units.tsv."""

    lemma: str  # reported as the quantity's unit
    cls: str  # person | weapon | money | vote | arrest | material | cue | block
    role: str | None


@dataclass(frozen=True)
class Lexicon:
    """Everything the extractor reads from the resource files, for one language."""

    units: dict[tuple[str, ...], Unit]  # lower-cased word tuple -> unit
    max_words: int
    after: re.Pattern[str]  # role cues after the counted noun; the matching group's name is the role
    before: re.Pattern[str]  # role cues before the count, anchored at the end of the window
    context: dict[str, frozenset[str]]  # role -> sentence words that give it to "hommes" / "men"
    words: dict[str, frozenset[str]]  # word lists of quantity_words.tsv, by list name
    coordination: re.Pattern[str]  # "et", "and": a role cue beyond it belongs to another clause
    subset_aside: re.Pattern[str]  # ", dont trois enfants,": an aside inside the clause of a count
    subset_before: re.Pattern[str]  # "dont 4 policiers": a count inside the previous one
    number_of: re.Pattern[str]  # "le nombre de morts", "the number of dead": the noun of a number given later

    def word_list(self, name: str) -> frozenset[str]:
        return self.words.get(name, frozenset())


def words(text: str) -> tuple[str, ...]:
    """The lower-cased words of `text`, split as the extractor splits the text ("d'équipage" -> "d'", "équipage")."""
    return tuple(w.lower() for w in WORD_RE.findall(text))


def _french_plural(word: str) -> str:
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith("al") and len(word) > 3:
        return word[:-2] + "aux"
    if word.endswith(("eau", "eu")):
        return word + "x"
    return word + "s"


def _english_plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _forms(phrase: str, lang: str) -> set[tuple[str, ...]]:
    """A phrase and its plural: French pluralises the first word ("membres d'équipage"), English the last."""
    ws = list(words(phrase))
    if not ws:
        return set()
    out = {tuple(ws)}
    if ws[0].isalpha() and len(ws[0]) > 1:
        if lang == "fr":
            out.add((_french_plural(ws[0]), *ws[1:]))
        else:
            out.add((*ws[:-1], _english_plural(ws[-1])))
    return out


def _read_tsv(name: str) -> list[list[str]]:
    text = read_text(name)
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


# Suffix of the regex group of a transitive participle cue ("tué+"), which is no cue in the active voice
# (see vigie.quantities.roles.RoleCues.active).
PASSIVE = "__p"


def _cue_regex(phrase: str, lang: str) -> str:
    """A cue phrase as regex: words separated by any spacing; French "tué+" -> tué, tuée, tués, tuées."""
    parts = []
    for w in phrase.split():
        if w.endswith("+"):
            stem = w[:-1]
            if lang != "fr":
                parts.append(re.escape(stem))
                continue
            parts.append(re.escape(stem) + (r"(?:es?)?" if stem.endswith("s") else r"e?s?"))
        else:
            parts.append(re.escape(w).replace("'", r"'\s*"))
    return r"\s+".join(parts)


@lru_cache(maxsize=4)
def lexicon(lang: str) -> Lexicon:
    units: dict[tuple[str, ...], Unit] = {}
    for row in _read_tsv("quantity_units.tsv"):
        row = [c.strip() for c in row] + ["", "", "", ""]
        if row[0] != lang:
            continue
        lemma, cls, role, extra = row[1], row[2], row[3], row[4]
        unit = Unit(lemma, cls, None if role in ("", "-") else role)
        for phrase in [lemma, *(f.strip() for f in extra.split(",") if f.strip())]:
            for form in _forms(phrase, lang):
                units.setdefault(form, unit)
    after: dict[str, list[str]] = {}
    before: dict[str, list[str]] = {}
    context: dict[str, set[str]] = {}
    for row in _read_tsv("quantity_roles.tsv"):
        row = [c.strip() for c in row] + ["", "", ""]
        if row[0] != lang:
            continue
        role, where, cues = row[1], row[2], [c.strip() for c in row[3].split(",") if c.strip()]
        if where == "context":
            context.setdefault(role, set()).update(cues)
        else:
            (after if where == "after" else before).setdefault(role, []).extend(cues)

    def alternation(table: dict[str, list[str]]) -> str:
        groups = []
        for role, cues in table.items():
            for name, kind in ((role + PASSIVE, True), (role, False)):
                pats = sorted((_cue_regex(c, lang) for c in cues if c.split()[0].endswith("+") == kind),
                              key=len, reverse=True)
                if pats:
                    groups.append(f"(?P<{name}>{'|'.join(pats)})")
        return "|".join(groups)

    word_lists = _word_lists(lang)
    subset = phrase_regex(word_lists.get("subset", frozenset()))
    return Lexicon(
        units=units,
        max_words=max(len(k) for k in units),
        after=re.compile(rf"(?<!\w)(?:{alternation(after)})(?!\w)", re.IGNORECASE),
        # the last cue of the window, then at most 30 characters without clause punctuation up to the count
        before=re.compile(rf".*(?<!\w)(?:{alternation(before)})(?!\w)[^,;:.!?«»()\[\]\n]{{0,30}}$",
                          re.IGNORECASE | re.DOTALL),
        context={role: frozenset(c.lower() for c in cues) for role, cues in context.items()},
        words=word_lists,
        coordination=re.compile(rf"(?<!\w)(?:{phrase_regex(word_lists.get('coordination', frozenset()))})(?!\w)",
                                re.IGNORECASE),
        subset_aside=re.compile(rf"\s*(?:{subset})(?!\w)", re.IGNORECASE),
        subset_before=re.compile(rf"(?<!\w)(?:{subset})\s+$", re.IGNORECASE),
        number_of=re.compile(rf"(?<!\w)(?:{phrase_regex(word_lists.get('number_of', frozenset()))})\s*"
                             r"(?P<noun>[^\W\d_]+(?:[-'][^\W\d_]+)*)", re.IGNORECASE),
    )


def _word_lists(lang: str) -> dict[str, frozenset[str]]:
    lists: dict[str, set[str]] = {}
    for row in _read_tsv("quantity_words.tsv"):
        row = [c.strip() for c in row] + ["", ""]
        if row[1] in (lang, "*"):
            lists.setdefault(row[0], set()).update(w.strip().lower() for w in row[2].split(",") if w.strip())
    return {name: frozenset(ws) for name, ws in lists.items()}


def phrase_regex(phrases: frozenset[str]) -> str:
    """An alternation of word phrases, longest first, any spacing between words: "parmi\\s+eux|dont"."""
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))


def lookup(lex: Lexicon, ws: list[str], i: int) -> tuple[Unit, int] | None:
    """Longest unit starting at word i of `ws` (lower-cased): (unit, number of words)."""
    for n in range(min(lex.max_words, len(ws) - i), 0, -1):
        unit = lex.units.get(tuple(ws[i : i + n]))
        if unit is not None:
            return unit, n
    return None
