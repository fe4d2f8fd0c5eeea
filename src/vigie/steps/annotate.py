"""The spaCy bridge: run the French (model) or English (rules) pipeline over a stream of articles and attach
plain records.

One function, `annotate_one`, analyses one article; the step runs it in this process for short runs and in
worker processes (`vigie.run.WorkerPool`) for long ones, so both paths give the same records. In workers an
article that overruns its time budget, or a worker whose memory passes the budget, costs that article an
error and the worker is replaced; nothing else is lost. spaCy is imported only when an article needs it, so
a run that has nothing to analyse (a resumed run, say) never pays for loading it.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from vigie.records import Article, ArticleError

# French runs the full model (entities, parse) and the extractors; English runs the rule-based extractors
# on a blank pipeline (no English spaCy model is on PyPI). Other languages are stored without NLP.
FULL_NLP_LANGUAGES = frozenset({"fr"})
RULE_NLP_LANGUAGES = frozenset({"en"})
NLP_LANGUAGES = FULL_NLP_LANGUAGES | RULE_NLP_LANGUAGES
# Under this many articles, starting worker processes (each loads the model: 5-8 s) costs more than it saves.
MIN_ARTICLES_FOR_WORKERS = 24
#: Where the NLP runs: "local" (this process, or worker processes for long runs) or "ray" (Ray actors).
EXECUTORS = ("local", "ray")
# The input limit (5 MB of bytes) lets through at most about this many characters of text; longer texts
# are refused with a clear error rather than analysed.
MAX_NLP_CHARS = 1_000_000
# A worker whose article ran out of time but did not stop itself (stuck inside one pipe) is killed this
# many seconds later.
KILL_GRACE = 10.0


@dataclass(frozen=True, slots=True)
class Budgets:
    """What one article may cost in a worker process.

    Time: `seconds` for an article of up to `per_chars` characters, proportionally more above (a
    1M-character article gets 10x). Measured: an ordinary article takes 0.03-0.3 s, a 990K-character one
    about 40 s (bench/long_text.py), so only a hang reaches the default. Memory: a worker holds about 0.8 GB once the model and the
    gazetteer are loaded and peaks under 1 GB on the longest article (long texts are analysed in chunks);
    one that passes `max_rss` is killed (its article becomes an error), one that ends an article above
    `recycle_rss` is replaced, to give fragmented memory back.
    """

    seconds: float = 120.0
    per_chars: int = 100_000
    max_rss: int | None = 3 * 2**30
    recycle_rss: int | None = 3 * 2**29

    def time_for(self, item: Any) -> float:
        chars = len(item.text) if isinstance(item, Article) else 0
        return self.seconds * max(1.0, chars / self.per_chars)


def wants_nlp(item: Article | ArticleError | Any) -> bool:
    """An article in a language vigie analyses, with text, within the NLP length limit, and no copy of another
    article (`vigie.steps.dedup`: its original is analysed)."""
    return (
        isinstance(item, Article)
        and item.duplicate is None
        and item.language in NLP_LANGUAGES
        and 0 < len(item.text) <= MAX_NLP_CHARS
    )


def load_pipelines(with_extractors: bool = True) -> None:
    """Load both pipelines now (a worker does this once, before its first article)."""
    from vigie.analysis.load import load_english, load_french

    load_french(with_extractors=with_extractors)
    load_english(with_extractors=with_extractors)


def annotate_one(
    article: Article, with_extractors: bool = True, budgets: Budgets | None = None
) -> Article | ArticleError:
    """Analyse one article with the pipeline of its language; a failure is the article's error.

    With `budgets`, the analysis stops itself between two chunks or pipes once the article's time is spent
    (in worker processes the parent also stops a worker stuck inside one pipe, `KILL_GRACE` seconds later).
    """
    from vigie.analysis.load import load_english, load_french, model_text
    from vigie.nlp.long_text import TimeBudgetExceeded, analyse_text

    french = article.language in FULL_NLP_LANGUAGES
    seconds = budgets.time_for(article) if budgets is not None else None
    try:
        nlp = load_french(with_extractors=with_extractors) if french else load_english(with_extractors=with_extractors)
        doc = analyse_text(nlp, model_text(article.text), time_budget=seconds)
    except TimeBudgetExceeded:
        return ArticleError(article.origin, "nlp", f"time budget exceeded ({seconds:.0f} s)", article.id)
    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
        what = "NLP" if french else "rule-based NLP"
        return ArticleError(article.origin, "nlp", f"{what} failed: {type(exc).__name__}: {exc}", article.id)
    return _convert(article, doc)


def _convert(article: Article, doc: Any) -> Article | ArticleError:
    from vigie.analysis.from_doc import annotate_article

    try:
        annotate_article(article, doc)
    except Exception as exc:  # noqa: BLE001
        return ArticleError(article.origin, "nlp", f"annotation conversion failed: {exc}", article.id)
    if doc._.vigie_errors:
        article.meta["nlp_warnings"] = list(doc._.vigie_errors)
    return article


def _passed_through(item: Article | ArticleError) -> Article | ArticleError:
    """What the step gives for an item it does not analyse: a too-long article becomes an error."""
    if isinstance(item, Article) and len(item.text) > MAX_NLP_CHARS:
        return ArticleError(
            item.origin, "nlp", f"text too long for NLP: {len(item.text):,} chars > {MAX_NLP_CHARS:,}", item.id
        )
    return item


def annotate_step(
    items: Iterable[Any],
    *,
    workers: int = 1,
    with_extractors: bool = True,
    budgets: Budgets | None = None,
    isolate: bool | None = None,
    executor: str = "local",
    ray_address: str | None = None,
) -> Iterator[Any]:
    """Annotate French (full model) and English (rules) articles; pass everything else through, in order.

    `isolate` None: worker processes when `workers > 1` and the run has at least MIN_ARTICLES_FOR_WORKERS
    items; True: always in worker processes (budgets enforced even for one article); False: in this process.
    `executor` "ray": `workers` Ray actors instead of worker processes (`vigie.run.ray_pool`; a local Ray, or the
    cluster at `ray_address`), whatever the run's length.
    """
    from vigie.run import TaskFailure, WorkerPool

    items = iter(items)
    head = list(itertools.islice(items, MIN_ARTICLES_FOR_WORKERS))
    stream = itertools.chain(head, items)
    if isolate is None:
        isolate = workers > 1 and len(head) >= MIN_ARTICLES_FOR_WORKERS
    budgets = budgets or Budgets()
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}: choose one of {', '.join(EXECUTORS)}")
    if executor == "local" and not isolate:
        for item in stream:
            yield annotate_one(item, with_extractors, budgets) if wants_nlp(item) else _passed_through(item)
        return
    func = partial(annotate_one, with_extractors=with_extractors, budgets=budgets)
    init = partial(load_pipelines, with_extractors)
    pool: Any
    if executor == "ray":
        from vigie.run.ray_pool import RayPool

        pool = RayPool(func, workers=max(1, workers), init=init, address=ray_address,
                       time_budget=lambda item: budgets.time_for(item) + KILL_GRACE)
    else:
        pool = WorkerPool(func, workers=max(1, workers), init=init,
                          time_budget=lambda item: budgets.time_for(item) + KILL_GRACE,
                          max_rss=budgets.max_rss, recycle_rss=budgets.recycle_rss)
    with pool:
        for result in pool.imap(stream, wanted=wants_nlp):
            if isinstance(result, TaskFailure):
                article = result.item
                yield ArticleError(article.origin, "nlp", result.reason, article.id)
            else:
                yield _passed_through(result)
