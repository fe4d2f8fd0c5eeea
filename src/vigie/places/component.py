"""Places: spaCy component `vigie_places` (toponyms found in the Doc, resolved offline with vigie.places).

Detection is in vigie.places.detect; resolution (candidates, context, "none") in vigie.places.resolve. This
module glues them, marks the article's main location and gives the event coder its place:

- `annotate_places(doc)` stores plain dicts in `doc._.places` (text offsets, name, country, kind, lat/lon,
  geonames_id, main, confidence);
- `places_from_doc(doc, text, published)` turns them into `vigie.records.Place`;
- `main_location(places)` and `place_for_span(places, start, end, sentence_start, sentence_end)`.

Main location rule: the most specific place the article puts up front. Each resolved place (name, country)
is weighted by its mentions: 3 in the first sentence (the title or dateline), 2 elsewhere in the first
quarter of the text, 1 further on. The best city, region or feature wins when it weighs at least
MAIN_MIN_WEIGHT (it is named up front or more than once), else the best country; ties go to the earliest.
"""
from __future__ import annotations

import contextlib
import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from vigie.language.demonyms import NO_COUNTRY, demonym_table
from vigie.nlp.extensions import GuardedComponent
from vigie.places.detect import find_mentions
from vigie.places.index import load_index
from vigie.places.resolve import Query, resolve_document
from vigie.records import Place

EXTRACTOR = "vigie-places"
_WORD = re.compile(r"\w+")
FIRST_SENTENCE_WEIGHT = 3.0
FIRST_QUARTER_WEIGHT = 2.0
LATER_WEIGHT = 1.0
MAIN_MIN_WEIGHT = 2.0  # a city/region must be named up front, or twice, to be the main location
# Confidence of a kept mention that resolved to nothing (a LOC entity a generic noun announces: "le village
# de Xyz"); other unresolved LOC entities are dropped.
UNRESOLVED_CONFIDENCE = 0.4


def _country_hints(doc: Doc) -> list[str]:
    """Countries of the demonyms in the document, once each ("kazakh", "pakistanaise")."""
    table = demonym_table()
    seen = {table[w] for w in set(_WORD.findall(doc.text.lower())) if w in table}
    return sorted(cc for cc in seen if cc and cc != NO_COUNTRY)


def annotate_places(doc: Doc) -> None:
    """Find and resolve toponyms in `doc` and store them as plain dicts in `doc._.places`."""
    if not len(doc):
        doc._.places = []
        return
    index = load_index()
    mentions = find_mentions(doc, index)
    lang = "fr" if doc.lang_ == "fr" else "en"
    queries = [Query(doc[m.name_start:m.name_end].text, m.kind_hint, m.prep_hint) for m in mentions]
    results = resolve_document(queries, lang=lang, country_hints=_country_hints(doc), index=index)
    out: list[dict[str, Any]] = []
    for m, r in zip(mentions, results, strict=False):
        span = doc[m.start:m.end]
        if r is None:
            if m.source != "ner" or not m.kind_hint:
                continue  # a LOC entity no generic noun supports ("Occident", a shrine's name): not reported
            out.append(_as_dict(span.start_char, span.end_char, None, None, m.kind_hint, None, None, None,
                                UNRESOLVED_CONFIDENCE))
            continue
        kind = r.kind
        if m.kind_hint in ("admin", "city") and kind in ("admin", "city"):
            kind = m.kind_hint  # "gouvernorat de X" when only the city X is known
        elif m.kind_hint is not None and m.kind_hint != kind:
            span = doc[m.name_start:m.name_end]  # "la capitale du Bénin", "un État des Caraïbes": the name alone
        out.append(_as_dict(span.start_char, span.end_char, r.name, r.country, kind, r.lat, r.lon, r.geonames_id,
                            r.confidence))
    _mark_main(doc, out)
    doc._.places = out


def _as_dict(start, end, name, country, kind, lat, lon, gid, conf) -> dict[str, Any]:
    return {
        "start": start, "end": end, "name": name, "country": country, "kind": kind,
        "lat": None if lat is None else round(lat, 4), "lon": None if lon is None else round(lon, 4),
        "geonames_id": gid, "main": False, "confidence": conf,
    }


