"""When two event mentions from different articles can be one real-world event, and how much says they are.

Hard rules (any one failing keeps two mentions apart):
- type: the same PLOVER type with compatible modes (equal, one missing, an attack's weapons; the types whose modes
  are distinct events keep them apart), or two types the PLOVER manual says coders may give one happening
  (`resources/event_identity.tsv`: a riot told as attacks, a captured combatant as an arrest, a promised visit
  as AGREE...). A mention with no PLOVER type (benchmarks) matches by its trigger lemma;
- status: negated and hypothetical mentions only join their like (a foiled attack is not the attack);
- actors, role by role: compatible when one side is unknown, the names are the same (`merge.same_name`, or one
  transliterated: "Tokaïev" / "Tokayev"), or the country and the sector agree ("la police kazakhe" / "Kazakh
  police"); two countries conflict, and so do two sectors or two different proper names (unless `actor_penalty`
  makes these a cost in evidence: arguments coded with errors). For reciprocal types (meetings, agreements,
  cooperation) the roles may be swapped;
- place: two points within `city_km`, a region and a point of its country within `region_km`, a country (or a
  place with no coordinates) and any place of that country; two countries conflict;
- date: the days the mentions cover at most `date_window_days` apart; a mention dated only by its article's
  publication date covers the `news_lag_days` before it (an announced one: unknown);
- story: two known stories must be the same (or linked: the caller maps linked stories to one id).

Evidence (what makes a compatible pair one event rather than two events that could be): the same actor names,
the same place, the same explicit day, the same story, the same duplicate group (a copy and its original), the
same large count, the same type and mode. A mention joins an event only with at least `min_evidence`; with
`lemma_evidence`, mentions of two trigger lemmas need that much (benchmarks: ECB+ tells "shot" from "killed").
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Protocol

from vigie.events.crossdoc.records import COUNT_FIELDS, EventMention
from vigie.events.lexicon import sectors
from vigie.events.merge import ACT_ASSAULTS, DISTINCT_ASSAULTS, DISTINCT_MODES, same_name
from vigie.events.plover import is_type
from vigie.language.names import name_tokens
from vigie.lexicons import read_rows

STATUS = frozenset({"negated", "hypothetical"})
#: Types whose two actors act together: "A met B" and "B met A" are one meeting.
RECIPROCAL = frozenset({"CONSULT", "AGREE", "COOPERATE"})
#: Evidence weights, set by hand (`Settings` thresholds were swept on ECB+'s tuning topics: bench/event_identity.py).
W_DUPLICATE = 3.0  # a copy of an article that told the event
W_SOURCE_NAME = 1.0  # the same actor name
W_TARGET_NAME = 1.0
W_ACTOR_CODE = 0.5  # the same country and sector, names differ or missing
W_PLACE = 1.0  # the same place (not a country)
W_COUNTRY = 0.25  # the same country only
W_DAY = 1.0  # the same explicit day
W_NEAR_DAY = 0.5  # explicit dates within the window
W_STORY = 1.0
W_SAME_KIND = 0.5  # the same type and mode, or the same trigger lemma
W_COUNT = 0.5  # the same count (killed, injured, arrested, size) of at least COUNT_MIN, within COUNT_TOLERANCE
COUNT_MIN = 10  # one or two dead are told of many events
COUNT_TOLERANCE = 0.1
#: A last name this long or longer, spelt this close, is one name in two transliterations ("tokaiev" / "tokayev").
FUZZY_MIN_LEN = 5
FUZZY_RATIO = 0.8
EARTH_KM = 6371.0


@dataclass(frozen=True, slots=True)
class Settings:
    """Distances, windows and thresholds; the defaults are vigie's (French news, coded actors)."""

    date_window_days: int = 1
    news_lag_days: int = 3
    city_km: float = 50.0
    region_km: float = 300.0
    min_evidence: float = 1.0
    one_per_article: bool = True  # an article's event records are distinct events (`vigie.events.merge` said so)
    #: None: two different proper names, or two sectors, in one role keep mentions apart; a number: each such
    #: conflict costs this much evidence instead (arguments coded with errors)
    actor_penalty: float | None = None
    #: mentions whose trigger lemmas differ (when both have one) need this much evidence (None: lemmas not read)
    lemma_evidence: float | None = None


class _HasRoles(Protocol):
    type: str
    source: ActorFeature | None
    target: ActorFeature | None


@dataclass(frozen=True, slots=True)
class ActorFeature:
    name: str
    country: str | None
    sector: str | None
    proper: bool  # a proper name ("Kassym-Jomart Tokaïev", "Almaty"), not a noun phrase ("les manifestants")


