"""HTML reader: main text and metadata extracted with trafilatura."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from vigie.ingest.build import make_article
from vigie.language.identify import html_declared_language
from vigie.records import Article, ArticleError

_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


class HtmlExtractionError(ValueError):
    """The page has no main text we can extract."""


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    """What trafilatura found in a page."""

    text: str
    title: str | None
    published: str | None
    author: str | None
    source: str | None  # site name, else host name
    url: str | None
    hostname: str | None
    language: str | None = None  # what the page declares (`<html lang>`, `og:locale`), as a language code


def looks_like_html(text: str) -> bool:
    """True when the start of `text` is an HTML document (doctype or <html> tag, maybe after comments)."""
    head = text[:2048].lstrip("\ufeff \t\r\n")
    return head.startswith("<") and _HTML_START.search(head) is not None


def extract_html(html: str, *, url: str | None = None) -> HtmlExtraction:
    """Extract the main text and metadata of a page; raise HtmlExtractionError when there is none."""
    # Imported here: trafilatura (lxml, htmldate, justext) is slow to import and only
    # needed when a run actually meets HTML.
    from trafilatura import bare_extraction

    if not looks_like_html(html):
        # trafilatura rejects a lone fragment ("<p>..</p>") as not-quite-HTML; JSONL
        # exports often carry just the article body, so give it a document around it.
        html = f"<html><body>{html}</body></html>"
    try:
        doc = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            # No opportunistic date search in the page text: it picks up copyright years
            # and dates quoted in the article. A wrong date is worse than none, as the
            # caller can fall back to --published.
            date_extraction_params={
                "original_date": True,
                "extensive_search": False,
                "max_date": date.today().isoformat(),
            },
        )
    except Exception as exc:  # third-party parser on arbitrary input: any failure is this page's failure
        raise HtmlExtractionError(f"HTML extraction failed ({type(exc).__name__}: {exc})") from exc
    if doc is None:
        raise HtmlExtractionError("no main text found in HTML (broken or empty page)")
    assert not isinstance(doc, dict)  # a dict only with the deprecated `as_dict=True`, not passed here
    text = doc.text or ""
    if not text.strip():
        raise HtmlExtractionError("no main text found in HTML")
    return HtmlExtraction(
        text=text,
        title=doc.title,
        published=doc.date,
        author=doc.author,
        source=doc.sitename or doc.hostname,
        url=doc.url,
        hostname=doc.hostname,
        language=html_declared_language(html),
    )


def read_html(
    html: str, *, origin: str, meta: dict[str, Any], default_published: str | None
) -> Article | ArticleError:
    """One article from an HTML page: raw = the extracted main text."""
    if not html.strip():
        return ArticleError(origin=origin, stage="read", reason="empty file")
    try:
        found = extract_html(html)
    except HtmlExtractionError as exc:
        return ArticleError(origin=origin, stage="read", reason=str(exc))
    meta = {**meta, "format": "html"}
    if found.hostname:
        meta["hostname"] = found.hostname
    if found.language:
        meta["language_declared"] = found.language  # the langid step's fallback when the text leaves it unsure
    return make_article(
        found.text,
        origin=origin,
        meta=meta,
        default_published=default_published,
        published=found.published,
        url=found.url,
        title=found.title,
        source=found.source,
        author=found.author,
    )
