"""HTTP for `vigie watch`: one polite, bounded client over httpx.

    fetcher = Fetcher(HttpSettings(delay=1.0))
    page = fetcher.fetch("https://exemple.fr/article", etag=stored_etag)
    if page.not_modified: ...          # 304: the stored copy is current
    elif page.ok: page.content          # at most `max_bytes`, redirects followed
    else: page.error, page.transient    # why, and whether a later try may succeed

What it guarantees, whatever the server does: a connect timeout and a read timeout, and a deadline for the whole
body (a server trickling bytes cannot hold a poll); at most `max_bytes` read (the body is streamed and the read
stops there, compressed or not); redirects followed up to `max_redirects`, http and https only; retries with
exponential backoff and jitter on connection errors, timeouts, 408, 429 and 5xx (a Retry-After of at most
`max_retry_after` seconds is waited, a longer one ends the tries); one request at a time per host, `delay` seconds
apart (longer when robots.txt asks for a Crawl-delay, up to `max_delay`); robots.txt obeyed (RFC 9309), read once
per host per poll. It never raises for what a server does: every failure is a `FetchResult` with a reason.
"""
from __future__ import annotations

import random
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from vigie.ingest.limits import MAX_INPUT_BYTES
from vigie.watch import DEFAULT_USER_AGENT

__all__ = ["DEFAULT_USER_AGENT", "FetchResult", "Fetcher", "HttpSettings"]
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: Statuses worth trying again later: the server is busy, overloaded or down for a while.
_TRANSIENT_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: robots.txt is read up to this size (RFC 9309 asks for at least 500 KiB); the rest is ignored.
ROBOTS_MAX_BYTES = 512 * 1024
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
DOCUMENT_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
)


@dataclass(slots=True)
class HttpSettings:
    timeout: float = 20.0  # seconds without a byte from the server (read), and to send the request
    connect_timeout: float = 10.0
    body_timeout: float | None = None  # seconds for a whole answer; None: 3 x timeout
    retries: int = 2  # tries after the first one, on transient failures
    backoff: float = 1.0  # seconds before the first retry, doubled at each one, plus up to 50 % jitter
    max_backoff: float = 30.0
    max_retry_after: float = 30.0  # a longer Retry-After ends the tries (a later poll tries again)
    delay: float = 1.0  # seconds between two requests to one host
    max_delay: float = 30.0  # the longest robots.txt Crawl-delay obeyed
    max_redirects: int = 5
    max_bytes: int = MAX_INPUT_BYTES  # what a page may weigh: what `vigie ingest` reads of a file
    user_agent: str = DEFAULT_USER_AGENT
    robots: bool = True  # obey robots.txt
    trust_env: bool = True  # HTTP(S)_PROXY and friends from the environment


@dataclass(slots=True)
class FetchResult:
    """What one fetch gave: the content of a 2xx answer, a 304, or an error with its reason."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int | None = None  # the last answer's HTTP status; None when there was none
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    content: bytes = b""
    error: str | None = None
    transient: bool = False  # the error may go away (a timeout, a 503...): worth another try later
    retry_after: float | None = None  # seconds, from a 429 or 503's Retry-After
    truncated: bool = False  # the body was cut at the size limit (only when asked to)
    refused: bool = False  # not fetched or not read on purpose: robots.txt, the size limit, not http(s)
    tries: int = 1  # requests sent for it (retries included)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.error is None and self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        """The media type of the answer, lower-case, without parameters ("" when not given)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


class Stopped(Exception):
    """The fetcher was stopped (Ctrl-C, SIGTERM): nothing more is fetched."""


