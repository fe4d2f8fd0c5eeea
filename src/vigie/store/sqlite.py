"""SQLite implementation of the vigie store.

One writer (the CLI) and any number of readers: the database runs in WAL mode, every write goes
through an explicit ``BEGIN IMMEDIATE`` transaction, and readers never see half-written articles.
What is the same SQL on PostgreSQL lives in `vigie.store.sqlbase` and `vigie.store.queries`; this
module holds the connection, the schema migrations and the FTS5 search.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from typing import Any

from vigie.store.common import (
    ADD_INPUT_DIGEST,
    ALERTS_SECTION,
    ANNOTATION_TABLES,
    CROSSDOC_SECTION,
    PLACES_INDEX_SECTION,
    SCHEMA_VERSION,
    SEARCH_SECTION,
    WATCH_SECTION,
    AmbiguousIdError,
    content_hash,
    dumps,
    fold,
    needs_upgrade,
    query_terms,
    run_migrations,
    schema_section,
)
from vigie.store.search import SEARCH_TIMEOUT, Budget, SearchTimeoutError, make_snippet, plain_snippet
from vigie.store.search_all import (
    ARTICLE_SPAN,
    COUNT_SQL,
    PAGE_SQL,
    SearchFilter,
    empty_result,
    filtered_sql,
    fts5_match,
    index_sql,
    parse_query,
    shape_result,
    stems_text,
)
from vigie.store.sqlbase import SQLStore

__all__ = ["ANNOTATION_TABLES", "SCHEMA_VERSION", "AmbiguousIdError", "SQLiteStore", "build_fts_query", "content_hash"]


def _load_schema() -> str:
    return resources.files("vigie.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _apply_schema(conn: sqlite3.Connection) -> None:
    # Every statement of schema.sql is CREATE ... IF NOT EXISTS: re-applying it adds only what is missing.
    for statement in _split_sql(_load_schema()):
        conn.execute(statement)


def _add_input_digest(conn: sqlite3.Connection) -> None:
    # SQLite has no ADD COLUMN IF NOT EXISTS; a version-1 database upgraded by schema.sql already has it.
    if "input_digest" not in {row[1] for row in conn.execute("PRAGMA table_info(articles)")}:
        conn.execute(ADD_INPUT_DIGEST)


#: The measures table of schema.sql (version 3 -> 4), kept as version 4 wrote it whatever later versions change in
#: schema.sql: the migrations after it start from version 4's tables.
CREATE_MEASURES = """CREATE TABLE IF NOT EXISTS measures (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    value       REAL,
    low         REAL,
    high        REAL,
    unit        TEXT,
    extractor   TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
)"""


def _create_measures(conn: sqlite3.Connection) -> None:
    conn.execute(CREATE_MEASURES)


#: The deduplication tables of schema.sql (version 4 -> 5), kept as version 5 wrote them (see CREATE_MEASURES).
CREATE_DEDUP = (
    """CREATE TABLE IF NOT EXISTS fingerprints (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    scheme      TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    signature   BLOB NOT NULL,
    shingles    INTEGER NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS article_sources (
    duplicate_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source        TEXT,
    url           TEXT,
    published     TEXT,
    method        TEXT NOT NULL,
    similarity    REAL NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS idx_article_sources_article ON article_sources (article_id)",
)


def _create_dedup(conn: sqlite3.Connection) -> None:
    for statement in CREATE_DEDUP:
        conn.execute(statement)


#: The stories table of schema.sql (version 5 -> 6), kept as version 6 wrote it (see CREATE_MEASURES).
CREATE_STORIES = (
    """CREATE TABLE IF NOT EXISTS article_stories (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL,
    scheme      TEXT,
    features    TEXT
)""",
    "CREATE INDEX IF NOT EXISTS idx_article_stories_story ON article_stories (story_id)",
)


def _create_stories(conn: sqlite3.Connection) -> None:
    for statement in CREATE_STORIES:
        conn.execute(statement)


def _create_crossdoc(conn: sqlite3.Connection) -> None:
    """Version 6 -> 7: the cross-document event tables, as schema.sql has them."""
    for statement in schema_section(_load_schema(), CROSSDOC_SECTION, until=WATCH_SECTION):
        conn.execute(statement)


def _create_watch(conn: sqlite3.Connection) -> None:
    """Version 7 -> 8: the tables of `vigie watch`, as schema.sql has them."""
    for statement in schema_section(_load_schema(), WATCH_SECTION, until=PLACES_INDEX_SECTION):
        conn.execute(statement)


def _create_places_index(conn: sqlite3.Connection) -> None:
    """Version 8 -> 9: the index of places by GeoNames id."""
    for statement in schema_section(_load_schema(), PLACES_INDEX_SECTION, until=SEARCH_SECTION):
        conn.execute(statement)


#: The search index's INSERT (`vigie.store.search_all.index_sql`): stems made by the ``vigie_stems`` function.
_INDEX_INSERT = (
    f"INSERT INTO search_fts (rowid, head, body) SELECT a.seq * {ARTICLE_SPAN} + {{kind}} * 1048576 + {{idx}}, "
    "vigie_stems({head}, a.language), vigie_stems({body}, a.language)"
)


def _create_search_index(conn: sqlite3.Connection) -> None:
    """Version 9 -> 10: the search index over articles, quotes, entities and events, filled for the stored ones."""
    schema = _load_schema()
    for statement in _split_sql(schema[schema.index(SEARCH_SECTION):schema.index(ALERTS_SECTION)]):
        conn.execute(statement)
    conn.execute("DELETE FROM search_fts")  # a database whose version was set back: filled from scratch
    for statement in index_sql(_INDEX_INSERT, one_article=False):
        conn.execute(statement)


def _create_alerts(conn: sqlite3.Connection) -> None:
    """Version 10 -> 11: the saved searches and the alerts sent for them."""
    for statement in schema_section(_load_schema(), ALERTS_SECTION):
        conn.execute(statement)


#: The schema version (common.SCHEMA_VERSION) is stored in ``PRAGMA user_version``.
#: Migrations from version N to N + 1, keyed by N. Each runs inside the upgrade transaction.
#: Version 0 (an empty database) is handled by applying schema.sql directly.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _apply_schema,
    2: _add_input_digest,
    3: _create_measures,
    4: _create_dedup,
    5: _create_stories,
    6: _create_crossdoc,
    7: _create_watch,
    8: _create_places_index,
    9: _create_search_index,
    10: _create_alerts,
}

