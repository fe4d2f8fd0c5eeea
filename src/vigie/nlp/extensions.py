"""Every custom attribute vigie sets on spaCy objects, registered in one place."""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span


def register_extensions() -> None:
    """Idempotent: safe to call from every component factory and every worker process."""
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    if not Doc.has_extension("acronyms"):
        # acronym -> full form, from "Organisation du traité de sécurité collective (OTSC)"
        Doc.set_extension("acronyms", default=None)
    # Extractor results: lists of plain dicts (str/int/float/bool/None/list/dict only), because spaCy's
    # worker processes send Docs back with msgpack; vigie.analysis.from_doc turns them into model dataclasses.
    for name in ("places", "quotes", "dates", "quantities", "measures", "events"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("vigie_errors"):
        # component failures are recorded here so one odd article cannot stop a batch
        Doc.set_extension("vigie_errors", default=None)


class GuardedComponent:
    """A Doc -> Doc pipeline component that records a failure on the Doc instead of raising.

    One odd article (a 100k-token list, a text of punctuation) must not stop a whole batch.
    """

    def __init__(self, name: str, annotate: Callable[[Doc], object]) -> None:
        register_extensions()
        self.name = name
        self.annotate = annotate

    def __call__(self, doc: Doc) -> Doc:
        try:
            self.annotate(doc)
        except Exception as exc:
            record_error(doc, self.name, exc)
        return doc


def record_error(doc: Doc, component: str, exc: BaseException) -> None:
    """Note a component failure on the Doc (`doc._.vigie_errors`, a list of strings) instead of raising."""
    errors = doc._.vigie_errors or []
    errors.append(f"{component}: {type(exc).__name__}: {exc}")
    doc._.vigie_errors = errors


def french_parse(doc: Doc) -> bool:
    """The Doc has the French model's dependency parse and morphology, which the parse-based rules of the
    extractors read (UD French labels: "nsubj:pass", "obl:agent", "aux:tense"). English Docs are parsed too, with
    other labels: the extractors read them with their English rules."""
    return doc.lang_ == "fr" and doc.has_annotation("DEP")
