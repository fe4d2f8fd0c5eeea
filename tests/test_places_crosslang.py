"""One place, one person across languages (issue 16): French and English articles about Kiev / Kyiv, the
United States and Vladimir Poutine / Putin give one row, one map point, one page, on SQLite and PostgreSQL
(see store_backends.py), on hand-made articles.

The English rows are written as vigie stored them before issue 16 (English gazetteer names: "Kyiv",
"United States"), so the reads are shown to group what older stores hold; the resolver now stores the French
name for every language (checked at the end, on a small index and on the real one).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from store_backends import BACKENDS, PG_URL, open_backend, store_fixture  # noqa: F401 - the `store` fixture
from vigie.records import Article, EntityMention, Event, Place, Quote
from vigie.store import EventFilter, SQLiteStore
from web_fixtures import Page

KYIV = 703448
US = 6252001

FR_TEXT = (
    "Des milliers de manifestants se sont rassemblés samedi à Kiev. Vladimir Poutine a dénoncé une provocation. "
    "Les États-Unis ont appelé au calme. Volodymyr Zelensky a remercié les Etats-Unis."
)
EN_TEXT = (
    "Thousands of protesters rallied in Kyiv on Saturday. Vladimir Putin called it a provocation. "
    "The United States urged calm, and Volodymyr Zelenskyy thanked the USA."
)
EN2_TEXT = "KYIV - Air raid sirens sounded in Kyiv overnight, officials said. Vladimir Putin said nothing."


def _span(body: str, words: str) -> tuple[int, int]:
    start = body.index(words)
    return start, start + len(words)


def _place(body: str, words: str, name: str, country: str, kind: str, gid: int | None, lat: float, lon: float,
           main: bool = False) -> Place:
    return Place(words, *_span(body, words), name, country, kind, lat, lon, gid, main)


def _per(body: str, words: str) -> EntityMention:
    return EntityMention(text=words, label="PER", start=_span(body, words)[0], end=_span(body, words)[1],
                         canonical=words)


def _event(body: str, trigger: str, location: str, country: str, source: str | None = None) -> Event:
    return Event("PROTEST", "demo", *_span(body, trigger), trigger, source=source, location=location,
                 location_country=country, evidence=body[:40])


def french() -> Article:
    b = FR_TEXT
    return Article(
        id="fr0000000001", raw=b, text=b, origin="c/fr.txt", title="Manifestation à Kiev", published="2022-03-05",
        language="fr",
        entities=[_per(b, "Vladimir Poutine"), _per(b, "Volodymyr Zelensky")],
        quotes=[Quote(text="une provocation", start=b.index("une provocation"),
                      end=b.index("une provocation") + len("une provocation"), speaker="Vladimir Poutine",
                      cue="dénoncer", direct=False)],
        places=[
            _place(b, "Kiev", "Kiev", "UA", "city", KYIV, 50.4547, 30.5238, main=True),
            _place(b, "États-Unis", "États-Unis", "US", "country", US, 39.76, -98.5),
            # a row without a GeoNames id (an older index, a CLDR-only country): still the country US
            _place(b, "Etats-Unis", "États-Unis", "US", "country", None, 39.76, -98.5),
        ],
        events=[_event(b, "rassemblés", "Kiev", "UA", source="manifestants")],
    )


def english() -> Article:
    b = EN_TEXT
    return Article(
        id="en0000000002", raw=b, text=b, origin="c/en.txt", title="Protest in Kyiv", published="2022-03-05",
        language="en",
        entities=[_per(b, "Vladimir Putin"), _per(b, "Volodymyr Zelenskyy")],
        quotes=[Quote(text="a provocation", start=b.index("a provocation"),
                      end=b.index("a provocation") + len("a provocation"), speaker="Vladimir Putin", cue="call",
                      direct=False)],
        places=[
            _place(b, "Kyiv", "Kyiv", "UA", "city", KYIV, 50.4547, 30.5238, main=True),
            _place(b, "United States", "United States", "US", "country", US, 39.76, -98.5),
            _place(b, "USA", "United States", "US", "country", US, 39.76, -98.5),
        ],
        events=[_event(b, "rallied", "Kyiv", "UA", source="protesters")],
    )


def english_dateline() -> Article:
    b = EN2_TEXT
    return Article(
        id="en0000000003", raw=b, text=b, origin="c/en2.txt", title="Sirens in Kyiv", published="2022-03-06",
        language="en",
        entities=[_per(b, "Vladimir Putin")],
        places=[_place(b, "KYIV", "KYIV", "UA", "city", KYIV, 50.4547, 30.5238, main=True)],
        events=[Event("THREATEN", None, *_span(b, "sounded"), "sounded", location="KYIV", location_country="UA",
                      evidence=b[:40])],
    )


def _fill(store: Any) -> Any:
    for art in (french(), english(), english_dateline()):
        assert store.upsert_article(art) == "new"
    return store


@pytest.fixture
def filled(store):
    return _fill(store)


def _ids(events: list[dict[str, Any]]) -> list[str]:
    return sorted(e["article_id"] for e in events)


# ---------------------------------------------------------------- places


def test_one_row_per_place_on_list_places(filled):
    rows = {r["key"]: r for r in filled.list_places()}
    assert set(rows) == {f"geonames:{KYIV}", "country:US"}
    kiev = rows[f"geonames:{KYIV}"]
    # shown under the name French articles give it; mentions and articles of every language
    assert (kiev["name"], kiev["country"], kiev["kind"], kiev["geonames_id"]) == ("Kiev", "UA", "city", KYIV)
    assert (kiev["n_mentions"], kiev["n_articles"]) == (3, 3)
    us = rows["country:US"]
    assert (us["name"], us["n_mentions"], us["n_articles"], us["geonames_id"]) == ("États-Unis", 4, 2, US)
    assert [r["key"] for r in filled.list_places(country="ua")] == [f"geonames:{KYIV}"]
    assert [r["name"] for r in filled.list_places()] == ["États-Unis", "Kiev"]  # most mentioned first
    assert len(filled.list_places(limit=1, offset=1)) == 1


def test_one_point_on_the_map(filled):
    points = filled.event_places()
    assert len(points) == 1
    p = points[0]
    assert (p["key"], p["name"], p["country"], p["n"]) == (f"geonames:{KYIV}", "Kiev", "UA", 3)
    assert (p["lat"], p["lon"]) == (50.4547, 30.5238)
    assert p["types"] == {"PROTEST": 2, "THREATEN": 1}
    assert [q["n"] for q in filled.event_places(EventFilter(type="PROTEST"))] == [2]


@pytest.mark.parametrize("value", ["Kiev", "Kyiv", "kyiv", "KIEV", "KYIV", f"geonames:{KYIV}"])
def test_place_filter_finds_the_events_of_every_language(filled, value):
    flt = EventFilter(place=value)
    assert _ids(filled.list_events(flt)) == ["en0000000002", "en0000000003", "fr0000000001"]
    assert filled.count_events(flt) == 3
    assert sum(b["n"] for b in filled.event_timeline(flt)) == 3
    assert [p["n"] for p in filled.event_places(flt)] == [3]


def test_place_filter_keeps_other_filters_and_unknown_places(filled):
    assert _ids(filled.list_events(EventFilter(place="Kyiv", type="PROTEST"))) == ["en0000000002", "fr0000000001"]
    assert filled.list_events(EventFilter(place="Kyiv", country="FR")) == []
    assert filled.list_events(EventFilter(place="Lviv")) == []
    assert filled.list_events(EventFilter(place="geonames:1")) == []
    assert filled.list_events(EventFilter(place="'; DROP TABLE places; --")) == []


@pytest.mark.parametrize("value", ["Kiev", "Kyiv", "kiev", "KYIV", f"geonames:{KYIV}"])
def test_place_page_gathers_every_language(filled, value):
    place = filled.get_place(value)
    assert (place["key"], place["name"], place["country"]) == (f"geonames:{KYIV}", "Kiev", "UA")
    assert (place["n_mentions"], place["n_articles"]) == (3, 3)
    assert sorted(a["id"] for a in place["articles"]) == ["en0000000002", "en0000000003", "fr0000000001"]
    assert _ids(place["events"]) == ["en0000000002", "en0000000003", "fr0000000001"]
    assert sorted(place["names"]) == ["KYIV", "Kiev", "Kyiv"]  # the forms the articles wrote


@pytest.mark.parametrize("value", ["United States", "USA", "États-Unis", "Etats-Unis", "etats-unis", "country:US"])
def test_a_country_is_one_place_by_its_iso_code(filled, value):
    place = filled.get_place(value)
    assert (place["key"], place["name"], place["n_mentions"], place["n_articles"]) == ("country:US", "États-Unis", 4, 2)
    assert sorted(place["names"]) == ["Etats-Unis", "USA", "United States", "États-Unis"]


def test_unknown_place(filled):
    assert filled.get_place("Atlantide") is None and filled.get_place("geonames:1") is None
    assert filled.get_place("country:ZZ") is None


# ---------------------------------------------------------------- people


def test_one_person_row_across_spellings(filled):
    rows = filled.list_entities(label="PER")
    assert rows == [
        {"canonical": "Vladimir Poutine", "label": "PER", "n_mentions": 3, "n_articles": 3},
        {"canonical": "Volodymyr Zelensky", "label": "PER", "n_mentions": 2, "n_articles": 2},
    ]
    assert filled.list_entities() == rows  # only people here
    for q in ("putin", "Poutine", "zelenskyy"):
        assert len(filled.list_entities(query=q)) == 1, q
    assert filled.list_entities(label="PER", limit=1, offset=1)[0]["canonical"] == "Volodymyr Zelensky"


@pytest.mark.parametrize("name", ["Vladimir Putin", "Vladimir Poutine", "vladimir putin"])
def test_one_person_page_across_spellings(filled, name):
    ent = filled.get_entity(name)
    assert ent["canonical"] == "Vladimir Poutine" and ent["labels"] == ["PER"]
    assert (ent["n_mentions"], ent["n_articles"]) == (3, 3)
    assert sorted(a["id"] for a in ent["articles"]) == ["en0000000002", "en0000000003", "fr0000000001"]
    assert sorted(q["speaker"] for q in ent["quotes"]) == ["Vladimir Poutine", "Vladimir Putin"]


def test_spelling_keys():
    from vigie.store.speakers import person_key

    same = [
        ("Vladimir Poutine", "Vladimir Putin"),
        ("Volodymyr Zelensky", "Volodymyr Zelenskyy"),
        ("Volodymyr Zelenskiy", "Volodymyr Zelensky"),
        ("Sergueï Choïgou", "Sergei Shoigu"),
        ("Evgueni Prigojine", "Yevgeny Prigozhin"),
        ("Alexandre Loukachenko", "Aleksandr Lukashenko"),
        ("Mikhaïl Gorbatchev", "Mikhail Gorbachev"),
        ("Kassym-Jomart Tokaïev", "Kassym-Jomart Tokayev"),
        ("Bachar el-Assad", "Bashar al-Assad"),
        ("Boris Eltsine", "Boris Yeltsin"),
    ]
    for fr, en in same:
        assert person_key(fr) == person_key(en) is not None, (fr, en)
    # first names keep their ending, a surname alone is not a full name, descriptions are no names
    assert person_key("Martine Aubry") != person_key("Martin Aubry")
    assert person_key("Poutine") != person_key("Vladimir Putin")
    assert person_key("officials") is None


# ---------------------------------------------------------------- the web pages


@contextlib.contextmanager
def _served(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        store = SQLiteStore(tmp_path / "crosslang.db")
        try:
            _fill(store)
        finally:
            store.close()
        yield str(tmp_path / "crosslang.db")
        return
    owner = open_backend(kind, tmp_path)
    try:
        _fill(owner)
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{owner.schema}"
    finally:
        owner.close()


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from vigie.app import create_app

    with _served(request.param, tmp_path_factory.mktemp("crosslang")) as url, \
            TestClient(create_app(url, token="")) as c:
        yield c


def _page(client: TestClient, url: str) -> Page:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return Page(r.text)


def test_places_page_shows_one_row_per_place(client):
    rows = _page(client, "/places").find("tr")[1:]  # the header row first
    assert len(rows) == 2
    links = [a for a in _page(client, "/places").find("a") if a.get("href", "").startswith("/places/")]
    assert sorted(a["href"] for a in links) == ["/places/%C3%89tats-Unis", "/places/Kiev"]
    items = client.get("/api/places").json()["items"]
    assert [(p["name"], p["n_articles"]) for p in items] == [("États-Unis", 2), ("Kiev", 3)]


def test_map_shows_one_point(client):
    p = _page(client, "/map")
    circles = p.find("circle", "point")
    assert [c["data-name"] for c in circles] == ["Kiev"] and circles[0]["data-n"] == "3"
    assert p.find("a", href="/events?place=Kiev")
    points = client.get("/api/events/places").json()
    assert [(q["key"], q["name"], q["n"]) for q in points] == [(f"geonames:{KYIV}", "Kiev", 3)]
    assert client.get("/api/events", params={"place": "Kyiv"}).json()["total"] == 3


def test_place_page_by_any_name(client):
    for url in ("/places/Kyiv", "/places/Kiev", f"/places/geonames:{KYIV}"):
        data = client.get(url + ".json").json()
        assert (data["name"], len(data["articles"]), len(data["events"])) == ("Kiev", 3, 3), url
    p = _page(client, "/places/Kyiv")
    assert len(p.find("tr", "event-row")) == 3
    assert "Kyiv" in " ".join(p.text) and "Kiev" in " ".join(p.text)


def test_entities_page_shows_one_person(client):
    items = client.get("/api/entities", params={"label": "PER"}).json()["items"]
    assert [i["canonical"] for i in items] == ["Vladimir Poutine", "Volodymyr Zelensky"]
    assert client.get("/api/entities/Vladimir Putin").json()["n_articles"] == 3


# ---------------------------------------------------------------- the resolver names places in French


def _tiny_index():
    from vigie.places.index import build
    from vigie.places.sources import TAG_ALT, TAG_EN, TAG_FR, Entry

    kyiv = Entry("Kyiv", "UA", "city", 50.4547, 30.5238, 2_800_000, KYIV, name_fr="Kiev", capital=True)
    kyiv.add_name("Kyiv", TAG_EN)
    kyiv.add_name("Kiev", TAG_FR)
    kyiv.add_name("Kiyv", TAG_ALT)
    kharkiv = Entry("Kharkiv", "UA", "city", 49.98, 36.25, 1_400_000, 706483)  # no usual French name
    kharkiv.add_name("Kharkiv", TAG_EN)
    kharkiv.add_name("Kharkov", TAG_ALT)
    us = Entry("United States", "US", "country", 39.76, -98.5, 310_000_000, US, name_fr="États-Unis")
    for n, tag in (("United States", TAG_EN), ("USA", TAG_EN), ("États-Unis", TAG_FR), ("Etats-Unis", TAG_FR)):
        us.add_name(n, tag)
    return build([us, kyiv, kharkiv])


def test_resolver_stores_the_french_name_for_every_language():
    from vigie.places import resolve

    index = _tiny_index()
    for surface, lang in (("Kyiv", "en"), ("Kiev", "en"), ("Kyiv", "fr"), ("Kiev", "fr")):
        r = resolve(surface, lang=lang, index=index)
        assert (r.name, r.geonames_id) == ("Kiev", KYIV), (surface, lang)
    for surface, lang in (("United States", "en"), ("USA", "en"), ("États-Unis", "fr"), ("Etats-Unis", "fr")):
        r = resolve(surface, lang=lang, index=index)
        assert (r.name, r.country, r.kind) == ("États-Unis", "US", "country"), (surface, lang)
    # no usual French name: the GeoNames name in English text, the article's form in French text (the store's
    # reads still make one place of them, by GeoNames id)
    assert resolve("Kharkiv", lang="en", index=index).name == "Kharkiv"
    assert resolve("Kharkov", lang="fr", index=index).name == "Kharkov"


def test_real_gazetteer_gives_french_names_to_english_text():
    from vigie.places import load_index, resolve

    index = load_index()
    for surface in ("United States", "USA", "Russia", "Kyiv", "Moscow", "Red Sea"):
        r = resolve(surface, lang="en", index=index)
        fr = resolve({"United States": "États-Unis", "USA": "Etats-Unis", "Russia": "Russie", "Kyiv": "Kiev",
                      "Moscow": "Moscou", "Red Sea": "mer Rouge"}[surface], lang="fr", index=index)
        assert r is not None and fr is not None and r.name == fr.name, (surface, r, fr)
        assert (r.country, r.geonames_id) == (fr.country, fr.geonames_id)
