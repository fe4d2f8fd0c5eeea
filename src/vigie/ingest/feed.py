"""Feed reader: the entries of an RSS or Atom file (.rss, .atom, .xml) that carry an article's text.

Parsed with feedparser (RSS 0.9x, 1.0 and 2.0, Atom). One article per entry whose text is an article: its
`content:encoded` / Atom `<content>`, else its summary (`<description>`, Atom `<summary>`), as long as that text
has at least MIN_ENTRY_CHARS characters and does not end in an ellipsis. HTML goes through the HTML path's
extraction (`vigie.ingest.html.extract_html`, as the 'html' field of a JSONL line); plain text is taken as is.
The entry's link is the article's URL, its title the title, its published (else updated) date the date, its
author the author; the feed's title (else the host of its link) is the source. Ids are content ids, as for
every other input.

Entries without article text (most news feeds carry a headline and a teaser only) are not errors one by one, which
would bury the real errors under one per headline of every feed: one ArticleError per feed counts them and names
the first, since `vigie watch` is what fetches the pages a feed links to. A malformed feed yields what
feedparser's lenient parser recovered, then that same one error for the feed says so (the store keeps one error
per origin).
"""
from __future__ import annotations

import html as html_lib
import io
import re
import time
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import urlsplit

from vigie.ingest.build import clean_field, make_article
from vigie.ingest.dates import normalize_date
from vigie.ingest.errors import unexpected_reason
from vigie.ingest.html import HtmlExtractionError, extract_html
from vigie.ingest.limits import too_large_reason
from vigie.records import Article, ArticleError

Result = Article | ArticleError

#: Shortest entry text taken as an article. Feed teasers are one to three sentences: 150-300 characters
#: for most news sites, and WordPress's default excerpt (55 words) is about 330-380 characters of French;
#: the shortest real articles (a wire brief) run from about 500. 400 keeps the briefs and drops the teasers.
MIN_ENTRY_CHARS = 400
#: A feed file is a batch of articles (like a JSONL file) that feedparser parses whole: it may be this many
#: times the per-article limit; each entry's text is still held to the per-article limit.
FEED_SIZE_FACTOR = 10
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# A teaser cut by the feed's publisher: "... [...]", "…", "[…]" at the very end.
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*\]?\s*$")
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def _plain(markup: str) -> str:
    """Markup as rough text (tags dropped, entities decoded, spaces collapsed): a cheap length test."""
    return _SPACES.sub(" ", html_lib.unescape(_TAG.sub(" ", markup))).strip()


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _is_article(text: str) -> bool:
    text = text.strip()
    return len(text) >= MIN_ENTRY_CHARS and _TRUNCATED.search(text[-20:]) is None


def _entry_text(entry: Any, url: str | None, max_bytes: int) -> tuple[str, str, str] | None:
    """(text, 'content' or 'summary', 'html' or 'text') of the entry's article, or None when it has none.

    Raises ValueError (with a reason) for a text over the per-article limit.
    """
    details: list[tuple[str, Any]] = [
        ("content", c) for c in sorted(entry.get("content") or [], key=lambda c: -len(c.get("value") or ""))
    ]
    if entry.get("summary_detail"):
        details.append(("summary", entry["summary_detail"]))
    for field, detail in details:
        value = detail.get("value") or ""
        if not value.strip():
            continue
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise ValueError(f"feed entry {field}: {too_large_reason(size, max_bytes)}")
        is_html = (detail.get("type") or "").lower() in _HTML_TYPES
        if not is_html:
            if _is_article(value):
                return value, field, "text"
            continue
        if len(_plain(value)) < MIN_ENTRY_CHARS:
            continue  # the extraction keeps at most the markup's text: no need to run it
        try:
            text = extract_html(value, url=url).text
        except HtmlExtractionError:
            continue
        if _is_article(text):
            return text, field, "html"
    return None


