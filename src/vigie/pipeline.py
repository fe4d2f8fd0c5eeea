"""The chain of steps from input paths to analysed articles: read -> clean -> language -> NLP."""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

from vigie.ingest import read_inputs
from vigie.model import Article, ArticleError
from vigie.nlp.pipeline import load_english, load_french
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
    extractors: bool = True  # places, quotes, dates, quantities, events (off: entities only, for benchmarks)


def analyze(inputs: Iterable[str], options: RunOptions | None = None) -> Iterator[Article | ArticleError]:
    """Stream analysed articles (and per-article errors, in input order) from files, folders or '-'."""
    opts = options or RunOptions()
    yield from analyze_articles(read_inputs(inputs, published=opts.published), opts)


def analyze_articles(
    items: Iterable[Article | ArticleError], options: RunOptions | None = None
) -> Iterator[Article | ArticleError]:
    """The steps after reading (clean -> language -> NLP) over articles already in memory (the HTTP API's
    writes use this). One item out per item in, in order."""
    opts = options or RunOptions()
    stream = clean_step(items)
    stream = langid_step(stream)
    if opts.nlp:
        stream = annotate_step(
            stream,
            workers=opts.workers,
            loader=partial(load_french, with_extractors=opts.extractors),
            rules_loader=partial(load_english, with_extractors=opts.extractors),
        )
    yield from stream
