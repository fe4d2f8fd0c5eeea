#!/usr/bin/env python3
"""Memory and time of one long article: `vigie.nlp.long_text.analyse_text` (the model on chunks, vigie's
components on the joined Doc), the same text split into 20 articles, the English blank pipeline on a long
English text, and (`--phases whole`) `nlp(text)` at once, as vigie ran it before.

Phases: `chunked` (one article, `analyse_text`), `split20` (20 articles, `analyse_text` each), `english`
(ECB+ documents, blank English pipeline), `whole` (one article, `nlp(text)`: several GB at 990,000 characters).

The long texts are WiNER-fr articles (English: ECB+ documents) concatenated in file order with a blank line
between two, cleaned like any input, cut at a line break to the target length. Every phase runs in a fresh
subprocess: load the pipeline, analyse the seed-sized first article (so the place index and every lazy
table are loaded: the "baseline"), then time the analysis of the long text (NLP + conversion to records).
Peak RSS is the process's high-water mark (getrusage). The 20-article split cuts the same text at the
line breaks nearest to each twentieth.

usage: bench/long_text.py [--sizes 260000,990000] [--phases chunked,split20,english,whole]
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import require  # noqa: E402

PUBLISHED = "2016-06-01"


def build_text(src: Path, size: int) -> str:
    """Concatenated articles, cleaned, cut at a line break to at most `size` characters."""
    from vigie.clean import clean_text

    parts, total = [], 0
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"].strip()
            parts.append(text)
            total += len(text) + 2
            if total > size * 1.2:
                break
    text = clean_text("\n\n".join(parts)).text
    cut = text.rfind("\n", 0, size)
    return text[: cut if cut > 0 else size]


def split_text(text: str, n: int) -> list[str]:
    """`text` cut into `n` pieces at the line breaks nearest to each n-th."""
    pieces, start = [], 0
    for k in range(1, n):
        cut = text.find("\n", max(start + 1, len(text) * k // n))
        if cut < 0:
            break
        pieces.append(text[start:cut])
        start = cut + 1
    pieces.append(text[start:])
    return [p for p in pieces if p.strip()]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase(name: str, path: str) -> dict:
    from vigie.analysis.from_doc import annotate_article
    from vigie.analysis.load import load_english, load_french, model_text
    from vigie.contract import to_record
    from vigie.nlp.long_text import analyse_text
    from vigie.records import Article

    text = Path(path).read_text(encoding="utf-8")
    t0 = time.perf_counter()
    nlp = load_english() if name == "english" else load_french()
    load = time.perf_counter() - t0
    analyse = (lambda t: nlp(t)) if name == "whole" else (lambda t: analyse_text(nlp, t))

    def run(piece: str) -> int:
        art = Article(id="x", raw=piece, text=piece, published=PUBLISHED, language="fr")
        annotate_article(art, analyse(model_text(piece)))
        return len(json.dumps(to_record(art), ensure_ascii=False)) + len(art.entities)

    run(text[: text.find("\n", 3000)])  # warm-up: place index, lexicons
    baseline = _rss_mb()
    pieces = split_text(text, 20) if name == "split20" else [text]
    t0 = time.perf_counter()
    for piece in pieces:
        run(piece)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "load": load, "baseline_mb": baseline, "peak_mb": _rss_mb(), "pieces": len(pieces)}


def run_phase(name: str, path: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--input", path], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise SystemExit(f"phase {name} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="260000,990000")
    ap.add_argument("--phases", default="chunked,split20,english")
    ap.add_argument("--phase", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.input)))
        return 0

    fr = require("data", "winer-fr", "derived", "winer-fr.jsonl.gz")
    en = require("data", "ecbplus-en", "docs.jsonl.gz")
    print(f"{'chars':>8} {'phase':13} {'seconds':>8} {'baseline MB':>12} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            results = {}
            for name in args.phases.split(","):
                text = build_text(en if name == "english" else fr, size)
                path = Path(tmp) / f"{name}-{size}.txt"
                path.write_text(text, encoding="utf-8")
                r = results[name] = run_phase(name, str(path))
                label = name + (f" ({r['pieces']})" if r["pieces"] > 1 else "")
                print(f"{len(text):8d} {label:13} {r['seconds']:8.1f} {r['baseline_mb']:12.0f} {r['peak_mb']:12.0f}",
                      flush=True)
            if "chunked" in results and "split20" in results:
                ratio = results["chunked"]["seconds"] / results["split20"]["seconds"]
                print(f"{'':8} one article / 20 articles: {ratio:.2f}x time (goal <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
