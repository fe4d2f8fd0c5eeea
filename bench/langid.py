#!/usr/bin/env python3
"""Language identification (`vigie.steps.langid`) on the labelled sets of ../shared and the bundled sample.

Every set goes through the real readers and steps (read -> clean_step -> langid_step), so the text judged is
the cleaned text the NLP step would get, and the declared language is what the readers keep
(`meta["language_declared"]`: `<html lang>`/`og:locale` of a page, `lang`/`language` of a JSONL line):

  polnear-test   the 84 PolNeAR test articles (data/test/text/*.txt, plain text, no declared language): en
  polnear-dev    the 84 dev articles: en            polnear-train   the 840 train articles: en
  fundus-html    the 67 fundus-news pages through the HTML reader (trafilatura): fr/ pages fr, the others en
  fundus-raw     the same pages' `raw_text` (the naive whole-page dump: menus, cookie and paywall notices)
                 as JSONL text, no declared language: a harder, boilerplate-heavy input
  wikinews-fr    samples/wikinews-fr (the bundled sample, in the repository): fr
  winer-fr       the 1,191 WiNER-fr articles (derived/winer-fr.jsonl.gz): fr

Per set: articles, how many got the expected language, how the language was decided (meta
`language_from`: detector / vote / declared / none), the lowest confidence (`language_score`), and each
article that missed. `--text-only` drops the declared language before the step, to show what the text
alone decides. `--short` also cuts every labelled article to its first line (the headline) and to its first
two (headline and lede) and counts the right language with no declared language, with the right one declared
and with the wrong one (en <-> fr: a site template's language) declared. Exits 1 when an article of a set misses its language, 0 otherwise; without ../shared only
the bundled sample is measured ("skipped: ..." is printed for the rest).

usage: bench/langid.py [--text-only] [--short] [--show N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import REPO, shared_dir  # noqa: E402
from vigie.ingest import read_inputs  # noqa: E402
from vigie.ingest.html import read_html  # noqa: E402
from vigie.ingest.jsonl import parse_record  # noqa: E402
from vigie.records import Article, ArticleError  # noqa: E402
from vigie.steps.clean import clean_step  # noqa: E402
from vigie.steps.langid import langid_step  # noqa: E402

Loaded = list[tuple[str, Article | ArticleError]]  # (expected language, what the reader gave)


def _files(folder: Path, expected: str) -> Loaded:
    return [(expected, a) for a in read_inputs([str(folder)], published="2000-01-01")]


def polnear(split: str) -> Callable[[Path], Loaded]:
    return lambda shared: _files(shared / "data" / "polnear-en" / "original" / "data" / split / "text", "en")


def _fundus_pages(shared: Path) -> list[dict]:
    pages: list[dict] = []
    for part in sorted((shared / "data" / "fundus-news" / "derived").glob("*.part*.jsonl.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            pages += [json.loads(line) for line in fh if line.strip()]
    return pages


def _fundus_expected(page: dict) -> str:
    return "fr" if page["id"].startswith("fr/") else "en"  # fr/ = Le Monde, Le Figaro, Les Echos, Euronews FR


def fundus_html(shared: Path) -> Loaded:
    return [
        (_fundus_expected(p), read_html(p["html"], origin=p["id"], meta={}, default_published=None))
        for p in _fundus_pages(shared)
    ]


def fundus_raw(shared: Path) -> Loaded:
    return [
        (
            _fundus_expected(p),
            parse_record({"id": p["id"], "text": p["raw_text"], "url": p["url"]}, origin=p["id"], meta={},
                         default_published=None),
        )
        for p in _fundus_pages(shared)
    ]


def winer(shared: Path) -> Loaded:
    return _files(shared / "data" / "winer-fr" / "derived" / "winer-fr.jsonl.gz", "fr")


SETS: list[tuple[str, tuple[str, ...], Callable[[Path], Loaded]]] = [
    ("polnear-test", ("data", "polnear-en"), polnear("test")),
    ("polnear-dev", ("data", "polnear-en"), polnear("dev")),
    ("polnear-train", ("data", "polnear-en"), polnear("train")),
    ("fundus-html", ("data", "fundus-news"), fundus_html),
    ("fundus-raw", ("data", "fundus-news"), fundus_raw),
    ("wikinews-fr", (), lambda _: _files(REPO / "samples" / "wikinews-fr", "fr")),
    ("winer-fr", ("data", "winer-fr"), winer),
]


def short_cuts(name: str, done: list[tuple[str, Article]]) -> None:
    """Headline-only and headline+lede cuts of a set, decided with no, the right and a wrong declared language."""
    from vigie.language.identify import identify

    other = {"en": "fr", "fr": "en"}
    for lines in (1, 2):
        right: Counter[str] = Counter()
        for expected, art in done:
            cut = "\n".join([line for line in art.text.splitlines() if line.strip()][:lines])
            for case, declared in (("none", None), ("right", expected), ("wrong", other[expected])):
                right[case] += identify(cut, declared).language == expected
        label = "headline" if lines == 1 else "headline+lede"
        print(f"    {name} {label:13s} right with declared none {right['none']}/{len(done)}, right "
              f"{right['right']}/{len(done)}, wrong {right['wrong']}/{len(done)}")


def measure(name: str, loaded: Loaded, *, text_only: bool, show: int, short: bool = False) -> bool:
    """Print one set's line (and its misses); True when every article got its expected language."""
    expected = {id(a): e for e, a in loaded}
    items: Iterable[Article | ArticleError] = (a for _, a in loaded)
    if text_only:
        items = list(items)
        for a in items:
            if isinstance(a, Article):
                a.meta.pop("language_declared", None)
    t0 = time.perf_counter()
    cleaned = list(clean_step(items))
    t1 = time.perf_counter()
    done = list(langid_step(cleaned))
    seconds = time.perf_counter() - t1
    articles = [a for a in done if isinstance(a, Article)]
    errors = len(done) - len(articles)
    right = [a for a in articles if a.language == expected.get(id(a))]
    missed = [a for a in articles if a.language != expected.get(id(a))]
    how = Counter(str(a.meta.get("language_from", "-")) for a in articles)
    by_expected = Counter(expected.get(id(a)) for a in articles)
    lowest = min((a.language_score or 0.0 for a in articles), default=0.0)
    declared = [a for a in articles if a.meta.get("language_declared")]
    declared_right = sum(a.meta["language_declared"] == expected.get(id(a)) for a in declared)
    print(
        f"{name:14s} {len(right):5d}/{len(articles):<5d} as expected "
        f"({', '.join(f'{k} {v}' for k, v in sorted(by_expected.items()))})"
        f"  from: {', '.join(f'{k} {v}' for k, v in sorted(how.items()))}"
        f"  declared {declared_right}/{len(declared)} right"
        f"  lowest score {lowest:.3f}  errors {errors}"
        f"  {1000 * seconds / max(1, len(articles)):.2f} ms/article (clean {t1 - t0:.1f} s)"
    )
    for a in missed[:show]:
        detail = a.meta.get("language_detector")
        print(
            f"    MISS {a.origin or a.id}: expected {expected.get(id(a))}, got {a.language} "
            f"({a.language_score}, from {a.meta.get('language_from', '-')}"
            f"{', detector ' + json.dumps(detail) if detail else ''}; declared "
            f"{a.meta.get('language_declared', '-')}) {(a.text or a.raw)[:90]!r}"
        )
    if short:
        short_cuts(name, [(expected[id(a)], a) for a in articles])
    return not missed and not errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--text-only", action="store_true", help="drop the declared language: the text alone decides")
    ap.add_argument("--short", action="store_true", help="also headline and headline+lede cuts, declared or not")
    ap.add_argument("--show", type=int, default=20, help="misses printed per set")
    args = ap.parse_args()
    shared = shared_dir()
    ok = True
    for name, needs, load in SETS:
        if needs and not shared.joinpath(*needs).exists():
            print(f"{name:14s} skipped: {shared.joinpath(*needs)} not found (the benchmarks read ../shared when present)")
            continue
        ok &= measure(name, load(shared), text_only=args.text_only, show=args.show, short=args.short)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
