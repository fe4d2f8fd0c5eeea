"""HTTP API and web UI of `vigie serve` (FastAPI): `create_app(store_url, token=None)`."""
from __future__ import annotations

from vigie.api.app import create_app

__all__ = ["create_app"]
