"""The `vigie serve` application: JSON API under /api, HTML pages with .json twins, static files.

    app = create_app("news.db")                 # read-only unless VIGIE_TOKEN is set
    app = create_app("news.db", token="s3cret")  # POST /api/articles with "Authorization: Bearer s3cret"
"""
from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from vigie import __version__
from vigie.ingest.limits import MAX_INPUT_BYTES, human_size
from vigie.store import open_store
from vigie.store.base import Store

#: Largest request body accepted (413 above): the size limit of one input file for `vigie ingest`.
MAX_BODY_BYTES = MAX_INPUT_BYTES
TOKEN_ENV = "VIGIE_TOKEN"
#: Idle stores kept open between requests (more are opened under load, and closed after).
POOL_IDLE = 8
#: The pages run no script at all; this policy makes sure nothing injected could run either.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class StorePool:
    """Stores for requests: each request takes an idle store (or opens one) and gives it back after.

    A store serialises its own statements with a lock, so one shared store would do, but every request would
    then wait for the one before; with a store per concurrent request SQLite's WAL mode lets readers run beside
    each other and beside a writer, and PostgreSQL gets one connection per concurrent request, reused.
    An in-memory SQLite database exists only in its one connection, so it is shared.
    """

    def __init__(self, url: str, max_idle: int = POOL_IDLE):
        self.url = url
        self.max_idle = max_idle
        self._idle: list[Store] = []
        self._lock = threading.Lock()
        self._closed = False
        self._shared: Store | None = open_store(url) if _in_memory(url) else None

    @contextmanager
    def open(self) -> Iterator[Store]:
        if self._shared is not None:
            yield self._shared
            return
        with self._lock:
            store = self._idle.pop() if self._idle else None
        if store is None:
            store = open_store(self.url)
        reusable = False
        try:
            yield store
            reusable = True
        except StarletteHTTPException:  # a 404 or 400 decided by the handler: the store itself is fine
            reusable = True
            raise
        finally:
            with self._lock:
                if reusable and not self._closed and len(self._idle) < self.max_idle:
                    self._idle.append(store)
                    store = None
            if store is not None:
                store.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()
        if self._shared is not None:
            self._shared.close()


def _in_memory(url: str) -> bool:
    return url in (":memory:", "sqlite://", "sqlite:///") or url.startswith("file::memory:")


class DeclaredSizeLimit:
    """ASGI middleware: a body announced (Content-Length) over the limit gets a 413 that says the limit, before
    anything is read. Streamed bodies are cut by FastAPI's own `max_body_size` check while they are read (its
    answer to an announced size is a bare text/plain "Content Too Large", hence this outermost check)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > self.max_bytes:
                await JSONResponse({"detail": too_large(self.max_bytes)}, status_code=413)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _App(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # outside every other middleware, FastAPI's body limit included (add_middleware puts it inside)
        return DeclaredSizeLimit(super().build_middleware_stack(), self.state.max_body_bytes)


def too_large(max_bytes: int) -> str:
    return f"request body too large: the limit is {human_size(max_bytes)}"


def wants_json(request: Request) -> bool:
    """API routes, .json twins and the CSV export answer errors in JSON; pages answer with an HTML page."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv"))


def _security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if response.headers.get("content-type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response


def _error_handlers(app: FastAPI) -> None:
    from vigie.web.pages import render_error

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = too_large(app.state.max_body_bytes) if exc.status_code == 413 else exc.detail
        if wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)
        return render_error(request, exc.status_code, str(detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = jsonable_encoder(exc.errors())
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        lines = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in errors]
        return render_error(request, 422, "; ".join(lines))


def resolve_token(token: str | None) -> str | None:
    """The write token: `token` when given, else $VIGIE_TOKEN; None (read-only) when neither is set or blank."""
    value = token if token is not None else os.environ.get(TOKEN_ENV)
    return (value.strip() or None) if value else None


def check_token(app: FastAPI, given: str | None) -> bool:
    expected = app.state.token
    return expected is not None and given is not None and secrets.compare_digest(given.encode(), expected.encode())


def create_app(
    store_url: str, token: str | None = None, *, max_body_bytes: int = MAX_BODY_BYTES, warm_nlp: bool = False
) -> FastAPI:
    """The FastAPI application over the store at `store_url` (a SQLite path, sqlite:/// or postgresql:// URL).

    `token` enables writes (POST /api/articles with `Authorization: Bearer <token>`); by default it is read
    from $VIGIE_TOKEN, and without one the server is read-only. Request bodies over `max_body_bytes` get a 413.
    `warm_nlp` loads the NLP pipelines in the background at startup when writes are enabled, so that the first
    POST does not wait for the French model.
    """
    from vigie.api.routes import router as api_router
    from vigie.web.pages import router as pages_router

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
    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(packages=[("vigie.web", "static")]), name="static")
    _error_handlers(app)
    _security_headers(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    return app
