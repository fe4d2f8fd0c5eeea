"""Every custom attribute vigie sets on spaCy objects, registered in one place."""
from __future__ import annotations

from spacy.tokens import Doc, Span


def register_extensions() -> None:
    """Idempotent: safe to call from every component factory and every worker process."""
    if not Span.has_extension("canonical"):
        Span.set_extension("canonical", default=None)
    if not Doc.has_extension("acronyms"):
        # acronym -> full form, from "Organisation du traité de sécurité collective (OTSC)"
        Doc.set_extension("acronyms", default=None)
    if not Doc.has_extension("vigie_errors"):
        # component failures are recorded here so one odd article cannot stop a batch
        Doc.set_extension("vigie_errors", default=None)


def record_error(doc: Doc, component: str, exc: BaseException) -> None:
    """Note a component failure on the Doc (`doc._.vigie_errors`, a list of strings) instead of raising."""
    errors = doc._.vigie_errors or []
    errors.append(f"{component}: {type(exc).__name__}: {exc}")
    doc._.vigie_errors = errors
