#!/usr/bin/env python3
"""English quote / source extraction on PolNeAR (political news attribution relations, 2016 US election).

Gold: `../shared/data/polnear-en/original/data/<split>/attributions/*.ann` (BRAT standoff: Source, Cue and
Content spans linked by an Attribution event; discontinuous spans joined). Articles annotated by several
annotators have several .ann files: the first in name order is used. PolNeAR counts every attribution
(beliefs, intentions, "praised X", "accused X of"), much more than vigie's quotes (speech reported with a
reporting verb, "according to", quotation marks), so recall is bounded by design.

Matching as in shared/eval/score.py: a predicted quote matches a gold content when their word overlap is at
least half of the shorter (one-to-one, greedy). Source, on matched quotes with a gold source: the words
naming the speaker in the text (vigie's `speaker_text`, e.g. "he") or the resolved speaker ("Barack Obama")
match the gold source span by score.py's lenient name rule.

usage: bench/quotes_polnear.py [--split test|dev|train] [--limit N] [--errors N]
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import prf, require  # noqa: E402


def load_score(path: Path):
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_ann(path: Path, text: str) -> list[dict]:
    """Attributions of one .ann file: content text, source text (or None)."""
    spans: dict[str, str] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            pieces = []
            for frag in offsets.split(";"):
                s, e = frag.split()
                pieces.append(text[int(s) : int(e)])
            spans[parts[0]] = " ".join(pieces)
        elif line.startswith("E") and len(parts) >= 2:
            args = dict(a.split(":", 1) for a in parts[1].split()[1:] if ":" in a)
            events.append(args)
    out = []
    for ev in events:
        content = spans.get(ev.get("Content", ""))
        if content:
            out.append({"text": content, "source": spans.get(ev.get("Source", ""))})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--errors", type=int, default=0, help="print N unmatched predictions and gold quotes")
    args = ap.parse_args()
    root = require("data", "polnear-en", "original", "data", args.split)
    score = load_score(require("eval", "score.py"))

    from vigie.analysis.load import load_english, model_text
    from vigie.quotes.component import annotate_quotes, quotes_from_doc

    anns: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        anns.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    names = sorted(anns)
    if args.limit:
        names = names[: args.limit]
    texts = [(root / "text" / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    nlp = load_english()
    t0 = time.perf_counter()
    docs = list(nlp.pipe(model_text(t) for t in texts))
    elapsed = time.perf_counter() - t0
    t0 = time.process_time()
    for doc in docs:  # the quote extractor alone, run again on the same Docs
        annotate_quotes(doc)
    quotes_ms = (time.process_time() - t0) * 1000 / max(1, len(docs))
    words = sum(len(t.split()) for t in texts) / max(1, len(texts))

    tp = fp = fn = 0
    src_ok = src_total = src_pred = 0
    fps, fns, bad_sources = [], [], []
    for name, text, doc in zip(names, texts, docs, strict=True):
        gold = read_ann(anns[name], text)
        pred = [{"text": q.text, "speaker": q.speaker, "speaker_text": q.speaker_text}
                for q in quotes_from_doc(doc, text, None)]
        pairs = score.greedy_match(gold, pred, lambda a, b: score.overlap(a["text"], b["text"]) >= 0.5)
        tp += len(pairs)
        fp += len(pred) - len(pairs)
        fn += len(gold) - len(pairs)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            if g["source"]:
                src_total += 1
                src_pred += bool(p["speaker"] or p["speaker_text"])
                ok = score.same_name(g["source"], p["speaker_text"]) or score.same_name(g["source"], p["speaker"])
                src_ok += ok
                if not ok:
                    said = f"gold {g['source']!r} / predicted {p['speaker_text']!r} -> {p['speaker']!r}"
                    bad_sources.append((name, p["text"], said))
        matched_p = {pi for _, pi in pairs}
        matched_g = {gi for gi, _ in pairs}
        fps += [(name, p["text"], p["speaker"]) for i, p in enumerate(pred) if i not in matched_p]
        fns += [(name, g["text"], g["source"]) for i, g in enumerate(gold) if i not in matched_g]
    p, r, f = prf(tp, fp, fn)
    print(f"PolNeAR {args.split}: {len(names)} articles, {tp + fn} gold attributions, {tp + fp} predicted quotes")
    print(f"quotes   P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    acc = src_ok / src_total if src_total else 0.0
    sp, sr, sf = prf(src_ok, (tp + fp) - src_ok, (tp + fn) - src_ok)
    print(f"sources  accuracy on matched quotes {acc:.3f} ({src_ok}/{src_total}; a speaker given for {src_pred})")
    print(f"quote+source P {sp:.3f}  R {sr:.3f}  F1 {sf:.3f}")
    print(f"speed    {len(names) / elapsed:.0f} articles/s ({elapsed * 1000 / max(1, len(names)):.2f} ms/article, "
          f"English model + all extractors); quote extractor alone {quotes_ms:.2f} ms/article "
          f"({words:.0f} words/article)")
    for label, rows in (("false positive", fps), ("false negative", fns), ("wrong source", bad_sources)):
        for row in rows[: args.errors]:
            print(f"{label}: {row[0]} | {row[1][:140]!r} | {row[2]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
