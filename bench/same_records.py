#!/usr/bin/env python3
"""Same records before and after a change: `vigie analyze --workers 1` at two source trees, records diffed.

usage:
  bench/same_records.py --base REV                 a clean copy of commit REV (git archive, read-only on git)
  bench/same_records.py --base DIR                 another checkout (its src/ is imported)
  bench/same_records.py --base-records DIR         records saved earlier (DIR/sample.jsonl, DIR/dev.jsonl)
  bench/same_records.py --base REV --save-base DIR keep the base records for later, cheaper comparisons
options: --head DIR (the tree compared with the base; default this checkout), --keep DIR (keep the head's
         records), --max-diffs N (differing fields shown per article, default 3), --only sample|dev

Inputs: the bundled sample (samples/wikinews-fr/wikinews-fr-sample.jsonl, 60 articles) and the dev gold's
inputs (`../shared/eval/score.py inputs ../shared/eval/dev`, 9 articles; left out, with a note, when ../shared
is absent). Each tree runs `python -m vigie analyze --workers 1` with PYTHONPATH=<tree>/src first, so that it
wins over the editable install in the venv; the script checks that `vigie.__file__` really lies in that tree.

Prints "identical" (exit 0) or, per article, the first differing fields (exit 1).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import REPO, shared_dir  # noqa: E402

SAMPLE = REPO / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"


def inputs(tmp: Path, only: str | None) -> tuple[dict[str, Path], list[str]]:
    """{set name: input file}, notes about sets left out."""
    sets: dict[str, Path] = {}
    notes: list[str] = []
    if only in (None, "sample"):
        sets["sample"] = SAMPLE
    if only in (None, "dev"):
        score_py, gold = shared_dir() / "eval" / "score.py", shared_dir() / "eval" / "dev"
        if score_py.exists() and gold.exists():
            dev = tmp / "dev-inputs.jsonl"
            with dev.open("w", encoding="utf-8") as fh:
                subprocess.run([sys.executable, str(score_py), "inputs", str(gold)], stdout=fh, check=True)
            sets["dev"] = dev
        else:
            notes.append(f"dev gold left out: {gold} not found")
    return sets, notes


def export_rev(rev: str, dest: Path) -> Path:
    """A clean copy of commit `rev`'s tracked files in dest (git archive: no worktree, index or ref is touched)."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=REPO,
                         capture_output=True, text=True, check=True).stdout.strip()
    tar = dest.parent / f"{dest.name}.tar"
    with tar.open("wb") as fh:
        subprocess.run(["git", "archive", "--format=tar", sha], cwd=REPO, stdout=fh, check=True)
    dest.mkdir(parents=True)
    with tarfile.open(tar) as tf:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 / 3.11.4
            tf.extractall(dest, filter="data")
        else:
            tf.extractall(dest)  # our own commit's archive
    tar.unlink()
    print(f"base: {rev} = {sha[:12]}, copied to {dest}")
    return dest


