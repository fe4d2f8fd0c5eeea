"""Quantities extractor: number formats, vague counts, ranges, approximators, counted nouns, roles, exclusions.

French cases run the whole French pipeline (marked `model`); English cases run the blank English pipeline.
Every sentence is written for these tests.
"""
from __future__ import annotations

import pytest
from spacy.language import Language

from vigie.analysis.load import model_text
from vigie.quantities.component import annotate_quantities, quantities_from_doc
from vigie.quantities.numbers import parse_number, vague_bounds


def extract(nlp: Language, text: str) -> list[dict]:
    """The quantities of `text`, each with its surface `text` added."""
    doc = nlp(model_text(text))
    assert not doc._.vigie_errors, doc._.vigie_errors
    return [dict(q, text=text[q["start"] : q["end"]]) for q in doc._.quantities]


def only(nlp: Language, text: str) -> dict:
    found = extract(nlp, text)
    assert len(found) == 1, found
    return found[0]


# --- numbers (no model) ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, lang, value",
    [
        ("2.000", "fr", 2000), ("10.000", "fr", 10000), ("10 000", "fr", 10000), ("10\u00a0000", "fr", 10000),
        ("10\u202f000", "fr", 10000), ("1,5", "fr", 1.5), ("dix mille", "fr", 10000), ("vingt-cinq", "fr", 25),
        ("deux cents", "fr", 200), ("trois", "fr", 3), ("soixante et onze", "fr", 71), ("quatre-vingt-dix", "fr", 90),
        ("dix-sept", "fr", 17), ("deux millions", "fr", 2_000_000), ("10,000", "en", 10000), ("1.5", "en", 1.5),
        ("twenty-five", "en", 25), ("two hundred and fifty", "en", 250),
    ],
)
def test_parse_number(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == value


def test_number_words_that_are_two_numbers() -> None:
    assert parse_number("deux trois", "fr") is None


@pytest.mark.parametrize(
    "noun, mult, lang, bounds",
    [("dizaines", None, "fr", (20, 99)), ("centaines", None, "fr", (200, 999)), ("milliers", None, "fr", (2000, 9999)),
     ("dizaines", "milliers", "fr", (20000, 99999)), ("dozens", None, "en", (20, 99)),
     ("thousands", None, "en", (2000, 9999))],
)
def test_vague_bounds(noun: str, mult: str | None, lang: str, bounds: tuple[int, int]) -> None:
    assert vague_bounds(noun, mult, lang) == bounds


# --- French: number formats -------------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, surface, value, unit",
    [
        ("La police a dénombré 2.000 manifestants dans le centre.", "2.000 manifestants", 2000, "manifestant"),
        ("Le cortège a rassemblé 10.000 personnes selon la préfecture.", "10.000 personnes", 10000, "personne"),
        ("Selon les syndicats, 12 500 grévistes ont défilé.", "12 500 grévistes", 12500, "gréviste"),
        ("Selon les syndicats, 12\u00a0500 grévistes ont défilé.", "12\u00a0500 grévistes", 12500, "gréviste"),
        ("Selon les syndicats, 12\u202f500 grévistes ont défilé.", "12\u202f500 grévistes", 12500, "gréviste"),
        ("Le pays accueille 1,5 million de réfugiés.", "1,5 million de réfugiés", 1_500_000, "réfugié"),
        ("Le plan coûtera 2,3 milliards d'euros à l'État.", "2,3 milliards d'euros", 2_300_000_000, "euro"),
        ("Dix mille soldats sont massés à la frontière.", "Dix mille soldats", 10000, "soldat"),
        ("Vingt-cinq otages ont été libérés hier.", "Vingt-cinq otages", 25, "otage"),
        ("Deux cents policiers encadraient le défilé.", "Deux cents policiers", 200, "policier"),
        ("L'explosion a fait trois morts dans le marché.", "trois morts", 3, "mort"),
    ],
)
def test_french_number_formats(nlp: Language, sentence: str, surface: str, value: int, unit: str) -> None:
    q = only(nlp, sentence)
    assert (q["text"], q["value"], q["unit"]) == (surface, value, unit)


