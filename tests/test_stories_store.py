"""Stories in the store (issue 14): story ids written after each run, incremental == rebuild, duplicates take their
original's story, story_id in reads and in the JSONL export, on SQLite and PostgreSQL.

Fast tests use hand-written analysed articles and the stand-in embedder of tests/test_stories.py; the test marked
`model` runs `vigie ingest` on the French and English versions of tests/story_fixtures.py's story.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from story_fixtures import KAZAKHSTAN_EN, KAZAKHSTAN_FR, SAME_WEEK
from test_stories import ELECTION, FLOOD, OTHERS, HashedWords
from vigie.cli import app
from vigie.export import export
from vigie.records import Article, Duplicate, EntityMention, Place
from vigie.steps.stories import place_stories, place_unplaced, rebuild
from vigie.stories import StoryClusterer, from_article
from vigie.stories.embed import set_embedder

DAY0 = date(2022, 1, 3)


@pytest.fixture
def hashed_embedder():
    set_embedder(HashedWords())
    yield
    set_embedder(None)


def _article(aid: str, day: int, title: str, text: str, *, place: Place | None = None,
             names: tuple[str, ...] = ()) -> Article:
    body = f"{title}\n{text}"
    return Article(
        id=aid, raw=body, origin=f"{aid}.txt", title=title, text=body, language="fr", source="exemple.fr",
        published=(DAY0 + timedelta(days=day)).isoformat(),
        entities=[EntityMention(n, "PER", 0, 1, n) for n in names], places=[place] if place else [],
    )


TOURS = Place("Tours", 0, 5, "Tours", "FR", "city", geonames_id=2972191, main=True)
LILLE = Place("Lille", 0, 5, "Lille", "FR", "city", geonames_id=2998324, main=True)


def corpus() -> list[Article]:
    arts = [_article(f"flood-{i}", d, FLOOD[0].format(n=10 + i), FLOOD[1].format(n=200 * (i + 1)), place=TOURS)
            for i, d in enumerate((0, 1, 3))]
    arts += [_article(f"vote-{i}", d, ELECTION[0], ELECTION[1].format(n=52 + i), place=LILLE,
                      names=("Martine Aubry",)) for i, d in enumerate((2, 4))]
    arts += [_article(f"other-{i}", 1 + 4 * i, t, x) for i, (t, x) in enumerate(OTHERS)]
    return arts


def _ingest(store, articles: list[Article]) -> dict[str, str]:
    """What `vigie ingest` does with a run's analysed articles: store each, then place them."""
    for a in articles:
        store.upsert_article(a)
    return place_stories(store, articles)


def _stored(store) -> dict[str, str | None]:
    return {a["id"]: a["story_id"] for a in store.iter_articles()}


def test_runs_place_articles_and_equal_a_rebuild(store, hashed_embedder):
    arts = {a.id: a for a in corpus()}
    runs = [["flood-0", "flood-1", "other-0"], ["vote-0", "flood-2", "other-1"],
            ["vote-1", "other-2"], ["flood-1"]]  # the last run: an article analysed again (--force)
    late = ["vote-0"]  # ... and one that arrives late (dated before articles already placed)
    runs[2] = runs[2] + late
    runs[1] = [i for i in runs[1] if i not in late]
    for run in runs:
        _ingest(store, [arts[i] for i in run])
    incremental = _stored(store)
    assert None not in incremental.values()
    assert incremental["flood-1"] == incremental["flood-2"] == incremental["flood-0"] == "flood-0"
    assert incremental["vote-1"] == incremental["vote-0"] != incremental["flood-0"]
    assert len({incremental[f"other-{i}"] for i in range(3)}) == 3
    # the same partition as one clusterer given every article, and as `vigie cluster --rebuild`
    assert StoryClusterer().add([from_article(a) for a in arts.values()]) == incremental
    assert rebuild(store) == incremental and _stored(store) == incremental


