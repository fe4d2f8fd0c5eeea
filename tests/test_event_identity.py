"""Cross-document event identity (vigie.events.crossdoc): the rules, the grouping, its incremental updates and
the coreference metrics. Event records are written by hand here; one model test runs the French and English
pipelines over the fixtures in tests/fixtures/event_identity (a visit told by an article, a re-wrapped copy of
it and an English rewrite, all written for vigie)."""
from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from vigie.events.crossdoc import (
    EventIndex,
    EventMention,
    Settings,
    event_id_of,
    group_mentions,
    mentions_from_article,
    mentions_of_copy,
)
from vigie.events.crossdoc import rules as R
from vigie.events.crossdoc.metrics import _max_assignment, b_cubed, ceaf_e, clusters, coref_scores, muc
from vigie.records import Article, Event, Place

FIXTURES = Path(__file__).parent / "fixtures" / "event_identity"
ALMATY = (43.2525, 76.9115)
KASKELEN = (43.2, 76.62)  # about 24 km west of Almaty
ASTANA = (51.1801, 71.446)  # about 970 km north
MOSCOW = (55.752, 37.6178)


def ev(etype: str = "CONSULT", mode: str | None = None, start: int = 0, **kw) -> Event:
    return Event(type=etype, mode=mode, start=start, end=start + 5, trigger="x", **kw)


def mention(article: str, event: Event, published: str | None = "2022-01-12", at=None, kind="city", **kw) -> EventMention:
    lat, lon = at if at else (None, None)
    return EventMention(article_id=article, event=event, published=published, lat=lat, lon=lon,
                        place_kind=kind if at else None, **kw)


def feat(m: EventMention, settings: Settings | None = None) -> R.Features:
    return R.features(m, settings or Settings())


def visit(article: str, start: int = 0, source="Kassym-Jomart Tokaïev", place="Almaty", at=ALMATY, **kw) -> EventMention:
    published = kw.pop("published", "2022-01-12")
    e = ev("CONSULT", "visit", start, source=source, source_country="KAZ", source_sector="GOV", target=place,
           location=place, location_country="KZ", date="2022-01-12", **kw)
    return mention(article, e, published=published, at=at)


# ------------------------------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    "a, b, same",
    [
        (("CONSULT", "visit", False), ("CONSULT", "visit", False), True),
        (("CONSULT", "visit", False), ("CONSULT", None, False), True),  # one mode missing
        (("CONSULT", "visit", False), ("CONSULT", "phone", False), False),  # a call is no visit
        (("CONSULT", "visit", False), ("CONSULT", "multilateral", False), True),  # event_identity.tsv
        (("PROTEST", "demo", False), ("PROTEST", "riot", False), True),  # a demonstration another source calls a riot
        (("PROTEST", "demo", False), ("PROTEST", "strike", False), False),
        (("PROTEST", "riot", False), ("ASSAULT", "primitive", False), True),  # a riot told as attacks
        (("PROTEST", "demo", False), ("ASSAULT", None, False), False),
        (("ASSAULT", "firearms", False), ("ASSAULT", "explosives", False), True),  # weapons of one attack
        (("ASSAULT", "abduct", False), ("ASSAULT", "firearms", False), False),  # an abduction is its own act
        (("ASSAULT", "abduct", False), ("COERCE", "arrest", False), True),  # captured combatants (manual)
        (("COERCE", "arrest", False), ("COERCE", "seize", False), False),
        (("AGREE", None, False), ("CONSULT", "visit", True), True),  # a promised visit, and the visit announced
        (("AGREE", None, False), ("CONSULT", "visit", False), False),  # ... not the visit made
        (("CONSULT", "visit", True), ("AGREE", None, False), True),  # both ways
        (("ACCUSE", "disapprove", False), ("PROTEST", "demo", False), True),  # a diplomatic protest
        (("CONSULT", None, False), ("ASSAULT", None, False), False),
    ],
)
def test_type_compatibility(a, b, same):
    assert R.types_compatible(*a, *b) is same
    assert R.types_compatible(*b, *a) is same


