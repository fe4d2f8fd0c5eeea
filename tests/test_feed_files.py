"""RSS and Atom feed files as input (issue 15): one article per entry that carries the article's text.

Feeds are written by the tests from the bundled Wikinews sample: full text in `content:encoded` (RSS 2.0) and
Atom `<content>`, a long plain-text summary, teasers that are no article, malformed XML. No NLP here.
"""
from __future__ import annotations

import gzip
import html
import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from vigie.ingest import count_inputs, read_inputs
from vigie.ingest.feed import MIN_ENTRY_CHARS
from vigie.records import Article, ArticleError

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"
TEASER = "Un homme a foncé en voiture sur quatre militaires devant la Grande Mosquée de Valence."
WATCH = "`vigie watch` fetches the pages"


def sample(*indexes: int) -> list[dict]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(lines[i]) for i in indexes]


def body(article: dict) -> list[str]:
    """The article's paragraphs without its headline line."""
    return [line for line in article["text"].splitlines() if line.strip()][1:]


def as_html(article: dict) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in body(article)) + '<p><a href="/partager">Partager</a></p>'


def rss(items: list[str], *, channel_title: str = "Wikinews") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{channel_title}</title><link>https://fr.wikinews.example/</link>"
        "<description>Les dernières nouvelles</description>\n" + "\n".join(items) + "\n</channel></rss>\n"
    )


def item(article: dict, *, pub_date: str, content: bool = True, description: str = TEASER) -> str:
    encoded = f"<content:encoded><![CDATA[{as_html(article)}]]></content:encoded>" if content else ""
    return (
        f"<item><title>{html.escape(article['title'])}</title><link>https://fr.wikinews.example/{article['id']}</link>"
        f"<guid isPermaLink=\"false\">{article['id']}</guid><pubDate>{pub_date}</pubDate>"
        f"<dc:creator>Rédaction</dc:creator><description>{html.escape(description)}</description>{encoded}</item>"
    )


def read(*inputs: str | Path, **kwargs: object) -> list[Article | ArticleError]:
    return list(read_inputs([str(p) for p in inputs], **kwargs))  # type: ignore[arg-type]


@pytest.fixture
def rss_feed(tmp_path: Path) -> Path:
    first, second, third = sample(0, 3, 8)
    items = [
        # 23:30 in New York is the 12th where it was published (the 13th in UTC): the publisher's day is kept.
        item(first, pub_date="Tue, 12 Jan 2016 23:30:00 -0500"),
        item(second, pub_date="Thu, 11 Feb 2016 10:00:00 +0100"),
        item(third, pub_date="Sat, 21 May 2016 08:00:00 +0200", content=False),  # a teaser only
        "<item><title>Brève</title><link>https://fr.wikinews.example/breve</link>"
        "<description>" + html.escape(" ".join(body(third))[:500] + " […]") + "</description></item>",  # cut short
    ]
    path = tmp_path / "wikinews.rss"
    path.write_text(rss(items), encoding="utf-8")
    return path


def test_rss_entries_with_article_text_become_articles(rss_feed: Path) -> None:
    results = read(rss_feed)
    first, second, summary = results
    src_first, src_second = sample(0, 3)
    for art, src, n in ((first, src_first, 1), (second, src_second, 2)):
        assert isinstance(art, Article)
        assert art.origin == f"{rss_feed}#{n}"
        assert art.url == f"https://fr.wikinews.example/{src['id']}" and art.title == src["title"]
        assert art.source == "Wikinews" and art.author == "Rédaction"
        assert body(src)[1][:60] in art.raw and "Partager" not in art.raw  # through the HTML path's extraction
        assert art.meta["format"] == "feed" and art.meta["feed"] == "rss20"
        assert art.meta["feed_entry"] == "content" and art.meta["content"] == "html"
    assert (first.published, second.published) == ("2016-01-12", "2016-02-11")
    # The teasers are one error for the feed, naming the first, not one error each.
    assert isinstance(summary, ArticleError) and summary.origin == str(rss_feed)
    assert summary.reason == (
        f"2 of 4 feed entries have no article text (under {MIN_ENTRY_CHARS} characters, or cut with an ellipsis: "
        f"a headline or teaser), e.g. https://fr.wikinews.example/{sample(8)[0]['id']}; {WATCH}"
    )
    assert count_inputs([str(rss_feed)]) is None  # as many results as entries with text: unknown until read


def test_a_second_read_gives_the_same_ids(rss_feed: Path) -> None:
    first = [r.id for r in read(rss_feed) if isinstance(r, Article)]
    assert first == [r.id for r in read(rss_feed) if isinstance(r, Article)] and len(set(first)) == 2


