#!/usr/bin/env python3
"""Event coding benchmarks (PLOVER): dev gold, PLOVER gold-standard sentences, POPCORN-fr detection.

usage: bench/events.py [dev] [gsr] [popcorn] [tune] [check] [--timing] [--keep PRED.jsonl] [--classifier]
       (dev, gsr and popcorn by default)

- dev: `load_french()` over each gold `text` of ../shared/eval/dev with its `published` date, matched like
  ../shared/eval/score.py (type + one of source/target/location, lenient names; events whose context holds
  "negated" or "hypothetical" are not counted): event-type P/R/F1, events P/R/F1, argument accuracy, and a
  per-type table.
- gsr: the 322 sentences of ../shared/data/plover-gsr-en (English, `load_english()`); the predicted type of a
  sentence is its most confident event. Gold types of the 2016 GSR mapped to PLOVER 2021 (GUIDE.md / manual):
  DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT. Reports accuracy over the
  sentences where a type is output, and coverage. The GSR follows the manual's AGREE for future cooperation
  ("will visit"); vigie follows the annotation guide (the type, with the context "future"), which costs about
  0.02 here.
- tune / check: ../shared/data/winer-gold-fr/{tune,check} (60 French news articles, every political event
  annotated) through `python -m vigie analyze` and scored by ../shared/eval/score.py like bench/eval.py
  --gold: event-type F1, events F1 and the source/target/location/date accuracies. Build on `tune`; `check`
  is for reporting only (keep its errors out of rule writing). --classifier runs `vigie analyze --event-classifier`
  (the learned second opinion, vigie.events.second_opinion).
- popcorn: document-level detection on POPCORN's French test split (../shared/data/popcorn-fr): does the document
  hold an event of the type? DEMONSTRATION (and ILLEGAL_CIVIL_DEMONSTRATION) <-> PROTEST/demo, RIOT <->
  PROTEST/riot, CRIMINAL_ARREST <-> COERCE/arrest, BOMBING <-> ASSAULT with mode explosives, suicide-attack or
  heavy-weapons (POPCORN's bombings include air and missile strikes),
  COUP_D_ETAT <-> an event with the "coup" context. Hypothetical and negated events do not count.
"""
from __future__ import annotations

import importlib.util
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import prf, require, shared_dir  # noqa: E402

GSR_MAP = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
POPCORN_TYPES = {
    "DEMONSTRATION": lambda e: e.type == "PROTEST" and e.mode in ("demo", None),
    "RIOT": lambda e: e.type == "PROTEST" and e.mode == "riot",
    "CRIMINAL_ARREST": lambda e: e.type == "COERCE" and e.mode == "arrest",
    # POPCORN's BOMBING covers bombs and air or missile strikes alike (its train split: "bombardement", "larguer
    # des bombes", "missile"): PLOVER's explosives, suicide attacks and heavy weapons
    "BOMBING": lambda e: e.type == "ASSAULT" and e.mode in ("explosives", "suicide-attack", "heavy-weapons"),
    "COUP_D_ETAT": lambda e: "coup" in e.context,
}
POPCORN_ALIASES = {"ILLEGAL_CIVIL_DEMONSTRATION": "DEMONSTRATION"}


def _live(e) -> bool:
    return not {"negated", "hypothetical"} & set(e.context)


