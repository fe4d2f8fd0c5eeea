#!/usr/bin/env python3
"""Near-duplicate detection (`vigie.dedup`) on a duplicate set built from real WiNER-fr texts.

The set (fixed seed; nothing is written to disk, ../shared is only read):

- originals: the 1,191 WiNER-fr articles (`winer-fr/derived/winer-fr.jsonl.gz`: headline on the first line,
  dateline, paragraphs), published on their WiNER date, source "fr.wikinews.org"; a quarter of them are
  wrapped in the chrome of one of the fictional sites below, as if crawled from a syndicating site;
- copies: for half of the originals of at least 60 words, one copy (a quarter of those get a second one),
  each re-wrapped in another site's chrome (header menu, share buttons, "Lire aussi : <another headline>",
  newsletter and follow calls, ads, copyright: realistic lines, see vigie/resources/boilerplate_rules.txt,
  some of which the cleaner does not catch, such as breadcrumbs and reading times) and changed by one recipe:
    chrome     only the other site's chrome (the original's removed);
    headline   a new headline (a prefix such as "VIDÉO.", the part after the colon, or a sentence start);
    byline     a byline and a publication line ("Par Claire Martin avec AFP", "Publié le ... à 10h32");
    truncated  only the first 30-70 % of the paragraphs, sometimes cut inside a sentence with "(...)";
    edited     light edits: about 2 % of the words reworded (a common word replaced by another common word of the
               text) and 1 % typos (two letters swapped, a letter dropped, accents lost; names included);
    reordered  the paragraphs after the first in another order;
    combined   headline + byline + edited + one of truncated / reordered;
  published 0 or 1 day after the original (one copy in ten has no date: compared with every article);
- negatives: every pair of different articles of one story of `winer-stories-fr` (the attack and its
  death toll, Tour de France stages, skating results in one template, two Eurovision semi-finals...): they
  share names, words and whole sentences and must NOT be duplicates. Every other pair of articles is a
  negative too. The script also deduplicates WiNER-fr's own 1,191 articles, which are all different, with and
  without the time window.

The articles are cleaned by vigie's real cleaning step (`vigie.steps.clean.clean_step`, each site a source,
so the repeated-line learner sees its chrome), put in publication order (ties shuffled) and deduplicated one by
one with `vigie.dedup.DedupIndex` as `vigie ingest` does. A duplicate and its original form a cluster; P/R/F1
are over the pairs of articles in one cluster (an original with its copies is the gold cluster). The WiNER
articles are split in two halves (seeded; an article's copies go with it, the articles of one story are spread over
both, so that each half has its templated look-alikes): `--tune` searches shingle size, content lines,
permutations, LSH bands, the containment threshold and the key-word share on the tune half and takes, among the
settings within 0.005 of the best F1 at P >= 0.98, the most conservative (highest containment threshold, then
key-word share); the report half only measures the defaults of `vigie.dedup.DedupConfig`, set from that choice.

Speed: 10,000 articles (the originals and further seeded copies of them, dates spread as in WiNER) through the
index (fingerprints, LSH queries, verification, insertion; cleaning excluded), then the same articles stored
in a SQLite store and the index rebuilt from it (the fingerprints read back, as a later `vigie ingest` does), and
rebuilt again with the fingerprints deleted (computed from the stored text, as for a store from before schema 5).

Overhead (`--overhead N`): `vigie ingest` of the first N WiNER-fr articles (a JSONL file, 2 workers, a new SQLite
database each time) by default and with `--no-dedup --no-stories --no-link-events`, alternately (the order swapped every round), best of `--repeat`
runs each.

usage: bench/dedup.py [--tune] [--seed 13] [--speed-articles 10000] [--overhead 1000 [--repeat 2]]
Exits 0 with "skipped" when ../shared is absent.
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import prf, require  # noqa: E402
from vigie.dedup import DedupConfig, DedupIndex, fingerprint_text  # noqa: E402
from vigie.records import Article  # noqa: E402
from vigie.steps.clean import clean_step  # noqa: E402

#: Fictional syndicating sites: header lines, footer lines, a byline style. Lines the cleaner removes (share,
#: follow, newsletter, "Lire aussi", ads, copyright) and some it keeps (breadcrumbs, reading times, menus).
SITES: dict[str, dict[str, list[str]]] = {
    "actu-monde.fr": {
        "header": ["Accueil > International > Europe", "Partager sur Facebook", "Partager sur Twitter",
                   "Temps de lecture : {n} min."],
        "footer": ["Lire aussi : {other}", "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité",
                   "Suivez-nous sur Twitter", "© Actu Monde {year}"],
    },
    "lequotidien-info.com": {
        "header": ["Menu", "Politique | Économie | Monde | Sport | Culture", "Publicité"],
        "footer": ["À lire aussi", "{other}", "Partager", "Tweeter", "Imprimer",
                   "Rejoignez-nous sur Telegram", "Comment pouvez-vous nous aider à vous tenir informés ?"],
    },
    "nouvelles24.net": {
        "header": ["Dernières nouvelles", "Monde", "Temps de lecture : {n} min"],
        "footer": ["Sur le même sujet", "{other}", "{other2}", "Réagir à cet article",
                   "Inscrivez-vous à notre lettre d'information quotidienne", "Tous droits réservés"],
    },
    "radio-info.fr": {
        "header": ["Écouter le direct", "International", "Partager cet article"],
        "footer": ["La rédaction vous conseille", "{other}", "Télécharger l'application",
                   "Suivez-nous sur Facebook, Twitter et Instagram"],
    },
    "hebdo-regions.fr": {
        "header": ["Accueil › Actualités › Monde", "Par la rédaction", "Publié le {pub}"],
        "footer": ["Lire la suite", "Vous aimerez aussi", "{other}", "Faire un don",
                   "Mentions légales | Contact | Cookies"],
    },
    "globe-express.com": {
        "header": ["Globe Express", "Rubrique : International", "Mis à jour le {pub}"],
        "footer": ["Cet article vous a plu ? Partagez-le !", "Lire aussi : {other}", "Newsletter",
                   "© Globe Express - reproduction interdite"],
    },
}
AUTHORS = ["Claire Martin", "Jean-Marc Leroy", "Sophie Durand", "Karim Benali", "Élodie Petit", "Thomas Nguyen"]
BYLINES = ["Par {a} avec AFP", "Par {a}", "{a}, envoyé spécial", "Par {a} et la rédaction"]
PUBLISHED = ["Publié le {d} à {h}h{m}", "Publié le {d} à {h}h{m}, mis à jour à {h2}h{m}", "Le {d} à {h}:{m}"]
HEADLINE_PREFIXES = ["VIDÉO. ", "INFO. ", "DIRECT - ", "ANALYSE - ", "EN IMAGES. ", "Actualité : "]
RECIPES = ["chrome", "headline", "byline", "truncated", "edited", "reordered", "combined"]
WIKINEWS = "fr.wikinews.org"


@dataclass
class Item:
    id: str
    raw: str
    published: str | None
    source: str
    group: str  # gold cluster: the original's id
    recipe: str  # "original" or the copy's recipe
    sort_key: tuple


# ------------------------------------------------------------------------------------------ the set


def _lines(text: str) -> tuple[str, list[str]]:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    return lines[0], lines[1:]


_DATELINE = re.compile(r"^\d{1,2}(?:er)? \w+ \d{4}\s*\.?\s*[–-]")


def _copied_lines(text: str) -> tuple[str, list[str]]:
    """Headline and paragraphs as a syndicating site copies them: without Wikinews's own "Sur le même sujet" block
    of related headlines (between that line and the dateline)."""
    title, body = _lines(text)
    if body and body[0].startswith("Sur le même sujet"):
        end = next((i for i, line in enumerate(body) if _DATELINE.match(line)), 0)
        body = body[end:]
    return title, body


def _fill(line: str, rng: random.Random, titles: list[str], published: str | None) -> str:
    d = date.fromisoformat(published) if published else date(2017, 1, 1)
    return line.format(
        n=rng.randint(2, 9), other=rng.choice(titles), other2=rng.choice(titles), year=d.year,
        pub=f"{d.strftime('%d/%m/%Y')} à {rng.randint(6, 22)}h{rng.randint(10, 59)}",
    )


def wrap(title: str, body: list[str], site: str, rng: random.Random, titles: list[str], published: str | None,
         byline: list[str] | None = None) -> str:
    chrome = SITES[site]
    head = [_fill(x, rng, titles, published) for x in chrome["header"]]
    foot = [_fill(x, rng, titles, published) for x in chrome["footer"]]
    return "\n".join(head + [title] + (byline or []) + body + foot) + "\n"


def new_headline(title: str, body: list[str], rng: random.Random) -> str:
    choice = rng.randrange(3)
    if choice == 0:
        return rng.choice(HEADLINE_PREFIXES) + title
    if choice == 1 and " : " in title:
        rest = title.split(" : ", 1)[1]
        return rest[:1].upper() + rest[1:]
    sentence = next((ln for ln in body if len(ln.split()) > 12), body[0] if body else title)
    return " ".join(sentence.split()[:9]).rstrip(",;:") + "..."


def byline_lines(published: str | None, rng: random.Random) -> list[str]:
    d = date.fromisoformat(published) if published else date(2017, 1, 1)
    author = rng.choice(AUTHORS)
    h, m = rng.randint(6, 22), rng.randint(10, 59)
    return [rng.choice(BYLINES).format(a=author),
            rng.choice(PUBLISHED).format(d=d.strftime("%d/%m/%Y"), h=h, m=m, h2=min(h + 2, 23))]


def truncate(body: list[str], rng: random.Random, min_words: int = 40) -> list[str]:
    """The first 30-70 % of the body's words (at least `min_words`: a teaser keeps its lead), cut at the end of a
    paragraph or, one time in two, inside it with "(...)"."""
    total = sum(len(line.split()) for line in body)
    target = max(min_words, round(total * rng.uniform(0.3, 0.7)))
    out, n = [], 0
    for line in body:
        words = line.split()
        if n + len(words) <= target:
            out.append(line)
            n += len(words)
            continue
        if n < min_words or rng.random() < 0.5:
            out.append(" ".join(words[: max(1, target - n)]) + " (...)")
        break
    return out


_WORD_RE = re.compile(r"[^\W\d_]{4,}")
_ALPHA_WORD = re.compile(r"[^\W\d_]+")  # words without digits: edits change words, not figures
_UNACCENT = str.maketrans("éèêàâîôûç", "eeeaaiouc")


def typo(word: str, rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0 and len(word) > 3:
        i = rng.randrange(len(word) - 1)
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1 and len(word) > 4:
        i = rng.randrange(len(word))
        return word[:i] + word[i + 1:]
    return word.translate(_UNACCENT) if word.translate(_UNACCENT) != word else word + "s"


def edit(body: list[str], rng: random.Random, substitute: float = 0.02, typos: float = 0.01) -> list[str]:
    """Light edits: about `substitute` of the words replaced by another common word of the text (a rewording:
    names and figures are not reworded) and `typos` of the words mistyped (names included)."""
    vocabulary = [w for line in body for w in _WORD_RE.findall(line) if w.islower()] or ["mot"]
    out = []
    for line in body:
        def change(m: re.Match[str]) -> str:
            word, r = m.group(0), rng.random()
            if r < substitute and word.islower():
                return rng.choice(vocabulary)
            if substitute <= r < substitute + typos:
                return typo(word, rng)
            return word

        out.append(_ALPHA_WORD.sub(change, line))
    return out


def reorder(body: list[str], rng: random.Random) -> list[str]:
    rest = body[1:]
    if len(rest) < 2:
        return body[::-1]
    shuffled = rest[:]
    while shuffled == rest:
        rng.shuffle(shuffled)
    return body[:1] + shuffled


def make_copy(art: dict, recipe: str, n: int, rng: random.Random, titles: list[str], avoid: str) -> Item:
    title, body = _copied_lines(art["text"])
    published: str | None = art["date"]
    if published and rng.random() < 0.5:
        published = (date.fromisoformat(published) + timedelta(days=1)).isoformat()
    if rng.random() < 0.1:
        published = None
    byline = None
    steps = {recipe}
    if recipe == "combined":
        steps = {"headline", "byline", "edited", rng.choice(["truncated", "reordered"])}
    if "headline" in steps:
        title = new_headline(title, body, rng)
    if "byline" in steps:
        byline = byline_lines(published, rng)
    if "edited" in steps:
        body = edit(body, rng)
    if "truncated" in steps:
        body = truncate(body, rng)
    if "reordered" in steps:
        body = reorder(body, rng)
    site = rng.choice([s for s in SITES if s != avoid])
    raw = wrap(title, body, site, rng, titles, published, byline)
    return Item(f"{art['id']}~{n}", raw, published, site, art["id"], recipe, (published or art["date"], rng.random()))


def build_set(articles: list[dict], rng: random.Random, titles: list[str], copy_share: float = 0.5) -> list[Item]:
    items: list[Item] = []
    for art in articles:
        site = WIKINEWS
        raw = art["text"]
        if rng.random() < 0.25:
            site = rng.choice(list(SITES))
            title, body = _lines(art["text"])
            raw = wrap(title, body, site, rng, titles, art["date"])
        items.append(Item(art["id"], raw, art["date"], site, art["id"], "original", (art["date"], rng.random())))
        if len(art["text"].split()) < 60 or rng.random() >= copy_share:
            continue
        n_copies = 2 if rng.random() < 0.25 else 1
        for n in range(n_copies):
            items.append(make_copy(art, rng.choice(RECIPES), n, rng, titles, site))
    items.sort(key=lambda it: it.sort_key)
    return items


def clean(items: list[Item]) -> list[Article]:
    arts = [Article(id=it.id, raw=it.raw, origin=it.id, source=it.source, published=it.published) for it in items]
    out = [a for a in clean_step(arts) if isinstance(a, Article)]
    if len(out) != len(arts):
        raise SystemExit(f"{len(arts) - len(out)} articles lost in cleaning")
    return out


# ------------------------------------------------------------------------------------------ scoring


_FINGERPRINTS: dict[str, dict[str, tuple]] = {}  # scheme -> article id -> (fingerprint, profile), for tuning


def run(articles: list[Article], config: DedupConfig) -> dict[str, str]:
    """Deduplicate in order, as `DedupIndex.process` does; returns article id -> id of its cluster's root.
    Fingerprints are computed once per scheme (the tuning grid changes the thresholds far more often)."""
    cached = _FINGERPRINTS.setdefault(config.scheme, {})
    index = DedupIndex(config)
    root: dict[str, str] = {}
    for a in articles:
        if a.id not in cached:
            cached[a.id] = fingerprint_text(a.text, config)
        fp, profile = cached[a.id]
        dup = index.check(a.id, a.published, fp, profile)
        if dup is None:
            index.add(a.id, a.published, fp, profile)
        root[a.id] = root.get(dup.of, dup.of) if dup else a.id
    return root


def pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for a, g in groups.items():
        members[g].append(a)
    return {tuple(sorted(p)) for m in members.values() for p in itertools.combinations(m, 2)}  # type: ignore[misc]


@dataclass
class Score:
    p: float
    r: float
    f1: float
    tp: int
    fp: int
    fn: int
    recall_by_recipe: dict[str, tuple[int, int]]
    story_pairs_merged: tuple[int, int]
    seconds: float


def score(articles: list[Article], items: list[Item], config: DedupConfig, stories: dict[str, str]) -> Score:
    t0 = time.perf_counter()
    root = run(articles, config)
    dt = time.perf_counter() - t0
    gold = pairs({it.id: it.group for it in items})
    pred = pairs(root)
    tp, fp, fn = len(gold & pred), len(pred - gold), len(gold - pred)
    p, r, f1 = prf(tp, fp, fn)
    recipe_of = {it.id: it.recipe for it in items}
    by_recipe: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a, b in gold:
        recipe = recipe_of[b] if recipe_of[a] == "original" else recipe_of[a]
        by_recipe[recipe][1] += 1
        by_recipe[recipe][0] += (a, b) in pred
    group_of = {it.id: it.group for it in items}
    story_pairs = {
        tuple(sorted((a, b)))
        for a, b in itertools.combinations([it.id for it in items if it.recipe == "original"], 2)
        if stories.get(a) == stories.get(b)
    }
    merged = sum(1 for a, b in story_pairs if root[a] == root[b] and group_of[a] != group_of[b])
    return Score(p, r, f1, tp, fp, fn, {k: (v[0], v[1]) for k, v in by_recipe.items()}, (merged, len(story_pairs)), dt)


def show(name: str, s: Score) -> None:
    print(f"{name}: P {s.p:.3f}  R {s.r:.3f}  F1 {s.f1:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn}; {s.seconds:.2f} s)")
    print("  recall by recipe: " + ", ".join(
        f"{k} {v[0]}/{v[1]}" for k, v in sorted(s.recall_by_recipe.items(), key=lambda kv: RECIPES.index(kv[0]))))
    print(f"  same-story pairs of different articles merged: {s.story_pairs_merged[0]} of {s.story_pairs_merged[1]}")


# ------------------------------------------------------------------------------------------ tuning


def tune(articles: list[Article], items: list[Item], stories: dict[str, str], base: DedupConfig) -> DedupConfig:
    rows = []
    grid = itertools.product(
        (3, 4, 5),  # shingle size
        (0, 8),  # min_line_words
        ((64, 32), (128, 64), (128, 32)),  # (permutations, bands)
        (0.5, 0.6, 0.7, 0.8),  # min_containment
        (0.0, 0.7, 0.8, 0.9),  # min_key_share
    )
    for shingle, line_words, (perm, bands), containment, key_share in grid:
        cfg = replace(base, shingle_size=shingle, min_line_words=line_words, num_perm=perm, bands=bands,
                      rows=perm // bands, min_containment=containment, min_key_share=key_share)
        rows.append((score(articles, items, cfg, stories), cfg))
    # The best F1 at P >= 0.98; among the settings within 0.005 of it, the most conservative one (highest
    # containment threshold, then key-word share: the widest margin against articles that are not copies), then the
    # best F1, then the fewest permutations (fastest).
    ok = [r for r in rows if r[0].p >= 0.98] or rows
    best_f1 = max(s.f1 for s, _ in ok)
    near_best = [r for r in ok if r[0].f1 >= best_f1 - 0.005]
    near_best.sort(key=lambda x: (x[1].min_containment, x[1].min_key_share, round(x[0].f1, 3), -x[1].num_perm,
                                  -x[1].bands), reverse=True)
    print(f"\ntuning (tune half, {len(rows)} settings): best F1 {best_f1:.3f} at P >= 0.98; {len(near_best)} settings "
          "within 0.005 of it, the most conservative first:")
    print("shingle lines perm bands x rows containment keys |    P     R     F1 | merged story pairs | s")
    for s, cfg in near_best[:15]:
        print(f"{cfg.shingle_size:7} {cfg.min_line_words:5} {cfg.num_perm:4} {cfg.bands:5} x {cfg.rows:<4} "
              f"{cfg.min_containment:11.2f} {cfg.min_key_share:4.1f} | {s.p:.3f} {s.r:.3f} {s.f1:.3f} | "
              f"{s.story_pairs_merged[0]:18} | {s.seconds:.2f}")
    return near_best[0][1]


# ------------------------------------------------------------------------------------------ speed


def distinct(winer: list[dict], config: DedupConfig) -> None:
    """WiNER-fr itself: 1,191 different articles (cleaned, in date order); every duplicate found is a false one."""
    ordered = sorted(winer, key=lambda a: (a["date"], a["id"]))
    arts = clean([Item(a["id"], a["text"], a["date"], WIKINEWS, a["id"], "original", ()) for a in ordered])
    found = []
    for window in (config.window_days, 100_000):
        index = DedupIndex(replace(config, window_days=window))
        found.append([(a.id, d.of) for a in arts if (d := index.process(a.id, a.text, a.published)[1])])
    print(f"\nWiNER-fr's own {len(arts):,} articles (all different): {len(found[0])} marked duplicates within "
          f"{config.window_days} days, {len(found[1])} without a window {found[1][:4]}")


def speed_set(winer: list[dict], n: int, rng: random.Random, titles: list[str]) -> list[Article]:
    items: list[Item] = []
    for art in winer:
        items.append(Item(art["id"], art["text"], art["date"], WIKINEWS, art["id"], "original", (art["date"], 0.0)))
    k = 0
    while len(items) < n:
        art = rng.choice(winer)
        items.append(make_copy(art, rng.choice(RECIPES), 100 + k, rng, titles, WIKINEWS))
        k += 1
    items.sort(key=lambda it: it.sort_key)
    return clean(items[:n])


def speed(articles: list[Article], config: DedupConfig) -> None:
    from vigie.store import SQLiteStore

    t0 = time.perf_counter()
    index = DedupIndex(config)
    results = [index.process(a.id, a.text, a.published) for a in articles]
    dt = time.perf_counter() - t0
    n_dup = sum(1 for _, d in results if d)
    print(f"\nspeed: {len(articles):,} articles deduplicated in {dt:.1f} s ({len(articles) / dt:,.0f}/s, "
          f"{n_dup:,} duplicates; goal < 30 s)")
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "dedup.db")
        for a, (fp, dup) in zip(articles, results, strict=True):
            a.fingerprint, a.duplicate = fp, dup
            a.language = "fr"
            store.upsert_article(a)
        t0 = time.perf_counter()
        rebuilt = DedupIndex(config, source=store)
        rebuilt._ensure_loaded(None)  # everything, as an undated article would
        dt_load = time.perf_counter() - t0
        print(f"index rebuilt from the store: {len(rebuilt):,} originals in {dt_load:.2f} s "
              f"({rebuilt.computed} fingerprints computed from stored text)")
        store.conn.execute("DELETE FROM fingerprints")  # as a store made before deduplication
        t0 = time.perf_counter()
        rebuilt = DedupIndex(config, source=store)
        rebuilt._ensure_loaded(None)
        dt_load = time.perf_counter() - t0
        print(f"the same without stored fingerprints (a store from before schema 5): {dt_load:.2f} s "
              f"({rebuilt.computed:,} computed from the stored text and saved)")
        store.close()


def overhead(winer: list[dict], n: int, repeat: int) -> None:
    """Wall and CPU time (the command and its worker processes) of `vigie ingest` over n articles with
    deduplication, stories and events across articles on (the default) and off. CPU time is the fairer measure on a
    shared machine."""
    import resource
    import subprocess

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every finished descendant: workers included
        return usage.ru_utime + usage.ru_stime

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "winer.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for a in winer[:n]:
                fh.write(json.dumps({"id": a["id"], "text": a["text"], "published": a["date"], "url": a["url"]},
                                    ensure_ascii=False) + "\n")
        wall: dict[str, list[float]] = {"dedup": [], "no-dedup": []}
        used: dict[str, list[float]] = {"dedup": [], "no-dedup": []}
        for i in range(repeat):
            for mode in ("dedup", "no-dedup") if i % 2 == 0 else ("no-dedup", "dedup"):
                db = Path(tmp) / f"{mode}-{i}.db"
                cmd = [sys.executable, "-m", "vigie", "ingest", str(src), "--db", str(db), "--workers", "2"]
                if mode == "no-dedup":  # none of issue 14's steps: deduplication, stories, events across articles
                    cmd += ["--no-dedup", "--no-stories", "--no-link-events"]
                t0, c0 = time.perf_counter(), cpu()
                run = subprocess.run(cmd, check=True, capture_output=True, text=True)
                wall[mode].append(time.perf_counter() - t0)
                used[mode].append(cpu() - c0)
                ends = [line.strip() for line in run.stderr.splitlines() if line.startswith(("stories:", "events:"))]
                if ends:
                    print(f"  run {i + 1}, {mode}: " + "; ".join(ends))
        print(f"\noverhead: vigie ingest of {n} WiNER-fr articles (2 workers, best of {repeat}), by default "
              "(deduplication, stories, events across articles) and with none of them:")
        for name, times in (("wall time", wall), ("CPU time (all processes)", used)):
            on, off = min(times["dedup"]), min(times["no-dedup"])
            print(f"  {name}: {on:.1f} s and {off:.1f} s: {100 * (on - off) / off:+.1f} % (goal < 10 %)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tune", action="store_true", help="search the settings on the tune half first")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--speed-articles", type=int, default=10_000)
    ap.add_argument("--overhead", type=int, default=0, metavar="N", help="time vigie ingest of N articles, dedup on/off")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    winer_path = require("data", "winer-fr", "derived", "winer-fr.jsonl.gz")
    stories_path = require("data", "winer-stories-fr", "winer-stories-fr.jsonl")
    with gzip.open(winer_path, "rt", encoding="utf-8") as fh:
        winer = [json.loads(line) for line in fh]
    stories = {}
    with open(stories_path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            stories[rec["id"]] = rec["story"]
    titles = [_lines(a["text"])[0] for a in winer]

    rng = random.Random(args.seed)
    order = [a["id"] for a in winer]
    rng.shuffle(order)
    half_of = {article_id: i % 2 for i, article_id in enumerate(order)}
    halves = [[a for a in winer if half_of[a["id"]] == h] for h in (0, 1)]
    sets = []
    for name, arts in zip(("tune", "report"), halves, strict=True):
        items = build_set(arts, rng, titles)
        cleaned = clean(items)
        counts = Counter(it.recipe for it in items)
        n_story_pairs = sum(
            1 for a, b in itertools.combinations([x["id"] for x in arts], 2) if stories[a] == stories[b]
        )
        print(f"{name} half: {counts['original']} originals, {len(items) - counts['original']} copies "
              f"({', '.join(f'{r} {counts[r]}' for r in RECIPES)}), {n_story_pairs} same-story pairs")
        sets.append((name, items, cleaned))

    config = DedupConfig()
    if args.tune:
        config = tune(sets[0][2], sets[0][1], stories, config)
        print(f"chosen: {config}")
    print(f"\nsettings: shingles of {config.shingle_size} words, {config.num_perm} permutations, LSH "
          f"{config.bands} bands x {config.rows} rows, containment >= {config.min_containment}, "
          f"window {config.window_days} days")
    for name, items, cleaned in sets:
        show(name, score(cleaned, items, config, stories))
    distinct(winer, config)
    if args.speed_articles:
        speed(speed_set(winer, args.speed_articles, random.Random(args.seed + 1), titles), config)
    if args.overhead:
        overhead(winer, args.overhead, args.repeat)


if __name__ == "__main__":
    main()
