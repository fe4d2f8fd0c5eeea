"""Pipeline step: clean each article's raw text (see `vigie.clean` for the cleaner itself)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from vigie.clean.classify import clean_fixed
from vigie.clean.learner import RepeatedLineLearner
from vigie.ingest.repair import fix_lines
from vigie.records import Article, ArticleError

__all__ = ["clean_step", "source_of"]

# ----------------------------------------------------------------------------------------------------
# Text repair
# ----------------------------------------------------------------------------------------------------

# The repair itself (ftfy restricted to encoding repair, NFC, right-stripping, line count kept) lives in
# vigie.ingest.repair: the readers take content ids from the same repaired text (one id for the same
# article in UTF-16, in UTF-8 with stray controls or double-encoded).


# ----------------------------------------------------------------------------------------------------
# Pipeline step
# ----------------------------------------------------------------------------------------------------

_ORIGIN_LINE_RE = re.compile(r":\d+$")


def source_of(article: Article) -> str:
    """Group key for the learner: the article's source, else its URL host, else its origin's folder."""
    return _group_of(article)[0]


def _group_of(article: Article) -> tuple[str, bool]:
    """(`source_of`'s key, whether that key is a guess: the origin's folder, or "" for standard input;
    a guessed group may hold unrelated articles, see `_template_lines`)."""
    if article.source:
        return article.source.strip().casefold(), False
    if article.url:
        try:
            host = urlsplit(article.url).hostname or ""
        except ValueError:
            host = ""
        if host:
            return host.removeprefix("www."), False
    origin = _ORIGIN_LINE_RE.sub("", article.origin or "")
    if origin and not origin.startswith("<"):
        return str(Path(origin).parent), True
    return "", True


def clean_step(
    items: Iterable[Article | ArticleError], *, window: int = 200, learner: RepeatedLineLearner | None = None
) -> Iterator[Article | ArticleError]:
    """Pipeline step: clean each article's raw text into `text` / `removed_lines`, in input order.

    Buffers up to `window` items so the repeated-line learner sees the batch (per source) before any of
    its articles is cleaned; the learner's counts carry over to later windows (bounded). ArticleErrors
    pass through; a failure on one article yields ArticleError(stage="clean") for it and the run goes on.
    """
    learner = learner if learner is not None else RepeatedLineLearner()
    window = max(1, window)
    buf: list[Article | ArticleError] = []
    for item in items:
        buf.append(item)
        if len(buf) >= window:
            yield from _flush(buf, learner)
            buf = []
    if buf:
        yield from _flush(buf, learner)


def _error(article: Article, reason: str) -> ArticleError:
    return ArticleError(origin=article.origin, stage="clean", reason=reason, article_id=article.id)


def _flush(buf: list[Article | ArticleError], learner: RepeatedLineLearner) -> Iterator[Article | ArticleError]:
    prepared: list[tuple[str, bool, list[str]] | ArticleError | None] = []
    for item in buf:
        if not isinstance(item, Article):
            prepared.append(None)
            continue
        try:
            src, guessed = _group_of(item)
            lines = fix_lines(item.raw or "")
            learner._observe_lines(src, lines)
            prepared.append((src, guessed, lines))
        except Exception as exc:  # noqa: BLE001 - one bad article must not stop the run
            prepared.append(_error(item, f"cleaning failed: {type(exc).__name__}: {exc}"))
    for item, prep in zip(buf, prepared, strict=True):
        if not isinstance(item, Article):
            yield item
            continue
        if isinstance(prep, ArticleError):
            yield prep
            continue
        try:
            src, guessed, lines = prep  # type: ignore[misc]
            res = clean_fixed(lines, learner.repeated(src), chrome_only=guessed)
        except Exception as exc:  # noqa: BLE001
            yield _error(item, f"cleaning failed: {type(exc).__name__}: {exc}")
            continue
        if not res.text.strip():
            yield _error(item, "nothing left after cleaning")
            continue
        item.text = res.text
        item.removed_lines = res.removed
        yield item