# --- French: vague counts and ranges ------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, value, low, high, unit",
    [
        ("Une dizaine de gendarmes ont été blessés.", 10, None, None, "gendarme"),
        ("Une vingtaine de manifestants ont été interpellés.", 20, None, None, "manifestant"),
        ("Une centaine de détenus se sont évadés dans la nuit.", 100, None, None, "détenu"),
        ("Un millier de migrants attendent à la frontière.", 1000, None, None, "migrant"),
        ("Les combats ont fait des dizaines de morts.", None, 20, 99, "mort"),
        ("On compte des centaines de blessés dans les hôpitaux.", None, 200, 999, "blessé"),
        ("Des milliers de personnes ont fui la ville.", None, 2000, 9999, "personne"),
        ("Des dizaines de milliers de fidèles sont attendus.", None, 20000, 99999, "fidèle"),
        ("Plusieurs centaines de soldats ont été envoyés sur place.", None, 200, 999, "soldat"),
        ("Le mouvement compterait 10 à 20 000 combattants.", None, 10000, 20000, "combattant"),
        ("Le bilan fait état d'entre 30 et 40 morts.", None, 30, 40, "mort"),
        ("Deux à trois millions de fidèles sont attendus.", None, 2_000_000, 3_000_000, "fidèle"),
    ],
)
def test_french_vague_and_ranges(nlp: Language, sentence: str, value, low, high, unit: str) -> None:
    q = only(nlp, sentence)
    assert (q["value"], q["low"], q["high"], q["unit"], q["approx"]) == (value, low, high, unit, True)


# --- French: approximators -----------------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, surface, value, low, high",
    [
        ("Le contingent de quelque 3.000 hommes quittera le pays.", "quelque 3.000 hommes", 3000, None, None),
        ("Près de 400 personnes ont été évacuées.", "Près de 400 personnes", 400, None, None),
        ("Près d'une centaine d'élèves sont absents.", "Près d'une centaine d'élèves", 100, None, None),
        ("Plus de 5 000 manifestants ont défilé.", "Plus de 5 000 manifestants", 5000, 5000, None),
        ("Au moins douze civils ont été tués.", "Au moins douze civils", 12, 12, None),
        ("Environ 800 policiers seront mobilisés.", "Environ 800 policiers", 800, None, None),
        ("Une trentaine de blessés ont été hospitalisés.", "Une trentaine de blessés", 30, None, None),
        ("Moins de 50 électeurs se sont déplacés.", "Moins de 50 électeurs", 50, None, 50),
        ("Jusqu'à 300 soldats pourraient être déployés.", "Jusqu'à 300 soldats", 300, None, 300),
    ],
)
def test_french_approximators(nlp: Language, sentence: str, surface: str, value, low, high) -> None:
    q = only(nlp, sentence)
    assert (q["text"], q["value"], q["low"], q["high"], q["approx"]) == (surface, value, low, high, True)


@pytest.mark.model
def test_exact_count_is_not_approximate(nlp: Language) -> None:
    assert only(nlp, "Le séisme a fait 36 morts.")["approx"] is False


# --- French: counted nouns ------------------------------------------------------------------------------------------

@pytest.mark.model
def test_participles_used_as_nouns_keep_their_noun_lemma(nlp: Language) -> None:
    found = extract(nlp, "L'attaque a fait 12 morts, 40 blessés et 3 disparus.")
    assert [q["unit"] for q in found] == ["mort", "blessé", "disparu"]


@pytest.mark.model
def test_noun_outside_the_lexicon_takes_the_lemma(nlp: Language) -> None:
    q = only(nlp, "Six Touaregs ont été tués près de la frontière.")
    assert (q["value"], q["unit"], q["role"]) == (6, "touareg", "killed")


