"""Events across articles and stories in the store (issue 14), shared by SQLite and PostgreSQL.

Writes: `vigie.steps.crossdoc` reads what the grouping needs (`crossdoc_inputs`) and writes the events that changed
(`save_crossdoc_events`). Reads: one cross-document event with every mention and the articles behind them, the events
of a story, and stories (a title, a time span, sizes, sources, places, actors, a timeline and its events).

A copy (dedup) is not analysed: its mentions are its original's records, at the original's offsets, so the evidence
of a copy's mention is read from the original's text.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from vigie.records import Event, Place
from vigie.store.common import column_list, decode_item

#: Columns of crossdoc_events, in the order `save_crossdoc_events` writes them.
EVENT_COLUMNS = (
    "event_id", "type", "mode", "source", "source_country", "source_sector", "target", "target_country",
    "target_sector", "location", "location_country", "lat", "lon", "location_kind", "date", "date_inferred",
    "context", "counts", "n_articles", "n_sources", "n_mentions", "first_seen", "last_seen", "stories",
    "confidence", "digest",
)
MENTION_COLUMNS = ("event_id", "article_id", "start", "end", "type", "mode", "confidence", "evidence_start",
                   "evidence_end")
_JSON_COLUMNS = ("context", "counts", "stories")
#: What an article's event record says of its cross-document event (None before linking).
LINK_FIELDS = ("event_id", "n_articles", "n_sources", "first_seen", "last_seen")
_CHUNK = 500
#: The event's day for ordering: its date when day-level, else the first article's publication day.
_EVENT_DAY = "(CASE WHEN x.date LIKE '____-__-__%' THEN substr(x.date, 1, 10) ELSE x.first_seen END)"
TOP = 5  # places, actors and sources listed on a story


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in names)


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for c in _JSON_COLUMNS:
        if isinstance(row.get(c), str):
            row[c] = json.loads(row[c])
    if row.get("date_inferred") is not None:
        row["date_inferred"] = bool(row["date_inferred"])
    row.pop("digest", None)
    return row


def _source_key(member: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> str:
    """What makes a story member a distinct source: its publisher, or itself; a copy is its original's."""
    original = by_id.get(member["duplicate_of"] or "", member)
    return original["source"] or original["id"]


