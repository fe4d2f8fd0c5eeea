"""An alert: what `vigie.alerts.engine.check` found for one saved search, ready to notify."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Alert:
    search: str  # the saved search's name
    query: str
    kind: str  # "matches" (new matches) or "spike"
    title: str  # one line
    link: str  # the web page of the search, or of the thing that spiked
    articles: list[dict[str, Any]] = field(default_factory=list)  # id, title, url, source, published, link
    counts: dict[str, int] = field(default_factory=dict)  # matches by kind (article, quote, entity, event)
    spike: dict[str, Any] | None = None  # dimension, name, day, today, mean, sd, threshold
    #: What alerts_sent records: (kind, item_key, article_id).
    items: list[tuple[str, str, str | None]] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        """The JSON a webhook receives."""
        return {"search": self.search, "query": self.query, "kind": self.kind, "title": self.title,
                "link": self.link, "counts": self.counts, "spike": self.spike, "articles": self.articles}

    def text(self) -> str:
        """The plain-text body of an e-mail."""
        lines = [self.title, "", f"Search: {self.query}", f"Open: {self.link}", ""]
        for a in self.articles:
            head = " - ".join(x for x in (a.get("published"), a.get("source")) if x)
            lines.append(f"* {a.get('title') or a['id']}" + (f" ({head})" if head else ""))
            lines.append(f"  {a['link']}")
            if a.get("url"):
                lines.append(f"  source: {a['url']}")
        return "\n".join(lines) + "\n"