@pytest.mark.model
def test_multiword_unit(nlp: Language) -> None:
    q = only(nlp, "Les enquêteurs ont saisi quatre armes de poing chez le suspect.")
    assert (q["text"], q["unit"]) == ("quatre armes de poing", "arme de poing")


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, value, unit",
    [("La rançon s'élevait à 2 millions de dollars.", 2_000_000, "dollar"),
     ("Il a reçu une amende de 750 €.", 750, "euro"), ("Le projet a coûté 40 M€.", 40_000_000, "euro")],
)
def test_money(nlp: Language, sentence: str, value: int, unit: str) -> None:
    q = only(nlp, sentence)
    assert (q["value"], q["unit"], q["role"]) == (value, unit, "money")


@pytest.mark.model
def test_material_counts_with_what_it_measures(nlp: Language) -> None:
    q = only(nlp, "Les douaniers ont saisi 40 kilos de cocaïne. Le boxeur combat chez les moins de 60 kilos.")
    assert (q["text"], q["unit"]) == ("40 kilos de cocaïne", "kilo")


@pytest.mark.model
def test_others_take_the_previous_unit(nlp: Language) -> None:
    found = extract(nlp, "Plus de 30 rebelles ont été tués et des dizaines d'autres blessés lors de l'assaut.")
    assert [(q["text"], q["unit"], q["role"]) for q in found] == [
        ("Plus de 30 rebelles", "rebelle", "killed"), ("des dizaines d'autres", "rebelle", "injured")]


@pytest.mark.model
def test_two_others_take_the_previous_unit(nlp: Language) -> None:
    found = extract(nlp, "Trois journalistes ont été enlevés mardi. Deux autres ont été relâchés jeudi.")
    assert [(q["value"], q["unit"]) for q in found] == [(3, "journaliste"), (2, "journaliste")]


@pytest.mark.model
def test_part_of_a_count_takes_its_noun(nlp: Language) -> None:
    found = extract(nlp, "Le parti obtient 212 des 300 sièges de l'Assemblée.")
    assert [(q["text"], q["value"], q["unit"]) for q in found] == [
        ("212 des 300 sièges", 212, "siège"), ("300 sièges", 300, "siège")]


@pytest.mark.model
def test_demonyms_are_people(nlp: Language) -> None:
    found = extract(nlp, "À bord se trouvaient 12 Italiens et trois Sénégalais.")
    assert [(q["value"], q["unit"]) for q in found] == [(12, "italien"), (3, "sénégalais")]


# --- French: roles -----------------------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, role",
    [
        ("Quinze villageois ont été tués dans la nuit.", "killed"),
        ("Huit pèlerins ont péri dans l'incendie.", "killed"),
        ("Vingt passagers ont perdu la vie.", "killed"),
        ("Trente spectateurs ont été blessés.", "injured"),
        ("La police a procédé à l'arrestation de 60 supporters.", "arrested"),
        ("Quarante étudiants ont été interpellés.", "arrested"),
        ("Plus de 3 000 enseignants ont manifesté à Lyon.", "participants"),
        ("Quelque 500 soldats sont stationnés dans la région.", "troops"),
        ("L'armée a déployé quelque 2 000 hommes dans la région.", "troops"),
        ("Près de 200 gendarmes encadraient la manifestation.", "police"),
        ("Trois cents habitants ont été évacués.", "evacuated"),
        ("Neuf humanitaires ont été pris en otage.", "hostages"),
        ("L'entreprise a versé 3 millions d'euros.", "money"),
    ],
)
def test_french_roles(nlp: Language, sentence: str, role: str) -> None:
    assert only(nlp, sentence)["role"] == role


@pytest.mark.model
def test_active_verb_is_not_the_role_of_its_subject(nlp: Language) -> None:
    q = only(nlp, "Deux tireurs ont tué le gardien de l'immeuble.")
    assert (q["unit"], q["role"]) == ("tireur", None)


@pytest.mark.model
def test_joined_nouns_share_the_role(nlp: Language) -> None:
    found = extract(nlp, "Six gendarmes et deux pompiers ont été blessés pendant la nuit.")
    assert [(q["unit"], q["role"]) for q in found] == [("gendarme", "injured"), ("pompier", "injured")]