class CrossDocQueries:
    """Mixed into the SQL stores (see `vigie.store.sqlbase.SQLStore`)."""

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _snapshot(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    # ------------------------------------------------------------------ writes (vigie.steps.crossdoc)

    def crossdoc_inputs(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """What cross-document grouping reads, in one snapshot: (analysed originals with at least one event: id,
        published, source, story_id, events [Event dicts], places [Place dicts]; copies: id, original, published,
        source)."""
        with self._snapshot():
            articles: dict[str, dict[str, Any]] = {}
            for r in self._rows(
                "SELECT a.id, a.published, a.source, s.story_id FROM articles a "
                "LEFT JOIN article_stories s ON s.article_id = a.id "
                "WHERE EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id) "
                "AND NOT EXISTS (SELECT 1 FROM article_sources d WHERE d.duplicate_id = a.id) ORDER BY a.id"
            ):
                articles[r["id"]] = {**r, "events": [], "places": []}
            for r in self._rows(f"SELECT article_id, {column_list(Event)} FROM events ORDER BY article_id, idx"):
                art = articles.get(r.pop("article_id"))
                if art is not None:
                    art["events"].append(decode_item(Event, r))
            for r in self._rows(
                f"SELECT p.article_id, {column_list(Place, 'p')} FROM places p "
                "WHERE EXISTS (SELECT 1 FROM events e WHERE e.article_id = p.article_id) ORDER BY p.article_id, p.idx"
            ):
                art = articles.get(r.pop("article_id"))
                if art is not None:
                    art["places"].append(decode_item(Place, r))
            copies = self._rows(
                "SELECT d.duplicate_id AS id, d.article_id AS original, a.published, a.source FROM article_sources d "
                "JOIN articles a ON a.id = d.duplicate_id ORDER BY d.duplicate_id"
            )
        return list(articles.values()), copies

    def crossdoc_digests(self) -> dict[str, str]:
        """event id -> digest of every stored cross-document event."""
        return {r["event_id"]: r["digest"] for r in self._rows("SELECT event_id, digest FROM crossdoc_events")}

    def save_crossdoc_events(self, events: list[dict[str, Any]], removed: Iterable[str]) -> None:
        """Replace the given events (rows of `EVENT_COLUMNS` plus `mentions`, rows of `MENTION_COLUMNS` without
        event_id) and delete the `removed` ids, in one transaction. A mention moves to its new event."""
        removed = list(removed)
        with self._transaction() as conn:
            gone = removed + [e["event_id"] for e in events]
            for i in range(0, len(gone), _CHUNK):
                chunk = gone[i : i + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                conn.execute(f"DELETE FROM crossdoc_mentions WHERE event_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM crossdoc_events WHERE event_id IN ({marks})", chunk)
            keys = [(m["article_id"], m["start"], m["end"]) for e in events for m in e["mentions"]]
            for key in keys:  # a mention still held by an event that did not change hands here: it moved
                conn.execute('DELETE FROM crossdoc_mentions WHERE article_id = ? AND "start" = ? AND "end" = ?', key)
            event_sql = (f"INSERT INTO crossdoc_events ({_quoted(EVENT_COLUMNS)}) "
                         f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})")
            mention_sql = (f"INSERT INTO crossdoc_mentions ({_quoted(MENTION_COLUMNS)}) "
                           f"VALUES ({', '.join('?' * len(MENTION_COLUMNS))})")
            for e in events:
                row = [json.dumps(e[c], ensure_ascii=False) if c in _JSON_COLUMNS else e[c] for c in EVENT_COLUMNS]
                conn.execute(event_sql, row)
                for m in e["mentions"]:
                    conn.execute(mention_sql, [e["event_id"], *(m[c] for c in MENTION_COLUMNS[1:])])
            # an event emptied by the moves above (its members all went elsewhere) goes too
            conn.execute("DELETE FROM crossdoc_events WHERE NOT EXISTS "
                         "(SELECT 1 FROM crossdoc_mentions m WHERE m.event_id = crossdoc_events.event_id)")

    # ------------------------------------------------------------------ reads

    def _crossdoc_where(self, story_id: str | None, type: str | None) -> tuple[str, list[Any]]:
        clauses, params = ["1 = 1"], []
        if story_id:
            clauses.append(
                "EXISTS (SELECT 1 FROM crossdoc_mentions m JOIN article_stories s ON s.article_id = "
                "COALESCE((SELECT d.article_id FROM article_sources d WHERE d.duplicate_id = m.article_id), "
                "m.article_id) WHERE m.event_id = x.event_id AND s.story_id = ?)"
            )
            params.append(story_id)
        if type:
            clauses.append("x.type = ?")
            params.append(type.strip().upper())
        return " AND ".join(clauses), params

    def list_crossdoc_events(self, story_id: str | None = None, type: str | None = None, limit: int = 50,
                             offset: int = 0, newest_first: bool = True) -> list[dict[str, Any]]:
        """Cross-document events (optionally those of a story, or of a type): the event's fields, counts as
        {field: {low, high, reports}}, n_articles, n_sources, n_mentions, first/last seen and `day` (the event's day,
        else its first report's); newest first, or in date order."""
        where, params = self._crossdoc_where(story_id, type)
        order = "DESC" if newest_first else "ASC"
        rows = self._rows(
            f"SELECT x.*, {_EVENT_DAY} AS day FROM crossdoc_events x WHERE {where} "
            f"ORDER BY {_EVENT_DAY} IS NULL, {_EVENT_DAY} {order}, x.n_sources DESC, x.event_id LIMIT ? OFFSET ?",
            (*params, max(int(limit), 0), max(int(offset), 0)),
        )
        return [_decode(r) for r in rows]

    def count_crossdoc_events(self, story_id: str | None = None, type: str | None = None) -> int:
        where, params = self._crossdoc_where(story_id, type)
        return int(self._rows(f"SELECT COUNT(*) AS n FROM crossdoc_events x WHERE {where}", params)[0]["n"])

    def get_crossdoc_event(self, event_id: str) -> dict[str, Any] | None:
        """One event and every mention: article id, title, url, source, published, duplicate_of, the article's type,
        mode, confidence, trigger offsets and the evidence sentence (a copy's from its original's text)."""
        with self._snapshot():
            rows = self._rows(f"SELECT x.*, {_EVENT_DAY} AS day FROM crossdoc_events x WHERE x.event_id = ?",
                              (event_id,))
            if not rows:
                return None
            event = _decode(rows[0])
            mentions = self._rows(
                "SELECT m.article_id, m.\"start\", m.\"end\", m.type, m.mode, m.confidence, m.evidence_start, "
                "m.evidence_end, a.title, a.url, a.source, a.published, d.article_id AS duplicate_of "
                "FROM crossdoc_mentions m JOIN articles a ON a.id = m.article_id "
                "LEFT JOIN article_sources d ON d.duplicate_id = m.article_id WHERE m.event_id = ? "
                "ORDER BY a.published IS NULL, a.published, m.article_id, m.\"start\"",
                (event_id,),
            )
            texts = self._texts({m["duplicate_of"] or m["article_id"] for m in mentions})
        for m in mentions:
            text = texts.get(m["duplicate_of"] or m["article_id"], "")
            m["evidence"] = text[m["evidence_start"] : m["evidence_end"]]
            m["trigger"] = text[m["start"] : m["end"]]
        event["mentions"] = mentions
        return event

    def _texts(self, ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(ids)
        out: dict[str, str] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            for r in self._rows(f"SELECT id, text FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                out[r["id"]] = r["text"]
        return out

    def crossdoc_of_article(self, article_id: str) -> dict[tuple[int, int], dict[str, Any]]:
        """(trigger start, end) -> `LINK_FIELDS` of an article's event records."""
        rows = self._rows(
            'SELECT m."start", m."end", x.event_id, x.n_articles, x.n_sources, x.first_seen, x.last_seen '
            "FROM crossdoc_mentions m JOIN crossdoc_events x ON x.event_id = m.event_id WHERE m.article_id = ?",
            (article_id,),
        )
        return {(r["start"], r["end"]): {k: r[k] for k in LINK_FIELDS} for r in rows}

    # ------------------------------------------------------------------ stories

    _STORY_MEMBERS = (  # every article of a story: its originals (article_stories) and their copies
        "(SELECT s.story_id, s.article_id AS id FROM article_stories s UNION ALL "
        "SELECT s.story_id, d.duplicate_id AS id FROM article_sources d JOIN article_stories s "
        "ON s.article_id = d.article_id)"
    )

    def list_stories(self, limit: int = 50, offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
        """Stories, latest first: story_id, title (its first article's), first and last publication day,
        n_articles (copies included), n_duplicates, n_sources (as for events: a copy counts with its original; an
        article without a publisher is a source of its own), n_events (cross-document events)."""
        rows = self._rows(
            "SELECT m.story_id, COUNT(*) AS n_articles, MIN(a.published) AS first, MAX(a.published) AS last, "
            "COUNT(DISTINCT CASE WHEN d.article_id IS NULL THEN COALESCE(a.source, a.id) "
            "ELSE COALESCE(o.source, o.id) END) AS n_sources, COUNT(d.duplicate_id) AS n_duplicates "
            f"FROM {self._STORY_MEMBERS} m JOIN articles a ON a.id = m.id "
            "LEFT JOIN article_sources d ON d.duplicate_id = a.id LEFT JOIN articles o ON o.id = d.article_id "
            "GROUP BY m.story_id HAVING COUNT(*) >= ? "
            "ORDER BY MAX(a.published) IS NULL, MAX(a.published) DESC, COUNT(*) DESC, m.story_id LIMIT ? OFFSET ?",
            (max(int(min_articles), 1), max(int(limit), 0), max(int(offset), 0)),
        )
        titles = self._story_titles([r["story_id"] for r in rows])
        for r in rows:
            r["title"] = titles.get(r["story_id"])
            r["n_events"] = self.count_crossdoc_events(story_id=r["story_id"])
        return rows

    def count_stories(self, min_articles: int = 1) -> int:
        return int(self._rows(
            f"SELECT COUNT(*) AS n FROM (SELECT m.story_id FROM {self._STORY_MEMBERS} m GROUP BY m.story_id "
            "HAVING COUNT(*) >= ?) AS t", (max(int(min_articles), 1),))[0]["n"])

    def _story_titles(self, story_ids: list[str]) -> dict[str, str | None]:
        """A story's title: the headline of its first article (whose id is the story's), else of its earliest."""
        out: dict[str, str | None] = {}
        for sid in story_ids:
            rows = self._rows(
                "SELECT a.title FROM article_stories s JOIN articles a ON a.id = s.article_id WHERE s.story_id = ? "
                "ORDER BY CASE WHEN a.id = ? THEN 0 ELSE 1 END, a.published IS NULL, a.published, a.id LIMIT 1",
                (sid, sid),
            )
            out[sid] = rows[0]["title"] if rows else None
        return out

    def get_story(self, story_id: str, limit: int = 200) -> dict[str, Any] | None:
        """One story: story_id, title, first, last, n_articles, n_duplicates, n_sources, languages, sources
        [{source, n}], places [{name, n}], actors [{canonical, label, n}] (by articles naming them), timeline
        [{day, n}] (articles per publication day), articles [{id, title, published, source, url, language,
        duplicate_of}] and events (its cross-document events in date order; at most `limit` of each list)."""
        with self._snapshot():
            members = self._rows(
                "SELECT a.id, a.title, a.published, a.source, a.url, a.language, d.article_id AS duplicate_of "
                f"FROM {self._STORY_MEMBERS} m JOIN articles a ON a.id = m.id "
                "LEFT JOIN article_sources d ON d.duplicate_id = a.id WHERE m.story_id = ? "
                "ORDER BY a.published IS NULL, a.published, a.id",
                (story_id,),
            )
            if not members:
                return None
            originals = [m["id"] for m in members if not m["duplicate_of"]]
            places = self._top_in(originals, "SELECT name, COUNT(DISTINCT article_id) AS n FROM places "
                                  "WHERE name IS NOT NULL AND article_id IN ({}) GROUP BY name")
            actors = self._top_in(originals, "SELECT canonical, label, COUNT(DISTINCT article_id) AS n FROM entities "
                                  "WHERE label IN ('PER', 'ORG') AND article_id IN ({}) GROUP BY canonical, label")
            events = self.list_crossdoc_events(story_id=story_id, limit=limit, newest_first=False)
            n_events = self.count_crossdoc_events(story_id=story_id)
        sources: dict[str, int] = {}
        timeline: dict[str, int] = {}
        for m in members:
            key = m["source"] or "(unknown)"
            sources[key] = sources.get(key, 0) + 1
            if m["published"]:
                day = m["published"][:10]
                timeline[day] = timeline.get(day, 0) + 1
        dates = [m["published"] for m in members if m["published"]]
        by_id = {m["id"]: m for m in members}
        return {
            "story_id": story_id,
            "title": self._story_titles([story_id])[story_id],
            "first": min(dates) if dates else None,
            "last": max(dates) if dates else None,
            "n_articles": len(members),
            "n_duplicates": sum(1 for m in members if m["duplicate_of"]),
            "n_sources": len({_source_key(m, by_id) for m in members}),
            "languages": sorted({m["language"] for m in members if m["language"]}),
            "sources": [{"source": s, "n": n} for s, n in sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))],
            "places": places[:TOP],
            "actors": actors[:TOP],
            "timeline": [{"day": d, "n": n} for d, n in sorted(timeline.items())],
            "articles": members[:limit],
            "events": events,
            "n_events": n_events,
        }

    def _top_in(self, ids: list[str], sql: str) -> list[dict[str, Any]]:
        """Rows of a per-article count over `ids` (chunked), summed and sorted: most articles first."""
        totals: dict[tuple, int] = {}
        keys: list[str] = []
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            for r in self._rows(sql.format(", ".join("?" * len(chunk))), chunk):
                n = int(r.pop("n"))
                keys = list(r)
                k = tuple(r.values())
                totals[k] = totals.get(k, 0) + n
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], [str(v) for v in kv[0]]))
        return [{**dict(zip(keys, k, strict=True)), "n": n} for k, n in ranked]
