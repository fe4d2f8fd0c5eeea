"""Countries for event actors and places: ISO alpha-3 codes, French names, gazetteer lookups and the article's
dominant country (the places module's main place, else the country its title, lead and demonyms name most).
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc

from vigie.entities.gazetteer import gazetteer_entries
from vigie.entities.gazetteer import lookup as gazetteer_lookup
from vigie.language.demonyms import demonym_country
from vigie.lexicons import read_rows

# Mentions of a country in the title and lead count this many times when choosing the dominant country.
LEAD_WEIGHT = 2


@lru_cache(maxsize=1)
def _alpha3() -> dict[str, str]:
    return {row.cells[0]: row.cells[1] for row in read_rows("iso3166_alpha3.tsv")}


def alpha3(alpha2: str | None) -> str | None:
    """ISO 3166-1 alpha-3 of an alpha-2 code ("KZ" -> "KAZ")."""
    return _alpha3().get(alpha2.upper()) if alpha2 else None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    out: dict[str, str] = {}
    for e in gazetteer_entries():
        if e.kind == "country" and e.country:
            out.setdefault(e.country, e.name)
    return out


def country_name(alpha2: str | None) -> str | None:
    """The French name of a country ("RU" -> "Russie")."""
    return _country_names().get(alpha2.upper()) if alpha2 else None


def place_country(name: str) -> tuple[str | None, str | None]:
    """(alpha-2, kind) of a place name from the gazetteer, or (None, None)."""
    e = gazetteer_lookup(name)
    if e is None or e.label != "LOC":
        return None, None
    return e.country, e.kind


def dominant_country(doc: Doc) -> str | None:
    """The article's main country (alpha-2): the places module's main place, else the most named country."""
    places = doc._.places or []
    counts: Counter[str] = Counter()
    for p in places:
        c = p.get("country") if isinstance(p, dict) else None
        if c:
            if p.get("main"):
                return c
            counts[c] += 1
    if not counts:
        lead_end = _lead_end(doc)
        for ent in doc.ents:
            if ent.label_ == "LOC":
                c, _ = place_country(ent.text)
                if c:
                    counts[c] += LEAD_WEIGHT if ent.start < lead_end else 1
        for tok in doc:
            if tok.pos_ in ("ADJ", "NOUN", "VERB") and tok.text[:1].islower() or tok.pos_ == "PROPN":
                c = demonym_country(tok.text) if tok.ent_type_ != "LOC" else None
                if c:
                    counts[c] += LEAD_WEIGHT if tok.i < lead_end else 1
    return counts.most_common(1)[0][0] if counts else None


def _lead_end(doc: Doc) -> int:
    """Token index after the article's first two sentences (title and lead weigh more)."""
    for k, sent in enumerate(doc.sents):
        if k == 1:
            return sent.end
    return len(doc)