@pytest.mark.model
def test_a_subset_between_commas_shares_the_role(nlp: Language) -> None:
    found = extract(nlp, "Au moins 19 personnes, dont cinq enfants, ont été tuées.")
    assert [(q["value"], q["unit"], q["role"]) for q in found] == [(19, "personne", "killed"), (5, "enfant", "killed")]


@pytest.mark.model
def test_number_named_by_nombre_de(nlp: Language) -> None:
    found = extract(nlp, "Le nombre de blessés s'élève à 85. Le nombre d'adhérents a été divisé par 10.")
    assert [(q["text"], q["value"], q["unit"], q["role"]) for q in found] == [("85", 85, "blessé", "injured")]


@pytest.mark.model
def test_number_in_a_subset_takes_the_noun_of_the_count(nlp: Language) -> None:
    found = extract(nlp, "Quelque 200 supporters ont été interpellés, dont 30 placés en garde à vue.")
    assert [(q["value"], q["unit"], q["role"]) for q in found] == [(200, "supporter", "arrested"),
                                                                    (30, "supporter", "arrested")]


@pytest.mark.model
def test_coordination_ends_the_clause_of_a_role(nlp: Language) -> None:
    found = extract(nlp, "L'explosion a tué 7 ouvriers et blessé 25 autres.")
    assert [(q["value"], q["unit"], q["role"]) for q in found] == [(7, "ouvrier", "killed"), (25, "ouvrier", "injured")]


# --- French: what is not a count ------------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "sentence",
    [
        "En 2019, la région a voté pour le changement.",
        "La réunion commencera à 14h30 dans la salle du conseil.",
        "Le rendez-vous est fixé à 18 heures devant la mairie.",
        "Le candidat obtient 50 % des voix au premier tour.",
        "Le gouvernement a utilisé l'article 49.3 de la Constitution.",
        "L'équipe s'est imposée 3-1 face à son rival.",
        "Un homme âgé de 40 ans a été interpellé.",
        "Le suspect, père de trois enfants, était connu des services.",
        "Une femme de 32 ans a été blessée.",
        "La manifestation aura lieu le 20 mars devant la préfecture.",
        "Il a terminé 2e de la course, loin du 1er.",
        "Les négociations ont duré trois jours.",
        "Il a été condamné à deux ans de prison.",
        "Il a été interpellé trois fois depuis janvier.",
        "Le village se trouve à 20 km de la frontière.",
        "La ville de 300 000 habitants est privée d'électricité.",
        "Les deux hommes ont été mis en examen.",
        "Ces trois policiers ont été suspendus.",
        "Quatre d'entre eux sont dans un état grave.",
        "Un policier a été blessé par un manifestant.",
        "Le Boeing 737 s'est posé sans encombre.",
        "La ligne 7 du métro est fermée.",
        "Deux électeurs sur trois se sont abstenus.",
    ],
)
def test_french_non_counts(nlp: Language, sentence: str) -> None:
    assert extract(nlp, sentence) == []


@pytest.mark.model
def test_a_count_repeated_from_the_headline_is_one_fact(nlp: Language) -> None:
    text = "Grèce : un incendie fait 12 morts\n\nUn incendie a fait 12 morts dans la banlieue d'Athènes."
    found = extract(nlp, text)
    assert len(found) == 1 and found[0]["start"] > text.index("\n")


@pytest.mark.model
def test_records_keep_the_original_characters(nlp: Language) -> None:
    text = "Selon l’armée, près d’une centaine de combattants ont été tués."
    doc = nlp(model_text(text))
    (q,) = quantities_from_doc(doc, text, "2024-05-02")
    assert q.text == "près d’une centaine de combattants"
    assert (q.value, q.unit, q.role, q.approx, q.extractor) == (100, "combattant", "killed", True, "vigie-quantities")
    assert 0 < q.confidence <= 1


