"""Pipeline step: find the articles that copy an earlier one, before the NLP, so that a copy costs nothing.

Every article gets a fingerprint of its cleaned text (`vigie.dedup`); one whose text is the same as (exact) or
a near copy of (syndicated with other chrome, a new headline, a byline, truncated, lightly edited, paragraphs
reordered) an original stored before or met earlier in the run, published within the index's time window,
gets `article.duplicate` and is passed over by the NLP: the store keeps it, without annotations, as a source
of its original. The step sits after the language step (a duplicate keeps its own language) and after
`resume.skip_stored_step` (what is stored from the same input never reaches it).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from vigie.dedup import DedupIndex
from vigie.records import Article, ArticleError


def dedup_step(items: Iterable[Any], index: DedupIndex) -> Iterator[Any]:
    """Set `fingerprint` on every article and `duplicate` on copies; one item out per item in, in order."""
    for item in items:
        if isinstance(item, Article) and item.text:
            try:
                item.fingerprint, item.duplicate = index.process(item.id, item.text, item.published)
            except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the run
                yield ArticleError(item.origin, "dedup", f"deduplication failed: {type(exc).__name__}: {exc}", item.id)
                continue
        yield item
