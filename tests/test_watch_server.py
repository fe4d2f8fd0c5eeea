"""A local news site for the `vigie watch` tests (feeds, sitemaps, pages, robots.txt, slow and broken answers on
127.0.0.1), and the tests of the HTTP layer (`vigie.watch.http`) against it. Nothing here goes to the network.

Other test_watch_* modules import `NewsSite`, `site_fixture` (the `site` fixture), the document makers (`rss`,
`atom`, `urlset`, `sitemap_index`, `article_html`) and `FAST` from here.
"""
from __future__ import annotations

import gzip
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vigie import __version__
from vigie.watch.http import DEFAULT_USER_AGENT, Fetcher, HttpSettings, parse_retry_after, robots_agent

#: HTTP settings that keep the tests fast: short timeouts, one quick retry, no politeness delay.
FAST = HttpSettings(timeout=0.3, connect_timeout=0.3, body_timeout=2.0, retries=1, backoff=0.01, max_backoff=0.05,
                    delay=0.0, trust_env=False)
#: How long the slow answers take: well past FAST's timeout.
SLOW = 1.5


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    handler: Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]] | None = None


class NewsSite:
    """A threaded HTTP server whose answers the tests set path by path (unknown paths: 404)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str], float]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                site._serve(self)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:  # a client that gave up
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), name="news-site", daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: bytes | str = b"", **kw: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **kw)  # type: ignore[arg-type]
        return self.url(path)

    def hit(self, path: str) -> int:
        with self._lock:
            return self.hits[path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        headers = {k.lower(): v for k, v in req.headers.items()}
        with self._lock:
            self.hits[req.path] += 1
            self.requests.append((req.path, headers, time.monotonic()))
        route = self.routes.get(req.path)
        try:
            if route is None:
                self._send(req, 404, {"Content-Type": "text/plain"}, b"not found")
                return
            if route.delay:
                time.sleep(route.delay)
            if route.handler is not None:
                status, extra, body = route.handler(req)
                self._send(req, status, extra, body)
                return
            out = {"Content-Type": route.content_type, **route.headers}
            if route.etag:
                out["ETag"] = route.etag
            if route.last_modified:
                out["Last-Modified"] = route.last_modified
            if (route.etag and headers.get("if-none-match") == route.etag) or (
                route.last_modified and headers.get("if-modified-since") == route.last_modified
            ):
                self._send(req, 304, {k: v for k, v in out.items() if k != "Content-Type"}, b"")
                return
            self._send(req, route.status, out, route.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes) -> None:
        req.send_response(status)
        for k, v in headers.items():
            req.send_header(k, v)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        if body and status != 304:
            req.wfile.write(body)


@pytest.fixture(name="site")
def site_fixture() -> Iterator[NewsSite]:
    """The local news site, empty (every path a 404 until a test sets it). Import `site_fixture` to use `site`."""
    s = NewsSite()
    yield s
    s.close()


# ---------------------------------------------------------------------------------------------- French pages

_SUBJECTS = ["Le maire de Lyon", "La préfecture du Rhône", "Le conseil régional de Bretagne", "La ministre de la Santé",
             "Le syndicat des cheminots", "L'association des riverains", "Le tribunal de Rennes", "La mairie de Nantes",
             "Le recteur de l'académie de Lille", "La direction de l'hôpital de Brest", "Le président du département",
             "Les pompiers de la Gironde"]
_VERBS = ["a annoncé", "a présenté", "a dénoncé", "a confirmé", "a repoussé", "a défendu", "a critiqué", "a voté",
          "a suspendu", "a inauguré", "a détaillé", "a contesté"]
_OBJECTS = ["un plan de rénovation des écoles", "la fermeture d'une ligne de bus", "un budget de douze millions d'euros",
            "la construction d'un nouveau pont", "une grève de trois jours", "des contrôles renforcés sur l'autoroute",
            "la création d'un centre de santé", "un projet de piste cyclable", "la hausse des tarifs de la cantine",
            "un dispositif d'aide aux commerçants", "la réouverture de la piscine municipale",
            "un accord avec les agriculteurs"]
_WHEN = ["mardi matin", "lundi soir", "ce week-end", "jeudi après-midi", "au début du mois", "vendredi dernier",
         "mercredi", "dimanche", "en fin de journée", "la semaine dernière", "samedi", "hier"]


def french_text(seed: int, sentences: int = 8) -> list[str]:
    """Paragraphs of plausible French news sentences, different for every seed (no two pages are copies)."""
    rng = random.Random(seed)
    out = []
    for i in range(sentences):
        out.append(f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_WHEN)} {rng.choice(_OBJECTS)}, "
                   f"selon un communiqué publié sous le numéro {seed * 100 + i} et consulté par notre rédaction.")
    return out


def article_html(title: str, seed: int, published: str | None = "2024-03-12") -> str:
    meta = f'<meta property="article:published_time" content="{published}T08:00:00+01:00">' if published else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in french_text(seed))
    return (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>{meta}</head>'
            f"<body><header><nav>Accueil | Politique | Société</nav></header><main><article><h1>{title}</h1>"
            f"{paragraphs}</article></main><footer>© Le Journal de test</footer></body></html>")


def rss(site: NewsSite, items: list[tuple[str, str]], title: str = "Le Journal de test") -> str:
    """An RSS 2.0 feed of (path, title) items, newest first."""
    entries = "".join(
        f"<item><title>{t}</title><link>{site.url(p)}</link><guid>{site.url(p)}</guid>"
        f"<pubDate>{formatdate(1710230400 + 3600 * i, usegmt=True)}</pubDate></item>"
        for i, (p, t) in enumerate(items)
    )
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{site.base}/</link><description>Les dernières nouvelles</description>{entries}</channel></rss>")


def atom(site: NewsSite, items: list[tuple[str, str]]) -> str:
    entries = "".join(
        f'<entry><title>{t}</title><link rel="alternate" href="{p}"/><id>urn:test:{p}</id>'
        f"<updated>2024-03-1{i % 9}T10:00:00+01:00</updated></entry>"
        for i, (p, t) in enumerate(items)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="{site.base}/">'
            f"<title>Le Fil Atom</title><id>urn:test:feed</id><updated>2024-03-12T10:00:00Z</updated>{entries}</feed>")


def urlset(site: NewsSite, items: list[tuple[str, str]], news: bool = True) -> str:
    rows = "".join(
        f"<url><loc>{site.url(p)}</loc><lastmod>2024-03-1{i % 9}</lastmod>"
        + (f"<news:news><news:publication><news:name>Le Journal</news:name><news:language>fr</news:language>"
           f"</news:publication><news:publication_date>2024-03-1{i % 9}T09:00:00+01:00</news:publication_date>"
           f"<news:title>{t}</news:title></news:news>" if news else "")
        + "</url>"
        for i, (p, t) in enumerate(items)
    )
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{rows}</urlset>')


def sitemap_index(site: NewsSite, paths: list[str]) -> str:
    rows = "".join(f"<sitemap><loc>{site.url(p)}</loc><lastmod>2024-03-1{i}</lastmod></sitemap>"
                   for i, p in enumerate(paths))
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>')


def gz(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------- the HTTP layer


def fetcher(**kw: object) -> Fetcher:
    from dataclasses import replace

    return Fetcher(replace(FAST, **kw))  # type: ignore[arg-type]


def test_user_agent_names_vigie_and_its_version(site):
    site.set("/a", "ok")
    with fetcher() as f:
        assert f.fetch(site.url("/a")).ok
    agent = site.requests[-1][1]["user-agent"]
    assert agent == DEFAULT_USER_AGENT and agent.startswith(f"vigie/{__version__} (")
    assert robots_agent(agent) == "vigie"


def test_conditional_get_gives_not_modified(site):
    url = site.set("/feed", "<rss/>", content_type="application/rss+xml", etag='"v1"',
                   last_modified="Tue, 12 Mar 2024 08:00:00 GMT")
    with fetcher() as f:
        first = f.fetch(url)
        assert first.ok and first.etag == '"v1"' and first.last_modified.endswith("GMT")
        again = f.fetch(url, etag=first.etag, last_modified=first.last_modified)
        assert again.not_modified and not again.ok and again.content == b""
        assert site.requests[-1][1]["if-none-match"] == '"v1"'


def test_retries_on_500_then_succeeds(site):
    calls = []

    def flaky(req):
        calls.append(1)
        return (500, {}, b"oops") if len(calls) < 2 else (200, {"Content-Type": "text/plain"}, b"fine")

    url = site.set("/flaky", handler=flaky)
    with fetcher() as f:
        result = f.fetch(url)
    assert result.ok and result.content == b"fine" and result.tries == 2 and len(calls) == 2


def test_persistent_500_is_a_transient_failure(site):
    url = site.set("/down", "no", status=503)
    with fetcher(retries=2) as f:
        result = f.fetch(url)
    assert not result.ok and result.error == "HTTP 503" and result.transient and result.tries == 3
    assert site.hit("/down") == 3


def test_404_is_not_retried(site):
    with fetcher() as f:
        result = f.fetch(site.url("/missing"))
    assert result.status == 404 and not result.transient and site.hit("/missing") == 1


def test_429_retry_after(site):
    short = site.set("/busy", "later", status=429, headers={"Retry-After": "0"})
    long = site.set("/very-busy", "later", status=429, headers={"Retry-After": "3600"})
    with fetcher() as f:
        assert f.fetch(short).tries == 2
        result = f.fetch(long)
    assert result.tries == 1 and result.transient and result.retry_after == 3600
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0
    assert parse_retry_after("soon") is None


def test_slow_answer_times_out(site):
    url = site.set("/slow", "late", delay=SLOW)
    t0 = time.monotonic()
    with fetcher(retries=0) as f:
        result = f.fetch(url)
    assert not result.ok and result.transient and "timed out" in result.error
    assert time.monotonic() - t0 < SLOW


def test_connection_refused_is_transient():
    with fetcher(retries=0) as f:
        result = f.fetch("http://127.0.0.1:9/nothing")  # the discard port: nobody listens
    assert not result.ok and result.transient and result.status is None


def test_redirects_followed_within_a_limit(site):
    site.set("/old", status=301, headers={"Location": "/new"})
    site.set("/new", "arrived")
    site.set("/loop", status=302, headers={"Location": "/loop"})
    with fetcher() as f:
        moved = f.fetch(site.url("/old"))
        loop = f.fetch(site.url("/loop"))
    assert moved.ok and moved.content == b"arrived" and moved.final_url == site.url("/new")
    assert not loop.ok and "redirects" in loop.error and not loop.transient
    assert site.hit("/loop") == FAST.max_redirects + 1


def test_size_limit_stops_the_read(site):
    big = site.set("/big", b"x" * 100_000)
    with fetcher(max_bytes=10_000) as f:
        result = f.fetch(big)
    assert not result.ok and result.refused and "too large" in result.error


def test_robots_txt_obeyed_and_read_once_per_poll(site):
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.set("/private/page", "secret")
    site.set("/public/page", "hello")
    with fetcher() as f:
        refused = f.fetch(site.url("/private/page"))
        assert refused.refused and refused.error == "disallowed by robots.txt" and not refused.transient
        assert f.fetch(site.url("/public/page")).ok
        assert site.hit("/robots.txt") == 1 and site.hit("/private/page") == 0
        f.new_poll()
        assert f.fetch(site.url("/public/page")).ok
        assert site.hit("/robots.txt") == 2


def test_robots_groups_match_the_user_agent_token(site):
    site.set("/robots.txt", "User-agent: vigie\nDisallow: /\n\nUser-agent: *\nAllow: /\n", content_type="text/plain")
    site.set("/page", "hello")
    with fetcher() as f:
        assert f.fetch(site.url("/page")).refused
    with fetcher(user_agent="otherbot/1.0") as f:
        assert f.fetch(site.url("/page")).ok


def test_robots_txt_errors(site):
    site.set("/page", "hello")
    site.set("/robots.txt", "gone", status=410)  # 4xx: no robots.txt, everything allowed
    with fetcher() as f:
        assert f.fetch(site.url("/page")).ok
    site.set("/robots.txt", "broken", status=500)  # 5xx: nothing allowed for this poll
    with fetcher() as f:
        result = f.fetch(site.url("/page"))
        assert not result.ok and result.transient and "robots.txt unavailable" in result.error
    site.set("/robots.txt", "slow", delay=SLOW)  # unreachable: allowed
    with fetcher(retries=0) as f:
        assert f.fetch(site.url("/page")).ok


def test_politeness_delay_between_requests_to_one_host(site):
    site.set("/a", "a")
    with fetcher(delay=0.2, robots=False) as f:
        for _ in range(3):
            assert f.fetch(site.url("/a")).ok
    times = [t for path, _, t in site.requests if path == "/a"]
    assert all(b - a >= 0.18 for a, b in zip(times, times[1:], strict=False))


def test_crawl_delay_of_robots_txt_is_obeyed_up_to_a_cap(site):
    site.set("/robots.txt", "User-agent: *\nCrawl-delay: 60\n", content_type="text/plain")
    site.set("/a", "a")
    with fetcher(max_delay=0.2) as f:
        for _ in range(2):
            assert f.fetch(site.url("/a")).ok
    times = [t for path, _, t in site.requests if path == "/a"]
    assert 0.15 <= times[1] - times[0] < 5  # the server sees arrivals: a loaded machine moves each by a few ms


def test_stop_ends_waits_and_fetches(site):
    site.set("/a", "a")
    with fetcher(delay=30.0, robots=False) as f:
        assert f.fetch(site.url("/a")).ok
        threading.Timer(0.1, f.stop).start()
        t0 = time.monotonic()
        result = f.fetch(site.url("/a"))  # would wait 30 s for its turn
    assert result.error == "stopped" and time.monotonic() - t0 < 5
