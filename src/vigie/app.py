"""The `vigie serve` application: assembles the JSON API (`vigie.api`) and the HTML pages (`vigie.web`).

It sits above both packages so that neither imports the other back: the pages use the API's helpers, the API
knows nothing of the pages.
"""
from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from vigie import __version__
from vigie.api.app import (
    MAX_BODY_BYTES,
    SearchSlots,
    StorePool,
    _App,
    resolve_token,
    safe_errors,
    shorten,
    too_large,
    wants_json,
)
from vigie.api.routes import router as api_router
from vigie.store.search import SEARCH_TIMEOUT
from vigie.web.pages import render_error
from vigie.web.pages import router as pages_router
from vigie.web.search_pages import router as search_router


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = too_large(app.state.max_body_bytes) if exc.status_code == 413 else exc.detail
        if isinstance(detail, str):
            detail = shorten(detail, 500)
        if wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
        return render_error(request, exc.status_code, str(detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = safe_errors(exc.errors())
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        lines = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in errors]
        return render_error(request, 422, "; ".join(lines))

    @app.exception_handler(500)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette's error middleware answers with this, then re-raises the exception for the server's log
        if wants_json(request):
            return JSONResponse({"detail": "internal server error"}, status_code=500)
        try:
            return render_error(request, 500, "internal server error")
        except Exception:  # noqa: BLE001 - the error page itself failed: plain text will do
            return PlainTextResponse("internal server error", status_code=500)


def create_app(
    store_url: str, token: str | None = None, *, max_body_bytes: int = MAX_BODY_BYTES, warm_nlp: bool = False,
    search_timeout: float = SEARCH_TIMEOUT,
) -> FastAPI:
    """The FastAPI application over the store at `store_url` (a SQLite path, sqlite:/// or postgresql:// URL).

    `token` enables writes (POST /api/articles with `Authorization: Bearer <token>`); by default it is read
    from $VIGIE_TOKEN, and without one the server is read-only. Request bodies over `max_body_bytes` get a 413.
    `warm_nlp` loads the NLP pipelines in the background at startup when writes are enabled, so that the first
    POST does not wait for the French model. A search running past `search_timeout` seconds is stopped (503).
    """
    pool = StorePool(store_url)
    with pool.open():  # a bad path or URL fails here, not on the first request
        pass

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        if warm_nlp and app.state.token is not None:
            from vigie.api.ingest import warm_up

            threading.Thread(target=warm_up, name="vigie-warm-nlp", daemon=True).start()
        yield
        pool.close()

    app = _App(
        lifespan=lifespan,
        title="vigie",
        version=__version__,
        summary="What the news says, as structured records: articles, entities, quotes, events, places.",
        # FastAPI's /docs and /redoc load their scripts from a CDN; this server works offline, so the API is
        # described by /openapi.json and the /api page instead.
        docs_url=None,
        redoc_url=None,
        max_body_size=max_body_bytes,  # streamed bodies: 413 once they pass it
    )
    app.state.stores = pool
    app.state.token = resolve_token(token)
    app.state.max_body_bytes = max_body_bytes
    app.state.search_timeout = search_timeout
    app.state.search_slots = SearchSlots()
    app.include_router(api_router)
    app.include_router(search_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(packages=[("vigie.web", "static")]), name="static")
    _error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    return app
