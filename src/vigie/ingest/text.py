"""Plain-text reader: one file, one article."""
from __future__ import annotations

from typing import Any

from vigie.ingest.build import make_article
from vigie.records import Article, ArticleError


def read_text(text: str, *, origin: str, meta: dict[str, Any], default_published: str | None) -> Article | ArticleError:
    """One article whose raw is the decoded text as crawled; no title line is assumed."""
    if not text.strip():
        return ArticleError(origin=origin, stage="read", reason="empty file")
    return make_article(text, origin=origin, meta={**meta, "format": "text"}, default_published=default_published)
