"""Geometry of the server-drawn SVG charts: events timeline (stacked bars), mention bars, events map.

Only numbers and strings are computed here; the templates write the SVG (so every label is escaped there).
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from vigie.events.plover import TYPES as PLOVER_TYPES
from vigie.web import world

#: One colour per PLOVER type, from greens/blues (cooperation) through yellows (verbal conflict) to reds
#: (material conflict), so the timeline reads at a glance. style.css repeats them for the HTML badges.
TYPE_COLORS = {
    "AGREE": "#1b9e77", "CONSULT": "#66a61e", "SUPPORT": "#8fbf3f", "CONCEDE": "#4fb3a9",
    "COOPERATE": "#1f78b4", "AID": "#5fa2d0", "RETREAT": "#9a9ad8", "REQUEST": "#7570b3",
    "ACCUSE": "#e6ab02", "REJECT": "#d9a441", "THREATEN": "#f08a3c", "PROTEST": "#ff7f00",
    "SANCTION": "#bc80bd", "MOBILIZE": "#a65628", "COERCE": "#e7298a", "ASSAULT": "#d62728",
}  # fmt: skip
OTHER_COLOR = "#888888"
#: Past this many days the timeline groups events by month: a bar per day would be under a pixel wide.
MAX_DAY_BARS = 370
CHART_W, CHART_H = 960, 240
MARGIN_L, MARGIN_B, MARGIN_T = 40, 24, 10
#: Widest bar, in chart units: with a handful of days, full-width bars would read as blocks, not bars.
MAX_BAR_W = 48
#: Largest and smallest map circle radius, in degrees (the map's units); the area grows with the count.
MAP_R_MIN, MAP_R_MAX = 1.2, 7.0


def type_color(kind: str | None) -> str:
    return TYPE_COLORS.get(kind or "", OTHER_COLOR)


@dataclass(slots=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    color: str
    title: str
    first: str  # first and last day the bar covers (for its link)
    last: str
    type: str | None = None


@dataclass(slots=True)
class Chart:
    bars: list[Bar]
    labels: list[tuple[float, str]]  # x, text of the time axis
    y_max: int
    by_month: bool
    width: int = CHART_W
    height: int = CHART_H
    margin_left: int = MARGIN_L
    margin_bottom: int = MARGIN_B
    margin_top: int = MARGIN_T


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _buckets(days: list[date]) -> tuple[list[tuple[date, date]], bool]:
    """Consecutive (first, last) day ranges covering `days`: one per day, or one per month past MAX_DAY_BARS."""
    lo, hi = min(days), max(days)
    if (hi - lo).days < MAX_DAY_BARS:
        return [(lo + timedelta(days=i),) * 2 for i in range((hi - lo).days + 1)], False
    out = []
    d = date(lo.year, lo.month, 1)
    while d <= hi:
        out.append((d, _month_end(d)))
        d = _month_end(d) + timedelta(days=1)
    return out, True


def stacked_bars(rows: list[dict[str, Any]], key: str = "type", height: int = CHART_H,
                 noun: str = "event", width: int = CHART_W, max_labels: int = 8) -> Chart | None:
    """Stacked bars from [{"day", key, "n"}] ("" key: one series); None when there is nothing to draw. `noun` is
    what the bars count, for their hover text ("2022-01-05: 3 articles"); `width` and `max_labels` make a chart for
    narrow screens (fewer units across: its text stays readable when it is drawn small)."""
    counts: dict[date, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        try:
            day = date.fromisoformat(str(r["day"])[:10])
        except ValueError:
            continue
        counts[day][r.get(key) if key else None] += int(r["n"])
    if not counts:
        return None
    buckets, by_month = _buckets(list(counts))
    index = {}
    for i, (first, last) in enumerate(buckets):
        d = first
        while d <= last:
            index[d] = i
            d += timedelta(days=1)
    totals: list[dict[str | None, int]] = [defaultdict(int) for _ in buckets]
    for day, by_type in counts.items():
        for kind, n in by_type.items():
            totals[index[day]][kind] += n
    y_max = max(sum(t.values()) for t in totals)
    plot_w, plot_h = width - MARGIN_L, height - MARGIN_B - MARGIN_T
    bw = plot_w / len(buckets)
    w = min(max(bw - (1 if bw > 4 else 0), 0.5), MAX_BAR_W)
    order = {t: i for i, t in enumerate(PLOVER_TYPES)}
    bars = []
    for i, ((first, last), by_type) in enumerate(zip(buckets, totals, strict=True)):
        y = float(height - MARGIN_B)
        label = first.strftime("%Y-%m") if by_month else first.isoformat()
        for kind in sorted(by_type, key=lambda k: (order.get(k or "", 99), k or "")):
            n = by_type[kind]
            h = plot_h * n / y_max
            y -= h
            title = f"{label}: {n} {noun}{'s' if n > 1 else ''}" + (f" {kind}" if kind else "")
            bars.append(Bar(MARGIN_L + i * bw + (bw - w) / 2, y, w, h, type_color(kind) if key else "#4a6fa5",
                            title, first.isoformat(), last.isoformat(), kind))
    step = max(1, math.ceil(len(buckets) / max(max_labels, 1)))
    labels = [
        (MARGIN_L + i * bw + bw / 2, first.strftime("%Y-%m") if by_month else first.isoformat())
        for i, (first, _) in enumerate(buckets)
        if i % step == 0
    ]
    return Chart(bars, labels, y_max, by_month, width=width, height=height)


@dataclass(slots=True)
class MapPoint:
    cx: float
    cy: float
    r: float
    color: str
    title: str
    name: str
    n: int


def map_points(points: list[dict[str, Any]]) -> tuple[list[MapPoint], list[dict[str, Any]]]:
    """Circles for the points that have coordinates (largest first, so small ones stay clickable on top),
    and the points that have none."""
    located = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    missing = [p for p in points if p not in located]
    n_max = max((int(p["n"]) for p in located), default=1)
    out = []
    for p in sorted(located, key=lambda p: -int(p["n"])):
        n = int(p["n"])
        cx, cy = world.project(float(p["lon"]), float(p["lat"]))
        types = p.get("types") or {}
        dominant = max(types, key=lambda t: types[t]) if types else None
        detail = ", ".join(f"{t} {k}" for t, k in types.items())
        where = p["name"] + (f" ({p['country']})" if p.get("country") else "")
        r = MAP_R_MIN + (MAP_R_MAX - MAP_R_MIN) * math.sqrt(n / n_max)
        title = f"{where}: {n} event{'s' if n > 1 else ''} — {detail}"
        out.append(MapPoint(round(cx, 2), round(cy, 2), round(r, 2), type_color(dominant), title, p["name"], n))
    return out, missing
