"""The HTML pages of `vigie serve` and their .json twins, over real stores (SQLite, and PostgreSQL when
VIGIE_TEST_PG_URL is set) of hand-made articles."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from store_backends import BACKENDS
from vigie.app import create_app
from vigie.web.pages import CSV_COLUMNS
from web_fixtures import Page, fill_store, served_store


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    """A read-only server over SQLite, then over PostgreSQL (skipped without VIGIE_TEST_PG_URL)."""
    with served_store(request.param, tmp_path_factory.mktemp("web")) as url, \
            TestClient(create_app(url, token="")) as c:
        yield c


def page(client: TestClient, url: str) -> Page:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    p = Page(r.text)
    assert not p.errors and not p.stack, (url, p.errors[:3], p.stack)
    return p


def twin(client: TestClient, url: str) -> dict:
    path, _, query = url.partition("?")
    r = client.get((path.rstrip("/") or "/index") + ".json" + ("?" + query if query else ""))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    return r.json()


# ---------------------------------------------------------------- every page renders, twins match


@pytest.mark.parametrize(
    "url",
    ["/", "/articles", "/articles/a1protest0000001", "/events", "/events?type=PROTEST&country=KZ", "/timeline",
     "/map", "/entities", "/entities/Marat%20Aliev", "/quotes", "/quotes?speaker=Marat%20Aliev", "/places",
     "/places/Almaty", "/search?q=police", "/search", "/api"],
)
def test_page_renders_well_formed(client: TestClient, url: str) -> None:
    p = page(client, url)
    assert p.find("link", rel="stylesheet")
    if url != "/api":  # the API page's twin is /openapi.json
        json_link = p.find("a", "json-link")[0]["href"]
        assert client.get(json_link).status_code == 200


def test_home_twin(client: TestClient) -> None:
    data = twin(client, "/")
    p = page(client, "/")
    text = " ".join(p.text)
    assert data["stats"]["articles"] == 3 and "db_path" not in data["stats"]
    assert [a["id"] for a in data["latest_articles"]] == ["c3english0000003", "b2script00000002", "a1protest0000001"]
    assert [e["date"] for e in data["latest_events"]] == ["2022-01-10", "2022-01-07", "2022-01-06", "2022-01-05"]
    assert len(p.find("tr", "event-row")) == len(data["latest_events"])
    for a in data["latest_articles"]:
        assert p.find("a", href=f"/articles/{a['id']}")
    assert "Marat Aliev" in text  # top speaker


def test_article_twin_is_the_stored_article(client: TestClient) -> None:
    data = twin(client, "/articles/a1protest0000001")
    assert data == client.get("/api/articles/a1protest0000001").json()
    # a unique prefix works for the page and its twin alike
    assert twin(client, "/articles/a1prot")["id"] == "a1protest0000001"


def test_article_highlights(client: TestClient) -> None:
    p = page(client, "/articles/a1protest0000001")
    ents = p.find("a", "hl-PER") + p.find("span", "hl-PER")
    assert any("PER · Marat Aliev" in (e["title"] or "") for e in ents)
    speaker = p.find("a", "hl-speaker")[0]
    assert speaker["href"] == "/entities/Marat%20Aliev" and "speaker: Marat Aliev" in speaker["title"]
    assert p.find("span", "hl-quote", id="quote-0")
    assert any(d.get("title") == "date: 2022-01-05 (day)" for d in p.find("span", "hl-date"))
    assert any(q.get("title") == "quantity: 200 personne · arrested" for q in p.find("span", "hl-qty"))
    place = [a for a in p.find("a", "hl-place") if a["href"] == "/places/Almaty"][0]
    assert "Almaty, KZ (city) 43.25, 76.92" in place["title"] and "LOC · Almaty" in place["title"]  # merged
    protest = p.find("span", "hl-event", id="event-0")[0]["title"]
    assert "event PROTEST/demonstrate: manifestants, at Almaty, on 2022-01-05" in protest
    assert "arrested 200" in p.find("span", "hl-event", id="event-1")[0]["title"]


def test_script_in_an_article_is_inert(client: TestClient) -> None:
    r = client.get("/articles/b2script00000002")
    body = r.text
    assert "<script" not in body.lower() and "<img" not in body.lower() and "<b>" not in body
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body  # shown as text
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "javascript:" not in body  # its URL is no link
    assert "script-src 'self';" in r.headers["content-security-policy"]  # own files only (the map), never inline
    assert "unsafe" not in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    p = page(client, "/articles/b2script00000002")
    assert "<script>alert('x')</script>" in "".join(p.text)  # the reader sees the characters
    for url in ("/", "/articles", "/events", "/entities/Marat%20Aliev", "/search?q=lecteur", "/quotes"):
        assert "<script" not in client.get(url).text.lower(), url  # the title is escaped everywhere


def test_speaker_without_entity_mention(client: TestClient) -> None:
    p = page(client, "/articles/b2script00000002")
    pronoun = p.find("a", "hl-speaker")[0]  # "il" resolved to Marat Aliev
    assert pronoun["href"] == "/entities/Marat%20Aliev"


def test_events_twin_and_filters(client: TestClient) -> None:
    url = "/events?type=PROTEST&limit=1"
    data = twin(client, url)
    api = client.get("/api/events", params={"type": "PROTEST", "limit": 1}).json()
    assert data["items"] == api["items"] and data["total"] == api["total"] == 2
    assert data["filters"] == {"type": "PROTEST"}
    p = page(client, url)
    rows = p.find("tr", "event-row")
    assert len(rows) == 1 and rows[0]["data-type"] == "PROTEST"
    assert p.find("a", rel="next")[0]["href"] == "/events?type=PROTEST&limit=1&offset=1"
    assert p.find("a", href="/events.csv?type=PROTEST")
    selected = [o for o in p.find("option") if "selected" in o]
    assert [o["value"] for o in selected] == ["PROTEST"]
    # an empty form (every field blank) is no filter at all
    assert twin(client, "/events?type=&mode=&country=&actor=&place=&date_from=&date_to=")["total"] == 4


def test_events_csv(client: TestClient) -> None:
    r = client.get("/events.csv", params={"country": "KZ"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == client.get("/api/events", params={"country": "KZ"}).json()["total"] == 3
    assaults = [row for row in rows if row["type"] == "ASSAULT"]
    assert assaults[0]["target"] == "'=foule"  # a spreadsheet would have run "=foule" as a formula
    assert any(row["mentions"].startswith("[[") for row in rows)  # rows come newest first now, as on the page
    assert client.get("/events.csv", params={"date_from": "yesterday"}).status_code == 422


def test_timeline_twin_and_bars(client: TestClient) -> None:
    data = twin(client, "/timeline")
    assert data["buckets"] == client.get("/api/events/timeline").json()
    p = page(client, "/timeline")
    bars = p.find("rect", "bar")
    assert len(bars) == len(data["buckets"]) == 4  # one day and type per bar here
    assert sorted(b["data-type"] for b in bars) == sorted(b["type"] for b in data["buckets"])
    assert p.find("a", href="/events?type=PROTEST&date_from=2022-01-05&date_to=2022-01-05")
    filtered = twin(client, "/timeline?type=ASSAULT")
    assert filtered["buckets"] == [{"day": "2022-01-07", "type": "ASSAULT", "n": 1}]


def test_map_twin_and_points(client: TestClient) -> None:
    data = twin(client, "/map")
    # the page's points also carry `ref`, what their links filter the events list by
    assert [{k: v for k, v in pt.items() if k != "ref"} for pt in data["points"]] == \
        client.get("/api/events/places").json()
    p = page(client, "/map")
    circles = {c["data-name"]: c for c in p.find("circle", "point")}
    assert set(circles) == {"Almaty", "Paris"}
    assert float(circles["Almaty"]["r"]) > float(circles["Paris"]["r"])  # 3 events against 1
    assert (float(circles["Paris"]["cx"]), float(circles["Paris"]["cy"])) == (2.35, -48.85)  # lon, -lat
    assert len(p.find("path")) > 150  # the offline world outline is drawn
    assert p.find("a", href="/events?place=Almaty")


def test_entity_page(client: TestClient) -> None:
    data = twin(client, "/entities/Marat%20Aliev")
    assert data == client.get("/api/entities/Marat Aliev").json()
    p = page(client, "/entities/Marat%20Aliev")
    text = " ".join(p.text)
    for q in data["quotes"]:
        assert q["text"] in text
    assert len(p.find("rect", "bar")) == len(data["mentions_by_day"])
    police = page(client, "/entities/police")
    assert len(police.find("tr", "event-row")) == 2  # events as source
    assert client.get("/entities/Nobody").status_code == 404


def test_place_page(client: TestClient) -> None:
    data = twin(client, "/places/Almaty")
    assert data == client.get("/api/places/Almaty").json()
    p = page(client, "/places/Almaty")
    assert len(p.find("tr", "event-row")) == len(data["events"]) == 3
    assert p.find("circle", "point")


def test_lists_twins(client: TestClient) -> None:
    per = client.get("/api/entities", params={"label": "PER"}).json()["items"]
    assert twin(client, "/entities?label=PER")["items"] == per
    assert twin(client, "/quotes?speaker=Marat%20Aliev")["items"] == client.get(
        "/api/quotes", params={"speaker": "Marat Aliev"}).json()["items"]
    kz = client.get("/api/places", params={"country": "KZ"}).json()["items"]
    assert twin(client, "/places?country=KZ")["items"] == kz
    ids = [a["id"] for a in client.get("/api/articles").json()["items"]]
    assert [a["id"] for a in twin(client, "/articles")["items"]] == ids
    search = twin(client, "/search?q=manifestants")
    # hits of every kind (the article, its quotes and events), as the API gives them
    assert [h["id"] for h in search["items"] if h["kind"] == "article"] == ["a1protest0000001"]
    api = client.get("/api/search", params={"q": "manifestants", "limit": 50}).json()
    assert [(h["kind"], h["id"], h["idx"], h["snippet"]) for h in search["items"]] == [
        (h["kind"], h["id"], h["idx"], h["snippet"]) for h in api["items"]]
    assert search["total"] == api["total"] == len(api["items"])
    assert [h["kind"] for h in twin(client, "/search?q=manifestants&kind=event")["items"]] == ["event"] * api[
        "by_kind"]["event"]
    html = client.get("/search", params={"q": "manifestants", "type": "PROTEST"}).text
    assert 'id="search-total"' in html and "#event-" in html
    marks = page(client, "/search?q=manifestants").find("mark")
    assert marks


@pytest.mark.parametrize(
    ("url", "status"),
    [("/articles/nope-nope", 404), ("/entities/Personne%20Inconnue", 404), ("/places/Atlantis", 404),
     ("/events?type=RIOT", 422), ("/events?date_from=2022-02-30", 422), ("/entities?label=X", 422),
     ("/no/such/page", 404)],
)
def test_errors_are_html_pages_and_json_for_twins(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert Page(r.text).find("h1", "error-title")
    path, _, query = url.partition("?")
    r = client.get(path + ".json" + ("?" + query if query else ""))
    assert r.status_code == status and "detail" in r.json()


def test_static_world_outline_is_served(client: TestClient) -> None:
    r = client.get("/static/world/countries-110m.json")
    assert r.status_code == 200 and r.json()["type"] == "Topology"
    assert client.get("/static/style.css").status_code == 200


# ---------------------------------------------------------------- the serve command


def test_serve_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from vigie.api.server import server_options
    from vigie.cli import app as cli

    db = tmp_path / "s.db"
    fill_store(db)
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.delenv("VIGIE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    app, kw = calls[0]
    assert (kw["host"], kw["port"], kw["log_level"]) == ("127.0.0.1", 8123, "info") and app.state.token is None
    assert kw == server_options("127.0.0.1", 8123)  # the server reads long request heads (414, not a reset)
    assert "read-only" in result.output
    missing = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert missing.exit_code == 2 and not (tmp_path / "missing.db").exists()
