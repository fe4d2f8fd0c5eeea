"""Does an article join a story? The features of an article against the story's recent members, and the learned
probability that it belongs to it.

Features, in [0, 1], against the story's members within the window (`story` below):
- terms, lead, title, phrases: cosine of the article's word-stem vectors (whole text; title and lead; title alone;
  pairs of consecutive stems) with the sum of the same vectors over the story's members in the article's language;
- caps, names: the same for capitalised words and for entity names (names_known: both sides have entity names);
- embedding: cosine of the article's embedding (its title, else its lead) with the sum of the members' (multilingual);
- places, places_known: the share of the article's cities and regions (GeoNames ids) that the story names, and
  whether both name one; countries: the same for countries;
- days: whether the article mentions a calendar day a member mentions;
- gap, gap_known: days from the nearest member (log, over the window), whether dates are known;
- size: members in the window (log, 50 members = 1).

The model is logistic over these features and their pairwise products (`expand`). A story with no member in the
article's language is scored by the cross-language model, trained on the same examples without the features that
compare words (terms, lead, title, phrases): the evidence that remains is the embedding, names, places and dates.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import combinations_with_replacement

import numpy as np

from vigie.stories.features import ArticleFeatures
from vigie.stories.model import StoryModel

WORD_VECTORS = ("terms", "lead", "title", "phrases")
NAME_VECTORS = ("caps", "names")
FEATURES = (
    *WORD_VECTORS, *NAME_VECTORS, "names_known", "embedding", "places", "places_known", "countries", "days",
    "gap", "gap_known", "size",
)
# Features that compare words: 0 against a story with no member in the article's language, and left out of the
# cross-language model.
SAME_LANGUAGE = WORD_VECTORS
SIZE_SCALE = math.log(50)


def expanded_names(features: Sequence[str] = FEATURES) -> list[str]:
    """The model's inputs: each feature, then each product of two features ("a*b", "a*a")."""
    pairs = combinations_with_replacement(range(len(features)), 2)
    return list(features) + [f"{features[i]}*{features[j]}" for i, j in pairs]


def expand(X: np.ndarray) -> np.ndarray:
    """(n, features) -> (n, expanded): the features and their pairwise products, in `expanded_names` order."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[None, :]
    i, j = np.triu_indices(X.shape[1])
    return np.hstack([X, X[:, i] * X[:, j]])


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(w * get(t, 0.0) for t, w in a.items())


def _sum(vectors: Sequence[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for vec in vectors:
        for t, w in vec.items():
            out[t] = out.get(t, 0.0) + w
    return out


class Profile:
    """What the features read of a story's members in the window: vector sums (word vectors per language) and
    their norms, the embedding sum, places, countries, days. Built once per set of members (the clusterer keeps
    it while the members stay the same)."""

    def __init__(self, members: Sequence[ArticleFeatures]) -> None:
        self.members = list(members)
        self.languages = frozenset(m.language for m in members)
        self._words: dict[tuple[str, str], tuple[dict[str, float], float]] = {}
        self.names = {v: self._with_norm(_sum([getattr(m, v) for m in members])) for v in NAME_VECTORS}
        self.has_names = any(m.names for m in members)
        emb = np.sum([m.embedding for m in members], axis=0)
        norm = float(np.linalg.norm(emb))
        self.embedding = emb / norm if norm > 0 else emb
        self.places = frozenset().union(*(m.places for m in members))
        self.countries = frozenset().union(*(m.countries for m in members))
        self.days = frozenset().union(*(m.days for m in members))
        self.day_numbers = sorted({m.day for m in members if m.day is not None})

    @staticmethod
    def _with_norm(total: dict[str, float]) -> tuple[dict[str, float], float]:
        return total, math.sqrt(sum(w * w for w in total.values()))

    def words(self, vector: str, language: str) -> tuple[dict[str, float], float]:
        """The sum of a word vector over the members in `language`, and its norm."""
        key = (vector, language)
        if key not in self._words:
            self._words[key] = self._with_norm(_sum([getattr(m, vector) for m in self.members
                                                     if m.language == language]))
        return self._words[key]


def _cosine(a: dict[str, float], total: tuple[dict[str, float], float]) -> float:
    """Cosine of a unit vector with a sum of vectors (given with its norm)."""
    vec, norm = total
    if not a or not vec or norm <= 0:
        return 0.0
    if len(a) > len(vec):
        dot = sum(w * a.get(t, 0.0) for t, w in vec.items())
    else:
        dot = sum(w * vec.get(t, 0.0) for t, w in a.items())
    return dot / norm


def story_features(a: ArticleFeatures, story: Profile, window_days: int) -> tuple[list[float], bool]:
    """The FEATURES of article `a` against a story's members in the window, and whether some member is in `a`'s
    language (else the cross-language model decides)."""
    same = a.language in story.languages
    out = [_cosine(getattr(a, v), story.words(v, a.language)) if same else 0.0 for v in WORD_VECTORS]
    out += [_cosine(getattr(a, v), story.names[v]) for v in NAME_VECTORS]
    out.append(float(bool(a.names) and story.has_names))
    out.append(max(0.0, float(np.dot(a.embedding, story.embedding))))
    out.append(len(a.places & story.places) / len(a.places) if a.places and story.places else 0.0)
    out.append(float(bool(a.places) and bool(story.places)))
    out.append(len(a.countries & story.countries) / len(a.countries) if a.countries and story.countries else 0.0)
    out.append(float(bool(a.days & story.days)))
    if a.day is not None and story.day_numbers:
        nearest = min(abs(a.day - d) for d in story.day_numbers)
        out += [min(1.0, math.log1p(nearest) / math.log1p(max(1, window_days))), 1.0]
    else:
        out += [0.0, 0.0]
    out.append(min(1.0, math.log(len(story.members)) / SIZE_SCALE))
    return out, same


def weight_vector(model: StoryModel, same_language: bool) -> np.ndarray:
    """The weights over `expanded_names()` and the bias last (0 for an input the model lacks)."""
    table = model.same_language if same_language else model.cross_language
    return np.array([table.get(n, 0.0) for n in expanded_names()] + [table.get("bias", 0.0)], dtype=np.float64)


def probability(model: StoryModel, rows: Sequence[tuple[list[float], bool]]) -> np.ndarray:
    """P(the article belongs to the story) for each (features, same_language) row."""
    if not rows:
        return np.zeros(0)
    X = expand(np.array([r[0] for r in rows], dtype=np.float64))
    same = np.array([r[1] for r in rows])
    ws, wc = weight_vector(model, True), weight_vector(model, False)
    z = np.where(same, X @ ws[:-1] + ws[-1], X @ wc[:-1] + wc[-1])
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0))))
