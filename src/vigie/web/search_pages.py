"""The search page (`/search`, `/search.json`): what the search box of every page opens.

One search over articles, quotes, entities and events (`Store.search_all`): the total and the count of each kind,
filters (published dates, language, source, kind, event type), pages of hits, each linking to its article (at the
quote's or event's anchor) or to the entity's page.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from vigie.api.params import MAX_TEXT, SEARCH_KINDS, SearchParams, blank_to_none
from vigie.api.routes import run_search
from vigie.web.pages import render

router = APIRouter(include_in_schema=False)

#: Hits per page of /search.
PAGE_SIZE = 50


@router.get("/search", response_class=HTMLResponse)
@router.get("/search.json")
async def search_page(request: Request, options: SearchParams,
                      q: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
                      limit: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
                      offset: Annotated[int, Query(ge=0, le=10_000)] = 0) -> Response:
    query = blank_to_none(q)
    data: dict[str, Any] = {"query": query, "total": 0, "by_kind": dict.fromkeys(SEARCH_KINDS, 0), "items": [],
                            "limit": limit, "offset": offset}
    if query:
        data.update(await run_search(request, query, limit, offset, options))
    params = {"q": query, **options.as_params()}
    return render(request, "search.html", data, search_query=query, params=params, filters=options,
                  kinds=SEARCH_KINDS)
