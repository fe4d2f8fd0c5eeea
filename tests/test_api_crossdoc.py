"""The JSON API of stories and of events across articles (issue 14), over real stores (SQLite, and PostgreSQL when
VIGIE_TEST_PG_URL is set) of hand-made articles (no NLP): two articles and a copy telling one protest in one story,
and an article of another story.

`crossdoc_store` builds that store (linked with `vigie.steps.crossdoc.link_events`); the page tests
(test_web_crossdoc.py) and the browser tests use it too.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from store_backends import BACKENDS, PG_URL, open_backend
from vigie.app import create_app
from vigie.records import Article, Duplicate, EntityMention, Event, Place
from vigie.steps.crossdoc import link_events
from vigie.store import SQLiteStore
from web_fixtures import span

A_TEXT = (
    "Des milliers de manifestants ont défilé mercredi à Almaty contre la hausse du prix du gaz. "
    "Vingt personnes ont été tuées selon Marat Aliev. "
    "La police a arrêté 200 personnes dans la soirée."
)
B_TEXT = (
    "Mercredi, une foule immense a manifesté à Almaty, la plus grande ville du Kazakhstan. "
    "Le bilan serait de 25 morts, d'après Marat Aliev."
)
PARIS_TEXT = "Thousands of farmers protested in Paris on Monday against the new tax."

STORY = "cd-almaty-a"  # the story's id is its first article's
ORIGINAL, OTHER, COPY, PARIS = "cd-almaty-a", "cd-almaty-b", "cd-almaty-c", "cd-paris-d"
B_TITLE = "Almaty : <b>la foule</b> <script>alert(1)</script>"


def _sentence(text: str, words: str) -> tuple[int, int]:
    """The sentence holding `words` (sentences end with ". " here)."""
    s, _ = span(text, words)
    start = text.rfind(". ", 0, s)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", s)
    return start, len(text) if end < 0 else end + 1


def _event(text: str, trigger: str, type: str, mode: str, **kw: Any) -> Event:
    s, e = span(text, trigger)
    es, ee = _sentence(text, trigger)
    return Event(type, mode, s, e, trigger, evidence=text[es:ee], evidence_start=es, evidence_end=ee,
                 mentions=[[s, e]], **kw)


def _almaty(text: str) -> Place:
    return Place("Almaty", *span(text, "Almaty"), "Almaty", "KZ", "city", 43.25, 76.92, 1526384, True)


def original() -> Article:
    t = A_TEXT
    return Article(
        id=ORIGINAL, raw=t, text=t, title="Manifestation à Almaty", source="example.org",
        url="https://example.org/almaty", published="2022-01-05", language="fr",
        entities=[EntityMention("Almaty", "LOC", *span(t, "Almaty"), "Almaty"),
                  EntityMention("Marat Aliev", "PER", *span(t, "Marat Aliev"), "Marat Aliev")],
        places=[_almaty(t)],
        events=[
            _event(t, "défilé", "PROTEST", "demonstrate", source="manifestants", source_sector="CVL",
                   location="Almaty", location_country="KZ", date="2022-01-05", killed=20),
            _event(t, "arrêté", "COERCE", "arrest", source="police", source_country="KAZ", source_sector="COP",
                   target="manifestants", location="Almaty", location_country="KZ", date="2022-01-05",
                   arrested=200),
        ],
    )


def other() -> Article:
    t = B_TEXT
    return Article(
        id=OTHER, raw=t, text=t, title=B_TITLE, source="other.example", url="javascript:alert(1)",
        published="2022-01-06", language="fr",
        entities=[EntityMention("Almaty", "LOC", *span(t, "Almaty"), "Almaty"),
                  EntityMention("Marat Aliev", "PER", *span(t, "Marat Aliev"), "Marat Aliev")],
        places=[_almaty(t)],
        events=[_event(t, "manifesté", "PROTEST", "demonstrate", source="manifestants", location="Almaty",
                       location_country="KZ", date="2022-01-05", killed=25, confidence=0.7)],
    )


def copy() -> Article:
    """A copy of the original from another site: stored without annotations, linked to its original."""
    return Article(id=COPY, raw=A_TEXT, text=A_TEXT, title="Manifestation à Almaty (reprise)", source="copy.example",
                   url="https://copy.example/almaty", published="2022-01-06", language="fr",
                   duplicate=Duplicate(of=ORIGINAL, method="exact", similarity=1.0))


def paris() -> Article:
    t = PARIS_TEXT
    return Article(
        id=PARIS, raw=t, text=t, title="Farmers protest in Paris", source="paris.example", published="2022-01-10",
        language="en", places=[Place("Paris", *span(t, "Paris"), "Paris", "FR", "city", 48.85, 2.35, 2988507, True)],
        events=[_event(t, "protested", "PROTEST", "demonstrate", source="farmers", location="Paris",
                       location_country="FR", date="2022-01-10")],
    )


def fill(store: Any) -> None:
    """Store the four articles, place them in two stories, link their events across articles."""
    for a in (original(), other(), copy(), paris()):
        store.upsert_article(a)
    store.save_stories([(ORIGINAL, STORY, None, None), (OTHER, STORY, None, None), (PARIS, PARIS, None, None)])
    link_events(store)


@contextlib.contextmanager
def crossdoc_store(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a store holding the linked articles: a SQLite file, or a fresh PostgreSQL schema (dropped after;
    skipped without VIGIE_TEST_PG_URL)."""
    if kind == "sqlite":
        store = SQLiteStore(tmp_path / "crossdoc.db")
        try:
            fill(store)
        finally:
            store.close()
        yield str(tmp_path / "crossdoc.db")
        return
    owner = open_backend(kind, tmp_path)  # keeps the schema alive; close() drops it
    try:
        fill(owner)
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{owner.schema}"
    finally:
        owner.close()


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with crossdoc_store(request.param, tmp_path_factory.mktemp("crossdoc")) as url, \
            TestClient(create_app(url, token="")) as c:
        yield c


