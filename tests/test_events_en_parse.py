"""English event triggers on the English model's tags and parse (issue 16): the false triggers met on real English
news are no events, and the true readings of the same words still are."""
from __future__ import annotations

import pytest

from vigie.analysis.load import load_english


@pytest.fixture(scope="module")
def nlp():
    return load_english()


def events(nlp, text: str) -> list[tuple[str, str | None, str | None]]:
    return [(e["type"], e.get("source"), e.get("target")) for e in nlp(text)._.events or []]


@pytest.mark.parametrize("text", [
    "Trump held a campaign rally in Ohio on Monday, where thousands of supporters cheered.",  # not a protest
    "Stocks rallied on Wall Street after the Fed decision.",
    "The emails were among documents released by WikiLeaks on Friday.",  # no release of people
    "The campaign released a new video on Tuesday.",
    "The leak revealed offshore shell companies used to hide assets.",  # no shelling
    "The Patriots' attack struggled against the Giants' defense on Sunday.",  # a game
    "The airline charged a fee for every bag.",
])
def test_false_triggers_are_no_events(nlp, text: str):
    assert events(nlp, text) == []


@pytest.mark.parametrize("text, kind", [
    ("Thousands of protesters rallied outside parliament against the new law.", "PROTEST"),
    ("The rebels released 20 hostages on Tuesday.", "RETREAT"),
    ("Israeli artillery shelled the town overnight, killing four people.", "ASSAULT"),
    ("Workers went on strike at the port on Tuesday.", "PROTEST"),
    ("Gunmen attacked a police station in Kabul, killing five officers.", "ASSAULT"),
    ("Prosecutors charged the former mayor with fraud.", "ACCUSE"),
    ("Clashes between police and protesters left ten people injured in Nairobi.", "ASSAULT"),
])
def test_true_readings_stay_events(nlp, text: str, kind: str):
    assert kind in {t for t, _, _ in events(nlp, text)}


@pytest.mark.parametrize("text, not_actor", [
    ("Despite the protests, the government passed the law.", "Despite"),
    ("On Monday, rebels attacked the convoy near Aleppo.", "Monday"),
    ("Video shows the moment gunmen attacked the convoy near Aleppo.", "Video"),
    ("I condemned the attack on the embassy.", "I"),
])
def test_prepositions_dates_pronouns_and_sentence_openers_are_no_actors(nlp, text: str, not_actor: str):
    actors = {a for _, s, t in events(nlp, text) for a in (s, t) if a}
    assert not_actor not in actors
