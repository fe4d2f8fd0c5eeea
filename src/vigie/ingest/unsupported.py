"""Recognising inputs by their first bytes: WARC archives and RSS/Atom feeds (read by vigie.ingest.warc and
vigie.ingest.feed), and the XML documents vigie does not read (sitemaps, other XML).

A document it does not read is refused with a reason meant for the user (one ArticleError per input) instead
of being stored as an article made of raw markup. Recognised by the content (a WARC record header; the root
element of an XML document), so a mis-named file or standard input is caught too; an .xml file name makes
any XML that is not a feed or XHTML a refusal.
"""
from __future__ import annotations

import codecs
import re
from typing import Literal

WARC_MAGIC = b"WARC/1."
_PAGES_OR_JSONL = "give the article pages (HTML files) or a JSONL export of the articles"
# A feed where an article page was expected (the 'html' field of a JSONL line): feed files are read as such.
_FEED_NOT_PAGE = "not an article page; give the feed as a file of its own (.rss, .atom, .xml)"
RSS_REASON = f"RSS feed: {_FEED_NOT_PAGE}"
ATOM_REASON = f"Atom feed: {_FEED_NOT_PAGE}"
SITEMAP_REASON = f"XML sitemap: sitemaps are not read yet; {_PAGES_OR_JSONL}"
FeedKind = Literal["rss", "atom"]


def xml_reason(root: str | None) -> str:
    named = f" (root element <{root}>)" if root else ""
    return f"XML document{named}: XML files are not read; give plain text, HTML pages or a JSONL export"


# What may come before the root element: spaces, the XML declaration and other processing instructions,
# comments, a doctype (with an internal subset).
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_SITEMAP_ROOTS = {"urlset": SITEMAP_REASON, "sitemapindex": SITEMAP_REASON}
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _head_text(head: bytes) -> str:
    """The first bytes of an input as text, good enough to find a root element (never raises)."""
    for bom, enc in _WIDE_BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(enc, "replace")
    return head.removeprefix(codecs.BOM_UTF8).decode("utf-8", "replace")


def _root(text: str) -> tuple[str | None, str]:
    """(the root element's name, the head of `text` it was found in); None when the text does not start with
    markup (after an XML prolog)."""
    head = text[:8192].lstrip("\ufeff")
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() :] if prolog else head
    root_match = _ROOT.match(rest)
    return (root_match.group(1) if root_match else None), head


def _feed_of(local: str | None, head: str) -> FeedKind | None:
    if local == "rss" or (local == "rdf" and "purl.org/rss" in head):  # RSS 0.9x/2.0, RSS 1.0 (RDF)
        return "rss"
    return "atom" if local == "feed" else None


def markup_reason(text: str, *, xml_expected: bool = False) -> str | None:
    """Why a document that starts with `text` is refused (feed, sitemap, other XML); None to read it.

    HTML (XHTML included) is read. A feed is refused here (as an article page, in a JSONL 'html' field):
    feed files are recognised first with `feed_kind` and read by vigie.ingest.feed. Any other XML document is
    refused when it starts with an XML declaration or when `xml_expected` (an .xml file name); markup that is
    neither (an HTML fragment such as "<p>...") is left to the HTML and text readers.
    """
    root, head = _root(text)
    local = root.rsplit(":", 1)[-1].lower() if root else None
    if local == "html":
        return None
    feed = _feed_of(local, head)
    if feed is not None:
        return RSS_REASON if feed == "rss" else ATOM_REASON
    if local in _SITEMAP_ROOTS:
        return _SITEMAP_ROOTS[local]
    if xml_expected or head.lstrip().startswith("<?xml"):
        return xml_reason(root)
    return None


def is_warc(head: bytes) -> bool:
    """True when `head` (the first bytes of an input, decompressed) starts a WARC archive."""
    return head.lstrip().startswith(WARC_MAGIC)


def _starts_with_markup(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("<")


def feed_kind(head: bytes) -> FeedKind | None:
    """'rss' or 'atom' when `head` (the first bytes of an input, decompressed) starts an RSS or Atom feed."""
    text = _head_text(head)
    if not _starts_with_markup(text):
        return None  # the common case, plain text: no regex work
    root, found_in = _root(text)
    return _feed_of(root.rsplit(":", 1)[-1].lower() if root else None, found_in)


def unsupported_reason(head: bytes, *, xml_expected: bool = False) -> str | None:
    """Why an input whose first bytes are `head` is refused (sitemap, XML); None to read it.

    WARC archives and feeds are read: the caller tests `is_warc` and `feed_kind` first (a feed that gets here
    is refused as an article page would be).
    """
    text = _head_text(head)
    if not xml_expected and not _starts_with_markup(text):
        return None  # the common case, plain text: no regex work
    return markup_reason(text, xml_expected=xml_expected)
