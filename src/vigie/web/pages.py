"""Server-rendered pages. Each page has a `.json` twin holding exactly the data the page was drawn from
(datasette style): `/events` and `/events.json`, `/articles/{id}` and `/articles/{id}.json`, ...

A page handler builds `data` (plain JSON-ready values from the store) and hands it to `render`, which answers
with JSON for the twin, or with the template, which gets `data` plus presentation helpers (highlighted text,
chart geometry) computed from it. Charts are SVG drawn here; only the map runs a script (static/map.js, with the
vendored Leaflet), and it still shows its SVG map without one.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
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
    EventOrder,
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
from vigie.events import plover
from vigie.export.events_table import COLUMNS as EVENT_TABLE_COLUMNS
from vigie.export.events_table import csv_cells, listed_event_rows
from vigie.store import AmbiguousIdError
from vigie.store.queries import alpha2_of
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


#: Columns of the events table a header click sorts on: (label, sort key or None, tooltip).
EVENT_TABLE_HEADS = (
    ("Day", "date", "the event's day (its date, else its article's publication day)"),
    ("Type", "type", "PLOVER type, then mode"),
    ("Source", "source", "who acted"),
    ("Target", "target", "on whom"),
    ("Place", "place", "where"),
    ("Trigger", None, "the words the event was read from"),
    ("Counts", None, "killed, injured, arrested, size (sort on one with the links above the table)"),
    ("Reports", "reports", "sources that reported the event: its page across articles"),
    ("Article", "article", "the article it was read in"),
)
#: Count columns the "sort by" links above the table offer (the Counts column holds all four).
COUNT_SORTS = ("killed", "injured", "arrested", "size")
#: Sorts the "sort by" line offers (the only sort control on narrow screens, where the table's header is hidden).
SORT_LINKS = ("date", "type", "source", "target", "place", *COUNT_SORTS, "reports")


def _mode_choices(kind: str | None) -> list[str]:
    """Modes the Mode select offers: the chosen type's (`vigie.events.plover.modes`), else every mode."""
    if kind:
        return sorted(plover.modes().get(kind, frozenset()))
    return sorted(plover.all_modes())


def _country_choices(store: Any, chosen: str | None) -> list[dict[str, Any]]:
    """The Country select's options: the countries the events name (alpha-2), the chosen one marked."""
    out = store.event_countries()
    code = alpha2_of(chosen)
    if code and all(c["country"] != code for c in out):
        out.append({"country": code, "n": 0})
    for c in out:
        c["selected"] = c["country"] == code
    return out


@router.get("/events", response_class=HTMLResponse)
@router.get("/events.json")
def events_page(request: Request, stores: Stores, filters: Filters,
                page: PageParams, order: EventOrder) -> Response:
    with stores.open() as store:
        data = {
            "filters": filter_params(filters),
            "sort": order.sort,
            "order": order.order,
            "total": store.count_events(filters),
            "sums": store.event_sums(filters),
            "limit": page.limit,
            "offset": page.offset,
            "items": store.list_events(filters, limit=page.limit, offset=page.offset, sort=order.sort,
                                       order=order.order),
        }
        countries = _country_choices(store, filters.country)
    shown_params = {**filter_params(filters), **order.as_params()}
    return render(request, "events.html", data, params=data["filters"], shown_params=shown_params,
                  sort=order, heads=EVENT_TABLE_HEADS, count_sorts=COUNT_SORTS, sort_keys=SORT_LINKS,
                  modes=_mode_choices(filters.type), countries=countries)


@router.get("/events.csv")
def events_csv(stores: Stores, filters: Filters, order: EventOrder) -> StreamingResponse:
    """Every event matching the filters (no paging), one row each, in the order of the page (`sort`, `order`):
    the rows `vigie export -f csv` writes for them (`vigie.export.events_table`: same columns, same cells)."""

    def rows() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        with stores.open() as store:
            offset = 0
            while True:
                chunk = store.list_events(filters, limit=CSV_CHUNK, offset=offset, sort=order.sort,
                                          order=order.order)
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


def _timeline_by(by: str | None) -> str | None:
    value = (by or "").strip().lower()
    if value in ("", "auto"):
        return None
    if value not in charts.BUCKETS:
        raise RequestValidationError([{"type": "value_error", "loc": ("query", "by"), "input": by,
                                       "msg": "expected day, week, month or auto"}])
    return value


