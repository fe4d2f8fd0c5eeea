"""WARC archives as input (issue 15): CC-NEWS-style response records of HTML pages, read with FastWARC.

The archives are written by the tests with warcio, from the bundled Wikinews sample wrapped in simple article
pages (title, article:published_time, nav and footer chrome), plus the records a crawl also holds: requests,
metadata, a 404, a PDF, a broken HTTP header. The reader-level tests run without the NLP; one CLI test
(marked `model`) ingests an archive twice and a truncated copy of it.
"""
from __future__ import annotations

import gzip
import html
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from vigie.ingest import count_inputs, read_inputs
from vigie.records import Article, ArticleError

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"
PICKED = (0, 1, 3, 7, 8)  # five sample articles of 800 to 1,400 characters
CRAWL_DATE = "2022-01-12T08:30:00Z"


def sample_articles() -> list[dict]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [json.loads(lines[i]) for i in PICKED]


def page(article: dict, *, dated: bool = True, padding: int = 0) -> bytes:
    """An article page as a news site serves it: metadata in <head>, chrome around the <article>."""
    title, *body = [line for line in article["text"].splitlines() if line.strip()]
    meta = f'<meta property="article:published_time" content="{article["published"]}T09:00:00+01:00">' if dated else ""
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body)
    script = f"<script>var pad = '{'x' * padding}';</script>" if padding else ""
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} – Wikinews</title>{meta}"
        '<meta property="og:site_name" content="Wikinews">'
        f"{script}</head><body>"
        '<nav><a href="/">Accueil</a> | <a href="/monde">Monde</a> | <a href="/france">France</a></nav>'
        f"<article><h1>{html.escape(title)}</h1>\n{paragraphs}</article>"
        "<footer>Wikinews, la source d'informations libre – Mentions légales – Contact</footer>"
        "</body></html>"
    ).encode()


def url_of(article: dict) -> str:
    return f"https://fr.wikinews.example/{article['id']}"


def _raw_record(url: str, block: bytes) -> bytes:
    """A response record written by hand (warcio refuses to write a broken HTTP header), as one gzip member."""
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\n"
        f"WARC-Date: {CRAWL_DATE}\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


@dataclass
class Archive:
    path: Path
    articles: list[dict]  # the HTML pages it holds, in order
    undated_url: str
    big_url: str
    errors: dict[str, str]  # url -> the reason its record is skipped with


def build_archive(path: Path, *, compress: bool = True, big: bool = False) -> Archive:
    """A crawl: warcinfo; per page a request, a response and a metadata record; a 404, a PDF, a broken HTTP
    header, a gzip-encoded page, an undated page (and, with `big`, a page over 20 KB)."""
    articles = sample_articles()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    date = {"WARC-Date": CRAWL_DATE}
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "vigie tests", "format": "WARC 1.0"}))

    def exchange(url: str, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        request = f"GET /{url.rsplit('/', 1)[1]} HTTP/1.1\r\nHost: fr.wikinews.example\r\n\r\n".encode()
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(request),
                                                      warc_headers_dict=date))
        http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=http_headers, warc_headers_dict=date))
        writer.write_record(writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n"),
                                                      warc_content_type="application/warc-fields",
                                                      warc_headers_dict=date))

    html_type = [("Content-Type", "text/html; charset=utf-8")]
    exchange(url_of(articles[0]), "200 OK", html_type, page(articles[0]))
    exchange("https://fr.wikinews.example/disparu", "404 Not Found", html_type, b"<html><body>Introuvable</body></html>")
    exchange(url_of(articles[1]), "200 OK", html_type, page(articles[1]))
    exchange("https://fr.wikinews.example/rapport.pdf", "200 OK", [("Content-Type", "application/pdf")],
             b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    broken = "https://fr.wikinews.example/casse"
    block = _raw_record(broken, b"HTTP/1.1 abc OK\r\nContent-Type: text/html\r\n\r\n" + page(articles[2]))
    buffer.write(gzip.compress(block) if compress else block)
    exchange(url_of(articles[2]), "200 OK", html_type, page(articles[2]))
    # Stored as sent: gzip Content-Encoding, as wget or a browser-based crawler keep it.
    exchange(url_of(articles[3]), "200 OK", [*html_type, ("Content-Encoding", "gzip")], gzip.compress(page(articles[3])))
    exchange(url_of(articles[4]), "200 OK", html_type, page(articles[4], dated=False))
    big_url = "https://fr.wikinews.example/tres-long"
    if big:
        exchange(big_url, "200 OK", html_type, page(articles[0], padding=30_000))
    path.write_bytes(buffer.getvalue())
    errors = {
        "https://fr.wikinews.example/disparu": "WARC record skipped: HTTP status 404",
        "https://fr.wikinews.example/rapport.pdf": "not HTML: application/pdf",
        broken: "broken WARC record: bad HTTP status line 'HTTP/1.1 abc OK'",
    }
    return Archive(path, articles, url_of(articles[4]), big_url, errors)


def read(*inputs: str | Path, **kwargs: object) -> list[Article | ArticleError]:
    return list(read_inputs([str(p) for p in inputs], **kwargs))  # type: ignore[arg-type]


def split(results: list[Article | ArticleError]) -> tuple[list[Article], list[ArticleError]]:
    return [r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, ArticleError)]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return build_archive(tmp_path_factory.mktemp("warc") / "CC-NEWS-20220112.warc.gz")