def _mark_main(doc: Doc, places: list[dict[str, Any]]) -> None:
    if not places:
        return
    first_end = _first_sentence_end(doc)
    quarter = len(doc.text) / 4
    weight: dict[tuple, float] = {}
    first_at: dict[tuple, int] = {}
    for p in places:
        if p["name"] is None:
            continue
        key = (p["name"], p["country"], p["kind"] == "country")
        w = FIRST_SENTENCE_WEIGHT if p["start"] < first_end else FIRST_QUARTER_WEIGHT if p["start"] < quarter else LATER_WEIGHT
        weight[key] = weight.get(key, 0.0) + w
        first_at.setdefault(key, p["start"])
    main = _pick(weight, first_at, countries=False)
    if main is None or weight[main] < MAIN_MIN_WEIGHT:
        main = _pick(weight, first_at, countries=True) or main
    if main is None:
        return
    for p in places:
        if (p["name"], p["country"], p["kind"] == "country") == main:
            p["main"] = True


def _first_sentence_end(doc: Doc) -> int:
    """End (characters) of the first sentence, or of the first line when no sentence is marked."""
    for tok in doc[1:]:
        if tok.is_sent_start:
            return tok.idx
        if "\n" in tok.text:
            return tok.idx
    return len(doc.text)


def _pick(weight: dict[tuple, float], first_at: dict[tuple, int], countries: bool) -> tuple | None:
    keys = [k for k in weight if k[2] == countries]
    return max(keys, key=lambda k: (weight[k], -first_at[k])) if keys else None


@Language.factory("vigie_places", requires=["token.is_sent_start"], assigns=["doc._.places"])
def make_places(nlp: Language, name: str) -> GuardedComponent:
    # Load (or build, the first time) the gazetteer index now, so spaCy's forked workers share it.
    # On failure the component records it on each Doc instead of breaking the load.
    with contextlib.suppress(Exception):
        load_index()
    return GuardedComponent(name, annotate_places)


def places_from_doc(doc: Doc, text: str, published: str | None) -> list[Place]:
    """Model records from `doc._.places`; offsets into `text` (the cleaned article, same length as doc.text)."""
    out = []
    for p in doc._.places or []:
        out.append(
            Place(
                text=text[p["start"]:p["end"]], start=p["start"], end=p["end"], name=p["name"],
                country=p["country"], kind=p["kind"], lat=p["lat"], lon=p["lon"], geonames_id=p["geonames_id"],
                main=bool(p["main"]), extractor=EXTRACTOR, confidence=p["confidence"],
            )
        )
    return out


def _get(p: Place | dict[str, Any], field: str) -> Any:
    return p.get(field) if isinstance(p, dict) else getattr(p, field)


def main_location(places: list[Place] | list[dict[str, Any]]) -> Place | dict[str, Any] | None:
    """The first mention of the article's main location, or None."""
    return next((p for p in places if _get(p, "main") and _get(p, "name")), None)


def place_for_span(
    places: list[Place] | list[dict[str, Any]], start: int, end: int, sentence_start: int, sentence_end: int
) -> Place | dict[str, Any] | None:
    """The place of an event whose trigger spans [start, end) in the sentence [sentence_start, sentence_end).

    A resolved place in the sentence, cities/regions/features before countries, the nearest to the trigger
    first; else the article's main location; else None. Returns the item as given (Place or dict).
    """
    in_sentence = [
        p for p in places
        if _get(p, "name") and sentence_start <= _get(p, "start") and _get(p, "end") <= sentence_end
    ]
    if in_sentence:
        def rank(p):
            s, e = _get(p, "start"), _get(p, "end")
            distance = s - end if s >= end else start - e if e <= start else 0
            return (_get(p, "kind") == "country", distance)

        return min(in_sentence, key=rank)
    return main_location(places)


__all__ = ["annotate_places", "main_location", "make_places", "place_for_span", "places_from_doc"]
