"""The counted noun of a quantity: the words after the number, read against `resources/quantity_units.tsv`.

"des dizaines de morts" -> mort; "deux jeunes femmes" -> femme (an adjective skipped); "120 des 150 sièges" ->
siège (a part of a count); "trois kilos de TATP" -> kilo (a measure with what it measures); "44 Russes" -> russe
(a people); "six Imbonerakure" -> imbonerakure (a noun outside the lexicon: `vigie.quantities.component` keeps it only
with a role cue); "deux autres" -> the noun of the count before (resolved by `vigie.quantities.component`).
On French the parse tells adjectives from nouns and gives lemmas; without a parse (English) the form does.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from spacy.tokens import Doc, Token

from vigie.language.demonyms import is_demonym
from vigie.quantities.expression import Number
from vigie.quantities.lexicon import BLOCK, COUNTED_CLASSES, MATERIAL, Lexicon, Unit, lookup, words
from vigie.quantities.numbers import parse_number

MAX_MODIFIERS = 2  # adjectives skipped between the number and its noun ("sept nouveaux ambassadeurs")
DE = frozenset({"de", "d'", "of"})
ANAPHOR = "anaphor"
CLAUSE_BREAK = re.compile(r"[.,;:!?«»()\n]")  # "nombre de" and its number must be in one stretch of a clause


class Noun(NamedTuple):
    """The counted noun of a quantity."""

    unit: str | None  # singular lemma; None for an anaphor until it is resolved
    cls: str  # a class of quantity_units.tsv, or "unknown" / "anaphor"
    role: str | None  # the noun's own role
    end: int  # end offset of the whole expression
    kind: str  # unit (listed), demonym, unknown (kept only with a role cue), anaphor ("deux autres")


class NounFinder:
    """Finds counted nouns in one document (the Doc and its text, same offsets)."""

    def __init__(self, doc: Doc, text: str, lang: str, lex: Lexicon, pattern: re.Pattern[str], search_text: str):
        self.doc = doc
        self.text = text
        self.lang = lang
        self.lex = lex
        self.w = lex.word_list
        self.parsed = lang == "fr" and doc.has_annotation("POS")
        self.pattern, self.search_text = pattern, search_text  # to read the inner count of "120 des 150 sièges"

    def token_at(self, start: int, end: int) -> Token | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def find(self, m: re.Match[str], after: list[re.Match[str]], ws: list[str], number: Number,
             after_passive_cue: bool) -> Noun | None:
        """The noun counted by match `m` (`after`: the words that follow it, `ws` the same lower-cased), or None.

        after_passive_cue: the previous count got its role from a participle after it ("ont été tués"), so that
        "des dizaines d'autres blessés" that follows is elliptic ("d'autres [ont été] blessés").
        """
        if number.money:
            group = "cur" if m.group("cur") else "cur2"
            money_unit = self.lex.money_sign(self.text[m.start(group) : m.end(group)])
            if money_unit is not None:
                return Noun(money_unit.lemma, money_unit.cls, money_unit.role, m.end(), "unit")  # "$2 million", "10 000 €"
        i = self.partitive(after, ws)
        if i is None:
            return None
        if i == 0 and ws and ws[0] in DE:
            # "des dizaines de morts", "2 millions de pèlerins"; but "quatre d'entre eux", "trois de ses enfants"
            # are part of a group already named
            if not (ws[0] == "of" or number.vague or number.multiplied):
                return None
            i = 1
        anaphor_end = None
        if i < len(ws) and ws[i] in self.w("anaphoric") and ws[i + 1 : i + 2] != ["than"]:  # not "12 more than"
            anaphor_end = after[i].end()
            i += 1
        stop = self.w("stop")
        skipped = 0
        while i < len(ws) and skipped <= MAX_MODIFIERS:
            w = ws[i]
            code = self.lex.codes.get(after[i].group())  # "50 millions CHF": an ISO code, in capitals
            hit = (code, 1) if code is not None else lookup(self.lex, ws, i)
            if hit is not None:
                unit, n = hit
                if unit.cls == BLOCK:
                    return None
                nxt = lookup(self.lex, ws, i + n) if i + n < len(ws) else None
                if nxt is not None and nxt[0].cls in COUNTED_CLASSES and self.adjective_use(w, n, number):
                    i += n  # "deux jeunes femmes", "two dead soldiers": the first word qualifies the second
                    skipped += 1
                    continue
                if skipped and self.lang == "en" and n == 1 and w == unit.lemma.lower() and not w.endswith("s"):
                    return None  # "2015 earthquake killed": after an unknown word, "killed" is a verb, not the noun
                if anaphor_end is not None and after_passive_cue and unit.role and self.is_participle(after[i]):
                    return Noun(None, ANAPHOR, unit.role, anaphor_end, ANAPHOR)
                return self.listed(unit, after, i, n, ws)
            if anaphor_end is not None and (w in stop or not w.isalpha() or self.is_participle(after[i])):
                return Noun(None, ANAPHOR, None, anaphor_end, ANAPHOR)  # "deux autres", "d'autres arrêtés"
            if w in stop or not w[:1].isalpha():
                return None
            if w.endswith("ment" if self.lang == "fr" else "ly") and i + 1 < len(after) \
                    and self.is_participle(after[i + 1]):
                # "trois grièvement blessés": an adverb, no noun (the parse may call it one)
                return Noun(None, ANAPHOR, None, anaphor_end, ANAPHOR) if anaphor_end is not None else None
            kind = self.word_kind(after[i], ws, i, skipped)
            if kind is None and anaphor_end is not None:
                return Noun(None, ANAPHOR, None, anaphor_end, ANAPHOR)  # "trois autres plus légèrement blessées"
            if kind == "adj":
                i += 1
                skipped += 1
                continue
            if kind == "demonym":
                return Noun(singular(w, self.lang), "person", None, after[i].end(), "demonym")
            if kind == "noun":
                return Noun(self.lemma(after[i]), "unknown", None, after[i].end(), "unknown")
            return None
        return Noun(None, ANAPHOR, None, anaphor_end, ANAPHOR) if anaphor_end is not None else None

    def partitive(self, after: list[re.Match[str]], ws: list[str]) -> int | None:
        """'120 des 150 sièges', 'ten of the 50 hostages': the index of the word after the whole count (0 when the
        count is not a part of another one; None when it is, but the other count cannot be read)."""
        for n in (2, 1):
            if len(ws) > n and " ".join(ws[:n]) in self.w("partitive") and (ws[n][:1].isdigit()
                                                                               or parse_number(ws[n], self.lang)):
                inner = self.pattern.match(self.search_text, after[n].start())
                if inner is None:
                    return None
                return next((k for k, w in enumerate(after) if w.start() >= inner.end()), None)
        return 0

    def listed(self, unit: Unit, after: list[re.Match[str]], i: int, n: int, ws: list[str]) -> Noun | None:
        if unit.cls == MATERIAL:
            # "3 kilos de TATP": a measure counts with what it measures, which joins the span
            j = i + n
            if j + 1 < len(ws) and ws[j] in DE and ws[j + 1][:1].isalpha() and ws[j + 1] not in self.w("stop"):
                return Noun(unit.lemma, unit.cls, unit.role, after[j + 1].end(), "unit")
            return None
        return Noun(unit.lemma, unit.cls, unit.role, after[i + n - 1].end(), "unit")

    def named_in_clause(self, m: re.Match[str], clause_start: int, window: int) -> Noun | None:
        """'le nombre de morts s'élève à 45', 'the number of dead rose to 45': the noun after "nombre de"."""
        if m.group("r1") and self.words_before(m.start(), 5)[-1:] in (["de"], ["from"]):
            return None  # "le nombre de morts est passé de 12 à 36": a change, not a range
        before = self.words_before(m.start(), 12)
        if not before or before[-1] not in self.w("number_is"):
            return None  # "divisé par 10", "une baisse de 12 700": not the number itself
        *_, named = (None, *self.lex.number_of.finditer(self.text, max(clause_start, m.start() - window), m.start()))
        if named is None or CLAUSE_BREAK.search(self.text, named.end(), m.start()) \
                or self.lex.coordination.search(self.text, named.end(), m.start()):
            return None
        hit = lookup(self.lex, list(words(named.group("noun"))), 0)
        if hit is None or hit[0].cls not in COUNTED_CLASSES:
            return None
        return Noun(hit[0].lemma, hit[0].cls, hit[0].role, m.end(), "unit")

    def words_before(self, pos: int, limit: int) -> list[str]:
        return list(words(self.text[max(0, pos - limit) : pos]))

    def is_participle(self, word: re.Match[str]) -> bool:
        w = word.group().lower()
        if self.lang == "en":
            return w.endswith("ed") or w in ("dead", "hurt", "missing")
        if self.lex.after.fullmatch(w) is not None:
            return True  # "tués", "blessées"
        if self.parsed:
            tok = self.token_at(word.start(), word.end())
            return tok is not None and "Part" in tok.morph.get("VerbForm")  # type: ignore[call-arg]  # "placés", "relâchés"
        return w.endswith(("é", "ée", "és", "ées"))

    def adjective_use(self, word: str, n_words: int, number: Number) -> bool:
        if word in self.w("prenominal"):
            return True
        # English: a singular form after a number above one qualifies the next noun ("two dead soldiers")
        return self.lang == "en" and n_words == 1 and (number.value or 2) != 1 and not word.endswith("s")

    def word_kind(self, word: re.Match[str], ws: list[str], i: int, skipped: int = 0) -> str | None:
        """adj (skip it), noun (the counted noun, outside the lexicon), demonym (a people), or None (stop).
        `skipped`: adjectives already skipped between the number and this word."""
        text = word.group()
        if self.parsed:
            tok = self.token_at(word.start(), word.end())
            pos = tok.pos_ if tok is not None else ""
            if is_demonym(text):
                # "trois Congolais", "trois soldats congolais"; right after the number, even in lower case a people
                # ("plus de 300 000 burundais"), unless a listed noun follows ("trois congolais réfugiés" is rare)
                if text[:1].isupper() or not skipped and not (i + 1 < len(ws) and lookup(self.lex, ws, i + 1)):
                    return "demonym"
                return "adj"
            if pos == "ADJ":
                return "adj"
            return "noun" if pos in ("NOUN", "PROPN") else None
        if is_demonym(text):
            # "two Americans" (a people), "two American soldiers" (an adjective)
            if i + 1 < len(ws) and lookup(self.lex, ws, i + 1):
                return "adj"
            return "demonym" if text.endswith("s") or self.lang == "fr" and text[:1].isupper() else "adj"
        if self.lang == "en":
            low = text.lower()
            # no parse: a plural is the head noun, anything else is taken for an adjective
            return "noun" if low.endswith("s") and not low.endswith(("ss", "us", "is")) else "adj"
        return "noun" if text[:1].islower() else None

    def lemma(self, word: re.Match[str]) -> str:
        if self.parsed:
            tok = self.token_at(word.start(), word.end())
            if tok is not None:
                lemma, text = tok.lemma_.lower(), tok.text.lower()
                # participles used as nouns get verb lemmas ("blessés" -> "blesser"): keep the masculine singular
                if lemma.endswith(("er", "ir", "re")) and text.rstrip("s").rstrip("e").endswith(("é", "i", "u", "t")):
                    return singular(text, "fr")
                return lemma
        return singular(word.group().lower(), self.lang)


def singular(word: str, lang: str) -> str:
    w = word.lower()
    if lang == "en":
        if w.endswith("ies") and len(w) > 4:
            return w[:-3] + "y"
        if w.endswith(("ches", "shes", "sses", "xes")):
            return w[:-2]
        return w[:-1] if w.endswith("s") and not w.endswith(("ss", "us", "is")) else w
    if w.endswith("aux") and len(w) > 4:
        return w[:-3] + "al"
    if w.endswith(("ais", "ois")):
        return w  # "congolais", "chinois" are the same in the singular
    return w[:-1] if w.endswith(("s", "x")) and len(w) > 3 else w
