"""One event record per real-world event across articles (GDELT counts reports; vigie counts events).

Each article's event records (`vigie.events.merge` already joined the mentions of one event inside an article)
are grouped with the records of other articles that tell the same event: compatible PLOVER types, actors that
do not conflict, places within a distance, dates within a window, the same story when known (`rules`). The
groups are built incrementally in date order, and adding articles late gives what a rebuild gives (`engine`).
Each group is a `CrossDocEvent`: a stable id, its articles and sources (a duplicate group counts once), first
and last seen, the merged type, actors, place and date, the counts the sources gave as a range, and every
mention (GDELT's Events/Mentions shape). `metrics` scores groupings against a gold partition (MUC, B-cubed,
CEAF-e, CoNLL F1; bench/event_identity.py runs them on ECB+).

    index = EventIndex()
    update = index.add(mentions_from_article(article, story=story))       # an analysed article
    update = index.add(mentions_of_copy(original_mentions, copy.id, copy.published, copy.source))  # its copy
    for event in index.events(): ...

Wiring into a store (not done yet): keep one `EventIndex()` per store and rebuild it on open with one `add` of
every stored record (no cluster state needs storing); per run, `add` the run's articles in one call (date order
where possible: a late article replays what follows it) and their copies through `mentions_of_copy`; upsert
`index.event(id)` for each id in `Update.changed` into an events table and a mentions table, delete the ids in
`Update.removed` (ids are replaceable: when an earlier article joins an event its id changes; keep a redirect with
`event_of` if links must survive); `index.remove([article id])` for a deleted or re-analysed article; stories are
fixed when the index is built (`EventIndex(story_of={...})`): rebuild when stories merge.
"""
from vigie.events.crossdoc.engine import EventIndex as EventIndex
from vigie.events.crossdoc.engine import Update as Update
from vigie.events.crossdoc.engine import group_mentions as group_mentions
from vigie.events.crossdoc.records import Actor as Actor
from vigie.events.crossdoc.records import CountRange as CountRange
from vigie.events.crossdoc.records import CrossDocEvent as CrossDocEvent
from vigie.events.crossdoc.records import EventMention as EventMention
from vigie.events.crossdoc.records import Location as Location
from vigie.events.crossdoc.records import MentionRef as MentionRef
from vigie.events.crossdoc.records import event_id_of as event_id_of
from vigie.events.crossdoc.records import mentions_from_article as mentions_from_article
from vigie.events.crossdoc.records import mentions_of_copy as mentions_of_copy
from vigie.events.crossdoc.rules import Settings as Settings
