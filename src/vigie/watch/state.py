"""What `vigie watch` remembers, over the store's watch tables (`vigie.store.watch`): the documents it fetched with
their validators, and every article URL a source listed with what became of it.

The life of an article URL: listed for the first time -> pending (recorded before anything is fetched, so that a
poll stopped at any point leaves it to the next one) -> fetched and stored: stored (recorded after the article's
transaction, so that a process killed in between fetches the page again next time and finds the article stored:
never stored twice) | not an article page: skipped | failed for good: failed | failed for a while (a timeout, a 503):
pending again, until `max_attempts` tries have failed.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vigie.watch.sources import Entry
from vigie.watch.urls import normalize_url

PENDING, STORED, FAILED, SKIPPED = "pending", "stored", "failed", "skipped"
#: Tries of an article page that keeps failing for a while (over polls) before it is given up.
MAX_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article URL to fetch on this poll."""

    url: str  # normalised: the key of watch_items, and what is fetched
    source: str  # the watched source that listed it
    title: str | None = None
    published: str | None = None
    attempts: int = 0  # tries on earlier polls


class WatchState:
    """The store's watch tables, as a poll uses them."""

    def __init__(self, store: Any, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.store = store
        self.max_attempts = max(1, max_attempts)

    # ------------------------------------------------------------------ documents

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        """(etag, last_modified, kind) stored for a document; a sitemap index gets no validators (it is read at
        every poll: its children may change while it does not)."""
        row = self.store.watch_source(url)
        if row is None:
            return None, None, None
        if row["kind"] == "sitemapindex":
            return None, None, row["kind"]
        return row["etag"], row["last_modified"], row["kind"]

    def save_document(self, url: str, status: str, *, parent: str | None = None, kind: str | None = None,
                      validators: tuple[str | None, str | None] | None = None) -> None:
        self.store.save_watch_source(url, status, parent=parent, kind=kind, validators=validators)

    # ------------------------------------------------------------------ article URLs

    def enqueue(self, source: str, entries: Iterable[Entry]) -> tuple[int, int]:
        """Record the entries never listed before as pending: (how many were new, how many were known)."""
        listed: dict[str, Entry] = {}
        for entry in entries:
            try:
                key = normalize_url(entry.url)
            except ValueError:
                continue
            listed.setdefault(key, entry)
        known = self.store.watch_known(listed) if listed else set()
        new = [(key, source, e.title, e.published) for key, e in listed.items() if key not in known]
        if new:
            self.store.add_watch_items(new)
        return len(new), len(listed) - len(new)

    def due(self, source: str, limit: int) -> list[Candidate]:
        """The pending URLs of `source` to fetch on this poll, newest listed first."""
        return [
            Candidate(r["url"], r["source"], r["title"], r["published"], int(r["attempts"] or 0))
            for r in self.store.watch_pending(source, limit)
        ]

    def record(self, item: Candidate, status: str, *, reason: str | None = None, article_id: str | None = None) -> None:
        """What became of a fetched item (one try)."""
        self.store.save_watch_item(item.url, item.source, status, reason=reason, article_id=article_id,
                                   title=item.title, published=item.published)

    def record_failure(self, item: Candidate, reason: str, transient: bool) -> str:
        """A failed try: pending again when it may succeed later and tries are left, else failed. The status."""
        status = PENDING if transient and item.attempts + 1 < self.max_attempts else FAILED
        if status == FAILED and transient:
            reason = f"{reason}; given up after {item.attempts + 1} polls"
        self.record(item, status, reason=reason)
        return status
