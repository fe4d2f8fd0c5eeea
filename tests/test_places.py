"""Places: gazetteer index build/load, resolution with context, detection in French and English text.

The index is built once per test session into a temporary cache directory ($VIGIE_CACHE), so the tests
never touch the user's cache. Sentences are hand-written.
"""
from __future__ import annotations

import os

import pytest

from vigie.records import Place


@pytest.fixture(scope="session", autouse=True)
def geo_cache(tmp_path_factory):
    """A private cache directory for the whole session: the first use builds the index there."""
    path = tmp_path_factory.mktemp("vigie-cache")
    old = os.environ.get("VIGIE_CACHE")
    os.environ["VIGIE_CACHE"] = str(path)
    from vigie.places import index

    index.load_index.cache_clear()
    yield path
    index.load_index.cache_clear()
    if old is None:
        os.environ.pop("VIGIE_CACHE", None)
    else:
        os.environ["VIGIE_CACHE"] = old


@pytest.fixture(scope="module")
def geo():
    from vigie.places import load_index

    return load_index()


# --- index build and load


def test_index_is_built_in_the_cache_dir_and_named_by_version(geo_cache, geo):
    from vigie.places import index_path

    path = index_path()
    assert path.parent == geo_cache and path.exists()
    assert geo.version in path.name
    assert not list(geo_cache.glob("*.tmp"))  # written to a temporary file, then renamed


def _tiny_entries():
    from vigie.places.sources import TAG_FR, Entry

    e = Entry("Almaty", "KZ", "city", 43.25, 76.91, 2_000_000, 1526384)
    e.add_name("Almaty", TAG_FR)
    return [e]


def test_build_index_explicit_path_round_trips(tmp_path, monkeypatch):
    from vigie.places import build_index, index

    monkeypatch.setattr(index, "collect_entries", _tiny_entries)  # the full build is the session's
    path = build_index(tmp_path / "sub" / "geo.pickle")
    again = index.read_index(path)
    assert len(again) == 1 and again.geonames_id[again.names["almaty"][0] >> 2] == 1526384


def test_unreadable_index_is_rebuilt(tmp_path, monkeypatch):
    from vigie.places import index

    monkeypatch.setenv("VIGIE_CACHE", str(tmp_path))
    monkeypatch.setattr(index, "collect_entries", _tiny_entries)
    index.index_path().write_bytes(b"truncated")
    index.load_index.cache_clear()
    try:
        assert len(index.load_index()) == 1
    finally:
        index.load_index.cache_clear()


# --- resolution


def _res(names, lang="fr", **kw):
    from vigie.places import resolve_document

    return resolve_document(names, lang=lang, **kw)


def test_countries_have_centroids_and_french_names():
    kz, ru, cg = _res(["Kazakhstan", "Russie", "République du Congo"])
    assert (kz.country, kz.kind, kz.lat, kz.lon) == ("KZ", "country", 48.0, 68.0)
    assert (ru.name, ru.lat, ru.lon) == ("Russie", 60.0, 100.0)
    assert (cg.name, cg.country) == ("République du Congo", "CG")


def test_french_city_names_resolve_to_geonames():
    almaty, moscou = _res(["Almaty", "Moscou"])
    assert (almaty.country, almaty.geonames_id) == ("KZ", 1526384)
    assert (moscou.name, moscou.country) == ("Moscou", "RU")
    assert abs(moscou.lat - 55.75) < 0.1 and abs(moscou.lon - 37.62) < 0.1


def test_ambiguous_congo_takes_the_country_the_document_names():
    assert _res(["Congo", "Brazzaville"])[0].country == "CG"
    assert _res(["Congo", "Kinshasa", "RDC"])[0].country == "CD"


def test_paris_in_a_texas_context_vs_france():
    assert _res(["Paris"])[0].country == "FR"
    paris, _ = _res(["Paris", "Texas"], lang="en")
    assert paris.country == "US" and paris.admin1 == "TX"


def test_regions_with_french_names():
    pendjab, sind, hdf = _res(["Pendjab", "Sind", "Hauts-de-France", "Lahore"])[:3]
    assert (pendjab.country, pendjab.kind) == ("PK", "admin")  # Lahore says Pakistan, not India
    assert (sind.country, sind.kind) == ("PK", "admin")
    assert (hdf.country, hdf.kind) == ("FR", "admin")


def test_region_named_alone_is_its_city_unless_a_noun_says_region():
    from vigie.places import Query

    alone, governorate = _res([Query("Idleb"), Query("Idleb", kind_hint="admin")])
    assert alone.kind == "city" and governorate.kind == "admin"
    assert alone.country == governorate.country == "SY"


def test_french_preposition_hint():
    from vigie.places import Query

    au, a = _res([Query("Québec", prep_hint="region"), Query("Québec", prep_hint="city")])
    assert au.kind == "admin" and a.kind == "city"


def test_none_answer_when_nothing_fits():
    assert _res(["Xqzvbrt"]) == [None]
    # an old alternate name of a small US town, with nothing in the document about that state
    assert _res(["Occident", "Syrie"])[0] is None


def test_english_abbreviations_and_demonyms():
    calif, irish = _res(["Calif.", "Irish"], lang="en", demonyms=True)
    assert (calif.country, calif.kind) == ("US", "admin")
    assert irish.country == "IE"


def test_resolution_speed(geo):
    import time

    from vigie.places import resolve_document

    doc = ["Paris", "Londres", "Moscou", "Almaty", "Kazakhstan", "Syrie", "Alep", "Idleb", "Texas", "Congo"]
    t = time.perf_counter()
    for _ in range(50):
        resolve_document(doc, index=geo)
    rate = 50 * len(doc) / (time.perf_counter() - t)
    assert rate > 2000, rate


