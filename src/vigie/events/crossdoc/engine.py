"""Grouping event mentions of many articles into events, incrementally, with the result of a rebuild.

Articles are taken in date order (publication date, then article id; undated articles last). For each article,
every event record is compared with the events found so far (`rules`: hard rules against every distinct type,
date, place and story of the event, actors against its representative actors; then the evidence); the pairs
reaching `min_evidence` are taken best first, each event taking at most one record of the article (the article's
own merging, `vigie.events.merge`, already decided which of its records are distinct events), and the records
left over start new events.

Incremental: `EventIndex.add` takes new (or re-analysed) articles. When they all come after the articles already
seen, their records are simply placed. When one comes earlier (a late article, a re-analysis), the records of
every article after it are taken out of their events and placed again in date order, so that the index is always
the one a rebuild from scratch in date order gives: same events, same ids, same members. `add` returns which
events changed and which disappeared, for a store to update its rows.
"""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from vigie.events.crossdoc.records import (
    COUNT_FIELDS,
    Actor,
    CountRange,
    CrossDocEvent,
    EventMention,
    Location,
    MentionRef,
    event_id_of,
)
from vigie.events.crossdoc.rules import (
    W_DAY,
    W_DUPLICATE,
    W_NEAR_DAY,
    W_SAME_KIND,
    W_STORY,
    ActorFeature,
    Features,
    PlaceFeature,
    Settings,
    count_evidence,
    features,
    gap_days,
    kinds_compatible,
    place_evidence,
    places_compatible,
    roles_compatible,
    roles_evidence,
    same_actor_name,
    type_rules,
)
from vigie.events.plover import TYPES

#: Events are indexed by type, day and country; one whose dates cover more days than this is indexed as undated.
MAX_INDEXED_DAYS = 62
#: The confidence of an event told by several sources (noisy-or of each source's best mention) is capped here.
MAX_CONFIDENCE = 0.99


@dataclass(slots=True)
class Update:
    """What one `EventIndex.add` changed: events new or with other members or attributes, events gone."""

    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _related_types() -> dict[str, frozenset[str]]:
    rules = type_rules()
    out: dict[str, set[str]] = {t: {t} for t in TYPES}
    for (t, _), others in rules.items():
        out[t].update(o[0] for o in others)
    return {t: frozenset(v) for t, v in out.items()}


