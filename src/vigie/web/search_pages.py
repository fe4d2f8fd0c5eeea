"""The search page (`/search`, `/search.json`): what the search box of every page opens.

One search over articles, quotes, entities and events (`Store.search_all`): the total and the count of each kind,
filters (published dates, language, source, kind, event type), pages of hits, each linking to its article (at the
quote's or event's anchor) or to the entity's page.
"""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from vigie.api.app import TOKEN_ENV, check_token
from vigie.api.params import MAX_TEXT, SEARCH_KINDS, SearchParams, blank_to_none
from vigie.api.routes import Stores, run_search
from vigie.web.pages import render, render_error

router = APIRouter(include_in_schema=False)

#: Hits per page of /search.
PAGE_SIZE = 50
#: A saved-search form is a few fields: anything longer is cut.
MAX_FORM_BYTES = 64 * 1024


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
                  kinds=SEARCH_KINDS, writable=request.app.state.token is not None)


# ---------------------------------------------------------------- saved searches (`vigie.alerts`)

#: Filters of the search page a saved search keeps (the alerts engine reads the same keys).
SAVED_FILTERS = ("language", "source", "type")


@router.post("/search/save")
async def save_search(request: Request, stores: Stores) -> Response:
    """Save the search of the page's form (name, q, its filters) as a saved search that `vigie alerts run` and
    `vigie watch` check. A write: the form carries the server's write token (VIGIE_TOKEN), as the API's writes do;
    a read-only server (no token) answers 403, a wrong token 401."""
    body = (await request.body())[:MAX_FORM_BYTES].decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    if request.app.state.token is None:
        return render_error(request, 403, f"this server is read-only: start `vigie serve` with {TOKEN_ENV} set to "
                                          "save searches")
    if not check_token(request.app, form.get("token")):
        return render_error(request, 401, "the write token is wrong (it is the server's VIGIE_TOKEN)")
    name, query = (form.get("name") or "").strip()[:200], (form.get("q") or "").strip()[:MAX_TEXT]
    if not name or not query:
        return render_error(request, 422, "a saved search needs a name and a query")
    filters: dict[str, Any] = {k: form[k].strip() for k in SAVED_FILTERS if (form.get(k) or "").strip()}
    kinds = [k for k in (form.get("kind") or "").split(",") if k in SEARCH_KINDS]
    if kinds:
        filters["kinds"] = kinds
    with stores.open() as store:
        store.save_search(name, query, filters=filters)
    return RedirectResponse(f"/alerts?saved={quote(name)}", status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
@router.get("/alerts.json")
def alerts_page(request: Request, stores: Stores, saved: Annotated[str | None, Query(max_length=200)] = None
                ) -> Response:
    """The saved searches, what each notifies and when it was last checked."""
    with stores.open() as store:
        data = {"items": store.list_saved_searches(), "saved": saved}
    return render(request, "alerts.html", data, writable=request.app.state.token is not None)
