"""The chain of steps from input paths to analysed articles: read -> clean -> language -> dedup -> NLP.

    for item in analyze(["crawl/"], RunOptions(published="2022-01-12")):
        ...  # Article, ArticleError (per-article failure) or Skipped (already stored, when a store is given)

spaCy and the models are imported by the NLP step only when an article needs them.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vigie.ingest import read_inputs
from vigie.records import Article, ArticleError, Skipped
from vigie.steps.annotate import Budgets, annotate_step
from vigie.steps.clean import clean_step
from vigie.steps.langid import langid_step
from vigie.steps.resume import digest_step, skip_stored_step

if TYPE_CHECKING:
    from vigie.dedup import DedupIndex

Item = Article | ArticleError | Skipped


def default_workers() -> int:
    """Both cores of a laptop or CI runner; more than 4 processes rarely pays with one spaCy model each."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(slots=True)
class RunOptions:
    published: str | None = None  # default publication date for articles that carry none
    workers: int = field(default_factory=default_workers)
    nlp: bool = True
    extractors: bool = True  # places, quotes, dates, quantities, events (off: entities only, for benchmarks)
    # Skip, before the NLP, articles for which this returns True (`vigie.steps.resume.stored_in(store)`).
    is_stored: Callable[[Article], bool] | None = None
    budgets: Budgets = field(default_factory=Budgets)  # time and memory per article in worker processes
    isolate: bool | None = None  # worker processes: None = for long runs, True = always, False = never
    # Mark copies of earlier articles before the NLP, which passes them over (`vigie.steps.dedup`).
    dedup: DedupIndex | None = None
    executor: str = "local"  # "local" (processes of this machine) or "ray" (`vigie.run.ray_pool`)
    ray_address: str | None = None  # None: a local Ray for the run; else a cluster's address


def analyze(inputs: Iterable[str], options: RunOptions | None = None) -> Generator[Item, None, None]:
    """Stream analysed articles (and per-article errors, in input order) from files, folders or '-'."""
    opts = options or RunOptions()
    yield from analyze_articles(read_inputs(inputs, published=opts.published), opts)


def analyze_articles(items: Iterable[Article | ArticleError], options: RunOptions | None = None) -> Iterator[Item]:
    """The steps after reading (clean -> language -> dedup -> NLP) over articles already in memory (the HTTP
    API's writes use this). One item out per item in, in order."""
    opts = options or RunOptions()
    stream: Iterator[Any] = digest_step(items)
    stream = clean_step(stream)
    if opts.is_stored is not None:
        stream = skip_stored_step(stream, opts.is_stored)
    stream = langid_step(stream)
    if opts.dedup is not None:
        from vigie.steps.dedup import dedup_step

        stream = dedup_step(stream, opts.dedup)
    if opts.nlp:
        stream = annotate_step(
            stream,
            workers=opts.workers,
            with_extractors=opts.extractors,
            budgets=opts.budgets,
            isolate=opts.isolate,
            executor=opts.executor,
            ray_address=opts.ray_address,
        )
    yield from stream