def test_every_html_page_once_with_its_url_title_date_and_source(archive: Archive) -> None:
    articles, errors = split(read(archive.path))
    assert [a.url for a in articles] == [url_of(a) for a in archive.articles]
    for art, src in zip(articles, archive.articles, strict=True):
        assert art.title == src["title"]  # the page's own title (og/h1), not the <title> with the site name
        assert art.source == "Wikinews"
        body = [line for line in src["text"].splitlines() if line.strip()][2]
        assert body[:60] in art.raw
        assert "Accueil" not in art.raw and "Mentions légales" not in art.raw  # the chrome is left out
        assert art.meta["container"] == "warc" and art.meta["warc_date"] == CRAWL_DATE
        offset = int(art.origin.rsplit("#", 1)[1])
        assert art.origin == f"{archive.path}#{offset}"
        with archive.path.open("rb") as fh:  # the offset is where the record's gzip member starts
            fh.seek(offset)
            assert gzip.GzipFile(fileobj=fh).read(9) == b"WARC/1.0\r"
    # The page's own date first, else the day of the crawl.
    assert [a.published for a in articles[:4]] == [a["published"] for a in archive.articles[:4]]
    undated = articles[4]
    assert undated.url == archive.undated_url and undated.published == "2022-01-12"
    assert undated.meta["published_from"] == "warc-date"
    assert len({a.id for a in articles}) == len(articles)
    # Requests, metadata and warcinfo pass silently; each skipped response is one error with its reason.
    assert {e.reason.rsplit(": ", 1)[0] for e in errors} == set(archive.errors.values())
    for err in errors:
        url = err.reason.rsplit(": ", 1)[1]
        assert err.reason == f"{archive.errors[url]}: {url}" and err.stage == "read"
        assert err.origin.startswith(f"{archive.path}#")


def test_same_page_same_article_as_an_html_file(archive: Archive, tmp_path: Path) -> None:
    src = archive.articles[1]
    file = tmp_path / "page.html"
    file.write_bytes(page(src))
    (from_file,) = read(file)
    from_warc = next(a for a in split(read(archive.path))[0] if a.url == url_of(src))
    assert isinstance(from_file, Article)
    for field in ("id", "raw", "title", "published", "source", "author"):
        assert getattr(from_warc, field) == getattr(from_file, field), field


def test_an_uncompressed_archive_reads_the_same(archive: Archive, tmp_path: Path) -> None:
    plain = build_archive(tmp_path / "crawl.warc", compress=False)
    got, want = split(read(plain.path)), split(read(archive.path))
    assert [a.id for a in got[0]] == [a.id for a in want[0]]
    assert [e.reason for e in got[1]] == [e.reason for e in want[1]]
    assert all(a.origin.startswith(f"{plain.path}#") for a in got[0])


def test_a_truncated_archive_keeps_the_records_before_the_cut(archive: Archive, tmp_path: Path) -> None:
    articles, _ = split(read(archive.path))
    third = int(articles[2].origin.rsplit("#", 1)[1])
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(archive.path.read_bytes()[: third + 300])  # in the middle of the third page's gzip member
    results = read(cut)
    got, errors = split(results)
    assert [a.id for a in got] == [a.id for a in articles[:2]]
    assert results[-1] is errors[-1]
    assert errors[-1].origin == str(cut) and errors[-1].reason.startswith("truncated WARC archive after ")
    assert [e.reason.split(":")[0] for e in errors[:-1]] == ["WARC record skipped", "not HTML", "broken WARC record"]


