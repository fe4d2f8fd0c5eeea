"""The JSON API (/api/...): thin wrappers over the `Store` reads, typed for the OpenAPI document."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field

from vigie.api.app import TOKEN_ENV, StorePool, check_token, shown
from vigie.api.params import (
    MAX_TEXT,
    Country,
    EntityLabel,
    EventOrder,
    Filters,
    MinArticles,
    NameQuery,
    PageParams,
    PloverType,
    SearchOptions,
    SearchParams,
    Speaker,
    StoryFilter,
)
from vigie.api.schemas import (
    ArticleDetail,
    ArticleIn,
    ArticleSummary,
    CrossDocEventDetail,
    CrossDocEventSummary,
    EntityDetail,
    EntitySummary,
    EventRow,
    IngestResponse,
    MapPoint,
    Page,
    PlaceDetail,
    PlaceSummary,
    QuoteRow,
    SearchResults,
    Stats,
    StoryDetail,
    StorySummary,
    TimelineBucket,
)
from vigie.store import AmbiguousIdError
from vigie.store.base import Store
from vigie.store.search import SearchTimeoutError

router = APIRouter(prefix="/api", tags=["api"])
#: Articles in one POST: with the 5 MB body limit, a batch takes at most a minute or so of NLP.
MAX_BATCH = 500

_bearer = HTTPBearer(auto_error=False, description="The server's VIGIE_TOKEN")


def store_pool(request: Request) -> StorePool:
    return request.app.state.stores


#: What endpoints use to reach the store: `with stores.open() as store: ...`
Stores = Annotated[StorePool, Depends(store_pool)]


def get_article_or_404(store: Store, id: str) -> dict[str, Any]:
    try:
        article = store.get_article(id)
    except AmbiguousIdError as exc:
        raise HTTPException(400, f"ambiguous id prefix {shown(id)}: matches {', '.join(exc.matches[:10])}") from None
    if article is None:
        raise HTTPException(404, f"no article {shown(id)}")
    return article


#: Cross-document event ids: "ev-" and a digest (`vigie.events.crossdoc.event_id_of`).
EVENT_ID_PREFIX = "ev-"


def get_crossdoc_event_or_none(store: Store, event_id: str) -> dict[str, Any] | None:
    """A cross-document event with every mention; None for an unknown id (or one that is no event id at all)."""
    if not event_id.startswith(EVENT_ID_PREFIX):
        return None
    return store.get_crossdoc_event(event_id)


def slash_redirect(request: Request) -> RedirectResponse:
    """`/articles/` (an empty id) is the list at `/articles`, as for any other path with a trailing slash."""
    return RedirectResponse(request.url.replace(path=request.url.path.rstrip("/")), status_code=307)


async def run_search(request: Request, query: str, limit: int, offset: int = 0,
                     options: SearchOptions | None = None) -> dict[str, Any]:
    """`Store.search_all` for a request: in one of the server's search slots (`SearchSlots`: other requests always
    find a thread), within its time budget; a search stopped by the budget, or that found no free slot
    within it, is a 503."""
    app = request.app
    timeout = app.state.search_timeout
    async with app.state.search_slots.slot(wait=timeout):
        return await run_in_threadpool(_search, app.state.stores, query, limit, offset, options or SearchOptions(),
                                       timeout)


def _search(stores: StorePool, query: str, limit: int, offset: int, options: SearchOptions,
            timeout: float) -> dict[str, Any]:
    with stores.open() as store:
        try:
            return store.search_all(query, limit=limit, offset=offset, timeout=timeout, **options.as_kwargs())
        except SearchTimeoutError as exc:
            raise HTTPException(503, str(exc), headers={"Retry-After": "10"}) from None


def public_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """`Store.stats()` less where the database lives: that is none of a visitor's business."""
    return {k: v for k, v in stats.items() if k not in ("db_path", "db_url")}