def test_atom_content_and_a_long_plain_summary(tmp_path: Path) -> None:
    first, second, short = sample(1, 5, 6)
    summary = " ".join(body(second))
    assert len(summary) > MIN_ENTRY_CHARS
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        '<title>Le Blog</title><link href="https://blog.example/"/><id>urn:blog</id><updated>2016-03-21T00:00:00Z</updated>'
        f'<entry><title type="html">{html.escape("<b>" + first["title"] + "</b>")}</title>'
        '<link rel="alternate" href="https://blog.example/ouragan"/><id>urn:1</id>'
        "<published>2016-01-14T22:00:00-03:00</published><updated>2016-01-20T10:00:00Z</updated>"
        "<author><name>Alice</name></author>"
        f'<content type="html">{html.escape(as_html(first))}</content></entry>'
        f"<entry><title>{html.escape(second['title'])}</title><link href=\"https://blog.example/avion\"/><id>urn:2</id>"
        f'<updated>2016-03-20T09:00:00+01:00</updated><summary type="text">{html.escape(summary)}</summary></entry>'
        f"<entry><title>Court</title><link href=\"https://blog.example/court\"/><id>urn:3</id>"
        f'<updated>2016-03-31T09:00:00Z</updated><summary>{html.escape(" ".join(body(short))[:300])}</summary></entry>'
        "</feed>\n"
    )
    path = tmp_path / "blog.atom"
    path.write_text(feed, encoding="utf-8")
    a, b, err = read(path)
    assert isinstance(a, Article) and isinstance(b, Article) and isinstance(err, ArticleError)
    assert (a.title, a.url, a.published, a.author, a.source) == (
        first["title"], "https://blog.example/ouragan", "2016-01-14", "Alice", "Le Blog")
    assert a.meta["feed"] == "atom10" and a.meta["feed_entry"] == "content"
    assert body(first)[1][:60] in a.raw
    assert (b.url, b.published, b.raw) == ("https://blog.example/avion", "2016-03-20", summary)
    assert b.meta["feed_entry"] == "summary" and b.meta["content"] == "text"
    assert err.reason.startswith("1 of 3 feed entries have no article text") and "https://blog.example/court" in err.reason


def test_malformed_xml_keeps_what_was_parsed_and_says_so(tmp_path: Path) -> None:
    first, second = sample(0, 3)
    broken = rss([item(first, pub_date="Fri, 01 Jan 2016 14:30:00 +0100"),
                  item(second, pub_date="Thu, 11 Feb 2016 10:00:00 +0100")]).replace("</channel>", "<item><title>x</channel>")
    path = tmp_path / "broken.xml"
    path.write_text(broken, encoding="utf-8")
    results = read(path)
    assert [type(r) for r in results] == [Article, Article, ArticleError]
    err = results[-1]
    assert err.origin == str(path) and err.reason.startswith("malformed feed XML (SAXParseException: ")
    assert "3 entries read by the lenient parser" in err.reason and "1 of 3 feed entries have no article text" in err.reason


def test_what_is_not_a_feed_keeps_its_refusal(tmp_path: Path) -> None:
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       "<url><loc>https://fr.wikinews.example/a</loc></url></urlset>\n", encoding="utf-8")
    tei = tmp_path / "corpus.xml"
    tei.write_text('<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>Un texte.</text></TEI>\n',
                   encoding="utf-8")
    empty = tmp_path / "empty.rss"
    empty.write_text(rss([]), encoding="utf-8")
    got = {Path(r.origin).name: r.reason for r in read(sitemap, tei, empty) if isinstance(r, ArticleError)}
    assert got == {
        "sitemap.xml": "XML sitemap: sitemaps are not read yet; give the article pages (HTML files) or a JSONL export "
                       "of the articles",
        "corpus.xml": "XML document (root element <TEI>): XML files are not read; give plain text, HTML pages or a "
                      "JSONL export",
        "empty.rss": "feed without entries",
    }
    assert count_inputs([str(sitemap), str(tei)]) == 2


def test_feeds_found_by_content_gzip_and_stdin(rss_feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = [r.id for r in read(rss_feed) if isinstance(r, Article)]
    data = rss_feed.read_bytes()
    zipped = tmp_path / "feed.xml.gz"
    zipped.write_bytes(gzip.compress(data))
    misnamed = tmp_path / "feed.txt"
    misnamed.write_bytes(data)
    utf16 = tmp_path / "utf16.xml"
    utf16.write_bytes(data.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    for path in (zipped, misnamed, utf16):
        assert [r.id for r in read(path) if isinstance(r, Article)] == want, path.name
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    results = read("-")
    assert [r.id for r in results if isinstance(r, Article)] == want
    assert results[0].origin == "<stdin>#1"


def test_size_limits(rss_feed: Path) -> None:
    # Each entry is held to the per-article limit, the feed file to ten times it.
    assert rss_feed.stat().st_size < 12_000
    results = read(rss_feed, max_bytes=1_200)
    assert isinstance(results[0], Article)  # 900 bytes of content
    too_large = results[1]  # 1,566 bytes
    assert isinstance(too_large, ArticleError) and too_large.origin == f"{rss_feed}#2"
    assert too_large.reason == "feed entry content: too large: 1.6 KB > 1.2 KB limit"
    assert rss_feed.stat().st_size > 3_000
    (whole,) = read(rss_feed, max_bytes=300)
    assert isinstance(whole, ArticleError) and whole.reason == "too large: feed > 3.0 KB limit"
