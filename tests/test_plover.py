"""PLOVER in one place (vigie.events.plover): types, modes, quads, scores; every other module uses it, and the
trigger lexicon loader refuses a row that is not PLOVER's."""
from __future__ import annotations

import pytest

from vigie.api.params import PLOVER_TYPES
from vigie.events import plover
from vigie.events.lexicon import parse_triggers, triggers
from vigie.export import polecat
from vigie.web.charts import TYPE_COLORS

GOOD = (
    "# a comment\n"
    "\n"
    "rencontrer\tV\tCONSULT\t-\tperson\tobj=target\t0.8\n"
    "visite\tN\tCONSULT\tvisit\tcompl\tde=source\t0.85\n"
    "terroriste\tA\t-\t-\t-\t-\t-\n"
)


def test_a_good_lexicon_parses():
    table = parse_triggers(GOOD, "mini.tsv")
    assert set(table) == {"rencontrer", "visite"}  # the accusatory word is no trigger
    (visite,) = table["visite"]
    assert (visite.type, visite.mode, visite.weight) == ("CONSULT", "visit", 0.85)


@pytest.mark.parametrize(
    "line, problem",
    [
        ("frapper\tV\tHIT\t-\t-\t-\t0.8", "unknown PLOVER type 'HIT'"),
        ("frapper\tV\tASSAULT\tpunch\t-\t-\t0.8", "unknown mode 'punch' for ASSAULT"),
        ("manifester\tV\tPROTEST\tdemo", "expected 7 tab-separated columns"),
        ("manifester\tV\tPROTEST\tdemo\t-\t-\t0.8\textra", "expected 7 tab-separated columns"),
        ("manifester\tV\tprotest\t-\t-\t-\t0.8", "unknown PLOVER type 'protest'"),
        ("manifester\tX\tPROTEST\t-\t-\t-\t0.8", "unknown pos 'X'"),
        ("manifester\tV\tPROTEST\t-\t-\t-\tbeaucoup", "weight 'beaucoup' is not a number"),
        ("visite\tN\tPROTEST\tvisit\t-\t-\t0.8", "unknown mode 'visit' for PROTEST"),  # a mode of another type
    ],
)
def test_a_bad_row_fails_loudly_with_file_and_line(line, problem):
    with pytest.raises(ValueError) as err:
        parse_triggers(GOOD + line + "\n", "mini.tsv")
    assert str(err.value).startswith("mini.tsv line 6: " + problem)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_shipped_lexicons_are_plover(lang):
    entries = [e for group in triggers(lang).values() for e in group]
    assert entries and all(plover.is_type(e.type) and plover.is_mode(e.type, e.mode) for e in entries)


def test_types_quads_and_split():
    assert len(plover.TYPES) == 16 and set(plover.QUAD_CODES) == set(plover.TYPES)
    assert set(plover.TYPES) == plover.COOPERATIVE | plover.HOSTILE
    assert not plover.COOPERATIVE & plover.HOSTILE
    assert {t: plover.QUAD_CODES[t] for t in ("AGREE", "AID", "SANCTION", "ASSAULT")} == {
        "AGREE": 1, "AID": 2, "SANCTION": 3, "ASSAULT": 4}


def test_scores_and_modes():
    assert len(plover.scores()) == 82  # Table 2.2 of the PLOVER manual
    assert all(plover.score(t, None) is not None for t in plover.TYPES)
    assert plover.score("PROTEST", "riot") == -7 and plover.score("PROTEST", "unknown") == -5
    assert {"demo", "riot", "strike"} <= plover.modes()["PROTEST"]
    assert "military" in plover.modes()["AID"]  # vigie's own (VIGIE_MODES)
    assert not plover.is_mode("PROTEST", "firearms") and plover.is_mode("PROTEST", None)


def test_every_place_uses_the_one_module():
    assert PLOVER_TYPES is plover.TYPES
    assert polecat.QUAD_CODES is plover.QUAD_CODES and polecat.intensity("ASSAULT", "drone") == -9.5
    assert set(TYPE_COLORS) == set(plover.TYPES)