def run_tree(tree: Path, sets: dict[str, Path], out: Path, workdir: Path) -> None:
    """Analyse every set with the vigie of `tree`/src; records in out/<set>.jsonl."""
    src = (tree / "src").resolve()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(src)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    # cwd outside any checkout, so that nothing but PYTHONPATH decides which vigie is imported
    where = subprocess.run([sys.executable, "-c", "import vigie; print(vigie.__file__)"], env=env, cwd=workdir,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to(src):
        sys.exit(f"same_records: {tree} is not the tree imported: vigie comes from {where}")
    print(f"  vigie imported from {where}")
    out.mkdir(parents=True, exist_ok=True)
    for name, path in sets.items():
        proc = subprocess.run(
            [sys.executable, "-m", "vigie", "analyze", "--workers", "1", str(path.resolve()),
             "-o", str((out / f"{name}.jsonl").resolve())],
            env=env, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            sys.exit(f"same_records: vigie analyze failed on {name} with the tree {tree} (exit {proc.returncode})")
        n = sum(1 for _ in (out / f"{name}.jsonl").open(encoding="utf-8"))
        print(f"  {name}: {n} records")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def short(v: object, n: int = 160) -> str:
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= n else s[: n - 3] + "..."


def diff(a: object, b: object, path: str, found: list[str], limit: int) -> None:
    """Append 'path: base -> head' lines for the first `limit` differences between a and b."""
    if len(found) >= limit or a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in b:
                found.append(f"{path}.{k}: only in base ({short(a[k])})")
            elif k not in a:
                found.append(f"{path}.{k}: only in head ({short(b[k])})")
            else:
                diff(a[k], b[k], f"{path}.{k}", found, limit)
            if len(found) >= limit:
                return
    elif isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            diff(x, y, f"{path}[{i}]", found, limit)
            if len(found) >= limit:
                return
        if len(a) != len(b):
            extra = a[len(b):] if len(a) > len(b) else b[len(a):]
            side = "base" if len(a) > len(b) else "head"
            found.append(f"{path}: {len(a)} items in base, {len(b)} in head; first extra in {side}: {short(extra[0])}")
    else:
        found.append(f"{path}: {short(a)} -> {short(b)}")


def compare(base: Path, head: Path, name: str, limit: int) -> int:
    """Print the differences of one set; return the number of differing articles (or 1 for a missing file)."""
    fb, fh = base / f"{name}.jsonl", head / f"{name}.jsonl"
    if not fb.exists():
        print(f"{name}: no base records ({fb} missing)")
        return 1
    a, b = load(fb), load(fh)
    ra, rb = {str(r.get("id")): r for r in a}, {str(r.get("id")): r for r in b}
    bad = 0
    for i in [i for i in ra if i not in rb]:
        print(f"{name} {i}: only in base")
        bad += 1
    for i in [i for i in rb if i not in ra]:
        print(f"{name} {i}: only in head")
        bad += 1
    for i in [i for i in ra if i in rb]:
        found: list[str] = []
        diff(ra[i], rb[i], "", found, limit)
        if found:
            bad += 1
            print(f"{name} {i}:")
            for f in found:
                print(f"    {f.lstrip('.')}")
    if not bad and [r.get("id") for r in a] != [r.get("id") for r in b]:
        print(f"{name}: same records, in a different order")
        bad = 1
    print(f"{name}: {len(ra)} base / {len(rb)} head records, " + (f"{bad} differ" if bad else "identical"))
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--base", help="a commit (copied with git archive) or a folder holding src/vigie")
    g.add_argument("--base-records", help="a folder of records saved with --save-base (sample.jsonl, dev.jsonl)")
    ap.add_argument("--head", default=str(REPO), help="the tree compared with the base (default this checkout)")
    ap.add_argument("--save-base", help="also keep the base records in this folder")
    ap.add_argument("--keep", help="also keep the head records in this folder")
    ap.add_argument("--only", choices=["sample", "dev"], help="one input set only")
    ap.add_argument("--max-diffs", type=int, default=3, help="differing fields shown per article")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="same_records.") as tmpname:
        tmp = Path(tmpname)
        sets, notes = inputs(tmp, args.only)
        for n in notes:
            print(n)
        if args.base_records:
            base_out = Path(args.base_records)
        else:
            base_tree = Path(args.base)
            if not (base_tree / "src" / "vigie").is_dir():
                base_tree = export_rev(args.base, tmp / "base-tree")
            base_out = Path(args.save_base) if args.save_base else tmp / "base"
            print(f"base tree {base_tree}:")
            run_tree(base_tree, sets, base_out, tmp)
        head_out = Path(args.keep) if args.keep else tmp / "head"
        print(f"head tree {Path(args.head).resolve()}:")
        run_tree(Path(args.head), sets, head_out, tmp)
        bad = sum(compare(base_out, head_out, name, args.max_diffs) for name in sets)
    print("identical" if not bad else f"DIFFERENT: {bad} article(s) or set(s) differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