# --- main location and place_for_span (no model needed)


def _p(text, start, name, country, kind, main=False):
    return Place(text=text, start=start, end=start + len(text), name=name, country=country, kind=kind, main=main)


def test_place_for_span_prefers_the_sentence_place_then_main():
    from vigie.places.component import place_for_span

    places = [
        _p("Kazakhstan", 0, "Kazakhstan", "KZ", "country"),
        _p("Almaty", 40, "Almaty", "KZ", "city", main=True),
        _p("Russie", 120, "Russie", "RU", "country"),
        _p("Moscou", 160, "Moscou", "RU", "city"),
    ]
    assert place_for_span(places, 150, 155, 100, 200).name == "Moscou"  # city before country in the sentence
    assert place_for_span(places, 310, 320, 300, 400).name == "Almaty"  # nothing in the sentence: main
    as_dicts = [{"start": p.start, "end": p.end, "name": p.name, "kind": p.kind, "main": p.main} for p in places]
    assert place_for_span(as_dicts, 150, 155, 100, 200)["name"] == "Moscou"
    assert place_for_span([], 0, 1, 0, 10) is None


# --- detection with the French model


def _places(nlp, text):
    from vigie.analysis.load import model_text
    from vigie.places.component import places_from_doc

    doc = nlp(model_text(text))
    return places_from_doc(doc, text, None)


@pytest.mark.model
def test_detection_and_resolution_french(nlp):
    text = "Le président s’est rendu jeudi à Almaty, la plus grande ville du Kazakhstan, avant de partir pour Moscou."
    got = {p.text: (p.name, p.country, p.kind) for p in _places(nlp, text)}
    assert got["Almaty"] == ("Almaty", "KZ", "city")
    assert got["Kazakhstan"] == ("Kazakhstan", "KZ", "country")
    assert got["Moscou"][1:] == ("RU", "city")


@pytest.mark.model
def test_generic_noun_expansion(nlp):
    text = ("Des frappes ont visé le gouvernorat d'Idleb et la péninsule du Sinaï. "
            "La république islamique du Pakistan a fermé sa frontière.")
    got = {p.text: p for p in _places(nlp, text)}
    assert got["gouvernorat d'Idleb"].kind == "admin" and got["gouvernorat d'Idleb"].country == "SY"
    assert got["péninsule du Sinaï"].name == "Sinaï" and got["péninsule du Sinaï"].kind == "other"
    assert got["république islamique du Pakistan"].name == "Pakistan"


@pytest.mark.model
def test_demonyms_and_national_bodies_are_not_places(nlp):
    text = ("La présidence kazakhe a remercié les soldats russes. L'aéroport d'Almaty doit rouvrir jeudi, "
            "selon le Comité de l'aviation civile du Kazakhstan.")
    texts = [p.text for p in _places(nlp, text)]
    assert "Almaty" in texts  # a city inside a name counts
    assert "Kazakhstan" not in texts and "kazakhe" not in texts and "russes" not in texts


@pytest.mark.model
def test_treaty_names_are_not_places(nlp):
    text = "Le Burundi a quitté le statut de Rome. Les accords de Minsk restent lettre morte en Ukraine."
    texts = [p.text for p in _places(nlp, text)]
    assert "Rome" not in texts and "Minsk" not in texts
    assert "Burundi" in texts and "Ukraine" in texts


@pytest.mark.model
def test_surname_that_is_also_a_town(nlp):
    text = "Le ministre Gérald Darmanin a répondu aux questions. Selon Darmanin, la situation reste calme à Lille."
    texts = [p.text for p in _places(nlp, text)]
    assert "Darmanin" not in texts and "Lille" in texts


@pytest.mark.model
def test_main_location(nlp):
    text = ("Almaty : la ville se reconstruit après les émeutes.\n"
            "Le gouvernement du Kazakhstan a promis de reconstruire Almaty, a déclaré un porte-parole à Moscou.")
    places = _places(nlp, text)
    mains = {p.name for p in places if p.main}
    assert mains == {"Almaty"}


@pytest.mark.model
def test_unknown_place_announced_by_a_noun_is_kept_as_none(nlp):
    text = "Les combats ont repris près du village de Xqzvbrtéville, selon l'armée."
    got = [p for p in _places(nlp, text) if "Xqzvbrt" in p.text]
    assert got and got[0].name is None and got[0].country is None


# --- English (blank pipeline: gazetteer matching on capitalised names)


def test_english_detection_and_context():
    from vigie.analysis.load import load_english, model_text
    from vigie.places.component import places_from_doc

    nlp = load_english()
    text = ("Police in Paris, Texas, said two men were arrested on Monday. "
            "Officials in Dallas said the Red Sea route was not affected. Michael Jordan was not there.")
    got = {p.text: p for p in places_from_doc(nlp(model_text(text)), text, None)}
    assert got["Paris"].country == "US" and got["Paris"].main
    assert got["Texas"].kind == "admin" and got["Dallas"].country == "US"
    assert got["Red Sea"].kind == "other"
    assert "Jordan" not in got  # part of a person's name


def test_unwritable_cache_falls_back_to_an_index_in_memory(tmp_path, monkeypatch) -> None:
    from vigie.places import index

    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("VIGIE_CACHE", str(blocked / "cache"))
    monkeypatch.setattr(index, "collect_entries", _tiny_entries)
    index.load_index.cache_clear()
    try:
        assert len(index.load_index()) == 1  # built in memory: the run goes on
        assert not (blocked / "cache").exists()
    finally:
        index.load_index.cache_clear()