def require_writer(request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> None:
    """401 without the right bearer token; 403 when the server has no token at all (read-only)."""
    if request.app.state.token is None:
        raise HTTPException(403, f"this server is read-only: start `vigie serve` with {TOKEN_ENV} set to accept writes")
    if creds is None or creds.scheme.lower() != "bearer" or not check_token(request.app, creds.credentials):
        raise HTTPException(401, "a valid bearer token is required (Authorization: Bearer <VIGIE_TOKEN>)",
                            headers={"WWW-Authenticate": "Bearer"})


# ---------------------------------------------------------------- articles


@router.get("/articles", response_model=Page[ArticleSummary], summary="Articles, newest first")
def list_articles(stores: Stores, page: PageParams) -> dict[str, Any]:
    with stores.open() as store:
        return {"total": store.count_articles(), "limit": page.limit, "offset": page.offset,
                "items": store.list_articles(limit=page.limit, offset=page.offset)}


@router.get("/articles/{id:path}", response_model=ArticleDetail, summary="One article with all its annotations",
            responses={404: {"description": "No such article"}, 400: {"description": "Ambiguous id prefix"}})
def get_article(
    request: Request,
    stores: Stores,
    id: Annotated[str, Path(description="Article id (any characters, percent-encoded) or a unique prefix of 6+")],
) -> Any:
    if not id and request.url.path.endswith("/"):
        return slash_redirect(request)
    with stores.open() as store:
        return get_article_or_404(store, id)


BatchIn = Annotated[list[ArticleIn], Field(min_length=1, max_length=MAX_BATCH)]


@router.post("/articles", response_model=IngestResponse, dependencies=[Depends(require_writer)],
             summary="Analyse and store articles (bearer token required)",
             responses={401: {"description": "Missing or wrong token"}, 403: {"description": "Read-only server"},
                        413: {"description": "Body over the size limit"}})
def post_articles(stores: Stores, payload: Annotated[ArticleIn | BatchIn, Body()]) -> dict[str, Any]:
    """Runs the steps of `vigie ingest` (clean, language, NLP) on one article or a list, and stores them.
    Each result has the article's id and status: new, updated, unchanged or error (with stage and reason)."""
    from vigie.api.ingest import ingest_items  # imports spaCy: only when a write comes

    items = payload if isinstance(payload, list) else [payload]
    with stores.open() as store:
        results = ingest_items(store, items)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return {"results": results, "counts": counts}


# ---------------------------------------------------------------- events


# EventRow and QuoteRow are models built at import time (schemas._from_dataclass): valid for pydantic, not mypy
@router.get("/events", response_model=Page[EventRow],  # type: ignore[valid-type]
            summary="Events, newest first unless sorted otherwise (filters combine with AND)")
def list_events(stores: Stores, filters: Filters, page: PageParams, order: EventOrder) -> dict[str, Any]:
    """The events table: `sort` on a column (missing values last) and `order` asc or desc; by default the
    event's day, newest first, as on the /events page."""
    with stores.open() as store:
        return {"total": store.count_events(filters), "limit": page.limit, "offset": page.offset,
                "items": store.list_events(filters, limit=page.limit, offset=page.offset, sort=order.sort,
                                           order=order.order)}


@router.get("/events/timeline", response_model=list[TimelineBucket], summary="Events per day and type")
def event_timeline(stores: Stores, filters: Filters) -> list[dict[str, Any]]:
    with stores.open() as store:
        return store.event_timeline(filters)


@router.get("/events/places", response_model=list[MapPoint], summary="Events per location (the map's points)")
def event_places(stores: Stores, filters: Filters) -> list[dict[str, Any]]:
    """One point per place whatever the language its articles name it in ("Kyiv" and "Kiev" are one point),
    under its French name; `key` opens the place at /places/{key}."""
    with stores.open() as store:
        return store.event_places(filters)


# Registered after /events/timeline and /events/places, which keep their routes ("timeline" is no event id).
@router.get("/events/{event_id}", response_model=CrossDocEventDetail,
            summary="One event across articles, with every article that reported it",
            responses={404: {"description": "No such event"}})
def get_crossdoc_event(
    stores: Stores, event_id: Annotated[str, Path(description='Cross-document event id ("ev-…")')],
) -> dict[str, Any]:
    """The event's merged fields, its counts as ranges across sources (never summed), and one mention per article
    that reported it (copies included), with the evidence sentence and the trigger as that article gives them."""
    with stores.open() as store:
        event = get_crossdoc_event_or_none(store, event_id)
    if event is None:
        raise HTTPException(404, f"no event {shown(event_id)}")
    return event


@router.get("/crossdoc-events", response_model=Page[CrossDocEventSummary],
            summary="Events across articles, newest first (one per real-world event)")
def list_crossdoc_events(stores: Stores, story: StoryFilter, type: PloverType, page: PageParams) -> dict[str, Any]:
    """Each event once, however many articles told it: `n_articles`, `n_sources` and the counts as ranges say how
    it was reported. `story`: only the events of that story; `type`: only that PLOVER type."""
    with stores.open() as store:
        reads = store
        return {"total": reads.count_crossdoc_events(story_id=story, type=type), "limit": page.limit,
                "offset": page.offset,
                "items": reads.list_crossdoc_events(story_id=story, type=type, limit=page.limit, offset=page.offset)}


# ---------------------------------------------------------------- stories


@router.get("/stories", response_model=Page[StorySummary], summary="Stories, latest first")
def list_stories(stores: Stores, page: PageParams, min_articles: MinArticles) -> dict[str, Any]:
    """A story is the articles that follow one news thread (`vigie.stories`), copies included; latest is the one
    whose last article is the most recent."""
    with stores.open() as store:
        reads = store
        return {"total": reads.count_stories(min_articles=min_articles), "limit": page.limit, "offset": page.offset,
                "items": reads.list_stories(limit=page.limit, offset=page.offset, min_articles=min_articles)}


@router.get("/stories/{story_id:path}", response_model=StoryDetail,
            summary="One story: sources, places, actors, articles per day, articles, events",
            responses={404: {"description": "No such story"}})
def get_story(
    request: Request, stores: Stores,
    story_id: Annotated[str, Path(description="Story id (its first article's id, percent-encoded)")],
) -> Any:
    if not story_id and request.url.path.endswith("/"):
        return slash_redirect(request)
    with stores.open() as store:
        story = store.get_story(story_id)
    if story is None:
        raise HTTPException(404, f"no story {shown(story_id)}")
    return story


# ---------------------------------------------------------------- entities, quotes, places


@router.get("/entities", response_model=Page[EntitySummary], summary="Entities, most mentioned first")
def list_entities(stores: Stores, label: EntityLabel,
                  q: NameQuery, page: PageParams) -> dict[str, Any]:
    with stores.open() as store:
        items = store.list_entities(label=label, query=q, limit=page.limit, offset=page.offset)
    return {"limit": page.limit, "offset": page.offset, "items": items}


@router.get("/entities/{name:path}", response_model=EntityDetail, summary="One entity: mentions, quotes, events",
            responses={404: {"description": "Name not found"}})
def get_entity(stores: Stores, name: str) -> dict[str, Any]:
    with stores.open() as store:
        entity = store.get_entity(name)
    if entity is None:
        raise HTTPException(404, f"no entity {shown(name)}")
    return entity


@router.get("/quotes", response_model=Page[QuoteRow], summary="Quotes, newest articles first")  # type: ignore[valid-type]
def list_quotes(stores: Stores, speaker: Speaker,
                page: PageParams) -> dict[str, Any]:
    """`speaker` is the speaker's canonical name, exactly as the entity pages show it."""
    with stores.open() as store:
        items = store.list_quotes(speaker=speaker, limit=page.limit, offset=page.offset)
    return {"limit": page.limit, "offset": page.offset, "items": items}


@router.get("/places", response_model=Page[PlaceSummary], summary="Resolved places, most mentioned first")
def list_places(stores: Stores, country: Country, page: PageParams) -> dict[str, Any]:
    """One row per place (a GeoNames entry; a country by its ISO code), whatever the languages its articles name
    it in, under its French name when known ("États-Unis" for "United States", "USA", "Etats-Unis")."""
    with stores.open() as store:
        items = store.list_places(country=country, limit=page.limit, offset=page.offset)
    return {"limit": page.limit, "offset": page.offset, "items": items}


@router.get("/places/{name:path}", response_model=PlaceDetail, summary="One place: articles and events there",
            responses={404: {"description": "Name not found"}})
def get_place(stores: Stores, name: str) -> dict[str, Any]:
    """`name` is a place's key (`key` of /places) or a name in any language ("Kyiv", "Kiev": the same place;
    case and accents ignored; the most mentioned place when several share the name)."""
    with stores.open() as store:
        place = store.get_place(name)
    if place is None:
        raise HTTPException(404, f"no place {shown(name)}")
    return place


# ---------------------------------------------------------------- search, stats


@router.get("/search", response_model=SearchResults,
            summary="Search articles, quotes, entities and events (by stem; accents and case ignored)",
            responses={503: {"description": "The search ran past the time budget, or the server is busy searching"}})
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description='Words (all must match), "a phrase", '
                            "a OR b, NOT a or -a, prefix*; words match by stem (manifestation: manifestations)")],
    options: SearchParams,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> dict[str, Any]:
    """Hits of every kind, best first; `total` and `by_kind` count every match, not the page.
    503 when the search runs past the server's time budget (a prefix matching a large part of the store),
    or when too many searches are running to start this one within it."""
    return {"query": q, **await run_search(request, q, limit, offset, options)}


@router.get("/stats", response_model=Stats, summary="Counts: articles, annotations, top entities and speakers")
def stats(stores: Stores) -> dict[str, Any]:
    with stores.open() as store:
        return public_stats(store.stats())
