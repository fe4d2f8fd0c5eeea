"""What `vigie watch` remembers (`vigie.store.watch`, `vigie.watch.state`), on SQLite and PostgreSQL (the `store`
fixture of store_backends.py)."""
from __future__ import annotations

import pytest

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from vigie.records import Article
from vigie.watch.sources import Entry
from vigie.watch.state import WatchState

FEED = "https://exemple.fr/rss.xml"


def _article(id: str) -> Article:
    return Article(id=id, raw="Le maire de Lyon a présenté un plan.", origin=f"https://exemple.fr/{id}",
                   text="Le maire de Lyon a présenté un plan.", language="fr")


def test_documents_keep_their_validators_until_a_full_answer(store):
    assert store.watch_source(FEED) is None
    store.save_watch_source(FEED, "new", kind="feed", validators=('"v1"', "Tue, 12 Mar 2024 08:00:00 GMT"))
    store.save_watch_source(FEED, "unchanged")  # a 304: validators and kind kept
    row = store.watch_source(FEED)
    assert (row["kind"], row["etag"], row["last_modified"], row["last_status"]) == (
        "feed", '"v1"', "Tue, 12 Mar 2024 08:00:00 GMT", "unchanged")
    store.save_watch_source(FEED, "new", validators=(None, None))  # a full answer without validators
    assert (store.watch_source(FEED)["etag"], store.watch_source(FEED)["kind"]) == (None, "feed")
    store.save_watch_source("https://exemple.fr/news.xml", "new", parent="https://exemple.fr/index.xml",
                            kind="sitemap")
    assert [r["url"] for r in store.list_watch_sources()] == [FEED]
    assert [r["url"] for r in store.list_watch_sources("https://exemple.fr/index.xml")] == [
        "https://exemple.fr/news.xml"]
    state = WatchState(store)
    store.save_watch_source("https://exemple.fr/index.xml", "new", kind="sitemapindex", validators=('"i"', None))
    assert state.validators("https://exemple.fr/index.xml") == (None, None, "sitemapindex")  # always read again
    assert state.validators(FEED) == (None, None, "feed")


def test_items_from_listing_to_stored(store):
    state = WatchState(store, max_attempts=2)
    entries = [Entry("https://exemple.fr/a?utm_source=rss", "A", "2024-03-12"), Entry("https://Exemple.fr/a#top"),
               Entry("https://exemple.fr/b", "B", "2024-03-13"), Entry("mailto:x@exemple.fr")]
    assert state.enqueue(FEED, entries) == (2, 0)
    assert state.enqueue("https://autre.fr/rss", [Entry("https://exemple.fr/b")]) == (0, 1)  # listed elsewhere first
    due = state.due(FEED, 10)
    assert [(c.url, c.title, c.attempts) for c in due] == [("https://exemple.fr/b", "B", 0),
                                                          ("https://exemple.fr/a", "A", 0)]  # newest first
    a, b = due[1], due[0]
    store.upsert_article(_article("aaaaaaaaaaaa"))
    state.record(a, "stored", article_id="aaaaaaaaaaaa")
    assert state.record_failure(b, "timed out", transient=True) == "pending"
    [again] = state.due(FEED, 10)
    assert (again.url, again.attempts) == ("https://exemple.fr/b", 1)
    assert state.record_failure(again, "timed out", transient=True) == "failed"
    item = store.watch_item("https://exemple.fr/b")
    assert (item["status"], item["attempts"], item["title"], item["published"]) == ("failed", 2, "B", "2024-03-13")
    assert item["reason"] == "timed out; given up after 2 polls"
    assert store.watch_counts() == {"failed": 1, "stored": 1} and store.watch_counts(FEED)["stored"] == 1
    assert state.enqueue(FEED, entries) == (0, 2) and state.due(FEED, 10) == []
    with pytest.raises(ValueError):
        store.save_watch_item("https://exemple.fr/c", FEED, "lost")


def test_many_urls_at_once(store):
    state = WatchState(store)
    entries = [Entry(f"https://exemple.fr/{i}") for i in range(1200)]  # more than one chunk of watch_known
    assert state.enqueue(FEED, entries) == (1200, 0)
    assert state.enqueue(FEED, entries[:700] + [Entry("https://exemple.fr/new")]) == (1, 700)
    assert len(state.due(FEED, 50)) == 50 and store.watch_counts() == {"pending": 1201}
