"""Plain-text reader: one file, one article; a first line shaped like a headline is its title (and stays in the text)."""
from __future__ import annotations

from typing import Any

from vigie.ingest.build import make_article
from vigie.records import Article, ArticleError

TITLE_MAX_CHARS = 150  # a headline is short
TITLE_MIN_WORDS = 2
_NOT_TITLE_END = tuple(".;,:!?…-–—")  # a sentence, a clause or a label ("Share on:") is not a headline
_URL_MARKS = ("://", "www.", "@")


def title_line(text: str) -> str | None:
    """The first non-blank line of `text` when it looks like a headline: short, capitalised, no final period,
    followed by more text. Otherwise None (an article that starts with its first paragraph has no title line)."""
    lines = text.strip().split("\n")
    if len(lines) < 2 or not any(line.strip() for line in lines[1:]):
        return None
    first = lines[0].strip()
    words = first.split()
    if len(words) < TITLE_MIN_WORDS or len(first) > TITLE_MAX_CHARS:
        return None
    if first.endswith(_NOT_TITLE_END) or any(mark in first for mark in _URL_MARKS):
        return None
    lead = next((ch for ch in first if ch.isalnum()), "")
    if not lead or not (lead.isupper() or lead.isdigit()):
        return None
    from vigie.ingest.dates import dateline_date

    if dateline_date(first) is not None:  # "12 mars 2016 . –" alone on its line is a dateline
        return None
    return first


def read_text(text: str, *, origin: str, meta: dict[str, Any], default_published: str | None) -> Article | ArticleError:
    """One article whose raw is the decoded text as crawled; its first line is the title when it looks like one."""
    if not text.strip():
        return ArticleError(origin=origin, stage="read", reason="empty file")
    return make_article(
        text, origin=origin, meta={**meta, "format": "text"}, default_published=default_published,
        title=title_line(text),
    )
