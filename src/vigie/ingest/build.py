"""Assembling an Article from what a reader found: id, published date, optional fields."""
from __future__ import annotations

from typing import Any

from vigie.ingest.dates import normalize_date
from vigie.ingest.ids import content_id
from vigie.records import Article


def clean_field(value: object) -> str | None:
    """A metadata value as a stripped string; None when absent, blank or not a scalar."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    text = str(value).strip()
    return text or None


def make_article(
    raw: str,
    *,
    origin: str,
    meta: dict[str, Any],
    default_published: str | None,
    given_id: str | None = None,
    published: object = None,
    url: object = None,
    title: object = None,
    source: object = None,
    author: object = None,
) -> Article:
    """Build the Article; `published` is what the input said, `default_published` the --published fallback.

    `default_published` must already be normalised (read_inputs checks it up front).
    """
    meta = dict(meta)
    date = normalize_date(published)
    if date is None and clean_field(published) is not None:
        # Keep None rather than guess, but let the user see what the input said.
        meta["published_raw"] = str(published).strip()
    elif date is None and default_published is not None:
        date = default_published
        meta["published_from"] = "default"
    return Article(
        id=given_id if given_id is not None else content_id(raw),
        raw=raw,
        origin=origin,
        url=clean_field(url),
        title=clean_field(title),
        source=clean_field(source),
        author=clean_field(author),
        published=date,
        id_given=given_id is not None,
        meta=meta,
    )
