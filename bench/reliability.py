#!/usr/bin/env python3
"""Reliability figures: hostile inputs, a kill -9 and resume cycle, a rerun on a complete database, and search
while one huge article is stored, each through the real command line (`python -m vigie`) in subprocesses.

1. hostile: a folder of bad inputs (binary, empty, over the size limit, UTF-16, mojibake, broken HTML,
   a truncated gzip, a feed, a WARC, JSONL lines with a 5,000-digit number, 100,000 brackets, a lone
   surrogate, an array, plus texts built to be slow: unbalanced guillemets, 20,000 numbers, 30,000 x
   "selon", random punctuation) among good articles: every input ends as an article or an error with a
   reason, and the run ends (no traceback, no hang).
2. resume: N WiNER-fr articles (500 by default) ingested once from scratch (timed); then into a second
   database with a kill -9 of `vigie ingest` after a third of them, a rerun, and a comparison of every
   stored record with the first database; then a rerun on the complete database (timed: the skip).
3. search: one ~1M-character article plus the bundled sample served by `vigie serve`; the latency of
   `/api/search?q=a*`, then /api/stats timed while 44 such searches run at once (loopback only).

usage: bench/reliability.py [--articles 500] [--workers 2] [--phases hostile,resume,search]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import REPO, require  # noqa: E402

SAMPLE = REPO / "samples" / "wikinews-fr" / "wikinews-fr-sample.jsonl"
ARTICLE = (
    "Le président kazakh Kassym-Jomart Tokaïev a annoncé mercredi à Almaty le retrait des troupes de "
    "l'Organisation du traité de sécurité collective (OTSC), « mission accomplie », a-t-il déclaré.\n"
    "Quelque 2.000 hommes avaient été déployés la semaine dernière, selon Moscou.\n"
)


def vigie(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "vigie", *args], capture_output=True, text=True, env=env,
                          cwd=REPO, **kwargs)


def count(db: str) -> int:
    from vigie.store import open_store

    try:
        with open_store(db) as store:
            return store.count_articles()
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def records(db: str) -> dict:
    from vigie.store import open_store

    out = {}
    with open_store(db) as store:
        for art in store.iter_articles():
            full = store.get_article(art["id"])
            for key in ("ingested_at", "updated_at", "seq"):
                full.pop(key, None)
            out[art["id"]] = full
    return out


# ---------------------------------------------------------------------------------------------- hostile


def hostile_corpus(folder: Path) -> int:
    """Write the hostile inputs into `folder`; returns how many inputs (files and JSONL lines) it holds."""
    rnd = random.Random(7)
    files = {
        "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
        "empty.txt": b"",
        "huge.txt": ("Un paragraphe. " * 400_000).encode(),  # 6 MB: over the 5 MB limit
        "utf16.txt": ("\ufeff" + ARTICLE).encode("utf-16-le"),
        "mojibake.txt": ARTICLE.encode("utf-8").decode("latin-1").encode("utf-8"),
        "broken.html": b"<html><head><title>x</title><body><div><p>Le texte <b>coup\xe9 <script>",
        "truncated.txt.gz": gzip.compress(ARTICLE.encode() * 50)[:300],
        "feed.xml": b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    b"<item><title>a</title><link>http://example.org/a</link></item></channel></rss>",
        "archive.warc": b"WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n",
        "guillemets.txt": ("« Il a dit " * 5000 + ARTICLE).encode(),
        "numbers.txt": (" ".join(str(rnd.randint(1, 10**6)) for _ in range(20_000)) + "\n" + ARTICLE).encode(),
        "selon.txt": ("selon " * 30_000 + "\n" + ARTICLE).encode(),
        "punctuation.txt": "".join(rnd.choice("«»“”\"'()[]{}.,;:!?-–—…/\\") for _ in range(200_000)).encode(),
        "good.txt": ARTICLE.encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    lines = [
        json.dumps({"id": "ok-1", "text": ARTICLE, "published": "2022-01-12"}),
        '{"id": "n", "text": "x", "n": ' + "9" * 5000 + "}",
        "[" * 100_000,
        '{"id": "s", "text": "\\ud800 surrogate ' + ARTICLE.replace('"', "'").replace("\n", " ") + '"}',
        "[1, 2, 3]",
        '{"text": 12}',
        json.dumps({"id": "ok-2", "text": ARTICLE.replace("mercredi", "jeudi"), "published": "2022-01-13"}),
    ]
    (folder / "lines.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(files) + len(lines)


def phase_hostile(workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        n_inputs = hostile_corpus(folder)
        db = str(Path(tmp) / "h.db")
        t0 = time.perf_counter()
        res = vigie("ingest", str(folder), "--db", db, "--workers", str(workers), timeout=1800)
        seconds = time.perf_counter() - t0
        from vigie.store import open_store

        with open_store(db) as store:
            stored = store.count_articles()
            errors = store.list_errors(limit=100)
        found = re.search(r"already stored\s*│\s*(\d+)", res.stderr)
        repeats = int(found.group(1)) if found else 0
        print(f"hostile: {n_inputs} inputs -> {stored} articles + {repeats} repeats of a stored input + "
              f"{len(errors)} errors in {seconds:.1f} s, exit {res.returncode}, "
              f"traceback: {'yes' if 'Traceback' in res.stderr else 'no'}")
        for e in sorted(errors, key=lambda e: e["origin"]):
            print(f"  {Path(e['origin']).name:28} {e['stage']:6} {e['reason'][:90]}")


# ---------------------------------------------------------------------------------------------- resume


def phase_resume(n_articles: int, workers: int) -> None:
    src = require("data", "winer-fr", "derived", "winer-fr.jsonl.gz")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        with gzip.open(src, "rt", encoding="utf-8") as fh, path.open("w", encoding="utf-8") as out:
            for i, line in enumerate(fh):
                if i >= n_articles:
                    break
                out.write(line)
        clean_db, resumed_db = str(Path(tmp) / "clean.db"), str(Path(tmp) / "resumed.db")
        args = ["--workers", str(workers)]
        t0 = time.perf_counter()
        first = vigie("ingest", str(path), "--db", clean_db, *args, timeout=3600)
        first_s = time.perf_counter() - t0
        assert first.returncode == 0, first.stderr[-2000:]
        print(f"resume: first run of {n_articles} articles: {first_s:.1f} s ({count(clean_db)} stored)")

        t0 = time.perf_counter()
        again = vigie("ingest", str(path), "--db", clean_db, *args, timeout=3600)
        again_s = time.perf_counter() - t0
        print(f"resume: rerun on the complete database: {again_s:.2f} s = {100 * again_s / first_s:.1f}% of the "
              f"first run (exit {again.returncode})")

        env = {**os.environ, "COLUMNS": "200"}
        proc = subprocess.Popen([sys.executable, "-m", "vigie", "ingest", str(path), "--db", resumed_db, *args],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
        target = n_articles // 3
        workers_seen: set[int] = set()
        while count(resumed_db) < target and proc.poll() is None:
            workers_seen.update(_children(proc.pid))
            time.sleep(0.05)
        proc.kill()
        proc.wait()
        killed_at = count(resumed_db)
        time.sleep(2)
        orphans = [p for p in workers_seen if _alive(p)]
        t0 = time.perf_counter()
        rerun = vigie("ingest", str(path), "--db", resumed_db, *args, timeout=3600)
        rerun_s = time.perf_counter() - t0
        same = records(resumed_db) == records(clean_db)
        print(f"resume: kill -9 at {killed_at} stored, {len(workers_seen)} workers, {len(orphans)} left alive; "
              f"rerun {rerun_s:.1f} s (exit {rerun.returncode}) -> {count(resumed_db)} articles, "
              f"records identical to the clean run: {same}")


def _children(pid: int) -> list[int]:
    """The NLP workers of process `pid` (multiprocessing's resource tracker is not one)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid and \
                        b"spawn_main" in (entry / "cmdline").read_bytes():
                    out.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------- search


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 300.0) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        resp.read()
    return time.perf_counter() - t0