@pytest.mark.parametrize("cut", [1, 30, 2_000, -9, -1], ids=["first-byte", "gzip-header", "early", "trailer", "last"])
def test_any_cut_is_one_archive_error_never_an_exception(archive: Archive, tmp_path: Path, cut: int) -> None:
    data = archive.path.read_bytes()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:cut])
    results = read(path)
    archive_errors = [r for r in results if isinstance(r, ArticleError) and r.origin == str(path)]
    assert len(archive_errors) == 1 and results[-1] is archive_errors[0]
    assert archive_errors[0].reason.startswith(("truncated WARC archive after ", "empty file", "not a WARC"))


def test_corrupt_gzip_data_is_one_archive_error(archive: Archive, tmp_path: Path) -> None:
    articles, _ = split(read(archive.path))
    second = int(articles[1].origin.rsplit("#", 1)[1])
    data = bytearray(archive.path.read_bytes())
    for i in range(second + 40, second + 80):
        data[i] ^= 0x5A
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(bytes(data))
    got, errors = split(read(path))
    assert [a.id for a in got] == [articles[0].id]
    assert errors[-1].origin == str(path)
    assert errors[-1].reason.startswith(("corrupt WARC archive after ", "truncated WARC archive after "))


def test_found_by_magic_bytes_and_on_stdin(archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = [a.id for a in split(read(archive.path))[0]]
    nameless = tmp_path / "crawl-00001"  # no extension: told by its first bytes
    nameless.write_bytes(archive.path.read_bytes())
    assert [a.id for a in split(read(nameless))[0]] == want
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(archive.path.read_bytes())))
    articles, errors = split(read("-"))
    assert [a.id for a in articles] == want and len(errors) == 3
    assert all(a.origin.startswith("<stdin>#") for a in articles)


def test_a_page_over_the_size_limit_is_skipped_and_the_archive_is_not(tmp_path: Path) -> None:
    archive = build_archive(tmp_path / "big.warc", compress=False, big=True)
    assert archive.path.stat().st_size > 40_000  # the archive is not held to the limit, each page is
    articles, errors = split(read(archive.path, max_bytes=20_000))
    assert len(articles) == len(archive.articles)
    (too_large,) = [e for e in errors if e.reason.endswith(archive.big_url)]
    assert too_large.reason.startswith("too large: ") and "> 20.0 KB limit" in too_large.reason


def test_not_a_warc_and_count_inputs(archive: Archive, tmp_path: Path) -> None:
    fake = tmp_path / "page.warc"
    fake.write_text("<html><body><p>Une page.</p></body></html>", encoding="utf-8")
    (err,) = read(fake)
    assert isinstance(err, ArticleError)
    assert err.reason == "not a WARC archive: it does not start with a WARC/1.x record header"
    # How many results an archive gives is not known before reading it all: no count (an indefinite progress bar).
    assert count_inputs([str(archive.path)]) is None
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "a.txt").write_text("Un article.", encoding="utf-8")
    (folder / "crawl-00001").write_bytes(archive.path.read_bytes()[:100])
    assert count_inputs([str(folder)]) is None
    (folder / "crawl-00001").unlink()
    assert count_inputs([str(folder)]) == 1


@pytest.mark.model
def test_ingest_stores_each_page_once_and_records_the_skipped(archive: Archive, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vigie.cli import app
    from vigie.store import open_store

    runner = CliRunner()
    db = tmp_path / "v.db"
    cut = tmp_path / "cut.warc.gz"
    articles, _ = split(read(archive.path))
    cut.write_bytes(archive.path.read_bytes()[: int(articles[3].origin.rsplit("#", 1)[1]) + 200])
    args = ["--db", str(db), "--no-stories", "--no-link-events", "--workers", "1"]
    first = runner.invoke(app, ["ingest", str(archive.path), *args])
    assert first.exit_code == 2, first.output  # the skipped records are the run's failed inputs
    with open_store(str(db)) as store:
        assert store.count_articles() == len(archive.articles)
        stored = {a["url"]: a for a in store.iter_articles()}
        assert set(stored) == {url_of(a) for a in archive.articles}
        assert stored[archive.undated_url]["published"] == "2022-01-12"
        errors = {e["reason"] for e in store.list_errors(limit=20)}
        assert errors == {f"{reason}: {url}" for url, reason in archive.errors.items()}
    again = runner.invoke(app, ["ingest", str(archive.path), str(cut), *args])
    assert again.exit_code == 2, again.output
    with open_store(str(db)) as store:
        assert store.count_articles() == len(archive.articles)  # nothing new: every page was stored already
        truncated = [e for e in store.list_errors(limit=20) if e["origin"] == str(cut)]
        assert len(truncated) == 1 and truncated[0]["reason"].startswith("truncated WARC archive after ")
