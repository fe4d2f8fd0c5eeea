"""Resuming without rework: an article already stored from the same input is not analysed again.

Every article gets an input digest as it leaves the reader: a hash of its id, its repaired text (the text
its content id is taken from) and the metadata the reader found — not its origin nor its encoding: the
same text from another file, or saved in another encoding, is the same input. The store
keeps the digest; a run given `is_stored` skips, before the NLP, every article whose digest the store
already holds, so a rerun after a crash or on a complete database costs reading and cleaning only.
Skipped articles still go through the cleaning step first: the repeated-line learner must see them, so
that the articles after them are cleaned exactly as in an uninterrupted run.
"""
from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from vigie.ingest.repair import repaired_text
from vigie.records import Article, Skipped

#: Bump when the digest's recipe changes (every stored article is then analysed again once).
DIGEST_VERSION = 1
#: Inputs a run remembers to skip their repeats (about 100 bytes each); older ones are forgotten.
MAX_REMEMBERED = 200_000


def input_digest(article: Article) -> str:
    """sha256 of what the reader gave for `article` (id, repaired text, url, title, source, author, published)."""
    payload = [
        DIGEST_VERSION,
        article.id,
        repaired_text(article.raw).strip(),
        article.url,
        article.title,
        article.source,
        article.author,
        article.published,
    ]
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def digest_step(items: Iterable[Any]) -> Iterator[Any]:
    """Set `input_digest` on every article, as read (before cleaning or NLP change anything)."""
    for item in items:
        if isinstance(item, Article) and item.input_digest is None:
            item.input_digest = input_digest(item)
        yield item


def skip_stored_step(items: Iterable[Any], is_stored: Callable[[Article], bool]) -> Iterator[Any]:
    """Replace with a `Skipped` record every article that `is_stored` says the store already holds, and every
    repeat of an input met earlier in this run (not stored yet when the repeat is checked)."""
    seen: OrderedDict[tuple[str, str], None] = OrderedDict()
    for item in items:
        if not isinstance(item, Article):
            yield item
            continue
        key = (item.id, item.input_digest or "")
        if key in seen:
            yield Skipped(id=item.id, origin=item.origin, reason="repeated in this run")
        elif is_stored(item):
            yield Skipped(id=item.id, origin=item.origin)
        else:
            seen[key] = None
            if len(seen) > MAX_REMEMBERED:
                seen.popitem(last=False)
            yield item


def stored_in(store: Any) -> Callable[[Article], bool]:
    """`is_stored` for a store: the article's id is stored with the same input digest."""

    def is_stored(article: Article) -> bool:
        return article.input_digest is not None and store.stored_input_digest(article.id) == article.input_digest

    return is_stored
