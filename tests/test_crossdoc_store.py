"""Events across articles in the store (`vigie.steps.crossdoc.link_events`), on hand-made analysed articles, on SQLite
and PostgreSQL: one event per real-world event with every mention, a copy counted as an article and not as a source,
counts kept as a range, the same tables whatever order articles come in, and only changed events rewritten."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from vigie.cli import app
from vigie.records import Article, Duplicate, Event, Place
from vigie.steps.crossdoc import link_events
from vigie.store import SQLiteStore

FR = ("Le président kazakh Kassym-Jomart Tokaïev s'est rendu mercredi à Almaty. "
      "Les émeutes ont fait 20 morts dans la ville.")
EN = ("Kazakh president Kassym-Jomart Tokayev visited Almaty on Wednesday. "
      "The riots killed 25 people in the city.")
OTHER = "Des milliers de manifestants ont défilé jeudi à Rennes contre la réforme des retraites."


def _event(text: str, trigger: str, type: str, mode: str | None, **kw) -> Event:
    s = text.index(trigger)
    sentence_end = text.find(". ", s)
    sentence_start = text.rfind(". ", 0, s)
    ev_start = 0 if sentence_start < 0 else sentence_start + 2
    ev_end = len(text) if sentence_end < 0 else sentence_end + 1
    return Event(type=type, mode=mode, start=s, end=s + len(trigger), trigger=trigger, evidence=text[ev_start:ev_end],
                 evidence_start=ev_start, evidence_end=ev_end, mentions=[[s, s + len(trigger)]], **kw)


def _places(text: str) -> list[Place]:
    s = text.index("Almaty")
    return [Place(text="Almaty", start=s, end=s + 6, name="Almaty", country="KZ", kind="city", lat=43.25, lon=76.92)]


def visit_fr(aid: str = "fr0000000001", published: str = "2022-01-12") -> Article:
    return Article(
        id=aid, raw=FR, text=FR, origin=f"in/{aid}.txt", title="Tokaïev à Almaty", source="lemonde.example",
        published=published, language="fr", places=_places(FR),
        events=[
            _event(FR, "s'est rendu", "CONSULT", "visit", source="Kassym-Jomart Tokaïev", source_country="KAZ",
                   source_sector="GOV", target="Almaty", location="Almaty", location_country="KZ", date="2022-01-12"),
            _event(FR, "émeutes", "PROTEST", "riot", location="Almaty", location_country="KZ", killed=20.0,
                   date="2022-01-12", date_inferred=True),
        ],
    )


def visit_en(aid: str = "en0000000001") -> Article:
    return Article(
        id=aid, raw=EN, text=EN, origin=f"in/{aid}.txt", title="Tokayev visits Almaty", source="reuters.example",
        published="2022-01-12", language="en", places=_places(EN),
        events=[
            _event(EN, "visited", "CONSULT", "visit", source="Kassym-Jomart Tokayev", source_country="KAZ",
                   source_sector="GOV", target="Almaty", location="Almaty", location_country="KZ", date="2022-01-12"),
            _event(EN, "riots", "PROTEST", "riot", location="Almaty", location_country="KZ", killed=25.0,
                   date="2022-01-12", date_inferred=True),
        ],
    )


def copy_of(original: str, aid: str = "cp0000000001") -> Article:
    text = FR.replace(". ", ".\n")
    return Article(id=aid, raw=text, text=text, origin=f"in/{aid}.txt", title="Tokaïev à Almaty (copie)",
                   source="lefigaro.example", published="2022-01-13", language="fr",
                   duplicate=Duplicate(of=original, method="near", similarity=0.97))


def rennes() -> Article:
    return Article(
        id="rn0000000001", raw=OTHER, text=OTHER, origin="in/rennes.txt", title="Rennes", source="ouest.example",
        published="2022-01-13", language="fr",
        events=[_event(OTHER, "défilé", "PROTEST", "demo", location="Rennes", location_country="FR", size=1000.0,
                       date="2022-01-13")],
    )


def _tables(store) -> tuple[list[dict], list[dict]]:
    events = store._rows("SELECT * FROM crossdoc_events ORDER BY event_id")
    mentions = store._rows('SELECT * FROM crossdoc_mentions ORDER BY article_id, "start"')
    return events, mentions


def _visit(store) -> dict:
    visits = [e for e in store.list_crossdoc_events(type="CONSULT")]
    assert len(visits) == 1
    return store.get_crossdoc_event(visits[0]["event_id"])


def test_one_event_per_visit_with_every_mention_and_the_copy(store):
    for art in (visit_fr(), copy_of("fr0000000001"), visit_en(), rennes()):
        store.upsert_article(art)
    result = link_events(store)
    assert (result.n_events, result.changed, result.removed) == (3, 3, 0)
    visit = _visit(store)
    assert (visit["n_articles"], visit["n_sources"], visit["n_mentions"]) == (3, 2, 3)  # the copy is no new source
    assert visit["source"] in ("Kassym-Jomart Tokaïev", "Kassym-Jomart Tokayev") and visit["location"] == "Almaty"
    assert (visit["first_seen"], visit["last_seen"]) == ("2022-01-12", "2022-01-13")
    by_article = {m["article_id"]: m for m in visit["mentions"]}
    assert set(by_article) == {"fr0000000001", "cp0000000001", "en0000000001"}
    assert by_article["cp0000000001"]["duplicate_of"] == "fr0000000001"
    assert by_article["cp0000000001"]["trigger"] == "s'est rendu"  # a copy's evidence is its original's
    assert by_article["en0000000001"]["trigger"] == "visited"
    assert by_article["en0000000001"]["evidence"].startswith("Kazakh president")
    riots = store.list_crossdoc_events(type="PROTEST")
    riot = next(e for e in riots if e["location"] == "Almaty")
    assert riot["counts"] == {"killed": {"low": 20.0, "high": 25.0, "reports": 3}}  # a range, never summed
    assert [e["location"] for e in riots if e["event_id"] != riot["event_id"]] == ["Rennes"]
    # each article record reads back its event
    fr = store.get_article("fr0000000001")
    assert {e["type"]: (e["event_id"], e["n_articles"], e["n_sources"]) for e in fr["events"]}["CONSULT"] == (
        visit["event_id"], 3, 2)
    rows = store.list_events()
    assert {r["event_id"] for r in rows if r["type"] == "CONSULT"} == {visit["event_id"]}


def test_a_second_link_writes_nothing_and_the_order_of_arrival_does_not_matter(store, tmp_path: Path):
    for art in (rennes(), visit_en()):
        store.upsert_article(art)
    link_events(store)
    for art in (visit_fr(), copy_of("fr0000000001")):  # an earlier article arrives late
        store.upsert_article(art)
    link_events(store)
    again = link_events(store)
    assert (again.changed, again.removed) == (0, 0)
    with SQLiteStore(tmp_path / "fresh.db") as fresh:  # the same articles at once, another order
        for art in (copy_of("fr0000000001"), visit_fr(), visit_en(), rennes()):
            if art.duplicate is None:
                fresh.upsert_article(art)
        fresh.upsert_article(copy_of("fr0000000001"))
        link_events(fresh)
        assert _normalised(_tables(fresh)) == _normalised(_tables(store))


def _normalised(tables: tuple[list[dict], list[dict]]) -> tuple:
    events, mentions = tables
    out_events = []
    for e in events:
        e = dict(e)
        e["date_inferred"] = bool(e["date_inferred"])
        for c in ("context", "counts", "stories"):
            e[c] = json.loads(e[c])
        out_events.append(e)
    return out_events, [dict(m) for m in mentions]


def test_a_reanalysed_article_moves_its_mentions_and_empty_events_go(store):
    for art in (visit_fr(), visit_en()):
        store.upsert_article(art)
    link_events(store)
    first_id = _visit(store)["event_id"]  # the id of its earliest mention: the English one ("en..." < "fr...")
    changed = visit_en()
    changed.events = [e for e in changed.events if e.type != "CONSULT"]  # its visit record is gone
    store.upsert_article(changed)
    result = link_events(store)
    assert (result.removed, result.changed) == (1, 1)  # the old id goes, the visit comes back under a new id
    visit = _visit(store)
    assert visit["event_id"] != first_id and visit["n_articles"] == 1  # the French article's record is left
    assert [m["article_id"] for m in visit["mentions"]] == ["fr0000000001"]
    events, mentions = _tables(store)
    assert {m["event_id"] for m in mentions} == {e["event_id"] for e in events}  # no orphan rows
    assert ("en0000000001", changed.text.index("visited")) not in {(m["article_id"], m["start"]) for m in mentions}


def test_an_unlinked_store_reads_events_without_ids(store):
    store.upsert_article(visit_fr())
    assert {e["event_id"] for e in store.get_article("fr0000000001")["events"]} == {None}
    assert store.list_crossdoc_events() == [] and store.get_crossdoc_event("ev-0") is None


def test_stories_of_events_and_story_reads(store):
    for art in (visit_fr(), copy_of("fr0000000001"), visit_en(), rennes()):
        store.upsert_article(art)
    store.save_stories([("fr0000000001", "fr0000000001", None, None), ("en0000000001", "fr0000000001", None, None),
                        ("rn0000000001", "rn0000000001", None, None)])
    link_events(store)
    story = store.get_story("fr0000000001")
    assert (story["n_articles"], story["n_duplicates"], story["n_sources"]) == (3, 1, 2)  # a copy is no new source
    assert story["title"] == "Tokaïev à Almaty" and story["first"] == "2022-01-12"
    assert {e["type"] for e in story["events"]} == {"CONSULT", "PROTEST"} and story["n_events"] == 2
    assert story["places"][0]["name"] == "Almaty"
    listed = store.list_stories()
    assert [s["story_id"] for s in listed] == ["fr0000000001", "rn0000000001"]
    assert (listed[0]["n_articles"], listed[0]["n_duplicates"], listed[0]["n_sources"]) == (3, 1, 2)
    assert store.count_stories() == 2 and store.count_stories(min_articles=2) == 1
    assert store.get_story("nope") is None
    visit = _visit(store)
    assert visit["stories"] == ["fr0000000001"]


def test_cluster_command_links_events(tmp_path: Path):
    db = tmp_path / "v.db"
    with SQLiteStore(db) as s:
        for art in (visit_fr(), visit_en()):
            s.upsert_article(art)
    result = CliRunner().invoke(app, ["cluster", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "events: 2 events across articles from 4 records" in " ".join(result.output.split())
    with SQLiteStore(db) as s:
        assert _visit(s)["n_articles"] == 2


@pytest.mark.model
def test_seed_copy_and_english_rewrite_are_one_visit_in_store_and_export(tmp_path: Path):
    """Issue 14, acceptance 4: the seed, a re-wrapped copy and an English rewrite give one story; the copy is a
    duplicate; the visit is one event with n_articles 3 in the store and the export."""
    fixtures = Path(__file__).parent / "fixtures" / "event_identity"
    folder = tmp_path / "in"
    for name in ("fr", "fr_rewrapped", "en"):
        (folder / name).mkdir(parents=True)
        (folder / name / "article.txt").write_text((fixtures / f"visit_{name}.txt").read_text(encoding="utf-8"),
                                                   encoding="utf-8")
    db, out = tmp_path / "v.db", tmp_path / "records.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--published", "2022-01-12", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["export", "--db", str(db), "-f", "jsonl", "-o", str(out)]).exit_code == 0
    recs = {r["origin"].split("/")[-2]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert recs["fr_rewrapped"]["duplicate_of"] == recs["fr"]["id"] and recs["fr"]["duplicate_of"] is None
    assert len({r["story_id"] for r in recs.values()}) == 1 and recs["fr"]["story_id"]
    visits = [e for r in recs.values() for e in r["events"] if e["type"] == "CONSULT" and e.get("mode") == "visit"]
    assert {e["event_id"] for e in visits} and len({e["event_id"] for e in visits}) == 1
    assert {(e["n_articles"], e["n_sources"]) for e in visits} == {(3, 2)}
    with SQLiteStore(db) as s:
        event = s.get_crossdoc_event(visits[0]["event_id"])
        assert {m["article_id"] for m in event["mentions"]} == {r["id"] for r in recs.values()}