def _zoom_links(params: dict[str, str], first: date, last: date) -> dict[str, dict[str, str]]:
    """Query parameters of the timeline's zoom in (the middle half), zoom out (twice the span), earlier and later
    (half a span) links, keeping the other filters."""
    span = (last - first).days + 1
    quarter = timedelta(days=max(span // 4, 1))
    half = timedelta(days=max(span // 2, 1))
    out = {}
    if span >= 4:
        out["in"] = {**params, "date_from": (first + quarter).isoformat(), "date_to": (last - quarter).isoformat()}
    out["out"] = {**params, "date_from": (first - half).isoformat(), "date_to": (last + half).isoformat()}
    out["earlier"] = {**params, "date_from": (first - half).isoformat(), "date_to": (last - half).isoformat()}
    out["later"] = {**params, "date_from": (first + half).isoformat(), "date_to": (last + half).isoformat()}
    return out


@router.get("/timeline", response_class=HTMLResponse)
@router.get("/timeline.json")
def timeline_page(request: Request, stores: Stores, filters: Filters, by: str | None = None,
                  all: bool = False) -> Response:
    """Events per day, week or month (`by`; auto: from the span shown) and type. Without a date range, the range
    shown starts where the events get dense (`charts.dense_start`): the older ones are counted in `hidden` and
    `all=1` shows them."""
    chosen = _timeline_by(by)
    with stores.open() as store:
        rows = store.event_timeline(filters)
        countries = _country_choices(store, filters.country)
    params = filter_params(filters)
    start, hidden = (None, 0) if (all or filters.date_from) else charts.dense_start(rows)
    if start is not None:
        rows = [r for r in rows if str(r["day"])[:10] >= start.isoformat()]
    days = sorted({date.fromisoformat(str(r["day"])[:10]) for r in rows})
    first = date.fromisoformat(filters.date_from) if filters.date_from else (days[0] if days else None)
    last = date.fromisoformat(filters.date_to) if filters.date_to else (days[-1] if days else None)
    bucket = chosen or (charts.auto_bucket(first, last) if first and last and first <= last else "day")
    data: dict[str, Any] = {
        "filters": params, "by": bucket, "by_auto": chosen is None,
        "date_from": first.isoformat() if first else None, "date_to": last.isoformat() if last else None,
        "hidden": hidden, "hidden_before": start.isoformat() if start else None, "buckets": rows,
    }
    totals: dict[str, int] = {}
    for b in rows:
        totals[b["type"]] = totals.get(b["type"], 0) + int(b["n"])
    span = (first, last) if first and last and first <= last else None
    chart = charts.stacked_bars(rows, by=bucket, span=span)
    keep = {"by": chosen} if chosen else {}
    return render(request, "timeline.html", data, chart=chart, totals=totals, params=params, keep=keep,
                  zoom=_zoom_links({**params, **keep}, *span) if span else {}, buckets=charts.BUCKETS,
                  modes=_mode_choices(filters.type), countries=countries)


@router.get("/map", response_class=HTMLResponse)
@router.get("/map.json")
def map_page(request: Request, stores: Stores, filters: Filters) -> Response:
    """The events per place on an interactive map (static/map.js: Leaflet, clustered markers, drawn over the
    offline world outline of /map/world.geojson); the SVG map is its fallback without scripts. Each point's `ref`
    is what its links filter the events list by (its key when another listed place has the same name)."""
    with stores.open() as store:
        data: dict[str, Any] = {"filters": filter_params(filters), "points": store.event_places(filters)}
        countries = _country_choices(store, filters.country)
    shared = _shared_names(data["points"])
    for p in data["points"]:
        p["ref"] = p["key"] if p["name"] in shared and p["key"] else p["name"]
    circles, unlocated = charts.map_points(data["points"])
    return render(request, "map.html", data, circles=circles, unlocated=unlocated, params=data["filters"],
                  shared_names=shared, modes=_mode_choices(filters.type), countries=countries)


@router.get("/map/world.geojson")
def world_geojson() -> Response:
    """The offline world outline (Natural Earth 1:110m, static/world) as GeoJSON for the map's base layer, built
    once per process; rings crossing the antimeridian are drawn on both sides (`world._unwrap`)."""
    return Response(_world_geojson(), media_type="application/geo+json",
                    headers={"Cache-Control": "public, max-age=86400"})


@lru_cache(maxsize=1)
def _world_geojson() -> bytes:
    raw = (resources.files("vigie.web") / "static" / "world" / world.WORLD_FILE).read_text(encoding="utf-8")
    topology = json.loads(raw)
    arcs = world._decode_arcs(topology)
    features = []
    for geom in topology["objects"]["countries"]["geometries"]:
        if geom["type"] == "Polygon":
            polygons = [geom["arcs"]]
        elif geom["type"] == "MultiPolygon":
            polygons = geom["arcs"]
        else:
            continue
        out = []
        for polygon in polygons:
            rings = [world._ring(r, arcs) for r in polygon]
            # each copy of the outer ring is a polygon of its own (holes: 1:110m has none worth keeping)
            for copy in world._unwrap(rings[0]):
                out.append([[[round(x, 2), round(y, 2)] for x, y in copy]])
        features.append({"type": "Feature", "properties": {"name": geom.get("properties", {}).get("name", "")},
                         "geometry": {"type": "MultiPolygon", "coordinates": out}})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")).encode()


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
