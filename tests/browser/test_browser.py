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
from contextlib import contextmanager
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


@contextmanager
def _serving(db: Path, token: str) -> Iterator[str]:
    """`vigie serve`'s application over `db` on a free port of 127.0.0.1, in a thread: its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket over
    port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(str(db), token=token), log_level="warning"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        sock.close()


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

    with _serving(db, token="") as url:
        yield url, analysed[0].id


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
    page.select_option("form.filters select[name=country]", "KZ")  # one code system: alpha-2 for actors too
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/events?type=PROTEST*")
    rows = page.locator("tr.event-row")
    assert 1 <= rows.count() < all_rows
    assert {rows.nth(i).get_attribute("data-type") for i in range(rows.count())} == {"PROTEST"}
    assert page.locator("#events-total").inner_text() == str(rows.count())
    assert page.locator("form.filters select[name=mode] option[value=riot]").count() == 1  # PROTEST's modes (plover)
    page.screenshot(path=str(SCREENSHOTS / "events.png"), full_page=True)
    csv_href = page.locator("#events-csv").get_attribute("href")
    assert csv_href == "/events.csv?type=PROTEST&country=KZ"


def test_sort_the_events_table(server: tuple[str, str], page: object) -> None:
    base, _ = server
    page.goto(f"{base}/events")
    days = page.locator("tr.event-row td:first-child").all_inner_texts()
    assert days[0][:10] >= days[-1][:10]  # newest first by default
    assert "killed" in page.locator("#events-sums").inner_text()
    page.locator("table.events th a.sort[data-sort=type]").click()
    page.wait_for_url("**/events?sort=type&order=asc")
    types = [r.get_attribute("data-type") for r in page.locator("tr.event-row").all()]
    assert types == sorted(types)
    assert page.locator("th[aria-sort=ascending] a[data-sort=type]").count() == 1
    page.locator("table.events th a.sort[data-sort=type]").click()  # again: the other way
    page.wait_for_url("**/events?sort=type&order=desc")
    types = [r.get_attribute("data-type") for r in page.locator("tr.event-row").all()]
    assert types == sorted(types, reverse=True)
    assert page.locator("#events-csv").get_attribute("href") == "/events.csv?sort=type&order=desc"
    page.screenshot(path=str(SCREENSHOTS / "events-sorted.png"), full_page=True)


def test_events_on_a_phone(server: tuple[str, str], page: object) -> None:
    base, _ = server
    page.set_viewport_size({"width": 400, "height": 860})
    page.goto(f"{base}/events?sort=killed")
    assert page.locator("tr.event-row").count() >= 4
    assert page.locator("#events-sums").is_visible() and page.locator("#events-csv").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the window"  # the table scrolls in its box
    page.screenshot(path=str(SCREENSHOTS / "events-phone.png"), full_page=True)
    page.goto(f"{base}/map")
    page.wait_for_selector("#map[data-ready]")
    page.screenshot(path=str(SCREENSHOTS / "map-phone.png"), full_page=True)


def _until(page: object, condition: str, timeout: float = TIMEOUT_MS / 1000) -> None:
    """Wait until a JS condition holds (polled with evaluate: the pages' CSP forbids the eval that Playwright's
    wait_for_function needs)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({condition})"):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        page.wait_for_timeout(100)


def _map_state(page: object) -> dict:
    return page.evaluate("""() => ({
        zoom: window.vigieMap.getZoom(),
        markers: document.querySelectorAll('#map .ev-marker').length,
        clusters: document.querySelectorAll('#map .ev-cluster').length,
        land: document.querySelectorAll('#map path.leaflet-interactive, #map svg path').length,
    })""")


