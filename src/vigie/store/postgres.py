"""PostgreSQL implementation of the vigie store (psycopg 3), selected by ``open_store("postgresql://...")``.

Same tables and semantics as the SQLite store (one transaction per article, new/updated/unchanged,
annotations replaced, errors deduplicated); the shared SQL lives in `vigie.store.sqlbase` and
`vigie.store.queries`, written with ``?`` placeholders that `_pg_sql` turns into psycopg's ``%s``.
Here: the connection, the schema and its version, and French full-text search.

Full-text search uses the `vigie_french` text search configuration: PostgreSQL's ``french`` (Snowball
stemmer, French stop words) with accents removed by the unaccent extension when it can be created
(``vigie_meta.unaccent`` says whether it was). Without unaccent, "securite" does not find "sécurité".
Several processes may write at once: writers of the same article are serialised by an advisory lock.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

from vigie.store.common import (
    ADD_INPUT_DIGEST,
    ALERTS_SECTION,
    CROSSDOC_SECTION,
    PLACES_INDEX_SECTION,
    SCHEMA_VERSION,
    SEARCH_SECTION,
    WATCH_SECTION,
    needs_upgrade,
    query_terms,
    run_migrations,
    sanitize,
    schema_section,
)
from vigie.store.search import SEARCH_TIMEOUT, Budget, SearchTimeoutError
from vigie.store.search_all import (
    COUNT_SQL,
    PAGE_SQL,
    Clause,
    SearchFilter,
    Term,
    empty_result,
    filtered_sql,
    index_sql,
    parse_query,
    shape_result,
)
from vigie.store.sqlbase import SQLStore

try:
    import psycopg
    from psycopg import sql
    from psycopg.pq import TransactionStatus
    from psycopg.rows import dict_row
    from psycopg.types.json import Jsonb
except ImportError:  # pragma: no cover - exercised only without the optional dependency
    psycopg = None  # type: ignore[assignment]

#: The measures table of schema_pg.sql (version 3 -> 4), kept as it was written for version 4 (see sqlite.py).
CREATE_MEASURES = """CREATE TABLE IF NOT EXISTS measures (
    article_id  TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    value       DOUBLE PRECISION,
    low         DOUBLE PRECISION,
    high        DOUBLE PRECISION,
    unit        TEXT,
    extractor   TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
)"""

#: The deduplication tables of schema_pg.sql (version 4 -> 5), kept as version 5 wrote them.
CREATE_DEDUP = (
    """CREATE TABLE IF NOT EXISTS fingerprints (
    article_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    scheme      TEXT NOT NULL,
    body_hash   TEXT NOT NULL,
    signature   BYTEA NOT NULL,
    shingles    INTEGER NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS article_sources (
    duplicate_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    article_id    TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    source        TEXT COLLATE "C",
    url           TEXT,
    published     TEXT COLLATE "C",
    method        TEXT NOT NULL,
    similarity    DOUBLE PRECISION NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS idx_article_sources_article ON article_sources (article_id)",
)


def _create_dedup(conn: Any) -> None:
    for statement in CREATE_DEDUP:
        conn.execute(statement)


#: The stories table of schema_pg.sql (version 5 -> 6), kept as version 6 wrote it.
CREATE_STORIES = (
    """CREATE TABLE IF NOT EXISTS article_stories (
    article_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id    TEXT COLLATE "C" NOT NULL,
    scheme      TEXT,
    features    TEXT
)""",
    "CREATE INDEX IF NOT EXISTS idx_article_stories_story ON article_stories (story_id)",
)


def _create_stories(conn: Any) -> None:
    for statement in CREATE_STORIES:
        conn.execute(statement)


def _pg_schema() -> str:
    return resources.files("vigie.store").joinpath("schema_pg.sql").read_text(encoding="utf-8")


def _create_crossdoc(conn: Any) -> None:
    """Version 6 -> 7: the cross-document event tables, as schema_pg.sql has them."""
    for statement in schema_section(_pg_schema(), CROSSDOC_SECTION, until=WATCH_SECTION):
        conn.execute(statement)


def _create_watch(conn: Any) -> None:
    """Version 7 -> 8: the tables of `vigie watch`, as schema_pg.sql has them."""
    for statement in schema_section(_pg_schema(), WATCH_SECTION, until=PLACES_INDEX_SECTION):
        conn.execute(statement)


def _create_places_index(conn: Any) -> None:
    """Version 8 -> 9: the index of places by GeoNames id."""
    for statement in schema_section(_pg_schema(), PLACES_INDEX_SECTION, until=SEARCH_SECTION):
        conn.execute(statement)


#: The text search configuration of a document: the article's language's (`search_all.stem_language`).
_DOC_CONFIG = "(CASE WHEN a.language LIKE 'en%' THEN 'english' ELSE 'vigie_french' END)::regconfig"
#: The configurations a query word is looked up with.
_QUERY_CONFIGS = ("vigie_french", "english")
#: The search index's INSERT (`vigie.store.search_all.index_sql`).
_INDEX_INSERT = (
    "INSERT INTO search_docs (article_id, kind, idx, doc) SELECT a.id, {kind}, {idx}, "
    f"setweight(to_tsvector({_DOC_CONFIG}, {{head}}), 'A') "
    f"|| setweight(to_tsvector({_DOC_CONFIG}, left({{body}}, 500000)), 'B')"
)


def _create_search_index(conn: Any) -> None:
    """Version 9 -> 10: the search index over articles, quotes, entities and events, filled for the stored ones."""
    for statement in schema_section(_pg_schema(), SEARCH_SECTION, until=ALERTS_SECTION):
        conn.execute(statement)
    conn.execute("DELETE FROM search_docs")  # a database whose version was set back: filled from scratch
    for statement in index_sql(_INDEX_INSERT, one_article=False):
        conn.execute(statement)


def _create_alerts(conn: Any) -> None:
    """Version 10 -> 11: the saved searches and the alerts sent for them."""
    for statement in schema_section(_pg_schema(), ALERTS_SECTION):
        conn.execute(statement)


#: Migrations from schema version N to N + 1, keyed by N (PostgreSQL stores started at version 2).
MIGRATIONS: dict[int, Any] = {
    2: lambda conn: conn.execute(ADD_INPUT_DIGEST.replace("ADD COLUMN", "ADD COLUMN IF NOT EXISTS")),
    3: lambda conn: conn.execute(CREATE_MEASURES),
    4: _create_dedup,
    5: _create_stories,
    6: _create_crossdoc,
    7: _create_watch,
    8: _create_places_index,
    9: _create_search_index,
    10: _create_alerts,
}

#: Per-session limits (PostgreSQL settings). A killed client's connection closes with its process and the
#: server aborts its transaction at once; these cover a client that is alive but stuck. Writes of one article
#: take milliseconds and the slowest read (an export page, the stats) seconds, so the limits are generous.
SESSION_TIMEOUTS = {
    "idle_in_transaction_session_timeout": "60s",
    "lock_timeout": "120s",
    "statement_timeout": "300s",
}

#: Namespaces of our advisory locks (arbitrary int4 constants: "vigi" and "vart" in ASCII).
_SCHEMA_LOCK = 1986618217
_ARTICLE_LOCK = 1986097780

_HEADLINE_OPTIONS = (
    'StartSel="[", StopSel="]", MaxWords=20, MinWords=8, ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "'
)
#: Characters of an article's text ts_headline looks at first (its cost is linear in the text's length), and
#: the part of the text that is indexed (schema_pg.sql: left(text, 500000)), looked at when no match is there.
_HEADLINE_WINDOW = 10_000
_INDEXED_CHARS = 500_000


def _require_psycopg() -> None:
    if psycopg is None:
        raise RuntimeError(
            "PostgreSQL stores need psycopg 3: pip install 'vigie[postgres]' (or pip install 'psycopg[binary]')"
        )


@functools.lru_cache(maxsize=512)
def _pg_sql(query: str) -> str:
    """``?`` placeholders -> ``%s`` (the shared SQL never has ``?`` in a literal), literal ``%`` -> ``%%``."""
    return query.replace("%", "%%").replace("?", "%s")


def _param(value: Any) -> Any:
    # PostgreSQL text cannot hold NUL, nor lone surrogates (undecodable bytes): never let them fail a write.
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", "\ufffd")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = sanitize(value)
    return value


def _params(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(_param(v) for v in values)


def redact(url: str) -> str:
    """Hide a password in a URL before showing it."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        creds, _, host = rest.rpartition("@")
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def _prefix_tsquery(term: str) -> str:
    """A to_tsquery() operand matching words that start with `term` (quoted: never tsquery syntax)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "':*"


class _Writer:
    """What `SQLStore`'s write methods get inside a transaction: ``?`` SQL on a psycopg connection."""

    def __init__(self, conn: Any):
        self._conn = conn

    def execute(self, query: str, params: Iterable[Any] = ()) -> Any:
        return self._conn.execute(_pg_sql(query), _params(params))

    def executemany(self, query: str, rows: Iterable[Iterable[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(_pg_sql(query), [_params(r) for r in rows])


class PostgresStore(SQLStore):
    """Articles, their annotations and per-article errors in a PostgreSQL database (one schema of it)."""

    def __init__(self, url: str, schema: str | None = None, drop_schema_on_close: bool = False):
        """`url`: ``postgresql://user[:password]@host[:port]/dbname`` (libpq URL; ``postgres://`` and
        SQLAlchemy's ``postgresql+psycopg://`` are accepted). `schema`: the PostgreSQL schema holding the
        tables (created if needed; default: the user's current schema, usually ``public``).
        `drop_schema_on_close` is for tests: the schema and everything in it is dropped by close()."""
        _require_psycopg()
        super().__init__()
        scheme, sep, rest = url.partition("://")
        self._url = ("postgresql" + sep + rest) if scheme.lower().startswith(("postgresql+", "postgres")) else url
        self.schema = schema
        self._drop_schema = drop_schema_on_close and schema is not None
        self.path = redact(url) + (f" (schema {schema})" if schema else "")
        self._conn: Any = None
        self._conn = self._connect()
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    # ------------------------------------------------------------------ plumbing

    def _connect(self) -> Any:
        """A new connection, set up for this store's schema."""
        conn = psycopg.connect(self._url, autocommit=True)
        # No transaction of vigie's outlives its use: a process stopped inside one (a debugger, SIGSTOP, a
        # client that hangs) has it aborted and its locks released, so that other writers never wait forever.
        for setting, value in SESSION_TIMEOUTS.items():
            conn.execute(sql.SQL("SET {} = {}").format(sql.Identifier(setting), sql.Literal(value)))
        if self.schema:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema)))
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(self.schema)))
        elif (row := conn.execute("SELECT current_schema()").fetchone()) is None or row[0] is None:
            conn.close()
            raise RuntimeError(f"{redact(self._url)}: no current schema (empty search_path); pass a schema")
        return conn

    @property
    def conn(self) -> Any:
        if self._conn is None:
            raise RuntimeError("the store is closed")
        if self._conn.closed:  # the server went away (restart): one new connection, then go on
            self._conn = self._connect()
        return self._conn

    @contextmanager
    def _transaction(self) -> Iterator[_Writer]:
        with self._lock:
            conn = self.conn
            with conn.transaction():
                yield _Writer(conn)

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        # REPEATABLE READ: every statement of the block sees the same committed state.
        with self._lock:
            conn = self.conn
            if conn.info.transaction_status != TransactionStatus.IDLE:  # nested: already consistent
                yield
                return
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield

    def _rows(self, query: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        with self._lock, self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(_pg_sql(query), _params(params))
            return cur.fetchall()

    def _json_param(self, value: Any) -> Any:
        return Jsonb(value)

    def _lock_article(self, conn: Any, article_id: str) -> None:
        # Two processes storing the same new article would otherwise both INSERT it; released at COMMIT.
        conn.execute(f"SELECT pg_advisory_xact_lock({_ARTICLE_LOCK}, hashtext(?))", (article_id,))

    # ------------------------------------------------------------------ schema

    def _meta(self, key: str) -> str | None:
        if self._rows("SELECT to_regclass('vigie_meta') AS t")[0]["t"] is None:
            return None
        rows = self._rows("SELECT value FROM vigie_meta WHERE key = ?", (key,))
        return rows[0]["value"] if rows else None

    @property
    def schema_version(self) -> int:
        return int(self._meta("schema_version") or 0)

    @property
    def has_unaccent(self) -> bool:
        return self._meta("unaccent") == "yes"

    def _migrate(self) -> None:
        with self._transaction() as conn:
            # One process creates or upgrades the schema; the others wait here, then see it done.
            conn.execute(f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})")
            version = self.schema_version
            if not needs_upgrade(self.path, version):
                return
            if version == 0:
                unaccent = self._create_text_search()
                self.conn.execute(resources.files("vigie.store").joinpath("schema_pg.sql").read_text(encoding="utf-8"))
                conn.execute(
                    "INSERT INTO vigie_meta (key, value) VALUES ('unaccent', ?)", ("yes" if unaccent else "no",)
                )
            else:
                run_migrations(conn, version, MIGRATIONS)
            conn.execute(
                "INSERT INTO vigie_meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(SCHEMA_VERSION),),
            )

    def _create_text_search(self) -> bool:
        """Create `vigie_french` and `vigie_fold` (accent-insensitive when unaccent exists); True if it does."""
        conn = self.conn
        for statement in (
            "CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public",
            "CREATE EXTENSION IF NOT EXISTS unaccent",
        ):
            try:
                with conn.transaction():  # a savepoint: a refusal (no privilege, no contrib) is not fatal
                    conn.execute(statement)
                break
            except psycopg.Error:
                continue
        row = conn.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
        ).fetchone()
        conn.execute("CREATE TEXT SEARCH CONFIGURATION vigie_french (COPY = pg_catalog.french)")
        if row is None:
            fold_body = "SELECT lower(value)"
        else:
            ext = sql.Identifier(row[0])
            conn.execute(
                sql.SQL(
                    "ALTER TEXT SEARCH CONFIGURATION vigie_french "
                    "ALTER MAPPING FOR hword, hword_part, word WITH {}.unaccent, pg_catalog.french_stem"
                ).format(ext)
            )
            fold_body = sql.SQL("SELECT lower({}.unaccent(value))").format(ext).as_string(conn)
        # The body is a constant or an identifier quoted by psycopg: no input reaches it.
        conn.execute(
            "CREATE OR REPLACE FUNCTION vigie_fold(value text) RETURNS text "
            f"LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $fold$ {fold_body} $fold$"
        )
        return row is not None

    # ------------------------------------------------------------------ search, size, close

    def search(self, query: str, limit: int = 20, timeout: float = SEARCH_TIMEOUT) -> list[dict[str, Any]]:
        """Full-text search over title + text with the French configuration, best first (ts_rank_cd, title
        weighted above text; score is minus the rank, so lower is better as on SQLite).

        Returns id, title, published, language, score and snippet (matches in [brackets]). Terms are ANDed;
        "a phrase" and prefix* work as on SQLite; French stop words ("la", "de") match nothing.
        The matches are ranked and limited first, and ts_headline runs on the returned rows only, over the
        text's first _HEADLINE_WINDOW characters (the indexed part of the text when no match is there).
        The whole search runs in one transaction whose statements stop after `timeout` seconds
        (SearchTimeoutError). Never raises on what a user types: every term is passed as a parameter to
        phraseto_tsquery/to_tsquery.
        """
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        parts, params = [], []
        for term, prefix in terms:
            if prefix:
                parts.append("to_tsquery('vigie_french', ?)")
                params.append(_prefix_tsquery(term))
            else:
                parts.append("phraseto_tsquery('vigie_french', ?)")
                params.append(term)
        with_query = f"WITH q AS (SELECT {' && '.join(parts)} AS query) "
        body = "coalesce(a.title, '') || E'\\n' || left(a.text, ?)"
        budget = Budget(timeout)
        with self._lock:
            conn = self.conn
            try:
                with conn.transaction():
                    conn.execute("SELECT set_config('statement_timeout', %s, true)", (f"{budget.remaining_ms()}ms",))
                    hits = self._rows(
                        with_query + ", hits AS (SELECT a.seq, -ts_rank_cd(a.fts, q.query) AS score FROM articles a, q"
                        "  WHERE numnode(q.query) > 0 AND a.fts @@ q.query ORDER BY score, a.id LIMIT ?) "
                        "SELECT a.seq, a.id, a.title, a.published, a.language, hits.score, "
                        f"ts_headline('vigie_french', {body}, q.query, ?) AS snippet, length(a.text) > ? AS longer "
                        "FROM hits JOIN articles a ON a.seq = hits.seq, q ORDER BY hits.score, a.id",
                        (*params, int(limit), _HEADLINE_WINDOW, _HEADLINE_OPTIONS, _HEADLINE_WINDOW),
                    )
                    for hit in hits:
                        # no match in the window: look in the rest of the indexed text (past it only if time is left)
                        if hit.pop("longer") and "[" not in (hit["snippet"] or "") and not budget.expired():
                            again = self._rows(
                                with_query + f"SELECT ts_headline('vigie_french', {body}, q.query, ?) AS snippet "
                                "FROM articles a, q WHERE a.seq = ?",
                                (*params, _INDEXED_CHARS, _HEADLINE_OPTIONS, hit["seq"]),
                            )
                            hit["snippet"] = again[0]["snippet"] if again else hit["snippet"]
                        del hit["seq"]
            except psycopg.errors.QueryCanceled:
                raise SearchTimeoutError(timeout) from None
        return hits

    def _index_for_search(self, conn: Any, article_id: str) -> None:
        conn.execute("DELETE FROM search_docs WHERE article_id = ?", (article_id,))
        for statement in index_sql(_INDEX_INSERT, one_article=True):
            conn.execute(statement, (article_id,))

    def _tsquery(self, clauses: list[Clause]) -> str | None:
        """The tsquery (as text) of parsed clauses: each term under each configuration of _QUERY_CONFIGS (ORed);
        a word that one of them drops (a stop word) is left out; None when nothing positive remains."""
        terms: list[Term] = [t for c in clauses for t in c.terms]
        exprs, params = [], []
        for t in terms:
            for config in _QUERY_CONFIGS:
                if t.prefix:  # the words (letters and digits only) quoted, in a row, the last a prefix
                    exprs.append(f"to_tsquery('{config}', ?)::text")
                    params.append(" <-> ".join(f"'{w}'" for w in t.words) + ":*")
                else:
                    exprs.append(f"phraseto_tsquery('{config}', ?)::text")
                    params.append(" ".join(t.words))
        row = self._rows("SELECT " + ", ".join(f"{e} AS t{i}" for i, e in enumerate(exprs)), params)[0]
        found = iter(row[f"t{i}"] for i in range(len(exprs)))
        by_term: dict[int, str] = {}
        for i, _ in enumerate(terms):
            alts = [next(found) or "" for _ in _QUERY_CONFIGS]
            # a word one configuration drops is a stop word there: documents of that language lack it, so it is
            # left out; a prefix matches lexemes of any language, so one configuration keeping it is enough
            if all(alts) or (terms[i].prefix and any(alts)):
                by_term[i] = "(" + " | ".join(dict.fromkeys(f"({a})" for a in alts if a)) + ")"
        positive: list[str] = []
        negative: list[str] = []
        i = 0
        for c in clauses:
            parts = [by_term[j] for j in range(i, i + len(c.terms)) if j in by_term]
            i += len(c.terms)
            if parts:
                (negative if c.negated else positive).append("(" + " | ".join(parts) + ")")
        if not positive:
            return None
        return " & ".join(positive + [f"!{n}" for n in negative])

    def search_all(
        self, query: str, *, kinds: Iterable[str] | None = None, date_from: str | None = None,
        date_to: str | None = None, language: str | None = None, source: str | None = None,
        type: str | None = None, limit: int = 20, offset: int = 0, timeout: float = SEARCH_TIMEOUT,
    ) -> dict[str, Any]:
        """One search over articles, quotes, entities and events (`vigie.store.search_all`): total, by_kind,
        items (best first: score is minus ts_rank_cd, head above body), limit, offset. The statements stop after
        `timeout` seconds (SearchTimeoutError). Never raises on what a user types: the words are letters and digits,
        quoted, passed as parameters; the tsquery is built from PostgreSQL's own output."""
        limit, offset = max(int(limit), 0), max(int(offset), 0)
        clauses = parse_query(query)
        if not clauses:
            return empty_result(limit, offset)
        where, params = SearchFilter(
            tuple(kinds) if kinds is not None else None, date_from, date_to, language, source, type
        ).where()
        matches = (
            "SELECT d.article_id AS aid, d.kind, d.idx, -ts_rank_cd(d.doc, ?::tsquery) AS score "
            "FROM search_docs d WHERE d.doc @@ ?::tsquery"
        )
        head = filtered_sql(matches, "a.id = m.aid", where)
        budget = Budget(timeout)
        with self._lock:
            conn = self.conn
            try:
                with conn.transaction():
                    conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    conn.execute("SELECT set_config('statement_timeout', %s, true)", (f"{budget.remaining_ms()}ms",))
                    tsquery = self._tsquery(clauses)
                    if tsquery is None:
                        return empty_result(limit, offset)
                    counts = self._rows(head + COUNT_SQL, (tsquery, tsquery, *params))
                    rows = self._rows(head + PAGE_SQL, (tsquery, tsquery, *params, limit, offset)) if limit else []
                    ids = sorted({r["id"] for r in rows if r["kind"] == 0})
                    texts = {r["id"]: r["text"] for r in self._rows(
                        "SELECT id, text FROM articles WHERE id = ANY(?)", (ids,))} if ids else {}
            except psycopg.errors.QueryCanceled:
                raise SearchTimeoutError(timeout) from None
        return shape_result(counts, rows, texts, clauses, budget.expired, limit, offset)

    def _database_stats(self) -> dict[str, Any]:
        size = self._rows(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS n FROM pg_class c "
            "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'm')"
        )[0]["n"]
        return {"db_path": self.path, "db_size_bytes": int(size)}

    def close(self) -> None:
        with self._lock:
            if self._conn is None:
                return
            try:
                if self._drop_schema and self.schema is not None and not self._conn.closed:
                    self._conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema)))
            finally:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> PostgresStore:
        return self

    def __repr__(self) -> str:
        return f"PostgresStore({self.path!r})"