def _entry_date(entry: Any) -> object:
    """The entry's date as the feed states it (RFC 822 or ISO, its own time zone kept); feedparser's UTC
    reading of it when vigie cannot read the text; the raw text when nothing can (kept in published_raw)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw and normalize_date(raw) is not None:
            return raw
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return time.strftime("%Y-%m-%d", parsed)
    return entry.get("published") or entry.get("updated")


def _title(entry: Any) -> str | None:
    title = entry.get("title")
    detail = entry.get("title_detail") or {}
    if title and (detail.get("type") or "").lower() in _HTML_TYPES:
        title = _plain(title)
    return clean_field(title)


def _entry(
    entry: Any, *, where: str, max_bytes: int, default_published: str | None, meta: dict[str, Any], source: str | None
) -> Result | None:
    """One feed entry -> its Article, an ArticleError, or None when it carries no article text."""
    url = clean_field(entry.get("link"))
    try:
        found = _entry_text(entry, url, max_bytes)
    except ValueError as exc:
        return ArticleError(origin=where, stage="read", reason=str(exc))
    if found is None:
        return None
    text, field, kind = found
    entry_meta = {**meta, "feed_entry": field, "content": kind}
    guid = clean_field(entry.get("id"))
    if guid and guid != url:
        entry_meta["feed_entry_id"] = guid
    return make_article(
        text,
        origin=where,
        meta=entry_meta,
        default_published=default_published,
        published=_entry_date(entry),
        url=url,
        title=_title(entry),
        source=source,
        author=entry.get("author"),
    )


def _bozo_reason(parsed: Any) -> str | None:
    """Why the feed is malformed, or None (feedparser also flags harmless things: a wrong declared encoding)."""
    from feedparser import ThingsNobodyCaresAboutButMe

    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if exc is None or isinstance(exc, ThingsNobodyCaresAboutButMe):
        return None
    return unexpected_reason(exc, "malformed feed XML")


def read_feed(
    stream: IO[bytes],
    *,
    origin: str,
    max_bytes: int,
    default_published: str | None,
    meta: dict[str, Any] | None = None,
) -> Iterator[Result]:
    """The articles of an RSS or Atom feed, then one error for the feed when its XML is malformed or some of its
    entries have no article text (both said in the one error). The file may be FEED_SIZE_FACTOR times
    `max_bytes`."""
    import feedparser  # imported here: only runs that meet a feed need it

    limit = FEED_SIZE_FACTOR * max_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield ArticleError(origin=origin, stage="read", reason=too_large_reason(None, limit, what="feed"))
        return
    # A file object: feedparser never takes the data for a URL to fetch or a path to open.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False)  # the HTML path extracts the text
    feed = parsed.get("feed") or {}
    feed_link = clean_field(feed.get("link"))
    source = clean_field(feed.get("title")) or _host(feed_link)
    feed_meta: dict[str, Any] = {**(meta or {}), "format": "feed", "feed": parsed.get("version") or "unknown"}
    if feed_link:
        feed_meta["feed_link"] = feed_link
    entries = parsed.get("entries") or []
    without_text: list[str] = []
    for n, entry in enumerate(entries, 1):
        where = f"{origin}#{n}"
        try:
            result = _entry(
                entry, where=where, max_bytes=max_bytes, default_published=default_published, meta=feed_meta,
                source=source,
            )
        except Exception as exc:  # noqa: BLE001 - one entry's failure is that entry's error
            result = ArticleError(origin=where, stage="read", reason=unexpected_reason(exc))
        if result is None:
            without_text.append(clean_field(entry.get("link")) or clean_field(entry.get("title")) or where)
        else:
            yield result
    # One error for the feed at most: the store keeps one error per origin and stage.
    problems = []
    bozo = _bozo_reason(parsed)
    if bozo is not None:
        problems.append(f"{bozo}; {len(entries)} entries read by the lenient parser")
    elif not entries:
        problems.append("feed without entries")
    if without_text:
        problems.append(
            f"{len(without_text)} of {len(entries)} feed entries have no article text (under {MIN_ENTRY_CHARS} "
            f"characters, or cut with an ellipsis: a headline or teaser), e.g. {without_text[0]}; `vigie watch` "
            "fetches the pages"
        )
    if problems:
        yield ArticleError(origin=origin, stage="read", reason="; ".join(problems))
