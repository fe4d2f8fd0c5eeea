"""Toponym resolution: rank a name's gazetteer candidates with the document's context.

A candidate's score adds (weights are named constants below, calibrated with bench/geo.py on the English
given-toponym sets and the French dev gold):
- prominence: log10 of its population (curated regions and features count as a large place), a bonus for
  countries, curated regions and features, and national capitals;
- name match: the name is an official or usual name of the entry in the document's language rather than one of
  GeoNames' alternate names;
- hints from the words around the mention: a generic noun ("province du Sind", "la ville de ...") and French
  prepositions ("à Québec" is the city, "au Québec" the province);
- context: the countries the document's other places and demonyms point to, and the admin1 areas (states,
  provinces) it names ("Paris" in a text about Texas).
A document is resolved in three passes: without context; with the evidence of the first pass's clear winners;
then again with the evidence of the second pass (so "Georgia" can turn into the US state once "Atlanta" and
"Gainesville" have voted, and the Gainesville of Georgia win in turn). A mention is no evidence for itself.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from vigie.language.demonyms import demonym_country
from vigie.language.names import fold
from vigie.lexicons import word_class, word_pairs
from vigie.places.index import GeoIndex, load_index
from vigie.places.sources import KINDS, TAG_EN, TAG_FR, resource_text

# --- weights (calibrated with bench/geo.py: GeoWebNews/LGL/TR-News accuracy within 161 km, dev country accuracy)
W_POP = 1.0  # per decade of population
DEFAULT_REGION_POP = 1_000_000  # curated regions and features carry no population
KIND_BONUS = {"country": 2.5, "admin": 1.5, "other": 1.5, "city": 0.0}
CAPITAL_BONUS = 1.0  # national capitals: "Londres", "Washington" are the capitals in news
LANG_NAME_BONUS = 1.0  # the name is an official name in the document's language (CLDR, curated names)
OTHER_LANG_NAME_BONUS = 0.5  # official in the other language ("Mexico" is the country in English only)
HINT_BONUS = 3.0  # the kind a generic noun announces ("gouvernorat de", "la ville de")
PREP_BONUS = 1.0  # French prepositions: "à Québec" names a city, "au Québec" / "en Floride" a region
DEMONYM_SCORE_BONUS = 1.0  # "Canadian" as a toponym is Canada rather than the town of Canadian, Texas
# A region that shares its name with a city of its country of at least this population is, named alone, the
# city ("Alep", "Idleb", "Donetsk"); "gouvernorat d'Idleb" / "province de Kandahar" name the region.
SAME_NAME_CITY_POP = 20_000
SAME_NAME_ALT_CITY_POP = 100_000  # when the shared name is only an alternate name of the city ("Idleb")
SHADOWED_REGION_PENALTY = 4.5  # beats the curated region's own-language name bonus
CTX_COUNTRY = 2.5  # times the candidate country's share of the document's evidence (relative to the top one)
CTX_ADMIN = 2.5  # the document names the candidate's admin1 area, or other places in it
# Evidence a resolved mention lends its country, by kind: direct country mentions weigh most. Scaled by how
# clearly it won (margin over other countries' candidates / ANCHOR_MARGIN, at most 1).
EVIDENCE = {"country": 1.0, "admin": 0.8, "city": 0.6, "other": 0.4}
ANCHOR_MARGIN = 1.5
DEMONYM_EVIDENCE = 0.5
# Upper-case short forms ("EU", "NYC") name countries, regions or organisations, not towns ("Eu", Normandy).
ACRONYM_MAX_LEN = 4
# A town of under this population that only one of its GeoNames alternate names links to the query is kept
# only when the document names its admin1 area or other places in it (otherwise the answer is "none").
WEAK_ALT_POP = 50_000
# Suffixes a gazetteer name may lack: "Laurel County" -> "Laurel" (an admin area), "Idlib Governorate".
ADMIN_SUFFIXES = (" county", " parish", " district", " province", " governorate", " region", " oblast", " state")

_LEADING_ARTICLES = ("la ", "le ", "les ", "l ", "the ")
_CITY = KINDS.index("city")
_COUNTRY = KINDS.index("country")


@dataclass(frozen=True, slots=True)
class Resolution:
    """The gazetteer entry a toponym resolves to."""

    entry: int
    name: str
    country: str | None
    kind: str
    lat: float | None
    lon: float | None
    geonames_id: int | None
    admin1: str
    score: float
    confidence: float


@dataclass(frozen=True, slots=True)
class Query:
    """A toponym to resolve: its surface form and what the words around it say."""

    text: str
    kind_hint: str | None = None  # country | admin | city | other, from a generic noun ("province du Sind")
    prep_hint: str | None = None  # "city" after "à", "region" after "en" / "au" / "aux"


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """"Calif." -> "California" (exact, case and dots as written)."""
    out = {}
    for line in resource_text("place_abbreviations.tsv").splitlines():
        if line.strip() and not line.startswith("#"):
            abbr, _, full = line.partition("\t")
            out[abbr.strip()] = full.strip()
    return out


def candidate_ids(index: GeoIndex, name: str) -> tuple[int, ...]:
    """Packed candidates (entry * 4 + name tags) of a surface name."""
    name = abbreviations().get(name.strip(), name)
    key = fold(name)
    found = index.names.get(key)
    if not found:
        for art in _LEADING_ARTICLES:
            if key.startswith(art) and index.names.get(key[len(art):]):
                found = index.names[key[len(art):]]
                break
    if not found:
        return ()
    stripped = name.strip()
    if stripped.isupper() and len(stripped.replace(".", "")) <= ACRONYM_MAX_LEN:
        found = tuple(p for p in found if index.kind[p >> 2] != _CITY)
    return found


def _suffix_fallback(name: str) -> str | None:
    low = name.lower()
    for suf in ADMIN_SUFFIXES:
        if low.endswith(suf) and len(name) > len(suf) + 2:
            return name[: -len(suf)]
    for pre in STATE_PREFIXES:
        if low.startswith(pre) and len(name) > len(pre) + 2:
            return name[len(pre):]
    return None


# Official-style prefixes of country names: "Republic of Armenia", "république islamique du Pakistan".
STATE_PREFIXES = ("republic of the ", "republic of ", "kingdom of ", "state of ", "commonwealth of ",
                  "république de ", "république du ", "république d'", "royaume de ", "royaume du ")
# Peoples of continents and regions, for geoparsing sets that count them as toponyms ("European").
REGION_DEMONYMS = word_pairs("place_words_en.tsv", "region_demonym")


def _base_scores(index: GeoIndex, packed: Iterable[int], lang: str, q: Query, hint: str | None) -> list[tuple[int, float]]:
    own = TAG_FR if lang == "fr" else TAG_EN
    packed = tuple(packed)
    # countries where a city officially bears the name: a same-name region there is shadowed when named alone
    city_countries = {
        index.country[p >> 2]
        for p in packed
        if index.kind[p >> 2] == _CITY
        and index.population[p >> 2] >= (SAME_NAME_CITY_POP if p & 3 else SAME_NAME_ALT_CITY_POP)
    }
    out = []
    for p in packed:
        i, tags = p >> 2, p & 3
        kind = index.kind_of(i)
        pop = index.population[i] if kind == "city" else max(index.population[i], DEFAULT_REGION_POP)
        s = W_POP * math.log10(pop + 10) + KIND_BONUS[kind] + CAPITAL_BONUS * index.capital[i]
        if tags & own:
            s += LANG_NAME_BONUS
        elif tags:
            s += OTHER_LANG_NAME_BONUS
        if hint is not None and hint == kind:
            s += HINT_BONUS
        elif kind == "admin" and hint is None and q.prep_hint != "region" and index.country[i] in city_countries:
            s -= SHADOWED_REGION_PENALTY
        if q.prep_hint is not None and (q.prep_hint == "city") == (kind == "city"):
            s += PREP_BONUS
        out.append((i, s))
    return out


def _weak(index: GeoIndex, q: Query) -> set[int]:
    """Candidates that only an alternate name of a small town links to the query ("Occident" is an old name
    of Maxwell, Iowa): they win only when the document names places of the same state or province."""
    return {
        p >> 2 for p in candidate_ids(index, q.text)
        if not p & 3 and index.kind[p >> 2] == _CITY and index.population[p >> 2] < WEAK_ALT_POP
    }


def _candidates(index: GeoIndex, q: Query, lang: str, demonyms: bool) -> list[tuple[int, float]]:
    packed = candidate_ids(index, q.text)
    hint = q.kind_hint
    if not packed:
        short = _suffix_fallback(q.text)
        if short:
            packed, hint = candidate_ids(index, short), hint or "admin"
    scored = _base_scores(index, packed, lang, q, hint) if packed else []
    if demonyms and not scored and fold(q.text) in REGION_DEMONYMS:
        region = REGION_DEMONYMS[fold(q.text)]
        scored = _base_scores(index, candidate_ids(index, region), lang, Query(region), None)
    if demonyms:
        cc = demonym_country(q.text)
        i = index.country_entry.get(cc or "")
        if i is not None:
            s = _base_scores(index, (i * 4,), lang, q, hint)[0][1] + DEMONYM_SCORE_BONUS
            scored = [c for c in scored if c[0] != i] + [(i, s)]
    return scored


def _winner(scored: list[tuple[int, float]], index: GeoIndex) -> tuple[int, float, float]:
    """(entry, score, margin over the best candidate of another country)."""
    best_i, best_s = max(scored, key=lambda t: t[1])
    cc = index.country[best_i]
    rival = max((s for i, s in scored if index.country[i] != cc), default=None)
    return best_i, best_s, (best_s - rival) if rival is not None else 10.0


class _Evidence:
    """Countries and admin1 areas the document's mentions and demonyms point to."""

    def __init__(self) -> None:
        self.country: dict[str, float] = defaultdict(float)
        self.admin1: dict[tuple[str, str], float] = defaultdict(float)


