"""Incremental story clustering within a sliding window of days.

Articles are taken in a canonical order: publication day, then id (articles without a date come after every dated
one, by id, and meet undated articles only). Each article is scored against the stories that have a member published
within `window_days` before it (the `candidates` closest by embedding, vigie.stories.link); it joins the most
probable one when that probability reaches the model's threshold, else it starts a story. A story's id is the id of
its first article; a story goes on beyond the window through its newer members.

The partition is a function of the articles alone (and their order), so a from-scratch rebuild gives the partition
that incremental ingestion gave. An article that arrives late (dated before articles already placed) replays, in
order, the held articles after it: their stories may change, and `add` reports every assignment that did.

    clusterer = StoryClusterer()
    changed = clusterer.add(articles)   # Article or StoryArticle -> {article id: story id}

Memory: the clusterer holds the features of the articles of the last `2 * window_days` days (and the undated ones).
A new run goes on from a store's state with `restore` (the placed articles' features and story ids, from
`history_start(...)` on).
"""
from __future__ import annotations

import bisect
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from vigie.records import Article, published_day
from vigie.stories.article import StoryArticle, from_article
from vigie.stories.features import ArticleFeatures, featurize
from vigie.stories.link import Profile, probability, story_features
from vigie.stories.model import StoryModel, shipped_model

Key = tuple[int, int, str]
PROFILE_CACHE = 4096  # story profiles kept (a story's members in the window change only once a day)


def order_key(f: ArticleFeatures) -> Key:
    """(0, day, id) for a dated article, (1, 0, id) for an undated one."""
    return (0, f.day, f.id) if f.day is not None else (1, 0, f.id)


@dataclass(slots=True)
class TrainingRow:
    """One candidate story of one article, recorded when a teacher (gold labels) decides: bench/stories.py fit."""

    features: list[float]
    same_language: bool
    positive: bool


