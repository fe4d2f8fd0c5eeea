#!/usr/bin/env python3
"""Quality gate: the dev gold through `vigie analyze`, scored by score.py, against the floors in bench/floors.json.

usage: bench/gate.py [--gold DIR] [--floors FILE] [--pred PRED.jsonl] [--keep PRED.jsonl] [--update]

Every figure pinned in the floors file (each area's F1 and the headline accuracies score.py reports:
quotes speaker_acc, dates value_acc, places country_acc / within_50km, the events' per-argument accuracies,
event-type F1) is compared with the run. The gate fails (exit 1) and says which figures dropped and by how
much when one falls more than `tolerance` (0.02) under its floor, when a pinned figure is missing from the
run, when articles lack a prediction, or when the number of gold documents differs from the pinned one (the
gold changed: re-pin). Otherwise it prints the table and exits 0. Without ../shared it prints
"skipped: ... not found" and exits 0.

--update rewrites the floors file from this run (floor = measured value), with the date, commit and command.
--pred scores an existing predictions file instead of running `vigie analyze` (to check the gate itself).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import REPO, require  # noqa: E402

FLOORS = REPO / "bench" / "floors.json"
TOLERANCE = 0.02
# Per-area figures worth a floor besides F1 (P and R are folded into F1; counts are not quality figures).
EXTRA = ("speaker_acc", "value_acc", "country_acc", "within_50km", "source_acc", "target_acc",
         "location_acc", "date_acc", "mode_acc")


def figures(scores: dict) -> dict[str, float]:
    """score.py's JSON -> {"area.figure": value} for F1 and the headline accuracies."""
    out: dict[str, float] = {}
    for area, vals in scores.items():
        if not isinstance(vals, dict):
            continue
        for key in ("f1", *EXTRA):
            if isinstance(vals.get(key), (int, float)):
                out[f"{area}.{key}"] = float(vals[key])
    return out


def analyze(score_py: Path, gold: Path, pred: Path, tmp: Path) -> float:
    """Run `python -m vigie analyze` (this interpreter's vigie) on the gold inputs; return the seconds taken."""
    inputs = tmp / "inputs.jsonl"
    with inputs.open("w", encoding="utf-8") as fh:
        subprocess.run([sys.executable, str(score_py), "inputs", str(gold)], stdout=fh, check=True)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "vigie", "analyze", "--workers", "1", str(inputs), "-o", str(pred)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        print(f"gate: FAILED: vigie analyze exited with {proc.returncode}")
        sys.exit(1)
    return time.perf_counter() - t0


def score(score_py: Path, gold: Path, pred: Path) -> dict:
    out = subprocess.run([sys.executable, str(score_py), "score", str(gold), str(pred), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def git(*args: str) -> str:
    """Read-only git query (commit id, dirty tree); '' when git is unavailable."""
    try:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def write_floors(path: Path, scores: dict, seconds: float | None) -> None:
    commit = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    floors = {k: round(v, 3) for k, v in figures(scores).items()}
    doc = {
        "comment": "Floors of bench/gate.py: each is the value measured on the dev gold (../shared/eval/dev) "
                   "by `vigie analyze --workers 1` and score.py; the gate fails when a figure falls more than "
                   "`tolerance` under its floor. Re-pin with `bench/gate.py --update` after a deliberate change "
                   "(and say why in the commit).",
        "measured": {
            "date": dt.date.today().isoformat(),
            "commit": commit + (" (with uncommitted changes)" if dirty else ""),
            "how": "bench/gate.py --update (vigie analyze --workers 1 over score.py inputs ../shared/eval/dev, "
                   "then score.py score --json)",
            "python": platform.python_version(),
            "analyze_seconds": round(seconds, 1) if seconds is not None else None,
        },
        "tolerance": TOLERANCE,
        "documents": scores.get("documents"),
        "floors": floors,
    }
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"gate: wrote {len(floors)} floors to {path}")


def compare(pinned: dict, scores: dict) -> tuple[list[str], list[str]]:
    """(table lines, failure lines)."""
    tol = float(pinned.get("tolerance", TOLERANCE))
    got = figures(scores)
    lines = [f"{'figure':<24} {'floor':>6} {'now':>6} {'diff':>7}"]
    failures: list[str] = []
    for name, floor in pinned["floors"].items():
        if name not in got:
            lines.append(f"{name:<24} {floor:>6.3f} {'-':>6} {'':>7}  MISSING")
            failures.append(f"{name}: pinned at {floor:.3f}, not reported by this run")
            continue
        now = got[name]
        diff = round(now - floor, 3)
        mark = "  DROP" if diff < -tol else ("  below floor, within tolerance" if diff < 0 else
                                             ("  above floor (re-pin with --update?)" if diff > 0 else ""))
        lines.append(f"{name:<24} {floor:>6.3f} {now:>6.3f} {diff:>+7.3f}{mark}")
        if diff < -tol:
            failures.append(f"{name}: dropped by {-diff:.3f} ({now:.3f}, floor {floor:.3f})")
    for name in sorted(set(got) - set(pinned["floors"])):
        lines.append(f"{name:<24} {'-':>6} {got[name]:>6.3f} {'':>7}  (no floor: run --update to pin it)")
    if pinned.get("documents") is not None and scores.get("documents") != pinned["documents"]:
        failures.append(f"documents: {scores.get('documents')} scored, floors pinned on {pinned['documents']} "
                        "(the gold changed: re-pin with --update)")
    if scores.get("missing_predictions"):
        failures.append(f"missing_predictions: {scores['missing_predictions']} gold articles have no record")
    return lines, failures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=None, help="gold folder or JSONL (default ../shared/eval/dev)")
    ap.add_argument("--floors", default=str(FLOORS), help="floors file (default bench/floors.json)")
    ap.add_argument("--pred", default=None, help="score these predictions instead of running vigie analyze")
    ap.add_argument("--keep", default=None, help="also keep the predictions in this file")
    ap.add_argument("--update", action="store_true", help="rewrite the floors from this run")
    args = ap.parse_args()

    score_py = require("eval", "score.py")
    gold = Path(args.gold) if args.gold else require("eval", "dev")
    floors_path = Path(args.floors)
    t0 = time.perf_counter()
    seconds = None
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(tmpname)
        if args.pred:
            pred = Path(args.pred)
        else:
            pred = Path(args.keep) if args.keep else tmp / "pred.jsonl"
            seconds = analyze(score_py, gold, pred, tmp)
        scores = score(score_py, gold, pred)
    took = f"vigie analyze {seconds:.1f} s, " if seconds is not None else ""
    timing = f"({took}gate {time.perf_counter() - t0:.1f} s)"

    if args.update:
        write_floors(floors_path, scores, seconds)
        print(timing)
        return 0
    if not floors_path.exists():
        print(f"gate: FAILED: no floors file at {floors_path} (create it with --update)")
        return 1
    pinned = json.loads(floors_path.read_text(encoding="utf-8"))
    lines, failures = compare(pinned, scores)
    print(f"quality gate: dev gold ({scores.get('documents')} documents) against {floors_path.name} "
          f"(measured {pinned.get('measured', {}).get('date', '?')} at {pinned.get('measured', {}).get('commit', '?')})")
    print("\n".join(lines))
    if failures:
        print(f"gate: FAILED {timing}: {len(failures)} problem(s) (tolerance {pinned.get('tolerance', TOLERANCE)}):")
        for f in failures:
            print(f"  - {f}")
        return 1
    print(f"gate: passed {timing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