# --- English --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "sentence, surface, value, low, high, unit",
    [
        ("More than 10,000 people marched in the capital.", "More than 10,000 people", 10000, 10000, None, "person"),
        ("At least 36 killed in the blast, officials said.", "At least 36 killed", 36, 36, None, "killed"),
        ("Dozens of people were arrested overnight.", "Dozens of people", None, 20, 99, "person"),
        ("Hundreds of protesters gathered outside parliament.", "Hundreds of protesters", None, 200, 999, "protester"),
        ("Thousands of refugees crossed the border.", "Thousands of refugees", None, 2000, 9999, "refugee"),
        ("Two soldiers died in the ambush.", "Two soldiers", 2, None, None, "soldier"),
        ("Twenty-five hostages were freed.", "Twenty-five hostages", 25, None, None, "hostage"),
        ("The donors pledged 1.5 million dollars.", "1.5 million dollars", 1_500_000, None, None, "dollar"),
        ("The fund received $2 million last year.", "$2 million", 2_000_000, None, None, "dollar"),
        ("Between 20 and 30 rebels were killed.", "Between 20 and 30 rebels", None, 20, 30, "rebel"),
    ],
)
def test_english(en: Language, sentence: str, surface: str, value, low, high, unit: str) -> None:
    q = only(en, sentence)
    assert (q["text"], q["value"], q["low"], q["high"], q["unit"]) == (surface, value, low, high, unit)


@pytest.mark.parametrize(
    "sentence, role",
    [("Three police officers were injured in the clashes.", "injured"), ("Police arrested 45 suspects.", "arrested"),
     ("Some 2,000 troops were deployed to the region.", "troops"),
     ("Nearly 500 workers went on strike.", "participants")],
)
def test_english_roles(en: Language, sentence: str, role: str) -> None:
    assert only(en, sentence)["role"] == role


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2014 the ceasefire collapsed.", "The vote was 52 percent in favour.", "The meeting starts at 2:30 pm.",
        "The score was 3-1 at half-time.", "A 25-year-old man was charged.", "He finished 2nd in the race.",
        "The talks lasted three days.", "The village lies 20 km from the border.", "The two men were charged.",
        "On March 3 the court ruled.", "One of the suspects fled.", "Two out of three voters stayed home.",
        "The 2015 earthquake killed many.", "The recount found 12 more than before.",
        "The suspect, a father of two children, was held.",
    ],
)
def test_english_non_counts(en: Language, sentence: str) -> None:
    assert extract(en, sentence) == []


def test_blank_french_pipeline_without_parse() -> None:
    """The extractor needs only the text: a French Doc without a parse still gets its counts."""
    import spacy

    doc = spacy.blank("fr")("Au moins 12 personnes ont été tuées.")
    annotate_quantities(doc)
    assert [(q["value"], q["unit"], q["role"]) for q in doc._.quantities] == [(12, "personne", "killed")]


# --- counts without their own noun (issue 13) ------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Douze soldats ont été tués et 40 ont été blessés dans l'attaque.",
         [(12, "soldat", "killed"), (40, "soldat", "injured")]),
        ("Trois personnes sont mortes, 35 ont été blessées.", [(3, "personne", "killed"), (35, "personne", "injured")]),
        ("Dix personnes ont été hospitalisées, dont trois grièvement blessées.",
         [(10, "personne", "injured"), (3, "personne", "injured")]),
        ("Deux passagers ont été tués, trois grièvement blessés dans la collision.",
         [(2, "passager", "killed"), (3, "passager", "injured")]),
        ("Au moins 28 personnes sont mortes et plus de 80 blessées dans le séisme.",
         [(28, "personne", "killed"), (80, "personne", "injured")]),
        ("Cinq mineurs ont été secourus mardi. Deux sont toujours hospitalisés.",
         [(5, "mineur", None), (2, "mineur", "injured")]),
        ("Trois soldats ont été tués et deux autres grièvement blessés.",
         [(3, "soldat", "killed"), (2, "soldat", "injured")]),
    ],
)
def test_elided_noun_takes_the_noun_of_the_count_before(nlp: Language, sentence: str, expected: list) -> None:
    assert [(q["value"], q["unit"], q["role"]) for q in extract(nlp, sentence)] == expected


