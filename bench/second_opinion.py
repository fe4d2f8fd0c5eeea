#!/usr/bin/env python3
"""Choose the second opinion's thresholds by cross-validation on winer-gold-fr/tune (never on check).

usage: bench/second_opinion.py [--oof PATH] [--alone]

scripts/train_event_classifier.py writes the out-of-fold probabilities of every tune sentence (each sentence scored
by a model that never saw its article) to PATH (default /tmp/vigie_event_classifier_oof.json). This benchmark
codes the tune articles once with weak mentions, then, for each threshold setting of
`vigie.events.second_opinion.reconsider` (RESCUE_P, FLOOR, DROP_P), lets a stand-in classifier answer from the
out-of-fold probabilities (each sentence read with its neighbours, or alone with --alone) and scores the events with ../shared/eval/score.py: event-type and events P/R/F1 per
setting, the lexicon alone first. The best setting by event-type F1 (ties: events F1) is printed last; it is what
the module's constants should hold.
"""
from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from copy import deepcopy
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import require  # noqa: E402


class OutOfFold:
    """A stand-in classifier answering from out-of-fold probabilities, keyed by (article, sentence text)."""

    def __init__(self) -> None:
        self.probs: dict[tuple[str, str], dict[str, float]] = {}
        self.article = ""
        self.missing = 0

    def scores(self, texts: list[str], in_article: bool = False) -> list[dict[str, float]]:
        out = []
        for t in texts:
            p = self.probs.get((self.article, t.strip()))
            self.missing += p is None
            out.append(p or {"NONE": 1.0})
        return out


def main(argv: list[str]) -> int:
    oof_path = Path(argv[argv.index("--oof") + 1]) if "--oof" in argv else Path("/tmp/vigie_event_classifier_oof.json")
    key = "probs_alone" if "--alone" in argv else "probs"
    if not oof_path.exists():
        print(f"no out-of-fold file at {oof_path}: run scripts/train_event_classifier.py first")
        return 0
    folder = require("data", "winer-gold-fr", "tune")
    spec = importlib.util.spec_from_file_location("vigie_score", require("eval", "score.py"))
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)

    from vigie.analysis.load import load_french, model_text
    from vigie.events import second_opinion
    from vigie.events.coder_fr import code_french
    from vigie.events.component import events_from_doc

    nlp = load_french(second_opinion=False)
    oof: dict[str, list[dict]] = {}
    for row in json.loads(oof_path.read_text(encoding="utf-8")):
        oof.setdefault(row["id"], []).append(row)
    stand_in = OutOfFold()
    gold, coded = {}, []
    for path in sorted(folder.glob("*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        gold[g["id"]] = {"id": g["id"], "events": g["events"]}
        doc = nlp(model_text(g["text"]))
        for row in oof.get(g["id"], []):
            stand_in.probs[(g["id"], doc.text[row["start"] : row["end"]].strip())] = row[key]
        coded.append((g, doc, code_french(doc, weak=True)))

    def run(setting: tuple[float, float, float] | None) -> dict:
        pred = {}
        for g, doc, records in coded:
            recs = [r for r in deepcopy(records) if not r.get("weak")]
            if setting is not None:
                stand_in.article = g["id"]
                recs = second_opinion.reconsider(doc, deepcopy(records), stand_in, *setting)
            doc._.events = recs
            events = events_from_doc(doc, g["text"], g.get("published"))
            pred[g["id"]] = {"id": g["id"], "text": g["text"], "events": [asdict(e) for e in events]}
        return score.score(gold, pred)

    def line(label: str, res: dict) -> tuple[float, float]:
        t, e = res["event_types"], res["events"]
        print(f"{label:48} types P {t['p']:.3f} R {t['r']:.3f} F1 {t['f1']:.3f}   events F1 {e['f1']:.3f}")
        return t["f1"], e["f1"]

    line("lexicon alone", run(None))
    best = None
    # 1.1: that part of the second opinion off
    for setting in itertools.product((0.2, 0.3, 0.4, 0.5, 1.1), (0.3, 0.45), (0.0, 0.02, 0.05)):
        f = line(f"rescue {setting[0]} floor {setting[1]} drop {setting[2]}", run(setting))
        if best is None or f > best[0]:
            best = (f, setting)
    assert best is not None
    if stand_in.missing:
        print(f"({stand_in.missing} sentences had no out-of-fold probabilities: scored as NONE)")
    print(f"best: RESCUE_P {best[1][0]}  FLOOR {best[1][1]}  DROP_P {best[1][2]}  "
          f"(types F1 {best[0][0]:.3f}, events F1 {best[0][1]:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