def test_type_table_names_plover_types_only():
    rules = R.type_rules()
    assert ("PROTEST", "riot") in rules and ("COERCE", "arrest") in rules
    assert all(t in ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                     "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
               for key, others in rules.items() for t in [key[0]] + [o[0] for o in others])


def test_untyped_mentions_match_by_lemma():
    a = feat(mention("a", ev("", start=0), lemma="earthquake"))
    b = feat(mention("b", ev("", start=0), lemma="earthquake"))
    c = feat(mention("c", ev("", start=0), lemma="rehab"))
    assert R.kinds_compatible(a, b, Settings()) and not R.kinds_compatible(a, c, Settings())


# ------------------------------------------------------------------------------------------------ actors


def actor(name, country=None, sector=None):
    return R.actor_feature(name, country, sector)


@pytest.mark.parametrize(
    "x, y, level",
    [
        (actor("M. Tokaïev"), actor("Kassym-Jomart Tokaïev", "KAZ", "GOV"), 0),  # same canonical name
        (actor("Tokayev"), actor("Kassym-Jomart Tokaïev", "KAZ", "GOV"), 0),  # transliterated
        (actor("police kazakhe", "KAZ", "COP"), actor("Kazakh police", "KAZ", "COP"), 0),  # same country and sector
        (None, actor("Kassym-Jomart Tokaïev", "KAZ", "GOV"), 0),  # one side unknown
        (actor("manifestants"), actor("Kassym-Jomart Tokaïev", "KAZ", "GOV"), 0),  # a noun phrase, no code
        (actor("Russie", "RUS", "GOV"), actor("Ukraine", "UKR", "GOV"), 2),  # two countries: never one event
        (actor("Emmanuel Macron", "FRA", "GOV"), actor("Olaf Scholz", "DEU", "GOV"), 2),
        (actor("Jean Dupont"), actor("Pierre Martin"), 1),  # two different names
        (actor("police", "KAZ", "COP"), actor("armée", "KAZ", "MIL"), 1),  # two sectors
        (actor("Police"), actor("Pierre Martin"), 0),  # an actor word at a sentence start is no name
    ],
)
def test_actor_compatibility(x, y, level):
    assert R.actor_conflict(x, y) == level
    assert R.actor_conflict(y, x) == level


def test_actor_conflicts_are_hard_unless_penalised():
    a = feat(mention("a", ev("ASSAULT", source="Jean Dupont", location="Lyon", location_country="FR")))
    b = feat(mention("b", ev("ASSAULT", source="Pierre Martin", location="Lyon", location_country="FR")))
    assert not R.compatible(a, b, Settings())
    soft = Settings(actor_penalty=0.5)
    assert R.compatible(a, b, soft)
    assert R.evidence(a, b, soft) == R.evidence(replace(a, source=None), b, soft) - 0.5


def test_reciprocal_types_accept_swapped_roles():
    a = feat(mention("a", ev("CONSULT", source="Emmanuel Macron", target="Olaf Scholz")))
    b = feat(mention("b", ev("CONSULT", source="Olaf Scholz", target="Emmanuel Macron")))
    assert R.roles_compatible(a, b, Settings())
    c = feat(mention("a", ev("ASSAULT", source="Jean Dupont", target="Pierre Martin")))
    d = feat(mention("b", ev("ASSAULT", source="Pierre Martin", target="Jean Dupont")))
    assert not R.roles_compatible(c, d, Settings())  # X attacking Y is not Y attacking X


# ------------------------------------------------------------------------------------------------ places


def place(name, country, at=None, kind="city"):
    lat, lon = at if at else (None, None)
    return R.PlaceFeature(name.casefold(), country, lat, lon, kind)


