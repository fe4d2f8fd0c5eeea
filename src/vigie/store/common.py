"""What every store backend shares: the table layout derived from the model dataclasses, the content hash,
and the accent- and case-folding used by name filters.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import fields
from datetime import datetime, timezone
from typing import Any

from vigie.records import Article, EntityMention, Event, Measure, Place, Quantity, Quote, TimeExpr

#: Version of the store schema, the same on every backend (schema.sql, schema_pg.sql).
#: 1: articles, entities, removed lines, errors, full-text index. 2: quotes, dates, quantities, places, events.
#: 3: articles.input_digest (what the reader gave), so that a rerun skips stored articles before the NLP.
#: 4: measures ("80 kg", "12 km"), apart from quantities.
#: 5: deduplication: fingerprints (vigie.dedup) and article_sources (a duplicate's link to its original, with its
#: source, URL and date).
#: 6: stories: article_stories (an original's story id and the features it was placed with, vigie.stories).
#: 7: events across articles: crossdoc_events and crossdoc_mentions (vigie.events.crossdoc, vigie.steps.crossdoc).
#: 8: `vigie watch`: watch_sources (feed and sitemap documents, their validators) and watch_items (article URLs seen).
#: 9: an index of places by GeoNames id (places are read by id across languages).
#: 10: one search over articles, quotes, entities and events, by stem (search_fts on SQLite, search_docs on
#: PostgreSQL: vigie.store.search_all).
#: 11: saved searches and the alerts sent for them (saved_searches, alerts_sent: vigie.store.alerts, vigie.alerts).
SCHEMA_VERSION = 11

#: The comment that opens the cross-document tables in schema.sql and schema_pg.sql (version 6 -> 7 creates them).
CROSSDOC_SECTION = "-- Events across articles (schema version 7"
#: The comment that opens the tables of `vigie watch` (version 7 -> 8 creates them).
WATCH_SECTION = "-- Watched sources and items (schema version 8"
#: The comment that opens the GeoNames index (version 8 -> 9 creates it).
PLACES_INDEX_SECTION = "-- Places by GeoNames id (schema version 9"
#: The comment that opens the search index (version 9 -> 10 creates and fills it).
SEARCH_SECTION = "-- One search over articles, quotes, entities and events (schema version 10"
#: The comment that opens the saved searches and alerts (version 10 -> 11 creates them).
ALERTS_SECTION = "-- Saved searches and alerts (schema version 11"


def schema_section(schema: str, marker: str, until: str | None = None) -> list[str]:
    """The statements of a schema file from the comment `marker` to the comment `until` (None: to its end),
    comments dropped: what a migration to the version that added them runs on an older database (every statement
    is CREATE ... IF NOT EXISTS)."""
    at = schema.index(marker)
    end = schema.index(until, at) if until is not None else len(schema)
    body = "\n".join(line for line in schema[at:end].splitlines() if not line.lstrip().startswith("--"))
    return [" ".join(part.split()) for part in re.sub(r"--[^\n]*", "", body).split(";") if part.strip()]

#: Adds the input digest column (version 2 -> 3); the same statement on every backend.
ADD_INPUT_DIGEST = "ALTER TABLE articles ADD COLUMN input_digest TEXT"


def needs_upgrade(where: str, version: int) -> bool:
    """True when a database at schema `version` must be created (0) or migrated; refuses a newer one."""
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"{where}: database schema version {version} is newer than this vigie "
            f"understands ({SCHEMA_VERSION}); upgrade vigie"
        )
    return version != SCHEMA_VERSION


def run_migrations(conn: Any, version: int, migrations: dict[int, Any]) -> None:
    """Apply the migrations from `version` up to SCHEMA_VERSION (each keyed by the version it upgrades)."""
    for v in range(version, SCHEMA_VERSION):
        step = migrations.get(v)
        if step is None:
            raise RuntimeError(f"no migration from schema version {v} to {v + 1}")
        step(conn)

#: Article list attribute -> (table, dataclass). Each table's columns are the dataclass's fields, plus
#: article_id and idx (the position in the list), so storing and reading back are one generic loop.
ANNOTATION_TABLES: dict[str, tuple[str, type]] = {
    "entities": ("entities", EntityMention),
    "quotes": ("quotes", Quote),
    "dates": ("dates", TimeExpr),
    "quantities": ("quantities", Quantity),
    "measures": ("measures", Measure),
    "places": ("places", Place),
    "events": ("events", Event),
}

#: Areas stored since a later schema version (measures: 4). They enter the content hash only when not empty, so
#: that an article stored before, without them, keeps its hash: analysed again, it is "unchanged" unless it has some.
LATER_AREAS = frozenset({"measures"})

#: Columns of the articles table that reads return (seq, the ingestion order, stays internal).
ARTICLE_COLUMNS = (
    "id",
    "url",
    "title",
    "source",
    "author",
    "published",
    "language",
    "language_score",
    "raw",
    "text",
    "origin",
    "meta",
    "n_removed_lines",
    "content_hash",
    "ingested_at",
    "updated_at",
)

#: Shortest id prefix that `resolve_id` accepts (12-hex-digit ids: 6 digits are unique in practice).
MIN_PREFIX_LEN = 6


class AmbiguousIdError(LookupError):
    """An id prefix matches more than one article."""

    def __init__(self, prefix: str, matches: list[str]):
        self.prefix = prefix
        self.matches = matches
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        super().__init__(f"id prefix {prefix!r} is ambiguous: matches {shown}")


def columns(model: type) -> list[str]:
    return [f.name for f in fields(model)]


def column_list(model: type, alias: str = "") -> str:
    """Quoted column names of a model's table ("start"/"end" are SQL keywords), optionally table-qualified."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{c}"' for c in columns(model))


