"""For the API and web page tests: hand-made articles with every kind of annotation (no NLP involved), a store
holding them on either backend (`served_store`), and a small HTML checker (`Page`).

Offsets are computed from the texts with `span`, so the sentences can be edited freely.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from store_backends import PG_URL, open_backend
from vigie.records import Article, EntityMention, Event, Measure, Place, Quantity, Quote, TimeExpr
from vigie.store import SQLiteStore

PROTEST_TEXT = (
    "Des milliers de manifestants se sont rassemblés mercredi à Almaty, la plus grande ville du Kazakhstan.\n"
    "« Nous voulons la justice », a déclaré Marat Aliev, un militant de l'opposition.\n"
    "La police a arrêté 200 personnes, selon le ministère de l'Intérieur."
)
SCRIPT_TEXT = (
    "Marat Aliev a dénoncé la répression à Almaty.\n"
    "Un lecteur a envoyé <script>alert('x')</script> et <img src=x onerror=alert(1)> au journal.\n"
    "« La police a tiré sur la foule », a-t-il affirmé vendredi."
)
ENGLISH_TEXT = (
    "Thousands of protesters marched in Paris on Monday, police said. Officers detained 12 people. "
    "The march covered 5 km."
)


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def ent(text: str, needle: str, label: str, canonical: str | None = None, nth: int = 0) -> EntityMention:
    s, e = span(text, needle, nth)
    return EntityMention(needle, label, s, e, canonical or needle)


def protest_article() -> Article:
    t = PROTEST_TEXT
    q_s, q_e = span(t, "Nous voulons la justice")
    sp_s, sp_e = span(t, "Marat Aliev")
    ev1_s, ev1_e = span(t, "rassemblés")
    ev2_s, ev2_e = span(t, "arrêté")
    sent3 = span(t, "La police a arrêté 200 personnes, selon le ministère de l'Intérieur.")
    sent1 = (0, t.index("\n"))  # the first sentence is the first line
    return Article(
        id="a1protest0000001",
        raw=t,
        text=t,
        title="Manifestation à Almaty",
        source="example.org",
        url="https://example.org/almaty",
        published="2022-01-06",
        language="fr",
        entities=[
            ent(t, "Almaty", "LOC"),
            ent(t, "Kazakhstan", "LOC"),
            ent(t, "Marat Aliev", "PER"),
            ent(t, "ministère de l'Intérieur", "ORG", "Ministère de l'Intérieur"),
        ],
        quotes=[Quote("Nous voulons la justice", q_s, q_e, "Marat Aliev", "déclarer", True, "Marat Aliev", sp_s, sp_e)],
        dates=[TimeExpr("mercredi", *span(t, "mercredi"), "2022-01-05", "day")],
        quantities=[
            Quantity("Des milliers de manifestants", *span(t, "Des milliers de manifestants"), None, 2000, None,
                     "manifestant", True, "participants"),
            Quantity("200 personnes", *span(t, "200 personnes"), 200, unit="personne", role="arrested"),
        ],
        places=[
            Place("Almaty", *span(t, "Almaty"), "Almaty", "KZ", "city", 43.25, 76.92, 1526384, True),
            Place("Kazakhstan", *span(t, "Kazakhstan"), "Kazakhstan", "KZ", "country", 48.0, 68.0, 1522867),
        ],
        events=[
            Event("PROTEST", "demonstrate", ev1_s, ev1_e, "rassemblés", source="manifestants", source_sector="CVL",
                  location="Almaty", location_country="KZ", date="2022-01-05", evidence=t[sent1[0]:sent1[1]],
                  evidence_start=sent1[0], evidence_end=sent1[1], mentions=[[ev1_s, ev1_e]]),
            Event("COERCE", "arrest", ev2_s, ev2_e, "arrêté", source="police", source_country="KAZ",
                  source_sector="COP", target="manifestants", location="Almaty", location_country="KZ",
                  date="2022-01-06", date_inferred=True, arrested=200, evidence=t[sent3[0]:sent3[1]],
                  evidence_start=sent3[0], evidence_end=sent3[1], mentions=[[ev2_s, ev2_e]]),
        ],
    )


def script_article() -> Article:
    """An article whose text and title carry markup: it must show as text everywhere."""
    t = SCRIPT_TEXT
    q_s, q_e = span(t, "La police a tiré sur la foule")
    tir_s, tir_e = span(t, "tiré")
    return Article(
        id="b2script00000002",
        raw=t,
        text=t,
        title="Répression <b>à</b> Almaty <script>alert(1)</script>",
        url="javascript:alert(1)",
        published="2022-01-07",
        language="fr",
        entities=[ent(t, "Marat Aliev", "PER"), ent(t, "Almaty", "LOC")],
        quotes=[Quote("La police a tiré sur la foule", q_s, q_e, "Marat Aliev", "affirmer", True, "il",
                      *span(t, "il", 0))],
        dates=[TimeExpr("vendredi", *span(t, "vendredi"), "2022-01-07", "day")],
        places=[Place("Almaty", *span(t, "Almaty"), "Almaty", "KZ", "city", 43.25, 76.92, 1526384, True)],
        events=[
            Event("ASSAULT", "firearms", tir_s, tir_e, "tiré", source="police", source_country="KAZ",
                  target="=foule", location="Almaty", location_country="KZ", date="2022-01-07",
                  evidence=t[q_s:q_e], evidence_start=q_s, evidence_end=q_e),
        ],
    )


def english_article() -> Article:
    t = ENGLISH_TEXT
    return Article(
        id="c3english0000003",
        raw=t,
        text=t,
        title="Protest in Paris",
        published="2022-01-10",
        language="en",
        entities=[ent(t, "Paris", "LOC")],
        dates=[TimeExpr("Monday", *span(t, "Monday"), "2022-01-10", "day")],
        quantities=[Quantity("12 people", *span(t, "12 people"), 12, unit="people", role="arrested")],
        measures=[Measure("5 km", *span(t, "5 km"), 5, unit="km")],
        places=[Place("Paris", *span(t, "Paris"), "Paris", "FR", "city", 48.85, 2.35, 2988507, True)],
        events=[
            Event("PROTEST", "demonstrate", *span(t, "marched"), "marched", source="protesters", location="Paris",
                  location_country="FR", date="2022-01-10"),
        ],
    )


def fill_store(path: Path) -> list[Article]:
    """A SQLite file holding the three articles."""
    store = SQLiteStore(path)
    try:
        _fill(store)
    finally:
        store.close()
    return [protest_article(), script_article(), english_article()]


def _fill(store: Any) -> None:
    for a in (protest_article(), script_article(), english_article()):
        store.upsert_article(a)


@contextlib.contextmanager
def served_store(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of a store holding the three articles: a SQLite file, or a fresh PostgreSQL schema (dropped after;
    the test is skipped when VIGIE_TEST_PG_URL is not set, as for the store tests)."""
    if kind == "sqlite":
        fill_store(tmp_path / "news.db")
        yield str(tmp_path / "news.db")
        return
    owner = open_backend(kind, tmp_path)  # keeps the schema alive; close() drops it
    try:
        _fill(owner)
        sep = "&" if "?" in PG_URL else "?"
        yield f"{PG_URL}{sep}options=-csearch_path%3D{owner.schema}"
    finally:
        owner.close()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "path", "rect", "circle", "line"}  # the SVG ones are written self-closed or empty here


class Page(HTMLParser):
    """Tags with their attributes, and a check that every element is closed in order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID and (not self.stack or self.stack[-1] != tag):
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str, cls: str | None = None, **attrs: str) -> list[dict[str, str | None]]:
        out = []
        for t, a in self.tags:
            if t != tag or (cls and cls not in (a.get("class") or "").split()):
                continue
            if all(a.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(a)
        return out