def test_distance():
    assert R.distance_km(48.8566, 2.3522, 45.764, 4.8357) == pytest.approx(392, abs=3)  # Paris - Lyon
    assert R.distance_km(*ALMATY, *KASKELEN) < 30
    assert R.distance_km(*ALMATY, *ASTANA) > 900


@pytest.mark.parametrize(
    "a, b, same",
    [
        (place("Almaty", "KZ", ALMATY), place("Kaskelen", "KZ", KASKELEN), True),  # within city_km
        (place("Almaty", "KZ", ALMATY), place("Astana", "KZ", ASTANA), False),
        (place("Kazakhstan", "KZ", (48.0, 68.0), "country"), place("Almaty", "KZ", ALMATY), True),  # inside it
        (place("Kazakhstan", "KZ", (48.0, 68.0), "country"), place("Moscou", "RU", MOSCOW), False),
        (place("Almaty", "KZ"), place("Astana", "KZ", ASTANA), True),  # no coordinates: its country
        (place("Almaty region", "KZ", (44.0, 77.0), "admin"), place("Almaty", "KZ", ALMATY), True),  # within region_km
        (place("Almaty", "KZ", ALMATY), None, True),
    ],
)
def test_places_within_distance(a, b, same):
    assert R.places_compatible(a, b, Settings()) is same
    assert R.places_compatible(b, a, Settings()) is same


def test_a_larger_distance_setting_joins_farther_places():
    a, b = place("Almaty", "KZ", ALMATY), place("Astana", "KZ", ASTANA)
    assert R.places_compatible(a, b, Settings(city_km=1000))


# ------------------------------------------------------------------------------------------------- dates


def test_date_spans():
    assert R.date_span("2022-01-12") == (date(2022, 1, 12), date(2022, 1, 12))
    assert R.date_span("2022-01") == (date(2022, 1, 1), date(2022, 1, 31))
    assert R.date_span("2022-12") == (date(2022, 12, 1), date(2022, 12, 31))
    assert R.date_span("2022") == (date(2022, 1, 1), date(2022, 12, 31))
    assert R.date_span("2022-W02") == (date(2022, 1, 10), date(2022, 1, 16))
    assert R.date_span("2022-01-03/2022-01-09") == (date(2022, 1, 3), date(2022, 1, 9))
    assert R.date_span("2022-01-12T15:00") == (date(2022, 1, 12), date(2022, 1, 12))
    assert R.date_span("PRESENT_REF") is None and R.date_span(None) is None


@pytest.mark.parametrize(
    "da, db, same",
    [
        ("2022-01-12", "2022-01-12", True),
        ("2022-01-12", "2022-01-13", True),  # within the one-day window (time zones, overnight events)
        ("2022-01-12", "2022-01-15", False),
        ("2022-01", "2022-01-12", True),  # a month holds its days
        ("2021", "2022-01-12", False),
    ],
)
def test_date_window(da, db, same):
    a = feat(mention("a", ev(date=da)))
    b = feat(mention("b", ev(date=db)))
    assert R.dates_compatible(a, b, Settings()) is same


def test_an_undated_mention_covers_the_days_before_its_publication():
    undated = feat(mention("a", ev(date="2022-01-14", date_inferred=True), published="2022-01-14"))
    assert undated.span == (date(2022, 1, 11), date(2022, 1, 14))
    assert R.dates_compatible(undated, feat(mention("b", ev(date="2022-01-11"))), Settings())
    assert not R.dates_compatible(undated, feat(mention("b", ev(date="2022-01-08"))), Settings())
    announced = feat(mention("c", ev(date="2022-01-14", date_inferred=True, context=["future"])))
    assert announced.span is None  # announced with no date: any day


# ------------------------------------------------------------------------------------------------ grouping


