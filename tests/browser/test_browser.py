"""End-to-end: `vigie serve` in a thread, Debian's Chromium driven headless by Playwright (never a downloaded
browser). The store holds a hand-written French article analysed by the real pipeline, plus hand-made articles
with quotes, events and places (so clicks on speakers and map points do not depend on extractor recall).

Screenshots go to tests/browser/screenshots/ (git-ignored). Install the browser with scripts/browser-deps.sh.
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.model]

CHROMIUM = os.environ.get("VIGIE_CHROMIUM", "/usr/bin/chromium")
if not (shutil.which(CHROMIUM) or Path(CHROMIUM).is_file()):
    pytest.skip(f"no Chromium at {CHROMIUM}: run scripts/browser-deps.sh", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

import uvicorn  # noqa: E402

from vigie.app import create_app  # noqa: E402
from vigie.pipeline import RunOptions, analyze  # noqa: E402
from vigie.records import Article  # noqa: E402
from vigie.store import SQLiteStore  # noqa: E402
from web_fixtures import fill_store  # noqa: E402

SCREENSHOTS = Path(__file__).parent / "screenshots"
# The flags a sandboxed machine with no network needs: no GPU, no sandbox (root), nothing phoning home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
TIMEOUT_MS = 15_000

ARTICLE = """Manifestations au Kazakhstan : le président limoge le gouvernement