def _contribution(index: GeoIndex, i: int, margin: float) -> tuple[str, str, float] | None:
    cc = index.country[i]
    if not cc:
        return None
    w = EVIDENCE[index.kind_of(i)] * min(1.0, max(margin, 0.0) / ANCHOR_MARGIN)
    if w <= 0:
        return None
    admin1 = index.admin1[i] if index.kind[i] != _COUNTRY else ""
    return cc, admin1, w


def _collect(index: GeoIndex, winners: list[tuple[int, float, float] | None], keys: list[str], hints: Iterable[str]):
    """The document's evidence, and each name's own share of it (every mention of the name together: four
    mentions of "Parkland" must not vote for the Parkland they chose)."""
    ev = _Evidence()
    own: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for win, key in zip(winners, keys, strict=False):
        contrib = _contribution(index, win[0], win[2]) if win is not None else None
        if contrib is not None:
            own[key].append(contrib)
            cc, a1, w = contrib
            ev.country[cc] += w
            if a1:
                ev.admin1[(cc, a1)] += w
    for cc in hints:
        ev.country[cc] += DEMONYM_EVIDENCE
    return ev, own


def _rescore(index: GeoIndex, cands: list[tuple[int, float]], ev: _Evidence, mine) -> list[tuple[int, float]]:
    country_ev, admin_ev = ev.country, ev.admin1
    if mine:  # a name is no evidence for itself
        country_ev, admin_ev = dict(country_ev), dict(admin_ev)
        for cc, a1, w in mine:
            country_ev[cc] -= w
            if a1:
                admin_ev[(cc, a1)] -= w
    top = max(country_ev.values(), default=0.0)
    out = []
    for i, s in cands:
        cc = index.country[i]
        if top > 1e-9 and cc:
            s += CTX_COUNTRY * max(country_ev.get(cc, 0.0), 0.0) / top
        if index.kind[i] != _COUNTRY and admin_ev.get((cc, index.admin1[i]), 0.0) > 1e-9:
            s += CTX_ADMIN
        out.append((i, s))
    return out


