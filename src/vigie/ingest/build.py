"""Assembling an Article from what a reader found: id, published date, optional fields.

Metadata clean-up shared by every reader:
- titles lose a site suffix ("Title | DW | 12.03.2024", "Title - Le Monde", "Title – BBC News": `strip_site_suffix`);
- authors lose their byline word ("Par Stefan Häne" -> "Stefan Häne") and are dropped when they are only the
  site's name (`clean_author`);
- an article with no publication date (none in the input, no --published fallback or crawl day) takes the date of
  its dateline ("PARIS, 12 mars 2024 (AFP) -", "Publié le 14 janvier 2016": `vigie.ingest.dates.dateline_date`).
  The fallback keeps precedence: it is what the user (or the crawl) asked for undated articles.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from vigie.ingest.dates import dateline_date, normalize_date
from vigie.ingest.ids import content_id
from vigie.lexicons import word_class
from vigie.records import Article

# Byline words, longest first so that "written by" is tried before "by".
_BYLINE_WORDS = sorted(word_class("metadata_words_all.tsv", "byline_prefix"), key=len, reverse=True)
_BYLINE_RE = re.compile(
    r"^(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _BYLINE_WORDS) + r")\b\s*[:\-–—]?\s*",
    re.IGNORECASE,
)
# Title separators before a site suffix: a spaced bar, hyphen, en or em dash ("Covid-19" has no spaces).
_SUFFIX_SEP = re.compile(r"\s+(?:\||-|–|—|::|·|•)\s+")
SUFFIX_MAX_CHARS = 40  # a site suffix is short; a longer tail is part of the title
SUFFIX_MIN_HEAD_CHARS = 12  # what is left must still read as a title
BRAND_MAX_WORDS = 3  # "DW", "BBC News", "CNN Politics": first word in capitals, at most this many words
_DOMAIN_RE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)
_CLOCK_RE = re.compile(r"^\d{1,2}[h:]\d{2}$")


def clean_field(value: object) -> str | None:
    """A metadata value as a stripped string; None when absent, blank or not a scalar."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _key(text: str) -> str:
    """Letters and digits only, lower-case, accents stripped: 'Le Monde.fr' -> 'lemondefr'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def site_names(source: str | None, url: str | None = None) -> list[str]:
    """The keys (`_key`) a site goes by: its name and its host's main label ('www.lemonde.fr' -> 'lemonde')."""
    names: list[str] = []
    if source:
        names.append(_key(source))
        if "." in source and " " not in source.strip():  # a host name used as the source
            names.append(_key(_host_label(source)))
    if url:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        if host:
            names.extend((_key(host), _key(_host_label(host))))
    return [n for n in dict.fromkeys(names) if len(n) >= 2]


def _host_label(host: str) -> str:
    parts = host.lower().removeprefix("www.").split(".")
    return parts[-2] if len(parts) >= 2 else parts[0]


def _is_site_suffix(tail: str, names: list[str]) -> bool:
    tail = tail.strip()
    if not tail or len(tail) > SUFFIX_MAX_CHARS:
        return False
    if normalize_date(tail) is not None or _CLOCK_RE.match(tail) or _DOMAIN_RE.match(tail):
        return True
    key = _key(tail)
    if key and any(key == n or (len(n) >= 3 and (key.startswith(n) or n.startswith(key))) for n in names):
        return True
    words = tail.split()
    first = words[0]
    # a short brand written in capitals: "DW", "BBC News", "AFP"
    return (
        len(words) <= BRAND_MAX_WORDS
        and len(first) >= 2
        and first.isupper()
        and first.isalpha()
        and all(w[:1].isupper() for w in words)
    )


def strip_site_suffix(title: str, names: list[str] | tuple[str, ...] = ()) -> str:
    """`title` without trailing segments that are the site's name, a date or a short capitals brand.

    "Title | DW | 12.03.2024" -> "Title"; "Title - Le Monde" (site "Le Monde") -> "Title"; a dash inside the
    title ("Bolivie - le président réélu") stays, as does every tail that is none of these.
    """
    out = title.strip()
    while True:
        seps = list(_SUFFIX_SEP.finditer(out))
        if not seps:
            return out
        last = seps[-1]
        head, tail = out[: last.start()].rstrip(), out[last.end():]
        if len(head) < SUFFIX_MIN_HEAD_CHARS or not _is_site_suffix(tail, list(names)):
            return out
        out = head


def clean_author(author: str | None, names: list[str] | tuple[str, ...] = ()) -> str | None:
    """The author's name without its byline word ("Par Stefan Häne" -> "Stefan Häne"); None when what is
    left is empty or is the site's name (`names`: `site_names`)."""
    if author is None:
        return None
    kept: list[str] = []
    for part in re.split(r"\s*;\s*", author):  # trafilatura joins several authors with "; "
        part = part.strip()
        for _ in range(2):  # "Par : Auteur : X"
            part = _BYLINE_RE.sub("", part, count=1).strip()
        part = part.strip(" ,;:-–—|")
        key = _key(part)
        if not key or key in names or any(len(n) >= 3 and key == n for n in names):
            continue
        if part not in kept:
            kept.append(part)
    return "; ".join(kept) or None


def make_article(
    raw: str,
    *,
    origin: str,
    meta: dict[str, Any],
    default_published: str | None,
    given_id: str | None = None,
    published: object = None,
    url: object = None,
    title: object = None,
    source: object = None,
    author: object = None,
) -> Article:
    """Build the Article; `published` is what the input said, `default_published` the --published fallback.

    `default_published` must already be normalised (read_inputs checks it up front). An article whose input
    gives no date takes `default_published`, else its dateline's date ("PARIS, 12 mars 2024 (AFP) -").
    """
    meta = dict(meta)
    date = normalize_date(published)
    if date is None and clean_field(published) is not None:
        # Keep None rather than guess, but let the user see what the input said.
        meta["published_raw"] = str(published).strip()
    elif date is None and default_published is not None:
        date = default_published
        meta["published_from"] = "default"
    elif date is None:
        date = dateline_date(raw)
        if date is not None:
            meta["published_from"] = "dateline"
    url_s, source_s = clean_field(url), clean_field(source)
    names = site_names(source_s, url_s)
    title_s = clean_field(title)
    if title_s is not None:
        title_s = strip_site_suffix(title_s, names) or title_s
    return Article(
        id=given_id if given_id is not None else content_id(raw),
        raw=raw,
        origin=origin,
        url=url_s,
        title=title_s,
        source=source_s,
        author=clean_author(clean_field(author), names),
        published=date,
        id_given=given_id is not None,
        meta=meta,
    )
