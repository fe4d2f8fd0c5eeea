"""The search page (`/search`, `/search.json`): what the search box of every page opens."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from vigie.api.params import MAX_TEXT, blank_to_none
from vigie.api.routes import run_search
from vigie.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
@router.get("/search.json")
async def search_page(request: Request, q: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
                      limit: Annotated[int, Query(ge=1, le=100)] = 50) -> Response:
    query = blank_to_none(q)
    items: list[dict[str, Any]] = []
    if query:
        items = await run_search(request, query, limit)
    return render(request, "search.html", {"query": query, "items": items}, search_query=query)
