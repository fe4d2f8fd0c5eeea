#!/usr/bin/env python3
"""Dates on FR-TimeBank: detection and value accuracy of vigie's dates against the gold DATE TIMEX3.

FR-TimeBank 1.1 (../shared/data/fr-timebank, LGPL-LR): 108 short articles from L'Est Républicain
(1999-2003) annotated in ISO-TimeML. Each document's creation time (<DCT>) is passed as the publication
date; the French pipeline (`load_french()`) runs over the text of <TEXT>.

Scoring:
- gold = TIMEX3 of type DATE (227). A prediction is matched to a gold DATE when their character spans
  overlap (one-to-one, in text order). Predictions that overlap only a TIME, DURATION or SET timex are
  left out (neither right nor wrong: "ce soir" is a TIME there and a day for vigie); other unmatched
  predictions are false positives.
- TimeML annotates the two ends of "du 19 au 23 juillet" as two DATEs; a predicted range may therefore
  match every gold DATE it overlaps, and is right for each one whose value is one of its two ends.
- value accuracy (strict): the gold value string equals the predicted one.
  value accuracy (lenient, labelled as such): also right when one value is the other at a coarser
  granularity ("1999" vs "1999-05"), or when a gold day lies inside a predicted range.

usage: bench/timebank.py [--errors] [--limit N]
"""
from __future__ import annotations

import argparse
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import prf, require  # noqa: E402


def read_tml(path: Path) -> tuple[str, str, list[dict]]:
    """(document creation date, text of <TEXT>, TIMEX3 list with start/end/type/value)."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3").get("value")  # type: ignore[union-attr]
    parts: list[str] = []
    timexes: list[dict] = []

    def walk(el: ET.Element) -> None:
        start = sum(map(len, parts))
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if el.tag == "TIMEX3":
            end = sum(map(len, parts))
            timexes.append({"start": start, "end": end, "type": el.get("type"), "value": el.get("value")})

    walk(root.find("TEXT"))  # type: ignore[arg-type]
    text = "".join(parts)
    for t in timexes:
        t["text"] = text[t["start"] : t["end"]]
    return dct, text, timexes


def lenient_equal(gold: str, pred: str | None) -> bool:
    if pred is None:
        return False
    if gold == pred:
        return True
    if "/" in pred:
        a, b = pred.split("/", 1)
        if gold.endswith("-WE"):  # TimeML weekend "2003-W05-WE" against a Saturday-Sunday range
            return date.fromisoformat(a).isocalendar()[:2] == tuple(map(int, gold[:-3].split("-W")))
        if "X" in gold:  # decade "196X" against "1960-01-01/1969-12-31"
            return a[:4].startswith(gold.rstrip("X")) and b[:4].startswith(gold.rstrip("X"))
        return len(gold) == 10 and a <= gold <= b
    short, long_ = sorted((gold, pred), key=len)
    return long_.startswith(short) and long_[len(short) : len(short) + 1] == "-"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true", help="print misses, false positives and wrong values")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = ap.parse_args()
    data = require("data", "fr-timebank", "original", "Data")

    from vigie.analysis.load import load_french, model_text
    from vigie.dates.component import dates_from_doc

    files = sorted(data.glob("*.tml"))
    if args.limit:
        files = files[: args.limit]
    docs = [read_tml(f) for f in files]
    nlp = load_french()
    t0 = time.perf_counter()
    parsed = list(nlp.pipe(model_text(text) for _, text, _ in docs))
    elapsed = time.perf_counter() - t0

    tp = fp = fn = 0
    strict = lenient = n_values = 0
    ignored = 0
    by_rule: dict[str, Counter] = defaultdict(Counter)
    errors: list[str] = []
    for f, (dct, text, timexes), doc in zip(files, docs, parsed, strict=True):
        preds = dates_from_doc(doc, text, dct)
        rules = [it.get("rule", "?") for it in doc._.dates or []]
        gold = [t for t in timexes if t["type"] == "DATE"]
        other = [t for t in timexes if t["type"] != "DATE"]
        used_gold: set[int] = set()
        for p, rule in zip(preds, rules, strict=True):
            hits = [i for i, g in enumerate(gold) if i not in used_gold and g["start"] < p.end and p.start < g["end"]]
            if hits and p.granularity != "range":
                hits = hits[:1]
            if not hits:
                if any(o["start"] < p.end and p.start < o["end"] for o in other):
                    ignored += 1
                    continue
                fp += 1
                by_rule[rule]["fp"] += 1
                errors.append(f"FP    {f.stem} {p.text!r} -> {p.value}")
                continue
            for i in hits:
                used_gold.add(i)
                g = gold[i]
                tp += 1
                by_rule[rule]["tp"] += 1
                ends = p.value.split("/") if p.value and p.granularity == "range" else [p.value]
                ok = g["value"] == p.value or g["value"] in ends
                strict += ok
                lenient += ok or lenient_equal(g["value"], p.value)
                n_values += 1
                by_rule[rule]["value_ok"] += ok
                if not ok:
                    errors.append(f"VALUE {f.stem} dct {dct} {g['text']!r} gold {g['value']} / {p.text!r} -> {p.value}")
        for i, g in enumerate(gold):
            if i not in used_gold:
                fn += 1
                errors.append(f"MISS  {f.stem} {g['text']!r} {g['value']}")

    p, r, f1 = prf(tp, fp, fn)
    print(f"FR-TimeBank: {len(files)} documents, {tp + fn} gold DATE timexes, {tp + fp} predictions counted "
          f"({ignored} more overlap only a TIME/DURATION/SET timex and are left out)")
    print(f"detection (overlap)      P {p:.3f}  R {r:.3f}  F1 {f1:.3f}")
    if n_values:
        print(f"value accuracy, strict   {strict / n_values:.3f}  ({strict}/{n_values} matched)")
        print(f"value accuracy, lenient  {lenient / n_values:.3f}  (coarser-granularity agreement, day inside range)")
    print(f"speed: {len(files) / elapsed:.1f} articles/s (full French pipeline, nlp.pipe, 1 process)")
    print("per rule family: tp fp value_ok")
    for rule, c in sorted(by_rule.items(), key=lambda kv: -(kv[1]["tp"] + kv[1]["fp"])):
        acc = c["value_ok"] / c["tp"] if c["tp"] else 0.0
        print(f"  {rule:13} {c['tp']:4d} {c['fp']:4d}  value {acc:.2f}")
    if args.errors:
        print("\n".join(sorted(errors)))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # piped into head
        sys.exit(0)
