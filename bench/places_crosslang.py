#!/usr/bin/env python3
"""One place, one row across languages: how many real places `/places` and `/map` list more than once.

A mixed store is built with `vigie ingest`: the bundled French sample (samples/wikinews-fr, 60 Wikinews articles)
and the first N English articles of PolNeAR's test split, then dev (../shared/data/polnear-en; 2016 US political
news; default N = 50). The English texts go in through a JSONL file that declares "language": "en".

A real place is a country (its ISO code, whatever its GeoNames id), else a GeoNames entry, else the gazetteer
entry of the stored name, country and kind (curated regions have no GeoNames id: "Atlantic" and "Atlantique"
are one entry), else the stored name and country. Two reads of the same store are compared:
- old reads, what vigie listed before issue 16: one /places row per stored (name, country), one /map point
  per event (location, location_country);
- new reads: `list_places` and `event_places` (one row and one point per place key).
For each: rows (points), and real places on more than one row (point), with examples ("Russia" | "Russie").
Also printed: display names that two rows share now (different places of one name, Paris in France and in
Texas, stay apart), and the PER rows of /entities by canonical name and by person (spelling keys).

To measure what an older vigie stored, build the store with it and measure with this one:
`PYTHONPATH=old/src python bench/places_crosslang.py --build-only --db old.db`, then
`python bench/places_crosslang.py --db old.db`. Skips (exit 0) without ../shared.

usage: bench/places_crosslang.py [--en N] [--db PATH] [--build-only] [--workers N] [--show N]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import REPO, require  # noqa: E402

SAMPLE = REPO / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"


def english_records(n: int) -> list[dict[str, Any]]:
    """The first `n` PolNeAR articles (test split, then dev; by file name), as JSONL records."""
    root = require("data", "polnear-en", "original", "data")
    meta: dict[str, dict[str, str]] = {}
    lines = (root / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t"), strict=False))
        meta[row.get("filename", "")] = row
    out: list[dict[str, Any]] = []
    for split in ("test", "dev"):
        for path in sorted((root / split / "text").glob("*.txt")):
            if len(out) >= n:
                return out
            m = meta.get(path.stem, {})
            out.append({
                "id": f"polnear-{path.stem}", "language": "en", "text": path.read_text(encoding="utf-8"),
                "title": m.get("title") or None, "published": m.get("publication_date") or None,
                "source": m.get("publisher") or None,
            })
    return out


def build(db: Path, n_en: int, workers: int) -> None:
    """`vigie ingest` of the French sample and `n_en` English articles into a new SQLite store `db`."""
    with tempfile.TemporaryDirectory() as tmp:
        en = Path(tmp) / "polnear-en.jsonl"
        en.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in english_records(n_en)), encoding="utf-8")
        cmd = [sys.executable, "-m", "vigie", "ingest", str(SAMPLE), str(en), "--db", str(db), "--workers", str(workers)]
        subprocess.run(cmd, check=True, capture_output=True, text=True)


def _key(row: dict[str, Any], index: Any) -> str:
    """The real place of a stored place row: its country, its GeoNames id, else the gazetteer entry of that
    name, country and kind ("Atlantic" and "Atlantique" are one curated entry), else its name and country."""
    if row["kind"] == "country" and row["country"]:
        return f"country:{row['country']}"
    if row["geonames_id"] is not None:
        return f"geonames:{row['geonames_id']}"
    entries = sorted({p >> 2 for p in index.lookup(row["name"])
                      if index.country[p >> 2] == (row["country"] or "") and index.kind_of(p >> 2) == row["kind"]})
    return f"entry:{entries[0]}" if entries else f"name:{row['country'] or ''}:{row['name']}"


def old_place_rows(store: Any) -> list[dict[str, Any]]:
    """The rows /places listed before issue 16: one per stored (name, country)."""
    return store._rows("SELECT name, country, COUNT(*) AS n_mentions FROM places WHERE name IS NOT NULL "
                       "GROUP BY name, country")


def old_points(store: Any) -> list[dict[str, Any]]:
    """The points /map showed before issue 16: one per event (location, location_country)."""
    return store._rows("SELECT location AS name, location_country AS country, COUNT(*) AS n FROM events "
                       "WHERE location IS NOT NULL GROUP BY location, location_country")


def measure(db: Path, show: int) -> dict[str, Any]:
    from vigie.places import load_index
    from vigie.store import SQLiteStore

    index = load_index()
    store = SQLiteStore(db)
    try:
        pairs: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        for r in store._rows(
            "SELECT DISTINCT name, country, kind, geonames_id FROM places WHERE name IS NOT NULL"
        ):
            pairs[(r["name"], r["country"])].add(_key(r, index))
        languages = {r["language"]: int(r["n"]) for r in store._rows(
            "SELECT language, COUNT(*) AS n FROM articles GROUP BY language")}

        def twice(rows: list[dict[str, Any]], by_key: bool) -> dict[str, list[str]]:
            places: dict[str, list[str]] = defaultdict(list)
            for r in rows:
                keys = pairs.get((r["name"], r["country"]), set())
                if by_key and r.get("key") and not r["key"].startswith("name:"):
                    keys = {r["key"]}  # the store's key (a key by name: the real place of its stored name)
                for k in keys:
                    places[k].append(f"{r['name']} ({r['country'] or '-'})")
            return {k: v for k, v in places.items() if len(v) > 1}

        old_rows, rows = old_place_rows(store), store.list_places(limit=1_000_000)
        old_pts, points = old_points(store), store.event_places()
        new_twice = twice(rows, True)
        names: dict[str, int] = defaultdict(int)
        for r in rows:
            names[r["name"]] += 1
        out = {
            "articles": languages,
            "old": {"rows": len(old_rows), "twice": twice(old_rows, False), "points": len(old_pts),
                    "points_twice": twice(old_pts, False)},
            "new": {"rows": len(rows), "twice": new_twice, "points": len(points),
                    "points_twice": twice(points, True),
                    "shared_names": sorted(n for n, c in names.items() if c > 1)},
            "people": people(store),
        }
    finally:
        store.close()
    return out


def people(store: Any) -> dict[str, Any] | None:
    """PER rows of `list_entities` before (one per canonical name) and now, and the groups made of several
    spellings (None when this vigie has no spelling keys)."""
    try:
        from vigie.store.speakers import group_persons
    except ImportError:
        return None
    names = [r["canonical"] for r in store._rows("SELECT DISTINCT canonical FROM entities WHERE label = 'PER'")]
    groups = {tuple(g) for g in group_persons(names).values()}
    return {"old_rows": len(names), "rows": len(store.list_entities(label="PER", limit=1_000_000)),
            "groups": sorted(groups)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--en", type=int, default=50, help="English PolNeAR articles to add (default 50)")
    ap.add_argument("--db", type=Path, help="the store to build (when missing) and measure")
    ap.add_argument("--build-only", action="store_true", help="build the store and stop")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--show", type=int, default=15, help="places listed twice to print")
    args = ap.parse_args()
    require("data", "polnear-en")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "mixed.db"
        if not db.exists():
            build(db, args.en, args.workers)
        if args.build_only:
            print(f"built {db}")
            return
        got = measure(db, args.show)
    print(f"store: {got['articles']} articles by language")
    for label in ("old", "new"):
        g = got[label]
        print(f"{label} reads: /places rows {g['rows']}, real places on more than one row {len(g['twice'])}; "
              f"/map points {g['points']}, real places on more than one point {len(g['points_twice'])}")
        for key, shown in sorted(g["twice"].items(), key=lambda kv: (-len(kv[1]), kv[0]))[:args.show]:
            print(f"  {key}: {' | '.join(shown)}")
    print(f"names two rows share now (different places of one name): {got['new']['shared_names']}")
    if got["people"] is not None:
        p = got["people"]
        print(f"PER rows of /entities: {p['old_rows']} by canonical name, {p['rows']} by person; "
              f"groups of several spellings: {p['groups']}")


if __name__ == "__main__":
    main()
