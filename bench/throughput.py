#!/usr/bin/env python3
"""Throughput of the whole `analyze` pipeline next to bare spaCy `nlp.pipe`, on the same WiNER-fr articles.

Both phases use the same model and the same number of worker processes (both cores by default), run in
fresh subprocesses, and are timed from the first article to the last (model loading reported apart).
The ratio pipeline / bare spaCy is measured in one run, and so is the time the quote, date and quantity
extractors add to the pipeline ("entities only" runs vigie with them switched off). Peak RSS is the largest sum over the process
tree (parent + spaCy workers), sampled every 50 ms.

usage: bench/throughput.py [--articles 300] [--workers 2] [--repeat 2]
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import require  # noqa: E402


def phase_bare(path: str, workers: int) -> dict:
    import spacy

    from vigie.analysis.load import FRENCH_MODEL

    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    t0 = time.perf_counter()
    nlp = spacy.load(FRENCH_MODEL)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, n_process=workers, batch_size=16))
    return {"articles": n, "seconds": time.perf_counter() - t0, "load": load}


def phase_vigie(path: str, workers: int, extractors: bool = True) -> dict:
    from vigie.analysis.load import load_french
    from vigie.contract import to_record
    from vigie.pipeline import RunOptions, analyze
    from vigie.records import Article

    # The worker processes load the model themselves (spawned, not forked from a loaded parent), so the time
    # to the first article is the load; the rate is measured from the first article to the last, scaled to
    # all of them, to compare with bare spaCy's timing (which excludes its load). "wall" is end to end.
    if workers <= 1:
        load_french(with_extractors=extractors)
    t0 = time.perf_counter()
    first = None
    n = 0
    with open("/dev/null", "w") as sink:
        for item in analyze([path], RunOptions(workers=workers, extractors=extractors)):
            if isinstance(item, Article):
                sink.write(json.dumps(to_record(item), ensure_ascii=False))
                n += 1
                if first is None:
                    first = time.perf_counter()
    end = time.perf_counter()
    first = first if first is not None else end
    seconds = (end - first) * n / max(1, n - 1)
    return {"articles": n, "seconds": seconds, "load": first - t0, "wall": end - t0}


PHASES = {
    "bare": phase_bare,
    "entities": lambda path, workers: phase_vigie(path, workers, extractors=False),
    "vigie": phase_vigie,
}


def run_phase(name: str, path: str, workers: int) -> dict:
    """Run one phase in a subprocess while sampling the RSS of its process tree."""
    import psutil

    proc = subprocess.Popen(
        [sys.executable, __file__, "--phase", name, "--input", path, "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not stop.is_set():
            try:
                tree = [root] + root.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    outp, _ = proc.communicate()
    stop.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"phase {name} failed with code {proc.returncode}")
    res = json.loads(outp.strip().splitlines()[-1])
    res["peak_rss_mb"] = peak / 2**20
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--phase", choices=list(PHASES), help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.input, args.workers)))
        return 0

    src = require("data", "winer-fr", "derived", "winer-fr.jsonl.gz")
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        recs = [json.loads(line) for _, line in zip(range(args.articles), fh, strict=False)]
    words = sum(len(r["text"].split()) for r in recs)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "winer.jsonl")
        with open(path, "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps({"id": r["id"], "text": r["text"], "published": r["date"]}, ensure_ascii=False) + "\n")
        best: dict[str, dict] = {}
        for _ in range(args.repeat):
            for name in PHASES:
                res = run_phase(name, path, args.workers)
                if name not in best or res["seconds"] < best[name]["seconds"]:
                    best[name] = res
    print(f"{len(recs)} WiNER-fr articles, {words} words, {args.workers} worker processes, best of {args.repeat}")
    print(f"{'':14} {'articles/s':>10} {'words/s':>9} {'load s':>7} {'peak RSS MB':>12}")
    for name, label in (("bare", "bare spaCy"), ("entities", "entities only"), ("vigie", "vigie analyze")):
        r = best[name]
        print(
            f"{label:14} {r['articles'] / r['seconds']:10.1f} {words / r['seconds']:9.0f} {r['load']:7.1f} "
            f"{r['peak_rss_mb']:12.0f}"
        )
    ratio = best["bare"]["seconds"] / best["vigie"]["seconds"]
    print(f"ratio pipeline / bare spaCy (throughput): {ratio:.2f}")
    wall_bare = best["bare"]["seconds"] + best["bare"]["load"]
    print(f"end to end, model loading included: bare spaCy {wall_bare:.1f} s, vigie analyze {best['vigie']['wall']:.1f} s "
          f"(ratio {wall_bare / best['vigie']['wall']:.2f})")
    extra = best["vigie"]["seconds"] / best["entities"]["seconds"] - 1
    print(f"time added by the extractors (places, quotes, dates, quantities, events): {100 * extra:+.1f} % (goal <= +20 %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
