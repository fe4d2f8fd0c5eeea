"""Pydantic models of what the JSON API sends and accepts (they make the OpenAPI document).

Annotation models are generated from the dataclasses of `vigie.records`, so the API can never drift from what
the store keeps: a field added there shows up here. Row models add the columns the store's reads join in.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Generic, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from vigie.ingest.dates import normalize_date
from vigie.records import EntityMention, Event, Measure, Place, Quantity, Quote, RemovedLine, TimeExpr

T = TypeVar("T")


def _from_dataclass(dc: type, name: str, **extra: Any) -> type[BaseModel]:
    hints = get_type_hints(dc)
    fields: dict[str, Any] = {}
    for f in dataclasses.fields(dc):
        if f.default is not dataclasses.MISSING:
            fields[f.name] = (hints[f.name], f.default)
        elif f.default_factory is not dataclasses.MISSING:
            fields[f.name] = (hints[f.name], Field(default_factory=f.default_factory))
        else:
            fields[f.name] = (hints[f.name], ...)
    return create_model(name, __doc__=dc.__doc__, **fields, **extra)


EntityMentionOut = _from_dataclass(EntityMention, "EntityMention")
QuoteOut = _from_dataclass(Quote, "Quote")
TimeExprOut = _from_dataclass(TimeExpr, "TimeExpr")
QuantityOut = _from_dataclass(Quantity, "Quantity")
MeasureOut = _from_dataclass(Measure, "Measure")
PlaceOut = _from_dataclass(Place, "Place")
EventOut = _from_dataclass(Event, "Event")
RemovedLineOut = _from_dataclass(RemovedLine, "RemovedLine")

_ROW_EXTRA: dict[str, Any] = {
    "article_id": (str, ...),
    "idx": (int, ...),
    "article_title": (str | None, None),
    "published": (str | None, None),
}
#: What an event record says of the cross-document event it belongs to (`vigie.store.crossdoc.LINK_FIELDS`; all
#: None until `vigie ingest` or `vigie cluster` has linked the stored events).
_LINK_EXTRA: dict[str, Any] = {
    "event_id": (str | None, None),
    "n_articles": (int | None, None),
    "n_sources": (int | None, None),
    "first_seen": (str | None, None),
    "last_seen": (str | None, None),
}
EventRow = _from_dataclass(Event, "EventRow", **_ROW_EXTRA, **_LINK_EXTRA)
QuoteRow = _from_dataclass(Quote, "QuoteRow", **_ROW_EXTRA)
#: An event record of an article (`ArticleDetail.events`), with its cross-document event.
ArticleEventOut = _from_dataclass(Event, "ArticleEvent", **_LINK_EXTRA)


class Page(BaseModel, Generic[T]):
    """One page of a list. `total` is the number of matching items when the store can count them cheaply."""

    total: int | None = None
    limit: int
    offset: int
    items: list[T]


class ArticleSummary(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    language: str | None = None
    url: str | None = None
    n_entities: int = 0
    n_quotes: int = 0
    n_events: int = 0
    n_duplicates: int = 0  # copies of this article stored (dedup)
    duplicate_of: str | None = None  # the original, when this article is a copy
    story_id: str | None = None  # its story (a copy's is its original's), None when not placed


class ArticleRef(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None


class SourceOut(BaseModel):
    """Where an article was found: the article itself, or one of its duplicates (with how it matched)."""

    id: str
    source: str | None = None
    url: str | None = None
    published: str | None = None
    method: str | None = None  # exact | near (None for the article itself)
    similarity: float | None = None


class ArticleDetail(BaseModel):
    """A stored article: the cleaned `text` every offset points into, the `raw` input, and all annotations."""

    id: str
    url: str | None = None
    title: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    language_score: float | None = None
    raw: str
    text: str
    origin: str = ""
    meta: dict[str, Any] = Field(default_factory=dict)
    n_removed_lines: int = 0
    content_hash: str | None = None
    ingested_at: str | None = None
    updated_at: str | None = None
    entities: list[EntityMentionOut] = []  # type: ignore[valid-type]
    quotes: list[QuoteOut] = []  # type: ignore[valid-type]
    dates: list[TimeExprOut] = []  # type: ignore[valid-type]
    quantities: list[QuantityOut] = []  # type: ignore[valid-type]
    measures: list[MeasureOut] = []  # type: ignore[valid-type]
    places: list[PlaceOut] = []  # type: ignore[valid-type]
    events: list[ArticleEventOut] = []  # type: ignore[valid-type]
    removed_lines: list[RemovedLineOut] = []  # type: ignore[valid-type]
    duplicate_of: str | None = None  # the original this article copies (it is then not analysed)
    story_id: str | None = None  # its story (vigie.stories; a duplicate's is its original's), None when not placed
    sources: list[SourceOut] = []  # this article's id, source, url, published, then its duplicates'


class TimelineBucket(BaseModel):
    day: str
    type: str
    n: int


class MapPoint(BaseModel):
    """Events at one place, whatever the language its articles name it in (coordinates None when the location
    was never resolved)."""

    key: str | None = None  # the place (`/places/{key}`): "geonames:<id>", "country:<ISO>", "name:<ISO>:<name>"
    name: str  # the place's French name when known
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    n: int
    types: dict[str, int]


class EntitySummary(BaseModel):
    canonical: str
    label: str
    n_mentions: int
    n_articles: int


class DayCount(BaseModel):
    day: str
    n: int


class EntityDetail(BaseModel):
    canonical: str
    labels: list[str]
    n_mentions: int
    n_articles: int
    mentions_by_day: list[DayCount]
    articles: list[ArticleRef]
    quotes: list[QuoteRow]  # type: ignore[valid-type]
    events_as_source: list[EventRow]  # type: ignore[valid-type]
    events_as_target: list[EventRow]  # type: ignore[valid-type]


class PlaceSummary(BaseModel):
    """One place across languages: a GeoNames entry, or a country by its ISO code ("United States", "USA",
    "États-Unis" are one row), shown under its French name."""

    key: str | None = None  # "geonames:<id>", "country:<ISO>", or "name:<ISO>:<name>" for a place without an id
    name: str
    country: str | None = None
    kind: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    n_mentions: int
    n_articles: int


class PlaceDetail(PlaceSummary):
    names: list[str] = []  # the forms articles wrote it in ("Kiev", "Kyiv"), most used first
    articles: list[ArticleRef]
    events: list[EventRow]  # type: ignore[valid-type]


# ---------------------------------------------------------------- cross-document events and stories


class CountRange(BaseModel):
    """A count as the sources gave it: the lowest and highest figure, and how many articles gave one (never a
    sum: two reports of 20 dead are 20 dead)."""

    low: float
    high: float
    reports: int


class CrossDocEventSummary(BaseModel):
    """One real-world event told by one or more articles (`vigie.steps.crossdoc`): the merged type, actors, place
    and date, the counts as ranges across sources, and how widely it was reported. `day` is the event's day (its
    date when day-level, else the day it was first reported)."""

    event_id: str  # "ev-" and 16 hex digits
    type: str
    mode: str | None = None
    source: str | None = None
    source_country: str | None = None
    source_sector: str | None = None
    target: str | None = None
    target_country: str | None = None
    target_sector: str | None = None
    location: str | None = None
    location_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    location_kind: str | None = None
    date: str | None = None
    date_inferred: bool | None = None
    context: list[str] = []
    counts: dict[str, CountRange] = Field(default_factory=dict, description="killed, injured, arrested, size")
    n_articles: int
    n_sources: int  # a copy and its original, and the articles of one publisher, count once
    n_mentions: int
    first_seen: str | None = None  # earliest and latest publication date of its articles
    last_seen: str | None = None
    stories: list[str] = []
    confidence: float | None = None
    day: str | None = None


class CrossDocMention(BaseModel):
    """One article's report of the event: its own type, mode and confidence, the trigger's offsets and the
    evidence sentence's (into the article's text; for a copy, into its original's text, which `evidence` and
    `trigger` are read from)."""

    article_id: str
    start: int
    end: int
    type: str | None = None
    mode: str | None = None
    confidence: float | None = None
    evidence_start: int | None = None
    evidence_end: int | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    duplicate_of: str | None = None  # the original, when the article is a copy (not analysed itself)
    evidence: str = ""
    trigger: str = ""


class CrossDocEventDetail(CrossDocEventSummary):
    mentions: list[CrossDocMention]


class StorySummary(BaseModel):
    """A story (`vigie.stories`): the articles that follow one news thread, copies included."""

    story_id: str
    title: str | None = None  # its first article's headline
    first: str | None = None  # first and last publication day
    last: str | None = None
    n_articles: int
    n_duplicates: int = 0
    n_sources: int
    n_events: int = 0  # cross-document events


class SourceCount(BaseModel):
    source: str
    n: int


class PlaceCount(BaseModel):
    name: str
    n: int


class ActorCount(BaseModel):
    canonical: str
    label: str
    n: int  # articles naming it


class StoryArticle(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    duplicate_of: str | None = None


class StoryDetail(BaseModel):
    story_id: str
    title: str | None = None
    first: str | None = None
    last: str | None = None
    n_articles: int
    n_duplicates: int = 0
    n_sources: int
    languages: list[str] = []
    sources: list[SourceCount] = []
    places: list[PlaceCount] = []  # the most named, with the number of articles naming each
    actors: list[ActorCount] = []
    timeline: list[DayCount] = []  # articles per publication day
    articles: list[StoryArticle] = []  # oldest first
    events: list[CrossDocEventSummary] = []  # in date order
    n_events: int = 0


class SearchHit(BaseModel):
    """One match: an article, a quote, an entity (one hit however many articles name it) or an event."""

    kind: str = "article"  # article | quote | entity | event
    id: str  # the article's id (for an entity: its best-matching article's)
    title: str | None = None
    published: str | None = None
    language: str | None = None
    source: str | None = None
    score: float  # lower is better
    snippet: str | None = None  # matches in [brackets]
    idx: int | None = None  # a quote's or event's position in its article (its #quote-N / #event-N anchor)
    speaker: str | None = None  # quote
    canonical: str | None = None  # entity
    label: str | None = None  # entity
    n_articles: int | None = None  # entity: matching articles that name it
    type: str | None = None  # event
    mode: str | None = None  # event
    trigger: str | None = None  # event
    date: str | None = None  # event


class SearchCounts(BaseModel):
    article: int = 0
    quote: int = 0
    entity: int = 0
    event: int = 0


class SearchResults(BaseModel):
    query: str
    total: int = 0  # matches of every kind (not the page size)
    by_kind: SearchCounts = SearchCounts()
    limit: int = 20
    offset: int = 0
    items: list[SearchHit]


class Stats(BaseModel):
    """What `vigie stats --json` prints (counts, top entities and speakers, errors, database size)."""

    model_config = ConfigDict(extra="allow")
    articles: int
    quotes: int = 0
    dates: int = 0
    quantities: int = 0
    measures: int = 0
    places: int = 0
    events: int = 0


# ---------------------------------------------------------------- writes


class ArticleIn(BaseModel):
    """An article to ingest: the same fields as a JSONL input line."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, description="The article's text as crawled (boilerplate is removed by vigie).")
    title: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = Field(None, description="Publication date, YYYY-MM-DD (or any ISO 8601 date).")
    id: str | None = Field(None, description="Your own id; by default an id is derived from the content.")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text is blank")
        return v

    @field_validator("published")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        if v is not None and v.strip() and normalize_date(v) is None:
            raise ValueError("unreadable date: expected YYYY-MM-DD")
        return v


class IngestResult(BaseModel):
    index: int  # position in the request
    id: str | None = None
    status: str  # new | updated | unchanged | error
    language: str | None = None
    stage: str | None = None  # for errors: read | clean | langid | dedup | nlp | store
    reason: str | None = None
    duplicate_of: str | None = None  # stored as a copy of this article (not analysed)


class IngestResponse(BaseModel):
    results: list[IngestResult]
    counts: dict[str, int]
