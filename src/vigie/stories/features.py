"""An article's features for story clustering, computed once when it arrives and kept (or stored) as plain data:
TF-IDF vectors of its word stems (whole text, title and lead, title alone), of pairs of consecutive stems, of its
capitalised words and of its entity names; its places (GeoNames ids) and countries; the days it mentions; the
embedding of its title (else its lead); and what a story summary shows (headline, source, date, actors, place names).
"""
from __future__ import annotations

import base64
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from vigie.records import published_day
from vigie.stories.article import StoryArticle
from vigie.stories.embed import embed, embedded_text, lead_text
from vigie.stories.model import StoryModel
from vigie.stories.text import capitalised, name_key, stems, stems_and_pairs

ACTOR_LABELS = ("PER", "ORG")
PLACE_KINDS = ("city", "admin", "other")  # a country is counted in `countries`, not in `places`
VECTORS = ("terms", "lead", "title", "phrases", "caps", "names")  # the TF-IDF vectors, by field name
PREFIX = {"terms": "w:", "lead": "w:", "title": "w:", "phrases": "b:", "caps": "c:", "names": "e:"}
HEADLINE_CHARS = 120


@dataclass(slots=True)
class ArticleFeatures:
    id: str
    day: int | None  # proleptic ordinal of the publication day (date.toordinal), None when unknown
    language: str
    terms: dict[str, float]  # unit-length TF-IDF vectors (keys: the terms of story_df.tsv)...
    lead: dict[str, float]  # ... of the word stems of the title and the text's start (`lead_chars`)
    title: dict[str, float]  # ... of the word stems of the headline
    phrases: dict[str, float]  # ... of pairs of consecutive stems
    caps: dict[str, float]  # ... of capitalised words (names, in any language)
    names: dict[str, float]  # ... of entity names
    places: frozenset[int]  # GeoNames ids of the cities and regions named
    countries: frozenset[str]  # ISO alpha-2 of every place named (countries included)
    days: frozenset[str]  # the calendar days the text mentions (YYYY-MM-DD)
    embedding: np.ndarray  # unit vector, float32
    headline: str = ""  # the title, else the text's first line
    source: str | None = None
    published: str | None = None
    actors: tuple[str, ...] = ()  # canonical names of people and organisations, most mentioned first
    place_names: tuple[str, ...] = ()  # names of the places named, most mentioned first
    scheme: str = ""  # StoryModel.feature_scheme() of the model that computed them

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (the embedding as base64 little-endian float32), read back by `from_dict`."""
        out: dict[str, Any] = {"id": self.id, "day": self.day, "language": self.language}
        out.update({v: getattr(self, v) for v in VECTORS})
        out.update({
            "places": sorted(self.places), "countries": sorted(self.countries), "days": sorted(self.days),
            "embedding": base64.b64encode(np.asarray(self.embedding, dtype="<f4").tobytes()).decode("ascii"),
            "headline": self.headline, "source": self.source, "published": self.published,
            "actors": list(self.actors), "place_names": list(self.place_names), "scheme": self.scheme,
        })
        return out

    @staticmethod
    def from_dict(d: dict[str, Any]) -> ArticleFeatures:
        vectors = {v: {str(k): float(w) for k, w in d[v].items()} for v in VECTORS}
        return ArticleFeatures(
            id=d["id"], day=d["day"], language=d["language"], **vectors,
            places=frozenset(int(x) for x in d["places"]), countries=frozenset(d["countries"]),
            days=frozenset(d["days"]),
            embedding=np.frombuffer(base64.b64decode(d["embedding"]), dtype="<f4").astype(np.float32),
            headline=d.get("headline") or "", source=d.get("source"), published=d.get("published"),
            actors=tuple(d.get("actors") or ()), place_names=tuple(d.get("place_names") or ()),
            scheme=d.get("scheme") or "",
        )


def headline_of(article: StoryArticle) -> str:
    """The title, else the text's first line (cut to HEADLINE_CHARS)."""
    if article.title and article.title.strip():
        return " ".join(article.title.split())
    text = article.text.strip()
    return lead_text(None, text.split("\n", 1)[0], HEADLINE_CHARS) if text else ""


def _prefixed(prefix: str, counts: Counter[str]) -> Counter[str]:
    return Counter({prefix + k: n for k, n in counts.items()})


def term_counts(article: StoryArticle, model: StoryModel) -> dict[str, Counter[str]]:
    """The raw counts behind each of VECTORS, keyed as in story_df.tsv. The title counts `title_weight` times in
    `terms` (once of them from the text's first line when the text starts with it, as Wikinews pages do)."""
    chars = model.stem_chars
    singles, pairs = stems_and_pairs(article.text, chars)
    caps = capitalised(article.text)
    headline = headline_of(article)
    title_stems = stems(headline, chars)
    title_in_text = bool(article.title) and article.text.lstrip().startswith(headline)
    if article.title and not title_in_text:
        _, title_pairs = stems_and_pairs(headline, chars)
        pairs.update(title_pairs)
        caps.update(capitalised(headline))
    extra = max(0, model.title_weight - (1 if title_in_text else 0)) if article.title else 0
    for stem, n in title_stems.items():
        singles[stem] += n * extra
    return {
        "terms": _prefixed("w:", singles),
        "lead": _prefixed("w:", stems(lead_text(article.title, article.text, model.lead_chars), chars)),
        "title": _prefixed("w:", title_stems),
        "phrases": _prefixed("b:", pairs),
        "caps": _prefixed("c:", caps),
        "names": Counter(f"e:{k}" for k in (name_key(m.canonical) for m in article.entities) if k),
    }


def tfidf(counts: Counter[str], model: StoryModel) -> dict[str, float]:
    """Unit-length (1 + log tf) * idf, terms sorted (one order: the sums come out the same every time)."""
    weights = {t: (1.0 + math.log(n)) * model.idf(t) for t, n in sorted(counts.items())}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm > 0 else {}


def featurize(articles: Sequence[StoryArticle], model: StoryModel) -> list[ArticleFeatures]:
    """The features of each article (one embedding call for all of them)."""
    if not articles:
        return []
    scheme = model.feature_scheme()
    E = embed([embedded_text(a.title, a.text, model.lead_chars, model.titled_lead_chars) for a in articles])
    out = []
    for a, e in zip(articles, E, strict=True):
        counts = term_counts(a, model)
        actors = Counter(m.canonical for m in a.entities if m.label in ACTOR_LABELS and m.canonical)
        places = Counter(p.name for p in a.places if p.name)
        out.append(ArticleFeatures(
            id=a.id,
            day=published_day(a.published),
            language=a.language or "und",
            **{v: tfidf(counts[v], model) for v in VECTORS},
            places=frozenset(p.geonames_id for p in a.places if p.geonames_id is not None and p.kind in PLACE_KINDS),
            countries=frozenset(p.country for p in a.places if p.country),
            days=frozenset(d for d in a.dates if len(d) == 10 and d[4] == "-" and d[7] == "-"),
            embedding=e,
            headline=headline_of(a),
            source=a.source,
            published=a.published,
            actors=tuple(n for n, _ in sorted(actors.items(), key=lambda kv: (-kv[1], kv[0]))),
            place_names=tuple(n for n, _ in sorted(places.items(), key=lambda kv: (-kv[1], kv[0]))),
            scheme=scheme,
        ))
    return out
