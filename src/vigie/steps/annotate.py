"""The spaCy bridge: run the French pipeline over a stream of articles and attach plain records."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language

from vigie.model import Article, ArticleError
from vigie.nlp.convert import entities_from_doc
from vigie.nlp.pipeline import load_french, model_text

NLP_LANGUAGES = frozenset({"fr"})  # English NLP comes later; English articles are stored without it
# Under this many articles, starting worker processes costs more than it saves.
MIN_ARTICLES_FOR_WORKERS = 24
BATCH_SIZE = 16
# spaCy refuses longer texts by default (memory of the parser); longer "articles" get a clear error.
MAX_NLP_CHARS = 1_000_000


def _wants_nlp(item: Article | ArticleError) -> bool:
    return isinstance(item, Article) and item.language in NLP_LANGUAGES and 0 < len(item.text) <= MAX_NLP_CHARS


def annotate_step(
    items: Iterable[Article | ArticleError],
    *,
    workers: int = 1,
    loader: Callable[[], Language] = load_french,
) -> Iterator[Article | ArticleError]:
    """Annotate French articles; pass everything else through in order.

    Articles travel as the context of `nlp.pipe(..., as_tuples=True)`, so order is kept and other items
    ride along as empty texts. With `workers > 1` spaCy forks worker processes (the model is loaded once,
    before the fork).
    """
    items = iter(items)
    head = list(itertools.islice(items, MIN_ARTICLES_FOR_WORKERS))
    n_process = workers if len(head) >= MIN_ARTICLES_FOR_WORKERS else 1
    stream = itertools.chain(head, items)
    if not any(_wants_nlp(i) for i in head) and n_process == 1:
        # nothing French in a short run: don't pay for loading the model
        for item in stream:
            yield _too_long_error(item) or item
        return
    nlp = loader()

    def tuples() -> Iterator[tuple[str, Article | ArticleError]]:
        for item in stream:
            yield (model_text(item.text) if _wants_nlp(item) else ""), item

    docs = nlp.pipe(tuples(), as_tuples=True, n_process=n_process, batch_size=BATCH_SIZE)
    for doc, item in docs:
        if not _wants_nlp(item):
            yield _too_long_error(item) or item
            continue
        assert isinstance(item, Article)
        errors = doc._.vigie_errors
        try:
            item.entities = entities_from_doc(doc, item.text)
        except Exception as exc:
            yield ArticleError(item.origin, "nlp", f"entity conversion failed: {exc}", item.id)
            continue
        if errors:
            item.meta["nlp_warnings"] = list(errors)
        yield item


def _too_long_error(item: Article | ArticleError) -> ArticleError | None:
    if isinstance(item, Article) and len(item.text) > MAX_NLP_CHARS:
        return ArticleError(
            item.origin, "nlp", f"text too long for NLP: {len(item.text):,} chars > {MAX_NLP_CHARS:,}", item.id
        )
    return None
