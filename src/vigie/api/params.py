"""Query parameters shared by the JSON API, the HTML pages, their .json twins and the CSV export.

HTML forms send empty strings for fields left blank, so every filter treats "" as "not given". Anything else
that cannot be a valid filter is a 422 with the parameter named, never a silent empty result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError

from vigie.events import plover
from vigie.store.base import EventFilter
from vigie.store.queries import EVENT_SORTS

#: The 16 PLOVER event types, in the manual's order (cooperation to conflict): `vigie.events.plover.TYPES`.
PLOVER_TYPES = plover.TYPES
ENTITY_LABELS = ("PER", "ORG", "LOC", "MISC")
#: Largest page a list endpoint serves: a few hundred rows keep responses under a second on a laptop.
MAX_LIMIT = 500
#: Longest free-text filter value accepted (names, search queries).
MAX_TEXT = 200

_COUNTRY = re.compile(r"[A-Za-z]{2,3}")
_MODE = re.compile(r"[a-z_ -]{1,40}")


def _invalid(name: str, msg: str, value: object) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ("query", name), "msg": msg, "input": value}])


def blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _day(name: str, value: str | None) -> str | None:
    value = blank_to_none(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise _invalid(name, "expected a date YYYY-MM-DD", value) from None


def _text(name: str, value: str | None) -> str | None:
    value = blank_to_none(value)
    if value is not None and len(value) > MAX_TEXT:
        raise _invalid(name, f"at most {MAX_TEXT} characters", value)
    return value


def _plover_type(value: str | None) -> str | None:
    kind = blank_to_none(value)
    if kind is not None:
        kind = kind.upper()
        if kind not in PLOVER_TYPES:
            raise _invalid("type", "not a PLOVER type; expected one of " + ", ".join(PLOVER_TYPES), value)
    return kind


def event_filter(
    type: str | None = Query(None, description="PLOVER type: " + ", ".join(PLOVER_TYPES)),
    mode: str | None = Query(None, description="PLOVER mode, e.g. demonstrate, riot, visit"),
    country: str | None = Query(None, description="ISO 3166-1 alpha-2 (KZ; alpha-3 KAZ is read the same): events "
                                "whose source, target or location is in that country (or IGO: international bodies)"),
    actor: str | None = Query(None, description="Part of the source's or target's name (case and accents ignored)"),
    place: str | None = Query(None, description="Location name (case and accents ignored)"),
    date_from: str | None = Query(None, description="First day, YYYY-MM-DD (inclusive)"),
    date_to: str | None = Query(None, description="Last day, YYYY-MM-DD (inclusive)"),
    article_id: str | None = Query(None, description="Only the events of this article"),
) -> EventFilter:
    """The events filter from the query string (FastAPI dependency)."""
    kind = _plover_type(type)
    mode_ = blank_to_none(mode)
    if mode_ is not None:
        mode_ = mode_.lower()
        if not _MODE.fullmatch(mode_):
            raise _invalid("mode", "expected a PLOVER mode (lower-case letters)", mode)
    country_ = blank_to_none(country)
    if country_ is not None:
        if not _COUNTRY.fullmatch(country_):
            raise _invalid("country", "expected an ISO 3166-1 alpha-2 or alpha-3 code (or IGO)", country)
        country_ = country_.upper()
    first, last = _day("date_from", date_from), _day("date_to", date_to)
    if first and last and first > last:
        raise _invalid("date_to", "date_to is before date_from", date_to)
    return EventFilter(
        type=kind,
        mode=mode_,
        country=country_,
        actor=_text("actor", actor),
        place=_text("place", place),
        date_from=first,
        date_to=last,
        article_id=_text("article_id", article_id),
    )


def filter_params(f: EventFilter) -> dict[str, str]:
    """The non-empty filters as query parameters (for links that keep the current filters)."""
    names = ("type", "mode", "country", "actor", "place", "date_from", "date_to", "article_id")
    return {n: getattr(f, n) for n in names if getattr(f, n)}


@dataclass(slots=True)
class EventSort:
    """How the events table is ordered: a column of `EVENT_SORTS` and asc/desc."""

    sort: str = "date"
    order: str = "desc"

    def as_params(self, default: EventSort | None = None) -> dict[str, str]:
        """sort and order as query parameters, empty when they are the default (links stay short)."""
        d = default or EventSort()
        return {} if (self.sort, self.order) == (d.sort, d.order) else {"sort": self.sort, "order": self.order}


def event_sort(
    sort: str | None = Query(None, description="Column to sort on: " + ", ".join(EVENT_SORTS) + " (default date)"),
    order: str | None = Query(None, description="asc or desc (default: desc for date and the counts, else asc)"),
) -> EventSort:
    """The events table's order from the query string: newest first by default; a column not in the whitelist
    is a 422."""
    key = (blank_to_none(sort) or "date").lower()
    if key not in EVENT_SORTS:
        raise _invalid("sort", "expected one of " + ", ".join(EVENT_SORTS), sort)
    direction = blank_to_none(order)
    if direction is None:
        direction = "desc" if key in ("date", "killed", "injured", "arrested", "size", "reports") else "asc"
    direction = direction.lower()
    if direction not in ("asc", "desc"):
        raise _invalid("order", "expected asc or desc", order)
    return EventSort(key, direction)


@dataclass(slots=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: int = Query(50, ge=1, le=MAX_LIMIT, description=f"Items per page (1-{MAX_LIMIT})"),
    offset: int = Query(0, ge=0, le=10_000_000, description="Items to skip"),
) -> Paging:
    return Paging(limit, offset)


def entity_label(label: str | None = Query(None, description="PER, ORG, LOC or MISC")) -> str | None:
    value = blank_to_none(label)
    if value is not None:
        value = value.upper()
        if value not in ENTITY_LABELS:
            raise _invalid("label", "expected one of " + ", ".join(ENTITY_LABELS), label)
    return value


def optional_text(name: str):
    """A dependency reading the optional free-text parameter `name` ("" = not given)."""

    def dep(value: str | None = Query(None, alias=name, max_length=MAX_TEXT)) -> str | None:
        return blank_to_none(value)

    return dep


def plover_type(type: str | None = Query(None, description="PLOVER type: " + ", ".join(PLOVER_TYPES))) -> str | None:
    return _plover_type(type)


def min_articles(
    min_articles: int = Query(1, ge=1, le=1_000_000, description="Only stories of at least this many articles "
                              "(copies included)"),
) -> int:
    return min_articles


def country_code(country: str | None = Query(None, description="ISO 3166-1 alpha-2, e.g. KZ")) -> str | None:
    value = blank_to_none(country)
    if value is not None:
        if not _COUNTRY.fullmatch(value):
            raise _invalid("country", "expected an ISO 3166-1 alpha-2 code", country)
        value = value.upper()
    return value


#: What one search finds (`vigie.store.search_all.KINDS`).
SEARCH_KINDS = ("article", "quote", "entity", "event")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?")


@dataclass(slots=True)
class SearchOptions:
    """The filters of a search (`Store.search_all`), None when not given."""

    kinds: tuple[str, ...] | None = None
    date_from: str | None = None
    date_to: str | None = None
    language: str | None = None
    source: str | None = None
    type: str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        return {"kinds": self.kinds, "date_from": self.date_from, "date_to": self.date_to,
                "language": self.language, "source": self.source, "type": self.type}

    def as_params(self) -> dict[str, str]:
        """The non-empty filters as query parameters (for links that keep them)."""
        out = {k: v for k, v in self.as_kwargs().items() if isinstance(v, str) and v}
        if self.kinds:
            out["kind"] = ",".join(self.kinds)
        return out


def search_options(
    kind: Annotated[list[str] | None, Query(description="Only hits of these kinds: article, quote, entity, event "
                                            "(repeat the parameter, or separate with commas)")] = None,
    date_from: str | None = Query(None, description="The article published on or after this day, YYYY-MM-DD"),
    date_to: str | None = Query(None, description="The article published on or before this day, YYYY-MM-DD"),
    language: str | None = Query(None, description="The article's language, e.g. fr, en"),
    source: str | None = Query(None, description="The article's source, as stored (e.g. lemonde.fr)"),
    type: str | None = Query(None, description="PLOVER type: event hits of this type only"),
) -> SearchOptions:
    """The search filters from the query string (FastAPI dependency)."""
    kinds: list[str] = []
    for value in kind or []:
        for part in value.split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part not in SEARCH_KINDS:
                raise _invalid("kind", "expected " + ", ".join(SEARCH_KINDS), value)
            if part not in kinds:
                kinds.append(part)
    first, last = _day("date_from", date_from), _day("date_to", date_to)
    if first and last and first > last:
        raise _invalid("date_to", "date_to is before date_from", date_to)
    lang = blank_to_none(language)
    if lang is not None and not _LANGUAGE.fullmatch(lang):
        raise _invalid("language", "expected a language code such as fr or en", language)
    return SearchOptions(
        kinds=tuple(kinds) or None, date_from=first, date_to=last, language=lang.lower() if lang else None,
        source=_text("source", source), type=_plover_type(type),
    )


# Annotated dependencies, so that endpoints declare `filters: Filters` rather than repeat Depends(...)
Filters = Annotated[EventFilter, Depends(event_filter)]
PageParams = Annotated[Paging, Depends(paging)]
EventOrder = Annotated[EventSort, Depends(event_sort)]
EntityLabel = Annotated[str | None, Depends(entity_label)]
NameQuery = Annotated[str | None, Depends(optional_text("q"))]
Speaker = Annotated[str | None, Depends(optional_text("speaker"))]
Country = Annotated[str | None, Depends(country_code)]
PloverType = Annotated[str | None, Depends(plover_type)]
StoryFilter = Annotated[str | None, Depends(optional_text("story"))]
MinArticles = Annotated[int, Depends(min_articles)]
SearchParams = Annotated[SearchOptions, Depends(search_options)]