def protest_id(client: TestClient) -> str:
    """The id of the protest told by the three articles."""
    items = client.get("/api/crossdoc-events", params={"story": STORY, "type": "PROTEST"}).json()["items"]
    assert len(items) == 1
    return items[0]["event_id"]


# ---------------------------------------------------------------- stories


def test_stories_latest_first_with_total(client: TestClient) -> None:
    body = client.get("/api/stories").json()
    assert (body["total"], body["limit"], body["offset"]) == (2, 50, 0)
    assert [s["story_id"] for s in body["items"]] == [PARIS, STORY]
    almaty = body["items"][1]
    assert almaty == {"story_id": STORY, "title": "Manifestation à Almaty", "first": "2022-01-05",
                      "last": "2022-01-06", "n_articles": 3, "n_duplicates": 1, "n_sources": 2, "n_events": 2}
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert [s["story_id"] for s in page["items"]] == [STORY] and page["total"] == 2
    big = client.get("/api/stories", params={"min_articles": 2}).json()
    assert big["total"] == 1 and [s["story_id"] for s in big["items"]] == [STORY]
    assert client.get("/api/stories", params={"min_articles": 0}).status_code == 422


def test_story_detail(client: TestClient) -> None:
    s = client.get(f"/api/stories/{STORY}").json()
    assert (s["title"], s["first"], s["last"]) == ("Manifestation à Almaty", "2022-01-05", "2022-01-06")
    assert (s["n_articles"], s["n_duplicates"], s["n_sources"], s["n_events"]) == (3, 1, 2, 2)  # the copy counts with its original
    assert s["languages"] == ["fr"]
    assert {x["source"]: x["n"] for x in s["sources"]} == {"example.org": 1, "other.example": 1, "copy.example": 1}
    assert s["places"] == [{"name": "Almaty", "n": 2}]
    assert s["actors"] == [{"canonical": "Marat Aliev", "label": "PER", "n": 2}]
    assert s["timeline"] == [{"day": "2022-01-05", "n": 1}, {"day": "2022-01-06", "n": 2}]
    assert [(a["id"], a["duplicate_of"]) for a in s["articles"]] == [(ORIGINAL, None), (OTHER, None), (COPY, ORIGINAL)]
    assert {e["type"] for e in s["events"]} == {"PROTEST", "COERCE"}
    assert all(e["event_id"].startswith("ev-") for e in s["events"])


