"""The plain records of cross-document event identity: what goes in (one event record of one article, with what
is known of that article) and what comes out (one event per real-world event, GDELT's Events/Mentions shape).

`mentions_from_article` builds the input from an analysed `Article`: its events, the coordinates of their places
(the article's `places`), its publication date and publisher; the duplicate group and story come from the
store's dedup and stories steps when known.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from vigie.records import Article, Event, Place

#: Count fields of `Event` kept as a range across sources.
COUNT_FIELDS = ("killed", "injured", "arrested", "size")


@dataclass(frozen=True, slots=True)
class EventMention:
    """One event record of one article (itself possibly merged from several triggers by `vigie.events.merge`).

    `lat`/`lon`/`place_kind` locate `event.location` (kind: country, admin, city or other, as `Place.kind`);
    `duplicate_of` is, for a copy, the id of the article it copies (`Article.duplicate.of`; any id shared by the
    copies of one text also works): an article and its copies are one duplicate group (`group`); `lemma` is the
    trigger's lemma, used only when `event.type` is no PLOVER type (benchmarks on data vigie does not code).
    """

    article_id: str
    event: Event
    published: str | None = None  # the article's publication date, ISO
    source: str | None = None  # publisher or site
    duplicate_of: str | None = None
    story: str | None = None
    lat: float | None = None
    lon: float | None = None
    place_kind: str | None = None
    lemma: str | None = None

    @property
    def group(self) -> str:
        """The duplicate group: the original's id for a copy, the article's own id otherwise."""
        return self.duplicate_of or self.article_id

    @property
    def key(self) -> tuple[str, str, int, int]:
        """The mention's place in date order: publication date (undated articles last), article, offsets."""
        return (self.published or "~", self.article_id, self.event.start, self.event.end)


@dataclass(frozen=True, slots=True)
class MentionRef:
    """One mention of a cross-document event (GDELT's Mentions table): where it is and how sure the coder was."""

    article_id: str
    start: int  # the trigger of the article's event record
    end: int
    confidence: float
    published: str | None = None
    source: str | None = None
    duplicate_of: str | None = None
    story: str | None = None
    type: str = ""  # the type this article gave the event
    mode: str | None = None
    triggers: list[list[int]] = field(default_factory=list)  # every [start, end] the article merged into it
    evidence_start: int = 0
    evidence_end: int = 0


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    country: str | None = None  # ISO alpha-3 or "IGO"
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    name: str | None
    country: str | None  # ISO alpha-2
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class CountRange:
    """A count as the sources gave it: the lowest and highest figure, and how many articles gave one."""

    low: float
    high: float
    reports: int


@dataclass(slots=True)
class CrossDocEvent:
    """One real-world event and every article mention of it."""

    event_id: str
    type: str
    mode: str | None
    source: Actor | None
    target: Actor | None
    location: Location | None
    date: str | None
    date_inferred: bool  # no article gave a date in its text: the date is a publication date
    context: list[str]
    counts: dict[str, CountRange]
    n_articles: int
    n_sources: int  # a duplicate group, and the articles of one publisher, count once
    n_mentions: int
    first_seen: str | None  # earliest and latest publication date of its articles
    last_seen: str | None
    stories: list[str]
    confidence: float
    mentions: list[MentionRef]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def event_id_of(article_id: str, start: int, end: int) -> str:
    """A stable id from the earliest mention (date order): the same mentions always give the same id."""
    digest = hashlib.sha1(f"{article_id}\x1f{start}\x1f{end}".encode()).hexdigest()
    return "ev-" + digest[:16]


def place_of(event: Event, places: list[Place]) -> Place | None:
    """The article's place record for the event's location: same name (nearest the evidence when repeated)."""
    if not event.location:
        if not event.location_country:
            return None
        same_country = [p for p in places if p.kind == "country" and p.country == event.location_country]
        return same_country[0] if same_country else None
    name = event.location.casefold()
    named = [p for p in places if (p.name or "").casefold() == name or p.text.casefold() == name]
    if not named:
        return None
    return min(named, key=lambda p: (abs(p.start - event.evidence_start), p.start))


def mentions_from_article(
    article: Article, duplicate_of: str | None = None, story: str | None = None
) -> list[EventMention]:
    """The article's event records as input to cross-document identity (`duplicate_of` defaults to the article's
    `duplicate.of` when the dedup step set it)."""
    copied = getattr(article, "duplicate", None)  # vigie.records.Duplicate, set by the dedup step
    if duplicate_of is None and copied is not None:
        duplicate_of = copied.of
    return [mention_of(article.id, ev, article.places, published=article.published, source=article.source,
                       duplicate_of=duplicate_of, story=story) for ev in article.events]


def mention_of(article_id: str, event: Event, places: list[Place], *, published: str | None = None,
               source: str | None = None, duplicate_of: str | None = None, story: str | None = None) -> EventMention:
    """One event record as input to cross-document identity, located by the article's `places` (`place_of`)."""
    place = place_of(event, places)
    kind = place.kind if place is not None else ("country" if event.location_country and not event.location else None)
    return EventMention(
        article_id=article_id,
        event=event,
        published=published,
        source=source,
        duplicate_of=duplicate_of,
        story=story,
        lat=place.lat if place is not None else None,
        lon=place.lon if place is not None else None,
        place_kind=kind,
    )


def mentions_of_copy(
    original: list[EventMention], copy_id: str, published: str | None = None, source: str | None = None
) -> list[EventMention]:
    """The records of a copy that was not analysed (the dedup step passes copies over): its original's records,
    as told by the copy (its id, date and publisher), in the original's duplicate group."""
    return [replace(m, article_id=copy_id, published=published, source=source, duplicate_of=m.group) for m in original]
