"""Inputs vigie recognises but does not read: RSS/Atom feeds, sitemaps, other XML, WARC archives.

Each is refused with a reason meant for the user (one ArticleError per input) instead of being stored as an
article made of raw markup. Recognised by the file name (.xml, .rss, .atom, .warc, .warc.gz) and by the
content (a WARC record header; the root element of an XML document), so a mis-named file or standard input
is caught too. Reading feeds, sitemaps and WARC archives is issue 15.
"""
from __future__ import annotations

import codecs
import re

WARC_MAGIC = b"WARC/1."
_PAGES_OR_JSONL = "give the article pages (HTML files) or a JSONL export of the articles"
RSS_REASON = f"RSS feed: feeds are not read yet; {_PAGES_OR_JSONL}"
ATOM_REASON = f"Atom feed: feeds are not read yet; {_PAGES_OR_JSONL}"
SITEMAP_REASON = f"XML sitemap: sitemaps are not read yet; {_PAGES_OR_JSONL}"
WARC_REASON = (
    "WARC web archive: WARC files are not read yet; extract the article pages (HTML files) from it "
    "or give a JSONL export of the articles"
)


def xml_reason(root: str | None) -> str:
    named = f" (root element <{root}>)" if root else ""
    return f"XML document{named}: XML files are not read; give plain text, HTML pages or a JSONL export"


# What may come before the root element: spaces, the XML declaration and other processing instructions,
# comments, a doctype (with an internal subset).
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_FEED_ROOTS = {"rss": RSS_REASON, "feed": ATOM_REASON, "urlset": SITEMAP_REASON, "sitemapindex": SITEMAP_REASON}
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


def markup_reason(text: str, *, xml_expected: bool = False) -> str | None:
    """Why a document that starts with `text` is refused (feed, sitemap, other XML); None to read it.

    HTML (XHTML included) is read. Any other XML document is refused when it starts with an XML
    declaration or when `xml_expected` (an .xml file name); markup that is neither (an HTML fragment
    such as "<p>...") is left to the HTML and text readers.
    """
    head = text[:8192].lstrip("\ufeff")
    prolog = _PROLOG.match(head)
    rest = head[prolog.end() :] if prolog else head
    root_match = _ROOT.match(rest)
    root = root_match.group(1) if root_match else None
    local = root.rsplit(":", 1)[-1].lower() if root else None
    if local == "html":
        return None
    if local in _FEED_ROOTS:
        return _FEED_ROOTS[local]
    if local == "rdf" and "purl.org/rss" in head:  # RSS 1.0
        return RSS_REASON
    if xml_expected or head.lstrip().startswith("<?xml"):
        return xml_reason(root)
    return None


def unsupported_reason(head: bytes, *, xml_expected: bool = False) -> str | None:
    """Why an input whose first bytes are `head` is refused (WARC, feed, sitemap, XML); None to read it."""
    if head.lstrip().startswith(WARC_MAGIC):
        return WARC_REASON
    text = _head_text(head)
    if not xml_expected and not text.lstrip("\ufeff \t\r\n").startswith("<"):
        return None  # the common case, plain text: no regex work
    return markup_reason(text, xml_expected=xml_expected)
