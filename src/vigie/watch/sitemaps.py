"""XML sitemaps (sitemaps.org, Google News): the URLs of a urlset with their dates and titles, the child sitemaps of a
sitemap index.

Parsed with lxml, safely: entities are not resolved, no DTD is loaded, the parser never goes to the network, and
huge-tree mode (which lifts libxml2's limits on depth and text size) is off. A gzipped sitemap (`.xml.gz`) is
inflated first, within a size limit. Elements are matched by local name, so a sitemap with a missing or misspelt
namespace is still read; Google News' `<news:title>` and `<news:publication_date>` are read from `<news:news>`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from vigie.watch.sources import Entry, gunzip
from vigie.watch.urls import is_web_url

URLSET = "urlset"
INDEX = "sitemapindex"


class SitemapError(ValueError):
    """Not a sitemap, or not well-formed XML."""


@dataclass(slots=True)
class Sitemap:
    kind: str  # URLSET or INDEX
    entries: list[Entry]  # article URLs (a urlset), child sitemaps (an index; `published` is their lastmod)


def _parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True)


def _local(tag: Any) -> str:
    if not isinstance(tag, str):  # comments, processing instructions, entities
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _children(element: Any, name: str) -> Iterator[Any]:
    for child in element:
        if _local(child.tag) == name:
            yield child


def _text(element: Any, name: str) -> str | None:
    for child in _children(element, name):
        text = " ".join((child.text or "").split())
        if text:
            return text
    return None


def parse_sitemap(data: bytes, url: str, max_bytes: int) -> Sitemap:
    """The entries of a sitemap document fetched from `url` (gzip or not), in document order.

    Raises SitemapError when it is not well-formed XML, not a sitemap, or too large once inflated.
    """
    from lxml import etree

    try:
        xml = gunzip(data, max_bytes)
        root = etree.fromstring(xml, _parser())
    except (ValueError, etree.XMLSyntaxError) as exc:  # gzip trouble, broken XML
        raise SitemapError(f"malformed sitemap ({exc})") from exc
    kind = _local(root.tag)
    if kind not in (URLSET, INDEX):
        raise SitemapError(f"not a sitemap (root element <{kind or '?'}>)")
    item = "url" if kind == URLSET else "sitemap"
    entries: list[Entry] = []
    for element in _children(root, item):
        loc = _text(element, "loc")
        if not loc:
            continue
        link = urljoin(url, loc)
        if not is_web_url(link):
            continue
        title = published = None
        for news in _children(element, "news"):
            title = _text(news, "title")
            published = _text(news, "publication_date")
        entries.append(Entry(link, title, published or _text(element, "lastmod")))
    return Sitemap(kind, entries)


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Entries by date, newest first (ISO dates sort as text); undated ones last, in document order."""
    dated = sorted((e for e in entries if e.published), key=lambda e: e.published or "", reverse=True)
    return dated + [e for e in entries if not e.published]
