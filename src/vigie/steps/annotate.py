"""The spaCy bridge: run the French (model) or English (rules) pipeline over a stream of articles and attach
plain records."""
from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from vigie.model import Article, ArticleError
from vigie.nlp.convert import annotate_article
from vigie.nlp.pipeline import load_english, load_french, model_text

# French runs the full model (entities, parse) and the extractors; English runs the rule-based extractors
# on a blank pipeline (no English spaCy model is on PyPI). Other languages are stored without NLP.
FULL_NLP_LANGUAGES = frozenset({"fr"})
RULE_NLP_LANGUAGES = frozenset({"en"})
NLP_LANGUAGES = FULL_NLP_LANGUAGES | RULE_NLP_LANGUAGES
# Under this many articles, starting worker processes costs more than it saves.
MIN_ARTICLES_FOR_WORKERS = 24
BATCH_SIZE = 16
# spaCy refuses longer texts by default (memory of the parser); longer "articles" get a clear error.
MAX_NLP_CHARS = 1_000_000


def _fits(item: Article | ArticleError, languages: frozenset[str]) -> bool:
    return isinstance(item, Article) and item.language in languages and 0 < len(item.text) <= MAX_NLP_CHARS


def _wants_nlp(item: Article | ArticleError) -> bool:
    return _fits(item, FULL_NLP_LANGUAGES)


def _wants_rules(item: Article | ArticleError) -> bool:
    return _fits(item, RULE_NLP_LANGUAGES)


def annotate_step(
    items: Iterable[Article | ArticleError],
    *,
    workers: int = 1,
    loader: Callable[[], Language] = load_french,
    rules_loader: Callable[[], Language] = load_english,
) -> Iterator[Article | ArticleError]:
    """Annotate French (full model) and English (rules) articles; pass everything else through in order.

    Articles travel as the context of `nlp.pipe(..., as_tuples=True)`, so order is kept and other items
    ride along as empty texts. With `workers > 1` spaCy forks worker processes (the model is loaded once,
    before the fork). English articles ride along as empty texts and go through the blank English
    pipeline here, in the parent process (it costs about a millisecond an article).
    """
    items = iter(items)
    head = list(itertools.islice(items, MIN_ARTICLES_FOR_WORKERS))
    n_process = workers if len(head) >= MIN_ARTICLES_FOR_WORKERS else 1
    stream = itertools.chain(head, items)
    if not any(_wants_nlp(i) for i in head) and n_process == 1:
        # nothing French in a short run: don't pay for loading the model
        for item in stream:
            yield _annotate_with_rules(item, rules_loader)
        return
    nlp = loader()

    def tuples() -> Iterator[tuple[str, Article | ArticleError]]:
        for item in stream:
            yield (model_text(item.text) if _wants_nlp(item) else ""), item

    docs = nlp.pipe(tuples(), as_tuples=True, n_process=n_process, batch_size=BATCH_SIZE)
    for doc, item in docs:
        if not _wants_nlp(item):
            yield _annotate_with_rules(item, rules_loader)
            continue
        assert isinstance(item, Article)
        yield _convert(item, doc)


def _convert(article: Article, doc: Doc) -> Article | ArticleError:
    try:
        annotate_article(article, doc)
    except Exception as exc:
        return ArticleError(article.origin, "nlp", f"annotation conversion failed: {exc}", article.id)
    if doc._.vigie_errors:
        article.meta["nlp_warnings"] = list(doc._.vigie_errors)
    return article


def _annotate_with_rules(item: Article | ArticleError, loader: Callable[[], Language]) -> Article | ArticleError:
    if not _wants_rules(item):
        return _too_long_error(item) or item
    assert isinstance(item, Article)
    try:
        doc = loader()(model_text(item.text))
    except Exception as exc:
        return ArticleError(item.origin, "nlp", f"rule-based NLP failed: {type(exc).__name__}: {exc}", item.id)
    return _convert(item, doc)


def _too_long_error(item: Article | ArticleError) -> ArticleError | None:
    if isinstance(item, Article) and len(item.text) > MAX_NLP_CHARS:
        return ArticleError(
            item.origin, "nlp", f"text too long for NLP: {len(item.text):,} chars > {MAX_NLP_CHARS:,}", item.id
        )
    return None
