"""Events across articles over a store (issue 14): after a run's articles are stored and placed in stories, group
every stored event record with those of other articles that tell the same event (`vigie.events.crossdoc`) and write
the events that changed.

    result = link_events(store)      # at the end of `vigie ingest`, and by `vigie cluster`
    result.changed, result.removed, result.n_events

The grouping is replayed from the stored records each time (the records, the stories and the duplicate links are
the whole state): the stored events are always the ones a rebuild gives, whatever order the articles came in, and a
run rewrites only the events whose record changed (`digest`). A copy (dedup) tells its original's events: its
mentions are its original's records, so the copy counts as an article and, with its original, as one source.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from vigie.events.crossdoc import CrossDocEvent, EventIndex, EventMention, Settings
from vigie.events.crossdoc.records import mention_of
from vigie.records import Event, Place


@dataclass(slots=True)
class LinkResult:
    changed: int  # events written (new or changed)
    removed: int  # events deleted (their mentions went to other events)
    n_events: int  # events in the store now
    n_mentions: int


def _mentions(store: Any) -> list[EventMention]:
    articles, copies = store.crossdoc_inputs()
    by_article: dict[str, list[EventMention]] = {}
    for art in articles:
        places = [Place(**p) for p in art["places"]]
        by_article[art["id"]] = [
            mention_of(art["id"], Event(**e), places, published=art["published"], source=art["source"],
                       story=art["story_id"])
            for e in art["events"]
        ]
    mentions = [m for ms in by_article.values() for m in ms]
    for copy in copies:  # a copy tells what its original tells, in the original's story and duplicate group
        for m in by_article.get(copy["original"], ()):
            mentions.append(EventMention(
                article_id=copy["id"], event=m.event, published=copy["published"], source=copy["source"],
                duplicate_of=copy["original"], story=m.story, lat=m.lat, lon=m.lon, place_kind=m.place_kind,
            ))
    return mentions


def _row(event: CrossDocEvent) -> dict[str, Any]:
    """The stored row of an event (crossdoc_events columns plus its mentions)."""
    src, tgt, loc = event.source, event.target, event.location
    row: dict[str, Any] = {
        "event_id": event.event_id, "type": event.type, "mode": event.mode,
        "source": src.name if src else None, "source_country": src.country if src else None,
        "source_sector": src.sector if src else None,
        "target": tgt.name if tgt else None, "target_country": tgt.country if tgt else None,
        "target_sector": tgt.sector if tgt else None,
        "location": loc.name if loc else None, "location_country": loc.country if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None, "location_kind": loc.kind if loc else None,
        "date": event.date, "date_inferred": event.date_inferred, "context": list(event.context),
        "counts": {k: {"low": c.low, "high": c.high, "reports": c.reports} for k, c in sorted(event.counts.items())},
        "n_articles": event.n_articles, "n_sources": event.n_sources, "n_mentions": event.n_mentions,
        "first_seen": event.first_seen, "last_seen": event.last_seen, "stories": list(event.stories),
        "confidence": event.confidence,
        "mentions": [
            {"article_id": m.article_id, "start": m.start, "end": m.end, "type": m.type, "mode": m.mode,
             "confidence": m.confidence, "evidence_start": m.evidence_start, "evidence_end": m.evidence_end}
            for m in event.mentions
        ],
    }
    row["digest"] = hashlib.sha1(json.dumps(row, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return row


def link_events(store: Any, settings: Settings | None = None) -> LinkResult:
    """Group the store's event records into cross-document events and write what changed (one transaction)."""
    mentions = _mentions(store)
    index = EventIndex(settings)
    index.add(mentions)
    rows = [_row(e) for e in index.events()]
    stored = store.crossdoc_digests()
    changed = [r for r in rows if stored.get(r["event_id"]) != r["digest"]]
    removed = sorted(set(stored) - {r["event_id"] for r in rows})
    if changed or removed:
        store.save_crossdoc_events(changed, removed)
    return LinkResult(len(changed), len(removed), len(rows), sum(len(r["mentions"]) for r in rows))
