"""The working record of one event mention while it is being coded (never leaves `annotate_events`)."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from vigie.events.lexicon import TriggerEntry


@dataclass(slots=True)
class Actor:
    """A coded actor: a name (canonical or noun phrase), its country (alpha-3 or "IGO") and PLOVER sector."""

    name: str
    start: int
    end: int
    country: str | None = None
    sector: str | None = None
    entity: bool = False  # a named entity (person, organisation, country), not a common noun phrase
    perp: bool = False  # an unidentified perpetrator word ("l'assaillant", "les kamikazes")
    place: bool = False  # a place named as the actor (the destination of a visit, a country acting)
    head: str | None = None  # merge key of a unit named after its organisation ("contingent" for the OTSC's)
    affiliation: str | None = None  # the organisation a person leads or speaks for ("le chef du Front al-Nosra, X")


@dataclass(slots=True)
class Mention:
    """One trigger in the text with everything found around it."""

    type: str
    mode: str | None
    token: Token  # the trigger's head token
    entry: TriggerEntry | None
    start: int  # trigger span (characters)
    end: int
    weight: float
    source_tok: Token | None = None
    target_tok: Token | None = None
    source: Actor | None = None
    target: Actor | None = None
    context: set[str] = field(default_factory=set)
    ctx_required: bool = False  # kept only near an unambiguous trigger of the same type
    extra_sources: list[Token] = field(default_factory=list)  # coordinated states acting separately
    weak: bool = False  # a trigger word whose entry's conditions fail: kept only if the second opinion agrees