def test_one_visit_told_by_three_articles_is_one_event():
    events = group_mentions([
        visit("a"),
        visit("b", source="Tokayev", place="Almaty"),
        visit("c", source="M. Tokaïev", published="2022-01-13"),
    ])
    assert len(events) == 1
    e = events[0]
    assert (e.type, e.mode, e.n_articles, e.n_sources, e.n_mentions) == ("CONSULT", "visit", 3, 3, 3)
    assert e.source is not None and e.source.name == "Kassym-Jomart Tokaïev" and e.source.country == "KAZ"
    assert e.location is not None and e.location.name == "Almaty" and e.location.lat == ALMATY[0]
    assert (e.first_seen, e.last_seen, e.date, e.date_inferred) == ("2022-01-12", "2022-01-13", "2022-01-12", False)
    assert [(m.article_id, m.start, m.end) for m in e.mentions] == [("a", 0, 5), ("b", 0, 5), ("c", 0, 5)]


def test_rules_keep_events_apart():
    base = visit("a")
    far = visit("b", place="Astana", at=ASTANA)
    later = replace(visit("c"), event=replace(visit("c").event, date="2022-01-20"))
    other_visitor = replace(visit("d"), event=replace(visit("d").event, source="Vladimir Poutine",
                                                      source_country="RUS"))
    negated = replace(visit("e"), event=replace(visit("e").event, context=["negated"]))
    events = group_mentions([base, far, later, other_visitor, negated])
    assert len(events) == 5


def test_the_place_of_a_country_joins_a_city_inside_it():
    country = mention("b", ev("CONSULT", "visit", source="Tokayev", location="Kazakhstan", location_country="KZ",
                              date="2022-01-12"), at=(48.0, 68.0), kind="country")
    events = group_mentions([visit("a"), country])
    assert len(events) == 1 and events[0].location is not None and events[0].location.name == "Almaty"


def test_compatible_but_unrelated_records_need_evidence():
    # two attacks reported the same day with nothing else in common: two events
    a = mention("a", ev("ASSAULT", date="2022-01-12", date_inferred=True))
    b = mention("b", ev("ASSAULT", date="2022-01-12", date_inferred=True))
    assert len(group_mentions([a, b])) == 2
    # the same place and type: one
    a2 = replace(a, event=replace(a.event, location="Almaty", location_country="KZ"), lat=ALMATY[0], lon=ALMATY[1],
                 place_kind="city")
    b2 = replace(b, event=replace(b.event, location="Almaty", location_country="KZ"), lat=ALMATY[0], lon=ALMATY[1],
                 place_kind="city")
    assert len(group_mentions([a2, b2])) == 1


def test_counts_are_kept_as_a_range():
    a = mention("a", ev("ASSAULT", "explosives", location="Kaboul", location_country="AF", date="2022-03-02",
                        killed=12, injured=30))
    b = mention("b", ev("ASSAULT", "suicide-attack", location="Kaboul", location_country="AF", date="2022-03-02",
                        killed=15))
    c = mention("c", ev("ASSAULT", None, location="Kaboul", location_country="AF", date="2022-03-02", killed=12))
    (e,) = group_mentions([a, b, c])
    assert (e.counts["killed"].low, e.counts["killed"].high, e.counts["killed"].reports) == (12, 15, 3)
    assert (e.counts["injured"].low, e.counts["injured"].high, e.counts["injured"].reports) == (30, 30, 1)
    assert "arrested" not in e.counts
    assert e.mode == "explosives"  # the most given mode, the first on a tie


def test_an_article_gives_at_most_one_record_to_an_event():
    # two visits in one article (the article's merging said they are two): they stay two events
    a1, a2 = visit("a", start=0), visit("a", start=100, source="Alikhan Smaïlov")
    events = group_mentions([a1, a2, visit("b")])
    assert sorted(e.n_articles for e in events) == [1, 2]
    joined = next(e for e in events if e.n_articles == 2)
    assert {(m.article_id, m.start) for m in joined.mentions} == {("a", 0), ("b", 0)}


