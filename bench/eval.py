#!/usr/bin/env python3
"""Run `vigie analyze` over the dev gold (../shared/eval/dev) and print score.py's table.

usage: bench/eval.py [--gold DIR] [--keep PRED.jsonl] [--json]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import require  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=None, help="gold folder or JSONL (default ../shared/eval/dev)")
    ap.add_argument("--keep", default=None, help="also keep the predictions in this file")
    ap.add_argument("--json", action="store_true", help="print score.py's JSON")
    args = ap.parse_args()
    score_py = require("eval", "score.py")
    gold = Path(args.gold) if args.gold else require("eval", "dev")
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.jsonl"
        pred = Path(args.keep) if args.keep else Path(tmp) / "pred.jsonl"
        with inputs.open("w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, str(score_py), "inputs", str(gold)], stdout=fh, check=True)
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "vigie", "analyze", str(inputs), "-o", str(pred)],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        dt = time.perf_counter() - t0
        cmd = [sys.executable, str(score_py), "score", str(gold), str(pred)] + (["--json"] if args.json else [])
        subprocess.run(cmd, check=True)
    print(f"vigie analyze: {dt:.1f} s for the dev set (including model load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
