"""Story clustering (vigie.stories) on two sets with gold stories, next to the all-singletons baseline.

    python bench/stories.py              # scores of the shipped model, speed, incremental == rebuild, FR+EN check
    python bench/stories.py fit          # learn the model on the tune splits, write resources/story_model.json
    python bench/stories.py --reanalyse  # run vigie's analysis on the texts again (after a change to vigie)

Sets (bench/stories_data.py; texts analysed by vigie once, cached in bench/.cache/):
- winer-stories-fr: 1,191 French Wikinews articles; tune = the 2016 articles, report = 2017-2018.
- ecbplus-en: 982 English ECB+ documents, 43 topics x 2 sub-topics (the gold stories); tune = topics 1-20, report =
  the others. Clustered globally (all the documents of a split at once, topics unknown); ECB+ has no publication
  dates, so its documents are compared with every undated document (no window).

Scores: B-cubed P/R/F1 over articles and pairwise P/R/F1 over same-story pairs, per split. Speed: ms per article of
the clustering step itself (features with the embedding, then placing), against the ~30-40 ms per article of the
analysis (bench/throughput.py). Incremental == rebuild: the report articles fed day by day, and in shuffled batches
(late articles), give the partition of one run in date order.

`fit` chooses the settings (what is embedded, stem length, title weight, window, candidates) by a coordinate search
(a change must gain more than MARGIN) and the threshold by a sweep, on the mean of the two tune splits' B-cubed F1; the logistic weights are fitted on the candidate stories
met while the tune articles are placed in their gold stories (`StoryClusterer(teacher=...)`). Nothing of the report
splits is used.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

# The encoder's products run on one BLAS thread, as in a process beside the analysis workers (set before numpy loads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from _shared import REPO, require  # noqa: E402
from stories_data import CACHE, Item, load_sets  # noqa: E402
from vigie.stories import embed as embedding  # noqa: E402
from vigie.stories.article import StoryArticle, from_record  # noqa: E402
from vigie.stories.cluster import StoryClusterer, order_key  # noqa: E402
from vigie.stories.features import ArticleFeatures, featurize, term_counts  # noqa: E402
from vigie.stories.link import FEATURES, SAME_LANGUAGE, expand, expanded_names  # noqa: E402
from vigie.stories.model import DF_FILE, MODEL_FILE, StoryModel, shipped_model  # noqa: E402

RESOURCES = REPO / "src" / "vigie" / "resources"
SETS = ("winer-stories-fr", "ecbplus-en")
THRESHOLDS = tuple(round(0.15 + 0.05 * i, 2) for i in range(12))  # 0.15 ... 0.70
L2 = 1.0
PIPELINE_MS = 32.0  # `vigie analyze`, 31.2 articles/s on 2 workers (docs/BENCHMARKS.md, bench/throughput.py)
# A setting other than the grid's first value must gain more than this on the mean tune B-cubed F1: refits move the
# score by about this much, and the first values are the cheaper ones (the title alone is embedded, not a lead).
MARGIN = 0.002


# ---------------------------------------------------------------------------------------------------- scores

def _clusters(labels: dict[str, str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for k, v in labels.items():
        out[v].add(k)
    return out


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    G, P = _clusters(gold), _clusters(pred)
    p = sum(len(G[gold[k]] & P[pred[k]]) / len(P[pred[k]]) for k in gold) / len(gold)
    r = sum(len(G[gold[k]] & P[pred[k]]) / len(G[gold[k]]) for k in gold) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    def pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
        out = set()
        for members in _clusters(labels).values():
            ms = sorted(members)
            out.update((a, b) for i, a in enumerate(ms) for b in ms[i + 1 :])
        return out

    g, p = pairs(gold), pairs(pred)
    tp = len(g & p)
    P = tp / len(p) if p else 0.0
    R = tp / len(g) if g else 0.0
    return P, R, (2 * P * R / (P + R) if P + R else 0.0)


# ---------------------------------------------------------------------------------------------------- data

class Split:
    """The articles of one split of one set, in the clusterer's order, with their gold stories."""

    def __init__(self, name: str, split: str, items: list[Item], records: dict[str, dict[str, Any]]) -> None:
        self.name, self.split = name, split
        chosen = [it for it in items if it.split == split]
        self.articles: list[StoryArticle] = [from_record(records[it.id]) for it in chosen]
        self.gold = {it.id: it.gold for it in chosen}

    def __len__(self) -> int:
        return len(self.articles)


def load_splits(reanalyse: bool) -> dict[tuple[str, str], Split]:
    sets = load_sets(reanalyse)
    return {(name, split): Split(name, split, *sets[name]) for name in SETS for split in ("tune", "report")}


