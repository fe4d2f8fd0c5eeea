#!/usr/bin/env python3
"""Throughput of the WARC reader (`vigie.ingest.warc`) on a CC-NEWS-like archive built from WiNER-fr texts.

The archive is written to a temporary folder (deleted at the end; ../shared is only read): a warcinfo record, then
per article one gzip-compressed `response` record (HTTP 200, text/html, a WARC-Date), as in Common Crawl's CC-NEWS
files; every tenth page also gets its `request` and `metadata` records and every fiftieth response is a 404,
so that the reader passes over and skips records as it does on a real crawl. Each page is the article wrapped in
the chrome of a news site (head metadata with article:published_time, navigation, share buttons, "Lire aussi",
newsletter call, footer) plus some inline script and style, about 6 KB of HTML. With `--records N` above the
1,191 WiNER-fr articles, the articles are used again (new URLs).

Printed, best of `--repeat` runs each:
  fastwarc    FastWARC alone: iterate the records and read every response payload (records/s, MB/s of the file);
  records     `vigie.ingest.read_inputs` on the archive with the HTML extraction replaced by a stub: FastWARC,
              the record and HTTP checks, the payload decoding (records/s): the reader's own cost;
  articles    `vigie.ingest.read_inputs` on the archive: all of the above and trafilatura's extraction through
              the HTML path, to Article objects (records/s and articles/s);
  html files  the same pages as .html files in a folder through `read_inputs`, for scale (articles/s);
and the growth of the process's peak memory (max RSS) over the timed reader runs, after a warm-up run: records
are streamed, so it stays flat whatever the archive's size.

usage: python bench/warc.py [--records 1191] [--repeat 2]
Exits 0 with "skipped" when ../shared is absent.
"""
from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import require  # noqa: E402
from vigie.ingest import read_inputs  # noqa: E402
from vigie.records import Article, ArticleError  # noqa: E402

CRAWL_DATE = "2022-01-12T08:30:00Z"
SCRIPT = "window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} " * 20
STYLE = ".header{display:flex;justify-content:space-between} .nav a{color:#333;padding:4px 8px} " * 15


def load_winer(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def page(article: dict, other: dict) -> bytes:
    title, *body = [line for line in article["text"].splitlines() if line.strip()]
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body)
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} | Le Quotidien</title>"
        f'<meta property="article:published_time" content="{article["date"]}T09:00:00+01:00">'
        '<meta property="og:site_name" content="Le Quotidien">'
        f'<meta name="viewport" content="width=device-width"><style>{STYLE}</style><script>{SCRIPT}</script>'
        "</head><body>"
        '<header class="header"><a href="/">Le Quotidien</a><nav class="nav"><a href="/france">France</a>'
        '<a href="/monde">Monde</a><a href="/economie">Économie</a><a href="/sport">Sport</a></nav></header>'
        '<div class="share">Partager sur Facebook | Partager sur X | Envoyer par e-mail</div>'
        f"<article><h1>{html.escape(title)}</h1>\n{paragraphs}</article>"
        f'<aside><p>Lire aussi : <a href="/autre">{html.escape(other["title"])}</a></p>'
        "<p>Inscrivez-vous à notre newsletter pour recevoir l'essentiel de l'actualité chaque matin.</p></aside>"
        "<footer>© Le Quotidien 2022 – Mentions légales – Politique de confidentialité – Contact</footer>"
        "</body></html>"
    ).encode()


