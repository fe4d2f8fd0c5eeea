"""GDELT-GKG-like TSV: one row per article in the 27 columns of the GDELT Global Knowledge Graph 2.1, with
GKG's in-cell delimiters, so tools written for GKG files can read vigie's output.

Column names are those of the GKG 2.1 table in GDELT's BigQuery dataset (the raw files have no header; this
export writes one). Cells follow the GKG 2.1 codebook's layouts; what vigie does not produce stays empty
(V2Tone, GCAM, images and embeds). Offsets are character offsets into the article's cleaned text.

- GKGRECORDID: ``<DATE>-<n>`` (n counts the rows of this export); DATE: publication day as YYYYMMDDHHMMSS
  (the ingestion day when unknown); SourceCollectionIdentifier: 1 (web) with the URL as DocumentIdentifier,
  or 2 (citation only) with vigie's origin when there is no URL; SourceCommonName: the site or publisher.
- Counts ``TYPE#number#object#loctype#name#country#adm1#lat#lon#featureid`` joined by ``;`` and V2Counts (the
  same plus ``#offset``): quantities with a role GKG counts (killed KILL, injured WOUND, arrested ARREST,
  participants PROTEST, ...), located at the article's main place.
- Themes / V2Themes: ``PLOVER_<TYPE>`` of the events that happened (V2: ``theme,offset``).
- Locations ``loctype#name#country#adm1#lat#lon#featureid`` and V2Locations
  (``loctype#name#country#adm1#adm2#lat#lon#featureid#offset``): resolved places; loctype 1 country,
  2 US state, 3 US city, 4 world city, 5 world state; country is ISO alpha-2 (GKG uses FIPS 10-4), the
  feature id is the GeoNames id.
- Persons / Organizations (V1: distinct canonical names; V2: ``name,offset`` per mention), AllNames
  (``name,offset`` for every entity mention).
- Dates: ``resolution#month#day#year#offset`` (4 full date, 2 month and year, 1 year only) for resolved dates.
- Quotations: ``offset|length|verb|quote`` blocks joined by ``#``; Amounts: ``amount,object,offset;``.
- TranslationInfo: ``srclc:<ISO 639-2>`` for articles not in English; Extras:
  ``<PAGE_TITLE>...</PAGE_TITLE><VIGIE_ID>...</VIGIE_ID>``.

Like GKG files, cells are never quoted: read them with quoting off (pandas ``quoting=csv.QUOTE_NONE``,
DuckDB ``quote=''``). Delimiter characters inside names and quotes become spaces. A cell a spreadsheet
would run as a formula (a name or source starting with = + - @) gets a leading apostrophe
(`guard_formula`), except Amounts, whose first field is a number (a negative amount stays a number).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from vigie.export.common import guard_formula, one_line, open_output
from vigie.export.polecat import EXCLUDED_CONTEXTS
from vigie.store.base import Store

COLUMNS = [
    "GKGRECORDID", "DATE", "SourceCollectionIdentifier", "SourceCommonName", "DocumentIdentifier",
    "Counts", "V2Counts", "Themes", "V2Themes", "Locations", "V2Locations", "Persons", "V2Persons",
    "Organizations", "V2Organizations", "V2Tone", "Dates", "GCAM", "SharingImage", "RelatedImages",
    "SocialImageEmbeds", "SocialVideoEmbeds", "Quotations", "AllNames", "Amounts", "TranslationInfo", "Extras",
]  # fmt: skip

#: vigie quantity roles -> GKG count types.
COUNT_TYPES = {
    "killed": "KILL", "injured": "WOUND", "arrested": "ARREST", "participants": "PROTEST",
    "kidnapped": "KIDNAP", "displaced": "DISPLACED", "evacuated": "EVACUATION", "refugees": "REFUGEES",
    "affected": "AFFECT", "sick": "SICKENED", "seized": "SEIZE",
}  # fmt: skip

#: ISO 639-1 -> ISO 639-2 codes for TranslationInfo (the languages vigie reads).
LANGUAGE_CODES = {"fr": "fra", "en": "eng"}

#: Cells that start with a number vigie formats (GKG's amount): left unguarded, "-5,degré,40" is data.
_NUMBER_FIRST = frozenset({"Amounts"})

_RESERVED = re.compile(r"\s*[#;|,\t\r\n]+\s*")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _atom(value: Any) -> str:
    """A value inside a GKG cell: none of the delimiters # ; | , tab or line break."""
    return _RESERVED.sub(" ", one_line(value)).strip()


