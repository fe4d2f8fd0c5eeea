"""One canonical name per entity in a document.

People: a shorter mention ("M. Tokaïev", "Tokaïev") takes the fullest mention whose name tokens contain
its own and end with the same surname ("Kassym-Jomart Tokaïev"); when several full names share the
surname, the nearest one before the mention wins. Organisations: acronyms take their full form.
Labels are settled before, by `vigie_consistency` (a bare surname the NER called LOC is the person named
in full elsewhere in the document).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from vigie.entities import consistency  # noqa: F401  (registers vigie_consistency, listed before this component)
from vigie.language.names import fold, name_tokens, strip_honorifics
from vigie.nlp.extensions import GuardedComponent


class _FullNames:
    """Person mentions of two name tokens or more, grouped by name so a lookup costs O(names · log mentions)."""

    def __init__(self, persons: list[tuple[Span, list[str]]]) -> None:
        groups: dict[tuple[str, ...], list[Span]] = defaultdict(list)
        for span, toks in persons:
            if len(toks) >= 2:
                groups[tuple(toks)].append(span)
        self.by_surname: dict[str, list[tuple[tuple[str, ...], list[int], list[Span]]]] = defaultdict(list)
        for name, spans in groups.items():
            spans.sort(key=lambda s: s.start)
            self.by_surname[name[-1]].append((name, [s.start for s in spans], spans))

    def best(self, mention: Span, toks: list[str]) -> Span | None:
        """The fullest name containing `toks` with the same last token; the nearest before the mention wins."""
        best: Span | None = None
        best_rank: tuple[int, int, int] | None = None
        wanted = set(toks)
        for ctoks, starts, spans in self.by_surname.get(toks[-1], ()):
            if len(ctoks) <= len(toks) or not wanted <= set(ctoks):
                continue
            k = bisect_right(starts, mention.start)
            cand = spans[k - 1] if k > 0 else spans[0]  # nearest at or before the mention, else the first after
            # rank: more name tokens, then a mention before this one, then the closest one
            rank = (len(ctoks), int(cand.start <= mention.start), -abs(mention.start - cand.start))
            if best_rank is None or rank > best_rank:
                best, best_rank = cand, rank
        return best


def canonical_names(doc: Doc) -> None:
    """Set `span._.canonical` on every entity."""
    ents = list(doc.ents)
    fulls = _FullNames([(e, name_tokens(e.text)) for e in ents if e.label_ == "PER"])
    acronyms = doc._.acronyms or {}
    for ent in ents:
        if ent.label_ == "PER":
            toks = name_tokens(ent.text)
            full = fulls.best(ent, toks) if toks else None
            canonical = strip_honorifics((full or ent).text)
        elif ent.text in acronyms:
            canonical = acronyms[ent.text]
        else:
            canonical = ent.text
        ent._.canonical = " ".join(canonical.split())


@Language.factory("vigie_canonical", requires=["doc.ents"], assigns=["span._.canonical"])
def make_canonical(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, canonical_names)


__all__ = ["canonical_names", "fold"]