class CachedEmbedder:
    """The shipped encoder with a disk cache by text (for `fit`, which embeds the same texts many times)."""

    def __init__(self, path: Path) -> None:
        self.path, self.cache, self.dirty = path, {}, False
        self.inner = embedding.UseEmbedder()
        if path.exists():
            with np.load(path, allow_pickle=False) as z:
                self.cache = {str(k): v for k, v in zip(z["keys"], z["vecs"], strict=True)}

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode()).hexdigest()

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if self.key(t) not in self.cache]
        if missing:
            for t, v in zip(missing, self.inner.encode(missing), strict=True):
                self.cache[self.key(t)] = v
            self.dirty = True
        return np.stack([self.cache[self.key(t)] for t in texts])

    def save(self) -> None:
        if self.dirty:
            keys = sorted(self.cache)
            np.savez(self.path, keys=np.array(keys), vecs=np.stack([self.cache[k] for k in keys]))
            self.dirty = False


# ---------------------------------------------------------------------------------------------------- clustering

def cluster(model: StoryModel, features: list[ArticleFeatures]) -> dict[str, str]:
    """One run over the features (the clusterer sorts them)."""
    clusterer = StoryClusterer(model=model, keep_days=10**6)
    clusterer.add_features(features)
    return clusterer.assignments()


def scores(gold: dict[str, str], pred: dict[str, str]) -> dict[str, tuple[float, float, float]]:
    return {"bcubed": bcubed(gold, pred), "pairwise": pairwise(gold, pred)}


# ---------------------------------------------------------------------------------------------------- fit

def background(splits: list[Split], model: StoryModel) -> tuple[dict[str, int], int]:
    """Document frequencies (terms in 2+ documents) over the tune articles."""
    df: dict[str, int] = defaultdict(int)
    n = 0
    for sp in splits:
        for a in sp.articles:
            n += 1
            for t in set().union(*term_counts(a, model).values()):
                df[t] += 1
    return {t: c for t, c in df.items() if c >= 2}, n


def lr_fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2) -> np.ndarray:
    """Weighted L2-regularised logistic regression by Newton's method; weights, bias last."""
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    R = l2 * np.eye(d + 1)
    R[-1, -1] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(Xb @ beta, -40, 40)))
        g = Xb.T @ (w * (p - y)) + R @ beta
        H = (Xb * (w * p * (1 - p))[:, None]).T @ Xb + R
        step = np.linalg.solve(H, g)
        beta -= step
        if np.abs(step).max() < 1e-9:
            break
    return beta