@pytest.mark.model
def test_role_from_a_participle_after_an_adverb(nlp: Language) -> None:
    q = only(nlp, "Huit personnes ont été grièvement blessées lors de l'explosion.")
    assert (q["value"], q["unit"], q["role"]) == (8, "personne", "injured")


@pytest.mark.model
def test_a_number_before_a_verb_needs_a_count_before(nlp: Language) -> None:
    assert extract(nlp, "Selon la police, 40 ont été interpellés.") == []
    found = extract(nlp, "Quelque 300 salariés ont manifesté. Le chômage au troisième trimestre 2016 s'établit à 9 %.")
    assert [q["value"] for q in found] == [300]
    # the noun before says what happened to those it counts: "40 ont été blessés" are no "morts"
    assert [q["value"] for q in extract(nlp, "Il y a eu trois morts. Quarante ont été blessés.")] == [3]


@pytest.mark.model
def test_the_noun_counted_before_wins_over_a_participle_used_as_noun(nlp: Language) -> None:
    found = extract(nlp, "L'attaque a fait 12 morts et 40 blessés.")
    assert [q["unit"] for q in found] == ["mort", "blessé"]


@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Quinze soldats ont été blessés dans l'embuscade. Deux d'entre eux sont dans un état grave.",
         [(15, "soldat", "injured", "Quinze soldats"), (2, "soldat", "injured", "Deux d'entre eux")]),
        ("Des soldats ont été pris en embuscade près de la frontière. Deux d'entre eux ont été tués.",
         [(2, "soldat", "killed", "Deux d'entre eux")]),
        ("Des centaines de manifestantes ont défilé. Plusieurs dizaines d'entre elles ont été interpellées.",
         [(None, "manifestant", "participants", "Des centaines de manifestantes"),
          (None, "manifestant", "arrested", "Plusieurs dizaines d'entre elles")]),
    ],
)
def test_part_of_a_group_takes_the_group_noun(nlp: Language, text: str, expected: list) -> None:
    assert [(q["value"], q["unit"], q["role"], q["text"]) for q in extract(nlp, text)] == expected


@pytest.mark.model
def test_others_after_one_of_a_group(nlp: Language) -> None:
    found = extract(nlp, "Deux policiers ont été blessés et l'un des suspects a été abattu, tandis que deux autres "
                         "sont en fuite.")
    assert [(q["value"], q["unit"], q["role"]) for q in found] == [(2, "policier", "injured"), (2, "suspect", None)]


def test_english_elided_noun(en: Language) -> None:
    found = extract(en, "Twelve soldiers were killed and 40 were wounded.")
    assert [(q["value"], q["unit"], q["role"]) for q in found] == [(12, "soldier", "killed"), (40, "soldier", "injured")]


# --- back-references ------------------------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Trois suspects ont été arrêtés mardi. Les trois suspects ont été présentés à un juge.", [(3, "suspect")]),
        ("Quelque 2 000 djihadistes ont été tués. Les quelque 2 000 djihadistes tenaient la ville.",
         [(2000, "djihadiste")]),
        ("L'explosion a tué sept personnes mardi. Le nouveau bilan fait état de sept morts et 28 blessés.",
         [(7, "personne"), (28, "blessé")]),
        ("Trois policiers et trois civils ont été tués.", [(3, "policier"), (3, "civil")]),
        ("Les 27 ministres de l'UE ont adopté le texte.", [(27, "ministre")]),  # a first mention (GUIDE)
        ("La police a abattu les huit assaillants dans la nuit.", [(8, "assaillant")]),
        ("Huit assaillants ont attaqué la caserne. Les huit assaillants ont été abattus.", [(8, "assaillant")]),
    ],
)
def test_a_count_that_points_back_is_not_repeated(nlp: Language, text: str, expected: list) -> None:
    assert [(q["value"], q["unit"]) for q in extract(nlp, text)] == expected