class _Cluster:
    """One event being built: its members in date order and what the rules compare new mentions with."""

    def __init__(self, serial: int) -> None:
        self.serial = serial
        self.reset()

    def reset(self) -> None:
        self.members: list[tuple[EventMention, Features]] = []
        self.articles: set[str] = set()
        self.status: frozenset[str] | None = None
        self.stories: set[str] = set()
        self.groups: set[str] = set()  # duplicate groups of the members (a copy's original, else the article)
        self.kinds: dict[tuple, Features] = {}  # distinct (plover, type, mode, future, lemma) -> its first mention
        self.lemmas: set[str] = set()
        self.spans: dict[tuple[date, date], None] = {}  # distinct date spans, in order
        self.days: set[str] = set()
        self.places: dict[PlaceFeature, None] = {}
        self.sources: list[ActorFeature] = []
        self.targets: list[ActorFeature] = []
        self.counts: set[tuple[str, float]] = set()
        self.index_keys: list[tuple[str, int | None, str | None]] = []  # (type, day, country) it is indexed under
        self._rep: tuple[ActorFeature | None, ActorFeature | None] | None = None

    @property
    def first_key(self) -> tuple[str, str, int, int]:
        return self.members[0][1].key

    @property
    def event_id(self) -> str:
        m = self.members[0][0]
        return event_id_of(m.article_id, m.event.start, m.event.end)

    @property
    def member_keys(self) -> frozenset[tuple[str, str, int, int]]:
        return frozenset(f.key for _, f in self.members)

    def add(self, m: EventMention, f: Features) -> None:
        bisect.insort(self.members, (m, f), key=lambda mf: mf[1].key)
        self.articles.add(f.article_id)
        self.status = f.status
        if f.story:
            self.stories.add(f.story)
        self.groups.add(f.group)
        self.kinds.setdefault((f.plover, f.type, f.mode, f.future, f.lemma), f)
        if f.lemma:
            self.lemmas.add(f.lemma)
        if f.span is not None:
            self.spans.setdefault(f.span, None)
        if f.explicit_day:
            self.days.add(f.explicit_day)
        if f.place is not None:
            self.places.setdefault(f.place, None)
        if f.source is not None:
            self.sources.append(f.source)
        if f.target is not None:
            self.targets.append(f.target)
        self.counts.update(f.counts)
        self._rep = None

    def representative(self) -> _Roles:
        if self._rep is None:
            self._rep = (_representative(self.sources), _representative(self.targets))
        return _Roles(next(iter(self.kinds.values())).type, *self._rep)

    # -- comparison with a new mention

    def fits(self, f: Features, settings: Settings) -> bool:
        """Every hard rule: against each distinct type, date span and place, and the representative actors."""
        if settings.one_per_article and f.article_id in self.articles:
            return False
        if f.status != self.status or (f.story and self.stories and f.story not in self.stories):
            return False
        if f.span is not None and any(gap_days(f.span, s) > settings.date_window_days for s in self.spans):
            return False
        if not self._kind_fits(f, settings):
            return False
        if f.place is not None and not all(places_compatible(f.place, p, settings) for p in self.places):
            return False
        return roles_compatible(f, self.representative(), settings)

    def _kind_fits(self, f: Features, settings: Settings) -> bool:
        untyped = False
        for k in self.kinds.values():
            if not k.plover:
                untyped = True
            elif f.plover and not kinds_compatible(f, k, settings):
                return False
        if not f.plover or untyped:  # trigger lemmas: one of the event's
            return bool(f.lemma) and f.lemma in self.lemmas
        return True

    def score(self, f: Features, settings: Settings) -> float | None:
        """The evidence that `f` tells this event, None when a rule keeps it out or the evidence is too weak."""
        if not self.fits(f, settings):
            return None
        s = self.evidence(f, settings)
        if s < settings.min_evidence:
            return None
        if settings.lemma_evidence is not None and f.lemma and self.lemmas and f.lemma not in self.lemmas and (
                s < settings.lemma_evidence):
            return None
        return s

    def evidence(self, f: Features, settings: Settings) -> float:
        score = roles_evidence(f, self.representative(), settings)
        score += max((place_evidence(f.place, p, settings) for p in self.places), default=0.0)
        if f.explicit_day and f.explicit_day in self.days:
            score += W_DAY
        elif f.explicit_day and f.span and any(
                gap_days(f.span, (d, d)) <= settings.date_window_days for d in map(date.fromisoformat, self.days)):
            score += W_NEAR_DAY
        score += count_evidence(f.counts, self.counts)
        if f.story and f.story in self.stories:
            score += W_STORY
        if f.group in self.groups and f.article_id not in self.articles:  # a copy of a member, or its original
            score += W_DUPLICATE
        if (f.lemma and f.lemma in self.lemmas) or any(
                k.plover and k.type == f.type and k.mode == f.mode for k in self.kinds.values()):
            score += W_SAME_KIND
        return score


class _Roles:
    """A type and two actors: what `roles_compatible` and `roles_evidence` read of an event."""

    __slots__ = ("type", "source", "target")

    def __init__(self, etype: str, source: ActorFeature | None, target: ActorFeature | None) -> None:
        self.type, self.source, self.target = etype, source, target


def _representative(actors: list[ActorFeature]) -> ActorFeature | None:
    """The name most mentions give (the first on a tie), with the country and sector its namesakes give most."""
    if not actors:
        return None
    name = str(_vote([a.name for a in actors]))
    alike = [a for a in actors if same_actor_name(a.name, name)]
    country = _vote([a.country for a in alike if a.country])
    sector = _vote([a.sector for a in alike if a.sector])
    first = next(a for a in actors if a.name == name)
    return ActorFeature(name, country if isinstance(country, str) else None,
                        sector if isinstance(sector, str) else None, first.proper)