Des milliers de manifestants ont défilé mercredi à Almaty, la plus grande ville du Kazakhstan, pour protester contre la hausse du prix du gaz.
« Nous ne céderons pas à la pression de la rue », a déclaré le président Kassym-Jomart Tokaïev dans une allocution télévisée.
La police a arrêté plus de 200 personnes jeudi, selon le ministère de l'Intérieur, et huit policiers ont été tués dans les affrontements.
Le président Tokaïev a limogé le gouvernement et décrété l'état d'urgence à Almaty.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, id of the article analysed by the real pipeline)."""
    tmp = tmp_path_factory.mktemp("browser")
    db = tmp / "news.db"
    fill_store(db)
    source = tmp / "kazakhstan.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    store = SQLiteStore(db)
    try:
        run = analyze([str(source)], RunOptions(published="2022-01-06", workers=1))
        analysed = [a for a in run if isinstance(a, Article)]
        assert len(analysed) == 1
        store.upsert_article(analysed[0])
    finally:
        store.close()

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket over
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db), token=""), log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", analysed[0].id
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    pg.close()
    assert not errors, errors  # no failed resource, no CSP violation, no script error


def test_article_highlights_and_entity_click(server: tuple[str, str], page: object) -> None:
    base, article_id = server
    page.goto(f"{base}/articles/{article_id}")
    text = page.locator(".article-text")
    assert "Des milliers de manifestants" in text.inner_text()
    assert text.locator(".hl-ent").count() >= 4
    assert text.locator(".hl-date").count() >= 1
    person = text.locator('.hl-ent[title*="Kassym-Jomart Tokaïev"]').first
    assert person.is_visible()
    page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=True)
    person.click()
    page.wait_for_url("**/entities/**")
    assert page.locator("h1").inner_text() == "Kassym-Jomart Tokaïev"
    page.screenshot(path=str(SCREENSHOTS / "entity.png"), full_page=True)


def test_click_the_speaker(server: tuple[str, str], page: object) -> None:
    base, _ = server
    page.goto(f"{base}/articles/a1protest0000001")
    quote = page.locator("#quote-0")
    assert quote.inner_text().startswith("Nous voulons la justice")
    speaker = page.locator(".article-text a.hl-speaker").first
    assert "speaker: Marat Aliev" in speaker.get_attribute("title")
    speaker.click()
    page.wait_for_url("**/entities/Marat%20Aliev")
    assert page.locator("h1").inner_text() == "Marat Aliev"
    assert "Nous voulons la justice" in page.locator("#quotes").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "speaker.png"), full_page=True)


def test_filter_the_events_table(server: tuple[str, str], page: object) -> None:
    base, _ = server
    page.goto(f"{base}/events")
    all_rows = page.locator("tr.event-row").count()
    assert all_rows >= 4
    page.select_option("form.filters select[name=type]", "PROTEST")
    page.fill("form.filters input[name=country]", "KZ")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/events?type=PROTEST*")
    rows = page.locator("tr.event-row")
    assert 1 <= rows.count() < all_rows
    assert {rows.nth(i).get_attribute("data-type") for i in range(rows.count())} == {"PROTEST"}
    assert page.locator("#events-total").inner_text() == str(rows.count())
    page.screenshot(path=str(SCREENSHOTS / "events.png"), full_page=True)
    csv_href = page.locator("a", has_text="CSV").get_attribute("href")
    assert csv_href == "/events.csv?type=PROTEST&country=KZ"


def test_map_and_timeline(server: tuple[str, str], page: object) -> None:
    base, _ = server
    page.goto(f"{base}/map")
    assert page.locator("svg.world .land path").count() > 150
    points = page.locator("svg.world circle.point")
    assert points.count() >= 2
    assert page.locator("svg.world").bounding_box()["width"] > 800
    page.screenshot(path=str(SCREENSHOTS / "map.png"), full_page=True)
    page.locator('circle.point[data-name="Paris"]').click()
    page.wait_for_url("**/events?place=Paris")
    assert page.locator("tr.event-row").count() == 1
    page.goto(f"{base}/timeline")
    assert page.locator("svg.chart rect.bar").count() >= 4
    page.screenshot(path=str(SCREENSHOTS / "timeline.png"), full_page=True)
    page.goto(f"{base}/")
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=True)


# ---------------------------------------------------------------- stories and events across articles (issue 14)

from test_api_crossdoc import COPY, ORIGINAL, STORY  # noqa: E402
from test_api_crossdoc import fill as fill_crossdoc  # noqa: E402

#: The widths the story and event pages are looked at: a laptop and a narrow phone.
WIDTHS = {"desktop": 1280, "narrow": 400}


@pytest.fixture(scope="module")
def crossdoc_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a server over the linked store of test_api_crossdoc.py (two articles and a copy of one protest)."""
    db = tmp_path_factory.mktemp("browser-crossdoc") / "crossdoc.db"
    store = SQLiteStore(db)
    try:
        fill_crossdoc(store)
    finally:
        store.close()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db), token=""), log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _no_horizontal_scroll(page: object) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the window"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_story_page(crossdoc_server: str, page: object, width: str) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"{crossdoc_server}/stories")
    page.locator("tr.story-row a", has_text="Manifestation à Almaty").click()
    page.wait_for_url(f"**/stories/{STORY}")
    assert page.locator("h1").inner_text() == "Manifestation à Almaty"
    assert page.locator("svg.chart:visible").count() == 1  # the wide chart, or the narrow one
    assert page.locator("svg.chart:visible rect.bar").count() == 2
    assert page.locator("tr.crossdoc-row").count() == 2
    assert "killed 20–25 (3 reports)" in page.locator("#events").inner_text()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / f"story-{width}.png"), full_page=True)
    page.goto(f"{crossdoc_server}/stories")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / f"stories-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_event_page(crossdoc_server: str, page: object, width: str) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"{crossdoc_server}/stories/{STORY}")
    page.locator("tr.crossdoc-row[data-type=PROTEST] a.reported").click()
    page.wait_for_url("**/events/ev-*")
    rows = page.locator("tr.mention-row")
    assert rows.count() == 3
    assert page.locator("tr.mention-row.is-copy").count() == 1
    assert page.locator("mark.trigger", has_text="défilé").count() == 2
    assert page.locator("mark.trigger").first.is_visible()
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / f"crossdoc-event-{width}.png"), full_page=True)
    # the copy's row leads to the copy's page, which says whose copy it is
    page.locator(f'tr.mention-row.is-copy a[href="/articles/{COPY}"]').click()
    page.wait_for_url(f"**/articles/{COPY}")
    assert page.locator(f'.copy-note a[href="/articles/{ORIGINAL}"]').count() == 1
    page.goto(f"{crossdoc_server}/articles/{ORIGINAL}")
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / f"article-crossdoc-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_lists_mark_copies_and_link_events(crossdoc_server: str, page: object, width: str) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"{crossdoc_server}/articles")
    assert page.locator("span.tag.copies").inner_text() == "+1 copy"
    assert page.locator("tr.is-copy a.tag.copy").get_attribute("href") == f"/articles/{ORIGINAL}"
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / f"articles-copies-{width}.png"), full_page=True)
    page.goto(f"{crossdoc_server}/events")
    assert page.locator("tr.event-row a.reported").count() == 4
    _no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / f"events-reports-{width}.png"), full_page=True)
    page.locator("tr.event-row a.reported", has_text="2 sources").first.click()
    page.wait_for_url("**/events/ev-*")
    assert page.locator("tr.mention-row").count() == 3