@pytest.mark.model
def test_vague_counts_stay_ranges(nlp: Language) -> None:
    q = only(nlp, "Des millions de personnes ont manifesté dans tout le pays.")
    assert (q["value"], q["low"], q["unit"], q["approx"]) == (None, 2_000_000, "personne", True)


# --- measures -------------------------------------------------------------------------------------------------------

def measures(nlp: Language, text: str) -> list[tuple]:
    doc = nlp(model_text(text))
    assert not doc._.vigie_errors, doc._.vigie_errors
    return [(text[m["start"] : m["end"]], m["value"], m["unit"]) for m in doc._.measures]


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, surface, value, unit",
    [
        ("Le colis pesait 80 kg.", "80 kg", 80, "kg"),
        ("Les alpinistes ont atteint 4 000 m d'altitude.", "4 000 m", 4000, "m"),
        ("Le village se trouve à 12 km de la frontière.", "12 km", 12, "km"),
        ("La cargaison pèse 3 tonnes.", "3 tonnes", 3, "t"),
        ("Il a fait 40 degrés à Séville.", "40 degrés", 40, "°C"),
        ("L'incendie a parcouru 2 hectares.", "2 hectares", 2, "ha"),
        ("Le conducteur roulait à 100 km/h.", "100 km/h", 100, "km/h"),
        ("La cuve contenait 500 litres.", "500 litres", 500, "l"),
        ("L'appartement fait 45 mètres carrés.", "45 mètres carrés", 45, "m²"),
        ("Le pays produit 1,5 million de barils par jour.", "1,5 million de barils", 1_500_000, "bbl"),
        ("Le colis pesait 200 livres.", "200 livres", 200, "lb"),
    ],
)
def test_measures_are_not_counts(nlp: Language, sentence: str, surface: str, value, unit: str) -> None:
    assert extract(nlp, sentence) == []
    assert measures(nlp, sentence) == [(surface, value, unit)]


@pytest.mark.model
def test_a_measure_of_what_was_seized_is_both(nlp: Language) -> None:
    text = "Les douaniers ont saisi 40 kilos de cocaïne."
    assert [(q["text"], q["unit"]) for q in extract(nlp, text)] == [("40 kilos de cocaïne", "kilo")]
    assert measures(nlp, text) == [("40 kilos", 40, "kg")]


@pytest.mark.model
def test_measure_records(nlp: Language) -> None:
    from vigie.quantities.component import measures_from_doc

    text = "Le colis pesait près de 80 kg."
    (m,) = measures_from_doc(nlp(model_text(text)), text)
    assert (m.text, m.value, m.unit, m.extractor) == ("près de 80 kg", 80, "kg", "vigie-quantities")


def test_measures_in_the_analysis_record() -> None:
    from vigie.contract import to_record
    from vigie.records import Article, Measure

    art = Article(id="a1", raw="Le colis pesait 80 kg.", text="Le colis pesait 80 kg.")
    art.measures = [Measure(text="80 kg", start=16, end=21, value=80, unit="kg")]
    rec = to_record(art)
    assert rec["measures"] == [{"text": "80 kg", "start": 16, "end": 21, "value": 80, "low": None, "high": None,
                                "unit": "kg", "extractor": "vigie-quantities"}]
    assert rec["quantities"] == []


@pytest.mark.parametrize(
    "sentence, surface, value, unit",
    [("The package weighed 50 kg.", "50 kg", 50, "kg"), ("He ran 400 m in the final.", "400 m", 400, "m"),
     ("Police seized 200 pounds of cocaine.", "200 pounds", 200, "lb"),
     ("Winds reached 120 miles per hour.", "120 miles per hour", 120, "mph")],
)
def test_english_measures(en: Language, sentence: str, surface: str, value, unit: str) -> None:
    assert extract(en, sentence) == []
    assert measures(en, sentence) == [(surface, value, unit)]