def phase_search(workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "s.db")
        paragraphs = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
        texts = [json.loads(line)["text"] for line in paragraphs]
        big, i = [], 0
        while sum(map(len, big)) < 990_000:
            big.append(texts[i % len(texts)])
            i += 1
        huge = Path(tmp) / "huge.jsonl"
        huge.write_text(json.dumps({"id": "huge", "title": "huge", "text": "\n\n".join(big)[:990_000],
                                    "published": "2022-01-12", "source": "bench"}) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        res = vigie("ingest", str(SAMPLE), str(huge), "--db", db, "--workers", str(workers), timeout=3600)
        print(f"search: stored the sample + a {len(''.join(big)[:990_000]):,}-char article in "
              f"{time.perf_counter() - t0:.1f} s (exit {res.returncode})")
        port = _free_port()
        env = {**os.environ}
        server = subprocess.Popen([sys.executable, "-m", "vigie", "serve", "--db", db, "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(base + "/api/stats", 2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            times = [_get(base + "/api/search?q=a*") for _ in range(10)]
            print(f"search: /api/search?q=a* median {1000 * statistics.median(times):.0f} ms, "
                  f"max {1000 * max(times):.0f} ms (10 requests)")
            searches: list[float] = []
            threads = [threading.Thread(target=lambda: searches.append(_get(base + "/api/search?q=a*")))
                       for _ in range(44)]
            for t in threads:
                t.start()
            stats_s = _get(base + "/api/stats")
            for t in threads:
                t.join(600)
            print(f"search: /api/stats answered in {1000 * stats_s:.0f} ms while 44 searches ran "
                  f"(searches: median {1000 * statistics.median(searches):.0f} ms, max {1000 * max(searches):.0f} ms)")
        finally:
            server.terminate()
            server.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--phases", default="hostile,resume,search")
    args = ap.parse_args()
    phases = args.phases.split(",")
    if "hostile" in phases:
        phase_hostile(args.workers)
    if "resume" in phases:
        phase_resume(args.articles, args.workers)
    if "search" in phases:
        phase_search(args.workers)


if __name__ == "__main__":
    main()
