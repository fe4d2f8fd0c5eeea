"""Quantities: spaCy component `vigie_quantities` (French with fr_core_news_md, English on a blank pipeline).

What counts (shared/eval/GUIDE.md, "quantities"): counts of people and things that matter to events — killed,
injured, arrested, participants, troops, police, hostages, voters, seats, weapons — and money. A number is kept
only with a counted noun of `resources/quantity_units.tsv` ("36 morts", "quelque 2.000 hommes", "$2 million"),
with another noun when the clause says what happened to those counted ("six Imbonerakure tués"), or with
"autres"/"others" standing for the noun of the count just before ("45 terroristes tués et des dizaines d'autres
blessés"). Ages, percentages, years, times, dates, ordinals, durations, distances, labels ("article 127"),
scores, ratios and back-references ("les deux hommes") are left out.

Each item of `doc._.quantities` is a plain dict: start, end (the whole expression, approximator and counted noun
included: "plus de 10.000 personnes"), value, low, high, unit (singular lemma of the counted noun), approx,
role, confidence. The rules need only the text; on French they also use the parse (part of speech to skip
adjectives and tell a noun from a verb, lemmas of nouns outside the lexicon).

Modules: `numbers` (number formats and words), `quantities_expression` (the regex of an approximator + number),
`quantities_lexicon` (resource files), `quantities_nouns` (the counted noun), `quantities_roles` (role cues);
this one applies the exclusions, resolves "autres", gives roles and makes the records.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from vigie.nlp.extensions import GuardedComponent
from vigie.quantities.expression import Number, expression, read_number
from vigie.quantities.lexicon import CUE_ONLY, WORD_RE, lexicon
from vigie.quantities.nouns import ANAPHOR, DE, Noun, NounFinder
from vigie.quantities.numbers import parse_number
from vigie.quantities.roles import BEFORE_WINDOW, FIRST_WORD, RoleCues
from vigie.records import Quantity

EXTRACTOR = "vigie-quantities"

# Confidence by the kind of evidence. Set by reading the extractor's output on the 60 Wikinews sample articles
# (samples/wikinews-fr): digits before a listed noun were right nearly every time, number words slightly less
# often ("neuf" is also an adjective), vague counts often; a noun outside the lexicon accepted on a role cue and
# an "autres" resolved to the previous count are right more often than not, no more.
CONF_DIGITS = 0.9
CONF_WORDS = 0.85
CONF_VAGUE = 0.8
CONF_ONE = 0.7  # "un mort", "1 blessé"
CONF_ANAPHORA = 0.65
CONF_CUE_NOUN = 0.6

# A small number after a definite or demonstrative determiner points back to people already counted
# ("les deux hommes", "ces douze personnalités"); a large one usually gives a size for the first time
# ("les 1 500 salariés du site"). On the sample articles every definite count under 100 was a back-reference.
DEFINITE_MIN_VALUE = 100
YEARS = range(1800, 2101)  # a bare 4-digit number in this range after "en", "depuis", a month... is a year
TITLE_MAX = 200  # a first line this short, without final punctuation, is the headline

# What happened to the people counted: these roles, from the noun ("morts") or a cue ("ont été tués"), win over the
# roles that say who they are ("policiers": police, "manifestants": participants).
OUTCOME_ROLES = frozenset({"killed", "injured", "arrested", "hostages", "missing", "evacuated"})
GROUP_ROLES = frozenset({"troops", "police"})  # not carried over to "deux autres", who may not be the same group
OUTCOME_ONE = frozenset({"killed", "injured"})  # roles with which "un"/"one" is a count ("un mort et cinq blessés")
ONE_WORDS = frozenset({"un", "une", "one", "1"})
TRAILING_APPROX = frozenset({"environ", "approximately", "roughly"})  # "120 blessés environ"


@dataclass
class _Found:
    """One accepted quantity while the document is read (a plain dict in the end)."""

    start: int
    end: int
    number: Number
    unit: str
    approx: bool
    role: str | None
    confidence: float
    sent: int
    role_after: bool  # its role came from a cue after it: "d'autres blessés" that follows is then elliptic

    def key(self) -> tuple:
        return self.number.value, self.number.low, self.number.high, self.unit

    def record(self) -> dict:
        n = self.number
        return {"start": self.start, "end": self.end, "value": _num(n.value), "low": _num(n.low),
                "high": _num(n.high), "unit": self.unit, "approx": self.approx, "role": self.role,
                "confidence": self.confidence}


def _num(v: float | None) -> float | int | None:
    """Integral values as int (2000, not 2000.0) in the records."""
    if v is None:
        return None
    return int(v) if float(v).is_integer() else round(v, 6)


class _Reader:
    """Reads one document: numeric expressions, their counted nouns and roles; keeps the counts."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        self.lang = "en" if doc.lang_ == "en" else "fr"
        self.lex = lexicon(self.lang)
        self.w = self.lex.word_list
        self.one_nouns = one_nouns(self.lang)
        self.roles = RoleCues(self.text, self.lex, self.lang)
        self.found: list[_Found] = []
        self.antecedent_role: str | None = None
        self.sent_starts = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        # the expressions are searched in the lower-cased text, twice as fast as a case-insensitive search, when
        # lower-casing keeps every offset (it does but for a few rare letters)
        lower = self.text.lower()
        if len(lower) == len(self.text):
            self.search_text, self.pattern = lower, expression(self.lang)
        else:
            self.search_text, self.pattern = self.text, expression(self.lang, ignore_case=True)
        self.nouns = NounFinder(doc, self.text, self.lang, self.lex, self.pattern, self.search_text)

    def read(self) -> list[dict]:
        for m in self.pattern.finditer(self.search_text):
            self.consider(m)
        self.drop_title_repeats()
        return [f.record() for f in self.found]

    # --- helpers on the text -------------------------------------------------------------------------------------

    def words_after(self, pos: int, limit: int = 80) -> list[re.Match[str]]:
        return list(WORD_RE.finditer(self.text, pos, min(len(self.text), pos + limit)))

    def words_before(self, pos: int, limit: int = 40) -> list[str]:
        return [w.lower() for w in WORD_RE.findall(self.text, max(0, pos - limit), pos)]

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.sent_starts, pos) - 1

    def sentence_words(self, index: int) -> set[str]:
        start = self.sent_starts[index]
        end = self.sent_starts[index + 1] if index + 1 < len(self.sent_starts) else len(self.text)
        return {w.lower() for w in WORD_RE.findall(self.text, start, end)}

    # --- one expression ------------------------------------------------------------------------------------------

    def consider(self, m: re.Match[str]) -> None:
        # cheap rejections first: most matches are articles ("un", "une") and dates ("21 mai 2016")
        first = FIRST_WORD.match(self.text, m.end())
        first_word = first.group(1).lower() if first else ""
        if m.group().lower() in ONE_WORDS and first_word not in self.one_nouns:
            return
        if first_word in self.w("calendar") or first_word in self.w("percent") or first_word in self.w("ordinal"):
            return  # "le 20 mars", "50 %", "13 e division"
        number = read_number(m, self.lang)
        if number is None or self.excluded_left(m, number):
            return
        after = self.words_after(m.end())
        ws = [w.group().lower() for w in after]
        if self.excluded_right(m, ws):
            return
        after_passive = bool(self.found) and self.found[-1].role_after
        noun = self.nouns.find(m, after, ws, number, after_passive) or self.implicit_noun(m, after, ws)
        if noun is not None and noun.unit is None:
            noun = self.anaphor(m, noun)
        if noun is None or noun.unit is None or self.ratio(noun.end):
            return
        value_one = number.value == 1 and not number.multiplied and not number.vague
        if value_one and noun.cls != "money" and noun.role not in OUTCOME_ONE and not number.approx:
            return  # "un homme", "one of": an article or a pronoun, not a count
        sent = self.sentence(m.start())
        role_after = self.roles.after(noun.end)
        role_before = self.roles.before(m.start())
        if noun.kind == "unknown" and not (role_after or role_before and self.capitalised(m.end(), noun.end)):
            # a noun outside the lexicon is a count only when the clause says what happened to them: a participle
            # agreeing with it ("six Imbonerakure tués"), or, for the name of a group, a governing word
            # ("réunissant quelques centaines d'Imbonerakure"); "évacuer deux villes" is no count of people
            return
        if noun.cls == CUE_ONLY and not (role_after or role_before):
            return  # "une ville de 200 000 habitants" is a population, "200 habitants évacués" a count
        role = self.role(m, noun, number, sent, role_after or role_before)
        if value_one and noun.cls != "money" and role not in OUTCOME_ONE:
            return  # "au moins une personne" counts when it was killed or injured
        if self.repeated_definite(m, number, noun.unit):
            return
        self.found.append(_Found(
            start=m.start(), end=noun.end, number=number, unit=noun.unit,
            approx=number.approx or self.trailing_approx(noun.end), role=role,
            confidence=self.confidence(number, noun.kind, value_one), sent=sent, role_after=role_after is not None,
        ))

    def role(self, m: re.Match[str], noun: Noun, number: Number, sent: int, cue: str | None) -> str | None:
        """What happened to them, by the noun ("morts") or by a cue ("ont été tués"), else who they are
        ("policiers", "manifestants"), by the noun or a cue ("ont manifesté")."""
        if number.money or noun.cls == "money":
            return "money"
        role: str | None
        if noun.role in OUTCOME_ROLES:
            role = noun.role  # "36 morts"
        elif cue in OUTCOME_ROLES:
            role = cue  # "4 policiers ont été tués", "14 manifestants ont été arrêtés"
        else:
            role = noun.role or cue  # "300 gendarmes ont été mobilisés" stay police
        if noun.kind == "anaphor" and role is None:
            role = self.antecedent_role  # "deux autres" are what the previous count was
        if (role is None or role in GROUP_ROLES) and self.found and self.found[-1].sent == sent \
                and self.lex.subset_before.search(self.text, max(0, m.start() - 20), m.start()):
            role = self.found[-1].role or role  # "36 morts, dont 4 policiers": the 4 were killed
        if role is None and noun.unit in ("homme", "man") and self.roles.military(self.sentence_words(sent)):
            role = "troops"  # "un contingent de 2 000 hommes"
        return role

    def drop_title_repeats(self) -> None:
        """A headline count that the body repeats ("... fait un mort et cinq blessés" then "On dénombre un mort et
        cinq blessés") is one fact: keep the body's mention, which has the context."""
        first_line = self.text.split("\n", 1)[0]
        if not self.found or len(first_line) > TITLE_MAX or first_line.rstrip()[-1:] in ".!?»\"":
            return
        title_end = len(first_line)
        body = {f.key() for f in self.found if f.start >= title_end}
        self.found = [f for f in self.found if f.start >= title_end or f.key() not in body]

    # --- exclusions ----------------------------------------------------------------------------------------------

    def excluded_left(self, m: re.Match[str], number: Number) -> bool:
        before = self.words_before(m.start())
        prev = before[-1] if before else ""
        prev2 = before[-2] if len(before) > 1 else ""
        if prev in self.w("calendar") or prev in self.w("label") or prev in ("°", "#"):
            return True  # "lundi 30", "March 3", "article 127", "n° 2"
        if prev in DE and prev2 in self.w("age_family"):
            return True  # "âgé de 25 ans", "père de trois enfants": a description, not an event's count
        if prev == "of" and prev2 == "out" or prev in ("sur", "in") and parse_number(prev2, self.lang) is not None:
            return True  # "two out of three voters", "un sur trois"
        if prev[-1:].isdigit() and self.text[m.start() - 1 : m.start()] in ("-", "/", "–"):
            return True  # "3-1", "2015-2016", "24/7"
        raw = m.group("n") or ""
        # "en 2015", "(2016)"
        return (
            raw.isdigit() and int(raw) in YEARS and not m.group("m") and not number.money
            and (not prev or prev in self.w("year_before") or prev == "(")
        )

    def excluded_right(self, m: re.Match[str], ws: list[str]) -> bool:
        if len(ws) < 2:
            return False
        first, second = ws[0], ws[1]
        if first in ("pour", "per") and second in ("cent", "cents", "100", "mille"):
            return True  # "50 pour cent"
        if first == "sur" and (second[:1].isdigit() or parse_number(second, self.lang)):
            return True  # "4 sur 5"
        if first in ("-", "–", "/") and second[:1].isdigit() and self.text[m.end() : m.end() + 1] in "-–/":
            return True  # "3-1", "24/7"
        return first in ("h", "heures", "heure") and second[:1].isdigit()  # "6 h 00"

    def repeated_definite(self, m: re.Match[str], number: Number, unit: str) -> bool:
        """'les deux hommes', 'ces douze personnalités': people already counted, unless a new, large figure."""
        if number.vague or m.group("vs"):
            return False
        before = self.words_before(m.start(), 20)
        if not before or before[-1] not in self.w("definite"):
            return False
        if m.group("apx") or m.group("low") or m.group("high"):
            return False  # "les quelque 2 000 djihadistes"
        value = number.value if number.value is not None else number.low
        if value is None or value < DEFINITE_MIN_VALUE:
            return True
        return any(f.unit == unit and f.key()[:3] == (number.value, number.low, number.high) for f in self.found)

    def ratio(self, end: int) -> bool:
        """'deux Français sur trois', 'one person in five': a proportion, not a count."""
        nxt = self.words_after(end, 25)
        if len(nxt) < 2 or nxt[0].group().lower() not in ("sur", "in", "out"):
            return False
        k = 2 if nxt[0].group().lower() == "out" and nxt[1].group().lower() == "of" else 1
        return k < len(nxt) and parse_number(nxt[k].group(), self.lang) is not None

    def trailing_approx(self, end: int) -> bool:
        nxt = FIRST_WORD.match(self.text, end)
        return nxt is not None and nxt.group(1).lower() in TRAILING_APPROX

    # --- counts without their own noun ---------------------------------------------------------------------------

    def anaphor(self, m: re.Match[str], noun: Noun) -> Noun | None:
        """'des dizaines d'autres', 'deux autres': the noun of the previous count, in this sentence or the one
        before; its role goes with it unless it only said who they were ("deux autres" soldiers may be civilians)."""
        sent = self.sentence(m.start())
        if not self.found or self.found[-1].sent < sent - 1:
            return None
        last = self.found[-1]
        self.antecedent_role = None if last.role in GROUP_ROLES else last.role
        return Noun(last.unit, ANAPHOR, noun.role, max(noun.end, m.end()), ANAPHOR)

    def implicit_noun(self, m: re.Match[str], after: list[re.Match[str]], ws: list[str]) -> Noun | None:
        """A number without its noun, when the clause names it: "dont 50 placés en garde à vue" (the noun of the
        count the 50 are part of), "le nombre de morts s'élève à 45" (the noun after "nombre de")."""
        if ws and ws[0][:1].isalpha() and ws[0] not in self.w("stop") and not self.nouns.is_participle(after[0]):
            return None  # a word that is not the noun: "deux jours", "trois fois"
        sent = self.sentence(m.start())
        if self.lex.subset_before.search(self.text, max(0, m.start() - 20), m.start()):
            if self.found and self.found[-1].sent == sent:
                return self.anaphor(m, Noun(None, ANAPHOR, None, m.end(), ANAPHOR))
            return None
        return self.nouns.named_in_clause(m, self.sent_starts[sent], BEFORE_WINDOW)

    def capitalised(self, start: int, end: int) -> bool:
        last = WORD_RE.findall(self.text, start, end)
        return bool(last) and last[-1][:1].isupper()

    def confidence(self, number: Number, kind: str, value_one: bool) -> float:
        if kind == "unknown":
            return CONF_CUE_NOUN
        if kind == "anaphor":
            return CONF_ANAPHORA
        if value_one:
            return CONF_ONE
        if number.vague:
            return CONF_VAGUE
        return CONF_DIGITS if number.digits else CONF_WORDS


