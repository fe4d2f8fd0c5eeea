"""Store for processed articles: SQLite (a file, the default) or PostgreSQL (a server).

`open_store` is the entry point: it picks the backend from a path or URL. Both implement the
`vigie.store.base.Store` protocol, which is all the CLI, the API and the exports use.
"""

from __future__ import annotations

import os

from vigie.store.base import EventFilter, Store
from vigie.store.sqlite import SCHEMA_VERSION, AmbiguousIdError, SQLiteStore, build_fts_query

__all__ = ["SCHEMA_VERSION", "AmbiguousIdError", "EventFilter", "SQLiteStore", "Store", "build_fts_query", "open_store"]


def open_store(path_or_url: str | os.PathLike[str]) -> Store:
    """Open (creating if needed) the store at a file path, a ``sqlite:///path`` URL or a PostgreSQL URL.

    ``sqlite:///rel/path.db`` is relative, ``sqlite:////abs/path.db`` absolute (SQLAlchemy style);
    ``sqlite://`` alone is an in-memory database. ``postgresql://user:password@host:port/dbname``
    (or ``postgres://``) opens a PostgreSQL store (needs the ``postgres`` extra: psycopg).
    """
    target = os.fspath(path_or_url)
    lowered = target.lower()
    if lowered.startswith(("postgresql:", "postgres:", "postgresql+")):
        from vigie.store.postgres import PostgresStore

        return PostgresStore(target)
    if lowered.startswith("sqlite://"):
        rest = target[len("sqlite://") :]
        if rest in ("", "/"):
            return SQLiteStore(":memory:")
        if not rest.startswith("/"):
            raise ValueError(f"bad SQLite URL {target!r}: expected sqlite:///path/to/file.db")
        return SQLiteStore(rest[1:])
    if "://" in target:
        scheme = target.split("://", 1)[0]
        raise ValueError(f"unsupported store URL scheme {scheme!r}: use a file path or sqlite:///path")
    if not target:
        raise ValueError("empty store path")
    return SQLiteStore(target)