# --- money in every currency ----------------------------------------------------------------------------------------

@pytest.mark.model
@pytest.mark.parametrize(
    "sentence, value, unit",
    [
        ("Le groupe a perdu 300 milliards de yens.", 300_000_000_000, "yen"),
        ("La banque a payé 5 millions de livres sterling.", 5_000_000, "livre"),
        ("Le journal dégage un bénéfice de 5,2 millions de livres.", 5_200_000, "livre"),
        ("Nestlé a versé 40 millions de francs suisses.", 40_000_000, "franc"),
        ("Moscou a débloqué 2 milliards de roubles.", 2_000_000_000, "rouble"),
        ("Pékin a investi 10 milliards de yuans dans le port.", 10_000_000_000, "yuan"),
        ("Buenos Aires a emprunté 500 millions de pesos.", 500_000_000, "peso"),
        ("L'amende s'élève à 20 000 rands.", 20_000, "rand"),
        ("Rabat a dépensé 3 milliards de dirhams.", 3_000_000_000, "dirham"),
        ("La prime atteint 50 000 francs CFA.", 50_000, "franc"),
        ("Stockholm a versé 2 millions de couronnes.", 2_000_000, "couronne"),
        ("Le journal est vendu 50 centimes.", 50, "centime"),
        ("Le rachat est évalué à CHF 50 millions.", 50_000_000, "franc"),
        ("Il a reçu 100 000 USD en espèces.", 100_000, "dollar"),
        ("La facture atteint 2 000 £.", 2000, "livre"),
        ("Le projet coûtera 3 000 ₹ par foyer.", 3000, "roupie"),
    ],
)
def test_money_in_any_currency(nlp: Language, sentence: str, value: int, unit: str) -> None:
    q = only(nlp, sentence)
    assert (q["value"], q["unit"], q["role"]) == (value, unit, "money")


@pytest.mark.model
@pytest.mark.parametrize("sentence", ["Il a écrit trois livres sur la guerre.", "Le TOP 14 reprend samedi.",
                                      "Le monument est orné de deux couronnes."])
def test_currency_words_that_are_common_words(nlp: Language, sentence: str) -> None:
    assert extract(nlp, sentence) == []


@pytest.mark.parametrize(
    "sentence, surface, value, unit",
    [("The bank was fined £5 million.", "£5 million", 5_000_000, "pound"),
     ("Tokyo pledged 300 billion yen in aid.", "300 billion yen", 300_000_000_000, "yen"),
     ("India spent 20 billion rupees on roads.", "20 billion rupees", 20_000_000_000, "rupee"),
     ("He paid a fine of 500 pounds.", "500 pounds", 500, "pound")],
)
def test_english_money(en: Language, sentence: str, surface: str, value: int, unit: str) -> None:
    q = only(en, sentence)
    assert (q["text"], q["value"], q["unit"], q["role"]) == (surface, value, unit, "money")


def test_currency_table_covers_iso_4217() -> None:
    from vigie.quantities.lexicon import lexicon

    fr, en = lexicon("fr"), lexicon("en")
    for code in ("EUR", "USD", "GBP", "JPY", "CHF", "CNY", "RUB", "INR", "ZAR", "MAD", "XOF", "SEK", "BRL", "MXN"):
        assert code in fr.codes and code in en.codes, code
    assert fr.units[("roupies",)].lemma == "roupie" and en.units[("rupees",)].lemma == "rupee"


@pytest.mark.model
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Deux voitures ont été incendiées dans la nuit.", [(2, "voiture", "other")]),
        ("Le séisme a détruit 50 maisons et endommagé 200 bâtiments.", [(50, "maison", "other"),
                                                                         (200, "bâtiment", "other")]),
        ("Le parc de la ville compte 300 voitures.", []),  # a stock, nothing happened to them
    ],
)
def test_things_an_event_acts_on(nlp: Language, text: str, expected: list) -> None:
    assert [(q["value"], q["unit"], q["role"]) for q in extract(nlp, text)] == expected
