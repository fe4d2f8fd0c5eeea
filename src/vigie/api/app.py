"""The `vigie serve` application: JSON API under /api, HTML pages with .json twins, static files.

    app = create_app("news.db")                 # read-only unless VIGIE_TOKEN is set
    app = create_app("news.db", token="s3cret")  # POST /api/articles with "Authorization: Bearer s3cret"
"""
from __future__ import annotations

import asyncio
import os
import secrets
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigie.ingest.limits import MAX_INPUT_BYTES, human_size
from vigie.store import open_store
from vigie.store.base import Store
from vigie.store.common import sanitize

#: Largest request body accepted (413 above): the size limit of one input file for `vigie ingest`.
MAX_BODY_BYTES = MAX_INPUT_BYTES
TOKEN_ENV = "VIGIE_TOKEN"
#: Idle stores kept open between requests (more are opened under load, and closed after).
POOL_IDLE = 8
#: Scripts and styles only from this server's own files (the map page's vendored Leaflet and its static script): no
#: inline script or style, no eval, nothing from another origin, so nothing injected could run.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
#: Headers on every response (pages, JSON, static files, errors), unless the response sets its own.
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
)
#: Longest request target (path and query string) answered; longer gets a 414. Every free-text parameter is
#: at most 200 characters: real URLs of this site stay far below.
MAX_URL_BYTES = 16_000
#: Largest request head (target and headers) answered; larger gets a 431. The HTTP server must read heads up to
#: this size for the 414 and 431 to be sent at all (`vigie.api.server.server_options`).
MAX_HEAD_BYTES = 64_000
#: Characters of a user's input that an error message may echo.
MAX_ECHO = 100
#: Searches running at once (the others wait for a slot; see SearchSlots), and how often a waiting one looks.
SEARCH_SLOTS = 4
SEARCH_SLOT_POLL = 0.005


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


class SearchSlots:
    """At most `slots` searches run at once. The others wait for a slot in the event loop, holding no server
    thread, so that a burst of searches never leaves the rest of the site without threads; a search that gets
    no slot within its wait is a 503."""

    def __init__(self, slots: int = SEARCH_SLOTS):
        self.slots = slots
        self.running = 0
        self._lock = threading.Lock()  # a counter, not an asyncio primitive: good in any event loop

    def _take(self) -> bool:
        with self._lock:
            if self.running >= self.slots:
                return False
            self.running += 1
            return True

    def _give_back(self) -> None:
        with self._lock:
            self.running -= 1

    @asynccontextmanager
    async def slot(self, wait: float) -> AsyncIterator[None]:
        deadline = time.monotonic() + wait
        while not self._take():
            if time.monotonic() >= deadline:
                raise StarletteHTTPException(503, "too many searches at once: try again in a moment",
                                             headers={"Retry-After": "5"})
            await asyncio.sleep(SEARCH_SLOT_POLL)
        try:
            yield
        finally:
            self._give_back()


class RequestLimits:
    """ASGI middleware, before anything is read: a request target (path and query string) over `max_url_bytes`
    gets a 414, a request head over `max_head_bytes` a 431, a body announced (Content-Length) over
    `max_body_bytes` a 413 that says the limit. Streamed bodies are cut by FastAPI's own `max_body_size` check
    while they are read (its answer to an announced size is a bare text/plain "Content Too Large", hence this
    outer check)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_url_bytes: int = MAX_URL_BYTES,
                 max_head_bytes: int = MAX_HEAD_BYTES):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_url_bytes = max_url_bytes
        self.max_head_bytes = max_head_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                status, detail = refusal
                await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        path = scope.get("raw_path") or scope["path"].encode("utf-8", "replace")
        target = len(path) + len(scope.get("query_string", b""))
        if target > self.max_url_bytes:
            return 414, f"URL too long: the limit is {human_size(self.max_url_bytes)}"
        headers = scope["headers"]
        if target + sum(len(k) + len(v) + 4 for k, v in headers) > self.max_head_bytes:
            return 431, f"request headers too large: the limit is {human_size(self.max_head_bytes)}"
        declared = dict(headers).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            return 413, too_large(self.max_body_bytes)
        return None


class HeadAsGet:
    """ASGI middleware: HEAD on any GET route answers as GET would (status and headers), without the body.

    FastAPI routes declared with GET alone answer HEAD with a 405. The server (uvicorn) drops a body sent to a
    HEAD request; this drops it too, so that nothing depends on the server doing it.
    """

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_head(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_head)


class SecurityHeaders:
    """ASGI middleware, the outermost: every response gets the `SECURITY_HEADERS` it does not set itself,
    the 413/414/431 refusals above, 500s from Starlette's error middleware and static files included."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _App(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # outside every other middleware, Starlette's error middleware and FastAPI's body limit included
        # (add_middleware puts a middleware inside them)
        inner = RequestLimits(super().build_middleware_stack(), self.state.max_body_bytes)
        return SecurityHeaders(HeadAsGet(inner))


def too_large(max_bytes: int) -> str:
    return f"request body too large: the limit is {human_size(max_bytes)}"


def wants_json(request: Request) -> bool:
    """API routes, .json twins and the CSV export answer errors in JSON; pages answer with an HTML page."""
    path = request.url.path
    return path.startswith("/api/") or path.endswith((".json", ".csv"))


def shorten(value: str, limit: int = MAX_ECHO) -> str:
    """`value` as it can be shown in an error: at most `limit` characters, lone surrogates replaced."""
    value = sanitize(value)
    return value if len(value) <= limit else value[:limit] + "…"


def shown(value: str) -> str:
    """A user's value quoted for an error message, shortened: an error never echoes a whole input."""
    return repr(shorten(value))


def _echo(value: Any) -> Any:
    """A scalar input as an error may echo it (shortened); None for anything else (lists, objects)."""
    if isinstance(value, str):
        return shorten(value)
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, int):  # a 5,000-digit integer cannot even be written as JSON
        return value if abs(value) < 10**18 else f"{value:.3e}"
    return None


def safe_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors as they can be sent back: an echoed input is cut to MAX_ECHO characters (lists and
    objects are not echoed at all) and every string can be encoded (no lone surrogate)."""
    out = []
    for error in errors:
        item: dict[str, Any] = {}
        for key, value in dict(error).items():
            if key == "input":
                if _echo(value) is not None or value is None:
                    item[key] = _echo(value)
            elif key == "loc":
                item[key] = [x if isinstance(x, int) else shorten(str(x)) for x in value]
            elif key == "ctx" and isinstance(value, dict):
                item[key] = {str(k): v if isinstance(v, (bool, float)) else _echo(v) if isinstance(v, (str, int))
                             else shorten(str(v)) for k, v in value.items()}
            elif isinstance(value, str):
                item[key] = shorten(value, 500)
            else:
                item[key] = jsonable_encoder(value)
        out.append(item)
    return out


def resolve_token(token: str | None) -> str | None:
    """The write token: `token` when given, else $VIGIE_TOKEN; None (read-only) when neither is set or blank."""
    value = token if token is not None else os.environ.get(TOKEN_ENV)
    return (value.strip() or None) if value else None


def check_token(app: FastAPI, given: str | None) -> bool:
    expected = app.state.token
    return expected is not None and given is not None and secrets.compare_digest(given.encode(), expected.encode())
