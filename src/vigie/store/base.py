"""The interface every store implements (SQLite, PostgreSQL): the CLI, the API and the exports use only this.

Reads return plain dicts (JSON-ready). Annotation dicts have the fields of the matching dataclass in
`vigie.records` (booleans as bool, list fields as lists). Filters that are None are not applied.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from vigie.records import Article, ArticleError, Fingerprint


@dataclass(slots=True)
class EventFilter:
    """Filters of the events table, timeline and map (all optional, combined with AND)."""

    type: str | None = None  # PLOVER type, e.g. "PROTEST"
    mode: str | None = None  # e.g. "riot"
    country: str | None = None  # ISO alpha-2 (or alpha-3): a source or target of that country, or a location in it
    actor: str | None = None  # canonical name found in source or target (case-insensitive substring)
    place: str | None = None  # location name (case-insensitive exact)
    date_from: str | None = None  # ISO date, inclusive, compared on the event's day (see event_timeline)
    date_to: str | None = None  # ISO date, inclusive
    article_id: str | None = None


class Store(Protocol):
    """What `open_store` returns."""

    # ---- writes (one transaction per call)
    def upsert_article(self, article: Article) -> str:
        """Store an article and replace its annotations: "new", "updated" or "unchanged". A duplicate
        (`article.duplicate`) is stored without annotations and linked to its original (LookupError when the
        original is not stored)."""

    def record_error(self, err: ArticleError) -> None: ...

    def stored_input_digest(self, article_id: str) -> str | None:
        """What the reader gave for a stored article (`vigie.steps.resume.input_digest`); None if not stored."""

    # ---- deduplication (`vigie.dedup.FingerprintSource`: the index of originals is loaded from these)
    def iter_fingerprints(
        self, scheme: str, date_from: str | None = None, date_to: str | None = None, undated: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Stored originals: id, published, body_hash, signature (None, with the text, when the stored fingerprint
        is missing or of another scheme); without a date (`undated`), in [date_from, date_to], or all."""

    def save_fingerprints(self, items: list[tuple[str, Fingerprint]]) -> None: ...

    def article_texts(self, ids: list[str]) -> dict[str, str]: ...

    # ---- stories (`vigie.steps.stories`)
    def unplaced_story_ids(self, limit: int = 1000) -> list[str]:
        """Ids of stored originals that have no story yet (at most `limit`)."""
        ...

    def iter_story_rows(self, date_from: str | None = None, undated: bool = False) -> Iterator[dict[str, Any]]:
        """Stored originals: id, published, story_id, scheme, features (JSON; None when never placed); published on
        or after `date_from` (plus the undated ones when `undated`), or all when `date_from` is None."""

    def save_stories(self, rows: list[tuple[str, str, str | None, str | None]]) -> None:
        """(article id, story id, scheme, features JSON) in one transaction; None features keep the stored ones."""

    # ---- events across articles (`vigie.steps.crossdoc`; `vigie.store.crossdoc` documents the reads)
    def crossdoc_inputs(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]: ...

    def crossdoc_digests(self) -> dict[str, str]: ...

    def save_crossdoc_events(self, events: list[dict[str, Any]], removed: Iterable[str]) -> None: ...

    def list_crossdoc_events(self, story_id: str | None = None, type: str | None = None, limit: int = 50,
                             offset: int = 0, newest_first: bool = True) -> list[dict[str, Any]]: ...

    def count_crossdoc_events(self, story_id: str | None = None, type: str | None = None) -> int: ...

    def get_crossdoc_event(self, event_id: str) -> dict[str, Any] | None:
        """One event across articles with every mention (article, source, offsets, evidence)."""

    def list_stories(self, limit: int = 50, offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]: ...

    def count_stories(self, min_articles: int = 1) -> int: ...

    def get_story(self, story_id: str, limit: int = 200) -> dict[str, Any] | None:
        """One story: title, span, sizes, sources, places, actors, timeline, articles and its events."""

    # ---- `vigie watch` (`vigie.store.watch` documents the tables): fetched documents and the article URLs seen
    def watch_source(self, url: str) -> dict[str, Any] | None:
        """A fetched feed or sitemap: url, parent, kind, etag, last_modified, last_polled, last_status."""

    def list_watch_sources(self, parent: str | None = None) -> list[dict[str, Any]]: ...

    def save_watch_source(
        self, url: str, status: str, *, parent: str | None = None, kind: str | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Record a poll of a document; `validators` (etag, last_modified) after a full answer, None keeps them."""

    def watch_known(self, urls: Iterable[str]) -> set[str]:
        """The URLs among `urls` already listed by a source (whatever became of them)."""

    def watch_pending(self, source: str, limit: int = 100) -> list[dict[str, Any]]:
        """Items of `source` left to fetch (status pending), the latest listed first."""

    def add_watch_items(self, rows: Iterable[tuple[str, str, str | None, str | None]]) -> int:
        """(url, source, title, published) recorded as pending unless known: how many were new."""

    def save_watch_item(
        self, url: str, source: str, status: str, *, reason: str | None = None, article_id: str | None = None,
        title: str | None = None, published: str | None = None, tried: bool = True,
    ) -> None:
        """What became of an item: pending, stored (article_id), failed or skipped (reason)."""

    def watch_item(self, url: str) -> dict[str, Any] | None: ...

    def watch_counts(self, source: str | None = None) -> dict[str, int]: ...

    # ---- saved searches and alerts (`vigie.store.alerts` documents the tables, `vigie.alerts` the checks)
    def max_article_seq(self) -> int: ...

    def save_search(
        self, name: str, query: str, *, filters: dict[str, Any] | None = None, spikes: dict[str, Any] | None = None,
        notify: dict[str, Any] | None = None, last_seq: int | None = None,
    ) -> dict[str, Any]:
        """Create or replace a saved search (a new one starts at the last article stored); its row."""

    def get_saved_search(self, name: str) -> dict[str, Any] | None: ...

    def list_saved_searches(self) -> list[dict[str, Any]]: ...

    def count_saved_searches(self) -> int: ...

    def delete_saved_search(self, name: str) -> bool: ...

    def mark_search_checked(self, search_id: int, last_seq: int | None, checked_at: str | None = None) -> None: ...

    def alerts_sent_keys(self, search_id: int, channel: str) -> set[tuple[str, str]]: ...

    def record_alerts_sent(self, search_id: int, channel: str, items: Iterable[tuple[str, str, str | None]]) -> int: ...

    def list_alerts_sent(self, search_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]: ...

    def articles_after(self, seq: int, ids: Iterable[str] | None = None, limit: int = 10_000) -> list[dict[str, Any]]:
        """Articles stored after `seq`: id, seq, title, url, source, published, language, ingested_at."""

    def entity_articles_after(self, canonicals: Iterable[str], seq: int) -> list[dict[str, Any]]: ...

    def daily_counts(
        self, dimension: str, day_from: str, day_to: str, names: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Articles per published day naming each entity, place or event type: [{"name", "day", "n"}]."""

    def articles_naming(self, dimension: str, name: str, day: str, limit: int = 20) -> list[dict[str, Any]]: ...

    # ---- articles
    def get_article(self, id: str) -> dict[str, Any] | None:
        """All columns plus entities, quotes, dates, quantities, measures, places, events, removed_lines,
        duplicate_of (the original's id, or None), story_id (a duplicate's is its original's) and sources (the
        article's own id, source, url, published, then its duplicates', with method and similarity)."""

    def resolve_id(self, id_or_prefix: str) -> str | None: ...

    def iter_articles(self, batch_size: int = 500) -> Iterator[dict[str, Any]]: ...

    def count_articles(self) -> int: ...

    def list_articles(self, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Newest first (published, then ingestion): id, title, published, source, language, url,
        n_entities, n_quotes, n_events."""

    def search(self, query: str, limit: int = 20, timeout: float = ...) -> list[dict[str, Any]]:
        """Full-text search: id, title, published, language, score, snippet (matches in [brackets]).
        Raises `vigie.store.search.SearchTimeoutError` past `timeout` seconds (default SEARCH_TIMEOUT)."""

    def search_all(
        self, query: str, *, kinds: Iterable[str] | None = None, date_from: str | None = None,
        date_to: str | None = None, language: str | None = None, source: str | None = None,
        type: str | None = None, limit: int = 20, offset: int = 0, timeout: float = ...,
    ) -> dict[str, Any]:
        """One search over articles, quotes, entities and events, by stem, with OR, "phrases", NOT / -word and
        prefix* (`vigie.store.search_all`). Filters: kinds (article, quote, entity, event), the article's published
        day (date_from, date_to, inclusive), language, source, type (PLOVER: event hits of that type only).
        Returns {"total": matches of every kind, "by_kind": {kind: n}, "items": [...], "limit", "offset"}; an item
        has kind, id (the article's), title, published, language, source, score (lower is better), snippet (matches
        in [brackets]), idx (the quote's or event's position in its article, the entity's first mention) and, by
        kind, speaker; canonical, label, n_articles; type, mode, trigger, date. An entity is one hit however many
        articles name it. Raises `SearchTimeoutError` past `timeout` seconds (default SEARCH_TIMEOUT)."""

    # ---- events
    def list_events(self, filters: EventFilter | None = None, limit: int = 100, offset: int = 0,
                    sort: str = "date", order: str = "asc") -> list[dict[str, Any]]:
        """Event dicts plus article_id, idx, article_title, published; ordered by `sort` (a key of
        `vigie.store.queries.EVENT_SORTS`, default the event's day) in `order` ("asc" or "desc"), missing values
        last, then day and article. ValueError for another sort or order."""

    def count_events(self, filters: EventFilter | None = None) -> int: ...

    def event_sums(self, filters: EventFilter | None = None) -> dict[str, Any]:
        """killed, injured, arrested, size summed over every matching event, and n_killed ... (events giving it)."""

    def event_countries(self) -> list[dict[str, Any]]:
        """[{"country": alpha-2, "n": events naming it as actor or location}], most first."""

    def event_timeline(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        """Events per day and type: [{"day": "YYYY-MM-DD", "type": "PROTEST", "n": 3}, ...] (day of the event's date,
        falling back to the article's published date when the event date is not day-level)."""

    def event_places(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        """Events grouped by location for the map: name, country, lat, lon, n, types {type: n}. Coordinates come from
        the article's resolved places of the same name."""

    # ---- entities, quotes, places
    def list_entities(self, label: str | None = None, query: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """canonical, label, n_mentions, n_articles; most mentioned first."""

    def get_entity(self, canonical: str, limit: int = 100) -> dict[str, Any] | None:
        """canonical, labels, n_mentions, n_articles, mentions_by_day [{day, n}], articles [{id, title, published}],
        quotes (as speaker, with article_id), events_as_source, events_as_target (at most `limit` of each list)."""

    def list_quotes(self, speaker: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quote dicts plus article_id, article_title, published."""

    def list_places(self, country: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """name, country, kind, lat, lon, n_mentions, n_articles; most mentioned first."""

    def get_place(self, name: str, limit: int = 100) -> dict[str, Any] | None:
        """name, country, kind, lat, lon, n_mentions, articles [{id, title, published}], events (located there)
        (at most `limit` of each list)."""

    # ---- housekeeping
    def list_errors(self, limit: int = 50) -> list[dict[str, Any]]: ...

    def stats(self, top: int = 10) -> dict[str, Any]: ...

    def close(self) -> None: ...

    # ---- `with open_store(url) as store:` closes the store on the way out
    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...
