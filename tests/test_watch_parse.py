"""What `vigie watch` reads: source arguments and list files, URLs, durations, feeds, sitemaps, pages (no network:
documents in memory, and the local site of test_watch_server for the entity tests)."""
from __future__ import annotations

import gzip

import pytest

from test_watch_server import article_html, atom, gz, rss, site_fixture, sitemap_index, urlset  # noqa: F401
from vigie.ingest import read_inputs
from vigie.records import Article, ArticleError
from vigie.watch.command import format_duration, parse_duration
from vigie.watch.feeds import FeedError, parse_feed
from vigie.watch.pages import html_reason, page_article
from vigie.watch.sitemaps import INDEX, URLSET, SitemapError, newest_first, parse_sitemap
from vigie.watch.sources import FEED, SITEMAP, SourceListError, gunzip, read_sources, root_name, sniff_kind
from vigie.watch.urls import is_web_url, normalize_url

MB = 1_000_000


class _Site:
    base = "http://news.test"

    def url(self, path: str) -> str:
        return self.base + path


SITE = _Site()
ITEMS = [("/a/1.html", "Premier titre"), ("/a/2.html", "Deuxième titre")]


# ---------------------------------------------------------------------------------------------- sources, URLs


def test_sources_from_urls_and_list_files(tmp_path):
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "# les sources suivies\n\nhttps://exemple.fr/rss.xml\n  https://exemple.fr/sitemap_news.xml  # le sitemap\n"
        "https://exemple.fr/rss.xml\n", encoding="utf-8")
    assert read_sources(["https://autre.fr/feed", str(listing)]) == [
        "https://autre.fr/feed", "https://exemple.fr/rss.xml", "https://exemple.fr/sitemap_news.xml"]
    with pytest.raises(SourceListError, match="neither"):
        read_sources([str(tmp_path / "missing.txt")])
    with pytest.raises(SourceListError, match="not an http"):
        read_sources(["ftp://exemple.fr/feed"])
    bad = tmp_path / "bad.txt"
    bad.write_text("https://ok.fr/feed\nexemple.fr/rss\n", encoding="utf-8")
    with pytest.raises(SourceListError, match="bad.txt:2"):
        read_sources([str(bad)])


def test_normalize_url():
    assert normalize_url("HTTPS://Www.Exemple.FR:443/a/b.html?id=3&utm_source=rss&utm_medium=x#comments") == (
        "https://www.exemple.fr/a/b.html?id=3")
    assert normalize_url("http://exemple.fr") == "http://exemple.fr/"
    assert normalize_url("http://exemple.fr:8080/x?fbclid=abc&xtor=RSS-1&at_medium=rss") == "http://exemple.fr:8080/x"
    assert normalize_url("http://exemple.fr/x?b=2&a=1") == "http://exemple.fr/x?b=2&a=1"  # order kept
    assert normalize_url("http://user:pw@exemple.fr/x") == "http://exemple.fr/x"
    with pytest.raises(ValueError):
        normalize_url("mailto:redaction@exemple.fr")
    assert is_web_url("https://exemple.fr/x") and not is_web_url("/relative") and not is_web_url("javascript:void(0)")


