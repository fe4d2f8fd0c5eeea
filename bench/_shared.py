"""Helpers for the benchmarks: find ../shared, skip cleanly when it is absent."""
from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """`../shared` beside the repository, or $VIGIE_SHARED."""
    return Path(os.environ.get("VIGIE_SHARED", REPO.parent / "shared"))


def require(*parts: str) -> Path:
    """The path under shared/, or exit 0 with a 'skipped' message when it is missing."""
    p = shared_dir().joinpath(*parts)
    if not p.exists():
        print(f"skipped: {p} not found (the benchmarks read ../shared when present)")
        sys.exit(0)
    return p


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
