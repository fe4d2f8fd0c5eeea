"""Counts without their own noun, and the words that tell which noun they stand for.

- an elided noun: a number followed by a verb, an auxiliary or a participle stands for the noun of the count before
  ("12 soldats ont été tués et 40 ont été blessés", "trois personnes tuées, trois grièvement blessées");
- a participle agreeing with the noun of the count before ("28 personnes mortes et 80 blessées": persons, not
  "blessées" as a noun);
- "deux d'entre eux", "two of them": part of the group just counted or named ("Des soldats ont été attaqués. Deux
  d'entre eux...");
- "un des suspects ..., deux autres": the group "autres" belongs to.
`vigie.quantities.component` decides which count is the antecedent; these functions read the words.
"""
from __future__ import annotations

from vigie.quantities.lexicon import WORD_RE, Lexicon, Unit, lookup, words

GROUP_NOUN_CLASSES = frozenset({"person"})  # "eux"/"them" point back to people


def elided_verb(lex: Lexicon, ws: list[str], is_participle: bool, next_is_participle: bool, lang: str) -> bool:
    """The words after a number say it stands without its noun: an auxiliary or a verb ("40 ont été blessés",
    "35 sont mortes", "40 were injured"), a participle ("35 hospitalisés"), or an adverb and a participle
    ("trois grièvement blessées", "two seriously injured")."""
    if not ws:
        return False
    first = ws[0]
    if first in lex.word_list("elided_verb") or is_participle:
        return True
    adverb = first.endswith("ment") if lang == "fr" else first.endswith("ly")
    return adverb and next_is_participle


def agreeing_participle(word: str, unit: Unit, lang: str) -> bool:
    """'blessées' after "28 personnes mortes et 80": a feminine participle of a listed noun whose lemma is masculine
    ("blessé", "mort"), so it agrees with the noun of the count before rather than being the noun."""
    if lang != "fr":
        return False
    w, lemma = word.lower(), unit.lemma.lower()
    return w.rstrip("s").endswith("e") and not lemma.endswith("e") and w.startswith(lemma[:3])


def group_of(lex: Lexicon, text: str, pos: int) -> int | None:
    """End of "d'entre eux" / "of them" right after `pos`, or None."""
    found = lex.group_of.match(text, pos)
    return found.end() if found else None


def named_group(lex: Lexicon, text: str, start: int, end: int, lang: str) -> Unit | None:
    """The last plural noun of people listed in the lexicon in text[start:end]: what "eux" points to."""
    ws = [w.lower() for w in WORD_RE.findall(text, start, end)]
    last = None
    for i in range(len(ws)):
        hit = lookup(lex, ws, i)
        # French pluralises the first word of a listed phrase ("membres d'équipage"), English the last
        if hit is not None and hit[0].cls in GROUP_NOUN_CLASSES and _plural(ws[i if lang == "fr" else i + hit[1] - 1]):
            last = hit[0]
    return last


def one_of(lex: Lexicon, text: str, start: int, end: int) -> Unit | None:
    """The noun of the last "un des suspects" / "one of the hostages" in text[start:end], when it is listed."""
    *_, found = (None, *lex.one_of.finditer(text, start, end))
    if found is None:
        return None
    hit = lookup(lex, list(words(found.group("noun"))), 0)
    return hit[0] if hit is not None and hit[0].cls in GROUP_NOUN_CLASSES else None


def _plural(word: str) -> bool:
    return word.endswith(("s", "x")) or word in ("people", "men", "women", "children")

