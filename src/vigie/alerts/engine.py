"""`check(store, now)`: run every saved search, notify what is new (see the package's docstring)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from vigie.alerts.config import AlertConfig
from vigie.alerts.model import Alert
from vigie.alerts.notify import NotifyError, channels, deliver
from vigie.alerts.spikes import find_spikes

#: Hits read per page of `search_all`, and at most, per saved search and check.
PAGE = 200
MAX_HITS = 5000
#: Articles listed in one alert (the counts say how many matched).
MAX_ARTICLES = 50
FILTER_KEYS = ("kinds", "language", "source", "type")


@dataclass(slots=True)
class Sent:
    """One alert through one channel: ok, or the error."""

    alert: Alert
    channel: str
    ok: bool
    error: str | None = None
    dry_run: bool = False

    def line(self) -> str:
        what = f"{self.alert.search}: {self.alert.title} -> {self.channel}"
        if self.dry_run:
            return f"would send {what}"
        return f"sent {what}" if self.ok else f"FAILED {what} ({self.error})"


def _article(row: dict[str, Any], config: AlertConfig) -> dict[str, Any]:
    return {"id": row["id"], "title": row.get("title"), "url": row.get("url"), "source": row.get("source"),
            "published": row.get("published"), "link": config.article_link(row["id"])}


def new_matches(store: Any, search: dict[str, Any], top: int) -> tuple[list[tuple[str, str, str]], list[dict[str, Any]]]:
    """The matches of a saved search among the articles stored after its mark up to the seq `top`: (kind, item_key,
    article_id), and those articles (in ingestion order)."""
    after = int(search["last_seq"])
    new = [r for r in store.articles_after(after) if int(r["seq"]) <= top]
    if not new:
        return [], []
    by_id = {r["id"]: r for r in new}
    filters = {k: v for k, v in (search.get("filters") or {}).items() if k in FILTER_KEYS and v}
    days = [str(r.get("published") or "")[:10] for r in new]
    if all(len(d) == 10 for d in days):
        filters["date_from"] = min(days)  # the search reads only days that new articles can be on
    items: list[tuple[str, str, str]] = []
    entities: set[str] = set()
    offset = 0
    while offset < MAX_HITS:
        page = store.search_all(search["query"], limit=PAGE, offset=offset, **filters)
        for hit in page["items"]:
            if hit["kind"] == "entity":
                entities.add(hit["canonical"])
            elif hit["id"] in by_id:
                key = hit["id"] if hit["kind"] == "article" else f"{hit['id']}:{hit['idx']}"
                items.append((hit["kind"], key, hit["id"]))
        offset += PAGE
        if len(page["items"]) < PAGE:
            break
    if entities:
        for row in store.entity_articles_after(sorted(entities), after):
            if row["article_id"] in by_id:
                items.append(("entity", f"{row['article_id']}:{row['canonical']}", row["article_id"]))
    matched = {aid for _, _, aid in items}
    return items, [r for r in new if r["id"] in matched]


def alerts_for(store: Any, search: dict[str, Any], top: int, now: datetime, config: AlertConfig) -> list[Alert]:
    """What is new for one saved search: an alert of its new matches (if any) and one per spike."""
    alerts: list[Alert] = []
    items, articles = new_matches(store, search, top)
    if items:
        counts: dict[str, int] = {}
        for kind, _, _ in items:
            counts[kind] = counts.get(kind, 0) + 1
        n = len(articles)
        alerts.append(Alert(
            search=search["name"], query=search["query"], kind="matches",
            title=f"{n} new article{'s' if n > 1 else ''} for \"{search['query']}\"",
            link=config.search_link(search["query"], search.get("filters")),
            articles=[_article(r, config) for r in articles[-MAX_ARTICLES:]], counts=counts, items=list(items)))
    spec = search.get("spikes") or {}
    if spec:
        for spike in find_spikes(store, spec, now.astimezone(timezone.utc).date()):
            rows = store.articles_naming(spike.dimension, spike.name, spike.day, limit=MAX_ARTICLES)
            alerts.append(Alert(
                search=search["name"], query=search["query"], kind="spike",
                title=f"spike: {spike.dimension} {spike.name!r} in {spike.today} articles on {spike.day} "
                f"(usual {spike.mean:.1f}, threshold {spike.threshold:.1f})",
                link=config.page_link(spike.dimension, spike.name),
                articles=[_article(r, config) for r in rows], spike=spike.as_dict(),
                items=[("spike", f"{spike.dimension}:{spike.name}:{spike.day}", None)]))
    return alerts


def check(
    store: Any, now: datetime | None = None, *, config: AlertConfig | None = None, dry_run: bool = False,
    names: list[str] | None = None, send: Callable[[str, Alert, AlertConfig], None] = deliver,
) -> list[Sent]:
    """Run the saved searches (all, or those `names`): find what is new since each one's last check, send it
    through each of its channels (what a channel already got is left out) and record it. A saved search's mark moves
    on only when every channel took its alerts. `dry_run`: nothing is sent nor recorded."""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    config = config or AlertConfig.from_env()
    top = store.max_article_seq()
    stamp = now.astimezone(timezone.utc).isoformat(timespec="seconds")
    results: list[Sent] = []
    for search in store.list_saved_searches():
        if names is not None and search["name"] not in names:
            continue
        alerts = alerts_for(store, search, top, now, config)
        all_ok = True
        for channel in channels(search.get("notify") or {}):
            sent = store.alerts_sent_keys(search["id"], channel) if alerts else set()
            for alert in alerts:
                fresh = [it for it in alert.items if (it[0], it[1]) not in sent]
                if not fresh:
                    continue
                if len(fresh) < len(alert.items):
                    keep = {aid for _, _, aid in fresh}
                    alert = replace(alert, items=fresh, articles=[a for a in alert.articles if a["id"] in keep]
                                    if alert.kind == "matches" else alert.articles)
                if dry_run:
                    results.append(Sent(alert, channel, True, dry_run=True))
                    continue
                try:
                    send(channel, alert, config)
                except NotifyError as exc:
                    all_ok = False
                    results.append(Sent(alert, channel, False, str(exc)))
                    continue
                store.record_alerts_sent(search["id"], channel, fresh)
                results.append(Sent(alert, channel, True))
        if not dry_run:
            store.mark_search_checked(search["id"], top if all_ok else None, stamp)
    return results


def check_after_poll(store: Any, log: Callable[[str, bool], Any]) -> None:
    """What `vigie watch` calls after each poll: the check, logged as one line, when the store has saved searches.
    Never raises (a failed check is logged; the next poll tries again)."""
    try:
        if not store.count_saved_searches():
            return
        results = check(store)
    except Exception as exc:  # noqa: BLE001 - alerts never stop the watch
        log(f"alerts: failed ({type(exc).__name__}: {exc})", True)
        return
    failed = [r for r in results if not r.ok]
    shown = "; ".join(r.line() for r in results[:5]) + (" ..." if len(results) > 5 else "")
    log(f"alerts: {len(results) - len(failed)} sent, {len(failed)} failed" + (f" ({shown})" if shown else ""),
        bool(failed))
