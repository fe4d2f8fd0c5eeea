"""The story-clustering sets of bench/stories.py: texts and gold stories from ../shared, analysed by vigie once.

- winer-stories-fr: 1,191 French Wikinews articles (texts: winer-fr/derived/winer-fr.jsonl.gz) with gold story
  labels (winer-stories-fr/winer-stories-fr.jsonl); split by year: tune = 2016, report = 2017-2018.
- ecbplus-en: 982 English ECB+ documents in 43 topics x 2 sub-topics (the gold stories); tune = topics 1-20,
  report = the others. ECB+ has no publication dates (published stays None), and its documents carry format
  cues (date and time lines, "First Published: ...") that separate the two sub-topics of a topic: a line among the
  first three that is only a date or a time is dropped before the analysis (the copy here already lacks the URL line).

The analysed records (vigie's contract JSON, read back with `vigie.stories.records.from_record`) are cached in
bench/.cache/ (ignored by git), keyed by the inputs: `--reanalyse` runs the analysis again after a change to vigie.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from _shared import REPO, require

CACHE = REPO / "bench" / ".cache"


@dataclass(frozen=True, slots=True)
class Item:
    """One input article: its text and metadata, its gold story and split."""

    id: str
    text: str
    title: str | None
    published: str | None
    source: str | None
    gold: str
    split: str  # tune | report
    group: str = ""  # ECB+ topic (for the within-topic figures)


def winer_items() -> list[Item]:
    gold_path = require("data", "winer-stories-fr", "winer-stories-fr.jsonl")
    texts_path = require("data", "winer-fr", "derived", "winer-fr.jsonl.gz")
    gold = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[row["id"]] = row["story"]
    items = []
    with gzip.open(texts_path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["id"] not in gold:
                continue
            split = "tune" if row["date"].startswith("2016") else "report"
            items.append(Item(row["id"], row["text"], row.get("title"), row["date"], "fr.wikinews.org",
                              gold[row["id"]], split))
    return items


# A date or time line of the ECB+ documents: "May 2, 2013, 1: 12 PM", "First Published: June 13, 2013 4: 59 PM EDT",
# "14 June 2013", "Updated 4: 08 p. m. ET", "05 / 02 / 2013", "Fri., May. 3, 2013 11: 45 AM PDT".
_MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|"
           "september|october|november|december")
_DAYS = "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DATE_WORD = re.compile(
    rf"^(?:{_MONTHS}|{_DAYS}|\d{{1,4}}(?:st|nd|rd|th)?|a|p|am|pm|m|et|edt|est|pdt|pst|cdt|cst|gmt|bst|utc|ist|"
    r"first|published|posted|updated|last|on|at|by|of|the|and|-|\|)$"
)
_DATE_HINT = re.compile(rf"\b(?:{_MONTHS})\b|\d{{1,2}}\s*:\s*\d\d|\b(?:19|20)\d\d\b", re.IGNORECASE)


def is_date_line(line: str) -> bool:
    """A line that says only when (a date, a time, "Updated ...", "First Published: ...")."""
    words = [w for w in re.split(r"[\s,.:;/()]+", line.lower()) if w]
    if not words or len(words) > 14 or not _DATE_HINT.search(line):
        return False
    return all(_DATE_WORD.match(w) for w in words)


def without_date_lines(text: str) -> str:
    lines = text.split("\n")
    head = [ln for ln in lines[:3] if not is_date_line(ln)]
    return "\n".join(head + lines[3:])


def ecb_items() -> list[Item]:
    path = require("data", "ecbplus-en", "docs.jsonl.gz")
    items = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            split = "tune" if int(row["topic"]) <= 20 else "report"
            items.append(Item(row["id"], without_date_lines(row["text"]), None, None, None, row["subtopic"], split,
                              row["topic"]))
    return items


def _key(name: str, items: list[Item]) -> str:
    h = hashlib.sha256()
    for it in items:
        h.update(json.dumps([it.id, it.text, it.title, it.published, it.source]).encode())
    return f"{name}-{h.hexdigest()[:16]}"


def analysed(name: str, items: list[Item], reanalyse: bool = False, workers: int = 2) -> dict[str, dict[str, Any]]:
    """id -> the analysis record (contract JSON) of each item, from the cache or from vigie's pipeline."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{_key(name, items)}.jsonl.gz"
    if path.exists() and not reanalyse:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return {r["id"]: r for r in map(json.loads, fh)}
    from vigie.contract import to_record
    from vigie.pipeline import RunOptions, analyze_articles
    from vigie.records import Article, ArticleError

    articles = [Article(id=it.id, raw=it.text, origin=f"{name}:{it.id}", title=it.title, published=it.published,
                        source=it.source, id_given=True) for it in items]
    t0 = time.perf_counter()
    out: dict[str, dict[str, Any]] = {}
    errors = 0
    for item in analyze_articles(articles, RunOptions(workers=workers)):
        if isinstance(item, ArticleError):
            errors += 1
            continue
        if isinstance(item, Article):
            rec = to_record(item)
            if name.startswith("ecb"):
                rec["published"] = None  # ECB+ has no dates: a dateline the analysis found stays out
            out[item.id] = rec
    print(f"analysed {name}: {len(out)} articles, {errors} errors, {time.perf_counter() - t0:.0f} s -> {path}")
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        for rec in out.values():
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return out


def load_sets(reanalyse: bool = False) -> dict[str, tuple[list[Item], dict[str, dict[str, Any]]]]:
    """name -> (items, analysed records) for both sets."""
    out = {}
    for name, items in (("winer-stories-fr", winer_items()), ("ecbplus-en", ecb_items())):
        out[name] = (items, analysed(name, items, reanalyse))
    return out


if __name__ == "__main__":
    for name, (items, recs) in load_sets().items():
        print(name, len(items), len(recs))
