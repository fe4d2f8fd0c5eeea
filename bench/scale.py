"""How the NLP step scales: articles per second with 1 and 2 local worker processes and 1 and 2 Ray actors, as
ratios to one local worker measured in the same run, and the peak memory (RSS) of each worker.

    python bench/scale.py [--n 1000] [--only local,ray]

The first N WiNER-fr articles (../shared/data/winer-fr, or $VIGIE_SHARED) go through the steps after reading
(clean, language, NLP: `vigie.pipeline.analyze_articles`) with `RunOptions(isolate=True)`, so even one worker is a
separate process like the others, and no database (the writer is the same for every executor; its cost is in
docs/BENCHMARKS.md). Each configuration's time includes starting its workers (loading the model: 5-10 s each,
in parallel) and, for Ray, starting a local Ray. Memory: a sampling thread reads the RSS of every process below
this one every 0.2 s; a worker is a process that runs the pipeline (a pool worker, or a Ray actor `Analyser`).
"""
from __future__ import annotations

import argparse
import gzip
import json
import threading
import time
from typing import Any

import psutil

from _shared import require
from vigie.pipeline import RunOptions, analyze_articles
from vigie.records import Article


def articles(n: int) -> list[dict[str, Any]]:
    out = []
    with gzip.open(require("data", "winer-fr", "derived", "winer-fr.jsonl.gz"), "rt", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if len(out) == n:
                break
    return out


class PeakRSS(threading.Thread):
    """The peak RSS of each worker process below this one while running."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak: dict[int, int] = {}
        self.stop = threading.Event()
        self.me = psutil.Process()

    @staticmethod
    def is_worker(p: psutil.Process) -> bool:
        try:
            cmd = " ".join(p.cmdline())
        except (psutil.Error, OSError):
            return False
        return "Analyser" in cmd or "ray::" in p.name() or "multiprocessing.spawn" in cmd or "spawn_main" in cmd

    def run(self) -> None:
        while not self.stop.is_set():
            for p in self.me.children(recursive=True):
                try:
                    if self.is_worker(p):
                        self.peak[p.pid] = max(self.peak.get(p.pid, 0), p.memory_info().rss)
                except (psutil.Error, OSError):
                    continue
            self.stop.wait(0.2)


def measure(items: list[dict[str, Any]], executor: str, workers: int) -> dict[str, Any]:
    opts = RunOptions(workers=workers, isolate=True, executor=executor)
    sampler = PeakRSS()
    sampler.start()
    t0 = time.perf_counter()
    analysed = errors = 0
    fresh = [Article(id=a["id"], raw=a["text"], text=a["text"], origin=f"winer/{a['id']}", published=a.get("date"),
                     url=a.get("url")) for a in items]  # the steps change the articles they get: new ones each run
    first = None
    for item in analyze_articles(fresh, opts):
        if first is None:
            first = time.perf_counter()
        if isinstance(item, Article):
            analysed += 1
        else:
            errors += 1
    end = time.perf_counter()
    seconds = end - t0
    steady = (len(items) - 1) / (end - first) if first is not None and end > first else 0.0
    sampler.stop.set()
    sampler.join()
    peaks = sorted(sampler.peak.values(), reverse=True)[:workers]  # the pipeline's processes are the largest
    return {"executor": executor, "workers": workers, "seconds": seconds, "rate": len(items) / seconds,
            "steady": steady, "start": (first or end) - t0,
            "analysed": analysed, "errors": errors, "peak_rss_mb": [round(p / 2**20) for p in peaks]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--only", default="local,ray", help="executors to measure, comma-separated")
    args = ap.parse_args()
    items = articles(args.n)
    runs = []
    for executor in args.only.split(","):
        for workers in (1, 2):
            r = measure(items, executor, workers)
            runs.append(r)
            print(f"{executor:<6} {workers} worker(s): {r['seconds']:6.1f} s, {r['rate']:5.1f} articles/s; "
                  f"first result after {r['start']:.1f} s, then {r['steady']:5.1f} articles/s "
                  f"({r['analysed']} analysed, {r['errors']} errors); peak RSS per worker {r['peak_rss_mb']} MB",
                  flush=True)
    base = next((r for r in runs if r["executor"] == "local" and r["workers"] == 1), runs[0])
    print(f"\n{len(items)} WiNER-fr articles; ratios to {base['executor']} with 1 worker ({base['rate']:.1f} articles/s "
          f"start to end, {base['steady']:.1f} once started):")
    for r in runs:
        goal = "  (goal for 2 local workers: >= 1.6)" if r["executor"] == "local" and r["workers"] == 2 else ""
        print(f"  {r['executor']:<6} {r['workers']} worker(s): x{r['rate'] / base['rate']:.2f} start to end, "
              f"x{r['steady'] / base['steady']:.2f} once started{goal}")
    worst = max((m for r in runs for m in r["peak_rss_mb"]), default=0)
    print(f"peak RSS of any worker: {worst} MB (goal <= 1024 MB)")


if __name__ == "__main__":
    main()
