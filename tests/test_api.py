"""The JSON API of `vigie serve`, over real stores (SQLite, and PostgreSQL when VIGIE_TEST_PG_URL is set) filled
with hand-made articles (no NLP)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from store_backends import BACKENDS
from vigie.app import create_app
from web_fixtures import fill_store, served_store

TOKEN = "test-token-123"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "news.db"
    fill_store(path)
    return path


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A read-only server (token="": whatever VIGIE_TOKEN says) over SQLite, then over PostgreSQL."""
    with served_store(request.param, tmp_path_factory.mktemp("api")) as url, \
            TestClient(create_app(url, token="")) as c:
        yield c


@pytest.fixture(params=BACKENDS)
def writer(request: pytest.FixtureRequest, tmp_path: Path) -> TestClient:
    """A server that accepts writes with TOKEN (and bodies up to 20 KB), on a fresh store of each backend."""
    with served_store(request.param, tmp_path) as url, \
            TestClient(create_app(url, token=TOKEN, max_body_bytes=20_000)) as c:
        yield c


# ---------------------------------------------------------------- reads


def test_articles_newest_first_with_counts(client: TestClient) -> None:
    body = client.get("/api/articles").json()
    assert body["total"] == 3
    assert [a["id"] for a in body["items"]] == ["c3english0000003", "b2script00000002", "a1protest0000001"]
    first = body["items"][2]
    assert (first["n_entities"], first["n_quotes"], first["n_events"]) == (4, 1, 2)
    page = client.get("/api/articles", params={"limit": 1, "offset": 1}).json()
    assert [a["id"] for a in page["items"]] == ["b2script00000002"] and page["total"] == 3


def test_article_by_id_and_prefix(client: TestClient) -> None:
    art = client.get("/api/articles/a1protest0000001").json()
    assert art["title"] == "Manifestation à Almaty"
    assert {k: len(art[k]) for k in ("entities", "quotes", "dates", "quantities", "measures", "places", "events")} == {
        "entities": 4, "quotes": 1, "dates": 1, "quantities": 2, "measures": 0, "places": 2, "events": 2}
    measure = client.get("/api/articles/c3englis").json()["measures"][0]
    assert measure == {"text": "5 km", "start": measure["start"], "end": measure["start"] + 4, "value": 5.0,
                       "low": None, "high": None, "unit": "km", "extractor": "vigie-quantities"}
    quote = art["quotes"][0]
    assert quote["direct"] is True and art["text"][quote["start"]:quote["end"]] == quote["text"]
    assert art["events"][1]["arrested"] == 200 and art["events"][1]["date_inferred"] is True
    assert client.get("/api/articles/a1prot").json()["id"] == "a1protest0000001"  # unique prefix


def test_unknown_article_is_404(client: TestClient) -> None:
    r = client.get("/api/articles/doesnotexist")
    assert r.status_code == 404 and "no article" in r.json()["detail"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 4),
        ({"type": "PROTEST"}, 2),
        ({"type": "protest"}, 2),  # case-insensitive
        ({"type": "PROTEST", "mode": "demonstrate"}, 2),
        ({"mode": "arrest"}, 1),
        ({"country": "KZ"}, 3),  # location alpha-2
        ({"country": "KAZ"}, 3),  # alpha-3 is read as KZ: KAZ actors and places in KZ
        ({"country": "FR"}, 1),
        ({"actor": "polic"}, 2),  # substring of the source
        ({"actor": "MANIFESTANTS"}, 2),  # source or target, any case
        ({"place": "almaty"}, 3),
        ({"date_from": "2022-01-06"}, 3),
        ({"date_from": "2022-01-06", "date_to": "2022-01-07"}, 2),
        ({"article_id": "a1protest0000001"}, 2),
        ({"type": "PROTEST", "country": "FR"}, 1),
        ({"type": ""}, 4),  # blank form fields are "not given"
    ],
)
def test_event_filters(client: TestClient, params: dict[str, str], expected: int) -> None:
    body = client.get("/api/events", params=params).json()
    assert body["total"] == expected == len(body["items"])


def test_events_paging_and_order(client: TestClient) -> None:
    all_days = [e["date"] for e in client.get("/api/events").json()["items"]]
    assert all_days == sorted(all_days, reverse=True)  # newest first, as on the /events page
    oldest = [e["date"] for e in client.get("/api/events", params={"sort": "date", "order": "asc"}).json()["items"]]
    assert oldest == all_days[::-1]
    assert client.get("/api/events", params={"sort": "evidence"}).status_code == 422  # not a sortable column
    page = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 4 and [e["date"] for e in page["items"]] == all_days[2:4]
    row = page["items"][0]
    assert {"article_id", "idx", "article_title", "published", "trigger", "evidence"} <= set(row)


