"""Events: spaCy component \`vigie_events\` (filled in by a later commit)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from vigie.model import Event
from vigie.nlp.extensions import GuardedComponent


def annotate_events(doc: Doc) -> None:
    doc._.events = []


@Language.factory("vigie_events")
def make_events(nlp: Language, name: str) -> GuardedComponent:
    return GuardedComponent(name, annotate_events)


def events_from_doc(doc: Doc, text: str, published: str | None) -> list[Event]:
    return []
