"""The part of the store that is the same SQL on SQLite and PostgreSQL: writes, article reads, errors, stats.

A backend subclasses `SQLStore` and supplies the connection plumbing (`_transaction`, `_snapshot`, `_rows`),
how JSON values are sent (`_json_param`), `search`, and what `stats` says about the database itself.
SQL is written with ``?`` placeholders; the PostgreSQL backend rewrites them for its driver.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

from vigie.records import Article, ArticleError, Fingerprint
from vigie.store.alerts import AlertQueries
from vigie.store.common import (
    ANNOTATION_TABLES,
    ARTICLE_COLUMNS,
    MIN_PREFIX_LEN,
    AmbiguousIdError,
    column_list,
    columns,
    content_hash,
    decode_item,
    now,
    sanitize,
)
from vigie.store.crossdoc import LINK_FIELDS, CrossDocQueries
from vigie.store.queries import BrowseQueries
from vigie.store.search import SEARCH_TIMEOUT
from vigie.store.watch import WatchQueries

_ARTICLE_SELECT = ", ".join(ARTICLE_COLUMNS)
# Article attributes stored as they are, then every column an upsert writes (id, seq and timestamps apart).
_COPIED_FIELDS = (
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
)
_WRITTEN_COLUMNS = (*_COPIED_FIELDS, "meta", "n_removed_lines", "content_hash", "input_digest")


class SQLStore(BrowseQueries, CrossDocQueries, WatchQueries, AlertQueries):
    """Shared implementation of the `vigie.store.base.Store` protocol over a DB-API connection."""

    #: SQL giving a new article's ``seq`` on insert, or None when the database numbers rows itself.
    _NEXT_SEQ: str | None = None

    def __init__(self) -> None:
        # One connection per store, shared by the threads of a web server: every statement and
        # transaction holds this lock, so two threads never interleave on the connection.
        self._lock = threading.RLock()

    # ------------------------------------------------------------------ backend hooks

    def _transaction(self) -> AbstractContextManager[Any]:
        """A write transaction; yields an object with execute(sql, params) / executemany (``?`` placeholders)."""
        raise NotImplementedError

    def _json_param(self, value: Any) -> Any:
        raise NotImplementedError

    def _lock_article(self, conn: Any, article_id: str) -> None:
        """Serialise concurrent writers of the same article (no-op when the database has one writer)."""

    @property
    def schema_version(self) -> int:
        raise NotImplementedError

    def search(self, query: str, limit: int = 20, timeout: float = SEARCH_TIMEOUT) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _index_for_search(self, conn: Any, article_id: str) -> None:
        """Rewrite the search index of one stored article and its annotations (`vigie.store.search_all`)."""
        raise NotImplementedError

    def _database_stats(self) -> dict[str, Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ writes

    def upsert_article(self, article: Article) -> str:
        """Store an article and replace all its annotations, in one transaction.

        Returns "new", "updated" or "unchanged". Any error rolls back this article only and
        re-raises; what was stored before stays as it was.

        A duplicate (`article.duplicate`, set by the dedup step) is stored with its text and metadata and no
        annotations (it was not analysed), linked to its original in `article_sources` (its source, URL and
        date then count for the original). Its original must be stored: LookupError otherwise (the original's
        analysis failed, say; a rerun tries both again). An original that has become a duplicate hands its own
        duplicates over to its original; a duplicate that has become an original loses its link.
        """
        with self._transaction() as conn:
            self._lock_article(conn, article.id)
            if article.duplicate is not None:
                root = self._original_of(conn, article.duplicate.of)
                if root == article.id:  # its own copy's copy: it stays the original
                    article.duplicate = None
                elif root != article.duplicate.of:
                    article.duplicate = replace(article.duplicate, of=root)
            digest = content_hash(article)
            row = conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is None:
                status = "new"
            elif row[0] == digest:
                status = "unchanged"
            else:
                status = "updated"
            if status != "unchanged":
                self._write_article_row(conn, article, digest, exists=row is not None)
                self._replace_annotations(conn, article)
                self._write_duplicate_link(conn, article)
                self._index_for_search(conn, article.id)
            elif article.input_digest is not None:  # a row stored before schema 3, or read anew with --force
                conn.execute("UPDATE articles SET input_digest = ? WHERE id = ?", (article.input_digest, article.id))
            if article.fingerprint is not None:
                self._write_fingerprints(conn, [(article.id, article.fingerprint)])
            self._clear_errors(conn, article)
        return status

    def _original_of(self, conn: Any, article_id: str) -> str:
        """The stored original `article_id` stands for: itself, or the original it duplicates."""
        row = conn.execute("SELECT article_id FROM article_sources WHERE duplicate_id = ?", (article_id,)).fetchone()
        root = row[0] if row is not None else article_id
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", (root,)).fetchone() is None:
            raise LookupError(f"duplicate of {root}, which is not stored (its analysis failed?)")
        return root

    def _write_duplicate_link(self, conn: Any, article: Article) -> None:
        conn.execute("DELETE FROM article_sources WHERE duplicate_id = ?", (article.id,))
        dup = article.duplicate
        if dup is None:
            return
        conn.execute("DELETE FROM article_stories WHERE article_id = ?", (article.id,))  # it takes its original's
        # it may have been an original with duplicates of its own: they now belong to its original
        conn.execute("UPDATE article_sources SET article_id = ? WHERE article_id = ?", (dup.of, article.id))
        conn.execute(
            "INSERT INTO article_sources (duplicate_id, article_id, source, url, published, method, similarity) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article.id, dup.of, article.source, article.url, article.published, dup.method, dup.similarity),
        )

    def _write_fingerprints(self, conn: Any, items: list[tuple[str, Fingerprint]]) -> None:
        conn.executemany(
            "INSERT INTO fingerprints (article_id, scheme, body_hash, signature, shingles) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET scheme = excluded.scheme, body_hash = excluded.body_hash, "
            "signature = excluded.signature, shingles = excluded.shingles",
            [(article_id, fp.scheme, fp.body_hash, fp.signature, fp.shingles) for article_id, fp in items],
        )

    # ------------------------------------------------------------------ stories (vigie.steps.stories)

    def unplaced_story_ids(self, limit: int = 1000) -> list[str]:
        """Ids of stored originals that have no story yet (at most `limit`), without reading any features."""
        return [r["id"] for r in self._rows(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_stories t WHERE t.article_id = a.id)"
            " AND NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.duplicate_id = a.id) ORDER BY a.seq LIMIT ?",
            (max(int(limit), 1),))]

    def iter_story_rows(
        self, date_from: str | None = None, undated: bool = False, batch_size: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Stored originals (articles that duplicate no other) for story clustering: id, published, story_id,
        scheme and features (the JSON text of `ArticleFeatures.to_dict()`; story_id, scheme and features are None
        for an article never placed). `date_from`: only those published on or after it (YYYY-MM-DD), plus the
        undated ones when `undated`; None: every original. Read in batches, in ingestion order."""
        where = ["NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.duplicate_id = a.id)", "a.seq > ?"]
        params: list[Any] = []
        if date_from is not None:
            where.append("(a.published >= ?" + (" OR a.published IS NULL)" if undated else ")"))
            params.append(date_from)
        elif undated:
            where.append("a.published IS NULL")
        query = (
            "SELECT a.seq, a.id, a.published, t.story_id, t.scheme, t.features "
            f"FROM articles a LEFT JOIN article_stories t ON t.article_id = a.id WHERE {' AND '.join(where)} "
            "ORDER BY a.seq LIMIT ?"
        )
        last = 0
        while True:
            rows = self._rows(query, (last, *params, max(int(batch_size), 1)))
            for row in rows:
                last = row.pop("seq")
                yield row
            if len(rows) < batch_size:
                return

    def save_stories(self, rows: list[tuple[str, str, str | None, str | None]]) -> None:
        """Store (article id, story id, features scheme, features JSON) in one transaction; a row whose scheme and
        features are None changes the article's story id only (its stored features stay)."""
        if not rows:
            return
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO article_stories (article_id, story_id, scheme, features) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                "scheme = COALESCE(excluded.scheme, article_stories.scheme), "
                "features = COALESCE(excluded.features, article_stories.features)",
                rows,
            )

    # ------------------------------------------------------------------ deduplication (vigie.dedup.FingerprintSource)

    def iter_fingerprints(
        self, scheme: str, date_from: str | None = None, date_to: str | None = None, undated: bool = False,
        batch_size: int = 2000,
    ) -> Iterator[dict[str, Any]]:
        """Stored originals (articles that duplicate no other) for the dedup index: id, published, body_hash and
        signature; when the stored fingerprint is missing or of another `scheme`, body_hash and signature are
        None and text is given instead. `undated`: articles without a publication date; `date_from`/`date_to`:
        published in that range (inclusive); neither: every original. Read in batches, no transaction held
        between them (the caller may write fingerprints back meanwhile)."""
        where = ["NOT EXISTS (SELECT 1 FROM article_sources s WHERE s.duplicate_id = a.id)", "a.seq > ?"]
        params: list[Any] = []
        if undated:
            where.append("a.published IS NULL")
        else:
            if date_from is not None:
                where.append("a.published >= ?")
                params.append(date_from)
            if date_to is not None:
                where.append("a.published <= ?")
                params.append(date_to)
        query = (
            "SELECT a.seq, a.id, a.published, f.scheme, f.body_hash, f.signature, "
            "CASE WHEN f.scheme = ? THEN NULL ELSE a.text END AS text "
            f"FROM articles a LEFT JOIN fingerprints f ON f.article_id = a.id WHERE {' AND '.join(where)} "
            "ORDER BY a.seq LIMIT ?"
        )
        last = 0
        while True:
            rows = self._rows(query, (scheme, last, *params, max(int(batch_size), 1)))
            for row in rows:
                last = row.pop("seq")
                if row.pop("scheme") != scheme:
                    row["body_hash"] = row["signature"] = None
                elif row["signature"] is not None:
                    row["signature"] = bytes(row["signature"])
                yield row
            if len(rows) < batch_size:
                return

    def save_fingerprints(self, items: list[tuple[str, Fingerprint]]) -> None:
        """Store fingerprints computed for articles already stored (one transaction)."""
        if items:
            with self._transaction() as conn:
                self._write_fingerprints(conn, items)

    def article_texts(self, ids: list[str]) -> dict[str, str]:
        """id -> cleaned text of the stored articles among `ids`."""
        found: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self._rows(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = row["text"]
        return found

    def stored_input_digest(self, article_id: str) -> str | None:
        """The input digest of the stored article `article_id` (None: not stored, or stored before schema 3)."""
        rows = self._rows("SELECT input_digest FROM articles WHERE id = ?", (article_id,))
        return rows[0]["input_digest"] if rows else None

    def _write_article_row(self, conn: Any, article: Article, digest: str, exists: bool) -> None:
        stamp = now()
        values = [
            *(getattr(article, c) for c in _COPIED_FIELDS),
            self._json_param(article.meta),
            len(article.removed_lines),
            digest,
            article.input_digest,
        ]
        if exists:
            assignments = ", ".join(f"{c} = ?" for c in _WRITTEN_COLUMNS)
            conn.execute(
                f"UPDATE articles SET {assignments}, updated_at = ? WHERE id = ?", (*values, stamp, article.id)
            )
            return
        cols = ["id", *_WRITTEN_COLUMNS, "ingested_at", "updated_at"]
        marks = ["?"] * len(cols)
        if self._NEXT_SEQ:
            cols.append("seq")
            marks.append(self._NEXT_SEQ)
        conn.execute(
            f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join(marks)})",
            (article.id, *values, stamp, stamp),
        )

    def _replace_annotations(self, conn: Any, article: Article) -> None:
        for area, (table, model) in ANNOTATION_TABLES.items():
            # table and column names come from constants, never from input
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article.id,))
            cols = columns(model)
            rows = [
                (article.id, i, *(self._sql_value(getattr(item, c)) for c in cols))
                for i, item in enumerate(getattr(article, area))
            ]
            if rows:
                marks = ", ".join("?" * (len(cols) + 2))
                conn.executemany(f"INSERT INTO {table} (article_id, idx, {column_list(model)}) VALUES ({marks})", rows)
        conn.execute("DELETE FROM removed_lines WHERE article_id = ?", (article.id,))
        if article.removed_lines:
            conn.executemany(
                "INSERT INTO removed_lines (article_id, line_no, text, reason) VALUES (?, ?, ?, ?)",
                [(article.id, r.line_no, r.text, r.reason) for r in article.removed_lines],
            )

    def _sql_value(self, value: Any) -> Any:
        return self._json_param(value) if isinstance(value, (list, dict)) else value

    def _clear_errors(self, conn: Any, article: Article) -> None:
        # The article went through: earlier failures for the same input are obsolete.
        conn.execute("DELETE FROM errors WHERE article_id = ?", (article.id,))
        if article.origin:
            conn.execute("DELETE FROM errors WHERE origin = ?", (article.origin,))

    def record_error(self, err: ArticleError) -> None:
        """Record a per-article failure; the same (origin, stage) bumps count/last_seen instead of duplicating."""
        stamp = now()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO errors (origin, article_id, stage, reason, first_seen, last_seen, count) "
                "VALUES (?, ?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (origin, stage) DO UPDATE SET reason = excluded.reason, "
                "article_id = COALESCE(excluded.article_id, errors.article_id), "
                "last_seen = excluded.last_seen, count = errors.count + 1",
                (err.origin, err.article_id, err.stage, err.reason, stamp, stamp),
            )

    # ------------------------------------------------------------------ articles

    def _article_dict(self, row: dict[str, Any]) -> dict[str, Any]:
        art = dict(row)
        meta = art.get("meta")
        art["meta"] = (json.loads(meta) if isinstance(meta, str) else meta) or {}
        for area, (table, model) in ANNOTATION_TABLES.items():
            art[area] = [
                decode_item(model, r)
                for r in self._rows(
                    f"SELECT {column_list(model)} FROM {table} WHERE article_id = ? ORDER BY idx", (art["id"],)
                )
            ]
        art["removed_lines"] = self._rows(
            "SELECT line_no, text, reason FROM removed_lines WHERE article_id = ? ORDER BY line_no", (art["id"],)
        )
        link = self._rows("SELECT article_id FROM article_sources WHERE duplicate_id = ?", (art["id"],))
        art["duplicate_of"] = link[0]["article_id"] if link else None
        story = self._rows(  # a duplicate takes its original's story
            "SELECT story_id FROM article_stories WHERE article_id = ?", (art["duplicate_of"] or art["id"],)
        )
        art["story_id"] = story[0]["story_id"] if story else None
        linked = self.crossdoc_of_article(art["id"])  # the cross-document event each record belongs to
        for ev in art["events"]:
            ev.update(linked.get((ev["start"], ev["end"]), dict.fromkeys(LINK_FIELDS)))
        own = {"id": art["id"], "source": art.get("source"), "url": art.get("url"), "published": art.get("published"),
               "method": None, "similarity": None}
        art["sources"] = [own] + self._rows(
            "SELECT duplicate_id AS id, source, url, published, method, similarity FROM article_sources "
            "WHERE article_id = ? ORDER BY published, duplicate_id",
            (art["id"],),
        )
        return art

    def resolve_id(self, id_or_prefix: str) -> str | None:
        """Full id for an exact id or a unique prefix (>= 6 chars); None if nothing matches.

        Raises AmbiguousIdError when a prefix matches several articles.
        """
        id_or_prefix = sanitize(id_or_prefix).replace("\x00", "")
        if self._rows("SELECT 1 AS one FROM articles WHERE id = ?", (id_or_prefix,)):
            return id_or_prefix
        if len(id_or_prefix) < MIN_PREFIX_LEN:
            return None
        # Range scan on the primary key (binary collation): ids starting with the prefix sort in
        # [prefix, prefix + U+10FFFF).
        rows = self._rows(
            "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
            (id_or_prefix, id_or_prefix + "\U0010ffff"),
        )
        if not rows:
            return None
        if len(rows) > 1:
            raise AmbiguousIdError(id_or_prefix, [r["id"] for r in rows])
        return rows[0]["id"]

    def get_article(self, id: str) -> dict[str, Any] | None:
        """An article with all its columns, its annotations (entities, quotes, dates, quantities, measures,
        places, events), removed_lines, `duplicate_of` (the original's id, or None), `story_id` (vigie.stories: the
        story's id, a duplicate's being its original's; None before the article is placed) and `sources` (the article's
        own id, source, url and published, then those of its duplicates, with how each matched); accepts a
        unique id prefix (>= 6 chars)."""
        with self._snapshot():
            full_id = self.resolve_id(id)
            if full_id is None:
                return None
            rows = self._rows(f"SELECT {_ARTICLE_SELECT} FROM articles WHERE id = ?", (full_id,))
            return self._article_dict(rows[0]) if rows else None

    def iter_articles(self, batch_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every article (as get_article returns it), in ingestion order, read in batches: memory stays flat
        whatever the size of the store."""
        last = 0
        while True:
            with self._snapshot():
                rows = self._rows(
                    f"SELECT seq, {_ARTICLE_SELECT} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                    (last, max(int(batch_size), 1)),
                )
                batch = []
                for row in rows:
                    last = row.pop("seq")
                    batch.append(self._article_dict(row))
            if not batch:
                return
            yield from batch

    def count_articles(self) -> int:
        return int(self._rows("SELECT COUNT(*) AS n FROM articles")[0]["n"])

    # ------------------------------------------------------------------ housekeeping

    def list_errors(self, limit: int = 50) -> list[dict[str, Any]]:
        """Most recent errors first."""
        return self._rows(
            "SELECT id, origin, article_id, stage, reason, first_seen, last_seen, count "
            "FROM errors ORDER BY last_seen DESC, id DESC LIMIT ?",
            (max(int(limit), 0),),
        )

    def _count(self, table: str) -> int:
        return int(self._rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"])

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts for a quick look at what the store holds; top speakers count a short name with the fullest
        stored name it belongs to ("Obama" with "Barack Obama": `vigie.store.speakers`)."""
        with self._snapshot():
            by_language = {
                (r["language"] if r["language"] is not None else "unknown"): int(r["n"])
                for r in self._rows(
                    "SELECT language, COUNT(*) AS n FROM articles GROUP BY language ORDER BY n DESC, language"
                )
            }
            mentions = {
                r["label"]: int(r["n"])
                for r in self._rows("SELECT label, COUNT(*) AS n FROM entities GROUP BY label ORDER BY n DESC, label")
            }
            top_entities: dict[str, list[dict[str, Any]]] = {}
            for r in self._rows(
                "SELECT label, canonical, n_articles, n_mentions FROM ("
                "  SELECT label, canonical, n_articles, n_mentions, ROW_NUMBER() OVER ("
                "    PARTITION BY label ORDER BY n_articles DESC, n_mentions DESC, canonical) AS rnk"
                "  FROM (SELECT label, canonical, COUNT(DISTINCT article_id) AS n_articles, COUNT(*) AS n_mentions"
                "        FROM entities GROUP BY label, canonical) AS counts"
                ") AS ranked WHERE rnk <= ? ORDER BY label, rnk",
                (int(top),),
            ):
                top_entities.setdefault(r["label"], []).append(
                    {"canonical": r["canonical"], "articles": int(r["n_articles"]), "mentions": int(r["n_mentions"])}
                )
            errors = {
                r["stage"]: int(r["n"])
                for r in self._rows("SELECT stage, COUNT(*) AS n FROM errors GROUP BY stage ORDER BY n DESC, stage")
            }
            return {
                "articles": self.count_articles(),
                "duplicates": self._count("article_sources"),
                "by_language": by_language,
                "entity_mentions": mentions,
                "top_entities": top_entities,
                "removed_lines": self._count("removed_lines"),
                **{area: self._count(table) for area, (table, _) in ANNOTATION_TABLES.items() if area != "entities"},
                "top_speakers": self.speaker_counts(top),
                "errors": errors,
                **self._database_stats(),
                "schema_version": self.schema_version,
            }
