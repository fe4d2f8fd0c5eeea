"""Browse queries of the store (articles list, events, entities, quotes, places), shared by SQLite and PostgreSQL.

The SQL is written once with ``?`` placeholders in the subset both engines speak; the backend supplies
`_rows` (which adapts the placeholders) and `_snapshot` (several statements see one committed state).
``vigie_fold(x)`` is a function both backends define: lower case without accents, for name filters.
Values always travel as parameters; only constant SQL fragments are assembled here.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from vigie.records import Event, Quote
from vigie.store.base import EventFilter
from vigie.store.common import column_list, decode_item, like_escape
from vigie.store.speakers import grouped_counts, last_word, members

#: Day an event is placed on (timeline, date filters, ordering): its date's first day when the date is
#: day-level ("2022-01-12", "2022-01-12T10:00", "2022-01-03/2022-01-09"), else the article's publication day.
#: A month, week or year says too little to put the event on a given day.
EVENT_DAY = "(CASE WHEN e.date LIKE '____-__-__%' THEN substr(e.date, 1, 10) ELSE substr(a.published, 1, 10) END)"

_EVENT_COLUMNS = (
    f"{column_list(Event, 'e')}, e.article_id AS article_id, e.idx AS idx, "
    "a.title AS article_title, a.published AS published, "
    "x.event_id AS event_id, x.n_articles AS n_articles, x.n_sources AS n_sources, "
    "x.first_seen AS first_seen, x.last_seen AS last_seen"
)
#: An event record's cross-document event (vigie.store.crossdoc), when linked.
_CROSSDOC_JOIN = (
    'LEFT JOIN crossdoc_mentions cm ON cm.article_id = e.article_id AND cm."start" = e."start" AND cm."end" = e."end" '
    "LEFT JOIN crossdoc_events x ON x.event_id = cm.event_id"
)
_QUOTE_COLUMNS = (
    f"{column_list(Quote, 'q')}, q.article_id AS article_id, q.idx AS idx, "
    "a.title AS article_title, a.published AS published"
)
# Newest first; articles without a date last (NULLS LAST spelled so that both engines agree).
_NEWEST = "a.published IS NULL, a.published DESC, a.seq DESC"
_CHUNK = 500  # parameters per IN (...) list, far below both engines' limits


def event_where(filters: EventFilter | None) -> tuple[str, list[Any]]:
    """WHERE clause (over events ``e`` joined to articles ``a``) and its parameters for an EventFilter."""
    f = filters or EventFilter()
    clauses: list[str] = ["1 = 1"]
    params: list[Any] = []
    if f.type:
        clauses.append("e.type = ?")
        params.append(f.type.strip().upper())  # PLOVER types are upper case
    if f.mode:
        clauses.append("e.mode = ?")
        params.append(f.mode.strip().lower())  # PLOVER modes are lower case
    if f.country:
        code = f.country.strip().upper()
        clauses.append("(e.source_country = ? OR e.target_country = ? OR e.location_country = ?)")
        params += [code, code, code]
    if f.actor:
        pattern = like_escape(f.actor.strip())
        clauses.append(
            "(vigie_fold(e.source) LIKE '%' || vigie_fold(?) || '%' ESCAPE '\\' "
            "OR vigie_fold(e.target) LIKE '%' || vigie_fold(?) || '%' ESCAPE '\\')"
        )
        params += [pattern, pattern]
    if f.place:
        clauses.append("vigie_fold(e.location) = vigie_fold(?)")
        params.append(f.place.strip())
    if f.date_from:
        clauses.append(f"{EVENT_DAY} >= ?")
        params.append(f.date_from[:10])
    if f.date_to:
        clauses.append(f"{EVENT_DAY} <= ?")
        params.append(f.date_to[:10])
    if f.article_id:
        clauses.append("e.article_id = ?")
        params.append(f.article_id)
    return " AND ".join(clauses), params


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class BrowseQueries:
    """Read-only queries for the API and the web pages (mixed into the SQL stores)."""

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _snapshot(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    # ------------------------------------------------------------------ articles

    def list_articles(self, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Newest first (published, then ingestion): id, title, published, source, language, url,
        n_entities, n_quotes, n_events, n_duplicates (copies of it stored), duplicate_of and story_id."""
        return self._rows(
            "SELECT a.id, a.title, a.published, a.source, a.language, a.url, "
            "(SELECT COUNT(*) FROM entities x WHERE x.article_id = a.id) AS n_entities, "
            "(SELECT COUNT(*) FROM quotes x WHERE x.article_id = a.id) AS n_quotes, "
            "(SELECT COUNT(*) FROM events x WHERE x.article_id = a.id) AS n_events, "
            "(SELECT COUNT(*) FROM article_sources x WHERE x.article_id = a.id) AS n_duplicates, "
            "(SELECT x.article_id FROM article_sources x WHERE x.duplicate_id = a.id) AS duplicate_of, "
            "(SELECT x.story_id FROM article_stories x WHERE x.article_id = COALESCE("
            "(SELECT y.article_id FROM article_sources y WHERE y.duplicate_id = a.id), a.id)) AS story_id "
            f"FROM articles a ORDER BY {_NEWEST} LIMIT ? OFFSET ?",
            (max(int(limit), 0), max(int(offset), 0)),
        )

    def _article_refs(self, where: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
        """[{id, title, published}] of the articles matching ``where`` (over ``a``), newest first."""
        return self._rows(
            f"SELECT a.id, a.title, a.published FROM articles a WHERE {where} ORDER BY {_NEWEST} LIMIT ?",
            (*params, max(int(limit), 0)),
        )

    # ------------------------------------------------------------------ events

    def _events(self, where: str, params: list[Any], limit: int, offset: int = 0) -> list[dict[str, Any]]:
        rows = self._rows(
            f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id {_CROSSDOC_JOIN} "
            f"WHERE {where} "
            f"ORDER BY {EVENT_DAY} IS NULL, {EVENT_DAY}, a.published, e.article_id, e.idx LIMIT ? OFFSET ?",
            (*params, max(int(limit), 0), max(int(offset), 0)),
        )
        return [decode_item(Event, r) for r in rows]

    def list_events(
        self, filters: EventFilter | None = None, limit: int = 100, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Event dicts plus article_id, idx, article_title, published; ordered by the event's day (EVENT_DAY,
        undated last), then article."""
        where, params = event_where(filters)
        return self._events(where, params, limit, offset)

    def count_events(self, filters: EventFilter | None = None) -> int:
        where, params = event_where(filters)
        rows = self._rows(
            f"SELECT COUNT(*) AS n FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}", params
        )
        return int(rows[0]["n"])

    def event_timeline(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        """Events per day and type, by day then type: [{"day": "YYYY-MM-DD", "type": "PROTEST", "n": 3}, ...].
        The day is EVENT_DAY; events with no day at all (no day-level date, no publication date) are left out."""
        where, params = event_where(filters)
        return self._rows(
            f"SELECT {EVENT_DAY} AS day, e.type AS type, COUNT(*) AS n "
            f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND {EVENT_DAY} IS NOT NULL "
            f"GROUP BY {EVENT_DAY}, e.type ORDER BY 1, 2",
            params,
        )

    def event_places(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        """Events grouped by location for the map, most events first: name, country, lat, lon, n, types {type: n}.

        Coordinates are those the place resolver gave that name (in the event's country when it has one),
        the most frequent resolution when there are several; None when the name was never resolved.
        """
        where, params = event_where(filters)
        rows = self._rows(
            "SELECT e.location AS name, e.location_country AS country, e.type AS type, COUNT(*) AS n "
            f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND e.location IS NOT NULL "
            "GROUP BY e.location, e.location_country, e.type",
            params,
        )
        groups: dict[tuple[str, str | None], dict[str, Any]] = {}
        for r in rows:
            g = groups.setdefault(
                (r["name"], r["country"]), {"name": r["name"], "country": r["country"], "n": 0, "types": {}}
            )
            g["n"] += int(r["n"])
            g["types"][r["type"]] = int(r["n"])
        coords = self._place_resolutions(sorted({name for name, _ in groups}))
        out = []
        for (name, country), g in groups.items():
            best = _best_resolution(coords.get(name, []), country)
            g["lat"], g["lon"] = (best["lat"], best["lon"]) if best else (None, None)
            if g["country"] is None and best:
                g["country"] = best["country"]
            g["types"] = dict(sorted(g["types"].items(), key=lambda kv: (-kv[1], kv[0])))
            out.append(g)
        out.sort(key=lambda g: (-g["n"], g["name"], g["country"] or ""))
        return out

    # ------------------------------------------------------------------ entities and quotes

    def list_entities(
        self, label: str | None = None, query: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """canonical, label, n_mentions, n_articles; most mentioned first. `query` is a case- and
        accent-insensitive substring of the canonical name."""
        clauses, params = ["1 = 1"], []
        if label:
            clauses.append("label = ?")
            params.append(label.strip().upper())
        if query and query.strip():
            clauses.append("vigie_fold(canonical) LIKE '%' || vigie_fold(?) || '%' ESCAPE '\\'")
            params.append(like_escape(query.strip()))
        return self._rows(
            "SELECT canonical, label, COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles "
            f"FROM entities WHERE {' AND '.join(clauses)} GROUP BY canonical, label "
            "ORDER BY n_mentions DESC, n_articles DESC, canonical, label LIMIT ? OFFSET ?",
            (*params, max(int(limit), 0), max(int(offset), 0)),
        )

    def _resolve_entity(self, name: str) -> str | None:
        """The stored canonical name for `name`: exact (mentions, then speakers and actors), else the most
        mentioned canonical name equal to it without case and accents."""
        for sql in (
            "SELECT canonical AS c FROM entities WHERE canonical = ? LIMIT 1",
            "SELECT speaker AS c FROM quotes WHERE speaker = ? LIMIT 1",
            "SELECT source AS c FROM events WHERE source = ? LIMIT 1",
            "SELECT target AS c FROM events WHERE target = ? LIMIT 1",
        ):
            if self._rows(sql, (name,)):
                return name
        rows = self._rows(
            "SELECT canonical AS c FROM entities WHERE vigie_fold(canonical) = vigie_fold(?) "
            "GROUP BY canonical ORDER BY COUNT(*) DESC, canonical LIMIT 1",
            (name,),
        )
        return rows[0]["c"] if rows else None

    def get_entity(self, canonical: str, limit: int = 100) -> dict[str, Any] | None:
        """canonical, labels (most used first), n_mentions, n_articles, mentions_by_day [{day, n}] (day of
        publication), articles [{id, title, published}], quotes (as speaker, with article_id),
        events_as_source, events_as_target. Lists hold at most `limit` items (newest articles and quotes,
        earliest events); None when the name is nowhere in the store."""
        with self._snapshot():
            name = self._resolve_entity(canonical.strip())
            if name is None:
                return None
            labels = self._rows(
                "SELECT label, COUNT(*) AS n FROM entities WHERE canonical = ? GROUP BY label ORDER BY n DESC, label",
                (name,),
            )
            totals = self._rows(
                "SELECT COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles FROM entities WHERE canonical = ?",
                (name,),
            )[0]
            by_day = self._rows(
                "SELECT substr(a.published, 1, 10) AS day, COUNT(*) AS n FROM entities x "
                "JOIN articles a ON a.id = x.article_id WHERE x.canonical = ? AND a.published IS NOT NULL "
                "GROUP BY substr(a.published, 1, 10) ORDER BY 1",
                (name,),
            )
            articles = self._article_refs(
                "a.id IN (SELECT article_id FROM entities WHERE canonical = ?)", [name], limit
            )
            return {
                "canonical": name,
                "labels": [r["label"] for r in labels],
                "n_mentions": int(totals["n_mentions"]),
                "n_articles": int(totals["n_articles"]),
                "mentions_by_day": by_day,
                "articles": articles,
                "quotes": self.list_quotes(speaker=name, limit=limit),
                "events_as_source": self._events("e.source = ?", [name], limit),
                "events_as_target": self._events("e.target = ?", [name], limit),
            }

    def list_quotes(self, speaker: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quote dicts plus article_id, idx, article_title, published; newest articles first, then in text order.
        `speaker` is a speaker's name: its quotes and those of the names grouped with it ("Barack Obama" and
        "Obama": `vigie.store.speakers`)."""
        where, params = ("1 = 1", [])
        if speaker:
            names = self._speaker_group(speaker)
            where, params = f"q.speaker IN ({_marks(len(names))})", names
        rows = self._rows(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id WHERE {where} "
            f"ORDER BY {_NEWEST}, q.idx LIMIT ? OFFSET ?",
            (*params, max(int(limit), 0), max(int(offset), 0)),
        )
        return [decode_item(Quote, r) for r in rows]

    def _speaker_group(self, name: str) -> list[str]:
        """The stored speakers grouped with `name` (itself included): those that may share its last name token
        are read, then grouped as `speaker_counts` groups them."""
        word = last_word(name)
        if not word:
            return [name]
        rows = self._rows(
            "SELECT speaker, COUNT(*) AS n FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker "
            "HAVING vigie_fold(speaker) LIKE '%' || vigie_fold(?)",
            (word,),
        )
        return members(name, {r["speaker"]: int(r["n"]) for r in rows})

    def speaker_counts(self, top: int) -> list[dict[str, Any]]:
        """The `top` most quoted speakers, a short name counted with the fullest stored name it belongs to:
        [{"speaker": "Barack Obama", "quotes": 3}, ...] (most quoted first, then by name)."""
        rows = self._rows("SELECT speaker, COUNT(*) AS n FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker")
        grouped = grouped_counts((r["speaker"], int(r["n"])) for r in rows)
        return [{"speaker": name, "quotes": n} for name, n in grouped[: max(int(top), 0)]]

    # ------------------------------------------------------------------ places

    def _place_resolutions(self, names: list[str]) -> dict[str, list[dict[str, Any]]]:
        """For each resolved place name: its distinct resolutions (country, kind, lat, lon, geonames_id, n)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for chunk in _chunks(names):
            for r in self._rows(
                "SELECT name, country, kind, lat, lon, geonames_id, COUNT(*) AS n FROM places "
                f"WHERE name IN ({_marks(len(chunk))}) GROUP BY name, country, kind, lat, lon, geonames_id",
                chunk,
            ):
                out.setdefault(r.pop("name"), []).append(r)
        return out

    def list_places(self, country: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Resolved places, most mentioned first: name, country, kind, lat, lon, geonames_id, n_mentions, n_articles.
        One row per (name, country); kind and coordinates are the name's most frequent resolution there."""
        where, params = (
            ("name IS NOT NULL AND country = ?", [country.strip().upper()]) if country else ("name IS NOT NULL", [])
        )
        rows = self._rows(
            "SELECT name, country, COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles "
            f"FROM places WHERE {where} GROUP BY name, country "
            "ORDER BY n_mentions DESC, n_articles DESC, name LIMIT ? OFFSET ?",
            (*params, max(int(limit), 0), max(int(offset), 0)),
        )
        resolutions = self._place_resolutions(sorted({r["name"] for r in rows}))
        out = []
        for r in rows:
            best = _best_resolution(resolutions.get(r["name"], []), r["country"], strict=True) or {}
            out.append(
                {
                    "name": r["name"],
                    "country": r["country"],
                    "kind": best.get("kind"),
                    "lat": best.get("lat"),
                    "lon": best.get("lon"),
                    "geonames_id": best.get("geonames_id"),
                    "n_mentions": int(r["n_mentions"]),
                    "n_articles": int(r["n_articles"]),
                }
            )
        return out

    def get_place(self, name: str, limit: int = 100) -> dict[str, Any] | None:
        """name, country, kind, lat, lon, geonames_id, n_mentions, n_articles, articles [{id, title, published}]
        (newest first), events (located there, earliest first); at most `limit` of each. The name is matched
        exactly, else without case and accents; None when no resolved place has that name."""
        with self._snapshot():
            found = self._rows("SELECT name FROM places WHERE name = ? LIMIT 1", (name.strip(),)) or self._rows(
                "SELECT name FROM places WHERE vigie_fold(name) = vigie_fold(?) "
                "GROUP BY name ORDER BY COUNT(*) DESC, name LIMIT 1",
                (name.strip(),),
            )
            if not found:
                return None
            place = found[0]["name"]
            totals = self._rows(
                "SELECT COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles FROM places WHERE name = ?",
                (place,),
            )[0]
            best = _best_resolution(self._place_resolutions([place]).get(place, []), None) or {}
            return {
                "name": place,
                "country": best.get("country"),
                "kind": best.get("kind"),
                "lat": best.get("lat"),
                "lon": best.get("lon"),
                "geonames_id": best.get("geonames_id"),
                "n_mentions": int(totals["n_mentions"]),
                "n_articles": int(totals["n_articles"]),
                "articles": self._article_refs(
                    "a.id IN (SELECT article_id FROM places WHERE name = ?)", [place], limit
                ),
                "events": self._events("e.location = ?", [place], limit),
            }


def _best_resolution(
    candidates: list[dict[str, Any]], country: str | None, strict: bool = False
) -> dict[str, Any] | None:
    """The most frequent resolution with coordinates, preferring (or, when strict, requiring) `country`."""
    if country is not None:
        same = [c for c in candidates if c["country"] == country]
        if same or strict:
            candidates = same
    elif strict:
        candidates = [c for c in candidates if c["country"] is None]
    if not candidates:
        return None
    # with coordinates first, then most mentions; the gazetteer id breaks ties deterministically
    return min(candidates, key=lambda c: (c["lat"] is None, -int(c["n"]), c["geonames_id"] or 0, c["kind"] or ""))
