"""Recall of the French event coder on constructions the parser attaches loosely (issue 12)."""
from __future__ import annotations

import pytest

from vigie.events.merge import compatible


@pytest.fixture(scope="module")
def nlp():
    from vigie.analysis.load import load_french

    return load_french()


def _events(nlp, text: str):
    from vigie.analysis.load import model_text
    from vigie.events.component import events_from_doc

    return events_from_doc(nlp(model_text(text)), text, "2018-03-03")


def test_number_counts_the_people_arrested(nlp):
    # "en capturant 2": the number hung on the verb counts people ("en" stands for them)
    evs = _events(nlp, "Les forces de défense et de sécurité ont riposté, abattant les 8 assaillants et en capturant 2.")
    assert any(e.type == "COERCE" and e.mode == "arrest" and e.trigger == "capturant" for e in evs)


def test_detached_participle_on_a_person_complement(nlp):
    # the participle hangs on "participation", whose "de" complement is the person arrested
    text = ("L'enquête n'a pas permis de prouver une participation de l'islamiste irakien de 25 ans, arrêté mercredi, "
            "à l'attentat.")
    evs = _events(nlp, text)
    assert any(e.type == "COERCE" and e.mode == "arrest" and e.trigger == "arrêté" for e in evs)


def test_concede_and_parade_forms(nlp):
    assert any(e.type == "CONCEDE" for e in _events(nlp, "Le gouvernement a concédé la défaite."))
    evs = _events(nlp, "Le défilé des syndicats contre la réforme a réuni 5000 personnes.")
    assert any(e.type == "PROTEST" and e.mode == "demo" for e in evs)


def test_military_parade_is_no_protest(nlp):
    assert not any(e.type == "PROTEST" for e in _events(nlp, "Le défilé militaire du 14 juillet a eu lieu à Paris."))


def _rec(country: str | None, where: str = "clause") -> dict:
    return {"type": "ASSAULT", "mode": None, "location": "x", "location_country": country, "location_from": where,
            "start": 0, "end": 1, "context": []}


def test_places_in_two_countries_are_two_events():
    assert not compatible(_rec("IQ"), _rec("AF"))
    assert compatible(_rec("IQ"), _rec("IQ"))
    assert compatible(_rec("IQ", "article"), _rec("AF"))  # the article's main place says nothing of the mention


def test_murder_and_beating_are_two_acts():
    a, b = _rec("FR", "article"), _rec("FR", "article")
    a["mode"], b["mode"] = "assassinate", "beat"
    assert not compatible(a, b)
    b["mode"] = "firearms"  # a weapon joins the act it was used for
    assert compatible(a, b)


def test_emergency_call_is_no_request(nlp):
    # "un appel d'urgence" is a phone call, not a call on anyone to act
    assert not any(e.type == "REQUEST" for e in _events(nlp, "Trois policiers qui répondaient à un appel d'urgence sont morts."))
    assert any(e.type == "REQUEST" for e in _events(nlp, "Le président lance un appel à la retenue."))


def test_owning_a_newspaper_is_no_detention(nlp):
    assert not any(e.type == "COERCE" for e in _events(nlp, "L'oligarque russe qui détient le journal veut vendre."))
    assert any(e.type == "COERCE" for e in _events(nlp, "La police détient trois suspects."))
