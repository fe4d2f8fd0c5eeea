"""Readers: turn input paths (files, folders, stdin) into Articles, or per-article errors.

    for item in read_inputs(["crawl/", "extra.jsonl.gz", "CC-NEWS-20220112.warc.gz", "feed.rss", "-"],
                            published="2022-01-12"):
        ...  # Article or ArticleError; bad input never stops the run

Plain text, HTML pages, JSONL (one article per line), WARC archives (`vigie.ingest.warc`: one article per HTML
response) and RSS/Atom feeds (`vigie.ingest.feed`: one article per entry with article text); gzip anywhere.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from vigie.ingest.dates import normalize_date
from vigie.ingest.files import count_inputs, iter_sources
from vigie.ingest.ids import content_id
from vigie.ingest.limits import MAX_INPUT_BYTES
from vigie.records import Article, ArticleError

__all__ = ["MAX_INPUT_BYTES", "content_id", "count_inputs", "normalize_date", "read_inputs"]


def read_inputs(
    inputs: Iterable[str],
    *,
    published: str | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
) -> Iterator[Article | ArticleError]:
    """Stream Articles (and ArticleErrors) from files, folders and '-' (stdin), in order.

    `published` is the date given to articles that carry none (normalised to YYYY-MM-DD).
    Raises ValueError right away for an unreadable `published` or a non-positive
    `max_bytes`: those are the caller's mistakes, not the input's.
    """
    default = normalize_date(published) if published is not None else None
    if published is not None and default is None:
        raise ValueError(f"unreadable published date: {published!r} (expected YYYY-MM-DD)")
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ValueError(f"max_bytes must be a positive integer, not {max_bytes!r}")
    # A lone path would otherwise be iterated character by character.
    entries = [inputs] if isinstance(inputs, (str, os.PathLike)) else inputs
    return iter_sources((os.fspath(entry) for entry in entries), max_bytes=max_bytes, default_published=default)
