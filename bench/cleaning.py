#!/usr/bin/env python3
"""Benchmark of vigie.steps.clean (boilerplate-line removal) on the crawled-text sets of ../shared.

For every line-labelled set (scrapinghub-aeb, l3s-gn1-en, dragnet-en, readability-testpages, fundus-news:
`derived/*.partNN.jsonl.gz`, fields `raw_text` + silver `line_labels`, 1 = article-body line) the pages
go through the real pipeline step `clean_step` (so the repeated-line learner sees each set as a batch,
pages grouped by URL host) and the script prints, per set and pooled (micro):

  boilerplate  line-level P/R/F1 of the removed lines (positive class = removed, label 0), as in
               score.py's "cleaning" tally;
  kept         line-level P/R/F1 of the kept lines (positive class = kept, label 1);
  keep-all     kept-line F1 of the trivial keep-every-line baseline, for scale;
  pages/s      cleaning throughput (JSON loading excluded);
and, as an over-cleaning check, the share of lines kept when each page's gold body is cleaned alone.

trafilatura-eval-fr has snippet gold only: the share of lines holding a must-keep (`with`) snippet that
are kept and of lines holding a must-drop (`without`) snippet that are dropped (`snippet_line_labels`).
The seed article and the dev gold files of shared/eval/dev are scored with shared/eval/score.py's own
`score_cleaning` (lines of `raw` vs gold `text`); for the WiNER files raw == text, so any removal is
over-cleaning.

Usage: python bench/cleaning.py [--limit N]   (N pages per set; ../shared or $VIGIE_SHARED)
Exits 0 with "skipped: ../shared not found" when the shared folder is absent.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import prf, shared_dir  # noqa: E402
from vigie.clean import clean_text  # noqa: E402
from vigie.records import Article, ArticleError  # noqa: E402
from vigie.steps.clean import clean_step  # noqa: E402

LABELLED = ["scrapinghub-aeb", "l3s-gn1-en", "dragnet-en", "readability-testpages", "fundus-news"]
SNIPPETS = "trafilatura-eval-fr"


def records(folder: Path, limit: int | None):
    n = 0
    for part in sorted((folder / "derived").glob("*.part*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            for line in fh:
                if limit is not None and n >= limit:
                    return
                rec = json.loads(line)
                rec.pop("html", None)  # not needed, and large
                n += 1
                yield rec


def to_articles(name: str, recs: list[dict]) -> list[Article]:
    arts = []
    for r in recs:
        host = urlsplit(r["url"]).hostname if r.get("url") else None
        # Pages without a URL get a source of their own: grouping them would make the learner treat
        # unrelated sites as one source.
        arts.append(Article(id=str(r["id"]), raw=r["raw_text"] or "", origin=f"{name}/{r['id']}",
                            url=r.get("url"), source=host or f"{name}/{r['id']}"))
    return arts


class Counts:
    def __init__(self) -> None:
        self.rem = [0, 0, 0]  # tp fp fn, positive = removed (boilerplate)
        self.kept = [0, 0, 0]  # tp fp fn, positive = kept (body)
        self.body = self.lines = 0

    def add(self, gold_body: bool, kept: bool) -> None:
        self.lines += 1
        self.body += gold_body
        if not gold_body:
            if kept:
                self.rem[2] += 1
                self.kept[1] += 1
            else:
                self.rem[0] += 1
        else:
            if kept:
                self.kept[0] += 1
            else:
                self.rem[1] += 1
                self.kept[2] += 1

    def merge(self, other: Counts) -> None:
        for i in range(3):
            self.rem[i] += other.rem[i]
            self.kept[i] += other.kept[i]
        self.body += other.body
        self.lines += other.lines

    def row(self, name: str, pages: int, pps: float | None) -> str:
        bp, br, bf = prf(*self.rem)
        kp, kr, kf = prf(*self.kept)
        share = self.body / self.lines if self.lines else 0.0
        keep_all = 2 * share / (share + 1) if share else 0.0
        speed = f"{pps:8.0f}" if pps is not None else " " * 8
        return (f"{name:24} {pages:5d} {self.lines:7d}  {bp:.3f} {br:.3f} {bf:.3f}   {kp:.3f} {kr:.3f} {kf:.3f}"
                f"   {keep_all:.3f}  {speed}")


def removed_lines(item: Article | ArticleError, n_lines: int) -> set[int]:
    if isinstance(item, Article):
        return {r.line_no for r in item.removed_lines}
    return set(range(n_lines))  # "nothing left": every line dropped


def run_labelled(shared: Path, limit: int | None) -> None:
    header = (f"{'dataset':24} {'pages':>5} {'lines':>7}  {'boilerplate P/R/F1':^17}   {'kept P/R/F1':^17}"
              f"   {'keep-all':8} {'pages/s':>8}")
    print(header)
    print("-" * len(header))
    total = Counts()
    pages_all, secs_all = 0, 0.0
    plain_kept = plain_lines = 0
    for name in LABELLED:
        folder = shared / "data" / name
        if not folder.exists():
            print(f"{name:24} skipped: not found")
            continue
        recs = [r for r in records(folder, limit) if r.get("line_labels") is not None]
        arts = to_articles(name, recs)
        t0 = time.perf_counter()
        out = list(clean_step(arts, window=200))
        secs = time.perf_counter() - t0
        c = Counts()
        for rec, item in zip(recs, out, strict=True):
            lines = rec["raw_text"].splitlines()
            gone = removed_lines(item, len(lines))
            for i, (line, label) in enumerate(zip(lines, rec["line_labels"], strict=False)):
                if line.strip() and label is not None:
                    c.add(bool(label), i not in gone)
        print(c.row(name, len(recs), len(recs) / secs if secs else None))
        for rec in recs:  # over-cleaning check: the gold body alone, as a plain article
            if rec.get("gold_text"):
                res = clean_text(rec["gold_text"])
                n = sum(1 for line in rec["gold_text"].splitlines() if line.strip())
                plain_lines += n
                plain_kept += n - len(res.removed)
        total.merge(c)
        pages_all += len(recs)
        secs_all += secs
    print("-" * len(header))
    print(total.row("ALL (micro)", pages_all, pages_all / secs_all if secs_all else None))
    if plain_lines:
        print(f"plain-body retention (each page's gold body cleaned alone, share of its lines kept): "
              f"{plain_kept / plain_lines:.3f}")


def run_snippets(shared: Path, limit: int | None) -> None:
    folder = shared / "data" / SNIPPETS
    if not folder.exists():
        print(f"\n{SNIPPETS}: skipped (not found)")
        return
    recs = list(records(folder, limit))
    out = list(clean_step(to_articles(SNIPPETS, recs), window=200))
    keep_ok = keep_n = drop_ok = drop_n = 0
    for rec, item in zip(recs, out, strict=True):
        lines = rec["raw_text"].splitlines()
        gone = removed_lines(item, len(lines))
        for i, label in enumerate(rec.get("snippet_line_labels") or []):
            if label == 1:
                keep_n += 1
                keep_ok += i not in gone
            elif label == 0:
                drop_n += 1
                drop_ok += i in gone
    print(f"\n{SNIPPETS} ({len(recs)} French pages, snippet gold):")
    print(f"  lines with a must-keep snippet kept:    {keep_ok}/{keep_n} = {keep_ok / max(keep_n, 1):.3f}")
    print(f"  lines with a must-drop snippet dropped: {drop_ok}/{drop_n} = {drop_ok / max(drop_n, 1):.3f}")


def load_scorer(shared: Path):
    path = shared / "eval" / "score.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("vigie_shared_score", path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def run_dev(shared: Path) -> None:
    score = load_scorer(shared)
    dev = sorted((shared / "eval" / "dev").glob("*.json"))
    seed = shared / "seed" / "kazakhstan-almaty-fr.txt"
    print("\nseed + dev gold (shared/eval/score.py score_cleaning; raw vs gold text):")
    if score is None or not dev:
        print("  skipped: shared/eval/score.py or shared/eval/dev not found")
    else:
        t, keep = score.Tally(), score.Tally()
        for f in dev:
            g = json.loads(f.read_text(encoding="utf-8"))
            res = clean_text(g["raw"])
            one, one_keep = score.Tally(), score.Tally()
            score.score_cleaning(g, {"text": res.text}, one, one_keep)
            score.score_cleaning(g, {"text": res.text}, t, keep)
            exact = "raw == text kept exactly" if g["raw"] == g["text"] and res.text == g["raw"] else ""
            print(f"  {f.stem:32} removed {len(res.removed):2d} lines  cleaning tp/fp/fn {one.tp}/{one.fp}/{one.fn}"
                  f"  kept-line R {one_keep.summary()['r']:.3f}  {exact}")
        s, k = t.summary(), keep.summary()
        print(f"  {'ALL dev':32} boilerplate P {s['p']:.3f} R {s['r']:.3f} F1 {s['f1']:.3f} | "
              f"kept P {k['p']:.3f} R {k['r']:.3f} F1 {k['f1']:.3f}")
    if seed.exists():
        res = clean_text(seed.read_text(encoding="utf-8"))
        n = len(seed.read_text(encoding="utf-8").splitlines())
        print(f"  seed file: {n} lines, removed {[r.line_no for r in res.removed]} "
              f"({', '.join(sorted({r.reason for r in res.removed}))})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="pages per dataset")
    args = ap.parse_args(argv)
    shared = shared_dir()
    if not shared.exists():
        print(f"skipped: ../shared not found ({shared}); set VIGIE_SHARED to point elsewhere")
        return 0
    run_labelled(shared, args.limit)
    run_snippets(shared, args.limit)
    run_dev(shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