def test_unknown_story_is_404(client: TestClient) -> None:
    r = client.get("/api/stories/no-such-story")
    assert r.status_code == 404 and r.json()["detail"] == "no story 'no-such-story'"


# ---------------------------------------------------------------- events across articles


def test_crossdoc_events_list(client: TestClient) -> None:
    body = client.get("/api/crossdoc-events").json()
    assert body["total"] == 3 and len(body["items"]) == 3
    assert body["items"][0]["location"] == "Paris"  # newest first
    story = client.get("/api/crossdoc-events", params={"story": STORY}).json()
    assert story["total"] == 2 and {e["type"] for e in story["items"]} == {"PROTEST", "COERCE"}
    typed = client.get("/api/crossdoc-events", params={"type": "coerce"}).json()  # case-insensitive
    assert typed["total"] == 1 and typed["items"][0]["counts"] == {"arrested": {"low": 200, "high": 200, "reports": 2}}
    assert client.get("/api/crossdoc-events", params={"type": "riot"}).status_code == 422
    page = client.get("/api/crossdoc-events", params={"limit": 1, "offset": 2}).json()
    assert page["total"] == 3 and len(page["items"]) == 1
    assert client.get("/api/crossdoc-events", params={"story": "nothing"}).json() == {
        "total": 0, "limit": 50, "offset": 0, "items": []}


def test_event_detail_has_every_mention(client: TestClient) -> None:
    ev = client.get(f"/api/events/{protest_id(client)}").json()
    assert (ev["type"], ev["mode"], ev["location"], ev["date"]) == ("PROTEST", "demonstrate", "Almaty", "2022-01-05")
    assert (ev["n_articles"], ev["n_sources"], ev["n_mentions"]) == (3, 2, 3)  # the copy and its original: 1 source
    assert ev["counts"] == {"killed": {"low": 20, "high": 25, "reports": 3}}  # a range, never a sum
    assert (ev["first_seen"], ev["last_seen"], ev["stories"]) == ("2022-01-05", "2022-01-06", [STORY])
    by_article = {m["article_id"]: m for m in ev["mentions"]}
    assert set(by_article) == {ORIGINAL, OTHER, COPY}
    assert [m["article_id"] for m in ev["mentions"]][0] == ORIGINAL  # publication order
    own, copied = by_article[ORIGINAL], by_article[COPY]
    assert own["trigger"] == "défilé" and own["evidence"].startswith("Des milliers de manifestants")
    assert own["evidence"][own["start"] - own["evidence_start"]:][:len("défilé")] == "défilé"
    assert (copied["duplicate_of"], copied["source"], copied["title"]) == (
        ORIGINAL, "copy.example", "Manifestation à Almaty (reprise)")
    assert (copied["trigger"], copied["evidence"]) == (own["trigger"], own["evidence"])  # read from the original
    assert by_article[OTHER]["trigger"] == "manifesté" and by_article[OTHER]["confidence"] == 0.7


