"""HTML reader: main text and metadata extracted with trafilatura, then checked against the page itself.

trafilatura takes the title from `og:title` first: a social or promotional title ("Drivers could save at the
pump this spring") where the page's headline (the `<h1>` of the article, JSON-LD `headline`) says what
happened. When they differ, the headline wins (`_headline`). trafilatura also drops the standfirst (the chapo /
lead paragraph under the headline) on some layouts: when the page has one (`<p class="chapo|standfirst|lead|
intro...">`, or an `og:description` that is the text of one of its paragraphs) and the extracted text lacks it,
it goes back at the top of the text, after the headline line (`_with_standfirst`).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vigie.ingest.build import make_article
from vigie.language.identify import html_declared_language
from vigie.lexicons import word_class
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


# ----------------------------------------------------------------------------------------------------
# What the page says besides trafilatura's reading: headline, standfirst
# ----------------------------------------------------------------------------------------------------

HEADLINE_MIN_CHARS = 10  # shorter h1s are logos and section names ("Le Monde", "Sport")
HEADLINE_MAX_CHARS = 300
STANDFIRST_MIN_WORDS = 6  # a standfirst is a sentence or two, not a label
STANDFIRST_MAX_CHARS = 800
_STANDFIRST_WORDS = word_class("metadata_words_all.tsv", "standfirst_class")
_CLASS_SPLIT = re.compile(r"[-_\s]+")
_ARTICLE_TYPES = re.compile(r"(?:Article|BlogPosting|Report)$")
_CHROME_TAGS = frozenset({"nav", "footer", "aside", "form", "button", "figcaption", "figure"})


@dataclass(slots=True)
class _PageFacts:
    og_title: str | None = None
    html_title: str | None = None
    ld_headlines: list[str] = field(default_factory=list)
    article_h1s: list[str] = field(default_factory=list)  # <h1> inside <article> / <main>, or itemprop=headline
    h1s: list[str] = field(default_factory=list)
    standfirsts: list[str] = field(default_factory=list)


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _fold(text: str) -> str:
    return _squash(text).casefold().strip(" .…")


def _ld_headlines(data: object, out: list[str]) -> None:
    if isinstance(data, list):
        for item in data:
            _ld_headlines(item, out)
        return
    if not isinstance(data, dict):
        return
    if "@graph" in data:
        _ld_headlines(data["@graph"], out)
    types = data.get("@type")
    types = types if isinstance(types, list) else [types]
    headline = data.get("headline")
    if isinstance(headline, str) and any(isinstance(t, str) and _ARTICLE_TYPES.search(t) for t in types):
        out.append(_squash(headline))


def _has_chrome_ancestor(el: Any) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() in _CHROME_TAGS for a in el.iterancestors())


def _page_facts(html: str) -> _PageFacts:
    """Headlines, titles and standfirsts of the page (empty facts when lxml cannot read it)."""
    facts = _PageFacts()
    try:
        from lxml import html as lxml_html

        tree = lxml_html.document_fromstring(html)
    except Exception:  # arbitrary input: no facts rather than a failed page
        return facts
    for meta in tree.iter("meta"):
        prop = (meta.get("property") or meta.get("name") or "").lower()
        if prop == "og:title" and facts.og_title is None:
            facts.og_title = _squash(meta.get("content")) or None
    title_el = tree.find(".//title")
    if title_el is not None:
        facts.html_title = _squash(title_el.text_content()) or None
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            _ld_headlines(json.loads(script.text), facts.ld_headlines)
        except ValueError:
            continue
    for h1 in tree.iter("h1"):
        text = _squash(h1.text_content())
        if not text:
            continue
        facts.h1s.append(text)
        in_article = any(isinstance(a.tag, str) and a.tag.lower() in ("article", "main") for a in h1.iterancestors())
        if in_article or "headline" in (h1.get("itemprop") or ""):
            facts.article_h1s.append(text)
    paragraphs: set[str] = set()
    descriptions: list[str] = []
    for el in tree.iter("p", "div", "h2", "span"):
        if el.tag == "p":
            paragraphs.add(_fold(el.text_content()))
        classes = {w.lower() for w in _CLASS_SPLIT.split(el.get("class") or "") if w}
        if not classes & _STANDFIRST_WORDS or _has_chrome_ancestor(el):
            continue
        if el.tag != "p" and el.find(".//p") is not None and len(el.findall(".//p")) > 1:
            continue  # a container of several paragraphs ("article-intro" around the body)
        text = _squash(el.text_content())
        if len(text.split()) >= STANDFIRST_MIN_WORDS and len(text) <= STANDFIRST_MAX_CHARS:
            facts.standfirsts.append(text)
    for meta in tree.iter("meta"):
        prop = (meta.get("property") or meta.get("name") or "").lower()
        if prop in ("og:description", "description"):
            descriptions.append(_squash(meta.get("content")))
    for desc in descriptions:  # a description that is one of the page's paragraphs is its standfirst
        if len(desc.split()) >= STANDFIRST_MIN_WORDS and _fold(desc) in paragraphs:
            facts.standfirsts.append(desc)
    return facts


def _headline(facts: _PageFacts) -> str | None:
    """The article's headline: its `<h1>` inside the article, else JSON-LD `headline`, else the page's only h1."""
    candidates = [*facts.article_h1s[:1], *facts.ld_headlines[:1]]
    if len(set(facts.h1s)) == 1:
        candidates.append(facts.h1s[0])
    for text in candidates:
        if HEADLINE_MIN_CHARS <= len(text) <= HEADLINE_MAX_CHARS and not text.endswith(("...", "…")):
            return text
    return None


def _choose_title(found: str | None, facts: _PageFacts) -> str | None:
    """trafilatura's title, unless it is the social `og:title` and the page's headline says otherwise."""
    headline = _headline(facts)
    if headline is None:
        return found
    if not found:
        return headline
    if _fold(found) == _fold(headline) or _fold(found).startswith(_fold(headline)):
        return found  # the same headline (maybe with a site suffix, stripped later)
    if facts.og_title is not None and _fold(found) == _fold(facts.og_title):
        return headline
    return found


def _with_standfirst(text: str, standfirsts: list[str], title: str | None) -> str:
    """`text` with the page's standfirst at its top (after the headline line) when the extraction lost it."""
    folded = _fold(text)
    for standfirst in dict.fromkeys(standfirsts):
        if _fold(standfirst) in folded:
            return text  # already there
    if not standfirsts:
        return text
    lead = standfirsts[0]
    first, sep, rest = text.partition("\n")
    if title and _fold(first) == _fold(title):
        return f"{first}\n{lead}{sep}{rest}" if sep else f"{first}\n{lead}"
    return f"{lead}\n{text}"


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
    facts = _page_facts(html)
    title = _choose_title(doc.title, facts)
    text = _with_standfirst(text, facts.standfirsts, title)
    return HtmlExtraction(
        text=text,
        title=title,
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