def resolve_document(
    queries: Sequence[Query | str],
    lang: str = "fr",
    country_hints: Iterable[str] = (),
    index: GeoIndex | None = None,
    demonyms: bool = False,
    fallback: bool = False,
) -> list[Resolution | None]:
    """Resolve every toponym of one document together; None where nothing fits.

    `country_hints`: country codes the document points to otherwise (demonyms, the source's country), one per
    occurrence. With `demonyms`, a query that is a demonym ("Irish") may resolve to its country (geoparsing
    sets count demonyms as toponyms; vigie's detection never sends one).
    """
    index = index or load_index()
    hints = list(country_hints)
    qs = [q if isinstance(q, Query) else Query(q) for q in queries]
    keys = [fold(q.text) for q in qs]
    scored = [_candidates(index, q, lang, demonyms) for q in qs]
    winners = [_winner(c, index) if c else None for c in scored]
    for _ in range(2):
        ev, own = _collect(index, winners, keys, hints)
        winners = [_winner(_rescore(index, c, ev, own.get(k)), index) if c else None for c, k in zip(scored, keys, strict=False)]
    ev, own = _collect(index, winners, keys, hints)
    for k, (q, w) in enumerate(zip(qs, winners, strict=False)):
        if w is not None and w[0] in _weak(index, q):
            area = (index.country[w[0]], index.admin1[w[0]])
            support = ev.admin1.get(area, 0.0) - sum(x[2] for x in own.get(keys[k], ()) if (x[0], x[1]) == area)
            if support <= 1e-9:
                winners[k] = None
    out = [_resolution(index, w[0], w[1], w[2], q.text, lang) if w is not None else None for q, w in zip(qs, winners, strict=False)]
    if fallback:
        _fill_unresolved(index, qs, out, winners, lang)
    return out