def test_durations():
    assert parse_duration("90s") == 90 and parse_duration("15m") == 900 and parse_duration("1h") == 3600
    assert parse_duration("1h30m") == 5400 and parse_duration("45") == 45 and parse_duration("2d") == 172800
    assert parse_duration("500ms") == 0.5
    for bad in ("", "quinze", "15 minutes", "0s", "-5m", "15x"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert format_duration(900) == "15m" and format_duration(3600) == "1h" and format_duration(90) == "90s"


# ---------------------------------------------------------------------------------------------- sniffing


def test_kind_is_read_from_the_document():
    assert sniff_kind(rss(SITE, ITEMS).encode()) == FEED
    assert sniff_kind(atom(SITE, ITEMS).encode()) == FEED
    assert sniff_kind(urlset(SITE, ITEMS).encode()) == SITEMAP
    assert sniff_kind(sitemap_index(SITE, ["/s.xml"]).encode()) == SITEMAP
    assert sniff_kind(b"\xef\xbb\xbf<!-- hello --><?xml-stylesheet href='x'?>\n<rdf:RDF xmlns:rdf='x'/>") == FEED
    assert sniff_kind(article_html("Une page", 1).encode()) is None
    assert sniff_kind(b"garbage <<< not xml") is None
    assert root_name(b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<ns:urlset xmlns:ns="y"/>') == "urlset"
    assert gunzip(gz("<urlset/>"), MB) == b"<urlset/>"
    with pytest.raises(ValueError, match="too large"):
        gunzip(gzip.compress(b"x" * 10_000), 1_000)
    with pytest.raises(ValueError, match="corrupt"):
        gunzip(b"\x1f\x8b\x08\x00garbage", MB)


# ---------------------------------------------------------------------------------------------- feeds


def test_rss_entries():
    name, entries = parse_feed(rss(SITE, ITEMS).encode(), "http://news.test/rss.xml")
    assert name == "Le Journal de test"
    assert [(e.url, e.title) for e in entries] == [("http://news.test/a/1.html", "Premier titre"),
                                                   ("http://news.test/a/2.html", "Deuxième titre")]
    assert entries[0].published == "2024-03-12T08:00:00Z"


def test_atom_entries_with_relative_links():
    name, entries = parse_feed(atom(SITE, ITEMS).encode(), "http://news.test/atom.xml")
    assert name == "Le Fil Atom"
    assert [e.url for e in entries] == ["http://news.test/a/1.html", "http://news.test/a/2.html"]
    assert entries[1].published.startswith("2024-03-11T10:00:00")  # as written: the publisher's own day


def test_broken_feeds():
    with pytest.raises(FeedError, match="malformed"):
        parse_feed(b"<rss><channel><item>", "http://news.test/rss.xml")
    with pytest.raises(FeedError):
        parse_feed(b"garbage <<< not xml", "http://news.test/rss.xml")
    # a truncated feed still gives the entries it has
    _, entries = parse_feed(rss(SITE, ITEMS).encode()[:-40], "http://news.test/rss.xml")
    assert [e.title for e in entries] == ["Premier titre", "Deuxième titre"]
    assert parse_feed(rss(SITE, []).encode(), "http://news.test/rss.xml")[1] == []  # empty, not broken


def test_feed_entities_are_not_fetched(site):
    site.set("/secret", "SECRET", content_type="text/plain")
    doc = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{site.url("/secret")}">]><rss version="2.0">'
           "<channel><title>t</title><item><title>&x;</title><link>http://news.test/a</link></item></channel></rss>")
    _, entries = parse_feed(doc.encode(), "http://news.test/rss.xml")
    assert site.hit("/secret") == 0 and "SECRET" not in str(entries)


# ---------------------------------------------------------------------------------------------- sitemaps


def test_news_sitemap():
    sitemap = parse_sitemap(urlset(SITE, ITEMS).encode(), "http://news.test/news.xml", MB)
    assert sitemap.kind == URLSET
    assert [(e.url, e.title, e.published) for e in sitemap.entries] == [
        ("http://news.test/a/1.html", "Premier titre", "2024-03-10T09:00:00+01:00"),
        ("http://news.test/a/2.html", "Deuxième titre", "2024-03-11T09:00:00+01:00"),
    ]
    assert [e.title for e in newest_first(sitemap.entries)] == ["Deuxième titre", "Premier titre"]
    plain = parse_sitemap(gz(urlset(SITE, ITEMS, news=False)), "http://news.test/s.xml.gz", MB)
    assert [(e.title, e.published) for e in plain.entries] == [(None, "2024-03-10"), (None, "2024-03-11")]


def test_sitemap_index_and_lenient_namespaces():
    index = parse_sitemap(sitemap_index(SITE, ["/a.xml", "/b.xml.gz"]).encode(), "http://news.test/i.xml", MB)
    assert index.kind == INDEX and [e.url for e in index.entries] == ["http://news.test/a.xml",
                                                                       "http://news.test/b.xml.gz"]
    bare = b"<urlset><url><loc> /relative.html </loc></url><url><loc></loc></url><url><loc>mailto:x@y</loc></url></urlset>"
    assert [e.url for e in parse_sitemap(bare, "http://news.test/s.xml", MB).entries] == [
        "http://news.test/relative.html"]


def test_broken_sitemaps():
    with pytest.raises(SitemapError, match="malformed"):
        parse_sitemap(b'<?xml version="1.0"?><urlset><url><loc>http://news.test/a', "http://news.test/s.xml", MB)
    with pytest.raises(SitemapError, match="not a sitemap"):
        parse_sitemap(b"<html><body/></html>", "http://news.test/s.xml", MB)
    with pytest.raises(SitemapError, match="too large"):
        parse_sitemap(gzip.compress(b" " * 5000 + b"<urlset/>"), "http://news.test/s.xml.gz", 1000)


def test_sitemap_entities_are_neither_resolved_nor_fetched(site, tmp_path):
    site.set("/secret", "http://news.test/stolen", content_type="text/plain")
    secret = tmp_path / "secret.txt"
    secret.write_text("http://news.test/from-a-file", encoding="utf-8")
    doc = (f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY net SYSTEM "{site.url("/secret")}">'
           f'<!ENTITY file SYSTEM "file://{secret}"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
           "<urlset><url><loc>&net;</loc></url><url><loc>&file;</loc></url><url><loc>&lol2;</loc></url>"
           "<url><loc>http://news.test/ok</loc></url></urlset>")
    entries = parse_sitemap(doc.encode(), "http://news.test/s.xml", MB).entries
    assert [e.url for e in entries] == ["http://news.test/ok"] and site.hit("/secret") == 0


# ---------------------------------------------------------------------------------------------- pages


def test_page_reads_as_ingest_reads_the_saved_file(tmp_path):
    html = article_html("Grève des cheminots à Lyon", 7)
    saved = tmp_path / "page.html"
    saved.write_text(html, encoding="utf-8")
    [ingested] = list(read_inputs([str(saved)]))
    watched = page_article(html.encode("utf-8"), url="http://news.test/a/7.html", listed_by="http://news.test/rss",
                           via="feed", title="Titre du flux", published="2024-01-01")
    assert isinstance(ingested, Article) and isinstance(watched, Article)
    assert watched.id == ingested.id and watched.raw == ingested.raw
    assert (watched.title, watched.published) == (ingested.title, ingested.published) == (
        "Grève des cheminots à Lyon", "2024-03-12")
    assert watched.origin == watched.url == "http://news.test/a/7.html" and watched.source == "news.test"
    assert watched.meta["listed_by"] == "http://news.test/rss" and watched.meta["format"] == "html"


def test_page_falls_back_on_the_feed_title_and_date():
    html = ("<html><body><article>" + "".join(f"<p>{p}</p>" for p in _paragraphs()) + "</article></body></html>")
    art = page_article(html.encode(), url="http://news.test/a/8.html", listed_by="http://news.test/sitemap.xml",
                       via="sitemap", title="Le titre du sitemap", published="2024-02-29T09:00:00+01:00")
    assert isinstance(art, Article)
    assert (art.title, art.published, art.meta["published_from"]) == ("Le titre du sitemap", "2024-02-29", "sitemap")


def _paragraphs() -> list[str]:
    from test_watch_server import french_text

    return french_text(8)


def test_pages_that_are_no_articles():
    assert html_reason("text/html", b"") is None and html_reason("application/xhtml+xml", b"") is None
    assert html_reason("", b"<!DOCTYPE html><html><body>x</body></html>") is None
    assert html_reason("application/pdf", b"%PDF-1.4") == "not HTML (application/pdf)"
    assert html_reason("text/plain", b"just words") == "not HTML (text/plain)"
    empty = page_article(b"  \n", url="http://news.test/e", listed_by="s", via="feed")
    assert isinstance(empty, ArticleError) and empty.reason == "empty page"
    binary = page_article(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, url="http://news.test/p", listed_by="s", via="feed")
    assert isinstance(binary, ArticleError) and binary.stage == "read"
    nothing = page_article(b"<html><body><div></div></body></html>", url="http://news.test/n", listed_by="s",
                           via="feed")
    assert isinstance(nothing, ArticleError) and "no main text" in nothing.reason
