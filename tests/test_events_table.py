"""One events table: `vigie export -f csv`, the web's /events.csv and events.parquet have the same columns in the
same order, and the web's filtered CSV is the export's rows for those events, cell for cell."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from vigie.app import create_app
from vigie.export import export
from vigie.export.events_table import COLUMNS
from vigie.store import SQLiteStore
from web_fixtures import fill_store

duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("table") / "news.db"
    fill_store(path)
    return path


@pytest.fixture(scope="module")
def exported(db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[dict[str, str]], Path]:
    out = tmp_path_factory.mktemp("out")
    with SQLiteStore(db) as store:
        export(store, "csv", out / "events.csv")
        export(store, "parquet", out / "pq")
    with (out / "events.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    return header, rows, out / "pq" / "events.parquet"


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    with TestClient(create_app(str(db), token="")) as c:
        yield c


def web_csv(client: TestClient, **params: str) -> tuple[list[str], list[dict[str, str]]]:
    r = client.get("/events.csv", params=params)
    assert r.status_code == 200
    reader = csv.DictReader(io.StringIO(r.text))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_three_writers_one_column_list(exported, client):
    header, rows, parquet = exported
    web_header, web_rows = web_csv(client)
    pq_columns = [r[0] for r in duckdb.execute(f"DESCRIBE SELECT * FROM '{parquet}'").fetchall()]
    assert header == web_header == pq_columns == COLUMNS
    assert {"latitude", "longitude", "day", "article_url", "source_name"} <= set(COLUMNS)
    assert COLUMNS.index("latitude") == COLUMNS.index("location_country") + 1
    assert len(rows) == len(web_rows) == duckdb.execute(f"SELECT count(*) FROM '{parquet}'").fetchone()[0] > 0


def _key(row: dict[str, str]) -> tuple[str, int]:
    return row["article_id"], int(row["idx"])


def test_the_whole_web_csv_is_the_export(exported, client):
    _, rows, _ = exported
    _, web_rows = web_csv(client)
    assert sorted(web_rows, key=_key) == sorted(rows, key=_key)


@pytest.mark.parametrize(
    "params", [{"country": "KZ"}, {"type": "ASSAULT"}, {"place": "Paris"}, {"date_from": "2022-01-06"}]
)
def test_filtered_web_csv_is_the_export_restricted(exported, client, params):
    _, rows, _ = exported
    _, web_rows = web_csv(client, **params)
    keys = {_key(r) for r in web_rows}
    assert web_rows and len(keys) == len(web_rows)
    assert sorted(web_rows, key=_key) == sorted((r for r in rows if _key(r) in keys), key=_key)


def test_cells_coordinates_and_formula_guard(exported):
    _, rows, parquet = exported
    almaty = [r for r in rows if r["location"] == "Almaty"]
    assert almaty and all((r["latitude"], r["longitude"]) == ("43.25", "76.92") for r in almaty)
    assert any(r["target"] == "'=foule" for r in rows)  # a spreadsheet would run "=foule"
    assert all(r["mentions"].startswith("[") for r in rows) and any(r["mentions"].startswith("[[") for r in rows)
    got = duckdb.execute(
        f"SELECT target, latitude, date_inferred FROM '{parquet}' WHERE target LIKE '%foule'"
    ).fetchall()
    assert got == [("'=foule", 43.25, False)]  # the same cell; numbers and booleans typed