def test_map_zooms_and_lists_a_place(server: tuple[str, str], page: object) -> None:
    base, _ = server
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}/map")
    page.wait_for_selector("#map[data-ready]")
    assert page.locator("#map").get_attribute("data-ready") == "2"  # Almaty and Paris
    _until(page, "document.querySelectorAll('#map svg path').length > 150")  # the world outline
    assert page.locator("#map .map-legend").is_visible()
    assert page.locator("#map").bounding_box()["width"] > 800
    before = _map_state(page)
    page.screenshot(path=str(SCREENSHOTS / "map.png"), full_page=True)
    page.evaluate("window.vigieMap.setView([46, 40], 1)")  # zoomed out: Almaty and Paris make one cluster
    _until(page, "document.querySelectorAll('#map .ev-cluster').length === 1")
    out = _map_state(page)
    assert out["markers"] == 0 and out["clusters"] == 1
    page.locator("#map .ev-cluster").click()  # a click zooms in until the cluster splits
    _until(page, "document.querySelectorAll('#map .ev-marker').length === 2")
    assert _map_state(page)["zoom"] > out["zoom"]
    zoom = _map_state(page)["zoom"]
    page.locator("#map .leaflet-control-zoom-in").click()
    _until(page, f"window.vigieMap.getZoom() > {zoom}")
    assert before["markers"] + before["clusters"] >= 1
    page.evaluate("window.vigieMap.setView([48.85, 2.35], 5)")
    page.locator('#map .ev-marker[title^="Paris"]').click()
    popup = page.locator(".leaflet-popup .map-popup")
    _until(page, "document.querySelectorAll('.popup-events li a').length >= 1")
    assert "Paris" in popup.locator("h3").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "map-popup.png"), full_page=True)
    popup.locator("a.popup-all").click()
    page.wait_for_url("**/events?place=Paris")
    assert page.locator("tr.event-row").count() == 1
    assert all(u.startswith(base) for u in requests), [u for u in requests if not u.startswith(base)]


def test_map_without_scripts(server: tuple[str, str], browser: object) -> None:
    base, _ = server
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        pg = ctx.new_page()
        pg.goto(f"{base}/map")
        assert pg.locator("svg.world .land path").count() > 150
        assert pg.locator("svg.world circle.point").count() >= 2
        pg.screenshot(path=str(SCREENSHOTS / "map-noscript.png"), full_page=True)
        pg.locator('circle.point[data-name="Paris"]').click()
        pg.wait_for_url("**/events?place=Paris")
    finally:
        ctx.close()


def test_timeline_zooms(server: tuple[str, str], page: object) -> None:
    base, _ = server
    page.goto(f"{base}/timeline")
    assert page.locator("svg.chart rect.bar").count() >= 4
    assert page.locator(".zoom .by a.current").inner_text() == "day"  # a span of days: a bar per day
    page.screenshot(path=str(SCREENSHOTS / "timeline.png"), full_page=True)
    wide = page.locator("#timeline-chart").get_attribute("data-to")
    page.locator("#zoom-out").click()
    page.wait_for_url("**/timeline?date_from=*")
    start, end = (page.locator("#timeline-chart").get_attribute(a) for a in ("data-from", "data-to"))
    assert end > wide
    page.locator("#zoom-in").click()
    page.wait_for_url("**/timeline?date_from=*")
    inner = (page.locator("#timeline-chart").get_attribute(a) for a in ("data-from", "data-to"))
    first, last = inner
    assert start < first and last < end
    page.locator(".zoom .by a[data-by=week]").click()
    page.wait_for_url("**by=week*")
    assert page.locator(".zoom .by a.current").inner_text() == "week"
    page.screenshot(path=str(SCREENSHOTS / "timeline-zoomed.png"), full_page=True)
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
    with _serving(db, token="") as url:
        yield url


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


@pytest.fixture(scope="module")
def writer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a server that accepts writes (token "s3cret") over the web fixtures' store."""
    db = tmp_path_factory.mktemp("browser-writer") / "news.db"
    fill_store(db)
    with _serving(db, token="s3cret") as url:
        yield url


def test_save_a_search(writer_server: str, page: object) -> None:
    page.goto(f"{writer_server}/search?q=manifestation&language=fr")
    form = page.locator("section.save-search form")
    form.locator("input[name=name]").fill("unrest")
    form.locator("input[name=token]").fill("s3cret")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{writer_server}/alerts?saved=unrest", timeout=TIMEOUT_MS)
    assert "Saved “unrest”" in page.locator("#saved-notice").inner_text()
    row = page.locator("table.rows tbody tr").first
    assert "unrest" in row.inner_text() and "manifestation" in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "saved-search.png"), full_page=True)