def build(path: Path, articles: list[dict], records: int) -> tuple[int, list[bytes]]:
    """Write the archive; (number of 200 HTML responses, their pages)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages: list[bytes] = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "bench/warc.py"}))
        date = {"WARC-Date": CRAWL_DATE}
        for k in range(records):
            url = f"https://lequotidien.example/articles/{k}"
            if k % 10 == 0:
                request = f"GET /articles/{k} HTTP/1.1\r\nHost: lequotidien.example\r\n\r\n".encode()
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(request),
                                                              warc_headers_dict=date))
            if k % 50 == 49:
                status, body = "404 Not Found", b"<html><body>Page introuvable</body></html>"
            else:
                status, body = "200 OK", page(articles[k % len(articles)], articles[(k * 7 + 3) % len(articles)])
                pages.append(body)
            headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers, warc_headers_dict=date))
            if k % 10 == 0:
                writer.write_record(writer.create_warc_record(url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 95\r\n"),
                                                              warc_content_type="application/warc-fields",
                                                              warc_headers_dict=date))
    return len(pages), pages


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def best(repeat: int, run) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1191, help="response records in the archive")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    articles = load_winer(require("data", "winer-fr", "derived", "winer-fr.jsonl.gz"))
    try:
        import warcio  # noqa: F401 - the test dependency that writes the archive
    except ImportError:
        print("skipped: warcio is not installed (pip install -e '.[test]')")
        return
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "CC-NEWS-bench.warc.gz"
        html_pages, pages = build(archive, articles, args.records)
        size = archive.stat().st_size
        raw_html = sum(len(p) for p in pages)
        print(f"archive: {args.records} responses ({html_pages} HTML 200), {size / 1e6:.1f} MB gzip, "
              f"{raw_html / 1e6:.1f} MB of HTML ({raw_html / max(html_pages, 1) / 1000:.1f} KB a page)")

        def fastwarc_only() -> int:
            n = 0
            with archive.open("rb") as fh:
                for record in ArchiveIterator(fh, parse_http=True):
                    if record.record_type == WarcRecordType.response:
                        record.reader.read()
                        n += 1
            return n

        seconds, n = best(args.repeat, fastwarc_only)
        print(f"fastwarc    {n / seconds:10,.0f} records/s  {size / seconds / 1e6:6.1f} MB/s  ({seconds:.2f} s)")

        def records_only() -> int:
            from vigie.ingest import warc as warc_reader

            real = warc_reader.read_html
            warc_reader.read_html = lambda text, origin, meta, default_published: ArticleError(origin, "read", "stub")
            try:
                return sum(1 for _ in read_inputs([str(archive)]))
            finally:
                warc_reader.read_html = real

        seconds, _ = best(args.repeat, records_only)
        print(f"records     {args.records / seconds:10,.0f} records/s  {size / seconds / 1e6:6.1f} MB/s  "
              f"({seconds:.2f} s; HTML extraction stubbed)")

        def reader() -> tuple[int, int]:
            arts = errs = 0
            for item in read_inputs([str(archive)]):
                if isinstance(item, Article):
                    arts += 1
                elif isinstance(item, ArticleError):
                    errs += 1
            return arts, errs

        reader()  # warm-up: trafilatura and its dependencies are imported on first use
        rss_before = max_rss_mb()
        seconds, (arts, errs) = best(args.repeat, reader)
        print(f"articles    {args.records / seconds:10,.0f} records/s  {arts / seconds:8,.0f} articles/s  "
              f"({seconds:.2f} s; {arts} articles, {errs} errors)")
        print(f"peak memory growth over the timed reader runs, after a warm-up run: {max_rss_mb() - rss_before:.0f} MB "
              f"(max RSS {max_rss_mb():.0f} MB)")

        folder = Path(tmp) / "pages"
        folder.mkdir()
        for k, body in enumerate(pages):
            (folder / f"{k:06d}.html").write_bytes(body)
        seconds, (arts, _) = best(args.repeat, lambda: reader_of(folder))
        print(f"html files  {arts / seconds:10,.0f} articles/s ({seconds:.2f} s; the same pages as .html files)")


def reader_of(folder: Path) -> tuple[int, int]:
    arts = errs = 0
    for item in read_inputs([str(folder)]):
        if isinstance(item, Article):
            arts += 1
        else:
            errs += 1
    return arts, errs


if __name__ == "__main__":
    main()