class EventIndex:
    """Cross-document events over a growing set of articles (see the module docstring).

    `story_of` maps a story id to the id of the story it was linked to (two stories found to be one): the
    mentions of linked stories are compared as one story.
    """

    def __init__(self, settings: Settings | None = None, story_of: dict[str, str] | None = None) -> None:
        self.settings = settings or Settings()
        self.story_of = dict(story_of or {})
        self._articles: dict[str, list[EventMention]] = {}
        self._order: list[tuple[str, str]] = []  # (published or "~", article id) of every article, sorted
        self._assigned: dict[tuple[str, str, int, int], _Cluster] = {}
        self._clusters: dict[int, _Cluster] = {}  # serial -> cluster (empty ones are dropped after each change)
        self._serial = 0
        # candidates: (type, day ordinal or None for long spans) -> country (None: none known) -> serials
        self._slots: dict[tuple[str, int | None], dict[str | None, set[int]]] = {}
        self._by_type: dict[str, set[int]] = {}
        self._by_lemma: dict[str, set[int]] = {}
        self._related = _related_types()
        self._touched: dict[int, tuple[str, frozenset]] = {}

    # ----------------------------------------------------------------------------------------------- public

    def add(self, mentions: Iterable[EventMention]) -> Update:
        """Add the event records of new articles, or replace those of articles added before (a re-analysis:
        give every record of each such article; an article left with no record is `remove`d)."""
        by_article: dict[str, dict[tuple, EventMention]] = {}
        for m in mentions:  # one record per trigger span: a repeated one is taken once
            by_article.setdefault(m.article_id, {}).setdefault(m.key, self._with_story(m))
        return self._change({a: list(ms.values()) for a, ms in by_article.items()}, set())

    def remove(self, article_ids: Iterable[str]) -> Update:
        """Take articles out (deleted from the store): their records leave their events."""
        return self._change({}, {a for a in article_ids if a in self._articles})

    def events(self) -> list[CrossDocEvent]:
        """Every event, in the date order of its first mention."""
        return [summarise(c) for c in sorted(self._clusters.values(), key=lambda c: c.first_key)]

    def event(self, event_id: str) -> CrossDocEvent | None:
        c = next((c for c in self._clusters.values() if c.event_id == event_id), None)
        return summarise(c) if c is not None else None

    def event_of(self, article_id: str, start: int, end: int) -> str | None:
        """The id of the event that an article's event record (by its trigger offsets) belongs to."""
        for m in self._articles.get(article_id, ()):
            if m.event.start == start and m.event.end == end:
                return self._assigned[m.key].event_id
        return None

    def __len__(self) -> int:
        return len(self._clusters)

    # ---------------------------------------------------------------------------------------------- private

    def _with_story(self, m: EventMention) -> EventMention:
        if m.story and m.story in self.story_of:
            return replace(m, story=self.story_of[m.story])
        return m

    def _change(self, new: dict[str, list[EventMention]], gone: set[str]) -> Update:
        self._touched = {}
        changed = set(new) | gone
        keys = [_order_key(self._articles[a]) for a in changed if a in self._articles]
        keys += [_order_key(ms) for ms in new.values()]
        if not keys:
            return Update()
        pos = bisect.bisect_left(self._order, min(keys))
        later = self._order[pos:]
        self._take_out({a for _, a in later})
        del self._order[pos:]
        for a in changed:
            self._articles.pop(a, None)
        for a, ms in new.items():
            self._articles[a] = sorted(ms, key=lambda m: m.key)
        for key in sorted([k for k in later if k[1] not in changed] + [_order_key(ms) for ms in new.values()]):
            self._order.append(key)
            self._place_article(self._articles[key[1]])
        return self._update()

    def _touch(self, c: _Cluster) -> None:
        if c.serial not in self._touched:
            self._touched[c.serial] = (c.event_id, c.member_keys) if c.members else ("", frozenset())

    def _take_out(self, article_ids: set[str]) -> None:
        """Take the records of these articles out of their events; each event left is rebuilt from the others."""
        dirty: dict[int, _Cluster] = {}
        for a in article_ids:
            for m in self._articles.get(a, ()):
                c = self._assigned.pop(m.key)
                dirty[c.serial] = c
        for c in dirty.values():
            self._touch(c)
            self._unindex(c)
            keep = [(m, f) for m, f in c.members if f.article_id not in article_ids]
            c.reset()
            for m, f in keep:
                c.add(m, f)
            if c.members:
                self._index(c)

    def _join(self, c: _Cluster | None, m: EventMention, f: Features) -> None:
        if c is None:
            self._serial += 1
            c = self._clusters[self._serial] = _Cluster(self._serial)
        self._touch(c)
        self._unindex(c)
        c.add(m, f)
        self._assigned[m.key] = c
        self._index(c)

    # -- candidates: by type (and the types it may also be told as) and week, by trigger lemma

    def _days(self, spans: Iterable[tuple[date, date]]) -> range | None:
        """The days (ordinals) an event with these spans may take a mention from; None when too many."""
        spans = list(spans)
        if not spans:
            return None
        window = self.settings.date_window_days
        first = min(s[0] for s in spans).toordinal() - window
        last = max(s[1] for s in spans).toordinal() + window
        return range(first, last + 1) if last - first <= MAX_INDEXED_DAYS else None

    def _index(self, c: _Cluster) -> None:
        if not c.members:
            return
        days = self._days(c.spans) or [None]
        countries: set[str | None] = {p.country for p in c.places if p.country} or {None}
        c.index_keys = [(t, d, k) for t in {k.type for k in c.kinds.values() if k.plover} for d in days
                        for k in countries]
        for t, d, k in c.index_keys:
            self._slots.setdefault((t, d), {}).setdefault(k, set()).add(c.serial)
            self._by_type.setdefault(t, set()).add(c.serial)
        for lemma in c.lemmas:
            self._by_lemma.setdefault(lemma, set()).add(c.serial)

    def _unindex(self, c: _Cluster) -> None:
        for t, d, k in c.index_keys:
            self._slots.get((t, d), {}).get(k, set()).discard(c.serial)
            self._by_type.get(t, set()).discard(c.serial)
        c.index_keys = []
        for lemma in c.lemmas:
            self._by_lemma.get(lemma, set()).discard(c.serial)

    def _candidates(self, f: Features) -> list[_Cluster]:
        """The events `f` may join by type (and related types), day and country, or by trigger lemma."""
        found: set[int] = set()
        if f.plover:
            days = self._days([f.span]) if f.span is not None else None
            country = f.place.country if f.place is not None else None
            for t in self._related.get(f.type, frozenset({f.type})):
                if days is None:
                    found |= self._by_type.get(t, set())
                    continue
                for d in (*days, None):
                    slot = self._slots.get((t, d))
                    if not slot:
                        continue
                    if country:
                        found |= slot.get(country, set())
                        found |= slot.get(None, set())
                    else:
                        for serials in slot.values():
                            found |= serials
        if f.lemma:
            found |= self._by_lemma.get(f.lemma, set())
        return [self._clusters[s] for s in sorted(found) if self._clusters[s].members]

    # -- placing one article's records

    def _place_article(self, mentions: list[EventMention]) -> None:
        settings = self.settings
        feats = [features(m, settings) for m in mentions]
        if not settings.one_per_article:  # records of one article may be one event: one after the other
            for m, f in zip(mentions, feats, strict=True):
                best: tuple[float, tuple, _Cluster] | None = None
                for c in self._candidates(f):
                    s = c.score(f, settings)
                    if s is not None and (best is None or (-s, c.first_key) < best[:2]):
                        best = (-s, c.first_key, c)
                self._join(best[2] if best else None, m, f)
            return
        options = []
        for i, f in enumerate(feats):
            for c in self._candidates(f):
                s = c.score(f, settings)
                if s is not None:
                    options.append((-s, c.first_key, i, c))
        options.sort(key=lambda o: o[:3])  # best evidence first, then the oldest event, then text order
        chosen: dict[int, _Cluster] = {}
        taken: set[int] = set()
        for _, _, i, c in options:
            if i not in chosen and c.serial not in taken:
                chosen[i] = c
                taken.add(c.serial)
        for i, (m, f) in enumerate(zip(mentions, feats, strict=True)):
            self._join(chosen.get(i), m, f)

    def _update(self) -> Update:
        before = {eid: keys for eid, keys in self._touched.values() if eid}
        after = {}
        for serial in self._touched:
            c = self._clusters.get(serial)
            if c is not None and c.members:
                after[c.event_id] = c.member_keys
        self._clusters = {s: c for s, c in self._clusters.items() if c.members}
        self._touched = {}
        return Update(
            changed=sorted(eid for eid, keys in after.items() if before.get(eid) != keys),
            removed=sorted(set(before) - set(after)),
        )


