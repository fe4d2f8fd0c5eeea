"""Embedded store for processed articles.

`open_store` is the entry point: it picks the backend from a path or URL. Only SQLite exists for
now; a PostgreSQL store will implement the same interface as `SQLiteStore`.
"""
from __future__ import annotations

import os

from vigie.store.sqlite import SCHEMA_VERSION, AmbiguousIdError, SQLiteStore, build_fts_query

__all__ = ["SCHEMA_VERSION", "AmbiguousIdError", "SQLiteStore", "build_fts_query", "open_store"]


def open_store(path_or_url: str | os.PathLike[str]) -> SQLiteStore:
    """Open (creating if needed) the store at a file path or a ``sqlite:///path`` URL.

    ``sqlite:///rel/path.db`` is relative, ``sqlite:////abs/path.db`` absolute (SQLAlchemy style);
    ``sqlite://`` alone is an in-memory database.
    """
    target = os.fspath(path_or_url)
    lowered = target.lower()
    if lowered.startswith(("postgresql:", "postgres:", "postgresql+")):
        raise ValueError(
            f"PostgreSQL stores are not supported yet ({_redact(target)}); use a file path or sqlite:///path"
        )
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


def _redact(url: str) -> str:
    """Hide a password in a URL before putting it in an error message."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        creds, _, host = rest.rpartition("@")
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url