@pytest.mark.parametrize(
    "params",
    [
        {"type": "RIOT"},
        {"date_from": "12/01/2022"},
        {"date_to": "2022-13-01"},
        {"date_from": "2022-01-10", "date_to": "2022-01-01"},
        {"country": "Kazakhstan"},
        {"limit": 0},
        {"limit": 100000},
        {"offset": -1},
        {"mode": "<script>"},
    ],
)
def test_bad_filters_are_422(client: TestClient, params: dict[str, object]) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][0] == "query"


def test_timeline_and_map_data(client: TestClient) -> None:
    timeline = client.get("/api/events/timeline").json()
    assert {"day": "2022-01-05", "type": "PROTEST", "n": 1} in timeline
    assert sum(b["n"] for b in timeline) == 4
    places = client.get("/api/events/places").json()
    almaty = next(p for p in places if p["name"] == "Almaty")
    assert almaty["n"] == 3 and almaty["lat"] == pytest.approx(43.25) and almaty["types"]["COERCE"] == 1
    assert client.get("/api/events/places", params={"type": "PROTEST", "country": "FR"}).json()[0]["name"] == "Paris"


def test_entities(client: TestClient) -> None:
    items = client.get("/api/entities").json()["items"]
    assert items[0]["canonical"] in ("Almaty", "Marat Aliev") and items[0]["n_mentions"] == 2
    per = client.get("/api/entities", params={"label": "per"}).json()["items"]
    assert [e["canonical"] for e in per] == ["Marat Aliev"]
    assert [e["canonical"] for e in client.get("/api/entities", params={"q": "interieur"}).json()["items"]] == [
        "Ministère de l'Intérieur"]
    assert client.get("/api/entities", params={"label": "PERSON"}).status_code == 422


def test_entity_detail(client: TestClient) -> None:
    e = client.get("/api/entities/Marat Aliev").json()
    assert e["labels"] == ["PER"] and e["n_articles"] == 2
    assert {q["text"] for q in e["quotes"]} == {"Nous voulons la justice", "La police a tiré sur la foule"}
    police = client.get("/api/entities/police").json()  # an actor that is no named entity
    assert len(police["events_as_source"]) == 2 and police["events_as_target"] == []
    assert client.get("/api/entities/Nobody Atall").status_code == 404


def test_quotes_by_speaker(client: TestClient) -> None:
    assert len(client.get("/api/quotes").json()["items"]) == 2
    rows = client.get("/api/quotes", params={"speaker": "Marat Aliev", "limit": 1}).json()["items"]
    assert len(rows) == 1 and rows[0]["article_id"] == "b2script00000002"  # newest article first
    assert client.get("/api/quotes", params={"speaker": "Personne"}).json()["items"] == []


def test_places(client: TestClient) -> None:
    items = client.get("/api/places").json()["items"]
    assert items[0]["name"] == "Almaty" and items[0]["n_mentions"] == 2
    assert [p["name"] for p in client.get("/api/places", params={"country": "fr"}).json()["items"]] == ["Paris"]
    place = client.get("/api/places/Almaty").json()
    assert place["kind"] == "city" and len(place["events"]) == 3 and len(place["articles"]) == 2
    assert client.get("/api/places/Atlantis").status_code == 404


def test_search_and_stats(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "manifestants"}).json()
    # one search over every kind: the article, and its quotes and events that say it too
    articles = [h for h in found["items"] if h["kind"] == "article"]
    assert [h["id"] for h in articles] == ["a1protest0000001"] and "[manifestants]" in articles[0]["snippet"]
    assert {h["id"] for h in found["items"]} == {"a1protest0000001"}
    assert found["total"] == sum(found["by_kind"].values()) == len(found["items"])
    only = client.get("/api/search", params={"q": "manifestants", "kind": "article", "limit": 1}).json()
    assert [h["kind"] for h in only["items"]] == ["article"] and only["total"] == found["by_kind"]["article"]
    assert client.get("/api/search", params={"q": "x", "kind": "nope"}).status_code == 422
    assert client.get("/api/search", params={"q": ""}).status_code == 422
    stats = client.get("/api/stats").json()
    assert (stats["articles"], stats["events"], stats["quotes"], stats["measures"]) == (3, 4, 2, 1)


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/articles", "/api/articles/{id}", "/api/events", "/api/events/timeline", "/api/events/places",
                 "/api/entities", "/api/entities/{name}", "/api/quotes", "/api/places", "/api/places/{name}",
                 "/api/search", "/api/stats"):
        assert "get" in paths[path], path
    assert "post" in paths["/api/articles"]
    assert "EventRow" in spec["components"]["schemas"] and "Measure" in spec["components"]["schemas"]
    assert not any(p.endswith(".json") or not p.startswith("/api") for p in paths)  # pages stay out of the API doc