def test_duplicates_and_one_publisher_count_once_in_sources():
    events = group_mentions([
        replace(visit("orig"), duplicate_of="g1", source="Le Journal"),
        replace(visit("copy"), duplicate_of="g1", source="Agrégateur"),
        replace(visit("en"), source="The Daily"),
        replace(visit("en-update", published="2022-01-13"), source="The Daily"),
    ])
    (e,) = events
    assert (e.n_articles, e.n_sources) == (4, 2)


def test_a_duplicate_joins_the_events_of_its_original():
    orig = replace(mention("orig", ev("ASSAULT", date="2022-01-12", date_inferred=True)), source="Le Journal")
    copy = replace(mention("copy", ev("ASSAULT", date="2022-01-12", date_inferred=True)), duplicate_of="orig",
                   source="Agrégateur")
    (e,) = group_mentions([orig, copy])  # no other evidence: the copy is the same text
    assert (e.n_articles, e.n_sources) == (2, 1)
    # the copy dated before its original (in date order it comes first): the same
    (e,) = group_mentions([orig, replace(copy, published="2022-01-11")])
    assert (e.n_articles, e.n_sources) == (2, 1)


def test_copies_that_were_not_analysed_take_their_originals_records():
    original = [visit("orig", start=0), mention("orig", ev("ASSAULT", start=50, date="2022-01-12"))]
    copies = mentions_of_copy(original, "copy", published="2022-01-13", source="Agrégateur")
    assert [(m.article_id, m.duplicate_of, m.published, m.event.start) for m in copies] == [
        ("copy", "orig", "2022-01-13", 0), ("copy", "orig", "2022-01-13", 50)]
    events = group_mentions(original + copies + mentions_of_copy(copies, "copy2", "2022-01-14", "Autre site"))
    assert [(e.n_articles, e.n_sources) for e in events] == [(3, 1), (3, 1)]


def test_stories_keep_events_apart_and_linked_stories_join():
    a, b = replace(visit("a"), story="s1"), replace(visit("b"), story="s2")
    assert len(group_mentions([a, b])) == 2
    index = EventIndex(story_of={"s2": "s1"})
    index.add([a, b])
    assert len(index.events()) == 1


def test_event_ids_are_stable():
    ms = [visit("b"), visit("a"), replace(visit("c"), published="2022-01-11")]
    (e,) = group_mentions(ms)
    assert e.event_id == event_id_of("c", 0, 5)  # the earliest mention in date order
    assert e.event_id == group_mentions(list(reversed(ms)))[0].event_id
    assert e.event_id.startswith("ev-") and len(e.event_id) == 19


# --------------------------------------------------------------------------------------------- incremental

PLACES = [("Almaty", "KZ", ALMATY), ("Astana", "KZ", ASTANA), ("Moscou", "RU", MOSCOW), ("Kaskelen", "KZ", KASKELEN)]
ACTORS = [("Kassym-Jomart Tokaïev", "KAZ", "GOV"), ("Tokayev", None, None), ("police", "KAZ", "COP"),
          ("manifestants", "KAZ", "CVL"), ("Vladimir Poutine", "RUS", "GOV"), (None, None, None)]
TYPES = [("CONSULT", "visit"), ("ASSAULT", "firearms"), ("ASSAULT", None), ("PROTEST", "riot"), ("PROTEST", "demo"),
         ("COERCE", "arrest")]


def synthetic_corpus(seed: int, n_articles: int = 40) -> list[EventMention]:
    """Articles over two weeks telling a few events each, with the variations sources give."""
    rng = random.Random(seed)
    out = []
    for i in range(n_articles):
        published = f"2022-01-{rng.randint(1, 14):02d}"
        group = f"g{i // 3}" if rng.random() < 0.2 else None
        for k in range(rng.randint(1, 3)):
            etype, mode = rng.choice(TYPES)
            name, country, sector = rng.choice(ACTORS)
            pname, pcountry, at = rng.choice(PLACES)
            day = f"2022-01-{max(1, int(published[-2:]) - rng.randint(0, 2)):02d}"
            e = ev(etype, mode, start=100 * k, source=name, source_country=country, source_sector=sector,
                   location=pname, location_country=pcountry, date=day, date_inferred=rng.random() < 0.3,
                   killed=rng.choice([None, 10, 12, 40]), confidence=rng.choice([0.6, 0.8, 0.9]))
            out.append(EventMention(f"art{i:02d}", e, published=published, source=f"site{i % 7}", duplicate_of=group,
                                    story=rng.choice([None, "s1", "s2"]), lat=at[0], lon=at[1], place_kind="city"))
    return out


