"""Server-rendered pages. Each page has a `.json` twin holding exactly the data the page was drawn from
(datasette style): `/events` and `/events.json`, `/articles/{id}` and `/articles/{id}.json`, ...

A page handler builds `data` (plain JSON-ready values from the store) and hands it to `render`, which answers
with JSON for the twin, or with the template, which gets `data` plus presentation helpers (highlighted text,
chart geometry) computed from it. No page runs a script: charts and the map are SVG drawn here.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from vigie.api.app import shown
from vigie.api.params import (
    ENTITY_LABELS,
    PLOVER_TYPES,
    Country,
    EntityLabel,
    Filters,
    MinArticles,
    NameQuery,
    PageParams,
    Speaker,
    filter_params,
)
from vigie.api.routes import (
    Stores,
    get_article_or_404,
    get_crossdoc_event_or_none,
    public_stats,
    slash_redirect,
)
from vigie.export.events_table import COLUMNS as EVENT_TABLE_COLUMNS
from vigie.export.events_table import csv_cells, listed_event_rows
from vigie.store import AmbiguousIdError
from vigie.web import charts, world
from vigie.web.highlight import (
    article_href,
    count_ranges,
    entity_href,
    event_href,
    event_summary,
    highlight_article,
    marked_evidence,
    place_href,
    place_summary,
    story_href,
)

router = APIRouter(include_in_schema=False)

#: Height of the entity page's mentions chart and of a story's articles per day (the events timeline is taller).
ENTITY_CHART_H = 150
#: Size of the story page's articles-per-day chart on narrow screens (chart units: about the screen's pixels).
NARROW_CHART_W, NARROW_CHART_H = 380, 150
#: Stories whose titles an event's page shows (an event is nearly always in one story).
EVENT_STORIES = 5
#: Choices of the stories page's "at least N articles" filter.
STORY_SIZES = (1, 2, 3, 5, 10, 20)
#: Places listed under the map (the map itself shows them all).
MAP_TABLE_ROWS = 50
#: Rows on the home page's "latest" lists.
HOME_LATEST = 10
#: Rows fetched per query while streaming the CSV export (bounded memory whatever the table size).
CSV_CHUNK = 1000
#: Columns of /events.csv: the one events table (`vigie.export.events_table`), as `vigie export -f csv`.
CSV_COLUMNS = EVENT_TABLE_COLUMNS
_SNIPPET_MARK = re.compile(r"\[([^\[\]]*)\]")


def _qs(params: dict[str, Any] | None = None, **more: Any) -> str:
    """A query string from non-empty values ("?a=1&b=2", or "" when there is nothing)."""
    merged = {**(params or {}), **more}
    clean = {k: v for k, v in merged.items() if v not in (None, "")}
    return ("?" + urlencode(clean)) if clean else ""


def _snippet(snippet: str | None) -> Markup:
    """The search snippet with its [matches] in <mark>; the text itself is escaped."""
    parts = _SNIPPET_MARK.split(snippet or "")
    return Markup("".join(f"<mark>{escape(p)}</mark>" if i % 2 else str(escape(p)) for i, p in enumerate(parts)))


def _is_web_url(url: str | None) -> bool:
    """Only http(s) links are made from stored URLs: a javascript: or data: URL must never become a link."""
    return url is not None and url.lower().startswith(("http://", "https://"))


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("vigie.web", "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    env.globals.update(
        article_href=article_href,
        entity_href=entity_href,
        place_href=place_href,
        story_href=story_href,
        event_href=event_href,
        count_ranges=count_ranges,
        marked_evidence=marked_evidence,
        qs=_qs,
        type_color=charts.type_color,
        event_summary=event_summary,
        place_summary=place_summary,
        snippet=_snippet,
        is_web_url=_is_web_url,
        PLOVER_TYPES=PLOVER_TYPES,
        ENTITY_LABELS=ENTITY_LABELS,
        WORLD_VIEWBOX=world.VIEWBOX,
        WORLD_LAND=world.land_svg,
        MAP_TABLE_ROWS=MAP_TABLE_ROWS,
        STORY_SIZES=STORY_SIZES,
    )
    return env


templates = Jinja2Templates(env=_env())


def render(request: Request, template: str, data: dict[str, Any], *, as_json: bool | None = None,
           **view: Any) -> Response:
    """The .json twin (`data` only) or the HTML page (`data` plus the view helpers); `as_json` defaults to
    whether the path ends with .json."""
    if as_json is None:
        as_json = request.url.path.endswith(".json")
    if as_json:
        return JSONResponse(jsonable_encoder(data))
    return templates.TemplateResponse(request, template, {"data": data, "json_url": _json_url(request), **view})


def twin_lookup(request: Request, key: str, find: Callable[[str], dict[str, Any] | None], not_found: str,
                exists: Callable[[str], bool] | None = None) -> tuple[dict[str, Any], bool]:
    """(the item, whether to answer with JSON) for a page that has a .json twin and takes any name or id.

    `/articles/x.json` is the twin of `/articles/x`, so its route gets key "x"; when nothing is called "x" but
    something is called "x.json", the address is that item's page (its twin is `/articles/x.json.json`).
    `find` returns the item or None (or raises an HTTPException); `not_found` is the 404 message's subject;
    `exists` says whether a key names an item exactly (`find` may also accept prefixes or other spellings).
    """
    as_json = request.url.path.endswith(".json")
    item = None
    if not (as_json and exists is not None and not exists(key) and exists(key + ".json")):
        item = find(key)
    if item is None and as_json:
        item = find(key + ".json")
        as_json = item is None
    if item is None:
        raise HTTPException(404, f"no {not_found} {shown(key)}")
    return item, as_json


def _article_exists(store: Any) -> Callable[[str], bool]:
    def exists(id: str) -> bool:
        try:
            return store.resolve_id(id) == id
        except AmbiguousIdError:
            return False

    return exists


def _article_or_none(store: Any) -> Callable[[str], dict[str, Any] | None]:
    def find(id: str) -> dict[str, Any] | None:
        try:
            return get_article_or_404(store, id)
        except HTTPException as exc:
            if exc.status_code == 404:
                return None
            raise

    return find


def _json_url(request: Request) -> str:
    # the path as the client sent it, percent-escapes kept ("/articles/a%2Fb" is the page of the id "a/b", and
    # its twin "/articles/a%2Fb.json"); anything unsafe left in it is escaped
    raw = request.scope.get("raw_path")
    sent = raw.decode("latin-1") if raw else quote(request.url.path, safe="/")
    path = quote(sent, safe="/%:@!$&'()*+,;=~").rstrip("/")
    twin = path + ".json" if path else "/index.json"
    return twin + (("?" + request.url.query) if request.url.query else "")


def render_error(request: Request, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    context = {"status": status, "message": message, "json_url": None}
    return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)


# ---------------------------------------------------------------- home, search, articles


@router.get("/", response_class=HTMLResponse)
@router.get("/index.json")
def home(request: Request, stores: Stores) -> Response:
    with stores.open() as store:
        total_events = store.count_events()
        # events are ordered by day: the latest are the last page, shown newest first
        latest_events = store.list_events(limit=HOME_LATEST, offset=max(total_events - HOME_LATEST, 0))[::-1]
        data = {
            "stats": public_stats(store.stats()),
            "latest_articles": store.list_articles(limit=HOME_LATEST),
            "latest_events": latest_events,
        }
    return render(request, "home.html", data)


@router.get("/articles", response_class=HTMLResponse)
@router.get("/articles.json")
def articles_page(request: Request, stores: Stores, page: PageParams) -> Response:
    with stores.open() as store:
        data = {"total": store.count_articles(), "limit": page.limit, "offset": page.offset,
                "items": store.list_articles(limit=page.limit, offset=page.offset)}
    return render(request, "articles.html", data, params={})


# Ids, names and places may hold any character ("/" included): the routes take the rest of the path, and the
# .json twin's route is registered first, since the page's pattern would also match "x.json" (see twin_lookup).
@router.get("/articles/{id:path}", response_class=HTMLResponse)
@router.get("/articles/{id:path}.json")
def article_page(request: Request, stores: Stores, id: str) -> Response:
    if not id and request.url.path.endswith("/"):
        return slash_redirect(request)
    with stores.open() as store:
        article, as_json = twin_lookup(request, id, _article_or_none(store), "article", _article_exists(store))
    return render(request, "article.html", article, as_json=as_json, highlighted=highlight_article(article))


# ---------------------------------------------------------------- events: table, CSV, timeline, map


@router.get("/events", response_class=HTMLResponse)
@router.get("/events.json")
def events_page(request: Request, stores: Stores, filters: Filters,
                page: PageParams) -> Response:
    with stores.open() as store:
        data = {
            "filters": filter_params(filters),
            "total": store.count_events(filters),
            "limit": page.limit,
            "offset": page.offset,
            "items": store.list_events(filters, limit=page.limit, offset=page.offset),
        }
    return render(request, "events.html", data, params=data["filters"])


@router.get("/events.csv")
def events_csv(stores: Stores, filters: Filters) -> StreamingResponse:
    """Every event matching the filters (no paging), one row each: the rows `vigie export -f csv` writes for
    them (`vigie.export.events_table`: same columns, same cells)."""

    def rows() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        with stores.open() as store:
            offset = 0
            while True:
                chunk = store.list_events(filters, limit=CSV_CHUNK, offset=offset)
                for row in listed_event_rows(store, chunk):
                    writer.writerow(csv_cells(row))
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
                if len(chunk) < CSV_CHUNK:
                    return
                offset += CSV_CHUNK

    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="vigie-events.csv"'})


@router.get("/timeline", response_class=HTMLResponse)
@router.get("/timeline.json")
def timeline_page(request: Request, stores: Stores, filters: Filters) -> Response:
    with stores.open() as store:
        data: dict[str, Any] = {"filters": filter_params(filters), "buckets": store.event_timeline(filters)}
    totals: dict[str, int] = {}
    for b in data["buckets"]:
        totals[b["type"]] = totals.get(b["type"], 0) + int(b["n"])
    return render(request, "timeline.html", data, chart=charts.stacked_bars(data["buckets"]), totals=totals,
                  params=data["filters"])


@router.get("/map", response_class=HTMLResponse)
@router.get("/map.json")
def map_page(request: Request, stores: Stores, filters: Filters) -> Response:
    with stores.open() as store:
        data: dict[str, Any] = {"filters": filter_params(filters), "points": store.event_places(filters)}
    circles, unlocated = charts.map_points(data["points"])
    return render(request, "map.html", data, circles=circles, unlocated=unlocated, params=data["filters"],
                  shared_names=_shared_names(data["points"]))


def _shared_names(places: list[dict[str, Any]]) -> set[str]:
    """Names that two listed places bear (Paris in France and in Texas): their links name the place by its key
    ("name:US:Paris", "geonames:4717560"), the others by its name."""
    seen: dict[str, int] = {}
    for p in places:
        seen[p["name"]] = seen.get(p["name"], 0) + 1
    return {name for name, n in seen.items() if n > 1}


# ---------------------------------------------------------------- events across articles, stories


# Any path under /events/ other than an event id ("ev-…") is a 404 here: the events table, its CSV, its twin are
# /events, /events.csv and /events.json.
@router.get("/events/{event_id}", response_class=HTMLResponse)
@router.get("/events/{event_id}.json")
def crossdoc_event_page(request: Request, stores: Stores, event_id: str) -> Response:
    with stores.open() as store:
        event, as_json = twin_lookup(request, event_id, lambda key: get_crossdoc_event_or_none(store, key), "event")
        titles: dict[str, str | None] = {}
        for sid in event.get("stories", [])[:EVENT_STORIES]:
            story = store.get_story(sid, limit=1)
            titles[sid] = story["title"] if story else None
    data = {**event, "story_titles": titles}
    return render(request, "crossdoc_event.html", data, as_json=as_json,
                  titles={m["article_id"]: m["title"] for m in event["mentions"]})


@router.get("/stories", response_class=HTMLResponse)
@router.get("/stories.json")
def stories_page(request: Request, stores: Stores, page: PageParams, min_articles: MinArticles) -> Response:
    with stores.open() as store:
        reads = store
        data = {"min_articles": min_articles, "total": reads.count_stories(min_articles=min_articles),
                "limit": page.limit, "offset": page.offset,
                "items": reads.list_stories(limit=page.limit, offset=page.offset, min_articles=min_articles)}
    return render(request, "stories.html", data, params={"min_articles": min_articles if min_articles > 1 else None})


@router.get("/stories/{story_id:path}", response_class=HTMLResponse)
@router.get("/stories/{story_id:path}.json")
def story_page(request: Request, stores: Stores, story_id: str) -> Response:
    if not story_id and request.url.path.endswith("/"):
        return slash_redirect(request)
    with stores.open() as store:
        story, as_json = twin_lookup(request, story_id, store.get_story, "story")
    chart = charts.stacked_bars(story["timeline"], key="", height=ENTITY_CHART_H, noun="article")
    # the same bars for phones (shown instead by style.css): fewer units across, so the labels stay legible
    narrow = charts.stacked_bars(story["timeline"], key="", height=NARROW_CHART_H, noun="article",
                                 width=NARROW_CHART_W, max_labels=3)
    return render(request, "story.html", story, as_json=as_json, chart=chart, narrow_chart=narrow,
                  days=_days(story["first"], story["last"]), titles={a["id"]: a["title"] for a in story["articles"]})


def _days(first: str | None, last: str | None) -> int | None:
    """Days from the first publication day to the last, both counted (None when either is unknown)."""
    try:
        return (date.fromisoformat(str(last)[:10]) - date.fromisoformat(str(first)[:10])).days + 1
    except ValueError:
        return None


# ---------------------------------------------------------------- entities, quotes, places


@router.get("/entities", response_class=HTMLResponse)
@router.get("/entities.json")
def entities_page(request: Request, stores: Stores, label: EntityLabel,
                  q: NameQuery, page: PageParams) -> Response:
    with stores.open() as store:
        items = store.list_entities(label=label, query=q, limit=page.limit, offset=page.offset)
    data = {"label": label, "q": q, "limit": page.limit, "offset": page.offset, "items": items}
    return render(request, "entities.html", data, params={"label": label, "q": q})


@router.get("/entities/{name:path}", response_class=HTMLResponse)
@router.get("/entities/{name:path}.json")
def entity_page(request: Request, stores: Stores, name: str) -> Response:
    with stores.open() as store:
        entity, as_json = twin_lookup(request, name, store.get_entity, "entity")
    chart = charts.stacked_bars(entity["mentions_by_day"], key="", height=ENTITY_CHART_H, noun="mention")
    return render(request, "entity.html", entity, as_json=as_json, chart=chart)


@router.get("/quotes", response_class=HTMLResponse)
@router.get("/quotes.json")
def quotes_page(request: Request, stores: Stores, speaker: Speaker,
                page: PageParams) -> Response:
    with stores.open() as store:
        items = store.list_quotes(speaker=speaker, limit=page.limit, offset=page.offset)
    data = {"speaker": speaker, "limit": page.limit, "offset": page.offset, "items": items}
    return render(request, "quotes.html", data, params={"speaker": speaker})


@router.get("/places", response_class=HTMLResponse)
@router.get("/places.json")
def places_page(request: Request, stores: Stores, country: Country,
                page: PageParams) -> Response:
    with stores.open() as store:
        items = store.list_places(country=country, limit=page.limit, offset=page.offset)
    data = {"country": country, "limit": page.limit, "offset": page.offset, "items": items}
    return render(request, "places.html", data, params={"country": country}, shared_names=_shared_names(items))


@router.get("/places/{name:path}", response_class=HTMLResponse)
@router.get("/places/{name:path}.json")
def place_page(request: Request, stores: Stores, name: str) -> Response:
    with stores.open() as store:
        place, as_json = twin_lookup(request, name, store.get_place, "place")
    point = {"name": place["name"], "country": place.get("country"), "lat": place.get("lat"), "lon": place.get("lon"),
             "n": max(len(place["events"]), 1), "types": {}}
    circles, _ = charts.map_points([point])
    return render(request, "place.html", place, as_json=as_json, circles=circles)


# ---------------------------------------------------------------- API index


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> Response:
    """The JSON API's endpoints, read from the OpenAPI document (FastAPI's /docs needs a CDN)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                (p["name"], p.get("in"), p.get("description") or p.get("schema", {}).get("description") or "")
                for p in op.get("parameters", [])
            ]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "description": op.get("description", ""), "params": params})
    return templates.TemplateResponse(request, "api.html", {"endpoints": endpoints, "json_url": "/openapi.json"})
