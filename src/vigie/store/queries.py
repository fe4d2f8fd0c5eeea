"""Browse queries of the store (articles list, events, entities, quotes, places), shared by SQLite and PostgreSQL.

The SQL is written once with ``?`` placeholders in the subset both engines speak; the backend supplies
`_rows` (which adapts the placeholders) and `_snapshot` (several statements see one committed state).
``vigie_fold(x)`` is a function both backends define: lower case without accents, for name filters.
Values always travel as parameters; only constant SQL fragments are assembled here.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any

from vigie.lexicons import read_rows
from vigie.records import Event, Quote
from vigie.store.base import EventFilter
from vigie.store.common import column_list, decode_item, like_escape
from vigie.store.places_names import (
    display_name,
    is_key,
    key_condition,
    keys_in,
    location_clause,
    place_key,
    place_key_sql,
    same_form,
)
from vigie.store.speakers import group_persons, grouped_counts, last_word, members, person_key

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
#: Canonical names containing a text without case and accents, each distinct name folded once rather than each
#: mention (the aggregate keeps the engines from moving the test before the grouping).
_NAMES_LIKE = (
    "SELECT MIN(canonical) AS c FROM entities GROUP BY canonical "
    "HAVING vigie_fold(MIN(canonical)) LIKE '%' || vigie_fold(?) || '%' ESCAPE '\\'"
)
_KEY_CHUNK = 300  # place keys per pass over the places table (one parameter each)
_KEY_SCAN = 600  # more keys than this are read in one pass over every place
#: A place row's article is French (a semi-join: the set of French articles is read once per query).
_FRENCH_ARTICLE = "p.article_id IN (SELECT fa.id FROM articles fa WHERE fa.language = 'fr')"
_PLACE_KEY = place_key_sql("p")


#: Columns the events table sorts on (`list_events(sort=...)`): name -> SQL expression. Anything else is refused.
EVENT_SORTS: dict[str, str] = {
    "date": EVENT_DAY,
    "type": "e.type",
    "mode": "e.mode",
    "source": "e.source",
    "target": "e.target",
    "place": "e.location",
    "country": "e.location_country",
    "killed": "e.killed",
    "injured": "e.injured",
    "arrested": "e.arrested",
    "size": "e.size",
    "reports": "x.n_sources",
    "article": "a.title",
}
#: Counts summed over a filtered set of events (`event_sums`).
EVENT_SUMS = ("killed", "injured", "arrested", "size")


@lru_cache(maxsize=1)
def _alpha2_to_3() -> dict[str, str]:
    return {row.cells[0].upper(): row.cells[1].upper() for row in read_rows("iso3166_alpha3.tsv")}


@lru_cache(maxsize=1)
def _alpha3_to_2() -> dict[str, str]:
    return {a3: a2 for a2, a3 in _alpha2_to_3().items()}


def alpha2_of(code: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 of an alpha-2 or alpha-3 code ("RUS" -> "RU", "RU" -> "RU"); other codes (IGO)
    as they are, upper case."""
    if not code:
        return None
    code = code.strip().upper()
    return _alpha3_to_2().get(code, code) if len(code) == 3 else code


def country_codes(code: str) -> tuple[str, str | None]:
    """(actor code, location code) one country filter matches: actors carry alpha-3, locations alpha-2, so "RU"
    and "RUS" both give ("RUS", "RU"); a code of neither system ("IGO") matches actors only."""
    code = code.strip().upper()
    if len(code) == 2:
        return _alpha2_to_3().get(code, code), code
    a2 = _alpha3_to_2().get(code)
    return code, a2


