"""What a story shows: a title, its time span, size, sources, main places and main actors, from the features of
its members (all of them: a store passes every member it holds, not only the clusterer's window)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vigie.stories.features import ArticleFeatures

TOP = 5  # places and actors listed per story


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    title: str  # the headline of the member closest to the story's mean embedding
    first: str | None  # earliest publication date (YYYY-MM-DD)
    last: str | None  # latest publication date
    size: int
    sources: tuple[tuple[str, int], ...]  # (source, articles), most articles first
    places: tuple[str, ...]  # names of the places most articles name
    actors: tuple[str, ...]  # people and organisations most articles name
    languages: tuple[str, ...]
    articles: tuple[str, ...]  # member ids, in order


def _top(counts: Counter[str], n: int = TOP) -> tuple[str, ...]:
    return tuple(k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def summarize(story_id: str, members: Sequence[ArticleFeatures]) -> StorySummary:
    """The summary of one story from its members' features (non-empty, any order)."""
    ms = sorted(members, key=lambda f: (f.day is None, f.day or 0, f.id))
    centre = np.sum([m.embedding for m in ms], axis=0)
    scores = [float(np.dot(m.embedding, centre)) for m in ms]
    best = max(range(len(ms)), key=lambda i: (round(scores[i], 6), -i))
    dates = sorted(m.published for m in ms if m.published)
    sources = Counter(m.source for m in ms if m.source)
    places: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    for m in ms:
        places.update(set(m.place_names))
        actors.update(set(m.actors))
    return StorySummary(
        id=story_id,
        title=ms[best].headline,
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        size=len(ms),
        sources=tuple(sorted(sources.items(), key=lambda kv: (-kv[1], kv[0]))),
        places=_top(places),
        actors=_top(actors),
        languages=tuple(sorted({m.language for m in ms})),
        articles=tuple(m.id for m in ms),
    )
