"""Dates: finding time expressions (French with the model, English on a blank pipeline) and resolving them.

Sentences are written for these tests. Resolution rules are those of the annotation guide: a weekday alone
is the closest such day not after publication unless the clause speaks of the future, "la semaine
dernière" is the ISO week before publication's, a month without a year takes the year that fits the tense.
"""
from __future__ import annotations

from datetime import date

import pytest

from vigie.analysis.load import model_text
from vigie.dates import en as dates_en
from vigie.dates import fr as dates_fr
from vigie.dates.component import annotate_dates, dateline_date, dates_from_doc
from vigie.dates.patterns import scan
from vigie.dates.resolve import resolve

WED = "2022-01-12"  # a Wednesday, in ISO week 2022-W02


def found(nlp, text: str, published: str | None = WED) -> list[tuple[str, str | None]]:
    doc = nlp(model_text(text))
    assert not doc._.vigie_errors
    return [(d.text, d.value) for d in dates_from_doc(doc, text, published)]


# --- resolution, without any model ------------------------------------------------------------------------

ANCHOR = date(2022, 1, 12)


@pytest.mark.parametrize(
    ("desc", "value"),
    [
        ({"kind": "weekday", "wd": 3}, "2022-01-12"),  # the same day counts
        ({"kind": "weekday", "wd": 4}, "2022-01-06"),  # otherwise the closest before
        ({"kind": "weekday", "wd": 4, "tense": "future"}, "2022-01-13"),
        ({"kind": "weekday", "wd": 3, "tense": "future"}, "2022-01-19"),  # "after published"
        ({"kind": "weekday", "wd": 3, "dir": -1}, "2022-01-05"),  # "mercredi dernier"
        ({"kind": "weekday", "wd": 2, "this": True}, "2022-01-11"),  # "ce mardi"
        ({"kind": "weekday", "wd": 3, "this": True, "tense": "future"}, "2022-01-12"),  # "rouvrira ce mercredi"
        ({"kind": "period", "unit": "week", "offset": -1}, "2022-W01"),
        ({"kind": "period", "unit": "week", "offset": 0}, "2022-W02"),
        ({"kind": "period", "unit": "month", "offset": -1}, "2021-12"),
        ({"kind": "period", "unit": "year", "offset": 1}, "2023"),
        ({"kind": "month", "m": 3, "tense": "past"}, "2021-03"),  # past tense: not after publication
        ({"kind": "month", "m": 3, "tense": "future"}, "2022-03"),
        ({"kind": "month", "m": 12}, "2021-12"),  # no tense: the nearest
        ({"kind": "month", "m": 9, "dir": -1}, "2021-09"),  # "septembre dernier"
        ({"kind": "date", "m": 12, "d": 28, "tense": "past"}, "2021-12-28"),
        ({"kind": "date", "m": 1, "d": 20, "tense": "future"}, "2022-01-20"),
        ({"kind": "relday", "offset": -2}, "2022-01-10"),
        ({"kind": "ago", "unit": "year", "n": -3}, "2019"),
        ({"kind": "decade", "y": 1990}, "1990-01-01/1999-12-31"),
        ({"kind": "weekend", "offset": -1}, "2022-01-08/2022-01-09"),
        (
            {"kind": "range", "a": {"kind": "date", "d": 28, "m": None}, "b": {"kind": "date", "d": 3, "m": 2, "y": 2022}},
            "2022-01-28/2022-02-03",
        ),
        ({"kind": "range", "a": {"kind": "weekday", "wd": 2}, "b": {"kind": "weekday", "wd": 3}}, "2022-01-11/2022-01-12"),
    ],
)
def test_resolve(desc: dict, value: str) -> None:
    assert resolve(desc, ANCHOR)[0] == value


def test_resolve_iso_week_across_new_year() -> None:
    assert resolve({"kind": "period", "unit": "week", "offset": -1}, date(2021, 1, 6))[0] == "2020-W53"


