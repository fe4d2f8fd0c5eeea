"""How `vigie serve` runs the application under uvicorn: `uvicorn.run(app, **server_options(host, port))`.

uvicorn's HTTP/1.1 parser (h11) refuses a request head (request line and headers) over 16 KB by closing the
connection, which a client sending a long URL sees as a reset. The parser here reads heads up to
`MAX_REQUEST_HEAD`, so that the application answers what is too long with a 414 or a 431 that says the limit
(`vigie.api.app.RequestLimits`); only heads past `MAX_REQUEST_HEAD` are still refused by the server (a 400).
"""
from __future__ import annotations

from typing import Any

#: Largest request head the server reads (bytes); the application refuses anything over its own limits.
MAX_REQUEST_HEAD = 1024 * 1024


def server_options(host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run` / `uvicorn.Config` (besides the application)."""
    return {
        "host": host,
        "port": port,
        "log_level": log_level,
        # h11 whatever else is installed: its head-size limit is the one set here (httptools has its own)
        "http": "h11",
        "h11_max_incomplete_event_size": MAX_REQUEST_HEAD,
    }