def _num(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _loc_type(place: dict[str, Any]) -> int:
    us = place.get("country") == "US"
    return {"country": 1, "admin": 2 if us else 5}.get(place.get("kind") or "", 3 if us else 4)


def _location_fields(place: dict[str, Any] | None) -> list[str]:
    """loctype, name, country, adm1, lat, lon, featureid of a resolved place (V1 layout)."""
    if not place:
        return [""] * 7
    return [
        str(_loc_type(place)), _atom(place.get("name")), _atom(place.get("country")), "",
        _num(place.get("lat")), _num(place.get("lon")), _num(place.get("geonames_id")),
    ]  # fmt: skip


def _date_block(value: str | None, offset: int) -> str | None:
    value = (value or "").split("/")[0]  # a range is dated by its first day
    if m := _DAY.match(value):
        return f"4#{int(m[2])}#{int(m[3])}#{m[1]}#{offset}"
    if m := _MONTH.match(value):
        return f"2#{int(m[2])}#0#{m[1]}#{offset}"
    if m := _YEAR.match(value):
        return f"1#0#0#{m[1]}#{offset}"
    return None  # weeks and unresolved expressions have no GKG resolution


def gkg_row(article: dict[str, Any], n: int) -> list[str]:
    day = (article.get("published") or article.get("ingested_at") or "")[:10]
    date = day.replace("-", "") + "000000" if _DAY.match(day) else ""
    places = [p for p in article.get("places", []) if p.get("name")]
    main = next((p for p in places if p.get("main")), places[0] if places else None)

    counts, v2counts = [], []
    for q in article.get("quantities", []):
        kind = COUNT_TYPES.get(q.get("role") or "")
        number = q.get("value") if q.get("value") is not None else q.get("low")
        if kind and number is not None:
            block = "#".join([kind, _num(number), _atom(q.get("unit")), *_location_fields(main)])
            counts.append(block)
            v2counts.append(f"{block}#{q['start']}")

    happened = [e for e in article.get("events", []) if not EXCLUDED_CONTEXTS.intersection(e.get("context") or [])]
    entities = article.get("entities", [])

    def names(label: str) -> tuple[str, str]:
        mentions = [e for e in entities if e["label"] == label]
        v1 = ";".join(dict.fromkeys(_atom(e["canonical"]) for e in mentions))
        return v1, ";".join(f"{_atom(e['canonical'])},{e['start']}" for e in mentions)

    persons, v2persons = names("PER")
    orgs, v2orgs = names("ORG")
    values = {
        "GKGRECORDID": f"{date or 'undated'}-{n}",
        "DATE": date,
        "SourceCollectionIdentifier": "1" if article.get("url") else "2",
        "SourceCommonName": _atom(article.get("source")),
        "DocumentIdentifier": one_line(article.get("url") or article.get("origin") or article["id"]),
        "Counts": ";".join(counts),
        "V2Counts": ";".join(v2counts),
        "Themes": ";".join(dict.fromkeys(f"PLOVER_{e['type']}" for e in happened)),
        "V2Themes": ";".join(f"PLOVER_{e['type']},{e['start']}" for e in happened),
        "Locations": ";".join(dict.fromkeys("#".join(_location_fields(p)) for p in places)),
        "V2Locations": ";".join(
            "#".join([*_location_fields(p)[:4], "", *_location_fields(p)[4:], str(p["start"])]) for p in places
        ),
        "Persons": persons,
        "V2Persons": v2persons,
        "Organizations": orgs,
        "V2Organizations": v2orgs,
        "Dates": ";".join(
            b for d in article.get("dates", []) if (b := _date_block(d.get("value"), d["start"])) is not None
        ),
        "Quotations": "#".join(
            f"{q['start']}|{q['end'] - q['start']}|{_atom(q.get('cue'))}|{_atom(q.get('text'))}"
            for q in article.get("quotes", [])
        ),
        "AllNames": ";".join(f"{_atom(e['canonical'])},{e['start']}" for e in entities),
        "Amounts": ";".join(
            f"{_num(q['value'] if q.get('value') is not None else q.get('low'))},{_atom(q.get('unit'))},{q['start']}"
            for q in article.get("quantities", [])
            if q.get("value") is not None or q.get("low") is not None
        ),
        "TranslationInfo": (
            f"srclc:{LANGUAGE_CODES.get(article['language'], article['language'])}"
            if article.get("language") and article["language"] != "en"
            else ""
        ),
        "Extras": one_line(
            f"<PAGE_TITLE>{escape(article.get('title') or '')}</PAGE_TITLE><VIGIE_ID>{escape(article['id'])}</VIGIE_ID>"
        ),
    }
    cells = [values.get(col, "") for col in COLUMNS]
    return [cell if col in _NUMBER_FIRST else guard_formula(cell) for col, cell in zip(COLUMNS, cells, strict=True)]


def write_gkg(store: Store, out: str | Path) -> int:
    """Write one GKG-like row per article (streamed), after a header row. Returns the number of articles."""
    n = 0
    with open_output(out) as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for article in store.iter_articles():
            n += 1
            # every cell went through one_line/_atom (no tab or line break can split the row) and the formula
            # guard
            fh.write("\t".join(gkg_row(article, n)) + "\n")
    return n
