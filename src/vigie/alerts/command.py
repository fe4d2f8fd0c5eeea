"""`vigie alerts`: save, list, delete and run saved searches (`vigie.cli` adds `alerts_app` as a sub-app).

Importing this module costs typer and rich only; the store and the notifiers are imported when a command runs.
"""
from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

alerts_app = typer.Typer(help="Saved searches and their alerts (webhooks, e-mail, spikes).", no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

Db = Annotated[str, typer.Option("--db", envvar="VIGIE_DB", help="SQLite file (created if missing) or PostgreSQL URL.")]
KINDS = ("article", "quote", "entity", "event")


@alerts_app.command("save")
def save(
    name: Annotated[str, typer.Argument(help="A name for the saved search (saving it again replaces it).")],
    query: Annotated[str, typer.Argument(help="What to search, as on /search: words, \"phrases\", OR, -word, pre*.")],
    db: Db = "vigie.db",
    kind: Annotated[list[str] | None, typer.Option("--kind", help="Only hits of this kind (article, quote, entity, "
                                                   "event); repeat for several.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="Only articles in this language.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only articles of this source.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="Only events of this PLOVER type.")] = None,
    webhook: Annotated[list[str] | None, typer.Option("--webhook", help="POST alerts to this URL (signed with "
                                                      "VIGIE_WEBHOOK_SECRET); repeatable.")] = None,
    email: Annotated[list[str] | None, typer.Option("--email", help="E-mail alerts to this address (through "
                                                    "VIGIE_SMTP_HOST); repeatable.")] = None,
    spikes: Annotated[bool, typer.Option("--spikes", help="Also alert on spikes of the day's top entities, places "
                                         "and event types.")] = False,
    spike_entity: Annotated[list[str] | None, typer.Option("--spike-entity", help="Alert on spikes of this entity "
                                                           "(canonical name); repeatable.")] = None,
    spike_place: Annotated[list[str] | None, typer.Option("--spike-place", help="Alert on spikes of this place; "
                                                          "repeatable.")] = None,
    spike_type: Annotated[list[str] | None, typer.Option("--spike-type", help="Alert on spikes of this event type; "
                                                         "repeatable.")] = None,
) -> None:
    """Save a search: `vigie alerts run` (and `vigie watch` after each poll) notifies its new matches."""
    from vigie.store import open_store

    bad = [k for k in kind or [] if k not in KINDS]
    if bad:
        raise typer.BadParameter(f"unknown kind {bad[0]!r} (one of {', '.join(KINDS)})", param_hint="--kind")
    filters = {k: v for k, v in {"kinds": list(kind or []), "language": language, "source": source,
                                 "type": event_type}.items() if v}
    spec: dict[str, object] = {k: v for k, v in {"entities": list(spike_entity or []), "places": list(spike_place or []),
                                                 "types": list(spike_type or [])}.items() if v}
    if spikes:
        spec["top"] = True
    notify = {k: v for k, v in {"webhooks": list(webhook or []), "emails": list(email or [])}.items() if v}
    try:
        with open_store(db) as store:
            row = store.save_search(name, query, filters=filters, spikes=spec, notify=notify)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="NAME") from None
    out.print(escape(f"saved {row['name']!r}: {row['query']}"))


@alerts_app.command("list")
def list_searches(db: Db = "vigie.db") -> None:
    """The saved searches: name, query, filters, targets, last check."""
    from vigie.alerts.notify import channels
    from vigie.store import open_store

    with open_store(db) as store:
        rows = store.list_saved_searches()
    if not rows:
        out.print("no saved search (add one with `vigie alerts save NAME QUERY`)")
        return
    for r in rows:
        extra = [f"{k}={v}" for k, v in r["filters"].items()]
        if r["spikes"]:
            extra.append("spikes=" + ",".join(f"{k}:{v}" for k, v in r["spikes"].items()))
        out.print(escape(f"{r['name']}\t{r['query']}\t{' '.join(extra) or '-'}\t"
                         f"{', '.join(channels(r['notify']))}\tlast checked {r['last_checked'] or 'never'}"))


@alerts_app.command("delete")
def delete(name: Annotated[str, typer.Argument(help="The saved search's name.")], db: Db = "vigie.db") -> None:
    """Delete a saved search (and the record of what was sent for it)."""
    from vigie.store import open_store

    with open_store(db) as store:
        found = store.delete_saved_search(name)
    if not found:
        err.print(escape(f"no saved search named {name!r}"), style="red")
        raise typer.Exit(1)
    out.print(escape(f"deleted {name!r}"))


@alerts_app.command("run")
def run(
    db: Db = "vigie.db",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent; send and record nothing.")]
    = False,
    name: Annotated[list[str] | None, typer.Option("--name", help="Only this saved search; repeatable.")] = None,
) -> None:
    """Check every saved search now and send its new matches and spikes: one line per alert sent. Exit code 1 when
    one could not be sent (it is tried again by the next run)."""
    from vigie.alerts.engine import check
    from vigie.store import open_store

    with open_store(db) as store:
        results = check(store, dry_run=dry_run, names=list(name) if name else None)
    for r in results:
        out.print(escape(r.line()), style=None if r.ok else "red")
        if r.channel == "print" and r.ok:
            for a in r.alert.articles:
                out.print(escape(f"  {a.get('published') or '-'} {a.get('title') or a['id']} {a['link']}"))
    if not results:
        out.print("nothing new")
    if any(not r.ok for r in results):
        raise typer.Exit(1)