def _scorer():
    path = require("eval", "score.py")
    spec = importlib.util.spec_from_file_location("vigie_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def bench_dev(timing: bool) -> None:
    from vigie.analysis.load import load_french, model_text
    from vigie.events.component import events_from_doc

    S = _scorer()
    gold = S.load(str(require("eval", "dev")))
    nlp = load_french()
    pred = {}
    for gid, g in gold.items():
        doc = nlp(model_text(g["text"]))
        pred[gid] = {"id": gid, "events": [asdict(e) for e in events_from_doc(doc, g["text"], g.get("published"))]}
    res = S.score(gold, pred)
    print(f"== dev (shared/eval/dev, {len(gold)} articles)")
    for k in ("event_types", "events"):
        v = res.get(k, {})
        rest = "  ".join(f"{a} {b}" for a, b in v.items() if a not in ("p", "r", "f1"))
        print(f"{k:12} P {v.get('p', 0):.3f}  R {v.get('r', 0):.3f}  F1 {v.get('f1', 0):.3f}  {rest}")
    # per type: one-to-one on type and argument, like score.py's "events"
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for gid, g in gold.items():
        ge, pe = S.live(g.get("events", [])), S.live(pred[gid]["events"])
        pairs = S.greedy_match(ge, pe, S.event_args_ok)
        for t in {e["type"] for e in ge} | {e["type"] for e in pe}:
            gi = [i for i, e in enumerate(ge) if e["type"] == t]
            pi = [i for i, e in enumerate(pe) if e["type"] == t]
            m = sum(1 for a, b in pairs if ge[a]["type"] == t)
            tally[t][0] += m
            tally[t][1] += len(pi) - m
            tally[t][2] += len(gi) - m
    print(f"{'type':10} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for t in sorted(tally):
        tp, fp, fn = tally[t]
        p, r, f = prf(tp, fp, fn)
        print(f"{t:10} {tp + fn:4} {tp + fp:4} {p:6.3f} {r:6.3f} {f:6.3f}")
    if timing:
        _timing()


def _timing() -> None:
    """The event stage's cost per article, without and with the learned second opinion (its model loaded first)."""
    from vigie.analysis.load import load_french, model_text
    from vigie.events.component import annotate_events, events_from_doc

    path = Path(__file__).resolve().parents[1] / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    from vigie.events.classifier import get_classifier

    nlp = load_french()
    docs = [(nlp(model_text(r["text"])), r["text"], r.get("published")) for r in rows]
    get_classifier().scores(["Le classifieur est chargé avant la mesure."])
    for second_opinion in (False, True):
        t0 = time.perf_counter()
        n = 0
        for doc, text, pub in docs:
            annotate_events(doc, second_opinion)
            n += len(events_from_doc(doc, text, pub))
        dt = time.perf_counter() - t0
        print(f"timing: annotate_events + events_from_doc {1000 * dt / len(docs):.2f} ms/article over {len(docs)} "
              f"wikinews-fr articles ({n} events), second opinion {'on' if second_opinion else 'off'}")


def bench_gsr() -> None:
    from vigie.analysis.load import load_english
    from vigie.events.component import events_from_doc

    path = require("data", "plover-gsr-en", "original", "gold_standard_records", "PLOVER_GSR_CAMEO.txt")
    records = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("event") not in (None, "DOCUMENT")]
    nlp = load_english()
    out = right = 0
    confusion: Counter[tuple[str, str]] = Counter()
    per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # right, output, total
    for r in records:
        text = r.get("text") or ""
        gold = GSR_MAP.get(r["event"], r["event"])
        doc = nlp(text.strip("{} "))
        events = [e for e in events_from_doc(doc, doc.text, None) if _live(e)] or events_from_doc(doc, doc.text, None)
        per_type[gold][2] += 1
        if not events:
            continue
        best = max(events, key=lambda e: (e.confidence, -e.start))
        out += 1
        per_type[gold][1] += 1
        if best.type == gold:
            right += 1
            per_type[gold][0] += 1
        else:
            confusion[(gold, best.type)] += 1
    print(f"== PLOVER GSR ({len(records)} English sentences)")
    print(f"type accuracy {right / out if out else 0:.3f} over {out} sentences with a type; coverage "
          f"{out / len(records):.3f}; accuracy over all {right / len(records):.3f}")
    print(f"{'gold type':12} {'n':>4} {'typed':>5} {'right':>5}")
    for t in sorted(per_type):
        a, b, c = per_type[t]
        print(f"{t:12} {c:4} {b:5} {a:5}")
    print("most frequent confusions (gold -> predicted):",
          ", ".join(f"{g}->{p} {n}" for (g, p), n in confusion.most_common(8)))


def bench_popcorn() -> None:
    from vigie.analysis.load import load_french, model_text
    from vigie.events.component import events_from_doc

    path = require("data", "popcorn-fr", "original", "data", "manual_corpus", "test.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    nlp = load_french()
    tally = {t: [0, 0, 0] for t in POPCORN_TYPES}
    for d in data.values():
        gold = {POPCORN_ALIASES.get(e["type"], e["type"]) for e in d.get("entities", [])}
        text = d["text"]
        doc = nlp(model_text(text))
        events = [e for e in events_from_doc(doc, text, None) if _live(e)]
        for t, test in POPCORN_TYPES.items():
            p, g = any(test(e) for e in events), t in gold
            tally[t][0] += p and g
            tally[t][1] += p and not g
            tally[t][2] += g and not p
    print(f"== POPCORN-fr test split ({len(data)} documents), document-level detection")
    print(f"{'type':16} {'gold':>4} {'pred':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for t, (tp, fp, fn) in tally.items():
        p, r, f = prf(tp, fp, fn)
        print(f"{t:16} {tp + fn:4} {tp + fp:4} {p:6.3f} {r:6.3f} {f:6.3f}")


def bench_winer(split: str, keep: str | None = None, classifier: bool = False) -> None:
    """`vigie analyze` over winer-gold-fr/<split>, scored by score.py (as bench/eval.py --gold does)."""
    import subprocess
    import tempfile

    score_py = require("eval", "score.py")
    gold = require("data", "winer-gold-fr", split)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.jsonl"
        pred = Path(keep) if keep else Path(tmp) / "pred.jsonl"
        with inputs.open("w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, str(score_py), "inputs", str(gold)], stdout=fh, check=True)
        t0 = time.perf_counter()
        cmd = [sys.executable, "-m", "vigie", "analyze", str(inputs), "-o", str(pred)]
        subprocess.run(cmd + (["--event-classifier"] if classifier else []),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t0
        out = subprocess.run([sys.executable, str(score_py), "score", str(gold), str(pred), "--json"],
                             check=True, capture_output=True, text=True).stdout
    res = json.loads(out)
    n = len(list(gold.glob("*.json")))
    with_classifier = ", with the event classifier" if classifier else ""
    print(f"== winer-gold-fr/{split} ({n} articles; vigie analyze {dt:.1f} s{with_classifier})")
    for k in ("event_types", "events"):
        v = res.get(k, {})
        print(f"{k:12} P {v.get('p', 0):.3f}  R {v.get('r', 0):.3f}  F1 {v.get('f1', 0):.3f}")
    v = res.get("events", {})
    print("accuracy    " + "  ".join(
        f"{a.removesuffix('_acc')} {v[a]:.3f}" if isinstance(v.get(a), (int, float)) else f"{a.removesuffix('_acc')} -"
        for a in ("source_acc", "target_acc", "location_acc", "date_acc", "mode_acc")))


def main(argv: list[str]) -> int:
    if not shared_dir().exists():
        print(f"skipped: {shared_dir()} not found (the benchmarks read ../shared when present)")
        return 0
    keep = None
    if "--keep" in argv:
        i = argv.index("--keep")
        keep = argv[i + 1] if i + 1 < len(argv) else None
        argv = argv[:i] + argv[i + 2:]
    which = [a for a in argv if not a.startswith("--")] or ["dev", "gsr", "popcorn"]
    if "dev" in which:
        bench_dev("--timing" in argv)
    elif "--timing" in argv:
        _timing()
    if "gsr" in which:
        bench_gsr()
    if "popcorn" in which:
        bench_popcorn()
    for split in ("tune", "check"):
        if split in which:
            bench_winer(split, keep, classifier="--classifier" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
