"""The learned second opinion on uncertain event mentions (vigie.events.second_opinion), with stand-in classifiers
so that the decision rules are tested apart from the shipped model. Sentences are written for these tests."""
from __future__ import annotations

import pytest

from vigie.analysis.load import model_text
from vigie.events.coder_fr import code_french
from vigie.events.second_opinion import REPORTED, reconsider


class Fixed:
    """A stand-in classifier: the same probabilities for every sentence; remembers what it was asked."""

    def __init__(self, probs: dict[str, float]) -> None:
        self.probs = probs
        self.asked: list[str] = []

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        self.asked += texts
        return [dict(self.probs) for _ in texts]


def coded(nlp, text: str):
    with nlp.select_pipes(disable=["vigie_events"]):
        doc = nlp(model_text(text))
    return doc, code_french(doc, weak=True)


# "lancer" is ASSAULT only with a vehicle thrown "sur/contre" someone, or an offensive with military words: here
# both entries' conditions fail, a weak mention
WEAK = "Les enfants ont lancé des pierres dans la cour de l'école."


@pytest.mark.model
def test_weak_mention_needs_the_classifier(nlp):
    doc, records = coded(nlp, WEAK)
    weak = [r for r in records if r["weak"]]
    assert [r["type"] for r in weak] == ["ASSAULT"]
    assert reconsider(doc, [dict(r) for r in records], Fixed({"NONE": 0.9, "ASSAULT": 0.1})) == []
    kept = reconsider(doc, [dict(r) for r in records], Fixed({"NONE": 0.2, "ASSAULT": 0.8}))
    assert [(r["type"], r["opinion"]) for r in kept] == [("ASSAULT", 0.8)]
    assert kept[0]["confidence"] >= REPORTED


@pytest.mark.model
def test_without_weak_mentions_nothing_is_asked(nlp):
    with nlp.select_pipes(disable=["vigie_events"]):
        doc = nlp(model_text(WEAK))
    assert all(not r["weak"] for r in code_french(doc))
    scorer = Fixed({"NONE": 1.0})
    records = [r for r in code_french(doc) if r["confidence"] >= REPORTED]
    assert reconsider(doc, records, scorer) == records
    assert scorer.asked == []


@pytest.mark.model
def test_reported_events_stay_unless_dropping_is_on(nlp):
    doc, records = coded(nlp, "La police a arrêté trois militants à Lyon.")
    strong = [r for r in records if r["confidence"] >= REPORTED]
    assert [r["type"] for r in strong] == ["COERCE"]
    scorer = Fixed({"NONE": 0.99, "COERCE": 0.01})
    assert reconsider(doc, [dict(r) for r in strong], scorer, drop_p=0.0) == strong
    assert scorer.asked == []  # a reported event is not even scored when dropping is off
    assert reconsider(doc, [dict(r) for r in strong], scorer, drop_p=0.05) == []


@pytest.mark.model
def test_one_call_per_sentence(nlp):
    text = WEAK + " Le club a lancé des ballons dans le stade. Les joueurs ont lancé des pierres dans le lac."
    doc, records = coded(nlp, text)
    assert len(records) == 3
    scorer = Fixed({"NONE": 0.5, "ASSAULT": 0.5})
    reconsider(doc, records, scorer)
    assert len(scorer.asked) == len(set(scorer.asked)) == 3
    assert all(s in text for s in scorer.asked)


def test_off_unless_asked(monkeypatch):
    from vigie.events.second_opinion import ENV, enabled_by_default

    monkeypatch.delenv(ENV, raising=False)
    assert not enabled_by_default()
    monkeypatch.setenv(ENV, "1")
    assert enabled_by_default()


def test_cli_flag_reaches_spawned_workers(monkeypatch):
    # workers are spawned: they see the choice through the environment they inherit
    from vigie.cli import _event_classifier
    from vigie.events.second_opinion import ENV, enabled_by_default

    monkeypatch.delenv(ENV, raising=False)
    _event_classifier(False)
    assert not enabled_by_default()
    _event_classifier(True)
    assert enabled_by_default()
    monkeypatch.delenv(ENV, raising=False)
