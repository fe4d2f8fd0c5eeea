"""Browse queries of the store (events, entities, quotes, places, article list) on hand-made articles,
on SQLite and PostgreSQL (see store_backends.py)."""

from __future__ import annotations

import threading
from dataclasses import asdict

import pytest

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from vigie.records import Article, EntityMention, Event, Measure, Place, Quote
from vigie.store import EventFilter

RENNES_TEXT = (
    "Des milliers de manifestants ont défilé jeudi à Rennes contre la réforme des retraites. "
    "La police a interpellé douze personnes en fin de journée. "
    "« Nous ne céderons pas », a déclaré Élisabeth Borne."
)
PARIS_TEXT = (
    "Élisabeth Borne s'est rendue lundi à Paris pour une réunion avec les syndicats. "
    "Selon la Première ministre, le dialogue reste ouvert à Paris comme ailleurs."
)
TEXAS_TEXT = "Hundreds of protesters gathered in Paris, Texas, on Saturday. They marched 3 miles to the courthouse."


def _span(body: str, words: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = body.index(words, start + 1)
    return start, start + len(words)


def _ent(body: str, words: str, label: str, canonical: str | None = None, nth: int = 0) -> EntityMention:
    s, e = _span(body, words, nth)
    return EntityMention(text=words, label=label, start=s, end=e, canonical=canonical or words)


def _place(body: str, words: str, country: str, lat: float, lon: float, nth: int = 0, **kw) -> Place:
    s, e = _span(body, words, nth)
    return Place(text=words, start=s, end=e, name=words, country=country, kind="city", lat=lat, lon=lon, **kw)


def _event(body: str, trigger: str, type: str, mode: str | None, **kw) -> Event:
    s, e = _span(body, trigger)
    return Event(type=type, mode=mode, start=s, end=e, trigger=trigger, evidence=body[:40], **kw)


def rennes() -> Article:
    b = RENNES_TEXT
    qs, qe = _span(b, "Nous ne céderons pas")
    ss, se = _span(b, "Élisabeth Borne")
    return Article(
        id="aaaaaa000001",
        raw=b,
        text=b,
        origin="c/rennes.txt",
        title="Manifestation à Rennes",
        source="ouest.example",
        published="2024-03-14",
        language="fr",
        entities=[_ent(b, "Rennes", "LOC"), _ent(b, "Élisabeth Borne", "PER")],
        quotes=[
            Quote(
                text=b[qs:qe],
                start=qs,
                end=qe,
                speaker="Élisabeth Borne",
                cue="déclarer",
                direct=True,
                speaker_text="Élisabeth Borne",
                speaker_start=ss,
                speaker_end=se,
            )
        ],
        places=[_place(b, "Rennes", "FR", 48.11, -1.68, main=True, geonames_id=2983990)],
        events=[
            _event(
                b,
                "défilé",
                "PROTEST",
                "demo",
                source="manifestants",
                location="Rennes",
                location_country="FR",
                date="2024-03-14",
                size=2000.0,
            ),
            # a month-level date: placed on the day of publication
            _event(
                b,
                "interpellé",
                "COERCE",
                "arrest",
                source="police",
                source_country="FRA",
                source_sector="COP",
                target="manifestants",
                location="Rennes",
                location_country="FR",
                date="2024-03",
                arrested=12.0,
            ),
        ],
    )


def paris() -> Article:
    b = PARIS_TEXT
    return Article(
        id="bbbbbb000002",
        raw=b,
        text=b,
        origin="c/paris.txt",
        title="Borne reçoit les syndicats",
        source="paris.example",
        published="2024-03-10",
        language="fr",
        entities=[
            _ent(b, "Élisabeth Borne", "PER"),
            _ent(b, "Paris", "LOC"),
            _ent(b, "Paris", "LOC", nth=1),
            _ent(b, "Première ministre", "PER", canonical="Élisabeth Borne"),
        ],
        quotes=[
            Quote(
                text="le dialogue reste ouvert à Paris comme ailleurs",
                start=b.index("le dialogue"),
                end=b.index(" comme ailleurs") + len(" comme ailleurs"),
                speaker="Élisabeth Borne",
                cue="selon",
                direct=False,
            )
        ],
        places=[_place(b, "Paris", "FR", 48.8566, 2.3522), _place(b, "Paris", "FR", 48.8566, 2.3522, nth=1)],
        events=[
            _event(
                b,
                "rendue",
                "CONSULT",
                "visit",
                source="Élisabeth Borne",
                source_country="FRA",
                source_sector="GOV",
                location="Paris",
                location_country="FR",
                date="2024-03-11",
                context=["historical"],
                mentions=[[0, 5]],
            )
        ],
    )


def texas() -> Article:
    b = TEXAS_TEXT
    return Article(
        id="cccccc000003",
        raw=b,
        text=b,
        origin="c/texas.txt",
        title=None,
        published=None,
        language="en",
        entities=[_ent(b, "Paris", "LOC")],
        places=[_place(b, "Paris", "US", 33.66, -95.55)],
        events=[_event(b, "gathered", "PROTEST", "demo", source="protesters", location="Paris", location_country="US")],
        measures=[Measure("3 miles", *_span(b, "3 miles"), value=3.0, unit="mi")],
    )


@pytest.fixture
def filled(store):
    for art in (rennes(), paris(), texas()):
        assert store.upsert_article(art) == "new"
    return store


def _keys(events: list[dict]) -> list[tuple[str, str]]:
    return [(e["article_id"], e["type"]) for e in events]


def test_list_articles_newest_first_with_counts(filled):
    rows = filled.list_articles()
    assert [r["id"] for r in rows] == ["aaaaaa000001", "bbbbbb000002", "cccccc000003"]  # undated last
    first = rows[0]
    assert set(first) == {"id", "title", "published", "source", "language", "url", "n_entities", "n_quotes", "n_events",
                          "n_duplicates", "duplicate_of", "story_id"}
    assert (first["n_entities"], first["n_quotes"], first["n_events"]) == (2, 1, 2)
    assert (first["n_duplicates"], first["duplicate_of"], first["story_id"]) == (0, None, None)
    assert [r["id"] for r in filled.list_articles(limit=1, offset=1)] == ["bbbbbb000002"]
    assert filled.list_articles(limit=0) == []


def test_articles_come_back_with_their_measures(filled):
    # get_article and iter_articles (what `vigie show`, the API and the exports read) return measures with the rest
    assert filled.get_article("cccccc")["measures"] == [asdict(m) for m in texas().measures]
    assert {a["id"]: a["measures"] for a in filled.iter_articles(batch_size=2)} == {
        "aaaaaa000001": [],
        "bbbbbb000002": [],
        "cccccc000003": [{"text": "3 miles", "start": 75, "end": 82, "value": 3.0, "low": None, "high": None,
                          "unit": "mi", "extractor": "vigie-quantities"}],
    }
    assert filled.stats()["measures"] == 1


def test_list_events_order_and_fields(filled):
    events = filled.list_events()
    # by the event's day: 03-11, 03-14 (date), 03-14 (month date -> published day), undated last
    assert _keys(events) == [
        ("bbbbbb000002", "CONSULT"),
        ("aaaaaa000001", "PROTEST"),
        ("aaaaaa000001", "COERCE"),
        ("cccccc000003", "PROTEST"),
    ]
    consult = events[0]
    assert consult["article_title"] == "Borne reçoit les syndicats" and consult["published"] == "2024-03-10"
    assert consult["idx"] == 0 and consult["context"] == ["historical"] and consult["mentions"] == [[0, 5]]
    assert consult["date_inferred"] is False and PARIS_TEXT[consult["start"] : consult["end"]] == "rendue"
    assert events[2]["arrested"] == 12.0 and events[2]["source_sector"] == "COP"
    assert filled.count_events() == 4
    assert _keys(filled.list_events(limit=2, offset=1)) == [("aaaaaa000001", "PROTEST"), ("aaaaaa000001", "COERCE")]


@pytest.mark.parametrize(
    "flt, expected",
    [
        (EventFilter(type="protest"), [("aaaaaa000001", "PROTEST"), ("cccccc000003", "PROTEST")]),
        (EventFilter(type="COERCE", mode="arrest"), [("aaaaaa000001", "COERCE")]),
        (EventFilter(mode="visit"), [("bbbbbb000002", "CONSULT")]),
        (EventFilter(country="us"), [("cccccc000003", "PROTEST")]),  # location country, alpha-2
        # one code system: FRA and FR both find French actors (alpha-3) and places in France (alpha-2)
        (EventFilter(country="FRA"), [("bbbbbb000002", "CONSULT"), ("aaaaaa000001", "PROTEST"),
                                      ("aaaaaa000001", "COERCE")]),
        (EventFilter(actor="elisabeth"), [("bbbbbb000002", "CONSULT")]),  # accent- and case-insensitive substring
        (EventFilter(actor="MANIF"), [("aaaaaa000001", "PROTEST"), ("aaaaaa000001", "COERCE")]),  # source or target
        (EventFilter(place="paris"), [("bbbbbb000002", "CONSULT"), ("cccccc000003", "PROTEST")]),
        (EventFilter(place="paris", country="FR"), [("bbbbbb000002", "CONSULT")]),
        (EventFilter(date_from="2024-03-12"), [("aaaaaa000001", "PROTEST"), ("aaaaaa000001", "COERCE")]),
        (EventFilter(date_to="2024-03-11"), [("bbbbbb000002", "CONSULT")]),
        (EventFilter(date_from="2024-03-11", date_to="2024-03-11"), [("bbbbbb000002", "CONSULT")]),
        (EventFilter(article_id="aaaaaa000001", type="PROTEST"), [("aaaaaa000001", "PROTEST")]),
        (EventFilter(actor="%"), []),  # LIKE wildcards are literal characters
        (EventFilter(actor="_"), []),
        (EventFilter(place="'; DROP TABLE events; --"), []),
    ],
)
def test_event_filters(filled, flt, expected):
    assert _keys(filled.list_events(flt)) == expected
    assert filled.count_events(flt) == len(expected)


def test_event_timeline(filled):
    assert filled.event_timeline() == [
        {"day": "2024-03-11", "type": "CONSULT", "n": 1},
        {"day": "2024-03-14", "type": "COERCE", "n": 1},
        {"day": "2024-03-14", "type": "PROTEST", "n": 1},
    ]  # the Texas event has no day at all (no date, no publication date)
    assert filled.event_timeline(EventFilter(type="PROTEST")) == [{"day": "2024-03-14", "type": "PROTEST", "n": 1}]


def test_event_places(filled):
    got = {(p["name"], p["country"]): p for p in filled.event_places()}
    assert set(got) == {("Rennes", "FR"), ("Paris", "FR"), ("Paris", "US")}
    rennes_group = got[("Rennes", "FR")]
    assert rennes_group["n"] == 2 and rennes_group["types"] == {"COERCE": 1, "PROTEST": 1}
    assert (rennes_group["lat"], rennes_group["lon"]) == (48.11, -1.68)
    # same name, two countries: each gets the coordinates resolved in its country
    assert (got[("Paris", "FR")]["lat"], got[("Paris", "US")]["lat"]) == (48.8566, 33.66)
    assert filled.event_places()[0]["name"] == "Rennes"  # most events first
    assert [p["name"] for p in filled.event_places(EventFilter(type="CONSULT"))] == ["Paris"]


def test_list_entities(filled):
    rows = filled.list_entities()
    assert rows[:2] == [  # most mentioned first; ties by name
        {"canonical": "Paris", "label": "LOC", "n_mentions": 3, "n_articles": 2},
        {"canonical": "Élisabeth Borne", "label": "PER", "n_mentions": 3, "n_articles": 2},
    ]
    assert rows[2] == {"canonical": "Rennes", "label": "LOC", "n_mentions": 1, "n_articles": 1}
    assert [r["canonical"] for r in filled.list_entities(label="loc")] == ["Paris", "Rennes"]
    assert [r["canonical"] for r in filled.list_entities(query="BORNE")] == ["Élisabeth Borne"]
    assert [r["canonical"] for r in filled.list_entities(query="elisa")] == ["Élisabeth Borne"]  # accents folded
    assert filled.list_entities(query="%") == [] and len(filled.list_entities(limit=1, offset=1)) == 1


def test_get_entity(filled):
    ent = filled.get_entity("Élisabeth Borne")
    assert ent["canonical"] == "Élisabeth Borne" and ent["labels"] == ["PER"]
    assert (ent["n_mentions"], ent["n_articles"]) == (3, 2)
    assert ent["mentions_by_day"] == [{"day": "2024-03-10", "n": 2}, {"day": "2024-03-14", "n": 1}]
    assert [a["id"] for a in ent["articles"]] == ["aaaaaa000001", "bbbbbb000002"]
    assert set(ent["articles"][0]) == {"id", "title", "published"}
    assert [(q["article_id"], q["direct"]) for q in ent["quotes"]] == [("aaaaaa000001", True), ("bbbbbb000002", False)]
    assert _keys(ent["events_as_source"]) == [("bbbbbb000002", "CONSULT")] and ent["events_as_target"] == []
    assert filled.get_entity("elisabeth BORNE")["canonical"] == "Élisabeth Borne"  # case and accents folded
    assert filled.get_entity("Personne") is None
    # an actor that is never a named-entity mention still has a page
    manif = filled.get_entity("manifestants")
    assert manif["n_mentions"] == 0 and manif["labels"] == []
    assert _keys(manif["events_as_source"]) == [("aaaaaa000001", "PROTEST")]
    assert _keys(manif["events_as_target"]) == [("aaaaaa000001", "COERCE")]
    assert len(filled.get_entity("Élisabeth Borne", limit=1)["articles"]) == 1


def test_list_quotes(filled):
    quotes = filled.list_quotes()
    assert [q["article_id"] for q in quotes] == ["aaaaaa000001", "bbbbbb000002"]  # newest article first
    q = quotes[0]
    assert RENNES_TEXT[q["start"] : q["end"]] == q["text"] == "Nous ne céderons pas"
    assert q["article_title"] == "Manifestation à Rennes" and q["published"] == "2024-03-14" and q["cue"] == "déclarer"
    assert len(filled.list_quotes(speaker="Élisabeth Borne")) == 2
    assert filled.list_quotes(speaker="Quelqu'un") == []
    assert len(filled.list_quotes(limit=1, offset=1)) == 1


def test_list_places(filled):
    rows = filled.list_places()
    assert rows[0] == {
        "key": "name:FR:Paris",  # no GeoNames id in these hand-made rows: the place is its name and country
        "name": "Paris",
        "country": "FR",
        "kind": "city",
        "lat": 48.8566,
        "lon": 2.3522,
        "geonames_id": None,
        "n_mentions": 2,
        "n_articles": 1,
    }
    assert {(r["name"], r["country"]) for r in rows} == {("Paris", "FR"), ("Rennes", "FR"), ("Paris", "US")}
    assert [r["name"] for r in filled.list_places(country="us")] == ["Paris"]
    assert filled.list_places(country="US")[0]["lat"] == 33.66
    assert len(filled.list_places(limit=1)) == 1


def test_get_place(filled):
    place = filled.get_place("paris")  # case-insensitive
    # the most mentioned place of that name: Paris, France (Paris, Texas is another place, with its own key)
    assert place["name"] == "Paris" and place["country"] == "FR" and place["key"] == "name:FR:Paris"
    assert (place["lat"], place["lon"], place["kind"]) == (48.8566, 2.3522, "city")
    assert (place["n_mentions"], place["n_articles"]) == (2, 1)
    assert [a["id"] for a in place["articles"]] == ["bbbbbb000002"]
    assert _keys(place["events"]) == [("bbbbbb000002", "CONSULT")]
    texas_place = filled.get_place("name:US:Paris")
    assert texas_place["country"] == "US" and [a["id"] for a in texas_place["articles"]] == ["cccccc000003"]
    assert _keys(texas_place["events"]) == [("cccccc000003", "PROTEST")]
    rennes_place = filled.get_place("Rennes")
    assert rennes_place["geonames_id"] == 2983990 and len(rennes_place["events"]) == 2
    assert filled.get_place("Atlantide") is None


def _quoting(art_id: str, body: str, speakers: list[tuple[str, str]]) -> Article:
    """An English article whose quotes are the given (words, speaker) pairs."""
    quotes = []
    for words, speaker in speakers:
        s, e = _span(body, words)
        quotes.append(Quote(text=words, start=s, end=e, speaker=speaker, cue="say", direct=True))
    return Article(id=art_id, raw=body, text=body, origin=f"c/{art_id}.txt", published="2016-10-0" + art_id[-1],
                   language="en", quotes=quotes)


OBAMA_TEXT = (
    '"We will not let this stand," President Barack Obama said on Monday. "The law is clear," Barack Obama '
    'added. "Talks are going well," officials said.'
)
OBAMA_SHORT_TEXT = (
    '"I am confident we will get there," Obama told reporters. "It will take time," Mr. Obama said. '
    '"He did his best," Michelle Obama said.'
)


def test_one_speaker_across_articles(store):
    # one article names him in full, the other only "Obama": one speaker for stats, quotes and entity pages
    store.upsert_article(_quoting("dddddd000001", OBAMA_TEXT, [
        ("We will not let this stand", "Barack Obama"), ("The law is clear", "Barack Obama"),
        ("Talks are going well", "officials")]))
    store.upsert_article(_quoting("dddddd000002", OBAMA_SHORT_TEXT, [
        ("I am confident we will get there", "Obama"), ("It will take time", "Mr. Obama"),
        ("He did his best", "Michelle Obama")]))
    # "Obama" could be Michelle Obama too: the most quoted full name wins; descriptions are not names
    assert store.stats()["top_speakers"] == [
        {"speaker": "Barack Obama", "quotes": 4},
        {"speaker": "Michelle Obama", "quotes": 1},
        {"speaker": "officials", "quotes": 1},
    ]
    assert store.stats(top=1)["top_speakers"] == [{"speaker": "Barack Obama", "quotes": 4}]
    full = [q["text"] for q in store.list_quotes(speaker="Barack Obama")]
    assert sorted(full) == ["I am confident we will get there", "It will take time", "The law is clear",
                            "We will not let this stand"]
    assert sorted(q["text"] for q in store.list_quotes(speaker="Obama")) == sorted(full)
    assert [q["speaker"] for q in store.list_quotes(speaker="Obama")][:2] == ["Obama", "Mr. Obama"]  # as stored
    assert [q["text"] for q in store.list_quotes(speaker="Michelle Obama")] == ["He did his best"]
    assert [q["text"] for q in store.list_quotes(speaker="officials")] == ["Talks are going well"]
    assert len(store.get_entity("Obama")["quotes"]) == 4
    assert store.list_quotes(speaker="Nobody Here") == [] and store.list_quotes(speaker="%") == []


def test_reads_on_an_empty_store(store):
    assert store.list_articles() == [] and store.list_events() == [] and store.count_events() == 0
    assert store.event_timeline() == [] and store.event_places() == []
    assert store.list_entities() == [] and store.list_quotes() == [] and store.list_places() == []
    assert store.get_entity("x") is None and store.get_place("x") is None
    assert store.stats()["top_speakers"] == [] and store.list_quotes(speaker="Obama") == []


def test_one_store_shared_by_threads(filled):
    # a web server's worker threads share one store object
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                assert filled.count_events() == 4
                assert filled.get_article("aaaaaa000001")["events"][0]["type"] == "PROTEST"
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