# ---------------------------------------------------------------- writes


ENGLISH_POST = {"text": "Hundreds of farmers protested in Lyon on Tuesday against the new tax, organisers said.",
                "title": "Farmers protest", "published": "2022-02-01", "id": "post-en-1"}


def test_read_only_server_refuses_writes(client: TestClient) -> None:
    r = client.post("/api/articles", json=ENGLISH_POST, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 403 and "read-only" in r.json()["detail"]


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", TOKEN])
def test_post_without_the_right_token_is_401(writer: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = writer.post("/api/articles", json=ENGLISH_POST, headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert writer.get("/api/articles/post-en-1").status_code == 404


def test_post_with_token_ingests_and_shows(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writer.post("/api/articles", json=ENGLISH_POST, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["results"] == [{"index": 0, "id": "post-en-1", "status": "new", "language": "en",
                                    "stage": None, "reason": None, "duplicate_of": None}]
    art = writer.get("/api/articles/post-en-1").json()
    assert art["title"] == "Farmers protest" and art["published"] == "2022-02-01" and art["language"] == "en"
    assert art["meta"]["format"] == "api"
    assert "Farmers protest" in writer.get("/articles/post-en-1").text
    again = writer.post("/api/articles", json=[ENGLISH_POST, {"text": "   \n "}], headers=auth)
    assert again.status_code == 422  # a blank text in the batch: nothing is run
    again = writer.post("/api/articles", json=[ENGLISH_POST], headers=auth).json()
    assert again["results"][0]["status"] == "unchanged" and again["counts"] == {"unchanged": 1}
    copy = {**ENGLISH_POST, "id": "post-en-copy", "text": ENGLISH_POST["text"].upper()}  # the same text, elsewhere
    result = writer.post("/api/articles", json=copy, headers=auth).json()["results"][0]
    assert result["status"] == "new" and result["duplicate_of"] == "post-en-1"
    stored = writer.get("/api/articles/post-en-copy").json()
    assert stored["duplicate_of"] == "post-en-1" and stored["entities"] == [] and stored["places"] == []
    assert [s["id"] for s in writer.get("/api/articles/post-en-1").json()["sources"]] == ["post-en-1", "post-en-copy"]


@pytest.mark.parametrize(
    "payload",
    [
        {"title": "no text"},
        {"text": "x", "published": "not a date"},
        {"text": "x", "unknown_field": 1},
        [],
        "just a string",
    ],
)
def test_bad_post_bodies_are_422(writer: TestClient, payload: object) -> None:
    r = writer.post("/api/articles", json=payload, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422


def test_body_over_the_limit_is_413(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = {"text": "mot " * 10_000}  # 40 KB > the 20 KB limit of this app
    r = writer.post("/api/articles", json=big, headers=auth)
    assert r.status_code == 413 and "too large" in r.json()["detail"]

    def chunks():  # no Content-Length: the limit is enforced while reading
        data = json.dumps(big).encode()
        for i in range(0, len(data), 4096):
            yield data[i : i + 4096]

    r = writer.post("/api/articles", content=chunks(), headers={**auth, "Content-Type": "application/json"})
    assert r.status_code == 413


def test_token_comes_from_the_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIGIE_TOKEN", "from-env")
    with TestClient(create_app(str(db))) as c:
        r = c.post("/api/articles", json=[], headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401
        assert c.post("/api/articles", json=[], headers={"Authorization": "Bearer from-env"}).status_code == 422
    monkeypatch.setenv("VIGIE_TOKEN", "  ")
    with TestClient(create_app(str(db))) as c:
        assert c.post("/api/articles", json=[], headers={"Authorization": "Bearer  "}).status_code == 403


@pytest.mark.model
def test_post_french_article_runs_the_french_pipeline(writer: TestClient) -> None:
    text = ("Le président kazakh Kassym-Jomart Tokaïev a limogé le gouvernement mercredi à Astana. "
            "« La situation est sous contrôle », a-t-il déclaré à la télévision.")
    r = writer.post("/api/articles", json={"text": text, "published": "2022-01-05"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    result = r.json()["results"][0]
    assert result["status"] == "new" and result["language"] == "fr"
    art = writer.get(f"/api/articles/{result['id']}").json()
    assert any("Tokaïev" in e["canonical"] for e in art["entities"])  # the spaCy model ran
    assert "Tokaïev" in writer.get(f"/articles/{result['id']}").text
