"""Roles of counts: what happened to the people counted, from the words around the count.

- after the counted noun, in its clause: a participle or an intransitive phrase ("12 personnes ont été tuées",
  "six Imbonerakure tués", "ont péri", "took to the streets");
- before the count: the noun or verb that governs it ("l'arrestation de 300 personnes", "tuant 12 civils",
  "un contingent de 2 000 hommes");
- the sentence, for "hommes"/"men": a military context makes them troops.
The cues are in `resources/quantity_roles.tsv`.
"""
from __future__ import annotations

import re

from vigie.quantities.lexicon import PASSIVE, WORD_RE, Lexicon
from vigie.quantities.numbers import parse_number

AFTER_WINDOW = 120  # characters searched for a role cue after the counted noun (a clause of news prose)
BEFORE_WINDOW = 60  # characters searched for a role cue before the count
CLAUSE_STOP = re.compile(r"[.;:!?«»()\[\]\n,]")
BRACKETS = {"(": ")", "[": "]"}
FIRST_WORD = re.compile(r"\s*([^\W\d_]+'?|\d+|\S)")


class RoleCues:
    """Role cues in one text (the Doc's text, same offsets)."""

    def __init__(self, text: str, lex: Lexicon, lang: str) -> None:
        self.text = text
        self.lex = lex
        self.lang = lang
        self.avoir = lex.word_list("avoir")
        self.passive_aux = lex.word_list("passive_aux")
        self.object_start = lex.word_list("object_start")

    def words_before(self, pos: int, limit: int = 30) -> list[str]:
        return [w.lower() for w in WORD_RE.findall(self.text, max(0, pos - limit), pos)]

    def clause_end(self, start: int) -> int:
        """End of the clause that starts at `start`. An aside does not end it: brackets ("45 terroristes [de l'EI]
        ont été tués") or a subset between commas ("13 personnes, dont trois enfants, ont été tuées")."""
        limit = min(len(self.text), start + AFTER_WINDOW)
        pos = start
        while True:
            stop = CLAUSE_STOP.search(self.text, pos, limit)
            if stop is None:
                return limit
            sign = stop.group()
            if sign in BRACKETS:
                end = self.text.find(BRACKETS[sign], stop.end(), limit)
            elif sign == "," and self.lex.subset_aside.match(self.text, stop.end()):
                end = self.text.find(",", stop.end(), limit)
            else:
                return stop.start()
            if end < 0:
                return stop.start()
            pos = end + 1

    def after(self, end: int) -> str | None:
        """Role from a participle or phrase after the counted noun, in its clause: '12 personnes ont été tuées'.

        The clause also ends at a coordinating conjunction that joins clauses: in "a tué 12 civils et blessé 30
        autres", "blessé" is about the 30; in "cinq policiers et un civil ont été blessés", it is about both.
        """
        stop = self.clause_end(end)
        pos = end
        while (conj := self.lex.coordination.search(self.text, pos, stop)) is not None:
            nxt = FIRST_WORD.match(self.text, conj.end())
            word = nxt.group(1).lower() if nxt else ""
            if word in self.lex.word_list("np_start") or word[:1].isdigit() or parse_number(word, self.lang):
                pos = conj.end()  # "cinq policiers et un civil ont été blessés": nouns joined, one clause
                continue
            stop = conj.start()
            break
        for cue in self.lex.after.finditer(self.text, end, stop):
            if self.text.rfind("(", end, cue.start()) > self.text.rfind(")", end, cue.start()) or \
                    self.text.rfind("[", end, cue.start()) > self.text.rfind("]", end, cue.start()):
                continue  # inside an aside
            name = cue.lastgroup or ""
            if name.endswith(PASSIVE):
                name = name[: -len(PASSIVE)]
                if self.active(cue, end):
                    continue
            return name
        return None

    def active(self, cue: re.Match[str], noun_end: int) -> bool:
        """A transitive participle in the active voice: the counted people did it ("ont tué", "killed the guard")."""
        before = self.words_before(cue.start())
        if before and (before[-1] in self.avoir
                       or len(before) > 1 and before[-2] in self.avoir and before[-1] not in self.passive_aux):
            return True  # "ont tué", "ont aussi tué", "have killed"
        if self.lang == "en":
            first = FIRST_WORD.match(self.text, noun_end)
            if first is not None and first.start(1) == cue.start():
                nxt = FIRST_WORD.match(self.text, cue.end())
                word = nxt.group(1).lower() if nxt else ""
                return word in self.object_start or word[:1].isdigit() or parse_number(word, "en") is not None
        return False

    def before(self, start: int) -> str | None:
        """Role from the noun or verb that governs the count: "l'arrestation de 300 personnes", "tuant 12 civils"."""
        window = self.text[max(0, start - BEFORE_WINDOW) : start]
        *_, last_stop = (None, *CLAUSE_STOP.finditer(window))
        if last_stop is not None:
            window = window[last_stop.end() :]
        found = self.lex.before.match(window)  # the pattern starts with ".*": match, not search (quadratic)
        if not found or not found.lastgroup:
            return None
        name = found.lastgroup
        return name[: -len(PASSIVE)] if name.endswith(PASSIVE) else name

    def military(self, sentence_words: set[str]) -> bool:
        words = self.lex.context.get("troops")
        return bool(words and not words.isdisjoint(sentence_words))
