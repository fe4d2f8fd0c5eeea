"""The `store` fixture of the store tests: every test runs on SQLite and on PostgreSQL.

The PostgreSQL case needs a server: set VIGIE_TEST_PG_URL to a database URL whose user may create schemas
(`.ci/run` starts a private cluster and sets it; locally: `eval "$(bash scripts/pg.sh start)"`). Each test
gets its own fresh schema, dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from vigie.store import SQLiteStore

PG_URL = os.environ.get("VIGIE_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgresql"]


def pg_skip_reason() -> str | None:
    if not PG_URL:
        return "PostgreSQL store tests skipped: VIGIE_TEST_PG_URL is not set (see scripts/pg.sh)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "PostgreSQL store tests skipped: psycopg is not installed (pip install -e '.[postgres]')"
    return None


def open_backend(kind: str, tmp_path: Any) -> Any:
    """A fresh empty store of the given kind (skips the test when PostgreSQL is not reachable)."""
    if kind == "sqlite":
        return SQLiteStore(tmp_path / "sub" / "vigie.db")
    reason = pg_skip_reason()
    if reason and PG_URL and os.environ.get("CI"):
        pytest.fail(reason)  # CI set up a server for these tests: not running them is a failure
    if reason:
        pytest.skip(reason)
    from vigie.store.postgres import PostgresStore

    schema = f"vigie_test_{uuid.uuid4().hex[:12]}"
    try:
        return PostgresStore(PG_URL, schema=schema, drop_schema_on_close=True)
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server here"
        if os.environ.get("CI"):
            raise  # CI starts its own server: not reaching it is a failure, not a skip
        pytest.skip(f"PostgreSQL store tests skipped: cannot connect to VIGIE_TEST_PG_URL ({type(exc).__name__})")


@pytest.fixture(name="store", params=BACKENDS)
def store_fixture(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    """A fresh store, once on SQLite and once on PostgreSQL. Import it in a test module to use `store`."""
    s = open_backend(request.param, tmp_path)
    yield s
    s.close()


def scalar(store: Any, sql: str, params: tuple[Any, ...] = ()) -> Any:
    """First column of the first row of a ``?``-placeholder query, on either backend."""
    row = store._rows(sql, params)[0]
    return next(iter(row.values()))