@dataclass
class StoryClusterer:
    model: StoryModel = field(default_factory=shipped_model)
    keep_days: int | None = None  # history held for late articles (default: twice the window)
    teacher: Callable[[str], str] | None = None  # article id -> gold story (training only)
    training_rows: list[TrainingRow] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._features: dict[str, ArticleFeatures] = {}
        self._story: dict[str, str] = {}
        self._keys: list[Key] = []  # held articles, sorted
        self._members: dict[str, list[str]] = defaultdict(list)  # story -> held member ids, in order
        self._latest: int | None = None
        self._profiles: OrderedDict[tuple[str, ...], Profile] = OrderedDict()

    # ------------------------------------------------------------------ public

    def add(self, articles: Iterable[StoryArticle | Article]) -> dict[str, str]:
        """Place new articles (an `Article` or a `StoryArticle`); {article id: story id} for every article whose
        story was set or changed (the new ones, and held ones a late article re-placed)."""
        items = [a if isinstance(a, StoryArticle) else from_article(a) for a in articles]
        return self.add_features(featurize(items, self.model))

    def add_features(self, features: Sequence[ArticleFeatures]) -> dict[str, str]:
        """`add` for features already computed (stored ones, say)."""
        new: dict[str, ArticleFeatures] = {}
        for f in features:
            new[f.id] = f  # the last copy of an id wins
        if not new:
            return {}
        before = dict(self._story)
        # an article given again replaces its copy: what followed the copy is placed again too
        starts = [order_key(f) for f in new.values()] + [order_key(self._features[i]) for i in new if i in self._features]
        for aid in [i for i in new if i in self._features]:
            self._drop(aid)
        first = bisect.bisect_left(self._keys, min(starts))
        replay = [self._features[k[2]] for k in self._keys[first:]]
        self._drop_range(first, len(self._keys))
        for f in sorted([*new.values(), *replay], key=order_key):
            self._place(f)
        changed = {aid: s for aid, s in self._story.items() if aid in new or before.get(aid) != s}
        self._evict()
        return changed

    def restore(self, placed: Iterable[tuple[ArticleFeatures, str]]) -> None:
        """Hold articles placed before (features, story id), as a store gives them back, without placing them
        again. Give at least the articles published within `window_days` before the next new article."""
        for f, story in placed:
            if f.id in self._features:
                self._drop(f.id)
            self._hold(f, story)
        self._evict()

    def history_start(self, published: Iterable[str | None]) -> str | None:
        """Before adding articles published on these dates (YYYY-MM-DD), `restore` every placed article published
        on or after the date returned (undated new articles also need every placed undated article); None when no
        new article is dated."""
        days = [d for d in (published_day(p) for p in published) if d is not None]
        if not days:
            return None
        return date.fromordinal(min(days) - self.model.window_days).isoformat()

    def story_of(self, article_id: str) -> str | None:
        return self._story.get(article_id)

    def assignments(self) -> dict[str, str]:
        """{article id: story id} of every held article."""
        return dict(self._story)

    def members(self) -> dict[str, list[ArticleFeatures]]:
        """story id -> its held members' features, in order."""
        return {s: [self._features[i] for i in ids] for s, ids in self._members.items() if ids}

    def held(self) -> list[ArticleFeatures]:
        return [self._features[k[2]] for k in self._keys]

    # ------------------------------------------------------------------ internals

    def _hold(self, f: ArticleFeatures, story: str) -> None:
        key = order_key(f)
        bisect.insort(self._keys, key)
        self._features[f.id] = f
        self._story[f.id] = story
        ids = self._members[story]
        keys = [order_key(self._features[i]) for i in ids]
        ids.insert(bisect.bisect_left(keys, key), f.id)
        if f.day is not None and (self._latest is None or f.day > self._latest):
            self._latest = f.day

    def _forget(self, aid: str) -> None:
        """Everything but the key."""
        del self._features[aid]
        story = self._story.pop(aid)
        self._members[story].remove(aid)
        if not self._members[story]:
            del self._members[story]

    def _drop(self, aid: str) -> None:
        self._keys.remove(order_key(self._features[aid]))
        self._forget(aid)

    def _drop_range(self, lo: int, hi: int) -> None:
        for k in self._keys[lo:hi]:
            self._forget(k[2])
        del self._keys[lo:hi]

    def _window(self, f: ArticleFeatures) -> dict[str, list[ArticleFeatures]]:
        """Stories with members before `f` within the window: story -> those members, in order."""
        key = order_key(f)
        if f.day is None:
            lo = bisect.bisect_left(self._keys, (1, 0, ""))
        else:
            lo = bisect.bisect_left(self._keys, (0, f.day - self.model.window_days, ""))
        hi = bisect.bisect_left(self._keys, key)
        out: dict[str, list[ArticleFeatures]] = {}
        for k in self._keys[lo:hi]:
            out.setdefault(self._story[k[2]], []).append(self._features[k[2]])
        return out

    def _candidates(self, f: ArticleFeatures, window: dict[str, list[ArticleFeatures]]) -> list[str]:
        """The stories worth scoring: the `model.candidates` ones whose closest member has the closest embedding,
        ties by story id (on the tuning sets, the same as adding the cosine of the lead's words, and cheaper)."""
        stories = sorted(window)
        limit = self.model.candidates
        if limit <= 0 or len(stories) <= limit:
            return stories
        members = [m for s in stories for m in window[s]]
        sims = np.stack([m.embedding for m in members]) @ f.embedding
        starts = np.cumsum([0] + [len(window[s]) for s in stories[:-1]])
        best = np.maximum.reduceat(sims, starts)
        order = sorted(range(len(stories)), key=lambda i: (-float(best[i]), stories[i]))
        return [stories[i] for i in order[:limit]]

    def _profile(self, story: str, members: list[ArticleFeatures]) -> Profile:
        key = (story, *(m.id for m in members))
        prof = self._profiles.get(key)
        if prof is None:
            prof = self._profiles[key] = Profile(members)
            if len(self._profiles) > PROFILE_CACHE:
                self._profiles.popitem(last=False)
        return prof

    def _place(self, f: ArticleFeatures) -> None:
        window = self._window(f)
        stories = self._candidates(f, window)
        rows = [story_features(f, self._profile(s, window[s]), self.model.window_days) for s in stories]
        if self.teacher is not None:
            gold = self.teacher(f.id)
            self.training_rows += [
                TrainingRow(x, same, s == gold) for s, (x, same) in zip(stories, rows, strict=True)
            ]
            self._hold(f, gold)
            return
        best, best_p = None, self.model.threshold
        for s, p in zip(stories, probability(self.model, rows), strict=True):
            if p >= best_p and (best is None or p > best_p):
                best, best_p = s, float(p)
        self._hold(f, best if best is not None else f.id)

    def _evict(self) -> None:
        if self._latest is None:
            return
        keep = self.keep_days if self.keep_days is not None else 2 * self.model.window_days
        self._drop_range(0, bisect.bisect_left(self._keys, (0, self._latest - keep, "")))
