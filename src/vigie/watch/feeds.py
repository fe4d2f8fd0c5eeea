"""RSS and Atom feeds (feedparser): the entries' article URLs, titles and dates, and the feed's name.

feedparser is given the bytes in a stream, never a string (a string may be taken for a URL or a file name and
fetched); it does not resolve external entities. A feed with errors that still gives entries is read (feedparser's
lenient parser), one that gives none is malformed.
"""
from __future__ import annotations

import io
import re
import time
from typing import Any
from urllib.parse import urljoin

from vigie.watch.sources import Entry
from vigie.watch.urls import is_web_url

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class FeedError(ValueError):
    """The document is no feed, or a feed too broken to give any entry."""


def _parse(data: bytes, url: str | None = None) -> Any:
    import feedparser

    # the base of relative links; a media type of XML (not the server's, often wrong): the encoding comes from the
    # document's own declaration
    headers = {"content-type": "application/xml"}
    if url:
        headers["content-location"] = url
    return feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False)


def looks_like_feed(data: bytes) -> bool:
    """True when feedparser recognises an RSS or Atom version in `data`."""
    try:
        return bool(_parse(data).get("version"))
    except Exception:  # noqa: BLE001 - a third-party parser on arbitrary input: not a feed
        return False


def _date(entry: Any) -> str | None:
    """The entry's publication date: as written when it is ISO (the publisher's own day), else feedparser's UTC
    reading of it."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if isinstance(raw, str) and _ISO_DAY.match(raw.strip()):
            return raw.strip()
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    return None


def _link(entry: Any, base: str) -> str | None:
    candidates = [entry.get("link")]
    candidates += [link.get("href") for link in entry.get("links") or [] if link.get("rel", "alternate") == "alternate"]
    candidates.append(entry.get("id"))  # an Atom id is often the article's URL
    for value in candidates:
        if isinstance(value, str) and value.strip():
            url = urljoin(base, value.strip())
            if is_web_url(url):
                return url
    return None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def parse_feed(data: bytes, url: str) -> tuple[str | None, list[Entry]]:
    """(the feed's title, its entries in feed order) of an RSS or Atom document fetched from `url`.

    Raises FeedError when feedparser finds no feed, or a broken one without entries.
    """
    try:
        parsed = _parse(data, url)
    except Exception as exc:  # noqa: BLE001 - a third-party parser on arbitrary input
        raise FeedError(f"unreadable feed ({type(exc).__name__}: {exc})") from exc
    found: list[Entry] = []
    for entry in parsed.get("entries") or []:
        link = _link(entry, url)
        if link is not None:
            found.append(Entry(link, _text(entry.get("title")), _date(entry)))
    if not found and parsed.get("bozo"):  # broken, and nothing to salvage from it
        raise FeedError(f"malformed feed ({parsed.get('bozo_exception') or 'not well-formed'})")
    if not found and not parsed.get("version"):
        raise FeedError("not an RSS or Atom feed")
    return _text(parsed.get("feed", {}).get("title")), found