def json_columns(model: type) -> list[str]:
    # list-valued fields (event contexts, mention spans) are stored as JSON
    return [f.name for f in fields(model) if str(f.type).startswith("list")]


def bool_columns(model: type) -> list[str]:
    return [f.name for f in fields(model) if str(f.type) == "bool"]


def decode_item(model: type, item: dict[str, Any]) -> dict[str, Any]:
    """Give a row read from a model's table the Python types of the dataclass (in place; returns it).

    SQLite has no boolean type and keeps JSON as text; PostgreSQL already returns bool and parsed JSONB.
    """
    for c in bool_columns(model):
        if item.get(c) is not None:
            item[c] = bool(item[c])
    for c in json_columns(model):
        if isinstance(item.get(c), str):
            item[c] = json.loads(item[c])
    return item


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def content_hash(article: Article) -> str:
    """Hash of everything the store keeps for an article (text, metadata and annotations).

    Two passes over the same input give the same hash, so the second one is reported "unchanged"
    and nothing is rewritten. Any difference (a new entity, another title, another original...) gives a new hash.
    The fingerprint is not part of it: it follows from the text.
    """
    payload: dict[str, Any] = {
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "published": article.published,
        "language": article.language,
        "language_score": article.language_score,
        "raw": article.raw,
        "text": article.text,
        "origin": article.origin,
        "meta": article.meta,
        **{
            area: [[getattr(item, c) for c in columns(model)] for item in getattr(article, area)]
            for area, (_, model) in ANNOTATION_TABLES.items()
            if area not in LATER_AREAS or getattr(article, area)
        },
        "removed_lines": [[r.line_no, r.text, r.reason] for r in article.removed_lines],
    }
    if article.duplicate is not None:  # only then: an original keeps the hash it had before schema 5
        dup = article.duplicate
        payload["duplicate"] = [dup.of, dup.method, round(dup.similarity, 4)]
    return hashlib.sha256(dumps(payload).encode("utf-8")).hexdigest()


def fold(value: str | None) -> str | None:
    """Lower-case and strip accents ("Élisabeth" -> "elisabeth"): SQLite's ``vigie_fold`` SQL function.

    PostgreSQL's ``vigie_fold`` is ``lower(unaccent(...))``; both sides of a comparison are always folded
    by the same backend, so small differences between the two (œ, ß) never make a filter miss.
    """
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def like_escape(value: str) -> str:
    """Escape LIKE wildcards in user input (used with ``ESCAPE '\\'``)."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def sanitize(text: str) -> str:
    """Lone surrogates (undecodable bytes in argv) cannot be sent to a database: replace them."""
    return text.encode("utf-8", "replace").decode("utf-8")


_MAX_QUERY_TERMS = 64
# A double-quoted phrase (optionally followed by *), or a run of non-space characters.
_QUERY_TOKEN = re.compile(r'"([^"]*)"(\*?)|(\S+)')
_WORD = re.compile(r"\w")
# Control characters (NUL above all: it would cut a query string short) become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_terms(query: str) -> list[tuple[str, bool]]:
    """What a user typed in a search box, as (term, is_prefix) pairs that every term must match.

    A double-quoted phrase stays one term; a trailing ``*`` on a word or phrase makes it a prefix search.
    Terms with no word character are dropped (tokenizers ignore them), and so are terms past the 64th.
    Operators (AND, NEAR, ``:``...) are never syntax: each backend quotes every term.
    """
    terms: list[tuple[str, bool]] = []
    for phrase, phrase_star, word in _QUERY_TOKEN.findall(_CONTROL.sub(" ", sanitize(query or ""))):
        if word:
            prefix = word.endswith("*")
            term = word.rstrip("*")
        else:
            prefix = bool(phrase_star)
            term = phrase
        if not _WORD.search(term):
            continue
        terms.append((term, prefix))
        if len(terms) >= _MAX_QUERY_TERMS:
            break
    return terms


def to_article(row: dict[str, Any]) -> Article:
    """The `Article` a stored article dict (from get_article / iter_articles) was made from."""
    from vigie.records import RemovedLine

    optional: dict[str, Any] = {
        k: row.get(k) for k in ("url", "title", "source", "author", "published", "language", "language_score")
    }
    art = Article(
        id=row["id"],
        raw=row.get("raw") or "",
        origin=row.get("origin") or "",
        text=row.get("text") or "",
        meta=dict(row.get("meta") or {}),
        removed_lines=[RemovedLine(r["line_no"], r["text"], r["reason"]) for r in row.get("removed_lines", [])],
        **optional,
    )
    for area, (_, model) in ANNOTATION_TABLES.items():
        names = columns(model)
        setattr(art, area, [model(**{c: item[c] for c in names}) for item in row.get(area, [])])
    return art