def event_where(
    filters: EventFilter | None, place_pairs: Iterable[tuple[str, str | None]] | None = None
) -> tuple[str, list[Any]]:
    """WHERE clause (over events ``e`` joined to articles ``a``) and its parameters for an EventFilter.

    `place_pairs` are the (name, country) pairs stored for the place the `place` filter names
    (`BrowseQueries._place_pairs`): an event located at one of them matches, whatever the language its article
    named the place in, as does a location equal to the filter without case and accents (an unresolved place).
    A filter that is a place key ("geonames:703448") matches its pairs alone."""
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
        actor_code, location_code = country_codes(f.country)
        clauses.append("(e.source_country = ? OR e.target_country = ? OR e.location_country = ?)")
        params += [actor_code, actor_code, location_code or actor_code]
    if f.actor:
        pattern = like_escape(f.actor.strip())
        clauses.append(
            "(vigie_fold(e.source) LIKE '%' || vigie_fold(?) || '%' ESCAPE '\\' "
            "OR vigie_fold(e.target) LIKE '%' || vigie_fold(?) || '%' ESCAPE '\\')"
        )
        params += [pattern, pattern]
    if f.place:
        value = f.place.strip()
        pairs_sql, pairs_params = location_clause(place_pairs or ())
        if is_key(value):
            clauses.append(f"({pairs_sql})")
            params += pairs_params
        else:
            clauses.append(f"(vigie_fold(e.location) = vigie_fold(?) OR {pairs_sql})")
            params += [value, *pairs_params]
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


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


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

    def _events(self, where: str, params: list[Any], limit: int, offset: int = 0, sort: str = "date",
                order: str = "asc") -> list[dict[str, Any]]:
        if sort not in EVENT_SORTS or order not in ("asc", "desc"):
            raise ValueError(f"cannot sort events by {sort!r} {order!r}")
        desc = " DESC" if order == "desc" else ""
        expr = EVENT_SORTS[sort]
        # missing values last whatever the direction (spelled so that both engines agree), then a total order
        # (day, article, position) so that pages never overlap
        keys = f"{expr} IS NULL, {expr}{desc}"
        if sort != "date":
            keys += f", {EVENT_DAY} IS NULL, {EVENT_DAY}{desc}"
        rows = self._rows(
            f"SELECT {_EVENT_COLUMNS} FROM events e JOIN articles a ON a.id = e.article_id {_CROSSDOC_JOIN} "
            f"WHERE {where} "
            f"ORDER BY {keys}, a.published{desc}, e.article_id{desc}, e.idx{desc} LIMIT ? OFFSET ?",
            (*params, max(int(limit), 0), max(int(offset), 0)),
        )
        return [decode_item(Event, r) for r in rows]

    def list_events(
        self, filters: EventFilter | None = None, limit: int = 100, offset: int = 0, sort: str = "date",
        order: str = "asc",
    ) -> list[dict[str, Any]]:
        """Event dicts plus article_id, idx, article_title, published; ordered by `sort` (a key of EVENT_SORTS;
        by default the event's day, EVENT_DAY) in `order` ("asc" or "desc"), missing values last, then by day,
        article and position. ValueError for any other sort or order."""
        where, params = self._event_where(filters)
        return self._events(where, params, limit, offset, sort, order)

    def event_sums(self, filters: EventFilter | None = None) -> dict[str, Any]:
        """Killed, injured, arrested and size summed over every event matching the filters, with how many events
        give each: {"killed": 12.0, "n_killed": 3, ...} (sums of nothing are 0)."""
        where, params = self._event_where(filters)
        cols = ", ".join(f"SUM(e.{k}) AS {k}, COUNT(e.{k}) AS n_{k}" for k in EVENT_SUMS)
        row = self._rows(f"SELECT {cols} FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}",
                         params)[0]
        out: dict[str, Any] = {}
        for k in EVENT_SUMS:
            out[k] = float(row[k] or 0)
            out[f"n_{k}"] = int(row[f"n_{k}"] or 0)
        return out

    def event_countries(self) -> list[dict[str, Any]]:
        """Countries the events name (actors' alpha-3 and locations' alpha-2, both as alpha-2), with how many
        events name each, most first: [{"country": "RU", "n": 12}, ...]."""
        rows = self._rows(
            "SELECT c, COUNT(*) AS n FROM ("
            "SELECT source_country AS c FROM events WHERE source_country IS NOT NULL "
            "UNION ALL SELECT target_country FROM events WHERE target_country IS NOT NULL "
            "UNION ALL SELECT location_country FROM events WHERE location_country IS NOT NULL) t GROUP BY c"
        )
        counts: dict[str, int] = {}
        for r in rows:
            code = alpha2_of(r["c"])
            if code:
                counts[code] = counts.get(code, 0) + int(r["n"])
        return [{"country": c, "n": n} for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def count_events(self, filters: EventFilter | None = None) -> int:
        where, params = self._event_where(filters)
        rows = self._rows(
            f"SELECT COUNT(*) AS n FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}", params
        )
        return int(rows[0]["n"])

    def event_timeline(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        """Events per day and type, by day then type: [{"day": "YYYY-MM-DD", "type": "PROTEST", "n": 3}, ...].
        The day is EVENT_DAY; events with no day at all (no day-level date, no publication date) are left out."""
        where, params = self._event_where(filters)
        return self._rows(
            f"SELECT {EVENT_DAY} AS day, e.type AS type, COUNT(*) AS n "
            f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND {EVENT_DAY} IS NOT NULL "
            f"GROUP BY {EVENT_DAY}, e.type ORDER BY 1, 2",
            params,
        )

    def _event_where(self, filters: EventFilter | None) -> tuple[str, list[Any]]:
        """`event_where`, with the place filter's place looked up in the places table first."""
        place = filters.place.strip() if filters is not None and filters.place else ""
        return event_where(filters, self._place_pairs(self._place_keys(place, every=True)) if place else None)

    def event_places(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        """Events grouped by place for the map, most events first: key, name, country, lat, lon, n, types {type: n}.

        An event's place is the resolved place its location names: the key its (name, country) pair has in
        the places table (the most mentioned one, should a pair name two places), so the events of "Kyiv" in
        English articles and of "Kiev" in French ones make one point, shown under the place's name
        (`vigie.store.places_names`). A location no place resolved is its own point (key None, no coordinates).
        """
        where, params = self._event_where(filters)
        rows = self._rows(
            "SELECT e.location AS name, e.location_country AS country, e.type AS type, COUNT(*) AS n "
            f"FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND e.location IS NOT NULL "
            "GROUP BY e.location, e.location_country, e.type",
            params,
        )
        pair_keys = self._pair_keys({r["name"] for r in rows})
        groups: dict[tuple[str | None, str, str | None], dict[str, Any]] = {}
        for r in rows:
            key = _key_of_pair(pair_keys, r["name"], r["country"])
            gid = (key, "", None) if key else (None, r["name"], r["country"])
            g = groups.setdefault(
                gid, {"key": key, "name": r["name"], "country": r["country"], "n": 0, "types": {}}
            )
            g["n"] += int(r["n"])
            g["types"][r["type"]] = g["types"].get(r["type"], 0) + int(r["n"])
        details = self._place_details({g["key"] for g in groups.values() if g["key"]})
        out = []
        for g in groups.values():
            d = details.get(g["key"]) if g["key"] else None
            if d is not None:
                g["name"], g["country"], g["lat"], g["lon"] = d["name"], d["country"], d["lat"], d["lon"]
            else:
                g["lat"], g["lon"] = None, None
            g["types"] = dict(sorted(g["types"].items(), key=lambda kv: (-kv[1], kv[0])))
            out.append({k: g[k] for k in ("key", "name", "country", "lat", "lon", "n", "types")})
        out.sort(key=lambda g: (-g["n"], g["name"], g["country"] or "", g["key"] or ""))
        return out

    # ------------------------------------------------------------------ entities and quotes

    def list_entities(
        self, label: str | None = None, query: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """canonical, label, n_mentions, n_articles; most mentioned first. `query` is a case- and
        accent-insensitive substring of the canonical name.

        People (PER) spelled differently by French and English articles are one row when their names match
        under the spelling rules (`vigie.store.speakers.person_key`: "Vladimir Poutine" and "Vladimir Putin"),
        shown under the spelling French articles use most, with the mentions and articles of every spelling;
        `query` finds the row through any of its spellings. Other labels are listed by canonical name."""
        want = label.strip().upper() if label else None
        text = query.strip() if query and query.strip() else None
        first, end = max(int(offset), 0), max(int(offset), 0) + max(int(limit), 0)
        if end == first:
            return []
        rows: list[dict[str, Any]] = []
        if want != "PER":
            clauses, params = ["label <> 'PER'"], []
            if want:
                clauses.append("label = ?")
                params.append(want)
            if text:
                clauses.append(f"canonical IN ({_NAMES_LIKE})")
                params.append(like_escape(text))
            rows += self._rows(
                "SELECT canonical, label, COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles "
                f"FROM entities WHERE {' AND '.join(clauses)} GROUP BY canonical, label "
                "ORDER BY n_mentions DESC, n_articles DESC, canonical, label LIMIT ?",
                (*params, end),
            )
        if want in (None, "PER"):
            rows += self._person_rows(text)
        rows.sort(key=lambda r: (-int(r["n_mentions"]), -int(r["n_articles"]), r["canonical"], r["label"]))
        return [
            {"canonical": r["canonical"], "label": r["label"], "n_mentions": int(r["n_mentions"]),
             "n_articles": int(r["n_articles"])}
            for r in rows[first:end]
        ]

    def _person_rows(self, text: str | None) -> list[dict[str, Any]]:
        """PER rows of `list_entities`: one per person (names of one spelling key summed), those with a name
        containing `text` (without case and accents) when given."""
        rows = self._rows(
            "SELECT canonical, COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles "
            "FROM entities WHERE label = 'PER' GROUP BY canonical"
        )
        matching: set[str] | None = None
        if text:
            matching = {r["c"] for r in self._rows(_NAMES_LIKE, (like_escape(text),))}
        groups = group_persons(r["canonical"] for r in rows)
        out = [
            {**r, "label": "PER"} for r in rows
            if r["canonical"] not in groups and (matching is None or r["canonical"] in matching)
        ]
        wanted = {tuple(m) for m in groups.values() if matching is None or matching.intersection(m)}
        for facts in self._person_groups(wanted).values():
            out.append({"canonical": facts["canonical"], "label": "PER", "n_mentions": facts["n_mentions"],
                        "n_articles": facts["n_articles"]})
        return out

    def _person_groups(self, groups: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], dict[str, Any]]:
        """For each group of PER names of one person: canonical (the spelling French articles use most, else the
        most used), n_mentions and n_articles over its names."""
        groups = list(groups)
        names = sorted({n for g in groups for n in g})
        mentions: dict[str, list[int]] = {}
        articles: dict[str, set[str]] = {}
        for chunk in _chunks(names):
            for r in self._rows(
                "SELECT x.canonical AS canonical, x.article_id AS article_id, COUNT(*) AS n, "
                "SUM(CASE WHEN a.language = 'fr' THEN 1 ELSE 0 END) AS n_fr FROM entities x "
                f"JOIN articles a ON a.id = x.article_id WHERE x.label = 'PER' AND x.canonical IN ({_marks(len(chunk))}) "
                "GROUP BY x.canonical, x.article_id",
                chunk,
            ):
                counts = mentions.setdefault(r["canonical"], [0, 0])
                counts[0] += int(r["n"])
                counts[1] += int(r["n_fr"] or 0)
                articles.setdefault(r["canonical"], set()).add(r["article_id"])
        out = {}
        for g in groups:
            seen = [n for n in g if n in mentions]
            if not seen:
                continue
            out[g] = {
                "canonical": display_name((n, mentions[n][0], mentions[n][1]) for n in seen),
                "n_mentions": sum(mentions[n][0] for n in seen),
                "n_articles": len(set().union(*(articles[n] for n in seen))),
            }
        return out

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

    def _person_names(self, name: str) -> list[str]:
        """The stored PER names of the person `name` is (`vigie.store.speakers.person_key`), `name` included;
        [name] when `name` is stored with other labels only, or no other spelling matches."""
        if person_key(name) is None:
            return [name]
        labels = {r["label"] for r in self._rows("SELECT DISTINCT label FROM entities WHERE canonical = ?", (name,))}
        if labels and "PER" not in labels:
            return [name]
        stored = [r["canonical"] for r in self._rows("SELECT DISTINCT canonical FROM entities WHERE label = 'PER'")]
        return group_persons([*stored, name]).get(name, [name])

    def get_entity(self, canonical: str, limit: int = 100) -> dict[str, Any] | None:
        """canonical, labels (most used first), n_mentions, n_articles, mentions_by_day [{day, n}] (day of
        publication), articles [{id, title, published}], quotes (as speaker, with article_id),
        events_as_source, events_as_target. Lists hold at most `limit` items (newest articles and quotes,
        earliest events); None when the name is nowhere in the store.

        A person is read with every spelling of its name in the store (`list_entities`): "Vladimir Putin" and
        "Vladimir Poutine" give one page, under the spelling French articles use most."""
        with self._snapshot():
            name = self._resolve_entity(canonical.strip())
            if name is None:
                return None
            names = self._person_names(name)
            shown = name
            if len(names) > 1:
                shown = self._person_groups([tuple(names)]).get(tuple(names), {}).get("canonical", name)
            marks = _marks(len(names))
            labels = self._rows(
                f"SELECT label, COUNT(*) AS n FROM entities WHERE canonical IN ({marks}) GROUP BY label "
                "ORDER BY n DESC, label",
                names,
            )
            totals = self._rows(
                "SELECT COUNT(*) AS n_mentions, COUNT(DISTINCT article_id) AS n_articles FROM entities "
                f"WHERE canonical IN ({marks})",
                names,
            )[0]
            by_day = self._rows(
                "SELECT substr(a.published, 1, 10) AS day, COUNT(*) AS n FROM entities x "
                f"JOIN articles a ON a.id = x.article_id WHERE x.canonical IN ({marks}) AND a.published IS NOT NULL "
                "GROUP BY substr(a.published, 1, 10) ORDER BY 1",
                names,
            )
            articles = self._article_refs(
                f"a.id IN (SELECT article_id FROM entities WHERE canonical IN ({marks}))", names, limit
            )
            speakers = sorted({s for n in names for s in self._speaker_group(n)})
            return {
                "canonical": shown,
                "labels": [r["label"] for r in labels],
                "n_mentions": int(totals["n_mentions"]),
                "n_articles": int(totals["n_articles"]),
                "mentions_by_day": by_day,
                "articles": articles,
                "quotes": self._quotes(speakers, limit),
                "events_as_source": self._events(f"e.source IN ({marks})", names, limit),
                "events_as_target": self._events(f"e.target IN ({marks})", names, limit),
            }

    def list_quotes(self, speaker: str | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quote dicts plus article_id, idx, article_title, published; newest articles first, then in text order.
        `speaker` is a speaker's name: its quotes and those of the names grouped with it ("Barack Obama" and
        "Obama": `vigie.store.speakers`)."""
        return self._quotes(self._speaker_group(speaker) if speaker else None, limit, offset)

    def _quotes(self, speakers: list[str] | None, limit: int, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes of the `speakers` (every quote when None), newest articles first, then in text order."""
        where, params = ("1 = 1", [])
        if speakers is not None:
            where, params = f"q.speaker IN ({_marks(len(speakers))})", list(speakers)
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

    def _place_rows(self, keys: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """For each place key: its distinct stored resolutions (name, country, kind, lat, lon, geonames_id) with
        their mentions `n` and their mentions in French articles `n_fr`. Keys go in batches of IN lists (one pass
        over the places each), or, when there are many, in one pass over all of them."""
        wanted = set(keys)
        if not wanted:
            return {}
        batches = (
            [("1 = 1", [])] if len(wanted) > _KEY_SCAN
            else [keys_in(chunk, "p") for chunk in _chunks(sorted(wanted), _KEY_CHUNK)]
        )
        seen: dict[tuple[Any, ...], dict[str, Any]] = {}
        for cond, params in batches:
            for r in self._rows(
                "SELECT p.name AS name, p.country AS country, p.kind AS kind, p.lat AS lat, p.lon AS lon, "
                "p.geonames_id AS geonames_id, COUNT(*) AS n, "
                f"SUM(CASE WHEN {_FRENCH_ARTICLE} THEN 1 ELSE 0 END) AS n_fr "
                f"FROM places p WHERE p.name IS NOT NULL AND ({cond}) "
                "GROUP BY p.name, p.country, p.kind, p.lat, p.lon, p.geonames_id",
                params,
            ):
                key = place_key(r["name"], r["country"], r["kind"], r["geonames_id"])
                if key in wanted:  # a batch's name list may bring other places' rows, maybe twice
                    r["n"], r["n_fr"], r["key"] = int(r["n"]), int(r["n_fr"] or 0), key
                    seen[(r["name"], r["country"], r["kind"], r["lat"], r["lon"], r["geonames_id"])] = r
        out: dict[str, list[dict[str, Any]]] = {}
        for r in seen.values():
            out.setdefault(r.pop("key"), []).append(r)
        return out

    def _place_details(self, keys: Iterable[str], country: str | None = None) -> dict[str, dict[str, Any]]:
        """For each place key: key, name (its French name: `places_names.display_name`), country, kind, lat,
        lon, geonames_id (its most frequent resolution with coordinates, in `country` when given)."""
        return {key: _details(key, rows, country) for key, rows in self._place_rows(keys).items()}

    def _place_keys(self, value: str, every: bool = False) -> list[str]:
        """The place keys a name stands for, most mentioned first: the key itself when `value` is one; else the
        places stored under that name (exactly, then without case and accents: "Kyiv" and "Kiev" in stores
        of any vigie version), else those an article wrote that way (`places.text`: "Kyiv" finds the place
        stored as "Kiev"). Only the most mentioned unless `every`."""
        if not value:
            return []
        if is_key(value):
            cond, params = key_condition(value, "p")
            return [value] if self._rows(f"SELECT 1 AS x FROM places p WHERE {cond} LIMIT 1", params) else []
        for where in (
            "p.name = ?",
            "vigie_fold(p.name) = vigie_fold(?)",
            "vigie_fold(p.text) = vigie_fold(?)",
        ):
            rows = self._rows(
                f"SELECT {_PLACE_KEY} AS pkey, COUNT(*) AS n FROM places p "
                f"WHERE p.name IS NOT NULL AND {where} GROUP BY {_PLACE_KEY}",
                (value,),
            )
            if rows:
                ranked = sorted(rows, key=lambda r: (-int(r["n"]), r["pkey"]))
                return [r["pkey"] for r in (ranked if every else ranked[:1])]
        return []

    def _place_pairs(self, keys: list[str]) -> set[tuple[str, str | None]]:
        """The (name, country) pairs stored for the places of `keys`: what events' locations name them by."""
        out: set[tuple[str, str | None]] = set()
        for rows in self._place_rows(keys).values():
            out.update((r["name"], r["country"]) for r in rows)
        return out

    def _pair_keys(self, names: Iterable[str]) -> dict[tuple[str, str | None], dict[str, int]]:
        """For each stored (name, country) pair of `names` (compared as `places_names.same_form` writes them):
        the place keys it was resolved to, with their mentions."""
        wanted = {v for name in names for v in (name, same_form(name))}
        out: dict[tuple[str, str | None], dict[str, int]] = {}
        for chunk in _chunks(sorted(wanted)):
            for r in self._rows(
                "SELECT p.name AS name, p.country AS country, p.kind AS kind, p.geonames_id AS geonames_id, "
                f"COUNT(*) AS n FROM places p WHERE p.name IN ({_marks(len(chunk))}) "
                "GROUP BY p.name, p.country, p.kind, p.geonames_id",
                chunk,
            ):
                key = place_key(r["name"], r["country"], r["kind"], r["geonames_id"])
                if key is not None:
                    slot = out.setdefault((same_form(r["name"]), r["country"]), {})
                    slot[key] = slot.get(key, 0) + int(r["n"])
        return out

    def list_places(self, country: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Resolved places, most mentioned first: key, name, country, kind, lat, lon, geonames_id, n_mentions,
        n_articles. One row per place (`vigie.store.places_names`: a GeoNames entry, a country by its ISO code),
        whatever the languages its articles name it in, shown under its French name; kind and coordinates are
        its most frequent resolution."""
        cc = country.strip().upper() if country else None
        where, params = ("p.name IS NOT NULL AND p.country = ?", [cc]) if cc else ("p.name IS NOT NULL", [])
        rows = self._rows(
            f"SELECT {_PLACE_KEY} AS pkey, COUNT(*) AS n_mentions, COUNT(DISTINCT p.article_id) AS n_articles, "
            f"MIN(p.name) AS first_name FROM places p WHERE {where} GROUP BY {_PLACE_KEY} "
            "ORDER BY n_mentions DESC, n_articles DESC, first_name, pkey LIMIT ? OFFSET ?",
            (*params, max(int(limit), 0), max(int(offset), 0)),
        )
        details = self._place_details([r["pkey"] for r in rows], cc)
        out = []
        for r in rows:
            d = details.get(r["pkey"]) or {"key": r["pkey"], "name": r["first_name"]}
            out.append(
                {
                    "key": r["pkey"],
                    "name": d["name"],
                    "country": d.get("country"),
                    "kind": d.get("kind"),
                    "lat": d.get("lat"),
                    "lon": d.get("lon"),
                    "geonames_id": d.get("geonames_id"),
                    "n_mentions": int(r["n_mentions"]),
                    "n_articles": int(r["n_articles"]),
                }
            )
        return out

    def get_place(self, name: str, limit: int = 100) -> dict[str, Any] | None:
        """key, name, country, kind, lat, lon, geonames_id, names (the forms articles wrote it in, most used
        first), n_mentions, n_articles, articles [{id, title, published}] (newest first), events (located there,
        earliest first); at most `limit` of each.

        `name` is a place key (as `list_places` gives it) or a name: the place stored under it (exactly, else
        without case and accents, else as an article wrote it; the most mentioned when several places share
        it). The place gathers its mentions in every language ("Kiev", "Kyiv"); None when nothing matches."""
        with self._snapshot():
            keys = self._place_keys(name.strip())
            if not keys:
                return None
            key = keys[0]
            cond, params = key_condition(key, "p")
            mentions = self._rows(
                "SELECT p.article_id AS article_id, p.text AS text, p.name AS name, p.country AS country, "
                "p.kind AS kind, p.lat AS lat, p.lon AS lon, p.geonames_id AS geonames_id, "
                f"CASE WHEN {_FRENCH_ARTICLE} THEN 1 ELSE 0 END AS fr "
                f"FROM places p WHERE p.name IS NOT NULL AND ({cond})",
                params,
            )
            resolutions: dict[tuple[Any, ...], dict[str, Any]] = {}
            forms: dict[str, int] = {}
            for m in mentions:
                r = resolutions.setdefault(
                    tuple(m[k] for k in ("name", "country", "kind", "lat", "lon", "geonames_id")),
                    {**{k: m[k] for k in ("name", "country", "kind", "lat", "lon", "geonames_id")}, "n": 0, "n_fr": 0},
                )
                r["n"] += 1
                r["n_fr"] += int(m["fr"])
                forms[m["text"]] = forms.get(m["text"], 0) + 1
            details = _details(key, list(resolutions.values()))
            located, located_params = location_clause({(r["name"], r["country"]) for r in resolutions.values()})
            return {
                **details,
                "names": sorted(forms, key=lambda t: (-forms[t], t))[: max(int(limit), 0)],
                "n_mentions": len(mentions),
                "n_articles": len({m["article_id"] for m in mentions}),
                "articles": self._article_refs(
                    f"a.id IN (SELECT p.article_id FROM places p WHERE p.name IS NOT NULL AND ({cond}))", params, limit
                ),
                "events": self._events(located, located_params, limit),
            }


def _details(key: str, rows: list[dict[str, Any]], country: str | None = None) -> dict[str, Any]:
    """A place key's name and resolution from its stored resolutions (name, country, kind, lat, lon,
    geonames_id, n, n_fr)."""
    names: dict[str, list[int]] = {}
    for r in rows:
        counts = names.setdefault(r["name"], [0, 0])
        counts[0] += int(r["n"])
        counts[1] += int(r["n_fr"])
    best = _best_resolution(rows, country) or {}
    return {
        "key": key,
        "name": display_name((name, n, n_fr) for name, (n, n_fr) in names.items()),
        "country": best.get("country"),
        "kind": best.get("kind"),
        "lat": best.get("lat"),
        "lon": best.get("lon"),
        "geonames_id": best.get("geonames_id"),
    }


def _key_of_pair(
    pair_keys: dict[tuple[str, str | None], dict[str, int]], name: str, country: str | None
) -> str | None:
    """The place key of an event location (name, country): the pair's most mentioned key; without a country,
    the name's when it names one place only."""
    counts = pair_keys.get((same_form(name), country))
    if not counts and country is None:
        merged: dict[str, int] = {}
        for (n, _), c in pair_keys.items():
            if n == same_form(name):
                for k, v in c.items():
                    merged[k] = merged.get(k, 0) + v
        counts = merged if len(merged) == 1 else None
    if not counts:
        return None
    return min(counts, key=lambda k: (-counts[k], k))


def _best_resolution(candidates: list[dict[str, Any]], country: str | None) -> dict[str, Any] | None:
    """The most frequent resolution with coordinates (country, kind, lat, lon, geonames_id summed over the
    names it was stored under), preferring `country`."""
    if country is not None:
        candidates = [c for c in candidates if c["country"] == country] or candidates
    merged: dict[tuple, dict[str, Any]] = {}
    for c in candidates:
        k = (c["country"], c["kind"], c["lat"], c["lon"], c["geonames_id"])
        m = merged.setdefault(k, {**c, "n": 0})
        m["n"] += int(c["n"])
    if not merged:
        return None
    # with coordinates first, then most mentions; the gazetteer id breaks ties deterministically
    return min(merged.values(), key=lambda c: (c["lat"] is None, -int(c["n"]), c["geonames_id"] or 0, c["kind"] or "",
                                               c["country"] or ""))