def host_key(url: str) -> str:
    """scheme://host[:port] of a URL: what robots.txt and the politeness delay apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc.rsplit('@', 1)[-1]).lower()}"


def robots_agent(user_agent: str) -> str:
    """The product token robots.txt groups are matched against ("vigie" for "vigie/0.1.0 (+https://...)")."""
    token = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return token or "vigie"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class _Robots:
    """robots.txt of one host for one poll: rules to match, everything allowed, or nothing (5xx)."""

    def __init__(self, parser: urllib.robotparser.RobotFileParser | None, disallow_all: bool = False,
                 why: str | None = None) -> None:
        self.parser = parser
        self.disallow_all = disallow_all
        self.why = why

    def allowed(self, agent: str, url: str) -> bool:
        if self.disallow_all:
            return False
        return True if self.parser is None else self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        try:
            value = self.parser.crawl_delay(agent)
        except (TypeError, ValueError):
            return None
        return float(value) if value is not None else None


class Fetcher:
    """A polite HTTP client shared by the threads of a poll; `new_poll()` forgets the robots.txt read so far."""

    def __init__(self, settings: HttpSettings | None = None, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings or HttpSettings()
        s = self.settings
        self.agent = robots_agent(s.user_agent)
        self.stop_event = threading.Event()
        self._client = httpx.Client(
            headers={"User-Agent": s.user_agent},
            timeout=httpx.Timeout(s.timeout, connect=s.connect_timeout),
            follow_redirects=False,  # followed here, so that robots.txt and the delay apply to every hop
            trust_env=s.trust_env,
            transport=transport,
        )
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}  # host -> when its next request may start (monotonic)
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self.requests = 0  # HTTP requests sent (robots.txt included), for the logs and the tests

    # ------------------------------------------------------------------ lifecycle

    def new_poll(self) -> None:
        """Read robots.txt again on the next request to each host (they are cached for one poll)."""
        with self._lock:
            self._robots.clear()
            self._robots_locks.clear()

    def stop(self) -> None:
        """Make every wait end now and every later fetch fail with reason "stopped"."""
        self.stop_event.set()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ fetching

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              max_bytes: int | None = None, accept: str = PAGE_ACCEPT) -> FetchResult:
        """GET `url` (conditional when a validator is given), retried on transient failures."""
        s = self.settings
        attempt = 0
        while True:
            try:
                result = self._fetch_once(url, etag=etag, last_modified=last_modified,
                                          max_bytes=max_bytes or s.max_bytes, accept=accept)
            except Stopped:
                return FetchResult(url, url, error="stopped", transient=True)
            result.tries = attempt + 1
            if result.error is None or not result.transient or attempt >= s.retries:
                return result
            wait = self._retry_wait(result, attempt)
            if wait is None or self.stop_event.wait(wait):
                return result
            attempt += 1

    def _retry_wait(self, result: FetchResult, attempt: int) -> float | None:
        s = self.settings
        if result.retry_after is not None:
            return result.retry_after if result.retry_after <= s.max_retry_after else None
        base = min(s.max_backoff, s.backoff * (2**attempt))
        return min(s.max_backoff, base * (1 + random.uniform(0, 0.5)))

    def _fetch_once(self, url: str, *, etag: str | None, last_modified: str | None, max_bytes: int,
                    accept: str, robots: bool = True, truncate: bool = False) -> FetchResult:
        s = self.settings
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(s.max_redirects + 1):
            if urlsplit(current).scheme.lower() not in ("http", "https"):
                return FetchResult(url, current, error=f"not an http(s) URL: {current}", refused=True)
            if robots and s.robots:
                verdict = self._robots_for(current)
                if not verdict.allowed(self.agent, current):
                    if verdict.disallow_all:  # robots.txt answered 5xx: a later poll may be let in
                        return FetchResult(url, current, error=f"robots.txt unavailable ({verdict.why})",
                                           transient=True)
                    return FetchResult(url, current, error="disallowed by robots.txt", refused=True)
            self._wait_turn(current)
            result = self._request(url, current, headers, max_bytes, truncate)
            if result.status in _REDIRECTS and result.error is None:
                location = result.headers.get("location")
                if not location:
                    return FetchResult(url, current, result.status, result.headers,
                                       error=f"HTTP {result.status} without a Location")
                current = urljoin(current, location.strip())
                continue
            return result
        return FetchResult(url, current, error=f"more than {s.max_redirects} redirects")

    def _request(self, url: str, current: str, headers: dict[str, str], max_bytes: int,
                 truncate: bool) -> FetchResult:
        s = self.settings
        deadline = time.monotonic() + (s.body_timeout if s.body_timeout is not None else 3 * s.timeout)
        with self._lock:
            self.requests += 1
        try:
            with self._client.stream("GET", current, headers=headers) as resp:
                got = {k.lower(): v for k, v in resp.headers.items()}
                status = resp.status_code
                result = FetchResult(url, str(resp.url), status, got)
                if status in _REDIRECTS or status == 304:
                    return result
                if status >= 400:
                    result.error = f"HTTP {status}"
                    result.transient = status in _TRANSIENT_STATUSES
                    result.retry_after = parse_retry_after(got.get("retry-after")) if result.transient else None
                    return result
                declared = got.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes and not truncate:
                    result.error = f"too large: {int(declared):,} bytes > {max_bytes:,}"
                    result.refused = True
                    return result
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    if self.stop_event.is_set():
                        raise Stopped()
                    size += len(chunk)
                    if size > max_bytes:
                        if truncate:
                            chunks.append(chunk[: max_bytes - (size - len(chunk))])
                            result.truncated = True
                            break
                        result.error = f"too large: more than {max_bytes:,} bytes"
                        result.refused = True
                        return result
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        result.error = "too slow: the answer took longer than allowed"
                        result.transient = True
                        return result
                result.content = b"".join(chunks)
                return result
        except httpx.TimeoutException as exc:
            return FetchResult(url, current, error=f"timed out ({type(exc).__name__})", transient=True)
        except (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.InvalidURL) as exc:
            return FetchResult(url, current, error=f"bad request: {exc}")
        except httpx.DecodingError as exc:
            return FetchResult(url, current, error=f"undecodable answer: {exc}")
        except httpx.TransportError as exc:  # connection refused or reset, DNS, broken protocol
            return FetchResult(url, current, error=f"connection failed ({type(exc).__name__}: {exc})".strip(),
                               transient=True)
        except httpx.HTTPError as exc:
            return FetchResult(url, current, error=f"HTTP error ({type(exc).__name__}: {exc})", transient=True)

    # ------------------------------------------------------------------ politeness

    def _wait_turn(self, url: str) -> None:
        """Wait until this host's next request may start, and book the slot after it."""
        key = host_key(url)
        delay = self.settings.delay
        robots = self._robots.get(key)
        if robots is not None:
            asked = robots.crawl_delay(self.agent)
            if asked is not None:
                delay = max(delay, min(asked, self.settings.max_delay))
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(key, 0.0))
            self._next_slot[key] = slot + delay
        if self.stop_event.is_set() or (slot > now and self.stop_event.wait(slot - now)):
            raise Stopped()

    # ------------------------------------------------------------------ robots.txt (RFC 9309)

    def _robots_for(self, url: str) -> _Robots:
        key = host_key(url)
        with self._lock:
            found = self._robots.get(key)
            if found is not None:
                return found
            lock = self._robots_locks.setdefault(key, threading.Lock())
        with lock:  # one thread reads a host's robots.txt; the others wait for it
            with self._lock:
                found = self._robots.get(key)
            if found is None:
                found = self._read_robots(key)
                with self._lock:
                    self._robots[key] = found
        return found

    def _read_robots(self, key: str) -> _Robots:
        """A 2xx gives rules; a 4xx (no robots.txt) or no answer at all allows everything; a 5xx disallows
        everything for this poll."""
        result = self._fetch_once(f"{key}/robots.txt", etag=None, last_modified=None, max_bytes=ROBOTS_MAX_BYTES,
                                  accept="text/plain,*/*;q=0.5", robots=False, truncate=True)
        if result.ok:
            parser = urllib.robotparser.RobotFileParser(f"{key}/robots.txt")
            parser.parse(result.content.decode("utf-8", "replace").splitlines())
            return _Robots(parser)
        if result.status is not None and 500 <= result.status < 600:
            return _Robots(None, disallow_all=True, why=f"HTTP {result.status}")
        return _Robots(None)
