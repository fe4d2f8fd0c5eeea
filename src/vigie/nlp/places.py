"""Places: spaCy component \`vigie_places\` (filled in by a later commit)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from vigie.model import Place
from vigie.nlp.extensions import GuardedComponent


def annotate_places(doc: Doc) -> None:
    doc._.places = []


@Language.factory("vigie_places")
def make_places(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, annotate_places)


def places_from_doc(doc: Doc, text: str, published: str | None) -> list[Place]:
    return []