def test_unknown_event_is_404_and_fixed_routes_still_win(client: TestClient) -> None:
    for path in ("/api/events/ev-0000000000000000", "/api/events/not-an-event"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["detail"].startswith("no event '"), path
    timeline = client.get("/api/events/timeline").json()
    assert isinstance(timeline, list) and {b["type"] for b in timeline} == {"PROTEST", "COERCE"}
    places = client.get("/api/events/places").json()
    assert {p["name"] for p in places} == {"Almaty", "Paris"}


# ---------------------------------------------------------------- the new fields of events and articles


def test_event_rows_carry_their_crossdoc_event(client: TestClient) -> None:
    event_id = protest_id(client)
    rows = client.get("/api/events", params={"type": "PROTEST"}).json()["items"]
    linked = {r["article_id"]: r for r in rows}
    assert set(linked) == {ORIGINAL, OTHER, PARIS}  # a copy has no event record of its own
    for aid in (ORIGINAL, OTHER):
        r = linked[aid]
        assert (r["event_id"], r["n_articles"], r["n_sources"], r["first_seen"], r["last_seen"]) == (
            event_id, 3, 2, "2022-01-05", "2022-01-06")
    assert linked[PARIS]["n_articles"] == 1 and linked[PARIS]["event_id"] != event_id


def test_article_rows_carry_copies_and_stories(client: TestClient) -> None:
    items = {a["id"]: a for a in client.get("/api/articles").json()["items"]}
    assert (items[ORIGINAL]["n_duplicates"], items[ORIGINAL]["duplicate_of"], items[ORIGINAL]["story_id"]) == (
        1, None, STORY)
    assert (items[COPY]["n_duplicates"], items[COPY]["duplicate_of"], items[COPY]["story_id"]) == (0, ORIGINAL, STORY)
    assert (items[PARIS]["n_duplicates"], items[PARIS]["story_id"]) == (0, PARIS)


def test_article_detail_events_link_to_their_crossdoc_event(client: TestClient) -> None:
    art = client.get(f"/api/articles/{ORIGINAL}").json()
    assert art["story_id"] == STORY and art["duplicate_of"] is None
    assert [s["id"] for s in art["sources"]] == [ORIGINAL, COPY]
    protest, arrest = art["events"]
    assert protest["event_id"] == protest_id(client)
    assert (protest["n_articles"], protest["n_sources"], protest["first_seen"], protest["last_seen"]) == (
        3, 2, "2022-01-05", "2022-01-06")
    assert (arrest["n_articles"], arrest["n_sources"]) == (2, 1)  # the original and its copy
    the_copy = client.get(f"/api/articles/{COPY}").json()
    assert (the_copy["duplicate_of"], the_copy["story_id"], the_copy["events"]) == (ORIGINAL, STORY, [])


def test_openapi_documents_the_new_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/events/{event_id}", "/api/crossdoc-events"):
        assert "get" in spec["paths"][path], path
    schemas = spec["components"]["schemas"]
    assert {"event_id", "n_articles", "n_sources", "first_seen", "last_seen"} <= set(schemas["EventRow"]["properties"])
    assert {"event_id", "n_sources"} <= set(schemas["ArticleEvent"]["properties"])
    assert {"n_duplicates", "duplicate_of", "story_id"} <= set(schemas["ArticleSummary"]["properties"])
    assert "mentions" in schemas["CrossDocEventDetail"]["properties"]


def test_unlinked_store_answers_with_empty_fields(tmp_path: Path) -> None:
    """Before `link_events` (an older store, or a run whose linking failed) the new fields are None, not errors."""
    store = SQLiteStore(tmp_path / "unlinked.db")
    try:
        store.upsert_article(original())
    finally:
        store.close()
    with TestClient(create_app(str(tmp_path / "unlinked.db"), token="")) as c:
        ev = c.get(f"/api/articles/{ORIGINAL}").json()["events"][0]
        assert (ev["event_id"], ev["n_articles"], ev["n_sources"]) == (None, None, None)
        assert c.get("/api/events").json()["items"][0]["event_id"] is None
        assert c.get("/api/stories").json() == {"total": 0, "limit": 50, "offset": 0, "items": []}
        assert c.get("/api/crossdoc-events").json()["total"] == 0