# Words of facility and organisation names that are not place names ("Colorado State University").
_GENERIC_WORDS = word_class("place_words_en.tsv", "generic_word") | word_class("place_words_fr.tsv", "generic_word")
EMBEDDED_MIN_POP = 50_000  # a place named inside a longer name must be well known ("Dubai World Cup")
FALLBACK_CONFIDENCE = 0.3


def _fill_unresolved(index: GeoIndex, qs: list[Query], out: list, winners: list, lang: str) -> None:
    """Geocoding fallbacks for names outside the gazetteer: a well-known place named inside the name
    ("University of California" -> California), else the document's focus (its most supported place)."""
    support: dict[int, float] = defaultdict(float)
    for w in winners:
        if w is not None:
            support[w[0]] += 2.0 if index.kind[w[0]] != _COUNTRY else 1.0
    focus = max(support, key=support.__getitem__) if support else None
    for k, q in enumerate(qs):
        if out[k] is not None:
            continue
        words = [w for w in q.text.replace("-", " ").split()]
        best = None
        for n in range(len(words) - 1, 0, -1):
            for start in range(0, len(words) - n + 1):
                part = words[start : start + n]
                if all(fold(w) in _GENERIC_WORDS for w in part):
                    continue
                cands = [
                    (i, s) for i, s in _base_scores(index, candidate_ids(index, " ".join(part)), lang, Query(" ".join(part)), None)
                    if index.kind[i] != _CITY or index.population[i] >= EMBEDDED_MIN_POP
                ]
                if cands:
                    best = max(cands, key=lambda t: t[1])
                    break
            if best:
                break
        if best is not None:
            out[k] = _resolution(index, best[0], best[1], 0.0, q.text, lang)
        elif focus is not None:
            out[k] = _resolution(index, focus, 0.0, 0.0, q.text, lang)
        else:
            continue
        out[k] = _replace_confidence(out[k], FALLBACK_CONFIDENCE)


def _replace_confidence(r: Resolution, confidence: float) -> Resolution:
    from dataclasses import replace

    return replace(r, confidence=confidence)


def resolve(name: str, lang: str = "fr", context: Sequence[str] = (), index: GeoIndex | None = None) -> Resolution | None:
    """Resolve one name, with the document's other toponyms as context."""
    return resolve_document([name, *context], lang=lang, index=index)[0]


def _strip_article(text: str) -> str:
    low = text.lower()
    for art in ("la ", "le ", "les ", "l'", "l’", "the "):
        if low.startswith(art) and len(text) > len(art):
            return text[len(art):]
    return text


def _display_name(index: GeoIndex, i: int, surface: str, lang: str) -> str:
    """The place's canonical name, whatever the article's language: its usual French name when the gazetteer
    knows one (CLDR country names, curated regions, French names of large cities: "Kiev" for "Kyiv", "Russie"
    for "Russia", "mer Rouge" for "Red Sea"), so one place has one name in every article; else, in French
    text, the form the article uses (a GeoNames alternate name: "Kharkov"), in English text the GeoNames name.
    The article's own form stays on the mention (`Place.text`)."""
    french = index.name_fr[i]
    if french:
        return french
    if lang == "fr":
        return _strip_article(surface)
    return index.name[i]


def _resolution(index: GeoIndex, i: int, score: float, margin: float, surface: str, lang: str) -> Resolution:
    lat, lon = index.lat[i], index.lon[i]
    return Resolution(
        entry=i,
        name=_display_name(index, i, surface, lang),
        country=index.country[i] or None,
        kind=index.kind_of(i),
        lat=None if math.isnan(lat) else round(lat, 4),
        lon=None if math.isnan(lon) else round(lon, 4),
        geonames_id=index.geonames_id[i] or None,
        admin1=index.admin1[i],
        score=round(score, 3),
        confidence=round(0.5 + 0.45 * (1 - math.exp(-max(margin, 0.0))), 3),
    )