def training_rows(model: StoryModel, feats: dict[tuple[str, str], list[ArticleFeatures]],
                  tune: list[Split]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate stories met while each tune split's articles are placed in their gold stories: X, y, weights
    (each set weighs the same)."""
    Xs, ys, ws = [], [], []
    for sp in tune:
        teacher = StoryClusterer(model=model, keep_days=10**6, teacher=sp.gold.__getitem__)
        teacher.add_features(feats[sp.name, sp.split])
        rows = teacher.training_rows
        Xs.append(np.array([r.features for r in rows]))
        ys.append(np.array([float(r.positive) for r in rows]))
        ws.append(np.full(len(rows), 1000.0 / max(1, len(rows))))
    return np.vstack(Xs), np.concatenate(ys), np.concatenate(ws)


def fit_weights(model: StoryModel, X: np.ndarray, y: np.ndarray, w: np.ndarray) -> StoryModel:
    names = expanded_names()
    beta = lr_fit(expand(X), y, w)
    same = {n: round(float(b), 6) for n, b in zip(names + ["bias"], beta, strict=True)}
    Xc = X.copy()
    Xc[:, [FEATURES.index(v) for v in SAME_LANGUAGE]] = 0.0
    keep = np.array([not any(v in n.split("*") for v in SAME_LANGUAGE) for n in names] + [True])
    beta_c = np.zeros(len(names) + 1)
    beta_c[keep] = lr_fit(expand(Xc)[:, keep[:-1]], y, w)
    cross = {n: round(float(b), 6) for n, b, k in zip(names + ["bias"], beta_c, keep, strict=True) if k}
    return replace(model, features=FEATURES, same_language=same, cross_language=cross)


def evaluate_tune(model: StoryModel, feats: dict[tuple[str, str], list[ArticleFeatures]], tune: list[Split]
                  ) -> dict[float, list[float]]:
    """threshold -> the B-cubed F1 of each tune split."""
    out = {}
    for t in THRESHOLDS:
        m = replace(model, threshold=t)
        out[t] = [bcubed(sp.gold, cluster(m, feats[sp.name, sp.split]))[2] for sp in tune]
    return out


def fit(splits: dict[tuple[str, str], Split], quick: bool = False) -> None:
    tune = [splits[name, "tune"] for name in SETS]
    cached = CachedEmbedder(CACHE / "story-embeddings.npz")
    embedding.set_embedder(cached)
    base = StoryModel()
    # The embedding is most of the clustering's time (batched, one BLAS thread: 0.9 ms for a title, 2.4 ms for 150
    # characters, 3.2 ms for 200), and the clustering may add 10% to an analysis of ~32 ms per article: titles, or
    # leads of 100 to 200 characters.
    grid = {"titled_lead_chars": (0, 150), "lead_chars": (150, 100, 200), "stem_chars": (7, 6, 5, 0),
            "title_weight": (2, 1, 3), "window_days": (30, 14, 45, 60), "candidates": (5, 10, 20)}
    if quick:
        grid = {k: v[:1] for k, v in grid.items()}
    tried: dict[str, dict[str, Any]] = {}

    def trial(settings: dict[str, int]) -> tuple[float, StoryModel]:
        key = json.dumps(settings, sort_keys=True)
        if key in tried:
            return tried[key]["score"], tried[key]["model"]
        t0 = time.perf_counter()
        m = replace(base, **settings)
        df, n = background(tune, m)
        m = replace(m, df=df, documents=n)
        feats = {(sp.name, sp.split): featurize(sp.articles, m) for sp in tune}
        cached.save()
        m = fit_weights(m, *training_rows(m, feats, tune))
        by_t = evaluate_tune(m, feats, tune)
        best_t = max(THRESHOLDS, key=lambda t: (round(float(np.mean(by_t[t])), 4), -t))
        score = float(np.mean(by_t[best_t]))
        m = replace(m, threshold=best_t)
        tried[key] = {"score": score, "model": m, "threshold": best_t, "f1": by_t[best_t]}
        print(f"  {key}: threshold {best_t}, tune B3 F1 " + " / ".join(f"{x:.3f}" for x in by_t[best_t])
              + f", mean {score:.4f} ({time.perf_counter() - t0:.0f} s)", flush=True)
        return score, m

    current = {k: v[0] for k, v in grid.items()}
    best_score, best_model = trial(current)
    for name, values in grid.items():
        for v in values[1:]:
            score, m = trial({**current, name: v})
            if score > best_score + MARGIN:
                best_score, best_model, current = score, m, {**current, name: v}
    final = tried[json.dumps(current, sort_keys=True)]
    best_model.meta = {
        "made_by": "bench/stories.py fit",
        "tune": {"winer-stories-fr": "2016 articles", "ecbplus-en": "topics 1-20"},
        "tune_articles": {sp.name: len(sp) for sp in tune},
        "tune_bcubed_f1": dict(zip(SETS, [round(x, 4) for x in final["f1"]], strict=True)),
        "search": [{**json.loads(k), "threshold": v["threshold"], "mean_f1": round(v["score"], 4)}
                   for k, v in tried.items()],
        "l2": L2,
    }
    (RESOURCES / MODEL_FILE).write_text(best_model.to_json(), encoding="utf-8")
    (RESOURCES / DF_FILE).write_text(best_model.df_tsv(), encoding="utf-8")
    print(f"chose {current} threshold {best_model.threshold}: tune B3 F1 {best_score:.4f} "
          f"-> {RESOURCES / MODEL_FILE}, {RESOURCES / DF_FILE}")


# ---------------------------------------------------------------------------------------------------- report

class TimedEmbedder:
    """The shipped encoder, timed (CPU time of this process: other processes on the machine do not count)."""

    def __init__(self) -> None:
        self.inner = embedding.UseEmbedder()
        self.seconds = 0.0

    def encode(self, texts: list[str]) -> np.ndarray:
        t0 = time.process_time()
        out = self.inner.encode(texts)
        self.seconds += time.process_time() - t0
        return out


def incremental_checks(model: StoryModel, feats: list[ArticleFeatures]) -> dict[str, bool]:
    rebuild = cluster(model, feats)
    by_day: dict[Any, list[ArticleFeatures]] = defaultdict(list)
    for f in sorted(feats, key=order_key):
        by_day[f.day].append(f)
    daily = StoryClusterer(model=model)  # default memory: twice the window
    from_daily: dict[str, str] = {}
    for day in sorted(by_day, key=lambda d: (d is None, d or 0)):
        from_daily.update(daily.add_features(by_day[day]))
    shuffled = list(feats)
    random.Random(14).shuffle(shuffled)
    late = StoryClusterer(model=model, keep_days=10**6)
    assigned: dict[str, str] = {}
    for i in range(0, len(shuffled), 50):
        assigned.update(late.add_features(shuffled[i : i + 50]))
    return {"day by day": from_daily == rebuild, "shuffled batches of 50": assigned == rebuild}


def crosslang_check(model: StoryModel) -> None:
    seed = require("seed", "kazakhstan-almaty-fr.txt")
    sys.path.insert(0, str(REPO / "tests"))
    from story_fixtures import KAZAKHSTAN_EN, SAME_WEEK, analysed_story_articles

    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    rewrapped = " ".join(lines[:4]) + "\n" + "\n".join(lines[4:])
    inputs = [("seed-fr", text), ("seed-fr-rewrapped", rewrapped), ("rewrite-en", KAZAKHSTAN_EN)]
    inputs += [(name, body) for name, (body, _) in SAME_WEEK.items()]
    articles = analysed_story_articles(inputs, "2022-01-12")
    clusterer = StoryClusterer(model=model)
    stories = clusterer.add(articles)
    kaz = {stories[n] for n in ("seed-fr", "seed-fr-rewrapped", "rewrite-en")}
    others = {n: stories[n] for n in SAME_WEEK}
    ok = len(kaz) == 1 and not (set(others.values()) & kaz)
    print(f"cross-language check (seed FR, re-wrapped FR, EN rewrite + {len(SAME_WEEK)} same-week articles): "
          f"{'one story, unrelated apart' if ok else 'FAILED'} {stories}")


def report(splits: dict[tuple[str, str], Split]) -> None:
    model = shipped_model()
    print(f"model: stem {model.stem_chars}, title weight {model.title_weight}, lead {model.lead_chars} chars, "
          f"window {model.window_days} days, threshold {model.threshold}, candidates {model.candidates}")
    timed = TimedEmbedder()
    t0 = time.perf_counter()
    timed.encode(["Le président s'est rendu à Almaty."])  # loads the encoder
    print(f"sentence encoder loaded in {time.perf_counter() - t0:.1f} s")
    embedding.set_embedder(timed)
    print(f"{'set':<18} {'split':<7} {'n':>5}  {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}  {'pair P':>6} {'pair R':>6} "
          f"{'pair F1':>7}  {'singletons B3 F1':>16}")
    speed = {}
    for name in SETS:
        for split in ("tune", "report"):
            sp = splits[name, split]
            timed.seconds = 0.0
            t0 = time.process_time()
            feats = featurize(sp.articles, model)
            t1 = time.process_time()
            pred = cluster(model, feats)
            t2 = time.process_time()
            speed[name, split] = (len(sp), timed.seconds, t1 - t0 - timed.seconds, t2 - t1)
            s = scores(sp.gold, pred)
            single = bcubed(sp.gold, {k: k for k in sp.gold})
            b, p = s["bcubed"], s["pairwise"]
            print(f"{name:<18} {split:<7} {len(sp):>5}  {b[0]:6.3f} {b[1]:6.3f} {b[2]:6.3f}  {p[0]:6.3f} {p[1]:6.3f} "
                  f"{p[2]:7.3f}  {single[2]:16.3f}")
            if name == SETS[0] and split == "report":
                checks = incremental_checks(model, feats)
    # the clustering of one ingest of the whole WiNER-fr set (1,191 articles, both splits in one run)
    every = splits[SETS[0], "tune"].articles + splits[SETS[0], "report"].articles
    timed.seconds = 0.0
    t0 = time.process_time()
    feats = featurize(every, model)
    t1 = time.process_time()
    cluster(model, feats)
    speed[SETS[0], "all"] = (len(every), timed.seconds, t1 - t0 - timed.seconds, time.process_time() - t1)
    print(f"speed of the clustering step (CPU ms per article, one process, one BLAS thread; the analysis takes "
          f"~{PIPELINE_MS:.0f} ms per article):")
    for (name, split), (n, emb, other, place) in speed.items():
        total = emb + other + place
        print(f"  {name:<18} {split:<7} embedding {1000 * emb / n:5.2f}  other features {1000 * other / n:5.2f}  "
              f"placing {1000 * place / n:5.2f}  total {1000 * total / n:5.2f} ({n / total:,.0f} articles/s; "
              f"{100 * total / n / (PIPELINE_MS / 1000):.1f}% of {PIPELINE_MS:.0f} ms)")
    for what, ok in checks.items():
        print(f"incremental == rebuild, winer-stories-fr report, {what}: {'yes' if ok else 'NO'}")
    crosslang_check(model)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs="?", default="report", choices=("report", "fit"))
    ap.add_argument("--reanalyse", action="store_true", help="run vigie's analysis on the texts again")
    ap.add_argument("--quick", action="store_true", help="fit: the default settings only (no search)")
    args = ap.parse_args()
    splits = load_splits(args.reanalyse)
    if args.command == "fit":
        fit(splits, quick=args.quick)
    else:
        report(splits)


if __name__ == "__main__":
    main()
