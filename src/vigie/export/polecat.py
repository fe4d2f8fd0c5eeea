"""POLECAT-style TSV of events: the 40 columns of the POLECAT weekly files, in their order.

POLECAT (Halterman et al. 2023, "PLOVER and POLECAT: A New Political Event Ontology and Dataset") is
published on Harvard Dataverse as weekly tab-separated files whose header is `COLUMNS` below; that header
is quoted verbatim by public readers of those files (e.g. the Temporal Graph Benchmark's POLECAT loader and
Andreas Beger's notes on reading the files). How vigie fills each column:

- Event ID: ``<article id>-<event index>``; Event Date: the event's day (its date when day-level, else
  the publication day); Event Type / Event Mode: PLOVER type and mode;
- Event Intensity: the PLOVER score of the type and mode (PLOVER manual, Table 2.2, resources/plover_scores.tsv);
- Quad Code: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
  (PLOVER manual, Table 7.2); Contexts: vigie's context words joined by ``;`` (future, historical);
- Actor / Recipient Name: canonical source / target; ... Country: ISO alpha-3 (or IGO); Primary ... Sector
  and ... Sectors: the PLOVER sector; ... Name Raw: the same name; Title, COW and Wikipedia ID: empty;
- Placename: the event location; City / Province: the location when the place resolver made it a city /
  an administrative region; Country: ISO alpha-2 of the location (POLECAT's own coding may differ);
  Latitude, Longitude, GeoNames ID, Raw Placename (the words in the text), Feature Type (vigie's kind:
  country, admin, city, other) from the article's resolved place of that name; District: empty;
- Source: the article's site or publisher; Publication Date; Story People / Organizations / Locations: the
  article's distinct PER / ORG / LOC canonical names joined by ``;``; Language; Version: ``vigie <version>``.

Negated and hypothetical events (context) are left out, as in POLECAT, which codes what happened.
Cells never hold a tab or a line break; quoting follows RFC 4180 with a tab delimiter. Text cells a
spreadsheet would run as a formula get a leading apostrophe (`guard_formula`); numbers stay numbers.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from vigie import __version__
from vigie.events import plover
from vigie.export.common import event_day, guarded_line, names_by_label, open_output, place_for
from vigie.store.base import Store

COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type",
    "Source", "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version",
]  # fmt: skip

#: PLOVER quad categories (PLOVER manual, Table 7.2): `vigie.events.plover.QUAD_CODES`.
QUAD_CODES = plover.QUAD_CODES

#: Events with one of these context words did not happen: not exported.
EXCLUDED_CONTEXTS = frozenset({"negated", "hypothetical"})


#: (TYPE, mode) -> PLOVER score (manual, Table 2.2): `vigie.events.plover.scores`.
plover_scores = plover.scores
#: The score of a type and mode, the type's own when the mode has none: POLECAT's Event Intensity.
intensity = plover.score


def polecat_row(article: dict[str, Any], idx: int, event: dict[str, Any]) -> list[str]:
    place = place_for(article, event.get("location"))
    kind = place.get("kind") if place else None
    values = {
        "Event ID": f"{article['id']}-{idx}",
        "Event Date": event_day(event, article.get("published")),
        "Event Type": event["type"],
        "Event Mode": event.get("mode"),
        "Event Intensity": intensity(event["type"], event.get("mode")),
        "Quad Code": QUAD_CODES.get(event["type"]),
        "Contexts": ";".join(event.get("context") or []),
        "Placename": event.get("location"),
        "City": event.get("location") if kind == "city" else None,
        "Province": event.get("location") if kind == "admin" else None,
        "Country": event.get("location_country"),
        "Latitude": place.get("lat") if place else None,
        "Longitude": place.get("lon") if place else None,
        "GeoNames ID": place.get("geonames_id") if place else None,
        "Raw Placename": place.get("text") if place else None,
        "Feature Type": kind,
        "Source": article.get("source"),
        "Publication Date": article.get("published"),
        "Story People": ";".join(names_by_label(article, "PER")),
        "Story Organizations": ";".join(names_by_label(article, "ORG")),
        "Story Locations": ";".join(names_by_label(article, "LOC")),
        "Language": article.get("language"),
        "Version": f"vigie {__version__}",
    }
    for role, prefix in (("source", "Actor"), ("target", "Recipient")):
        values[f"{prefix} Name"] = values[f"{prefix} Name Raw"] = event.get(role)
        values[f"{prefix} Country"] = event.get(f"{role}_country")
        values[f"Primary {prefix} Sector"] = values[f"{prefix} Sectors"] = event.get(f"{role}_sector")
    return [guarded_line(values.get(col)) for col in COLUMNS]


def write_polecat(store: Store, out: str | Path) -> int:
    """Write the events that happened as POLECAT-style TSV (streamed). Returns the number of rows."""
    n = 0
    with open_output(out) as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for article in store.iter_articles():
            for idx, event in enumerate(article.get("events", [])):
                if EXCLUDED_CONTEXTS.intersection(event.get("context") or []):
                    continue
                writer.writerow(polecat_row(article, idx, event))
                n += 1
    return n
