"""Parquet tables for analysts: one file per table in an output folder, written with DuckDB.

``articles.parquet`` (every stored column but ``raw``; ``meta`` as JSON text; ``duplicate_of``) and ``entities``, ``quotes``,
``dates``, ``quantities``, ``measures``, ``places`` (``article_id``, ``idx``, then the fields of the matching
`vigie.records` dataclass, typed: lists are Parquet lists, booleans booleans) and ``events``, the one events table of
`vigie.export.events_table` (the columns and cells of ``vigie export -f csv`` and the web's ``/events.csv``,
typed: numbers, booleans and nulls stay so; with the ``event_id``, ``n_articles`` and ``n_sources`` of each record's
cross-document event). Join on ``article_id``.

``crossdoc_events`` (one row per real-world event across articles) and ``crossdoc_mentions`` (one row per mention of
it in an article, copies included): the rows of ``vigie export -f crossdoc`` and ``-f mentions``
(`vigie.export.crossdoc`), typed, lists as lists; join on ``event_id`` (the events table carries it too). Empty before
the store's events are linked.

DuckDB (the ``parquet`` extra) was chosen over pyarrow: about 70 MB installed against 170 MB, no
dependencies, and it reads the result back too. Rows are streamed to temporary JSON-lines files article by
article, then DuckDB converts each file to Parquet (zstd): the corpus is never held in Python memory.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from vigie.export.crossdoc import CROSSDOC_TYPES, MENTION_TYPES, table_rows
from vigie.export.events_table import COLUMN_TYPES as EVENT_TABLE_TYPES
from vigie.export.events_table import article_rows
from vigie.store.base import Store
from vigie.store.common import ANNOTATION_TABLES

#: articles.parquet: column -> DuckDB type.
ARTICLE_COLUMNS = {
    "id": "VARCHAR", "url": "VARCHAR", "title": "VARCHAR", "source": "VARCHAR", "author": "VARCHAR",
    "published": "VARCHAR", "language": "VARCHAR", "language_score": "DOUBLE", "origin": "VARCHAR",
    "text": "VARCHAR", "meta": "VARCHAR", "n_removed_lines": "BIGINT", "content_hash": "VARCHAR",
    "ingested_at": "VARCHAR", "updated_at": "VARCHAR", "duplicate_of": "VARCHAR",
}  # fmt: skip

_TYPES = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "bool": "BOOLEAN", "list[str]": "VARCHAR[]",
          "list[list[int]]": "BIGINT[][]"}  # fmt: skip
_MAX_OBJECT_BYTES = 256 * 1024 * 1024  # one JSON line (an article's text) may be this large


def duckdb_type(annotation: str) -> str:
    """DuckDB type of a dataclass field annotation ("str | None" -> VARCHAR)."""
    base = str(annotation).replace(" | None", "").replace("None | ", "").strip()
    return _TYPES[base]


def table_columns() -> dict[str, dict[str, str]]:
    """Every exported table: name -> {column: DuckDB type}."""
    tables = {"articles": ARTICLE_COLUMNS}
    for table, model in ANNOTATION_TABLES.values():
        if table == "events":
            tables[table] = dict(EVENT_TABLE_TYPES)
            continue
        tables[table] = {
            "article_id": "VARCHAR",
            "idx": "BIGINT",
            **{f.name: duckdb_type(str(f.type)) for f in fields(model)},
        }
    tables["crossdoc_events"] = dict(CROSSDOC_TYPES)
    tables["crossdoc_mentions"] = dict(MENTION_TYPES)
    return tables


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def write_parquet(store: Store, out_dir: str | Path) -> dict[str, int]:
    """Write the ten tables as ``out_dir/<table>.parquet``. Returns the number of rows of each."""
    import duckdb  # optional dependency: pip install 'vigie[parquet]'

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = table_columns()
    counts = dict.fromkeys(tables, 0)
    with tempfile.TemporaryDirectory(prefix="vigie-parquet-") as tmp:
        paths = {name: Path(tmp) / f"{name}.jsonl" for name in tables}
        handles = {name: path.open("w", encoding="utf-8") for name, path in paths.items()}
        try:
            for article in store.iter_articles():
                row: dict[str, Any] = {c: article.get(c) for c in ARTICLE_COLUMNS}
                row["meta"] = json.dumps(article.get("meta") or {}, ensure_ascii=False, sort_keys=True)
                handles["articles"].write(json.dumps(row, ensure_ascii=False) + "\n")
                counts["articles"] += 1
                for area, (table, _) in ANNOTATION_TABLES.items():
                    if table == "events":
                        for event_row in article_rows(article):
                            handles[table].write(json.dumps(event_row, ensure_ascii=False) + "\n")
                            counts[table] += 1
                        continue
                    for idx, item in enumerate(article.get(area, [])):
                        handles[table].write(
                            json.dumps({"article_id": article["id"], "idx": idx, **item}, ensure_ascii=False) + "\n"
                        )
                        counts[table] += 1
            for event_row, mention_rows in table_rows(store):  # a page of events at a time
                handles["crossdoc_events"].write(json.dumps(event_row, ensure_ascii=False) + "\n")
                counts["crossdoc_events"] += 1
                for mention_row in mention_rows:
                    handles["crossdoc_mentions"].write(json.dumps(mention_row, ensure_ascii=False) + "\n")
                    counts["crossdoc_mentions"] += 1
        finally:
            for fh in handles.values():
                fh.close()
        con = duckdb.connect()
        try:
            for name, cols in tables.items():
                spec = "{" + ", ".join(f"{_sql_string(c)}: {_sql_string(t)}" for c, t in cols.items()) + "}"
                # COPY takes no parameters for its target: the path is quoted as an SQL string literal.
                con.execute(
                    f"COPY (SELECT * FROM read_json(?, format = 'newline_delimited', columns = {spec}, "
                    f"maximum_object_size = {_MAX_OBJECT_BYTES})) "
                    f"TO {_sql_string(str(out / f'{name}.parquet'))} (FORMAT parquet, COMPRESSION zstd)",
                    [str(paths[name])],
                )
        finally:
            con.close()
    return counts