@dataclass(frozen=True, slots=True)
class PlaceFeature:
    name: str | None  # case-folded
    country: str | None
    lat: float | None
    lon: float | None
    kind: str | None

    @property
    def point(self) -> bool:
        """A place with coordinates that is smaller than a country."""
        return self.lat is not None and self.lon is not None and self.kind not in ("country", "admin")


@dataclass(frozen=True, slots=True)
class Features:
    """What the rules read of one mention, computed once."""

    key: tuple[str, str, int, int]
    article_id: str
    type: str
    mode: str | None
    plover: bool
    lemma: str | None
    status: frozenset[str]
    future: bool
    span: tuple[date, date] | None  # the days the event may have taken place on
    explicit_day: str | None  # a day the text gave ("2022-01-12"), else None
    place: PlaceFeature | None
    source: ActorFeature | None
    target: ActorFeature | None
    story: str | None
    duplicate_of: str | None  # the original, for a copy
    group: str  # the duplicate group: `duplicate_of`, else the article
    counts: tuple[tuple[str, float], ...]  # (field, value) of the counts the article gave


# ---------------------------------------------------------------------------------------------------- dates


def date_span(value: str | None) -> tuple[date, date] | None:
    """The first and last day a normalised date covers: "2022-01-12", "2022-01", "2022", "2022-W02",
    "2022-01-03/2022-01-09" (a time "2022-01-12T10:00" is its day); None when it cannot be read."""
    if not value:
        return None
    if "/" in value:
        a, b = date_span(value.split("/")[0]), date_span(value.split("/")[-1])
        return (a[0], b[1]) if a and b and a[0] <= b[1] else None
    v = value[:10]
    try:
        if "-W" in v:
            year, week = v.split("-W")
            monday = date.fromisocalendar(int(year), int(week[:2]), 1)
            return monday, monday + timedelta(days=6)
        parts = [int(p) for p in v.split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            first = date(parts[0], parts[1], 1)
            nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return first, nxt - timedelta(days=1)
        day = date(parts[0], parts[1], parts[2])
        return day, day
    except (ValueError, IndexError):
        return None


def gap_days(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two spans (0 when they overlap)."""
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


def dates_compatible(a: Features, b: Features, settings: Settings) -> bool:
    if a.span is None or b.span is None:
        return True
    return gap_days(a.span, b.span) <= settings.date_window_days


def date_evidence(a: Features, b: Features, settings: Settings) -> float:
    if a.explicit_day and a.explicit_day == b.explicit_day:
        return W_DAY
    if a.explicit_day and b.explicit_day and a.span and b.span and gap_days(a.span, b.span) <= settings.date_window_days:
        return W_NEAR_DAY
    return 0.0


# --------------------------------------------------------------------------------------------------- places


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def places_compatible(a: PlaceFeature | None, b: PlaceFeature | None, settings: Settings) -> bool:
    if a is None or b is None:
        return True
    if a.name and a.name == b.name:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if not (a.point or a.kind == "admin") or not (b.point or b.kind == "admin") or a.lat is None or b.lat is None:
        return True  # a country, or a place without coordinates, holds any place of its country
    assert a.lon is not None and b.lon is not None
    limit = settings.city_km if a.point and b.point else settings.region_km
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= limit


def place_evidence(a: PlaceFeature | None, b: PlaceFeature | None, settings: Settings) -> float:
    if a is None or b is None:
        return 0.0
    if a.kind != "country" and b.kind != "country" and a.name and a.name == b.name:
        return W_PLACE
    if a.point and b.point:
        assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
        if distance_km(a.lat, a.lon, b.lat, b.lon) <= settings.city_km:
            return W_PLACE
    return W_COUNTRY if a.country and a.country == b.country else 0.0


# --------------------------------------------------------------------------------------------------- actors


@lru_cache(maxsize=8192)
def _last_token(name: str) -> str:
    toks = name_tokens(name)
    return toks[-1] if toks else ""


def same_actor_name(a: str, b: str) -> bool:
    """`merge.same_name`, or the last names spelt alike (transliterations: "Tokaïev", "Tokayev", "Tokaev")."""
    if same_name(a, b):
        return True
    la, lb = _last_token(a), _last_token(b)
    if min(len(la), len(lb)) < FUZZY_MIN_LEN:
        return False
    return SequenceMatcher(None, la, lb).ratio() >= FUZZY_RATIO


def _is_proper(name: str) -> bool:
    words = name.split()
    if not words or not words[0][:1].isupper():
        return False
    table = sectors()  # "Police", "Protesters", "Manifestants" at the start of a sentence are no names
    return not any(w in table or (w.endswith("s") and w[:-1] in table) for w in name_tokens(name))


def actor_feature(name: str | None, country: str | None, sector: str | None) -> ActorFeature | None:
    if not name:
        return None
    return ActorFeature(name, country or None, sector or None, _is_proper(name))


def actor_conflict(x: ActorFeature | None, y: ActorFeature | None) -> int:
    """0: compatible; 1: two different proper names, or two sectors (coders mix "police" and "authorities", and
    a name may be misread); 2: two countries."""
    if x is None or y is None or same_actor_name(x.name, y.name):
        return 0
    if x.country and y.country and x.country != y.country:
        return 2
    if x.country and x.country == y.country and x.sector and x.sector == y.sector:
        return 0  # same country and sector: "la police kazakhe" / "Kazakh police"
    if x.sector and y.sector and x.sector != y.sector:
        return 1
    return 1 if x.proper and y.proper else 0


def role_conflicts(a: Features | _HasRoles, b: Features | _HasRoles) -> int | None:
    """Conflicts between the two mentions' actors, source with source and target with target (swapped too for
    reciprocal types: "A met B" / "B met A"): None for a hard one, else the number of soft ones."""

    def count(pairs: tuple[tuple[ActorFeature | None, ActorFeature | None], ...]) -> int | None:
        levels = [actor_conflict(x, y) for x, y in pairs]
        return None if 2 in levels else sum(levels)

    found = [count(((a.source, b.source), (a.target, b.target)))]
    if a.type in RECIPROCAL and b.type in RECIPROCAL:
        found.append(count(((a.source, b.target), (a.target, b.source))))
    known = [c for c in found if c is not None]
    return min(known) if known else None


def roles_compatible(a: Features | _HasRoles, b: Features | _HasRoles, settings: Settings) -> bool:
    """No hard conflict; and no soft one either unless `actor_penalty` makes them evidence against."""
    conflicts = role_conflicts(a, b)
    return conflicts is not None and (conflicts == 0 or settings.actor_penalty is not None)


def actor_evidence(x: ActorFeature | None, y: ActorFeature | None, weight: float) -> float:
    if x is None or y is None:
        return 0.0
    if same_actor_name(x.name, y.name):
        return weight
    if x.country and x.country == y.country and x.sector and x.sector == y.sector:
        return W_ACTOR_CODE
    return 0.0


def roles_evidence(a: Features | _HasRoles, b: Features | _HasRoles, settings: Settings) -> float:
    """Same names (or country and sector) count for; soft conflicts count against (`actor_penalty` each)."""
    conflicts = role_conflicts(a, b) or 0
    penalty = (settings.actor_penalty or 0.0) * conflicts
    straight = actor_evidence(a.source, b.source, W_SOURCE_NAME) + actor_evidence(a.target, b.target, W_TARGET_NAME)
    if a.type in RECIPROCAL and b.type in RECIPROCAL:
        swapped = actor_evidence(a.source, b.target, W_TARGET_NAME) + actor_evidence(a.target, b.source, W_SOURCE_NAME)
        return max(straight, swapped) - penalty
    return straight - penalty


# ---------------------------------------------------------------------------------------------------- types


@lru_cache(maxsize=1)
def type_rules() -> dict[tuple[str, str], tuple[tuple[str, str, str], ...]]:
    """(type, mode or "*") -> the (type, mode or "*", condition) it may also be told as (`event_identity.tsv`;
    each row both ways; the condition names the side it applies to: "future" or "self-future")."""
    out: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for row in read_rows("event_identity.tsv"):
        ta, ma, tb, mb, when = row.cells
        for t in (ta, tb):
            if not is_type(t):
                raise ValueError(f"resources/event_identity.tsv line {row.line}: {t!r} is no PLOVER type")
        if when not in ("-", "future"):
            raise ValueError(f"resources/event_identity.tsv line {row.line}: condition {when!r} is not '-' or 'future'")
        out.setdefault((ta, ma), []).append((tb, mb, when))
        out.setdefault((tb, mb), []).append((ta, ma, "self-future" if when == "future" else when))
    return {k: tuple(v) for k, v in out.items()}


def _listed(ta: str, ma: str | None, fa: bool, tb: str, mb: str | None, fb: bool) -> bool:
    rules = type_rules()
    for mode in ((ma, "*") if ma else ("*",)):
        for t, m, when in rules.get((ta, mode), ()):
            if t != tb or (m != "*" and m != mb):
                continue
            if (when == "future" and not fb) or (when == "self-future" and not fa):
                continue
            return True
    return False


@lru_cache(maxsize=4096)
def types_compatible(ta: str, ma: str | None, fa: bool, tb: str, mb: str | None, fb: bool) -> bool:
    """Two PLOVER codes (type, mode, announced) that sources may give one event."""
    if ta == tb:
        if not ma or not mb or ma == mb:
            return True
        if _listed(ta, ma, fa, tb, mb, fb):
            return True
        if ta == "ASSAULT":  # weapons of one attack combine; two acts (an abduction, a beating) do not
            return not ({ma, mb} & DISTINCT_ASSAULTS or (ma in ACT_ASSAULTS and mb in ACT_ASSAULTS))
        return ta not in DISTINCT_MODES
    return _listed(ta, ma, fa, tb, mb, fb)


def kinds_compatible(a: Features, b: Features, settings: Settings) -> bool:
    """PLOVER codes by `types_compatible`; a mention with no PLOVER type by its trigger lemma."""
    if a.plover and b.plover:
        return types_compatible(a.type, a.mode, a.future, b.type, b.mode, b.future)
    if a.lemma and b.lemma:
        return a.lemma == b.lemma
    return a.type == b.type


# ------------------------------------------------------------------------------------------------ mentions


def features(m: EventMention, settings: Settings) -> Features:
    ev = m.event
    context = set(ev.context or [])
    future = "future" in context
    explicit_day = None
    if ev.date and not ev.date_inferred:
        span = date_span(ev.date)
        if span is not None and span[0] == span[1]:
            explicit_day = span[0].isoformat()
    elif future:
        span = None  # announced, with no date: any day
    else:  # dated by its article's publication: it happened in the days before
        pub = date_span(ev.date or m.published)
        span = (pub[0] - timedelta(days=settings.news_lag_days), pub[1]) if pub else None
    place = None
    if ev.location or ev.location_country or m.lat is not None:
        place = PlaceFeature(
            (ev.location or "").casefold() or None, ev.location_country or None, m.lat, m.lon, m.place_kind
        )
    return Features(
        key=m.key,
        article_id=m.article_id,
        type=ev.type,
        mode=ev.mode or None,
        plover=is_type(ev.type),
        lemma=m.lemma,
        status=frozenset(context & STATUS),
        future=future,
        span=span,
        explicit_day=explicit_day,
        place=place,
        source=actor_feature(ev.source, ev.source_country, ev.source_sector),
        target=actor_feature(ev.target, ev.target_country, ev.target_sector),
        story=m.story,
        duplicate_of=m.duplicate_of,
        group=m.group,
        counts=tuple((name, float(v)) for name in COUNT_FIELDS if (v := getattr(ev, name)) is not None),
    )


def same_count(a: float, b: float) -> bool:
    """Two figures for one count that say the same: large enough to be telling, and close."""
    return min(a, b) >= COUNT_MIN and abs(a - b) <= COUNT_TOLERANCE * max(a, b)


def count_evidence(a: Iterable[tuple[str, float]], b: Iterable[tuple[str, float]]) -> float:
    b = list(b)
    for name, value in a:
        if any(n == name and same_count(value, v) for n, v in b):
            return W_COUNT
    return 0.0


def stories_compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def compatible(a: Features, b: Features, settings: Settings) -> bool:
    """Every hard rule, for two mentions."""
    return (
        a.status == b.status
        and stories_compatible(a.story, b.story)
        and kinds_compatible(a, b, settings)
        and dates_compatible(a, b, settings)
        and places_compatible(a.place, b.place, settings)
        and roles_compatible(a, b, settings)
        and (settings.lemma_evidence is None or not a.lemma or not b.lemma or a.lemma == b.lemma
             or evidence(a, b, settings) >= settings.lemma_evidence)
    )


def evidence(a: Features, b: Features, settings: Settings) -> float:
    """How much says two compatible mentions are one event."""
    score = roles_evidence(a, b, settings) + place_evidence(a.place, b.place, settings) + date_evidence(a, b, settings)
    score += count_evidence(a.counts, b.counts)
    if a.story and a.story == b.story:
        score += W_STORY
    if a.group == b.group and a.article_id != b.article_id:
        score += W_DUPLICATE
    if (a.plover and a.type == b.type and a.mode == b.mode) or (a.lemma and a.lemma == b.lemma):
        score += W_SAME_KIND
    return score