def test_resolve_needs_an_anchor_for_relative_dates() -> None:
    assert resolve({"kind": "relday", "offset": -1}, None) == (None, "day")
    assert resolve({"kind": "date", "y": 2016, "m": 1, "d": 1}, None)[0] == "2016-01-01"


GUARD_SAMPLES_FR = (
    "Le 3 mars 2016, puis du 4 au 6 avril et les 7 et 8 mai derniers ; la nuit de lundi à mardi, l'an dernier, "
    "début 2015, fin septembre 2016, mi-juin, en 97 (en janvier), les années 60, il y a trois jours, dans deux ans, "
    "ce week-end, le week-end dernier, cette semaine, la fin de l'année, le lendemain, l' an 2000, 12/03/2016."
)
GUARD_SAMPLES_EN = (
    "On Monday, March 3, 2016, then 4 April 2016 and March 3-5; last week, earlier this month, in April of 2006, "
    "the 1990s, mid-2015, two days ago, the day before, Yesterday, next Friday, 2016-03-03, 3/15/2016."
)


@pytest.mark.parametrize(("grammar", "text"), [(dates_fr.grammar, GUARD_SAMPLES_FR), (dates_en.grammar, GUARD_SAMPLES_EN)])
def test_start_guard_loses_nothing(grammar, text: str) -> None:
    """The fast start guard (dates_patterns.build) must accept every start the rules match."""
    g = grammar()
    fast = [(d["start"], d["end"]) for d in scan(g, text)]
    assert fast == [(d["start"], d["end"]) for d in scan(g, text, guarded=False)]
    assert len(fast) >= 12


# --- French, with the model -------------------------------------------------------------------------------

FRENCH_CASES = [
    # explicit dates
    ("La cérémonie a eu lieu le 14 juillet 2016 à Paris.", ("le 14 juillet 2016", "2016-07-14")),
    ("Le texte est entré en vigueur le 1er janvier 2016.", ("le 1er janvier 2016", "2016-01-01")),
    ("Ce 10 janvier, un incendie a ravagé l'entrepôt.", ("Ce 10 janvier", "2022-01-10")),
    ("La décision a été publiée le 3/03/2016 au journal officiel.", ("le 3/03/2016", "2016-03-03")),
    ("Le scrutin a été repoussé au samedi 5 février.", ("samedi 5 février", "2022-02-05")),
    ("Il avait été arrêté le 20 décembre dernier.", ("le 20 décembre dernier", "2021-12-20")),
    # months and years
    ("Les négociations avaient échoué en mars.", ("mars", "2021-03")),
    ("Le mouvement est né en janvier 2012 dans le sud du pays.", ("janvier 2012", "2012-01")),
    ("L'enquête a été ouverte fin septembre 2016.", ("fin septembre 2016", "2016-09")),
    ("La loi a été votée en 2015 par le Parlement.", ("2015", "2015")),
    ("Le groupe est actif depuis 2004, selon la police.", ("2004", "2004")),
    ("Le pays était en guerre dans les années 1990.", ("les années 1990", "1990-01-01/1999-12-31")),
    # ranges
    ("Le sommet se tiendra du 3 au 5 mars à Genève.", ("du 3 au 5 mars", "2022-03-03/2022-03-05")),
    ("Des heurts ont éclaté dans la nuit de mardi à mercredi.", ("la nuit de mardi à mercredi", "2022-01-11/2022-01-12")),
    # weekdays
    ("Le ministre s'est rendu mercredi à Dakar.", ("mercredi", "2022-01-12")),
    ("Un attentat a été déjoué ce mardi à Lyon.", ("ce mardi", "2022-01-11")),
    ("La réunion aura lieu jeudi prochain à Bruxelles.", ("jeudi prochain", "2022-01-13")),
    ("Il a démissionné lundi dernier.", ("lundi dernier", "2022-01-10")),
    ("Le port doit reprendre ses activités jeudi.", ("jeudi", "2022-01-13")),
    ("Les ministres se retrouveront vendredi à Rome.", ("vendredi", "2022-01-14")),
    # relative days
    ("Deux soldats ont été tués hier dans une embuscade.", ("hier", "2022-01-11")),
    ("Le président s'exprime aujourd'hui devant le Congrès.", ("aujourd'hui", "2022-01-12")),
    ("Le verdict sera rendu demain.", ("demain", "2022-01-13")),
    ("Les faits se sont produits avant-hier.", ("avant-hier", "2022-01-10")),
    ("Le vote est prévu après-demain.", ("après-demain", "2022-01-14")),
    # relative periods
    ("Les émeutes de la semaine dernière ont fait vingt morts.", ("la semaine dernière", "2022-W01")),
    ("Le texte sera examiné la semaine prochaine.", ("la semaine prochaine", "2022-W03")),
    ("Les pourparlers reprennent cette semaine.", ("cette semaine", "2022-W02")),
    ("Les prix ont augmenté le mois dernier.", ("le mois dernier", "2021-12")),
    ("Les travaux débuteront le mois prochain.", ("le mois prochain", "2022-02")),
    ("Le chômage a baissé l'an dernier.", ("l'an dernier", "2021")),
    ("La croissance avait ralenti l'année dernière.", ("l'année dernière", "2021")),
    ("Les élections auront lieu l'an prochain.", ("l'an prochain", "2023")),
    ("Le budget sera voté cette année.", ("cette année", "2022")),
    ("C'est la troisième attaque depuis le début de l'année.", ("le début de l'année", "2022")),
    ("Il y a trois jours, la route a été coupée.", ("Il y a trois jours", "2022-01-09")),
    # la veille, le lendemain
    ("Le 5 janvier, la police a arrêté un suspect ; le lendemain, il a été libéré.", ("le lendemain", "2022-01-06")),
    ("Il a été inculpé le 8 janvier. La veille, il avait été entendu.", ("La veille", "2022-01-07")),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), FRENCH_CASES)
