"""The analysis record of ../shared/eval/CONTRACT.md: one JSON object per article."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from vigie.records import Article

# Lists of annotations, each item the fields of its vigie.records dataclass. `measures` ("80 kg", "12 km") is an extra
# field of vigie's (the contract allows them), next to `quantities`.
ANNOTATION_AREAS = ("entities", "quotes", "dates", "quantities", "measures", "places", "events")


def to_record(article: Article) -> dict[str, Any]:
    """The contract's record for an analysed article (extra fields are allowed by the contract)."""
    rec: dict[str, Any] = {
        "id": article.id,
        "language": article.language,
        "published": article.published,
        "title": article.title,
        "url": article.url,
        "source": article.source,
        "author": article.author,  # extra field: the byline, without "Par" / "By"
        "origin": article.origin,  # extra field: the input file name or URL (with ":N" for a JSONL line)
        "text": article.text,
    }
    for area in ANNOTATION_AREAS:
        rec[area] = [asdict(item) for item in getattr(article, area)]
    rec["removed_lines"] = [{"line": r.line_no, "text": r.text, "reason": r.reason} for r in article.removed_lines]
    return rec
