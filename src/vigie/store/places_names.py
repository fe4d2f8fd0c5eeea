"""One place across languages: the key that reads group stored places by, and the name they show it under.

Each article stores its places as it resolved them (`places`: the surface form in `text`, the resolved `name`,
`country`, `kind`, `geonames_id`), and each event its `location` (a place name of the same article) and
`location_country`. The gazetteer's names differ by article and by vigie version: an English article stored
before issue 16 says "Kyiv", "Russia", "United States" where a French one says "Kiev", "Russie", "États-Unis",
and a French article names a city that has no usual French name as the article writes it ("Kharkov",
"Kharkiv"). Reads therefore never group places by name but by a key:

- a country: ``country:<ISO 3166-1 alpha-2>`` (whatever its GeoNames id, and countries CLDR alone knows have none);
- any other place with a GeoNames id: ``geonames:<id>`` (cities, US states, continents);
- else (curated regions and features without an id, "mer Rouge"): ``name:<country>:<name>``, the name as stored.

A key is shown under its French name: the name French articles give it most often, else the name stored most
often (since issue 16 the resolver stores the French name for articles of every language, so older English
rows are the only others). `place_key_sql` computes the key in SQL (both engines), `place_key` in Python;
`key_condition` is an SQL condition that selects a key's rows (the key expression itself, behind conditions
an index can use), `keys_in` one that selects at least the rows of many keys in one pass. Events are tied to
keys through their location's (name, country) pair, which is a place name of the event's own article:
`location_clause` is the condition on events located at given pairs.

Without an index on ``places.geonames_id`` a key's rows are found by a pass over the places table; with one,
through the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vigie.nlp.model_text import MODEL_CHAR_MAP


def place_key_sql(alias: str = "p") -> str:
    """SQL expression of a place row's key (``?``-free, so it can sit in GROUP BY and SELECT alike)."""
    p = alias
    return (
        f"(CASE WHEN {p}.kind = 'country' AND {p}.country IS NOT NULL THEN 'country:' || {p}.country "
        f"WHEN {p}.geonames_id IS NOT NULL THEN 'geonames:' || CAST({p}.geonames_id AS TEXT) "
        f"ELSE 'name:' || COALESCE({p}.country, '') || ':' || {p}.name END)"
    )


def place_key(name: str | None, country: str | None, kind: str | None, geonames_id: int | None) -> str | None:
    """The key of a stored place (None for an unresolved one)."""
    if name is None:
        return None
    if kind == "country" and country:
        return f"country:{country}"
    if geonames_id is not None:
        return f"geonames:{int(geonames_id)}"
    return f"name:{country or ''}:{name}"


def is_key(value: str) -> bool:
    """A key as `place_key` writes it ("geonames:703448", "country:US", "name::mer Rouge")."""
    head, sep, rest = value.partition(":")
    if not sep or not rest:
        return False
    if head == "country":
        return len(rest) == 2 and rest.isalpha() and rest.isupper()
    if head == "geonames":
        return rest.isdigit()
    return head == "name" and ":" in rest and bool(rest.partition(":")[2])


def key_condition(key: str, alias: str = "p") -> tuple[str, list[Any]]:
    """SQL condition (over places ``alias``) selecting the rows of `key`, and its parameters."""
    p = alias
    head, _, rest = key.partition(":")
    if head == "country":
        return f"{p}.country = ? AND {p}.kind = 'country'", [rest]
    if head == "geonames":
        return f"{p}.geonames_id = ? AND {place_key_sql(p)} = ?", [int(rest), key]
    country, _, name = rest.partition(":")
    return f"{p}.name = ? AND {place_key_sql(p)} = ?", [name, key]


def keys_in(keys: Iterable[str], alias: str = "p") -> tuple[str, list[Any]]:
    """SQL condition selecting at least the rows of `keys` in one pass (IN lists of GeoNames ids, country codes
    and names, each served by an index where there is one); other rows may come along: the caller keeps the
    rows whose `place_key` is wanted."""
    p = alias
    ids: list[Any] = []
    countries: list[Any] = []
    names: list[Any] = []
    for key in sorted(set(keys)):
        head, _, rest = key.partition(":")
        if head == "country":
            countries.append(rest)
        elif head == "geonames":
            ids.append(int(rest))
        else:
            names.append(rest.partition(":")[2])
    parts: list[str] = []
    params: list[Any] = []
    for sql, values in ((f"{p}.geonames_id IN", ids), (f"{p}.kind = 'country' AND {p}.country IN", countries),
                        (f"{p}.name IN", names)):
        if values:
            parts.append(f"({sql} ({', '.join('?' * len(values))}))")
            params += values
    return (" OR ".join(parts) if parts else "1 = 0"), params


def same_form(name: str) -> str:
    """A location as the model saw it: an event's location is its place's name written as the article writes
    it (typographic apostrophes, non-breaking spaces), so names are compared in this form."""
    return name.translate(MODEL_CHAR_MAP)


def display_name(counts: Iterable[tuple[str, int, int]]) -> str:
    """The name a key is shown under, from (name, mentions, mentions in French articles): the most used in
    French articles, else the most used; ties by name."""
    rows = list(counts)
    return min(rows, key=lambda r: (-r[2], -r[1], r[0]))[0]


def location_clause(pairs: Iterable[tuple[str, str | None]], alias: str = "e") -> tuple[str, list[Any]]:
    """SQL condition on events ``alias``: located at one of the (name, country) pairs (names in both
    apostrophe styles: an event's location is written with the article's characters)."""
    e = alias
    parts, params = [], []
    for name, country in sorted(set(pairs), key=lambda nc: (nc[0], nc[1] or "")):
        names = sorted({name, same_form(name), name.replace("'", "’")})
        marks = ", ".join("?" * len(names))
        if country is None:
            parts.append(f"({e}.location IN ({marks}) AND {e}.location_country IS NULL)")
            params += names
        else:
            parts.append(f"({e}.location IN ({marks}) AND {e}.location_country = ?)")
            params += [*names, country]
    return (" OR ".join(parts) if parts else "1 = 0"), params


__all__ = [
    "display_name",
    "is_key",
    "key_condition",
    "keys_in",
    "location_clause",
    "place_key",
    "place_key_sql",
    "same_form",
]
