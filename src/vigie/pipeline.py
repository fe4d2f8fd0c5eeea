"""The chain of steps from input paths to analysed articles: read -> clean -> language -> French NLP."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from vigie.ingest import read_inputs
from vigie.model import Article, ArticleError
from vigie.steps.annotate import annotate_step
from vigie.steps.clean import clean_step
from vigie.steps.langid import langid_step


def default_workers() -> int:
    """Both cores of a laptop or CI runner; more than 4 processes rarely pays with one spaCy model each."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(slots=True)
class RunOptions:
    published: str | None = None  # default publication date for articles that carry none
    workers: int = field(default_factory=default_workers)
    nlp: bool = True


def analyze(inputs: Iterable[str], options: RunOptions | None = None) -> Iterator[Article | ArticleError]:
    """Stream analysed articles (and per-article errors, in input order) from files, folders or '-'."""
    opts = options or RunOptions()
    stream: Iterable[Article | ArticleError] = read_inputs(inputs, published=opts.published)
    stream = clean_step(stream)
    stream = langid_step(stream)
    if opts.nlp:
        stream = annotate_step(stream, workers=opts.workers)
    yield from stream
