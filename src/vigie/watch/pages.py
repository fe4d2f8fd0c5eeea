"""An article page fetched by `vigie watch` -> an `Article`, through the reading path of `vigie ingest` for .html files.

The bytes are checked and decoded as a file's are (`vigie.ingest.decode`), then read by `vigie.ingest.html.read_html`:
the same main text, hence the same content id, the same title, date, author and site name as `vigie ingest` gives
for the saved page. What the page does not say is taken from where it was found: its URL (after redirects), and the
title and date its feed or sitemap gave (meta `published_from` says "feed" or "sitemap" when the date came from it).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from vigie.ingest.build import clean_field
from vigie.ingest.dates import normalize_date
from vigie.ingest.decode import binary_kind, binary_reason, decode_bytes, is_blank
from vigie.ingest.html import looks_like_html, read_html
from vigie.ingest.limits import SNIFF_BYTES
from vigie.records import Article, ArticleError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Types a misconfigured server gives HTML pages: read when the body looks like HTML.
_VAGUE_TYPES = frozenset({"", "text/plain", "application/octet-stream", "application/xml", "text/xml"})


def html_reason(content_type: str, body: bytes) -> str | None:
    """None when an answer is an HTML page, else why it is not read ("not HTML (application/pdf)")."""
    if content_type in HTML_TYPES:
        return None
    if content_type in _VAGUE_TYPES and looks_like_html(body[:SNIFF_BYTES].decode("utf-8", "replace")):
        return None
    return f"not HTML ({content_type or 'no content type'})"


def page_article(
    body: bytes, *, url: str, listed_by: str, via: str, title: str | None = None, published: str | None = None,
) -> Article | ArticleError:
    """The article of a page fetched from `url` (its final URL), listed by the watched source `listed_by` (a `via`
    "feed" or "sitemap") with the `title` and `published` date it gave as fallbacks; the source is the page's site
    name, else its host name (never a feed's title: two feeds of one site would count as two sources)."""
    kind = binary_kind(body[:SNIFF_BYTES])
    if kind is not None:
        return ArticleError(origin=url, stage="read", reason=binary_reason(kind))
    if is_blank(body):
        return ArticleError(origin=url, stage="read", reason="empty page")
    decoded = decode_bytes(body)
    meta: dict[str, object] = {"encoding": decoded.encoding, "encoding_repaired": decoded.repaired,
                               "listed_by": listed_by}
    article = read_html(decoded.text, origin=url, meta=meta, default_published=normalize_date(published))
    if isinstance(article, ArticleError):
        return article
    if article.meta.get("published_from") == "default":
        article.meta["published_from"] = via
    host = urlsplit(url).hostname
    if host and "hostname" not in article.meta:
        article.meta["hostname"] = host
    article.url = article.url or clean_field(url)
    article.title = article.title or clean_field(title)
    article.source = article.source or host
    return article
