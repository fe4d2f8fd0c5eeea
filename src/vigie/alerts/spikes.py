"""Spikes: a day on which an entity, a place or an event type is named far more than usual.

The rule (`is_spike`): today's count (articles published today naming it) is a spike when it is at least `min_count`
(3) and above ``mean + k * sd`` (k = 3) of its daily counts over the previous `days` (14) days, days without any
counting 0 (sd: the population standard deviation). A thing never named before is a spike from `min_count` articles.

What a saved search watches (its ``spikes`` JSON): ``entities``, ``places``, ``types`` (lists of names) and ``top``
(true, or a number N: the day's N most named entities, places and types, 10 for true), with ``min_count``, ``k`` and
``days`` overriding the defaults.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

DAYS = 14
K = 3.0
MIN_COUNT = 3
TOP = 10
#: The spike spec's keys for each dimension (`vigie.store.alerts.SPIKE_DIMENSIONS`).
SPEC_KEYS = {"entity": "entities", "place": "places", "type": "types"}


@dataclass(frozen=True, slots=True)
class Spike:
    dimension: str  # entity | place | type
    name: str
    day: str
    today: int
    mean: float
    sd: float
    threshold: float

    def as_dict(self) -> dict[str, Any]:
        return {"dimension": self.dimension, "name": self.name, "day": self.day, "today": self.today,
                "mean": round(self.mean, 3), "sd": round(self.sd, 3), "threshold": round(self.threshold, 3)}


def baseline(history: list[int]) -> tuple[float, float]:
    """Mean and population standard deviation of the daily counts (0, 0 for none)."""
    if not history:
        return 0.0, 0.0
    mean = sum(history) / len(history)
    return mean, math.sqrt(sum((x - mean) ** 2 for x in history) / len(history))


def is_spike(today: int, history: list[int], k: float = K, min_count: int = MIN_COUNT) -> bool:
    mean, sd = baseline(history)
    return today >= min_count and today > mean + k * sd


def find_spikes(store: Any, spec: dict[str, Any], day: date) -> list[Spike]:
    """The spikes of `day` among what `spec` watches (see the module's docstring)."""
    days = max(int(spec.get("days") or DAYS), 1)
    k = float(spec.get("k") or K)
    min_count = max(int(spec.get("min_count") or MIN_COUNT), 1)
    top = spec.get("top")
    n_top = 0 if not top else (TOP if top is True else max(int(top), 0))
    start = day - timedelta(days=days)
    today = day.isoformat()
    found: list[Spike] = []
    for dimension, key in SPEC_KEYS.items():
        names = [str(n) for n in spec.get(key) or [] if str(n).strip()]
        if not names and not n_top:
            continue
        counts: dict[str, dict[str, int]] = {}
        for row in store.daily_counts(dimension, start.isoformat(), today, names=names if not n_top else None):
            counts.setdefault(row["name"], {})[row["day"]] = row["n"]
        wanted = set(names)
        if n_top:
            ranked = sorted((c.get(today, 0), n) for n, c in counts.items() if c.get(today, 0))
            wanted |= {n for _, n in sorted(ranked, key=lambda x: (-x[0], x[1]))[:n_top]}
        for name in sorted(wanted):
            per_day = counts.get(name, {})
            history = [per_day.get((start + timedelta(days=i)).isoformat(), 0) for i in range(days)]
            n = per_day.get(today, 0)
            if is_spike(n, history, k, min_count):
                mean, sd = baseline(history)
                found.append(Spike(dimension, name, today, n, mean, sd, mean + k * sd))
    return found