def by_article(mentions: list[EventMention]) -> dict[str, list[EventMention]]:
    out: dict[str, list[EventMention]] = {}
    for m in mentions:
        out.setdefault(m.article_id, []).append(m)
    return out


def snapshot(events) -> list[dict]:
    return [e.as_dict() for e in events]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_equals_rebuild_in_date_order(seed):
    corpus = synthetic_corpus(seed)
    rebuilt = group_mentions(corpus)
    assert any(e.n_articles > 1 for e in rebuilt) and len(rebuilt) > 5
    articles = list(by_article(corpus).values())
    random.Random(seed).shuffle(articles)  # late articles, in any order
    index = EventIndex()
    while articles:
        batch, articles = articles[:3], articles[3:]
        index.add(m for ms in batch for m in ms)
    assert snapshot(index.events()) == snapshot(rebuilt)


def test_updates_say_what_changed():
    corpus = synthetic_corpus(7)
    articles = list(by_article(corpus).values())
    random.Random(7).shuffle(articles)
    index = EventIndex()
    known: dict[str, dict] = {}
    for ms in articles:
        update = index.add(ms)
        now = {e.event_id: e.as_dict() for e in index.events()}
        assert set(update.removed) == set(known) - set(now)
        changed = {eid for eid, d in now.items() if known.get(eid, {}).get("mentions") != d["mentions"]}
        assert changed <= set(update.changed)
        for eid in update.changed:  # a store upserts these rows, deletes the removed ones
            known[eid] = now[eid]
        for eid in update.removed:
            known.pop(eid)
        assert {eid: d["mentions"] for eid, d in known.items()} == {eid: d["mentions"] for eid, d in now.items()}


def test_reanalysis_and_removal_give_the_rebuild():
    corpus = synthetic_corpus(11)
    arts = by_article(corpus)
    index = EventIndex()
    index.add(corpus)
    # an article analysed again, its events changed: the same as a rebuild with the new records
    target = sorted(arts)[5]
    changed = [replace(m, event=replace(m.event, killed=99)) for m in arts[target]]
    index.add(changed)
    expected = [m for a, ms in arts.items() if a != target for m in ms] + changed
    assert snapshot(index.events()) == snapshot(group_mentions(expected))
    # an article deleted
    gone = sorted(arts)[2]
    index.remove([gone])
    assert snapshot(index.events()) == snapshot(group_mentions([m for m in expected if m.article_id != gone]))


def test_event_of_finds_an_articles_event():
    index = EventIndex()
    index.add([visit("a"), visit("b")])
    (e,) = index.events()
    assert index.event_of("b", 0, 5) == e.event_id and index.event_of("b", 1, 2) is None
    assert index.event(e.event_id) == e and len(index) == 1


# ---------------------------------------------------------------------------------------- article records


def test_mentions_from_article_take_coordinates_from_its_places():
    text = "Le président kazakh s'est rendu mercredi à Almaty."
    art = Article(id="x", raw=text, text=text, published="2022-01-12", source="Le Journal")
    art.places = [Place("Almaty", 43, 49, "Almaty", "KZ", "city", *ALMATY, geonames_id=1526384)]
    art.events = [ev("CONSULT", "visit", 24, location="Almaty", location_country="KZ", evidence_end=50),
                  ev("PROTEST", None, 30, location=None, location_country="KZ")]
    a, b = mentions_from_article(art, duplicate_of="g", story="s")
    assert (a.lat, a.lon, a.place_kind, a.source, a.duplicate_of, a.story) == (*ALMATY, "city", "Le Journal", "g", "s")
    assert (b.lat, b.place_kind) == (None, "country")


