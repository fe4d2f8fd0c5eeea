"""SQLite implementation of the vigie store.

One writer (the CLI) and any number of readers: the database runs in WAL mode, every write goes
through an explicit ``BEGIN IMMEDIATE`` transaction, and readers never see half-written articles.
Values always travel as SQL parameters; the SQL itself stays plain so a PostgreSQL store can offer
the same interface later.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from vigie.model import Article, ArticleError

#: Version of the schema in schema.sql, stored in ``PRAGMA user_version``.
SCHEMA_VERSION = 1

#: Migrations from version N to N + 1, keyed by N. Each runs inside the upgrade transaction.
#: Version 0 (an empty database) is handled by applying schema.sql directly.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}

MIN_PREFIX_LEN = 6

_ARTICLE_COLUMNS = (
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
_ARTICLE_SELECT = ", ".join(_ARTICLE_COLUMNS)
_ENTITY_SELECT = 'text, label, "start", "end", canonical, extractor, confidence'
_SNIPPET_TOKENS = 12
_MAX_QUERY_TERMS = 64
# A double-quoted phrase (optionally followed by *), or a run of non-space characters.
_QUERY_TOKEN = re.compile(r'"([^"]*)"(\*?)|(\S+)')
_WORD = re.compile(r"\w")
# Control characters (NUL above all: it would cut the MATCH string short) become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AmbiguousIdError(LookupError):
    """An id prefix matches more than one article."""

    def __init__(self, prefix: str, matches: list[str]):
        self.prefix = prefix
        self.matches = matches
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        super().__init__(f"id prefix {prefix!r} is ambiguous: matches {shown}")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _load_schema() -> str:
    return resources.files("vigie.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def content_hash(article: Article) -> str:
    """Hash of everything the store keeps for an article (text, metadata and annotations).

    Two passes over the same input give the same hash, so the second one is reported "unchanged"
    and nothing is rewritten. Any difference (a new entity, another title...) gives a new hash.
    """
    payload = {
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
        "entities": [
            [e.text, e.label, e.start, e.end, e.canonical, e.extractor, e.confidence]
            for e in article.entities
        ],
        "removed_lines": [[r.line_no, r.text, r.reason] for r in article.removed_lines],
    }
    return hashlib.sha256(_dumps(payload).encode("utf-8")).hexdigest()


def build_fts_query(query: str) -> str | None:
    """Turn what a user typed into a safe FTS5 MATCH expression, or None when nothing is searchable.

    Every term becomes a quoted FTS5 string (so ``AND``, ``(``, ``NEAR(``, ``:`` or a stray ``"``
    are just text, never syntax); terms are ANDed. A double-quoted phrase stays a phrase, and a
    trailing ``*`` on a term or phrase makes it a prefix search. Accents and case are folded by the
    tokenizer on both sides.
    """
    parts: list[str] = []
    # Lone surrogates (undecodable bytes in argv) cannot be sent to SQLite: replace them.
    query = (query or "").encode("utf-8", "replace").decode("utf-8")
    for phrase, phrase_star, word in _QUERY_TOKEN.findall(_CONTROL.sub(" ", query)):
        if word:
            prefix = word.endswith("*")
            term = word.rstrip("*")
        else:
            prefix = bool(phrase_star)
            term = phrase
        if not _WORD.search(term):
            continue  # only punctuation: the tokenizer would drop it anyway
        parts.append('"' + term.replace('"', '""') + '"' + ("*" if prefix else ""))
        if len(parts) >= _MAX_QUERY_TERMS:
            break
    return " ".join(parts) if parts else None


class SQLiteStore:
    """Articles, their annotations and per-article errors in one SQLite file."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = str(path)
        memory = self.path == ":memory:" or self.path.startswith("file::memory:")
        if not memory:
            Path(self.path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions, we issue BEGIN/COMMIT ourselves.
        self._conn: sqlite3.Connection | None = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA busy_timeout = 30000")
            if not memory:
                self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # ------------------------------------------------------------------ plumbing

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the store is closed")
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"{self.path}: database schema version {version} is newer than this vigie "
                f"understands ({SCHEMA_VERSION}); upgrade vigie"
            )
        if version == SCHEMA_VERSION:
            return
        with self._transaction() as conn:
            if version == 0:
                # Fresh database: statements are idempotent (IF NOT EXISTS).
                for statement in _split_sql(_load_schema()):
                    conn.execute(statement)
            else:
                for v in range(version, SCHEMA_VERSION):
                    step = MIGRATIONS.get(v)
                    if step is None:
                        raise RuntimeError(f"no migration from schema version {v} to {v + 1}")
                    step(conn)
            # PRAGMA takes no parameters; SCHEMA_VERSION is an int constant of this module.
            conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    # ------------------------------------------------------------------ writes

    def upsert_article(self, article: Article) -> str:
        """Store an article and replace all its annotations, in one transaction.

        Returns "new", "updated" or "unchanged". Any error rolls back this article only and
        re-raises; what was stored before stays as it was.
        """
        digest = content_hash(article)
        with self._transaction() as conn:
            row = conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is None:
                status = "new"
            elif row["content_hash"] == digest:
                status = "unchanged"
            else:
                status = "updated"
            if status != "unchanged":
                self._write_article_row(conn, article, digest, exists=row is not None)
                self._replace_annotations(conn, article)
            self._clear_errors(conn, article)
        return status

    def _write_article_row(self, conn: sqlite3.Connection, article: Article, digest: str, exists: bool) -> None:
        now = _now()
        values = (
            article.url,
            article.title,
            article.source,
            article.author,
            article.published,
            article.language,
            article.language_score,
            article.raw,
            article.text,
            article.origin,
            _dumps(article.meta),
            len(article.removed_lines),
            digest,
        )
        if exists:
            conn.execute(
                "UPDATE articles SET url = ?, title = ?, source = ?, author = ?, published = ?, "
                "language = ?, language_score = ?, raw = ?, text = ?, origin = ?, meta = ?, "
                "n_removed_lines = ?, content_hash = ?, updated_at = ? WHERE id = ?",
                (*values, now, article.id),
            )
        else:
            conn.execute(
                "INSERT INTO articles (id, seq, url, title, source, author, published, language, "
                "language_score, raw, text, origin, meta, n_removed_lines, content_hash, ingested_at, "
                "updated_at) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM articles), "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, *values, now, now),
            )

    def _replace_annotations(self, conn: sqlite3.Connection, article: Article) -> None:
        conn.execute("DELETE FROM entities WHERE article_id = ?", (article.id,))
        conn.execute("DELETE FROM removed_lines WHERE article_id = ?", (article.id,))
        conn.executemany(
            'INSERT INTO entities (article_id, idx, text, label, "start", "end", canonical, extractor, '
            "confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (article.id, i, e.text, e.label, e.start, e.end, e.canonical, e.extractor, e.confidence)
                for i, e in enumerate(article.entities)
            ],
        )
        conn.executemany(
            "INSERT INTO removed_lines (article_id, line_no, text, reason) VALUES (?, ?, ?, ?)",
            [(article.id, r.line_no, r.text, r.reason) for r in article.removed_lines],
        )

    def _clear_errors(self, conn: sqlite3.Connection, article: Article) -> None:
        # The article went through: earlier failures for the same input are obsolete.
        conn.execute("DELETE FROM errors WHERE article_id = ?", (article.id,))
        if article.origin:
            conn.execute("DELETE FROM errors WHERE origin = ?", (article.origin,))

    def record_error(self, err: ArticleError) -> None:
        """Record a per-article failure; the same (origin, stage) bumps count/last_seen instead of duplicating."""
        now = _now()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO errors (origin, article_id, stage, reason, first_seen, last_seen, count) "
                "VALUES (?, ?, ?, ?, ?, ?, 1) "
                "ON CONFLICT (origin, stage) DO UPDATE SET reason = excluded.reason, "
                "article_id = COALESCE(excluded.article_id, errors.article_id), "
                "last_seen = excluded.last_seen, count = errors.count + 1",
                (err.origin, err.article_id, err.stage, err.reason, now, now),
            )

    # ------------------------------------------------------------------ reads

    def _article_dict(self, row: sqlite3.Row) -> dict[str, Any]:
        art = dict(row)
        art["meta"] = json.loads(art["meta"]) if art.get("meta") else {}
        art["entities"] = [
            dict(r)
            for r in self.conn.execute(
                f"SELECT {_ENTITY_SELECT} FROM entities WHERE article_id = ? ORDER BY idx", (art["id"],)
            )
        ]
        art["removed_lines"] = [
            dict(r)
            for r in self.conn.execute(
                "SELECT line_no, text, reason FROM removed_lines WHERE article_id = ? ORDER BY line_no, rowid",
                (art["id"],),
            )
        ]
        return art

    def resolve_id(self, id_or_prefix: str) -> str | None:
        """Full id for an exact id or a unique prefix (>= 6 chars); None if nothing matches.

        Raises AmbiguousIdError when a prefix matches several articles.
        """
        conn = self.conn
        id_or_prefix = id_or_prefix.encode("utf-8", "replace").decode("utf-8")
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", (id_or_prefix,)).fetchone():
            return id_or_prefix
        if len(id_or_prefix) < MIN_PREFIX_LEN:
            return None
        # Range scan on the primary key: every id starting with the prefix sorts in [prefix, prefix + U+10FFFF).
        rows = conn.execute(
            "SELECT id FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 6",
            (id_or_prefix, id_or_prefix + "\U0010ffff"),
        ).fetchall()
        if not rows:
            return None
        if len(rows) > 1:
            raise AmbiguousIdError(id_or_prefix, [r["id"] for r in rows])
        return rows[0]["id"]

    def get_article(self, id: str) -> dict[str, Any] | None:
        """An article with all its columns, `entities` and `removed_lines`; accepts a unique id prefix (>= 6 chars)."""
        full_id = self.resolve_id(id)
        if full_id is None:
            return None
        row = self.conn.execute(f"SELECT {_ARTICLE_SELECT} FROM articles WHERE id = ?", (full_id,)).fetchone()
        return self._article_dict(row) if row is not None else None

    def iter_articles(self, batch_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every article (as get_article returns it), in ingestion order, read in batches."""
        last = 0
        while True:
            rows = self.conn.execute(
                f"SELECT seq, {_ARTICLE_SELECT} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                last = row["seq"]
                art = self._article_dict(row)
                del art["seq"]
                yield art

    def count_articles(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over title + text, best first (bm25, title weighted x2).

        Returns id, title, published, language, score and snippet (matches in [brackets]).
        Never raises on what a user types: see build_fts_query.
        """
        match = build_fts_query(query)
        if match is None or limit <= 0:
            return []
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.published, a.language, "
            "bm25(articles_fts, 2.0, 1.0) AS score, "
            "snippet(articles_fts, -1, '[', ']', '…', ?) AS snippet "
            "FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid "
            "WHERE articles_fts MATCH ? ORDER BY score, a.id LIMIT ?",
            (_SNIPPET_TOKENS, match, int(limit)),
        ).fetchall()
        return [dict(r) for r in rows]

    def list_errors(self, limit: int = 50) -> list[dict[str, Any]]:
        """Most recent errors first."""
        rows = self.conn.execute(
            "SELECT id, origin, article_id, stage, reason, first_seen, last_seen, count "
            "FROM errors ORDER BY last_seen DESC, id DESC LIMIT ?",
            (int(limit),),
        ).fetchall()
        return [dict(r) for r in rows]

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts for a quick look at what the store holds."""
        conn = self.conn
        by_language = {
            (r["language"] if r["language"] is not None else "unknown"): r["n"]
            for r in conn.execute(
                "SELECT language, COUNT(*) AS n FROM articles GROUP BY language ORDER BY n DESC, language"
            )
        }
        mentions = {
            r["label"]: r["n"]
            for r in conn.execute("SELECT label, COUNT(*) AS n FROM entities GROUP BY label ORDER BY n DESC, label")
        }
        top_entities: dict[str, list[dict[str, Any]]] = {}
        for r in conn.execute(
            "SELECT label, canonical, n_articles, n_mentions FROM ("
            "  SELECT label, canonical, n_articles, n_mentions, ROW_NUMBER() OVER ("
            "    PARTITION BY label ORDER BY n_articles DESC, n_mentions DESC, canonical) AS rnk"
            "  FROM (SELECT label, canonical, COUNT(DISTINCT article_id) AS n_articles, COUNT(*) AS n_mentions"
            "        FROM entities GROUP BY label, canonical) AS counts"
            ") AS ranked WHERE rnk <= ? ORDER BY label, rnk",
            (int(top),),
        ):
            top_entities.setdefault(r["label"], []).append(
                {"canonical": r["canonical"], "articles": r["n_articles"], "mentions": r["n_mentions"]}
            )
        errors = {
            r["stage"]: r["n"]
            for r in conn.execute("SELECT stage, COUNT(*) AS n FROM errors GROUP BY stage ORDER BY n DESC, stage")
        }
        return {
            "articles": self.count_articles(),
            "by_language": by_language,
            "entity_mentions": mentions,
            "top_entities": top_entities,
            "removed_lines": int(conn.execute("SELECT COUNT(*) FROM removed_lines").fetchone()[0]),
            "errors": errors,
            "db_path": self.path,
            "db_size_bytes": self._size_bytes(),
            "schema_version": self.schema_version,
        }

    def _size_bytes(self) -> int:
        total = 0
        for suffix in ("", "-wal"):
            try:
                total += os.path.getsize(self.path + suffix)
            except OSError:
                pass
        return total


def _split_sql(script: str) -> list[str]:
    """Split a schema script into statements (respecting trigger bodies), for execute() one by one.

    executescript() would COMMIT any open transaction first; executing statements one by one keeps
    the whole schema creation inside our own transaction.
    """
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("--")):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError("schema.sql ends with an incomplete statement")
    return statements
