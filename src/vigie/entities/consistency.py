"""One label per name within a document.

The statistical NER labels each mention from its sentence alone, so one name gets several labels in one
article ("Kassym-Jomart Tokaïev" LOC, then "M. Tokaïev" PER four times). The `vigie_consistency`
component, run after the span repairs, settles them by document-level votes:

- surnames: a lone surname of a person named in full ("Froome" MISC after "Chris Froome") is that
  person; a longer name ending with a surname the document uses for a person ("Kassym-Jomart Tokaïev" LOC,
  then "M. Tokaïev" PER four times) is a person when PER mentions of that surname are the majority;
  known places keep their label ("Washington" stays LOC next to "George Washington");
- exact names: all mentions of the same text take the label most of them have (ties keep each label);
- missed mentions: an untagged occurrence of a name tagged elsewhere in the document gets its label (a
  one-word name only when it is the surname of a person named in full: "Tokaïev" in a heading).
"""
from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from vigie.entities.filter import GENERIC_WORDS, SENTENCE_OPENERS, sentence_initial
from vigie.entities.gazetteer import lookup
from vigie.language.names import fold, name_tokens
from vigie.lexicons import word_class
from vigie.nlp.extensions import GuardedComponent

PROPAGATED = frozenset({"PER", "ORG", "LOC"})


def _stop() -> frozenset[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | SENTENCE_OPENERS | GENERIC_WORDS


_STOP = _stop()
# Capitalised heads that make a name a place or an institution even when its last word is a surname
# ("Rue Victor Hugo", "Lycée Jean Moulin", "Prix Albert Londres").
NON_PERSON_HEADS = word_class("entity_words_fr.tsv", "non_person_head")


def _name_like(span: Span) -> bool:
    """Every word capitalised and the first not a place/institution head: a person's name could be this."""
    words = [t for t in span if t.is_alpha]
    if not words or words[0].lower_ in NON_PERSON_HEADS:
        return False
    return all(t.text[:1].isupper() for t in words)


def consistent_labels(doc: Doc) -> None:
    ents = list(doc.ents)
    if len(ents) < 2:
        return
    toks = [name_tokens(e.text) for e in ents]
    labels = [e.label_ for e in ents]

    # 1. surnames. A lone word that is the surname of a person named in full is that person ("Froome" after
    # "Chris Froome"). A longer name ending with a surname the document uses for a person ("Kassym-Jomart
    # Tokaïev" LOC next to "M. Tokaïev" PER) is a person when PER mentions of that surname are the majority.
    # Known places keep their label ("Washington" next to "George Washington").
    full_surnames = {t[-1] for t, lab in zip(toks, labels, strict=True) if lab == "PER" and len(t) >= 2}
    person_surnames = {t[-1] for t, lab in zip(toks, labels, strict=True) if lab == "PER" and t}
    votes: dict[str, Counter] = defaultdict(Counter)
    for t, lab in zip(toks, labels, strict=True):
        if t and t[-1] in person_surnames:
            votes[t[-1]][lab] += 1
    for i, (ent, t) in enumerate(zip(ents, toks, strict=True)):
        if labels[i] == "PER" or not t or t[-1] not in person_surnames or not _name_like(ent):
            continue
        if lookup(ent.text) is not None:
            continue
        if len(t) == 1:
            if t[0] in full_surnames:
                labels[i] = "PER"
        elif labels[i] != "MISC":
            v = votes[t[-1]]
            if v["PER"] > sum(n for lab, n in v.items() if lab != "PER"):
                labels[i] = "PER"

    # 2. exact-text votes
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, ent in enumerate(ents):
        by_text[fold(ent.text)].append(i)
    for idx in by_text.values():
        if len(idx) < 2:
            continue
        count = Counter(labels[i] for i in idx)
        (best, n), *rest = count.most_common()
        if rest and n > rest[0][1]:
            for i in idx:
                labels[i] = best

    if any(lab != e.label_ for lab, e in zip(labels, ents, strict=True)):
        ents = [e if lab == e.label_ else Span(doc, e.start, e.end, label=lab) for e, lab in zip(ents, labels, strict=True)]
        doc.ents = ents
    propagate(doc, ents)


def _glued(doc: Doc, start: int, end: int) -> bool:
    """The words before or after are capitalised: the match is part of a longer name."""
    after = doc[end] if end < len(doc) else None
    if after is not None and after.is_alpha and after.text[:1].isupper():
        return True
    before = doc[start - 1] if start > 0 else None
    return before is not None and before.is_alpha and before.text[:1].isupper() and not sentence_initial(before)


def propagate(doc: Doc, ents: list[Span]) -> None:
    """Tag the mentions the NER missed of a name it found elsewhere in the document ("Tokaïev" in a heading)."""
    names: dict[tuple[str, ...], str] = {}
    # one-word names spread only as the surname of a person named in full: a lone word the NER tagged
    # once ("Gilets" PER in "Gilets jaunes") is too often a mistake to copy
    surnames = {e[-1].text for e in ents if e.label_ == "PER" and len(e) > 1}
    for e in ents:
        if e.label_ not in PROPAGATED:
            continue
        key = tuple(t.text for t in e)
        if len(key) == 1 and (
            e.label_ != "PER" or key[0] not in surnames or len(key[0]) < 3 or key[0].lower() in _STOP
        ):
            continue
        known = lookup(e.text)
        if known is not None and known.label != e.label_:
            continue
        if names.setdefault(key, e.label_) != e.label_:
            names[key] = ""  # two labels: too unsure to propagate
    if not names:
        return
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key, label in names.items():
        if label:
            by_first[key[0]].append(key)
    for same_first in by_first.values():
        same_first.sort(key=len, reverse=True)
    taken: set[int] = set()
    for e in ents:
        taken.update(range(e.start, e.end))
    new: list[Span] = []
    i = 0
    n = len(doc)
    while i < n:
        keys = by_first.get(doc[i].text)
        if not keys or i in taken:
            i += 1
            continue
        for key in keys:
            end = i + len(key)
            if end <= n and all(doc[j].text == key[j - i] for j in range(i, end)) and not any(
                j in taken for j in range(i, end)
            ):
                if not _glued(doc, i, end):
                    new.append(Span(doc, i, end, label=names[key]))
                    taken.update(range(i, end))
                    i = end - 1
                break
        i += 1
    if new:
        doc.ents = sorted(ents + new, key=lambda e: e.start)


@Language.factory("vigie_consistency", requires=["doc.ents"], assigns=["doc.ents"])
def make_consistency(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, consistent_labels)