def _order_key(mentions: list[EventMention]) -> tuple[str, str]:
    return (mentions[0].published or "~", mentions[0].article_id)


def group_mentions(mentions: Iterable[EventMention], settings: Settings | None = None) -> list[CrossDocEvent]:
    """Cross-document events of a set of event records, built from scratch."""
    index = EventIndex(settings)
    index.add(mentions)
    return index.events()


# ------------------------------------------------------------------------------------------------- summary

#: Place kinds from the most to the least precise.
_KIND_RANK = {"city": 0, "other": 1, "admin": 2, "country": 3, None: 4}


def _vote(values: list) -> object:
    """The most frequent value; the first given on a tie."""
    counts = Counter(values)
    return max(counts, key=lambda v: counts[v]) if counts else None


def _sources(members: list[tuple[EventMention, Features]]) -> int:
    """Distinct sources: the articles of one duplicate group, and those of one publisher, count once."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m, _ in members:
        node = "a:" + m.article_id
        find(node)
        for link in ("d:" + m.group, ("s:" + m.source) if m.source else None):
            if link:
                parent[find(node)] = find(link)
    return len({find("a:" + m.article_id) for m, _ in members})


def summarise(c: _Cluster) -> CrossDocEvent:
    members = c.members
    evs = [m.event for m, _ in members]
    typed = [e.type for e, (_, f) in zip(evs, members, strict=True) if f.plover]
    etype = str(_vote(typed) if typed else evs[0].type)
    same_type = [e for e in evs if e.type == etype]
    mode = _vote([e.mode for e in same_type if e.mode])
    roles = c.representative()
    source, target = roles.source, roles.target
    # place: the most precise kind any mention gives, then the most given name of that kind
    places = [(m, f.place) for m, f in members if f.place is not None]
    location = None
    if places:
        best_rank = min(_KIND_RANK.get(p.kind, 4) for _, p in places)
        precise = [(m, p) for m, p in places if _KIND_RANK.get(p.kind, 4) == best_rank]
        name = _vote([p.name for _, p in precise])
        m0, p0 = next((m, p) for m, p in precise if p.name == name)
        location = Location(m0.event.location, p0.country, p0.lat, p0.lon, p0.kind)
    explicit = [e.date for e in evs if e.date and not e.date_inferred]
    if explicit:
        days = [d for d in explicit if len(d) == 10]
        when: str | None = str(_vote(days or explicit))
        inferred = False
    else:
        dated = sorted(e.date for e in evs if e.date)
        when, inferred = (dated[0] if dated else None), True
    n = len(evs)
    context = sorted({x for x in evs[0].context if x in ("negated", "hypothetical")})
    if all("future" in e.context for e in evs):
        context.append("future")
    if sum("historical" in e.context for e in evs) * 2 > n:
        context.append("historical")
    counts = {}
    for name_ in COUNT_FIELDS:
        values = [getattr(e, name_) for e in evs if getattr(e, name_) is not None]
        if values:
            counts[name_] = CountRange(min(values), max(values), len(values))
    published = sorted(m.published for m, _ in members if m.published)
    best_per_source: dict[str, float] = {}
    for m, _ in members:
        unit = m.group
        best_per_source[unit] = max(best_per_source.get(unit, 0.0), m.event.confidence)
    miss = 1.0
    for conf in best_per_source.values():
        miss *= 1.0 - conf
    return CrossDocEvent(
        event_id=c.event_id,
        type=etype,
        mode=mode if isinstance(mode, str) else None,
        source=Actor(source.name, source.country, source.sector) if source else None,
        target=Actor(target.name, target.country, target.sector) if target else None,
        location=location,
        date=when,
        date_inferred=inferred,
        context=context,
        counts=counts,
        n_articles=len({m.article_id for m, _ in members}),
        n_sources=_sources(members),
        n_mentions=n,
        first_seen=published[0] if published else None,
        last_seen=published[-1] if published else None,
        stories=sorted({m.story for m, _ in members if m.story}),
        confidence=round(min(MAX_CONFIDENCE, 1.0 - miss), 3),
        mentions=[
            MentionRef(
                article_id=m.article_id,
                start=m.event.start,
                end=m.event.end,
                confidence=m.event.confidence,
                published=m.published,
                source=m.source,
                duplicate_of=m.duplicate_of,
                story=m.story,
                type=m.event.type,
                mode=m.event.mode,
                triggers=[list(t) for t in (m.event.mentions or [[m.event.start, m.event.end]])],
                evidence_start=m.event.evidence_start,
                evidence_end=m.event.evidence_end,
            )
            for m, _ in members
        ],
    )
