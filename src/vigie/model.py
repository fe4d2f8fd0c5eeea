"""Plain records that move between steps. No spaCy object ever crosses a step or process boundary."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class RemovedLine:
    """A line of the raw text that cleaning dropped, and why."""

    line_no: int  # 0-based index in raw.splitlines()
    text: str
    reason: str  # e.g. "rule:follow-call", "repeated-in-source", "outside-article"


@dataclass(slots=True)
class EntityMention:
    """A named-entity mention; offsets are into Article.text (the cleaned text)."""

    text: str
    label: str  # PER | ORG | LOC | MISC
    start: int
    end: int
    canonical: str
    extractor: str = "spacy"
    confidence: float = 0.8


@dataclass(slots=True)
class Article:
    """One news article as it moves through the steps.

    `raw` is exactly what the reader got (decoded text, or the main text trafilatura extracted from HTML);
    `text` is the cleaned body that every offset points into.
    """

    id: str
    raw: str
    origin: str = ""  # where it came from: file path, "path:line" for JSONL, "<stdin>"
    url: str | None = None
    title: str | None = None
    source: str | None = None  # site or publisher
    author: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD when known
    id_given: bool = False  # True when the input carried its own id
    text: str = ""
    language: str | None = None
    language_score: float | None = None
    removed_lines: list[RemovedLine] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # reader diagnostics: format, encoding, ...


@dataclass(slots=True)
class ArticleError:
    """A per-article failure: the run records it and goes on."""

    origin: str
    stage: str  # read | clean | langid | nlp | store
    reason: str
    article_id: str | None = None
