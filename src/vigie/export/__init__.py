"""Exports of a store in the formats of the field: `export(store, format, out)`.

jsonl (analysis records), csv (events table), mentions (CSV, one row per mention of a cross-document event),
crossdoc (CSV, one row per cross-document event), parquet (a folder of tables), polecat (POLECAT-style TSV of
events), gkg (GDELT-GKG-like TSV). The article formats read the store through `Store.iter_articles`, one article at
a time, and the cross-document ones (and parquet's two cross-document tables) a page of events at a time
(`vigie.store.crossdoc_export`), so they work on SQLite and PostgreSQL alike and never hold the corpus in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from vigie.store.base import Store

#: format -> (module, function, what the output path is)
FORMATS: dict[str, tuple[str, str, str]] = {
    "jsonl": ("vigie.export.jsonl", "write_jsonl", "file"),
    "csv": ("vigie.export.events_csv", "write_events_csv", "file"),
    "mentions": ("vigie.export.crossdoc", "write_mentions_csv", "file"),
    "crossdoc": ("vigie.export.crossdoc", "write_crossdoc_csv", "file"),
    "parquet": ("vigie.export.parquet", "write_parquet", "folder"),
    "polecat": ("vigie.export.polecat", "write_polecat", "file"),
    "gkg": ("vigie.export.gkg", "write_gkg", "file"),
}


def writer(fmt: str) -> Callable[[Store, str | Path], Any]:
    """The function writing `fmt` (its module is imported only when used: parquet needs DuckDB)."""
    import importlib

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    module, function, _ = FORMATS[fmt]
    return getattr(importlib.import_module(module), function)


def export(store: Store, fmt: str, out: str | Path) -> Any:
    """Write the whole store as `fmt` to `out` (a file, "-" for standard output, or a folder for parquet).
    Returns what the writer counted: rows written, or rows per table for parquet."""
    return writer(fmt)(store, out)
