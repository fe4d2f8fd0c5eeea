"""What `vigie watch` remembers between polls and across restarts (schema version 8), shared by SQLite and PostgreSQL.

`watch_sources`: one row per feed or sitemap document fetched (a watched source, or a sitemap that a sitemap index
listed, with its `parent`), holding the validators (ETag, Last-Modified) of its last full answer, sent back on the
next poll so that an unchanged document costs a 304. `watch_items`: one row per article URL a source listed, with
what became of it: pending (to fetch on a later poll: listed beyond a poll's cap, or a transient failure to try
again), stored (with the article's id), failed or skipped (with the reason). A URL in `watch_items` is never listed
as new again; only pending ones are fetched again.
"""
from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from vigie.store.common import now

#: What an item can become (watch_items.status).
ITEM_STATUSES = ("pending", "stored", "failed", "skipped")
_CHUNK = 500
_SOURCE_COLUMNS = "url, parent, kind, etag, last_modified, last_polled, last_status"
_ITEM_COLUMNS = "url, source, first_seen, last_tried, status, reason, article_id, attempts, title, published"


class WatchQueries:
    """Mixed into the SQL stores (see `vigie.store.sqlbase.SQLStore`)."""

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    # ------------------------------------------------------------------ documents (feeds, sitemaps)

    def watch_source(self, url: str) -> dict[str, Any] | None:
        """The row of a fetched document: url, parent, kind, etag, last_modified, last_polled, last_status."""
        rows = self._rows(f"SELECT {_SOURCE_COLUMNS} FROM watch_sources WHERE url = ?", (url,))
        return rows[0] if rows else None

    def list_watch_sources(self, parent: str | None = None) -> list[dict[str, Any]]:
        """The watched sources (`parent` None), or the sitemaps that the sitemap index `parent` listed, by URL."""
        if parent is None:
            return self._rows(f"SELECT {_SOURCE_COLUMNS} FROM watch_sources WHERE parent IS NULL ORDER BY url")
        return self._rows(f"SELECT {_SOURCE_COLUMNS} FROM watch_sources WHERE parent = ? ORDER BY url", (parent,))

    def save_watch_source(
        self, url: str, status: str, *, parent: str | None = None, kind: str | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Record a poll of the document `url`: its status ("new", "unchanged", "failed: why"), its kind when known
        (None keeps the stored one) and, after a full answer, its validators (etag, last_modified; None keeps the
        stored ones: a 304 or a failure)."""
        etag, modified = validators if validators is not None else (None, None)
        keep = validators is None
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO watch_sources (url, parent, kind, etag, last_modified, last_polled, last_status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "parent = excluded.parent, kind = COALESCE(excluded.kind, watch_sources.kind), "
                + ("etag = watch_sources.etag, last_modified = watch_sources.last_modified, " if keep else
                   "etag = excluded.etag, last_modified = excluded.last_modified, ")
                + "last_polled = excluded.last_polled, last_status = excluded.last_status",
                (url, parent, kind, etag, modified, now(), status),
            )

    # ------------------------------------------------------------------ article URLs

    def watch_known(self, urls: Iterable[str]) -> set[str]:
        """The URLs among `urls` that a source listed before (whatever became of them)."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            found.update(r["url"] for r in self._rows(f"SELECT url FROM watch_items WHERE url IN ({marks})", chunk))
        return found

    def watch_pending(self, source: str, limit: int = 100) -> list[dict[str, Any]]:
        """Items of `source` to fetch on this poll (status pending), at most `limit`: the latest listed first, then
        the latest published (news first: a backlog waits)."""
        return self._rows(
            f"SELECT {_ITEM_COLUMNS} FROM watch_items WHERE source = ? AND status = 'pending' "
            "ORDER BY first_seen DESC, COALESCE(published, '') DESC, url LIMIT ?",
            (source, max(int(limit), 0)),
        )

    def add_watch_items(self, rows: Iterable[tuple[str, str, str | None, str | None]]) -> int:
        """Record (url, source, title, published) as pending, each unless already known: how many were new."""
        rows = list(rows)
        if not rows:
            return 0
        stamp = now()
        added = 0
        with self._transaction() as conn:
            for url, source, title, published in rows:
                cur = conn.execute(
                    "INSERT INTO watch_items (url, source, first_seen, status, attempts, title, published) "
                    "VALUES (?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (url) DO NOTHING",
                    (url, source, stamp, title, published),
                )
                added += max(cur.rowcount, 0)
        return added

    def save_watch_item(
        self, url: str, source: str, status: str, *, reason: str | None = None, article_id: str | None = None,
        title: str | None = None, published: str | None = None, tried: bool = True,
    ) -> None:
        """Record what became of the item `url` (listed by `source`): `status` one of ITEM_STATUSES, with its reason
        or its stored article. `tried`: a fetch was attempted (counted in `attempts`)."""
        if status not in ITEM_STATUSES:
            raise ValueError(f"unknown watch item status {status!r}")
        stamp = now()
        tries = 1 if tried else 0
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO watch_items (url, source, first_seen, last_tried, status, reason, article_id, attempts, "
                "title, published) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "last_tried = COALESCE(excluded.last_tried, watch_items.last_tried), status = excluded.status, "
                "reason = excluded.reason, article_id = excluded.article_id, "
                "attempts = watch_items.attempts + excluded.attempts, "
                "title = COALESCE(excluded.title, watch_items.title), "
                "published = COALESCE(excluded.published, watch_items.published)",
                (url, source, stamp, stamp if tried else None, status, reason, article_id, tries, title, published),
            )

    def watch_item(self, url: str) -> dict[str, Any] | None:
        """One item's row: url, source, first_seen, last_tried, status, reason, article_id, attempts, title,
        published."""
        rows = self._rows(f"SELECT {_ITEM_COLUMNS} FROM watch_items WHERE url = ?", (url,))
        return rows[0] if rows else None

    def watch_counts(self, source: str | None = None) -> dict[str, int]:
        """Items per status, of one source or of all."""
        where, params = ("WHERE source = ?", (source,)) if source is not None else ("", ())
        return {r["status"]: int(r["n"]) for r in self._rows(
            f"SELECT status, COUNT(*) AS n FROM watch_items {where} GROUP BY status ORDER BY status", params)}
