#!/usr/bin/env python3
"""NER P/R/F1 per label on WiNER-fr (Wikinews 2016-18), exact span match.

Gold: Person->PER, Organization->ORG, Location->LOC; other types ignored. WiNER nests entities
("Organisation ... du Kazakhstan" holding a Location); spaCy predicts flat spans, so only the outermost
gold spans of the three labels count. Predicted MISC is ignored (WiNER has no MISC).

usage: bench/ner_winer.py [--model fr_core_news_md] [--bare] [--limit N] [--offset N] [--errors N]
(--errors N lists the N most frequent false positives and false negatives, with what the other side had
at that place: a reading aid, it changes no score)
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import prf, require  # noqa: E402

LABELS = {"Person": "PER", "Organization": "ORG", "Location": "LOC"}


def gold_spans(rec: dict) -> set[tuple[int, int, str]]:
    spans = []
    for e in rec["entities"]:
        if e["type"] in LABELS:
            for s, t in e["spans"]:
                spans.append((s, t, LABELS[e["type"]]))
    outer = {sp for sp in spans if not any(o != sp and o[0] <= sp[0] and sp[1] <= o[1] for o in spans)}
    return outer


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--bare", action="store_true", help="the model alone, without vigie's components")
    ap.add_argument("--limit", type=int, default=400)
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0, help="list the N most frequent errors of each kind")
    args = ap.parse_args()
    path = require("data", "winer-fr", "derived", "winer-fr.jsonl.gz")

    from vigie.analysis.load import FRENCH_MODEL, load_french, model_text

    model = args.model or FRENCH_MODEL
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for line in fh]
    recs = recs[args.offset : args.offset + args.limit]
    nlp = load_french(model, with_components=not args.bare)
    t0 = time.perf_counter()
    tally: dict[str, Counter] = {lab: Counter() for lab in ("PER", "ORG", "LOC")}
    errors: dict[str, Counter] = {"false positive": Counter(), "false negative": Counter()}
    docs = nlp.pipe((model_text(r["text"]) for r in recs), batch_size=32)
    for rec, doc in zip(recs, docs, strict=True):
        gold = gold_spans(rec)
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in tally}
        if args.errors:
            text = rec["text"]
            every = {(e.start_char, e.end_char, e.label_) for e in doc.ents}  # with MISC, to show it
            for kind, mine, other in (("false positive", pred - gold, gold), ("false negative", gold - pred, every)):
                for s, t, lab in mine:
                    near = sorted(f"{text[a:b]!r} {lb}" for a, b, lb in other if a < t and s < b)
                    errors[kind][f"{lab:4} {text[s:t]!r:40} | {', '.join(near) or '-'}"] += 1
        for lab in tally:
            g = {x for x in gold if x[2] == lab}
            p = {x for x in pred if x[2] == lab}
            tally[lab]["tp"] += len(g & p)
            tally[lab]["fp"] += len(p - g)
            tally[lab]["fn"] += len(g - p)
    dt = time.perf_counter() - t0
    name = f"{model}{' (bare)' if args.bare else ' + vigie components'}"
    print(f"WiNER-fr NER, {len(recs)} articles, {name}, {dt:.1f} s")
    print(f"{'label':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    total = Counter()
    for lab, c in tally.items():
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        total.update(c)
        print(f"{lab:6} {p:6.3f} {r:6.3f} {f:6.3f} {c['tp'] + c['fn']:6d}")
    p, r, f = prf(total["tp"], total["fp"], total["fn"])
    print(f"{'micro':6} {p:6.3f} {r:6.3f} {f:6.3f} {total['tp'] + total['fn']:6d}")
    for kind, counts in errors.items() if args.errors else ():
        print(f"\nmost frequent {kind}s (label, text | {'gold' if kind == 'false positive' else 'predicted'} there)")
        for line, n in counts.most_common(args.errors):
            print(f"{n:4d}  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
