"""What story clustering reads of an article: plain fields taken from a `vigie.records.Article` or from its
analysis record (the contract JSON that `vigie analyze` and `vigie export -f jsonl` write). Nothing else."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vigie.records import Article


@dataclass(frozen=True, slots=True)
class PlaceRef:
    name: str | None
    country: str | None  # ISO 3166-1 alpha-2
    kind: str | None  # country | admin | city | other
    geonames_id: int | None
    main: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    canonical: str
    label: str  # PER | ORG | LOC | MISC


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article as story clustering sees it."""

    id: str
    language: str | None
    published: str | None  # YYYY-MM-DD (longer values are cut to the day); None when unknown
    title: str | None
    text: str  # the cleaned text
    source: str | None = None
    entities: tuple[Mention, ...] = ()
    places: tuple[PlaceRef, ...] = ()
    dates: tuple[str, ...] = ()  # resolved values of the time expressions ("2022-01-12", "2022-W02", "2022")


def _day(value: Any) -> str | None:
    if not value or not isinstance(value, str) or len(value) < 10:
        return None
    return value[:10]


def from_article(article: Article) -> StoryArticle:
    """The fields of an analysed `Article`."""
    return StoryArticle(
        id=article.id,
        language=article.language,
        published=_day(article.published),
        title=article.title,
        text=article.text,
        source=article.source,
        entities=tuple(Mention(e.canonical or e.text, e.label) for e in article.entities),
        places=tuple(PlaceRef(p.name, p.country, p.kind, p.geonames_id, p.main) for p in article.places),
        dates=tuple(d.value for d in article.dates if d.value),
    )


def from_record(rec: Mapping[str, Any]) -> StoryArticle:
    """The fields of an analysis record (a dict in the contract's JSON form)."""
    return StoryArticle(
        id=str(rec["id"]),
        language=rec.get("language"),
        published=_day(rec.get("published")),
        title=rec.get("title"),
        text=rec.get("text") or "",
        source=rec.get("source"),
        entities=tuple(Mention(e.get("canonical") or e.get("text") or "", e.get("label") or "")
                       for e in rec.get("entities") or ()),
        places=tuple(PlaceRef(p.get("name"), p.get("country"), p.get("kind"), p.get("geonames_id"),
                              bool(p.get("main"))) for p in rec.get("places") or ()),
        dates=tuple(d["value"] for d in rec.get("dates") or () if d.get("value")),
    )
