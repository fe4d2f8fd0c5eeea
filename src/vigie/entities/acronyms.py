"""Acronyms introduced in parentheses join their full form.

"l'Organisation du traité de sécurité collective (OTSC)" links OTSC to its full form; the full form is
found as the entity just before the parenthesis or, when the NER missed it, as the run of words whose
initials spell the acronym. Later bare uses of the acronym become mentions of the same organisation.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from vigie.lexicons import word_class
from vigie.nlp.extensions import GuardedComponent

ACRONYM = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý0-9&\-]{1,9}$")
# Small words skipped when spelling an acronym from initials ("Organisation DU traité DE sécurité").
FILLERS = word_class("entity_words_fr.tsv", "acronym_filler")
MAX_FULL_FORM_TOKENS = 12


def _initials_span(doc: Doc, paren: int, acronym: str) -> Span | None:
    """The shortest run of tokens ending before `paren` whose content-word initials spell `acronym`."""
    letters = [c for c in acronym.upper() if c.isalpha()]
    i = paren - 1
    matched: list[int] = []
    pos = len(letters) - 1
    while i >= 0 and paren - i <= MAX_FULL_FORM_TOKENS and pos >= 0:
        tok = doc[i]
        if tok.is_punct:
            return None
        if tok.lower_ in FILLERS:
            i -= 1
            continue
        if tok.text[:1].upper() != letters[pos]:
            return None
        matched.append(i)
        pos -= 1
        i -= 1
    if pos >= 0 or not matched:
        return None
    first = matched[-1]
    if not doc[first].text[:1].isupper():
        return None
    return Span(doc, first, paren, label="ORG")


@Language.factory("vigie_acronyms", requires=["doc.ents"], assigns=["doc.ents", "doc._.acronyms"])
def make_acronyms(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, link_acronyms)


def link_acronyms(doc: Doc) -> None:
    """Link each parenthesised acronym to its full form and tag its later bare uses."""
    acronyms: dict[str, str] = {}
    ents = list(doc.ents)
    by_end = {e.end: e for e in ents}
    ent_keys = {(e.start, e.end, e.label_) for e in ents}
    new: list[Span] = []
    for tok in doc[1:-1]:
        if tok.text != "(" or not ACRONYM.match(doc[tok.i + 1].text) or tok.i + 2 >= len(doc):
            continue
        if doc[tok.i + 2].text != ")":
            continue
        acro = doc[tok.i + 1]
        full = by_end.get(tok.i) or _initials_span(doc, tok.i, acro.text)
        if full is None or len(full) < 2:
            continue
        label = full.label_ if full.label_ in {"ORG", "MISC", "LOC"} else "ORG"
        acronyms.setdefault(acro.text, full.text)
        if (full.start, full.end, full.label_) not in ent_keys:
            new.append(Span(doc, full.start, full.end, label=label))
        new.append(Span(doc, acro.i, acro.i + 1, label=label))
    if acronyms:
        # bare later uses of a known acronym are mentions of the same organisation
        labels = {s.text: s.label_ for s in new}
        for tok in doc:
            if tok.text in acronyms and not tok.ent_type_:
                new.append(Span(doc, tok.i, tok.i + 1, label=labels.get(tok.text, "ORG")))
        same = {(n.start, n.end) for n in new}
        covered = {i for n in new for i in range(n.start, n.end)}
        kept = [e for e in ents if (e.start, e.end) in same or not any(i in covered for i in range(e.start, e.end))]
        doc.ents = filter_spans(kept + new)
    doc._.acronyms = acronyms
