"""Stories over a store (issue 14): after an ingest run, place the run's analysed articles in stories
(`vigie.stories.StoryClusterer`) and store each one's story id with the features it was placed with.

    batch = StoryBatch()
    for article in analysed_and_stored:    # the parent process, as the run goes
        batch.add(article)                 # duplicates are passed over: they take their original's story
    changed = batch.place(store)           # once per run: {article id: story id}, written in one transaction

The clusterer goes on from the store's state: the placed articles of the window before the run's first article are
restored with their stored features (computed again from the stored record when the model's feature scheme changed),
stored originals of that window not placed yet (stored before schema 6, or with `--no-stories`) are placed with the
run's articles, and every assignment that changed (stored articles' included) is written. `rebuild` places every
stored original from scratch: the same partition, as the clusterer's incremental = rebuild property promises.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

from vigie.records import Article

#: Articles featurised at once while a run goes (one embedding call each): the run keeps features, not texts.
FEATURIZE_BATCH = 256
#: Days of history `rebuild` holds: all of them (the partition is then the incremental one).
REBUILD_KEEP_DAYS = 10**6


def limit_blas_threads() -> None:
    """One BLAS thread in the clustering process (its products are small; threads only add overhead). Takes effect
    when called before numpy is first imported (the CLI does); the worker processes inherit it."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _dumps(features: Any) -> str:
    return json.dumps(features.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _recompute(store: Any, ids: Sequence[str], model: Any) -> list[Any]:
    """Features of stored articles, from their stored records."""
    from vigie.stories import featurize, from_record

    out = []
    for i in range(0, len(ids), FEATURIZE_BATCH):
        records = [store.get_article(aid) for aid in ids[i : i + FEATURIZE_BATCH]]
        out += featurize([from_record(r) for r in records if r is not None], model)
    return out


def _stored(store: Any, rows: Iterable[dict[str, Any]], model: Any) -> tuple[list[tuple[Any, str]], list[Any],
                                                                           list[Any]]:
    """(placed: (features, story id), unplaced features, recomputed placed features) of stored rows."""
    from vigie.stories import ArticleFeatures

    scheme = model.feature_scheme()
    placed: list[tuple[Any, str]] = []
    stale: dict[str, str] = {}  # placed, features of another scheme: id -> story
    unplaced: list[str] = []
    for row in rows:
        if row["story_id"] is None:
            unplaced.append(row["id"])
        elif row["scheme"] != scheme or not row["features"]:
            stale[row["id"]] = row["story_id"]
        else:
            placed.append((ArticleFeatures.from_dict(json.loads(row["features"])), row["story_id"]))
    recomputed = _recompute(store, list(stale), model)
    placed += [(f, stale[f.id]) for f in recomputed]
    return placed, _recompute(store, unplaced, model), recomputed


def _save(store: Any, assignments: dict[str, str], computed: Iterable[Any], keep: Iterable[tuple[Any, str]] = ()) -> None:
    """Write `assignments` with the features computed in this process (the others keep their stored features), and
    the recomputed features of held articles (`keep`) whose story did not change."""
    fresh = {f.id: f for f in computed}
    rows = [(aid, story, *((fresh[aid].scheme, _dumps(fresh[aid])) if aid in fresh else (None, None)))
            for aid, story in sorted(assignments.items())]
    rows += [(f.id, story, f.scheme, _dumps(f)) for f, story in keep if f.id not in assignments]
    store.save_stories(rows)


class StoryBatch:
    """The analysed articles of one run, featurised as they come, placed once at the end (`place`)."""

    def __init__(self, clusterer: Any = None) -> None:
        from vigie.stories import StoryClusterer

        self.clusterer = clusterer if clusterer is not None else StoryClusterer()
        self._pending: list[Any] = []  # StoryArticles not featurised yet
        self.features: list[Any] = []

    def add(self, article: Article) -> None:
        from vigie.stories import from_article

        if article.duplicate is not None:
            return
        self._pending.append(from_article(article))
        if len(self._pending) >= FEATURIZE_BATCH:
            self._flush()

    def _flush(self) -> None:
        from vigie.stories import featurize

        if self._pending:
            self.features += featurize(self._pending, self.clusterer.model)
            self._pending = []

    def __len__(self) -> int:
        return len(self.features) + len(self._pending)

    @property
    def ids(self) -> list[str]:
        """Ids of the run's articles collected so far."""
        return [f.id for f in self.features] + [a.id for a in self._pending]

    def place(self, store: Any) -> dict[str, str]:
        """Place the run's articles after the stored ones; {article id: story id} of every assignment written."""
        self._flush()
        return place_features(store, self.clusterer, self.features)


def place_features(store: Any, clusterer: Any, features: Sequence[Any]) -> dict[str, str]:
    """Place new articles' `features` after the store's placed articles (see the module's docstring)."""
    if not features:
        return {}
    new = {f.id for f in features}
    start = clusterer.history_start(f.published for f in features)
    undated = any(f.day is None for f in features)
    rows = [r for r in store.iter_story_rows(date_from=start, undated=undated) if r["id"] not in new]
    placed, unplaced, recomputed = _stored(store, rows, clusterer.model)
    clusterer.restore(placed)
    changed: dict[str, str] = clusterer.add_features([*features, *unplaced])
    again = {f.id for f in recomputed}
    _save(store, changed, [*features, *unplaced], [(f, s) for f, s in placed if f.id in again])
    return changed


def place_stories(store: Any, analysed: Iterable[Article], clusterer: Any = None) -> dict[str, str]:
    """`StoryBatch` in one call: place `analysed` (stored articles of a run; duplicates passed over)."""
    batch = StoryBatch(clusterer)
    for article in analysed:
        batch.add(article)
    return batch.place(store)


def place_unplaced(store: Any, clusterer: Any = None) -> dict[str, str]:
    """Place the stored originals that have no story yet (as an ingest run would have placed them)."""
    from vigie.stories import StoryClusterer

    c = clusterer if clusterer is not None else StoryClusterer()
    ids = [r["id"] for r in store.iter_story_rows() if r["story_id"] is None]
    return place_features(store, c, _recompute(store, ids, c.model))


def place_run(store: Any, batch: StoryBatch | None) -> dict[str, str]:
    """What an ingest run places at its end: its own articles (`batch`), or, when originals stored by an earlier
    run that was killed before its end are still without a story, every unplaced original in one placement (so a
    killed run followed by a rerun ends with the stories of one clean run)."""
    own = set(batch.ids) if batch is not None else set()
    left = bool(set(store.unplaced_story_ids(limit=len(own) + 1)) - own)
    if left:
        return place_unplaced(store)
    return batch.place(store) if batch is not None else {}


def rebuild(store: Any, model: Any = None) -> dict[str, str]:
    """Place every stored original from scratch and store every story id: {article id: story id}. Holds every
    article's features (about 4 KB each) at once."""
    from vigie.stories import StoryClusterer, shipped_model

    c = StoryClusterer(model=model if model is not None else shipped_model(), keep_days=REBUILD_KEEP_DAYS)
    placed, unplaced, recomputed = _stored(store, store.iter_story_rows(), c.model)
    features = [f for f, _ in placed] + unplaced
    assignments = c.add_features(features)
    _save(store, assignments, [*recomputed, *unplaced])
    return assignments