# ------------------------------------------------------------------------------------------------- metrics

# Bagga & Baldwin's example: gold {1-5} {6,7} {8-12}; the response joins the last two
GOLD = {i: ("a" if i <= 5 else "b" if i <= 7 else "c") for i in range(1, 13)}
PRED = {i: ("a" if i <= 5 else "b") for i in range(1, 13)}


def test_metrics_on_a_hand_made_partition():
    b3 = b_cubed(GOLD, PRED)
    assert (b3.p, b3.r) == (pytest.approx(64 / 84), 1.0)  # (5 + 2 * 2/7 + 5 * 5/7) / 12
    m = muc(GOLD, PRED)
    assert (m.p, m.r) == (pytest.approx(9 / 10), 1.0)  # 9 links right of 10 predicted
    c = ceaf_e(GOLD, PRED)
    phi = 1 + 2 * 5 / 12  # {1-5} with itself, {8-12} with {6-12}
    assert (c.p, c.r) == (pytest.approx(phi / 2), pytest.approx(phi / 3))
    scores = coref_scores(GOLD, PRED)
    assert scores["conll"] == pytest.approx((m.f1 + b3.f1 + c.f1) / 3)


def test_metrics_of_extreme_partitions():
    gold = {1: "a", 2: "a", 3: "b", 4: "c"}
    assert coref_scores(gold, gold)["conll"] == pytest.approx(1.0)
    alone = muc(gold, {k: k for k in gold})
    assert (alone.p, alone.r, alone.f1) == (0.0, 0.0, 0.0)  # no link predicted
    b3 = b_cubed(gold, {k: "x" for k in gold})
    assert (b3.p, b3.r) == (pytest.approx((2 * 0.5 + 2 * 0.25) / 4), 1.0)
    with pytest.raises(ValueError):
        coref_scores(gold, {1: "a"})


def test_clusters_and_assignment():
    assert sorted(map(sorted, clusters({1: "a", 2: "a", 3: "b"}))) == [[1, 2], [3]]
    rng = random.Random(0)
    for _ in range(30):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        w = [[rng.choice([0.0, 0.2, 0.5, 1.0]) for _ in range(cols)] for _ in range(rows)]
        brute = max(
            sum(w[r][c] for r, c in zip(perm_rows, perm_cols, strict=False))
            for perm_rows in itertools.permutations(range(rows))
            for perm_cols in itertools.permutations(range(cols))
        ) if rows * cols else 0.0
        assert _max_assignment(w) == pytest.approx(brute)


# ----------------------------------------------------------------------------------------- on vigie's output


@pytest.mark.model
def test_a_visit_its_copy_and_an_english_rewrite_are_one_event(nlp, en):
    from vigie.analysis.from_doc import annotate_article
    from vigie.nlp.model_text import model_text

    index = EventIndex()
    for aid, name, pipeline, source, group in (
        ("fr", "visit_fr.txt", nlp, "Le Journal", None),
        ("fr-copy", "visit_fr_rewrapped.txt", nlp, "Agrégateur", "fr"),  # the same text re-wrapped: a copy of "fr"
        ("en", "visit_en.txt", en, "The Daily", None),
    ):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        art = Article(id=aid, raw=text, text=text, published="2022-01-12", source=source)
        annotate_article(art, pipeline(model_text(text)))
        index.add(mentions_from_article(art, duplicate_of=group))
    visits = [e for e in index.events() if e.type == "CONSULT" and e.mode == "visit"]
    assert len(visits) == 1
    v = visits[0]
    assert (v.n_articles, v.n_sources) == (3, 2)
    assert v.location is not None and v.location.name == "Almaty" and v.date == "2022-01-12"
    assert {m.article_id for m in v.mentions} == {"fr", "fr-copy", "en"}
