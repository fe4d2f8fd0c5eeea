"""`vigie watch` polls against the local news site of test_watch_server: what is fetched, stored and remembered,
across polls and restarts. The NLP is off (`RunOptions(nlp=False)`): these tests are about fetching and state; the
end-to-end test with the model is in test_watch_cli.py."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from test_watch_server import (  # noqa: F401 - the `site` fixture
    FAST,
    SLOW,
    NewsSite,
    article_html,
    atom,
    gz,
    rss,
    site_fixture,
    sitemap_index,
    urlset,
)
from vigie.pipeline import RunOptions
from vigie.steps.store_writer import WriterSettings
from vigie.store import SQLiteStore
from vigie.watch.http import Fetcher
from vigie.watch.poll import Poller, PollReport, WatchSettings
from vigie.watch.state import WatchState

XML = "application/xml"


class Watch:
    """A watch instance over a database file: a restart is a new Watch over the same file."""

    def __init__(self, path: Any, *, stories: bool = False, **settings: Any) -> None:
        self.store = SQLiteStore(path)
        self.fetcher = Fetcher(FAST)
        self.lines: list[tuple[str, bool]] = []
        self.poller = Poller(
            self.store, fetcher=self.fetcher, settings=WatchSettings(**settings),
            options=lambda: RunOptions(nlp=False, workers=1),
            writer_settings=WriterSettings(stories=stories, link_events=stories),
            log=lambda message, problem: self.lines.append((message, problem)),
        )

    def poll(self, sources: list[str]) -> PollReport:
        self.lines.clear()
        return self.poller.poll(sources)

    def line(self, url: str) -> tuple[str, bool]:
        [found] = [(m, p) for m, p in self.lines if m.startswith(url + ":")]
        return found

    def close(self) -> None:
        self.fetcher.close()
        self.store.close()


@pytest.fixture
def watches(tmp_path) -> Iterator[Any]:
    opened: list[Watch] = []

    def make(**kw: Any) -> Watch:
        w = Watch(tmp_path / "watch.db", **kw)
        opened.append(w)
        return w

    yield make
    for w in opened:
        w.close()


def pages(site: NewsSite, numbers: range | list[int]) -> list[tuple[str, str]]:
    """Article pages /art/N.html on the site; the (path, title) items of a feed listing them."""
    items = []
    for n in numbers:
        site.set(f"/art/{n}.html", article_html(f"Article numéro {n} de la rédaction", n))
        items.append((f"/art/{n}.html", f"Article {n}"))
    return items


def article_hits(site: NewsSite) -> dict[str, int]:
    return {path: n for path, n in site.hits.items() if path.startswith("/art/")}


# ---------------------------------------------------------------------------------------------- acceptance


def test_each_new_item_is_fetched_and_stored_once_across_polls_and_a_restart(site, watches):
    """Three polls and a restart, new items appearing between polls, next to a feed that times out, one that
    answers 500 and one that is malformed XML: every item is fetched once and stored once."""
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.set("/rss.xml", rss(site, pages(site, [0, 1, 2])), content_type="application/rss+xml", etag='"rss-1"')
    site.set("/atom.xml", atom(site, pages(site, [2, 3])), content_type="application/atom+xml")
    site.set("/news.xml", urlset(site, pages(site, [4, 5])), content_type=XML)
    site.set("/sitemap.xml", sitemap_index(site, ["/news.xml", "/sitemap.xml"]), content_type=XML)  # loops to itself
    site.set("/slow.xml", rss(site, pages(site, [50])), content_type=XML, delay=SLOW)
    site.set("/down.xml", "Service Unavailable", status=500, content_type="text/plain")
    site.set("/broken.xml", '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Sans fin', content_type=XML)
    healthy = [site.url(p) for p in ("/rss.xml", "/atom.xml", "/sitemap.xml")]
    broken = [site.url(p) for p in ("/slow.xml", "/down.xml", "/broken.xml")]
    sources = [healthy[0], broken[0], healthy[1], broken[1], healthy[2], broken[2]]

    first = watches(stories=True)
    report = first.poll(sources)
    assert report.articles["new"] == 6 and report.finished is True
    assert len(first.lines) == len(sources) + 1 + 2  # one line per source, the summary, stories and events
    assert first.line(healthy[0]) == (f"{healthy[0]}: 3 new, 0 seen before; 3 pages fetched: 3 stored", False)
    assert first.line(healthy[1])[0] == f"{healthy[1]}: 1 new, 1 seen before; 1 page fetched: 1 stored"
    for url in broken:
        message, problem = first.line(url)
        assert problem and message.startswith(f"{url}: failed: ")
    assert "timed out" in first.line(broken[0])[0] and "HTTP 500 (2 tries)" in first.line(broken[1])[0]
    assert "malformed feed" in first.line(broken[2])[0]
    summary, problem = first.lines[-1]
    assert summary.startswith("poll 1: 6 sources (3 new, 3 failed); 6 pages fetched; articles: 6 new") and not problem

    # new items between polls: one in the RSS feed (its ETag changes), one in the sitemap
    site.set("/rss.xml", rss(site, pages(site, [6, 0, 1, 2])), content_type="application/rss+xml", etag='"rss-2"')
    site.set("/news.xml", urlset(site, pages(site, [7, 4, 5])), content_type=XML)
    report = first.poll(sources)
    assert report.articles["new"] == 2 and report.number == 2
    assert first.line(healthy[0])[0] == f"{healthy[0]}: 1 new, 3 seen before; 1 page fetched: 1 stored"
    assert first.line(healthy[1])[0] == f"{healthy[1]}: unchanged (2 seen before)"
    first.close()

    # a restart: a new watch over the same database
    site.set("/atom.xml", atom(site, pages(site, [8, 3, 2])), content_type="application/atom+xml")
    again = watches()
    report = again.poll(sources)
    assert report.articles["new"] == 1 and report.number == 1
    assert again.line(healthy[0])[0] == f"{healthy[0]}: unchanged (not modified)"
    assert again.line(healthy[1])[0] == f"{healthy[1]}: 1 new, 2 seen before; 1 page fetched: 1 stored"
    assert again.poll(sources).articles["new"] == 0

    assert article_hits(site) == {f"/art/{n}.html": 1 for n in range(9)}  # never /art/50: its feed timed out
    assert again.store.count_articles() == 9
    assert again.store.watch_counts() == {"stored": 9}
    stored = again.store.get_article(again.store.watch_item(site.url("/art/3.html"))["article_id"])
    assert stored["url"] == site.url("/art/3.html") and stored["title"] == "Article numéro 3 de la rédaction"
    assert stored["meta"]["listed_by"] == healthy[1]


# ---------------------------------------------------------------------------------------------- documents


def test_unchanged_feed_costs_a_304(site, watches):
    url = site.set("/rss.xml", rss(site, pages(site, [1])), content_type="application/rss+xml", etag='"v1"',
                   last_modified="Tue, 12 Mar 2024 08:00:00 GMT")
    w = watches()
    w.poll([url])
    w.poll([url])
    assert w.line(url) == (f"{url}: unchanged (not modified)", False)
    [last] = [h for path, h, _ in site.requests if path == "/rss.xml"][-1:]
    assert last["if-none-match"] == '"v1"' and last["if-modified-since"] == "Tue, 12 Mar 2024 08:00:00 GMT"
    row = w.store.watch_source(url)
    assert (row["kind"], row["etag"], row["last_status"]) == ("feed", '"v1"', "unchanged")


def test_sitemap_index_children_loops_gzip_and_depth(site, watches):
    site.set("/news.xml", urlset(site, pages(site, [1, 2])), content_type=XML, etag='"n1"')
    site.set("/old.xml.gz", gz(urlset(site, pages(site, [3]), news=False)), content_type="application/gzip")
    site.set("/deep1.xml", sitemap_index(site, ["/deep2.xml"]), content_type=XML)
    site.set("/deep2.xml", sitemap_index(site, ["/deep3.xml"]), content_type=XML)
    site.set("/deep3.xml", sitemap_index(site, ["/deep4.xml"]), content_type=XML)
    site.set("/deep4.xml", urlset(site, pages(site, [4])), content_type=XML)
    site.set("/broken-child.xml", "<urlset><url>", content_type=XML)
    index = site.set("/sitemap_index.xml", sitemap_index(site, [
        "/news.xml", "/sitemap_index.xml", "/old.xml.gz", "/deep1.xml", "/broken-child.xml", "/news.xml#again"]),
        content_type=XML)
    w = watches()
    report = w.poll([index])
    message, problem = w.line(index)
    assert report.articles["new"] == 3 and problem  # the broken child
    assert message.startswith(f"{index}: 3 new, 0 seen before; 3 pages fetched: 3 stored; 1 child sitemap failed")
    assert "/deep3.xml is nested more than 3 deep: not followed" in message
    assert site.hit("/deep4.xml") == 0 and site.hit("/sitemap_index.xml") == 1 and site.hit("/news.xml") == 1
    titled = w.store.get_article(w.store.watch_item(site.url("/art/1.html"))["article_id"])
    assert titled["title"] == "Article numéro 1 de la rédaction"  # the page's own title first
    assert w.store.watch_source(site.url("/news.xml"))["parent"] == index

    report = w.poll([index])  # the index is read again (its children may change), a child with an ETag is not
    assert report.articles["new"] == 0 and site.hit("/sitemap_index.xml") == 2
    assert [h for path, h, _ in site.requests if path == "/news.xml"][-1]["if-none-match"] == '"n1"'
    assert w.line(index)[0].startswith(f"{index}: unchanged (1 seen before)")  # /news.xml: 304, not read


def test_listing_limits_leave_the_rest_for_the_next_polls(site, watches):
    url = site.set("/rss.xml", rss(site, pages(site, range(5))), content_type=XML)
    w = watches(max_items=2)
    assert w.poll([url]).articles["new"] == 2
    assert w.line(url)[0] == f"{url}: 5 new, 0 seen before; 2 pages fetched: 2 stored; 3 left for the next polls"
    assert w.poll([url]).articles["new"] == 2
    assert w.line(url)[0] == f"{url}: unchanged (5 seen before); 2 pages fetched: 2 stored; 1 left for the next polls"
    assert w.poll([url]).articles["new"] == 1
    assert sorted(article_hits(site).values()) == [1] * 5


# ---------------------------------------------------------------------------------------------- pages


def test_pages_that_are_not_stored(site, watches):
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.set("/private/secret.html", article_html("Secret", 1))
    site.set("/doc.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    site.set("/gone.html", "gone", status=410)
    site.set("/old.html", status=301, headers={"Location": "/art/2.html"})
    site.set("/empty.html", "<html><body><div></div></body></html>")
    items = pages(site, [1, 2]) + [("/private/secret.html", "Secret"), ("/doc.pdf", "PDF"), ("/gone.html", "Gone"),
                                   ("/old.html", "Old"), ("/empty.html", "Empty"), ("/art/1.html#comments", "Again"),
                                   ("/art/1.html?utm_source=rss&utm_medium=feed", "Tracked")]
    url = site.set("/rss.xml", rss(site, items), content_type=XML)
    w = watches()
    report = w.poll([url])
    message, problem = w.line(url)
    assert message == f"{url}: 7 new, 0 seen before; 7 pages fetched: 3 stored, 2 skipped, 2 failed" and problem
    assert report.articles == {"new": 2, "already stored": 1}  # /old.html redirects to /art/2.html
    assert site.hit("/private/secret.html") == 0 and site.hit("/art/1.html") == 1
    item = w.store.watch_item
    assert (item(site.url("/private/secret.html"))["status"], item(site.url("/private/secret.html"))["reason"]) == (
        "skipped", "disallowed by robots.txt")
    assert (item(site.url("/doc.pdf"))["status"], item(site.url("/doc.pdf"))["reason"]) == (
        "skipped", "not HTML (application/pdf)")
    assert (item(site.url("/gone.html"))["status"], item(site.url("/gone.html"))["reason"]) == ("failed", "HTTP 410")
    assert item(site.url("/empty.html"))["status"] == "failed"
    assert "no main text" in item(site.url("/empty.html"))["reason"]
    assert item(site.url("/old.html"))["article_id"] == item(site.url("/art/2.html"))["article_id"]
    assert [e["origin"] for e in w.store.list_errors()] == [site.url("/empty.html")]  # as `vigie ingest` records it
    w.poll([url])
    assert w.line(url)[0] == f"{url}: unchanged (7 seen before)"  # nothing tried again


def test_transient_failures_are_tried_again_a_few_times(site, watches):
    flaky = {"calls": 0}

    def sometimes(req: Any) -> tuple[int, dict[str, str], bytes]:
        flaky["calls"] += 1
        if flaky["calls"] <= 2:  # the first poll's two tries
            return 503, {"Content-Type": "text/plain"}, b"busy"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, article_html("Enfin disponible", 99).encode()

    site.set("/flaky.html", handler=sometimes)
    site.set("/slow.html", article_html("Trop lent", 98), delay=SLOW)
    url = site.set("/rss.xml", rss(site, [("/flaky.html", "Flaky"), ("/slow.html", "Slow")]), content_type=XML)
    w = watches(max_attempts=2)
    w.poll([url])
    assert w.line(url) == (f"{url}: 2 new, 0 seen before; 2 pages fetched: 2 to retry", False)
    assert w.store.watch_item(site.url("/slow.html"))["status"] == "pending"
    report = w.poll([url])
    assert report.articles["new"] == 1
    assert w.line(url)[0] == f"{url}: unchanged (2 seen before); 2 pages fetched: 1 stored, 1 failed"
    slow = w.store.watch_item(site.url("/slow.html"))
    assert (slow["status"], slow["attempts"]) == ("failed", 2) and "given up after 2 polls" in slow["reason"]
    w.poll([url])
    assert w.line(url)[0] == f"{url}: unchanged (2 seen before)"


def test_a_failed_source_keeps_its_pending_pages(site, watches):
    items = pages(site, range(3))
    url = site.set("/rss.xml", rss(site, items), content_type=XML)
    w = watches(max_items=1)
    w.poll([url])
    site.set("/rss.xml", "down", status=404)
    w.poll([url])
    assert w.line(url) == (f"{url}: failed: HTTP 404", True)
    assert w.store.watch_counts() == {"pending": 2, "stored": 1}
    site.set("/rss.xml", rss(site, items), content_type=XML)
    w.poll([url])
    assert w.store.watch_counts() == {"pending": 1, "stored": 2}


# ---------------------------------------------------------------------------------------------- stops


def test_killed_between_store_and_record_stores_once(site, watches, monkeypatch):
    """A process stopped after an article's transaction and before its item's state is recorded: the next poll
    fetches the page again, finds the article stored, and records it; the article is stored once."""
    url = site.set("/rss.xml", rss(site, pages(site, [1, 2])), content_type=XML)
    original = WatchState.record
    calls = {"stored": 0}

    def record(self: WatchState, item: Any, status: str, **kw: Any) -> None:
        if status == "stored":
            calls["stored"] += 1
            if calls["stored"] == 2:
                raise KeyboardInterrupt  # Ctrl-C (a SIGKILL would stop here just as well)
        original(self, item, status, **kw)

    monkeypatch.setattr(WatchState, "record", record)
    w = watches()
    report = w.poll([url])
    assert report.stopped_by == "interrupted" and report.finished is None
    assert "interrupted: stopped early" in w.lines[-1][0]
    assert w.store.count_articles() == 2 and w.store.watch_counts() == {"pending": 1, "stored": 1}
    monkeypatch.setattr(WatchState, "record", original)
    again = watches()
    report = again.poll([url])
    assert report.articles == {"already stored": 1}
    assert again.store.count_articles() == 2 and again.store.watch_counts() == {"stored": 2}
    assert sorted(article_hits(site).values()) == [1, 2]  # the unrecorded page was fetched again, once


def test_interrupted_while_fetching(site, watches):
    """Ctrl-C during a poll: the poll ends without raising, what was stored stays, the rest waits as pending."""
    import _thread
    import threading

    site.set("/slow.html", article_html("Trop lent", 98), delay=SLOW)
    url = site.set("/rss.xml", rss(site, [*pages(site, [1]), ("/slow.html", "Slow")]), content_type=XML)
    w = watches(fetchers=2)
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    try:
        report = w.poll([url])
    finally:
        timer.cancel()
    assert report.stopped_by == "interrupted" and report.finished is None
    assert w.store.watch_item(site.url("/slow.html"))["status"] == "pending"  # left for the next poll
    assert w.fetcher.stop_event.is_set()
