"""English speakers on a blank pipeline (no tags, no entities): the words naming a speaker around a cue, and
the name they stand for.

`EnglishSpeakers` finds the speaker phrase before a verb ("Obama said", "White House spokesman Josh Earnest
said", "he said", "Josh Earnest, the press secretary, said") or after it ("said Obama"), and resolves it:
a capitalised name is completed to the fullest capitalised name of the document with the same last word
("Obama" -> "Barack Obama"), what comes before its last title or possessive dropped ("Vermont Sen. Bernie
Sanders", "Reuters Editor-in-Chief Alessandra Galloni": `en_names`) and sentence-initial common words too
("Then Brafman" -> "Brafman"); "he"/"she" is the last person speaker, else the last full name that is not an
organisation; "the senator" is the last name the document introduced with that title; "who" is its
antecedent; "I"/"we" outside quotation marks are the writer: no speaker.

A speaker phrase stays inside its sentence and never holds a quotation mark; a hyphenated compound is one
word of it ("Editor-in-Chief"). It is a person, a group or an institution: not a lone object pronoun ("him"),
a lone lower-case word in -ed, -ing or -ly ("talked", "falsely"), nor a verb after "to" ("to give states"),
nor a day after the verb ("said Friday that"). Adverbs in -ly between the speaker and the verb are skipped
("Trump has falsely claimed"); "of" after a title stays in the phrase ("the former secretary of state
said"); an apposition may be a long relative clause ("Trump, who ... border, said"). In a title-case line
("Christie Says He Would Issue A Quarantine") a full name is only a piece between function words and verbs
that the text never writes in lower case, and "the mayor" is never resolved to a name there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from vigie.lexicons import word_class
from vigie.quotes.common import RESOLVED_FACTOR, Candidate, QuotedSpans
from vigie.quotes.en_names import compound, is_organisation, is_title, name_start, title_case, words_of
from vigie.quotes.lexicon import Lexicon, english
from vigie.quotes.text import Layout

# A speaker phrase is at most this many tokens ("White House press secretary Josh Earnest").
MAX_SPEAKER_TOKENS = 7
# Tokens of an apposition between a speaker and the verb: a noun phrase ("Josh Earnest, the White House press
# secretary, said"), a relative clause ("Trump, who previously questioned whether ..., said").
MAX_NOUN_APPOSITION = 12
MAX_APPOSITION = 40
# A pronoun looks back this many tokens for its antecedent.
MAX_PRONOUN_DISTANCE = 300

AUXILIARIES = word_class("quote_words_en.tsv", "auxiliary")
WEEKDAYS = word_class("quote_words_en.tsv", "weekday")
TIME_WORDS = frozenset(["week", "month", "year", "night", "morning", "afternoon", "evening", "weekend"])
TIME_MODIFIERS = frozenset(["on", "last", "this", "next", "earlier", "late", "early"])
PRONOUNS = frozenset({"he", "she", "they"})
NAME_CONNECTORS = word_class("quote_words_en.tsv", "name_particle")
# Words after which a lower-case word is a noun, not an adverb ("the elderly", "his family").
NOUN_MARKERS = word_class("quote_words_en.tsv", "noun_marker")
# Object pronouns: never the subject of a reporting verb on their own ("told them", "close to him say").
OBJECT_ONLY = frozenset({"him", "them", "me", "us"})
# Two capitalised words or more, possibly joined by a particle ("Abu Bakr al Baghdadi", "Charles de Gaulle");
# an apostrophe only inside a word ("O’Malley", "Clinton’s"), so a closing quotation mark ends the name.
_PARTICLES = "|".join(re.escape(p) for p in sorted(NAME_CONNECTORS, key=lambda p: (-len(p), p)))
_WORD = r"[A-Z][\w.-]*(?:['’]\w+)*"
_NAME_SEQUENCE = re.compile(_WORD + r"(?:[ \t\xa0]+(?:(?:" + _PARTICLES + r")[ \t\xa0]+)?" + _WORD + ")+")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]*\b")


def _low(tok: Token) -> str:
    return tok.lower_.replace("’", "'")


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.text[:1].isalpha()


@dataclass(slots=True)
class Mention:
    start: int  # token indices [start, end)
    end: int


class EnglishSpeakers:
    """Speaker phrases and names of one English Doc. Subclasses set `quotations` then call `index_names`."""

    def __init__(self, doc: Doc, lay: Layout) -> None:
        self.doc = doc
        self.lay = lay
        self.text = lay.text
        self.lex: Lexicon = english()
        self.stop = self.lex.words["stop"]
        self.titles = self.lex.words["title"]
        self._quoted = QuotedSpans([])
        self._lower_vocab = frozenset(_LOWER_WORD.findall(self.text))  # words seen in lower case
        self._function_words = self.stop | frozenset(self.lex.forms) | {"the", "a", "an"}
        self._names: dict[str, list[tuple[int, str]]] = {}
        self._speakers: list[tuple[int, str, bool]] = []  # (token, name, person)

    def index_names(self, quoted: list[tuple[int, int]]) -> None:
        """Remember the quotation spans (their words are not the narrative's) and index the full names."""
        self._quoted = QuotedSpans(quoted)
        self._names = self._full_names()

    def _inside_quote(self, char: int) -> bool:
        return self._quoted.holds(char)

    def _full_names(self) -> dict[str, list[tuple[int, str]]]:
        """Capitalised sequences of two words or more, by last word: (token, name without titles), read sentence
        by sentence outside quotations. In a title-case line, a sequence is cut at its function words and verbs
        and a piece holding a word the text also writes in lower case is no name ("Report Finds Rise").
        Found with a regular expression on the text (no Token objects: this runs on every article)."""
        out: dict[str, list[tuple[int, str]]] = {}
        for s_start, s_end in self.lay.sentences:
            headline = self._title_case(s_start, s_end)
            for m in _NAME_SEQUENCE.finditer(self.text, s_start, s_end):
                if self._inside_quote(m.start()):
                    continue
                words = []
                for w in m.group().split():
                    words.append(w)
                    if w.endswith(".") and len(w) > 4:
                        break  # "Islamic State. Clinton": a full stop after a word, not an abbreviation
                first = not any(c.isalnum() for c in self.text[s_start : m.start()])
                for piece in self._headline_pieces(words) if headline else [words]:
                    name = self._full_name(piece, first and piece is words)
                    if name is not None:
                        out.setdefault(name.split()[-1].lower(), []).append((self.lay.token_at(m.start()), name))
        return out

    def _title_case(self, start: int, end: int) -> bool:
        return title_case(self.text[start:end].split(), self._function_words)

    def _headline_pieces(self, words: list[str]) -> list[list[str]]:
        pieces: list[list[str]] = [[]]
        for w in words:
            if w.lower() in self._function_words:
                pieces.append([])
            else:
                pieces[-1].append(w)
        return [p for p in pieces if not any(w.lower().rstrip(".") in self._lower_vocab for w in p)]

    def _full_name(self, words: list[str], sentence_initial: bool) -> str | None:
        """The name ending `words` (two words or more), without titles ("President Barack Obama") or a
        sentence-initial common word ("Then Brafman")."""
        k = name_start(words, self.titles)
        first = sentence_initial and k == 0
        words = words[k:]
        org = is_organisation(words)
        while words and ((is_title(words[0], self.titles) and not org) or words[0].lower() in self.stop
                         or (first and words[0].lower() in self._lower_vocab)):
            words, first = words[1:], False
        words = [w.rstrip(".") if len(w) > 4 else w for w in words]
        return " ".join(words) if len(words) >= 2 else None

    def _strip_titles(self, s: int, e: int) -> tuple[int, int] | None:
        """The name inside doc[s:e]: after its last title or possessive, without leading titles, articles or
        sentence-initial common words, nor trailing particles."""
        doc = self.doc
        units = words_of(doc, s, e)
        texts = [doc[a:b].text for a, b in units]
        k = name_start(texts, self.titles)
        units, org = units[k:], is_organisation(texts[k:])
        while units:
            a, b = units[0]
            word = doc[a:b].text
            low = word.lower().replace("’", "'")
            if not ((is_title(word, self.titles) and not org) or low in self.stop or low in ("the", "a", "an")
                    or (_capitalised(doc[a]) and low in self._lower_vocab and self._sentence_initial(a))):
                break
            units = units[1:]
        if not units:
            return None
        s, e = units[0][0], units[-1][1]
        while e > s and _low(doc[e - 1]) in NAME_CONNECTORS:
            e -= 1
        return (s, e) if e > s else None

    def _sentence_initial(self, i: int) -> bool:
        """Token `i` opens its sentence (maybe after punctuation or a quotation mark)."""
        s, _ = self.lay.sentence_of(self.doc[i].idx)
        return not any(c.isalnum() for c in self.text[s : self.doc[i].idx])

    def _name_for(self, m: Mention) -> tuple[str | None, bool]:
        """Speaker name of a mention, and whether it is a person."""
        doc = self.doc
        toks = doc[m.start : m.end]
        low = _low(toks[0]) if len(toks) == 1 else ""
        if low in PRONOUNS:
            return self._pronoun(m.start, plural=low == "they")
        if low in ("i", "we", "you"):
            return None, False  # the writer or the reader, outside quotation marks
        if low in ("who", "which"):
            ante = self._left_mention(m.start, skip_commas=True)
            return self._name_for(ante) if ante is not None else (None, False)
        caps = [t for t in toks if _capitalised(t)]
        if caps and _capitalised(toks[-1]):
            stripped = self._strip_titles(m.start, m.end)
            if stripped is None:
                return self._described(m)
            s, e = stripped
            last = _low(doc[e - 1])
            best = doc[s:e].text
            for _, name in self._names.get(last, []):
                if len(name) > len(best) and set(doc[s:e].text.split()) <= set(name.split()):
                    best = name
            return best, True
        return self._described(m)

    def _described(self, m: Mention) -> tuple[str | None, bool]:
        """"the senator" -> the last name introduced with that title outside title-case lines; else the phrase
        without determiner."""
        doc = self.doc
        words = [t for t in doc[m.start : m.end] if _low(t) not in ("the", "a", "an", "his", "her", "their")]
        if not words:
            return None, False
        head = _low(words[-1])
        if head in self.titles:
            for i in range(m.start - 1, max(-1, m.start - MAX_PRONOUN_DISTANCE), -1):
                if _low(doc[i]).rstrip(".") == head.rstrip(".") and i + 1 < len(doc) and _capitalised(doc[i + 1]) \
                        and not self._title_case(*self.lay.sentence_of(doc[i].idx)):  # not "Mayor Denies Report"
                    j = i + 1
                    while j < len(doc) and _capitalised(doc[j]):
                        j += 1
                    stripped = self._strip_titles(i + 1, j)
                    if stripped is not None:
                        return self._name_for(Mention(*stripped))
        if head in self.lex.words["no_speaker"]:
            return None, False
        text = self.text[words[0].idx : words[-1].idx + len(words[-1].text)]
        return text, head in self.titles

    def _pronoun(self, i: int, plural: bool) -> tuple[str | None, bool]:
        for tok_i, name, person in reversed(self._speakers):
            if tok_i < i and i - tok_i <= MAX_PRONOUN_DISTANCE and (person or plural):
                return name, person
        if plural:
            return None, False
        best: tuple[int, str] | None = None
        org_words = self.lex.words["organisation"]
        for entries in self._names.values():
            for tok_i, name in entries:
                if tok_i < i and i - tok_i <= MAX_PRONOUN_DISTANCE and (best is None or tok_i > best[0]) \
                        and not any(w.lower() in org_words for w in name.split()):
                    best = (tok_i, name)  # "he" is a person: not "Breitbart News", "Islamic State"
        return (best[1], True) if best else (None, False)

    def _set_speaker(self, cand: Candidate, m: Mention) -> None:
        """The mention's words and, when it can be resolved, the speaker's name ("he" with no antecedent keeps
        its words and no name)."""
        doc = self.doc
        name, person = self._name_for(m)
        cand.speaker_start = doc[m.start].idx
        cand.speaker_end = doc[m.end - 1].idx + len(doc[m.end - 1].text)
        if name is None:
            return
        cand.speaker = name
        if _low(doc[m.start]) in PRONOUNS:
            cand.confidence *= RESOLVED_FACTOR
        else:
            self._speakers.append((m.start, name, person))
        if _low(doc[m.start]) in PRONOUNS:
            self._speakers.append((m.start, name, person))

    def _left_mention(self, i: int, skip_commas: bool = False) -> Mention | None:
        """The speaker phrase ending just before token `i` (adverbs, auxiliaries and time words skipped)."""
        doc = self.doc
        sent_start = self.lay.token_at(self.lay.sentence_of(doc[i].idx if i < len(doc) else len(self.text))[0])
        j = i - 1
        while j >= sent_start:
            low = _low(doc[j])
            if low in AUXILIARIES or low in WEEKDAYS or low in ("n't", "not") or self._adverb(j):
                j -= 1
            elif low in TIME_WORDS and j - 1 >= sent_start and _low(doc[j - 1]) in TIME_MODIFIERS:
                j -= 2
            elif low in TIME_MODIFIERS and j + 1 < i and _low(doc[j + 1]) in WEEKDAYS:
                j -= 1
            else:
                break
        if j >= sent_start and _low(doc[j]) in ("who", "which") and not skip_commas:
            return Mention(j, j + 1)  # "Josh Earnest, who said": resolved to the antecedent
        if j >= sent_start and doc[j].text == "," and skip_commas:
            j -= 1
        if j >= sent_start and doc[j].text == ",":
            # "Josh Earnest, the White House press secretary, said": the name before the apposition
            k = j - 1
            while k >= sent_start and k > j - MAX_APPOSITION and doc[k].text != "," and not doc[k].is_quote:
                k -= 1
            relative = k + 1 < len(doc) and _low(doc[k + 1]) in ("who", "which")
            if k >= sent_start and doc[k].text == "," and (j - k <= MAX_NOUN_APPOSITION or relative):
                j = k - 1
            else:
                return None
        end = j + 1
        k = j
        words = 0
        while k >= sent_start and words < MAX_SPEAKER_TOKENS:
            cs, ce = compound(doc, k)
            if ce - cs > 1:  # "Editor-in-Chief": one word, whatever its parts
                if cs < sent_start or ce > end:
                    break
                k, words = cs - 1, words + 1
                continue
            t = doc[k]
            low = _low(t)
            if low == "of" and k - 1 >= sent_start and _low(doc[k - 1]).rstrip(".") in self.titles:
                k, words = k - 2, words + 2  # "the former secretary of state said", "Director of ..."
                continue
            if t.is_punct and low != "'s" or t.is_quote or low in self.stop and not (
                    low in NAME_CONNECTORS and k > sent_start and _capitalised(doc[k - 1])):
                break
            if low in ("the", "a", "an", "his", "her", "their"):
                k -= 1
                break
            k, words = k - 1, words + 1
        start = k + 1
        if start >= end:
            return None
        toks = doc[start:end]
        if len(toks) == 1 and _low(toks[0]) in ("it", "this", "that", "which", "there"):
            return None
        if not any(_capitalised(t) or _low(t) in PRONOUNS or _low(t) in ("who",) or t.text.isalpha()
                   for t in toks):
            return None
        if not self._may_speak(start, end):
            return None
        return Mention(start, end)

    def _adverb(self, j: int) -> bool:
        """A lower-case adverb in -ly between a speaker and the verb ("Trump has falsely claimed"); not a noun
        after a determiner ("his family said")."""
        text = self.doc[j].text
        return len(text) > 4 and text.endswith("ly") and text.islower() and not (
            j > 0 and _low(self.doc[j - 1]) in NOUN_MARKERS)

    def _may_speak(self, start: int, end: int) -> bool:
        """A person, group or institution: not a verb after "to" ("to give states"), not a lone object
        pronoun, nor a lone lower-case word in -ed, -ing or -ly ("talked", "falsely")."""
        doc = self.doc
        if start > 0 and _low(doc[start - 1]) == "to" and not _capitalised(doc[start]) \
                and _low(doc[start]) not in NOUN_MARKERS:
            return False
        if end - start == 1:
            low = _low(doc[start])
            if low in OBJECT_ONLY or (doc[start].text.islower() and len(low) > 4 and low.endswith(("ed", "ing", "ly"))):
                return False
        return True

    def _right_mention(self, i: int) -> Mention | None:
        """The speaker phrase after an inverted verb ("said Obama", "said the senator, who...")."""
        doc = self.doc
        _, sent_end = self.lay.sentence_of(doc[i - 1].idx if i > 0 else 0)
        j = i
        while j < len(doc) and (_low(doc[j]) in AUXILIARIES or _low(doc[j]) in WEEKDAYS):
            j += 1  # "said Friday that": no speaker after the verb
        start = j
        words = 0
        while j < len(doc) and doc[j].idx < sent_end and words < MAX_SPEAKER_TOKENS:
            cs, ce = compound(doc, j)
            if ce - cs > 1 and cs == j:  # "Editor-in-Chief": one word
                j, words = ce, words + 1
                continue
            t = doc[j]
            low = _low(t)
            if (t.is_punct and low != "'s") or t.is_quote:
                break
            if low in self.stop and not (low in NAME_CONNECTORS and _capitalised(doc[j - 1])) and j > start:
                break
            if low in WEEKDAYS and j > start:
                break
            j, words = j + 1, words + 1
        if j <= start:
            return None
        if _low(doc[start]) in self.stop or not doc[start].text[:1].isalpha() or not self._may_speak(start, j):
            return None
        return Mention(start, j)