@lru_cache(maxsize=4)
def one_nouns(lang: str) -> frozenset[str]:
    """First words of the nouns with which "un"/"one" is a count: "un mort", "un blessé"."""
    return frozenset(form[0] for form, unit in lexicon(lang).units.items() if unit.role in OUTCOME_ONE)


def annotate_quantities(doc: Doc) -> None:
    """Find quantities in `doc` and store them as plain dicts in `doc._.quantities`."""
    doc._.quantities = _Reader(doc).read()


@Language.factory("vigie_quantities", requires=["token.is_sent_start"], assigns=["doc._.quantities"])
def make_quantities(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, annotate_quantities)


def quantities_from_doc(doc: Doc, text: str, published: str | None) -> list[Quantity]:
    """Model records from `doc._.quantities`; offsets into `text` (the cleaned article, same length as doc.text)."""
    out = []
    for q in doc._.quantities or []:
        start, end = int(q["start"]), int(q["end"])
        out.append(Quantity(
            text=text[start:end], start=start, end=end, value=q.get("value"), low=q.get("low"), high=q.get("high"),
            unit=q.get("unit"), approx=bool(q.get("approx")), role=q.get("role"), extractor=EXTRACTOR,
            confidence=float(q.get("confidence", CONF_DIGITS)),
        ))
    return out