#: How often (in SQLite virtual-machine steps) a search checks its time budget.
_PROGRESS_STEPS = 1000


def build_fts_query(query: str) -> str | None:
    """Turn what a user typed into a safe FTS5 MATCH expression, or None when nothing is searchable.

    Every term (see `query_terms`) becomes a quoted FTS5 string (so ``AND``, ``(``, ``NEAR(``, ``:`` or a
    stray ``"`` are just text, never syntax); terms are ANDed; a prefix term gets FTS5's ``*``. Accents and
    case are folded by the tokenizer on both sides.
    """
    parts = ['"' + term.replace('"', '""') + '"' + ("*" if prefix else "") for term, prefix in query_terms(query)]
    return " ".join(parts) if parts else None


class SQLiteStore(SQLStore):
    """Articles, their annotations and per-article errors in one SQLite file."""

    # seq keys the FTS index: numbered by hand so that it never changes (see schema.sql)
    _NEXT_SEQ = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM articles)"

    def __init__(self, path: str | os.PathLike[str]):
        super().__init__()
        self.path = str(path)
        memory = self.path == ":memory:" or self.path.startswith("file::memory:")
        if not memory:
            Path(self.path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions, we issue BEGIN/COMMIT ourselves.
        # check_same_thread=False: a web server's threads share the store; SQLStore's lock serialises them.
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            self.path, isolation_level=None, timeout=30.0, check_same_thread=False
        )
        try:
            self._conn.row_factory = sqlite3.Row
            self._interrupt: BaseException | None = None
            self._conn.create_function("vigie_fold", 1, self._guarded(fold), deterministic=True)
            self._conn.create_function("vigie_stems", 2, self._guarded(stems_text), deterministic=True)
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
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._raise_interrupt()
                raise
            else:
                conn.execute("COMMIT")

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        # A deferred read transaction: in WAL mode its SELECTs all see the same committed state.
        with self._lock:
            conn = self.conn
            if conn.in_transaction:  # nested in another snapshot or a write: already consistent
                yield
                return
            conn.execute("BEGIN")
            try:
                yield
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock:
            try:
                return [dict(r) for r in self.conn.execute(sql, tuple(params))]
            except sqlite3.Error:
                self._raise_interrupt()
                raise

    def _guarded(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """A Python function for SQL: SQLite turns anything it raises into "user-defined function raised exception",
        which would turn a Ctrl-C or a SIGTERM arriving inside it into one article's error and let the run go on;
        the interrupt is kept and raised again once the statement has failed (`_raise_interrupt`)."""

        def call(*args: Any) -> Any:
            try:
                return func(*args)
            except (KeyboardInterrupt, SystemExit) as exc:
                self._interrupt = exc
                raise

        return call

    def _raise_interrupt(self) -> None:
        interrupt, self._interrupt = self._interrupt, None
        if interrupt is not None:
            raise interrupt

    def _json_param(self, value: Any) -> str:
        return dumps(value)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if not needs_upgrade(self.path, version):
            return
        with self._transaction() as conn:
            if version == 0:
                _apply_schema(conn)
            else:
                run_migrations(conn, version, MIGRATIONS)
            # PRAGMA takes no parameters; SCHEMA_VERSION is an int constant of this module.
            conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> SQLiteStore:
        return self

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    # ------------------------------------------------------------------ search and size

    def search(self, query: str, limit: int = 20, timeout: float = SEARCH_TIMEOUT) -> list[dict[str, Any]]:
        """Full-text search over title + text, best first (bm25, title weighted x2; lower score is better).

        Returns id, title, published, language, score and snippet (matches in [brackets]). The matches are
        ranked and limited first; snippets are made for the rows returned only, from a window of the text
        (`vigie.store.search.make_snippet`). Raises SearchTimeoutError past `timeout` seconds; never raises
        on what a user types (see build_fts_query).
        """
        match = build_fts_query(query)
        if match is None or limit <= 0:
            return []
        budget = Budget(timeout)
        with self._snapshot():
            conn = self.conn
            # called every _PROGRESS_STEPS virtual-machine steps: a true result stops the statement
            conn.set_progress_handler(budget.expired, _PROGRESS_STEPS)
            try:
                hits = self._rows(
                    "SELECT a.seq, a.id, a.title, a.published, a.language, h.score FROM ("
                    "  SELECT rowid AS seq, bm25(articles_fts, 2.0, 1.0) AS score FROM articles_fts"
                    "  WHERE articles_fts MATCH ?) AS h "
                    "JOIN articles AS a ON a.seq = h.seq ORDER BY h.score, a.id LIMIT ?",
                    (match, int(limit)),
                )
                seqs = [h["seq"] for h in hits]
                marks = ", ".join("?" * len(seqs))
                rows = self._rows(f"SELECT seq, text FROM articles WHERE seq IN ({marks})", seqs) if seqs else []
                texts = {r["seq"]: r["text"] for r in rows}
            except sqlite3.OperationalError:
                if budget.expired():  # "interrupted" by the progress handler
                    raise SearchTimeoutError(timeout) from None
                raise
            finally:
                conn.set_progress_handler(None, 0)
        terms = query_terms(query)
        for hit in hits:
            text = texts.get(hit.pop("seq"))
            # past the budget, the remaining rows get the start of their text rather than a located snippet
            hit["snippet"] = plain_snippet(text) if budget.expired() else make_snippet(text, hit["title"], terms)
        return hits

    def _index_for_search(self, conn: Any, article_id: str) -> None:
        row = conn.execute("SELECT seq FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        first = int(row[0]) * ARTICLE_SPAN
        conn.execute("DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?", (first, first + ARTICLE_SPAN - 1))
        for statement in index_sql(_INDEX_INSERT, one_article=True):
            conn.execute(statement, (article_id,))

    def search_all(
        self, query: str, *, kinds: Iterable[str] | None = None, date_from: str | None = None,
        date_to: str | None = None, language: str | None = None, source: str | None = None,
        type: str | None = None, limit: int = 20, offset: int = 0, timeout: float = SEARCH_TIMEOUT,
    ) -> dict[str, Any]:
        """One search over articles, quotes, entities and events (`vigie.store.search_all`): total, by_kind,
        items (best first: bm25 of the stems, head weighted x2; lower score is better), limit, offset.
        Raises SearchTimeoutError past `timeout` seconds; never raises on what a user types."""
        limit, offset = max(int(limit), 0), max(int(offset), 0)
        clauses = parse_query(query)
        match = fts5_match(clauses)
        if match is None:
            return empty_result(limit, offset)
        where, params = SearchFilter(
            tuple(kinds) if kinds is not None else None, date_from, date_to, language, source, type
        ).where()
        matches = (
            "SELECT rowid >> 22 AS aid, (rowid >> 20) & 3 AS kind, rowid & 1048575 AS idx, "
            "bm25(search_fts, 2.0, 1.0) AS score FROM search_fts WHERE search_fts MATCH ?"
        )
        head = filtered_sql(matches, "a.seq = m.aid", where)
        budget = Budget(timeout)
        with self._snapshot():
            conn = self.conn
            conn.set_progress_handler(budget.expired, _PROGRESS_STEPS)
            try:
                counts = self._rows(head + COUNT_SQL, (match, *params))
                rows = self._rows(head + PAGE_SQL, (match, *params, limit, offset)) if limit else []
                ids = sorted({r["id"] for r in rows if r["kind"] == 0})
                marks = ", ".join("?" * len(ids))
                texts = {r["id"]: r["text"] for r in self._rows(
                    f"SELECT id, text FROM articles WHERE id IN ({marks})", ids)} if ids else {}
            except sqlite3.OperationalError:
                if budget.expired():
                    raise SearchTimeoutError(timeout) from None
                raise
            finally:
                conn.set_progress_handler(None, 0)
        return shape_result(counts, rows, texts, clauses, budget.expired, limit, offset)

    def _database_stats(self) -> dict[str, Any]:
        total = 0
        for suffix in ("", "-wal"):
            with suppress(OSError):  # no WAL file (or an in-memory database)
                total += os.path.getsize(self.path + suffix)
        return {"db_path": self.path, "db_size_bytes": total}


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