def test_french_expression(nlp, text: str, expected: tuple[str, str]) -> None:
    assert expected in found(nlp, text)


@pytest.mark.model
def test_two_years_not_one_range(nlp) -> None:
    """'entre 2004 et 2007': the guide's values are single years; each year is its own date."""
    assert found(nlp, "Le pays a connu une insurrection entre 2004 et 2007.") == [("2004", "2004"), ("2007", "2007")]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Les combats ont duré pendant trois jours.",
        "La ville attend ce projet depuis dix ans.",
        "Les attentats ont diminué ces dix dernières années.",
        "Le train est parti à 14h30.",
        "Un homme de 45 ans a été interpellé.",
        "Le marché se tient chaque lundi sur la place.",
        "L'armée a déployé 2000 soldats dans la région.",
        "Le magasin est fermé le dimanche.",
        "Selon le Journal du dimanche, le ministre est en difficulté.",
        "Les attentats du 11-Septembre ont changé la diplomatie américaine.",
        "Une fête de fin d'année a réuni les salariés.",
    ],
)
def test_french_not_a_date(nlp, text: str) -> None:
    assert found(nlp, text) == []


@pytest.mark.model
def test_dateline(nlp) -> None:
    text = "Incendie à Lyon\n\n1er janvier 2016, 14h30 . –\nUn incendie s'est déclaré hier dans un entrepôt."
    doc = nlp(model_text(text))
    assert dateline_date(doc) == "2016-01-01"
    # without a publication date, relative dates resolve against the dateline
    assert ("hier", "2015-12-31") in [(d.text, d.value) for d in dates_from_doc(doc, text, None)]


@pytest.mark.model
def test_no_anchor_no_relative_value(nlp) -> None:
    text = "Un incendie s'est déclaré hier dans un entrepôt, détruit en mars 2015."
    assert found(nlp, text, None) == [("hier", None), ("mars 2015", "2015-03")]


