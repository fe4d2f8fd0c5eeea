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
#: Bucket sizes of the events timeline, and the longest span (days) each is chosen for automatically: a bar per day
#: up to three months, per week up to two years, per month beyond.
BUCKETS = ("day", "week", "month")
AUTO_DAY_SPAN, AUTO_WEEK_SPAN = 92, 731
#: The timeline's default range starts at this quantile of the events' days (older events are hidden behind a
#: "show all" link) when the hidden stretch would take more than OUTLIER_SHARE of the axis and a week or more.
DENSE_QUANTILE = 0.02
OUTLIER_SHARE = 1 / 3
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
    by: str = "day"  # day, week or month: what one bar covers
    width: int = CHART_W
    height: int = CHART_H
    margin_left: int = MARGIN_L
    margin_bottom: int = MARGIN_B
    margin_top: int = MARGIN_T


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def auto_bucket(first: date, last: date) -> str:
    """The timeline's bucket for a span of days: day, week or month (AUTO_DAY_SPAN, AUTO_WEEK_SPAN)."""
    span = (last - first).days + 1
    return "day" if span <= AUTO_DAY_SPAN else "week" if span <= AUTO_WEEK_SPAN else "month"


def dense_start(rows: list[dict[str, Any]]) -> tuple[date | None, int]:
    """Where the timeline's default range starts, and how many events that hides: the day at DENSE_QUANTILE of
    the events' days (rows [{"day", "n"}]) when the older stretch would take more than OUTLIER_SHARE of the axis
    and over a week (a few events years before the rest would squeeze every other bar); else (None, 0)."""
    per_day: dict[date, int] = defaultdict(int)
    for r in rows:
        try:
            per_day[date.fromisoformat(str(r["day"])[:10])] += int(r["n"])
        except ValueError:
            continue
    if not per_day:
        return None, 0
    days = sorted(per_day)
    total = sum(per_day.values())
    cut = math.floor(total * DENSE_QUANTILE)  # events that may be left out
    seen, start = 0, days[0]
    for d in days:
        if seen + per_day[d] > cut:
            start = d
            break
        seen += per_day[d]
    first, last = days[0], days[-1]
    older = (start - first).days
    if start == first or older < 7 or older <= OUTLIER_SHARE * (last - first).days:
        return None, 0
    return start, seen


def _buckets(days: list[date], by: str | None = None) -> tuple[list[tuple[date, date]], str]:
    """Consecutive (first, last) day ranges covering `days`: one per day, week (Monday to Sunday) or month;
    `by` None: per day, or per month past MAX_DAY_BARS."""
    lo, hi = min(days), max(days)
    if by is None:
        by = "day" if (hi - lo).days < MAX_DAY_BARS else "month"
    if by == "day":
        return [(lo + timedelta(days=i),) * 2 for i in range((hi - lo).days + 1)], by
    out = []
    if by == "week":
        d = lo - timedelta(days=lo.weekday())
        while d <= hi:
            out.append((d, d + timedelta(days=6)))
            d += timedelta(days=7)
        return out, by
    d = date(lo.year, lo.month, 1)
    while d <= hi:
        out.append((d, _month_end(d)))
        d = _month_end(d) + timedelta(days=1)
    return out, "month"


def _bucket_label(first: date, by: str) -> str:
    return first.strftime("%Y-%m") if by == "month" else ("week of " if by == "week" else "") + first.isoformat()


def stacked_bars(rows: list[dict[str, Any]], key: str = "type", height: int = CHART_H,
                 noun: str = "event", width: int = CHART_W, max_labels: int = 8, by: str | None = None,
                 span: tuple[date, date] | None = None) -> Chart | None:
    """Stacked bars from [{"day", key, "n"}] ("" key: one series); None when there is nothing to draw. `noun` is
    what the bars count, for their hover text ("2022-01-05: 3 articles"); `width` and `max_labels` make a chart for
    narrow screens (fewer units across: its text stays readable when it is drawn small). `by` is what a bar covers
    (day, week, month; None: per day, or per month past MAX_DAY_BARS days); `span` (first, last day) widens the
    axis to a chosen range (the days of `rows` outside it are dropped)."""
    counts: dict[date, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        try:
            day = date.fromisoformat(str(r["day"])[:10])
        except ValueError:
            continue
        counts[day][r.get(key) if key else None] += int(r["n"])
    if span is not None:
        counts = defaultdict(lambda: defaultdict(int), {d: c for d, c in counts.items() if span[0] <= d <= span[1]})
    if not counts:
        return None
    buckets, by = _buckets(list(counts) + (list(span) if span else []), by)
    by_month = by == "month"
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
        label = _bucket_label(first, by)
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
    return Chart(bars, labels, y_max, by_month, by, width=width, height=height)


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
