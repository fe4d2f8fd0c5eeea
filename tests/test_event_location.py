"""Event location: the most specific place of the event's sentence (GUIDE.md: the city rather than its country)."""
import pytest
import spacy

from vigie.events import attributes as A
from vigie.events.mention import Mention


def _place(doc, text, kind, country="FR"):
    a = doc.text.index(text)
    return {"start": a, "end": a + len(text), "name": text, "kind": kind, "country": country}


def _mention(doc, word):
    tok = next(t for t in doc if t.text == word)
    m = Mention.__new__(Mention)
    m.token, m.start = tok, tok.idx
    return m


def test_city_before_its_region_in_brackets():
    doc = spacy.blank("fr")("Au péage à Ancenis (Loire-Atlantique), les gendarmes ont interpelé un manifestant.")
    places = [_place(doc, "Ancenis", "city"), _place(doc, "Loire-Atlantique", "admin")]
    p = A.pick_place(_mention(doc, "interpelé"), doc, places, doc[:], [])
    assert p["name"] == "Ancenis"


def test_city_situated_by_a_wider_place():
    doc = spacy.blank("fr")("Trois policiers sont morts à Bâton-Rouge, en Louisiane, dans une embuscade.")
    city, region = _place(doc, "Bâton-Rouge", "city", "US"), _place(doc, "Louisiane", "admin", "US")
    assert A._finer(doc, region, [city, region]) is city


def test_no_finer_place_across_a_clause():
    doc = spacy.blank("fr")("Des soldats venus de Lyon ont manifesté en Syrie.")
    city, country = _place(doc, "Lyon", "city"), _place(doc, "Syrie", "country", "SY")
    assert A._finer(doc, country, [city, country]) is country


def test_specificity_order():
    assert [A._specificity({"kind": k}) for k in ("city", "other", "admin", "country")] == [0, 1, 2, 3]


# ----------------------------------------------------------------- events whose clause names no place (model)
ARTICLE = (
    "Attentat à Mogadiscio\n\n"
    "Un attentat a frappé un hôtel de Mogadiscio, la capitale de la Somalie, samedi. "
    "{sentence}"
)


def _located(nlp, sentence: str, typ: str) -> str | None:
    from vigie.analysis.load import model_text
    from vigie.events.component import events_from_doc

    text = ARTICLE.format(sentence=sentence)
    found = [e for e in events_from_doc(nlp(model_text(text)), text, "2016-06-27") if e.type == typ]
    assert found, f"no {typ}"
    return found[-1].location


@pytest.mark.model
def test_an_attack_without_place_happened_in_the_story_city(nlp):
    assert _located(nlp, "Des assaillants ont ensuite tué trois gardes.", "ASSAULT") == "Mogadiscio"


@pytest.mark.model
def test_a_statement_without_place_is_at_country_level(nlp):
    assert _located(nlp, "Le gouvernement a condamné une attaque lâche.", "ACCUSE") == "Somalie"


@pytest.mark.model
def test_arrests_across_the_country_stay_at_country_level(nlp):
    assert _located(nlp, "La police a arrêté des dizaines de suspects dans tout le pays.", "COERCE") == "Somalie"
    assert _located(nlp, "Les violences ont mené à l'arrestation de plus de 10 000 personnes.", "COERCE") == "Somalie"