@pytest.mark.model
def test_quote_resolves_against_its_reporting_clause(nlp) -> None:
    """'a déclaré lundi : « demain... »': demain is the day after that Monday, not after publication."""
    text = "Le ministre a déclaré lundi : « Demain, nous rouvrirons enfin la frontière avec le pays voisin. »"
    doc = nlp(model_text(text))
    q = text.index("Demain")
    doc._.quotes = [{"start": q, "end": len(text) - 2, "cue_start": 14, "cue_end": 22, "direct": True}]
    annotate_dates(doc)  # again, with the quote above (independent of the quotes component)
    got = [(d.text, d.value) for d in dates_from_doc(doc, text, WED)]
    assert got == [("lundi", "2022-01-10"), ("Demain", "2022-01-11")]
    doc._.quotes = [{"start": q, "end": len(text) - 2, "cue_start": None, "cue_end": None, "direct": True}]
    annotate_dates(doc)  # no reporting clause: against publication
    assert ("Demain", "2022-01-13") in [(d.text, d.value) for d in dates_from_doc(doc, text, WED)]


@pytest.mark.model
def test_offsets_point_into_the_original_text(nlp) -> None:
    text = "Le président s’est exprimé aujourd’hui, après l’attaque d’hier."
    doc = nlp(model_text(text))
    for d in dates_from_doc(doc, text, WED):
        assert text[d.start : d.end] == d.text and d.extractor == "vigie-dates" and 0 < d.confidence <= 1
    assert [d.text for d in dates_from_doc(doc, text, WED)] == ["aujourd’hui", "hier"]


# --- English, blank pipeline ------------------------------------------------------------------------------

ENGLISH_CASES = [
    ("Protesters gathered in the capital on Monday.", ("Monday", "2022-01-10")),
    ("The talks will resume on Friday.", ("Friday", "2022-01-14")),
    ("Prices rose sharply last week.", ("last week", "2022-W01")),
    ("Two soldiers were killed yesterday.", ("yesterday", "2022-01-11")),
    ("The treaty was signed on March 3, 2016 in Vienna.", ("March 3, 2016", "2016-03-03")),
    ("The treaty was signed on 3 March 2016 in Vienna.", ("3 March 2016", "2016-03-03")),
    ("The party was founded in 2015.", ("2015", "2015")),
    ("Inflation reached a record last year.", ("last year", "2021")),
    ("The new law takes effect next month.", ("next month", "2022-02")),
    ("The company collapsed in April of 2006.", ("April of 2006", "2006-04")),
    ("The rebels took the town two days ago.", ("two days ago", "2022-01-10")),
]


@pytest.mark.parametrize(("text", "expected"), ENGLISH_CASES)
def test_english_expression(en, text: str, expected: tuple[str, str]) -> None:
    assert expected in found(en, text)


@pytest.mark.parametrize(
    "text",
    [
        "Police arrested 2000 protesters.",
        "The market opens every Monday.",
        "In the last week, thirty people died.",
        "You may leave now.",
        "She runs a Saturday youth club.",
        "The market is held on the first Saturday of each month.",
    ],
)
def test_english_not_a_date(en, text: str) -> None:
    assert found(en, text) == []


@pytest.mark.model
def test_day_and_month_after_a_semicolon_take_the_clause_s_tense(nlp) -> None:
    # the parser makes "26" a root: the clause's verb after it ("avaient ôté") says past
    text = ("En janvier 2015, une attaque avait fait 5 morts alors que la ville s'apprêtait à recevoir le président turc ; "
            "le 26 février, les explosions d'un camion piégé avaient ôté la vie à 14 personnes.")
    assert ("le 26 février", "2016-02-26") in found(nlp, text, "2016-08-30")


@pytest.mark.model
def test_an_announced_trip_is_not_put_in_the_past(nlp) -> None:
    # the infinitive after "a annoncé" comes after the announcement, whatever the announcement's tense
    text = "Hassan Rohani a annoncé se rendre en Italie et en France du 25 au 27 janvier."
    assert found(nlp, text, "2016-01-24") == [("du 25 au 27 janvier", "2016-01-25/2016-01-27")]
