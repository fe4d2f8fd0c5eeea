"""The pages of stories and of events across articles (issue 14), and what the article and list pages say of them,
over real stores (SQLite, and PostgreSQL when VIGIE_TEST_PG_URL is set) of hand-made articles: see
test_api_crossdoc.py for the store (two articles and a copy telling one protest, in one story)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from store_backends import BACKENDS
from test_api_crossdoc import B_TITLE, COPY, ORIGINAL, OTHER, PARIS, STORY, crossdoc_store, protest_id
from vigie.app import create_app
from web_fixtures import Page


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with crossdoc_store(request.param, tmp_path_factory.mktemp("crossdoc-web")) as url, \
            TestClient(create_app(url, token="")) as c:
        yield c


def page(client: TestClient, url: str) -> tuple[Page, str]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html")
    p = Page(r.text)
    assert not p.errors and not p.stack, (url, p.errors[:3], p.stack)
    return p, r.text


def text_of(p: Page) -> str:
    return " ".join(" ".join(p.text).split())


def hrefs(p: Page) -> list[str]:
    return [a.get("href") or "" for a in p.find("a")]


def test_pages_render_and_twins_match(client: TestClient) -> None:
    event_id = protest_id(client)
    for url in ("/stories", f"/stories/{STORY}", f"/events/{event_id}", "/stories?min_articles=2"):
        p, _ = page(client, url)
        twin = p.find("a", "json-link")[0]["href"]
        r = client.get(twin)
        assert r.status_code == 200 and r.headers["content-type"] == "application/json", url
    assert client.get(f"/stories/{STORY}.json").json() == client.get(f"/api/stories/{STORY}").json()
    twin = client.get(f"/events/{event_id}.json").json()
    assert twin["story_titles"] == {STORY: "Manifestation à Almaty"}
    assert {k: v for k, v in twin.items() if k != "story_titles"} == client.get(f"/api/events/{event_id}").json()


def test_nav_links_the_stories(client: TestClient) -> None:
    p, _ = page(client, "/")
    assert "/stories" in [a["href"] for a in p.find("a") if a.get("href")]


def test_stories_page(client: TestClient) -> None:
    p, _ = page(client, "/stories")
    rows = p.find("tr", "story-row")
    assert len(rows) == 2
    text = text_of(p)
    assert text.index("Farmers protest in Paris") < text.index("Manifestation à Almaty")  # latest first
    assert f"/stories/{STORY}" in hrefs(p) and f"/stories/{PARIS}" in hrefs(p)
    assert "2 stories" in text
    p, _ = page(client, "/stories?min_articles=3")
    assert len(p.find("tr", "story-row")) == 1
    assert client.get("/stories?min_articles=abc").status_code == 422


def test_story_page(client: TestClient) -> None:
    p, html = page(client, f"/stories/{STORY}")
    assert p.find("h1", "story-title") and "<h1 class=\"story-title\">Manifestation à Almaty</h1>" in html
    text = text_of(p)
    assert "2022-01-05 → 2022-01-06 (2 days)" in text
    assert "3 articles (1 copy)" in text and "2 sources" in text and "2 events" in text
    for source in ("example.org", "other.example", "copy.example"):
        assert source in text
    links = hrefs(p)
    assert "/places/Almaty" in links and "/entities/Marat%20Aliev" in links
    # articles per day: a server-drawn SVG chart, one bar a day (twice: wide, and narrow for phones)
    bars = p.find("rect", "bar")
    assert len(bars) == 4 and len(p.find("svg", "chart")) == 2
    assert "2022-01-06: 2 articles" in text
    # the articles, the copy marked as a copy of its original
    assert {f"/articles/{a}" for a in (ORIGINAL, OTHER, COPY)} <= set(links)
    assert "copy of Manifestation à Almaty" in text
    # its events, with counts as ranges, each linking to its page
    rows = p.find("tr", "crossdoc-row")
    assert {r["data-type"] for r in rows} == {"PROTEST", "COERCE"}
    assert "killed 20–25 (3 reports)" in text and "arrested 200 (2 reports)" in text
    assert f"/events/{protest_id(client)}" in links
    assert "3 articles / 2 sources" in text
    # the markup in a title is text
    assert "<script>alert(1)" not in html and "&lt;b&gt;la foule&lt;/b&gt;" in html
    assert B_TITLE in text


def test_event_page_lists_every_source(client: TestClient) -> None:
    event_id = protest_id(client)
    p, html = page(client, f"/events/{event_id}")
    text = text_of(p)
    assert "reported by 3 articles from 2 sources" in text
    assert "killed 20–25 (3 reports)" in text
    assert "First seen 2022-01-05" in text and "Last seen 2022-01-06" in text
    assert [a["href"] for a in p.find("a", "story-link")] == [f"/stories/{STORY}"]
    assert "Manifestation à Almaty" in text and event_id in text
    rows = p.find("tr", "mention-row")
    assert len(rows) == 3  # every article, the copy included
    assert len(p.find("tr", "is-copy")) == 1
    for source in ("example.org", "other.example", "copy.example"):
        assert source in text
    links = hrefs(p)
    assert {f"/articles/{a}" for a in (ORIGINAL, OTHER, COPY)} <= set(links)
    assert "copy of Manifestation à Almaty" in text
    # the trigger highlighted in its sentence: twice "défilé" (the original and its copy), once "manifesté"
    assert html.count('<mark class="trigger">défilé</mark>') == 2
    assert html.count('<mark class="trigger">manifesté</mark>') == 1
    assert "Des milliers de manifestants ont <mark class=\"trigger\">défilé</mark> mercredi" in html
    # a javascript: URL is never a link, the title's markup is text
    assert "javascript:" not in html and "<script>alert(1)" not in html
    assert "0.70" in text  # the article's own confidence


def test_event_pages_404_and_events_table_still_works(client: TestClient) -> None:
    for url in ("/events/ev-0000000000000000", "/events/not-an-event", "/events/ev-0000000000000000.json"):
        r = client.get(url)
        assert r.status_code == 404, url
    assert "no event" in client.get("/events/nope").text
    assert client.get("/events/nope.json").json()["detail"] == "no event 'nope'"
    assert client.get("/stories/nope").status_code == 404
    assert client.get("/stories/nope.json").json()["detail"] == "no story 'nope'"
    for url in ("/events", "/events.json", "/events.csv", "/timeline", "/map"):
        assert client.get(url).status_code == 200, url


def test_events_table_links_each_record_to_its_event(client: TestClient) -> None:
    event_id = protest_id(client)
    p, _ = page(client, "/events?type=PROTEST")
    reported = p.find("a", "reported")
    assert len(reported) == 3
    assert [a["href"] for a in reported].count(f"/events/{event_id}") == 2
    assert "2 sources" in text_of(p) and "1 source" in text_of(p)


def test_article_page_links_story_and_events(client: TestClient) -> None:
    event_id = protest_id(client)
    p, _ = page(client, f"/articles/{ORIGINAL}")
    assert [a["href"] for a in p.find("a", "story-link")] == [f"/stories/{STORY}"]
    reported = p.find("a", "reported")
    assert [a["href"] for a in reported][0] == f"/events/{event_id}"
    text = text_of(p)
    assert "3 articles / 2 sources" in text and "2 articles / 1 source" in text
    trigger = p.find("span", "hl-event", id="event-0")[0]["title"]
    assert trigger.endswith("reported by 3 articles, 2 sources")
    p, _ = page(client, f"/articles/{COPY}")
    assert "copy" in text_of(p) and f"/articles/{ORIGINAL}" in hrefs(p)
    assert [a["href"] for a in p.find("a", "story-link")] == [f"/stories/{STORY}"]


def test_article_lists_mark_copies(client: TestClient) -> None:
    for url in ("/articles", "/"):
        p, _ = page(client, url)
        copies = [t for t in p.find("span", "copies")]
        assert len(copies) == 1, url
        assert "+1 copy" in text_of(p), url
        marker = p.find("a", "copy")
        assert [a["href"] for a in marker] == [f"/articles/{ORIGINAL}"], url
        assert len(p.find("tr", "is-copy")) == 1, url
