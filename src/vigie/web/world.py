"""The offline world outline: Natural Earth 1:110m countries (TopoJSON, see static/world/NOTICE.md) as SVG paths.

The map is drawn in an equirectangular projection where one SVG unit is one degree: x = longitude,
y = -latitude, so a point needs no projection code beyond a sign change (`project`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from markupsafe import Markup, escape

WORLD_FILE = "countries-110m.json"
#: Decimals kept in path coordinates: 0.1 degree is finer than the 1:110m source and halves the markup.
PRECISION = 1
#: Latitudes shown: Antarctica's interior and the high Arctic carry no news and would waste a third of the height.
NORTH, SOUTH = 84.0, -60.0
VIEWBOX = f"-180 {-NORTH:g} 360 {NORTH - SOUTH:g}"


@dataclass(frozen=True, slots=True)
class Country:
    id: str  # ISO 3166-1 numeric code as in the source ("" when it has none)
    name: str
    path: str  # SVG path data in map coordinates


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map coordinates (SVG user units) of a longitude/latitude."""
    return lon, -lat


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    # Quantized TopoJSON: each arc is a list of integer deltas; positions are their running sums,
    # then scaled and translated back to degrees.
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # a negative index is the arc ~i walked backwards
        points.extend(arc[1:] if points else arc)  # consecutive arcs share their joining point
    return points


def _unwrap(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The ring, plus a copy shifted by 360 degrees when it crosses the antimeridian (Russia, Fiji).

    Natural Earth keeps such rings whole, jumping from +180 to -180; drawn as is, that jump is a line across
    the whole map. Made continuous (longitudes past 180), the ring is drawn twice, once on each side, and the
    SVG viewport clips what falls outside.
    """
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while prev - lon > 180:
            lon += 360
        out.append((lon, lat))
    copies = [out]
    if max(lon for lon, _ in out) > 180:
        copies.append([(lon - 360, lat) for lon, lat in out])
    if min(lon for lon, _ in out) < -180:
        copies.append([(lon + 360, lat) for lon, lat in out])
    return copies


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    # rings wholly south of the map's edge (Antarctica) are left out
    for ring in (copy for r in rings if r and max(lat for _, lat in r) > SOUTH for copy in _unwrap(r)):
        coords: list[str] = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            xy = f"{round(x, PRECISION):g},{round(y, PRECISION):g}"
            if not coords or coords[-1] != xy:
                coords.append(xy)
        if len(coords) >= 3:
            parts.append("M" + "L".join(coords) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """Every country of the outline, decoded once per process (about 30 ms)."""
    raw = (resources.files("vigie.web") / "static" / "world" / WORLD_FILE).read_text(encoding="utf-8")
    topology = json.loads(raw)
    arcs = _decode_arcs(topology)
    out = []
    for geom in topology["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            polygons = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["arcs"]
        else:  # null geometries carry no outline
            continue
        path = _path([_ring(ring, arcs) for polygon in polygons for ring in polygon])
        if path:
            out.append(Country(str(geom.get("id") or ""), geom.get("properties", {}).get("name", ""), path))
    return tuple(out)


@lru_cache(maxsize=1)
def land_svg() -> Markup:
    """The SVG paths of every country (with its name as a tooltip), rendered once per process."""
    return Markup("".join(f'<path d="{c.path}"><title>{escape(c.name)}</title></path>' for c in countries()))
