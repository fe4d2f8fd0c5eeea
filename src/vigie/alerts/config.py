"""Where alerts go and how: read from the environment (see the package's docstring)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class AlertConfig:
    base_url: str = DEFAULT_BASE_URL
    webhook_secret: str | None = None
    webhook_timeout: float = 10.0
    webhook_retries: int = 2
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "vigie@localhost"
    smtp_starttls: str = "auto"  # auto | 1 | 0
    smtp_timeout: float = 20.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AlertConfig:
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = (env.get(name) or "").strip()
            return value or None

        starttls = (get("VIGIE_SMTP_STARTTLS") or "auto").lower()
        if starttls in ("true", "yes", "on"):
            starttls = "1"
        elif starttls in ("false", "no", "off"):
            starttls = "0"
        return cls(
            base_url=(get("VIGIE_BASE_URL") or DEFAULT_BASE_URL).rstrip("/"),
            webhook_secret=get("VIGIE_WEBHOOK_SECRET"),
            smtp_host=get("VIGIE_SMTP_HOST"),
            smtp_port=int(get("VIGIE_SMTP_PORT") or 25),
            smtp_user=get("VIGIE_SMTP_USER"),
            smtp_password=get("VIGIE_SMTP_PASSWORD"),
            smtp_from=get("VIGIE_SMTP_FROM") or "vigie@localhost",
            smtp_starttls=starttls if starttls in ("auto", "1", "0") else "auto",
        )

    def article_link(self, article_id: str) -> str:
        return f"{self.base_url}/articles/{quote(article_id, safe='')}"

    def search_link(self, query: str, filters: Mapping[str, object] | None = None) -> str:
        params: list[tuple[str, str]] = [("q", query)]
        for key, value in (filters or {}).items():
            if isinstance(value, (list, tuple)):
                params += [(key, str(v)) for v in value]
            elif value:
                params.append((key, str(value)))
        return f"{self.base_url}/search?{urlencode(params)}"

    def page_link(self, dimension: str, name: str) -> str:
        """The web page of an entity, a place or an event type."""
        if dimension == "entity":
            return f"{self.base_url}/entities/{quote(name, safe='')}"
        if dimension == "place":
            return f"{self.base_url}/places/{quote(name, safe='')}"
        return f"{self.base_url}/events?{urlencode({'type': name})}"
