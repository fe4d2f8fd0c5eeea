"""Event location: the most specific place of the event's sentence (GUIDE.md: the city rather than its country)."""
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
