"""What `vigie watch` follows: sources given as URLs or as files listing them, and what a fetched document is.

A source is an RSS or Atom feed, or an XML sitemap (a urlset, a sitemap index, a Google News sitemap, gzipped or
not). Its kind is never taken from its URL or its Content-Type, which are often wrong: it is read from the document
itself (its root element; feedparser's verdict for anything else that looks like a feed).
"""
from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass

from vigie.watch.urls import is_web_url

FEED = "feed"
SITEMAP = "sitemap"
_GZIP_MAGIC = b"\x1f\x8b"
# What may come before the root element: spaces, the XML declaration, processing instructions, comments, a doctype.
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_HEAD_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Entry:
    """One URL a feed or sitemap lists, with what it says about it (the fallbacks for the page's own)."""

    url: str  # absolute, as listed
    title: str | None = None
    published: str | None = None  # ISO date or date-time, as listed


class SourceListError(ValueError):
    """A SOURCE argument is neither an http(s) URL nor a readable file of them."""


def read_sources(args: list[str]) -> list[str]:
    """The source URLs of the SOURCE arguments, in order, each once: a URL stands for itself; a file lists URLs,
    one a line (blank lines and `#` comments ignored, `-` for standard input is not supported).

    Raises SourceListError for an argument that is neither, or a file line that is no http(s) URL.
    """
    found: dict[str, None] = {}
    for arg in args:
        value = arg.strip()
        if is_web_url(value):
            found[value] = None
            continue
        if "://" in value:
            raise SourceListError(f"{arg}: not an http(s) URL")
        if not os.path.isfile(value):
            raise SourceListError(f"{arg}: neither an http(s) URL nor a file listing them")
        try:
            with open(value, encoding="utf-8-sig") as fh:
                lines = fh.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SourceListError(f"{arg}: unreadable ({exc})") from exc
        for n, line in enumerate(lines, 1):
            entry = line.split(" #", 1)[0].split("\t#", 1)[0].strip()
            if not entry or entry.startswith("#"):
                continue
            if not is_web_url(entry):
                raise SourceListError(f"{arg}:{n}: not an http(s) URL: {entry}")
            found[entry] = None
    return list(found)


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """`data` decompressed when it is gzip (by its magic number), as is otherwise. Raises ValueError past
    `max_bytes` decompressed, or for corrupt data."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ValueError(f"corrupt gzip data ({exc})") from exc
    if len(out) > max_bytes:
        raise ValueError(f"too large: more than {max_bytes:,} bytes once decompressed")
    if not inflater.eof:
        raise ValueError("corrupt gzip data (truncated)")
    return out


def root_name(data: bytes) -> str | None:
    """The local name of the root element of an XML document (lower-case), None when there is none in its head."""
    head = data[:_HEAD_BYTES]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom):].decode(codec, "replace")
            break
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    prolog = _PROLOG.match(text)
    match = _ROOT.match(text, prolog.end() if prolog else 0)
    if match is None:
        return None
    return match.group(1).rsplit(":", 1)[-1].lower()


def sniff_kind(data: bytes) -> str | None:
    """FEED, SITEMAP or None for a document (already decompressed): its root element decides, and feedparser
    for an unknown root (a feed with an odd prolog)."""
    root = root_name(data)
    if root in _SITEMAP_ROOTS:
        return SITEMAP
    if root in _FEED_ROOTS:
        return FEED
    if root is None or root == "html":
        return None
    from vigie.watch.feeds import looks_like_feed

    return FEED if looks_like_feed(data) else None
