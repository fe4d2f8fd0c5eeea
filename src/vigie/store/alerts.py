"""Saved searches and the alerts sent for them (schema version 11), shared by SQLite and PostgreSQL.

`saved_searches`: one row per saved search: its name (unique), its `search_all` query and filters (JSON: kinds,
language, source, type), the spikes it watches (JSON, see `vigie.alerts.spikes`), where its alerts go (JSON: webhooks,
emails), when it was created and last checked, and `last_seq`, its high-water mark: every article whose seq is at most
this one was already checked. `alerts_sent`: one row per match (or spike) notified through a channel, so that a match
is notified once per channel even when a check is run again (`vigie.alerts.engine`).
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from vigie.store.common import now

_CHUNK = 500
_SEARCH_COLUMNS = "id, name, query, filters, spikes, notify, created, last_checked, last_seq"
_JSON_COLUMNS = ("filters", "spikes", "notify")
#: What a spike is counted over: its table, the column naming the thing, and an extra condition.
SPIKE_DIMENSIONS = {
    "entity": ("entities", "canonical", ""),
    "place": ("places", "name", "AND x.name IS NOT NULL"),
    "type": ("events", "type", ""),
}


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in _JSON_COLUMNS:
        try:
            out[key] = json.loads(out.get(key) or "{}")
        except ValueError:
            out[key] = {}
    out["id"] = int(out["id"])
    out["last_seq"] = int(out["last_seq"] or 0)
    return out


class AlertQueries:
    """Mixed into the SQL stores (see `vigie.store.sqlbase.SQLStore`)."""

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    # ------------------------------------------------------------------ saved searches

    def max_article_seq(self) -> int:
        """The seq of the last article stored (0 when there is none)."""
        return int(self._rows("SELECT COALESCE(MAX(seq), 0) AS n FROM articles")[0]["n"])

    def save_search(
        self, name: str, query: str, *, filters: dict[str, Any] | None = None, spikes: dict[str, Any] | None = None,
        notify: dict[str, Any] | None = None, last_seq: int | None = None,
    ) -> dict[str, Any]:
        """Create the saved search `name`, or replace its query, filters, spikes and targets (its high-water mark and
        what was sent are kept). A new one starts at `last_seq` (default: the last article stored: only articles stored
        from now on are new). Returns its row."""
        name = name.strip()
        if not name:
            raise ValueError("a saved search needs a name")
        start = self.max_article_seq() if last_seq is None else int(last_seq)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO saved_searches (name, query, filters, spikes, notify, created, last_seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET query = excluded.query, "
                "filters = excluded.filters, spikes = excluded.spikes, notify = excluded.notify",
                (name, query, json.dumps(filters or {}, sort_keys=True), json.dumps(spikes or {}, sort_keys=True),
                 json.dumps(notify or {}, sort_keys=True), now(), start),
            )
        found = self.get_saved_search(name)
        assert found is not None
        return found

    def get_saved_search(self, name: str) -> dict[str, Any] | None:
        """One saved search: id, name, query, filters, spikes, notify (decoded), created, last_checked, last_seq."""
        rows = self._rows(f"SELECT {_SEARCH_COLUMNS} FROM saved_searches WHERE name = ?", (name,))
        return _decode(rows[0]) if rows else None

    def list_saved_searches(self) -> list[dict[str, Any]]:
        """Every saved search (as `get_saved_search`), by name."""
        return [_decode(r) for r in self._rows(f"SELECT {_SEARCH_COLUMNS} FROM saved_searches ORDER BY name")]

    def count_saved_searches(self) -> int:
        return int(self._rows("SELECT COUNT(*) AS n FROM saved_searches")[0]["n"])

    def delete_saved_search(self, name: str) -> bool:
        """Delete a saved search and what was sent for it; False when there is none of that name."""
        found = self.get_saved_search(name)
        if found is None:
            return False
        with self._transaction() as conn:
            conn.execute("DELETE FROM alerts_sent WHERE search_id = ?", (found["id"],))
            conn.execute("DELETE FROM saved_searches WHERE id = ?", (found["id"],))
        return True

    def mark_search_checked(self, search_id: int, last_seq: int | None, checked_at: str | None = None) -> None:
        """Record a check: its time and, unless None, the new high-water mark (never moved back)."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE saved_searches SET last_checked = ?, last_seq = CASE WHEN ? > last_seq THEN ? ELSE last_seq "
                "END WHERE id = ?",
                (checked_at or now(), -1 if last_seq is None else int(last_seq),
                 -1 if last_seq is None else int(last_seq), int(search_id)),
            )

    # ------------------------------------------------------------------ what was sent

    def alerts_sent_keys(self, search_id: int, channel: str) -> set[tuple[str, str]]:
        """(kind, item_key) of everything already sent for a saved search through `channel`."""
        return {(r["kind"], r["item_key"]) for r in self._rows(
            "SELECT kind, item_key FROM alerts_sent WHERE search_id = ? AND channel = ?", (int(search_id), channel))}

    def record_alerts_sent(self, search_id: int, channel: str, items: Iterable[tuple[str, str, str | None]]) -> int:
        """Record (kind, item_key, article_id) as sent through `channel`; how many were not recorded before."""
        stamp = now()
        added = 0
        with self._transaction() as conn:
            for kind, key, article_id in items:
                cur = conn.execute(
                    "INSERT INTO alerts_sent (search_id, kind, item_key, channel, article_id, sent_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (search_id, kind, item_key, channel) DO NOTHING",
                    (int(search_id), kind, key, channel, article_id, stamp),
                )
                added += max(cur.rowcount, 0)
        return added

    def list_alerts_sent(self, search_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """The latest alerts sent (of one saved search or of all): search_id, kind, item_key, channel, article_id,
        sent_at."""
        where, params = ("WHERE search_id = ?", [int(search_id)]) if search_id is not None else ("", [])
        return self._rows(
            "SELECT search_id, kind, item_key, channel, article_id, sent_at FROM alerts_sent "
            f"{where} ORDER BY sent_at DESC, item_key LIMIT ?", (*params, max(int(limit), 0)))

    # ------------------------------------------------------------------ what a check reads

    def articles_after(self, seq: int, ids: Iterable[str] | None = None, limit: int = 10_000) -> list[dict[str, Any]]:
        """Articles stored after the seq `seq` (of `ids` only, when given), in ingestion order: id, seq, title, url,
        source, published, language, ingested_at."""
        cols = "id, seq, title, url, source, published, language, ingested_at"
        if ids is None:
            return self._rows(f"SELECT {cols} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                              (int(seq), max(int(limit), 0)))
        wanted = list(dict.fromkeys(ids))
        found: list[dict[str, Any]] = []
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            found += self._rows(
                f"SELECT {cols} FROM articles WHERE seq > ? AND id IN ({', '.join('?' * len(chunk))})",
                (int(seq), *chunk))
        return sorted(found, key=lambda r: int(r["seq"]))[: max(int(limit), 0)]

    def entity_articles_after(self, canonicals: Iterable[str], seq: int) -> list[dict[str, Any]]:
        """(article_id, canonical, idx of its first mention) of the articles stored after `seq` naming one of
        `canonicals`."""
        names = list(dict.fromkeys(canonicals))
        found: list[dict[str, Any]] = []
        for i in range(0, len(names), _CHUNK):
            chunk = names[i : i + _CHUNK]
            found += self._rows(
                "SELECT e.article_id, e.canonical, MIN(e.idx) AS idx FROM entities e JOIN articles a "
                f"ON a.id = e.article_id WHERE a.seq > ? AND e.canonical IN ({', '.join('?' * len(chunk))}) "
                "GROUP BY e.article_id, e.canonical", (int(seq), *chunk))
        return found

    def daily_counts(
        self, dimension: str, day_from: str, day_to: str, names: Iterable[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Articles per day (published day) naming each entity (canonical), place (name) or event type, for the days
        in [day_from, day_to]: [{"name", "day", "n"}]; of `names` only, when given."""
        if dimension not in SPIKE_DIMENSIONS:
            raise ValueError(f"unknown spike dimension {dimension!r} (one of {', '.join(SPIKE_DIMENSIONS)})")
        table, column, extra = SPIKE_DIMENSIONS[dimension]
        params: list[Any] = [day_from, day_to]
        only = ""
        if names is not None:
            wanted = list(dict.fromkeys(names))
            if not wanted:
                return []
            only = f"AND x.{column} IN ({', '.join('?' * len(wanted))})"
            params += wanted
        return [{"name": r["name"], "day": r["day"], "n": int(r["n"])} for r in self._rows(
            f"SELECT x.{column} AS name, substr(a.published, 1, 10) AS day, COUNT(DISTINCT a.id) AS n "
            f"FROM {table} x JOIN articles a ON a.id = x.article_id "
            f"WHERE substr(a.published, 1, 10) >= ? AND substr(a.published, 1, 10) <= ? {extra} {only} "
            f"GROUP BY x.{column}, substr(a.published, 1, 10)", params)]

    def articles_naming(
        self, dimension: str, name: str, day: str, limit: int = 20,
    ) -> list[dict[str, Any]]:
        """Articles published on `day` naming the entity, place or event type `name`: id, seq, title, url, source,
        published (latest stored first)."""
        if dimension not in SPIKE_DIMENSIONS:
            raise ValueError(f"unknown spike dimension {dimension!r}")
        table, column, _ = SPIKE_DIMENSIONS[dimension]
        return self._rows(
            "SELECT a.id, a.seq, a.title, a.url, a.source, a.published FROM articles a WHERE a.id IN "
            f"(SELECT x.article_id FROM {table} x WHERE x.{column} = ?) AND substr(a.published, 1, 10) = ? "
            "ORDER BY a.seq DESC LIMIT ?", (name, day, max(int(limit), 0)))