def test_a_duplicate_takes_its_originals_story_and_the_export_says_it(store, hashed_embedder, tmp_path: Path):
    arts = corpus()[:3]
    copy = _article("flood-copy", 2, FLOOD[0].format(n=10), FLOOD[1].format(n=200))
    copy.entities, copy.duplicate = [], Duplicate("flood-0", "exact", 1.0)
    changed = _ingest(store, [*arts, copy])
    assert "flood-copy" not in changed  # not placed itself ...
    assert store.get_article("flood-copy")["story_id"] == store.get_article("flood-0")["story_id"] == "flood-0"
    out = tmp_path / "records.jsonl"
    export(store, "jsonl", out)
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert {i: r["story_id"] for i, r in recs.items()} == {
        "flood-0": "flood-0", "flood-1": "flood-0", "flood-2": "flood-0", "flood-copy": "flood-0"}
    assert rebuild(store) == {"flood-0": "flood-0", "flood-1": "flood-0", "flood-2": "flood-0"}  # originals only


def test_stale_features_are_computed_again_and_unplaced_articles_placed(store, hashed_embedder):
    arts = {a.id: a for a in corpus()}
    _ingest(store, [arts["flood-0"]])
    with store._transaction() as conn:
        conn.execute("UPDATE article_stories SET scheme = 'old', features = NULL")
    store.upsert_article(arts["flood-1"])  # stored without placing it (--no-stories)
    assert store.get_article("flood-1")["story_id"] is None
    changed = _ingest(store, [arts["flood-2"]])  # flood-1, in the window, is placed with the run
    assert changed == {"flood-1": "flood-0", "flood-2": "flood-0"}
    rows = {r["id"]: r for r in store.iter_story_rows()}
    assert {r["scheme"] for r in rows.values()} == {StoryClusterer().model.feature_scheme()}
    assert all(r["features"] for r in rows.values())
    store.upsert_article(arts["vote-0"])
    assert place_unplaced(store) == {"vote-0": "vote-0"}
    assert place_unplaced(store) == {}


def test_cluster_command(tmp_path: Path, hashed_embedder):
    from vigie.store import SQLiteStore

    db = tmp_path / "s.db"
    with SQLiteStore(db) as s:
        for a in corpus():
            s.upsert_article(a)
    runner = CliRunner()
    result = runner.invoke(app, ["cluster", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with SQLiteStore(db) as s:
        placed = _stored(s)
    result = runner.invoke(app, ["cluster", "--db", str(db), "--rebuild"])
    assert result.exit_code == 0, result.output
    with SQLiteStore(db) as s:
        assert _stored(s) == placed and placed["flood-2"] == "flood-0"


@pytest.mark.model
def test_ingest_places_french_and_english_versions_in_one_story(tmp_path: Path):
    folder = tmp_path / "in"
    for name, text in [("fr", KAZAKHSTAN_FR), ("en", KAZAKHSTAN_EN),
                       *((name, text) for name, (text, _) in SAME_WEEK.items())]:
        (folder / name).mkdir(parents=True)
        (folder / name / "article.txt").write_text(text, encoding="utf-8")
    db, out = tmp_path / "v.db", tmp_path / "records.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--published", "2022-01-12", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["export", "--db", str(db), "-f", "jsonl", "-o", str(out)]).exit_code == 0
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    story = {r["origin"].split("/")[-2]: r["story_id"] for r in recs}
    assert story["fr"] == story["en"] is not None
    assert all(story[name] not in (None, story["fr"]) for name in SAME_WEEK)
    assert runner.invoke(app, ["cluster", "--db", str(db), "--rebuild"]).exit_code == 0
    assert runner.invoke(app, ["export", "--db", str(db), "-f", "jsonl", "-o", str(out)]).exit_code == 0
    again = {json.loads(line)["id"]: json.loads(line)["story_id"] for line in out.read_text().splitlines()}
    assert again == {r["id"]: r["story_id"] for r in recs}
