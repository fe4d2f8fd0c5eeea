"""Exports of the cross-document events (issue 14): the store fields of the JSONL records, the events table's event
columns, the mentions and crossdoc CSV tables and their Parquet twins, on SQLite and PostgreSQL. The stores are
built from hand-made articles (no model): two reports of one bombing that give different death tolls, a copy of the
first (dedup), a French protest article, and an event whose cells hold formulas and line breaks."""

from __future__ import annotations

import csv
import json
from dataclasses import fields

import pytest
from typer.testing import CliRunner

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from test_store_reads import rennes
from vigie.cli import app
from vigie.export import FORMATS, export
from vigie.export.crossdoc import COUNT_COLUMNS, CROSSDOC_COLUMNS, MENTION_COLUMNS
from vigie.export.events_table import COLUMNS as EVENT_TABLE_COLUMNS
from vigie.export.events_table import LINK_COLUMNS
from vigie.export.jsonl import EVENT_STORE_FIELDS
from vigie.records import Article, Duplicate, Event, Place
from vigie.steps.crossdoc import link_events
from vigie.store import SQLiteStore
from vigie.store.crossdoc import EVENT_COLUMNS as STORED_EVENT_COLUMNS
from vigie.store.crossdoc_export import crossdoc_pages, iter_crossdoc_events

duckdb = pytest.importorskip("duckdb")
runner = CliRunner()

FIRST = "A suicide bomber killed 20 people in Kabul on Wednesday. The Taliban denied any role."
SECOND = "At least 25 people were killed in a suicide bombing in Kabul on Wednesday, officials said."
# the copy's own text differs (a prefix): its mentions are its original's offsets, read in the original's text
COPY = "REPRISE - " + FIRST
ODD = 'Hier, des inconnus ont attaqué "la mairie",\nà Lyon; on compte trois blessés. Rien de plus.'
KABUL_ARTICLES = {"kabul-1", "kabul-2", "kabul-copy"}


def _kabul(id: str, text: str, killed: float, source: str, published: str) -> Article:
    start = text.index("killed")
    sentence_end = text.index(".") + 1
    place = text.index("Kabul")
    return Article(
        id=id, raw=text, text=text, origin=f"c/{id}.txt", title=f"Bombing ({id})", source=source,
        url=f"https://{source}/{id}", published=published, language="en",
        places=[Place(text="Kabul", start=place, end=place + 5, name="Kabul", country="AF", kind="city", lat=34.53,
                      lon=69.17)],
        events=[Event(type="ASSAULT", mode="bombing", start=start, end=start + 6, trigger="killed", location="Kabul",
                      location_country="AF", date="2024-05-01", killed=killed, evidence=text[:sentence_end],
                      evidence_start=0, evidence_end=sentence_end)],
    )  # fmt: skip


def kabul_1() -> Article:
    return _kabul("kabul-1", FIRST, 20.0, "alpha.example", "2024-05-02")


def kabul_2() -> Article:
    return _kabul("kabul-2", SECOND, 25.0, "beta.example", "2024-05-03")


def kabul_copy() -> Article:
    art = Article(id="kabul-copy", raw=COPY, text=COPY, origin="c/kabul-copy.txt", title="=Bombing (copy)",
                  source="gamma.example", url="https://gamma.example/kabul-copy", published="2024-05-03",
                  language="en")  # fmt: skip
    art.duplicate = Duplicate(of="kabul-1", method="near", similarity=0.95)
    return art


def odd() -> Article:
    """An event whose actor starts like a spreadsheet formula and whose evidence holds a line break and quotes."""
    start = ODD.index("attaqué")
    end = ODD.index("blessés.") + len("blessés.")
    return Article(
        id="odd-1", raw=ODD, text=ODD, origin="c/odd.txt", title="Lyon", source="=cmd|calc", published="2024-06-01",
        language="fr",
        events=[Event(type="ASSAULT", mode=None, start=start, end=start + 7, trigger="attaqué", source="=inconnus",
                      location="Lyon", location_country="FR", date="2024-05-31", injured=3.0, evidence=ODD[:end],
                      evidence_start=0, evidence_end=end)],
    )  # fmt: skip


def fill(store) -> None:
    for art in (kabul_1(), kabul_2(), rennes(), odd(), kabul_copy()):
        assert store.upsert_article(art) == "new"
    store.save_stories([
        ("kabul-1", "kabul-1", None, None), ("kabul-2", "kabul-1", None, None),
        ("aaaaaa000001", "aaaaaa000001", None, None), ("odd-1", "odd-1", None, None),
    ])  # fmt: skip


@pytest.fixture
def linked(store):
    fill(store)
    result = link_events(store)
    assert (result.n_events, result.n_mentions) == (4, 6)  # the bombing (3 mentions), protest, arrest, Lyon
    return store


@pytest.fixture
def unlinked(store):
    fill(store)
    return store


def _bombing_id(store) -> str:
    return store.get_article("kabul-1")["events"][0]["event_id"]


def _csv(path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    return list(reader.fieldnames or []), rows


# ---------------------------------------------------------------------------------------------------- jsonl


def test_jsonl_events_carry_their_crossdoc_event(linked, tmp_path):
    out = tmp_path / "records.jsonl"
    assert export(linked, "jsonl", out) == 5
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    bombing = _bombing_id(linked)
    for aid in ("kabul-1", "kabul-2"):
        (event,) = recs[aid]["events"]
        # the contract's record (the fields of vigie.records.Event, as `vigie analyze` writes them), then the five
        assert list(event) == [f.name for f in fields(Event)] + list(EVENT_STORE_FIELDS)
        assert {k: event[k] for k in EVENT_STORE_FIELDS} == {
            "event_id": bombing, "n_articles": 3, "n_sources": 2,  # the copy counts as an article, not as a source
            "first_seen": "2024-05-02", "last_seen": "2024-05-03",
        }  # fmt: skip
    assert (recs["kabul-2"]["duplicate_of"], recs["kabul-2"]["story_id"]) == (None, "kabul-1")
    copy = recs["kabul-copy"]
    assert (copy["duplicate_of"], copy["story_id"], copy["source"], copy["events"]) == (
        "kabul-1", "kabul-1", "gamma.example", [])
    protest, arrest = recs["aaaaaa000001"]["events"]
    assert protest["event_id"] != arrest["event_id"] and protest["n_articles"] == arrest["n_sources"] == 1
    assert recs["aaaaaa000001"]["story_id"] == "aaaaaa000001"
    # each record's event id is an event of the store, whose mentions include that record
    for rec in recs.values():
        for event in rec["events"]:
            stored = linked.get_crossdoc_event(event["event_id"])
            assert (rec["id"], event["start"], event["end"]) in {
                (m["article_id"], m["start"], m["end"]) for m in stored["mentions"]}


def test_jsonl_of_an_unlinked_store_has_null_event_fields(unlinked, tmp_path):
    out = tmp_path / "records.jsonl"
    assert export(unlinked, "jsonl", out) == 5
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    events = [e for r in recs for e in r["events"]]
    assert len(events) == 5 and all(e[k] is None for e in events for k in EVENT_STORE_FIELDS)
    assert {r["id"]: r["story_id"] for r in recs}["kabul-copy"] == "kabul-1"


# ---------------------------------------------------------------------------------------------------- csv


def test_events_table_carries_the_event_columns(linked, tmp_path):
    out = tmp_path / "events.csv"
    assert export(linked, "csv", out) == 5  # the copy has no event records of its own
    header, rows = _csv(out)
    assert header == EVENT_TABLE_COLUMNS and header[-3:] == list(LINK_COLUMNS) == ["event_id", "n_articles", "n_sources"]
    kabul = [r for r in rows if r["article_id"] in KABUL_ARTICLES]
    assert [(r["article_id"], r["event_id"], r["n_articles"], r["n_sources"]) for r in kabul] == [
        ("kabul-1", _bombing_id(linked), "3", "2"), ("kabul-2", _bombing_id(linked), "3", "2")]
    assert len({r["event_id"] for r in rows}) == 4


def test_mentions_csv_has_every_mention_with_its_article(linked, tmp_path):
    out = tmp_path / "mentions.csv"
    assert export(linked, "mentions", out) == 6
    header, rows = _csv(out)
    assert header == MENTION_COLUMNS
    bombing = _bombing_id(linked)
    kabul = [r for r in rows if r["event_id"] == bombing]
    assert [r["article_id"] for r in kabul] == ["kabul-1", "kabul-2", "kabul-copy"]  # oldest article first
    copy = kabul[2]
    assert (copy["duplicate_of"], copy["source_name"], copy["article_url"], copy["published"]) == (
        "kabul-1", "gamma.example", "https://gamma.example/kabul-copy", "2024-05-03")
    assert copy["article_title"] == "'=Bombing (copy)"  # guarded against spreadsheet formulas
    # the copy's mention is its original's record, at its original's offsets, read in the original's text
    assert (copy["start"], copy["end"], copy["trigger"]) == (str(FIRST.index("killed")), str(FIRST.index("killed") + 6),
                                                             "killed")
    assert copy["evidence"] == "A suicide bomber killed 20 people in Kabul on Wednesday."
    assert kabul[1]["evidence"] == SECOND and kabul[1]["trigger"] == "killed"
    assert {(r["event_type"], r["event_mode"], r["event_date"], r["type"], r["mode"]) for r in kabul} == {
        ("ASSAULT", "bombing", "2024-05-01", "ASSAULT", "bombing")}
    assert float(kabul[0]["confidence"]) > 0
    lyon = next(r for r in rows if r["article_id"] == "odd-1")
    assert lyon["evidence"] == ODD[: ODD.index("blessés.") + 8] and "\n" in lyon["evidence"]  # quoted, intact
    assert lyon["source_name"] == "'=cmd|calc" and lyon["event_mode"] == ""
    # the very evidence and trigger the store's own reader gives
    for event_id in {r["event_id"] for r in rows}:
        stored = linked.get_crossdoc_event(event_id)["mentions"]
        assert [(m["article_id"], m["trigger"], m["evidence"]) for m in stored] == [
            (r["article_id"], r["trigger"], r["evidence"]) for r in rows if r["event_id"] == event_id]
    (n,) = duckdb.execute(f"SELECT count(*) FROM read_csv('{out}', header = true)").fetchone()
    assert n == 6


def test_crossdoc_csv_has_one_row_per_event_with_count_ranges(linked, tmp_path):
    out = tmp_path / "crossdoc.csv"
    assert export(linked, "crossdoc", out) == 4
    header, rows = _csv(out)
    assert header == CROSSDOC_COLUMNS
    assert "counts" not in header and "digest" not in header and set(COUNT_COLUMNS) <= set(header)
    assert set(STORED_EVENT_COLUMNS) - {"counts", "digest"} <= set(header)
    assert [r["day"] for r in rows] == ["2024-03-14", "2024-03-14", "2024-05-01", "2024-05-31"]  # date order
    bombing = next(r for r in rows if r["event_id"] == _bombing_id(linked))
    # two articles giving 20 and 25 killed (and the copy repeating 20): a range, never a sum
    assert (bombing["killed_low"], bombing["killed_high"], bombing["injured_low"]) == ("20.0", "25.0", "")
    assert (bombing["n_articles"], bombing["n_sources"], bombing["n_mentions"]) == ("3", "2", "3")
    assert (bombing["first_seen"], bombing["last_seen"], bombing["stories"]) == ("2024-05-02", "2024-05-03", "kabul-1")
    assert (bombing["type"], bombing["mode"], bombing["location"], bombing["location_country"]) == (
        "ASSAULT", "bombing", "Kabul", "AF")
    assert (float(bombing["lat"]), float(bombing["lon"]), bombing["date_inferred"]) == (34.53, 69.17, "false")
    arrest = next(r for r in rows if r["type"] == "COERCE")
    assert (arrest["arrested_low"], arrest["arrested_high"], arrest["source_sector"]) == ("12.0", "12.0", "COP")
    lyon = next(r for r in rows if r["location"] == "Lyon")
    assert lyon["source"] == "'=inconnus" and lyon["injured_high"] == "3.0"


def test_csv_tables_of_an_unlinked_store_are_empty(unlinked, tmp_path):
    assert export(unlinked, "csv", tmp_path / "e.csv") == 5
    _, rows = _csv(tmp_path / "e.csv")
    assert {(r["event_id"], r["n_articles"], r["n_sources"]) for r in rows} == {("", "", "")}
    for fmt, columns in (("mentions", MENTION_COLUMNS), ("crossdoc", CROSSDOC_COLUMNS)):
        assert export(unlinked, fmt, tmp_path / f"{fmt}.csv") == 0
        assert _csv(tmp_path / f"{fmt}.csv") == (columns, [])


# ---------------------------------------------------------------------------------------------------- parquet


def test_parquet_crossdoc_tables(linked, tmp_path):
    out = tmp_path / "tables"
    counts = export(linked, "parquet", out)
    assert (counts["events"], counts["crossdoc_events"], counts["crossdoc_mentions"]) == (5, 4, 6)
    for table in ("crossdoc_events", "crossdoc_mentions"):
        assert duckdb.execute(f"SELECT count(*) FROM '{out / table}.parquet'").fetchone()[0] == counts[table]

    def types(table: str) -> dict[str, str]:
        return dict(duckdb.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM "
                                   f"'{out / table}.parquet')").fetchall())

    events, mentions, table = types("crossdoc_events"), types("crossdoc_mentions"), types("events")
    assert list(events) == CROSSDOC_COLUMNS and list(mentions) == MENTION_COLUMNS
    assert (events["killed_low"], events["lat"], events["n_articles"], events["date_inferred"]) == (
        "DOUBLE", "DOUBLE", "BIGINT", "BOOLEAN")
    assert events["stories"] == events["context"] == "VARCHAR[]"
    assert (mentions["start"], mentions["confidence"], mentions["duplicate_of"]) == ("BIGINT", "DOUBLE", "VARCHAR")
    assert (table["event_id"], table["n_articles"], table["n_sources"]) == ("VARCHAR", "BIGINT", "BIGINT")
    bombing = _bombing_id(linked)
    got = duckdb.execute(
        f"SELECT killed_low, killed_high, n_articles, n_sources, stories FROM '{out}/crossdoc_events.parquet' "
        "WHERE event_id = ?", [bombing]).fetchone()
    assert got == (20.0, 25.0, 3, 2, ["kabul-1"])
    # every mention joins its event, and the events table's records join theirs
    joined = duckdb.execute(
        f"SELECT m.article_id, m.duplicate_of, e.n_mentions FROM '{out}/crossdoc_mentions.parquet' m "
        f"JOIN '{out}/crossdoc_events.parquet' e USING (event_id) WHERE e.event_id = ? ORDER BY m.article_id",
        [bombing]).fetchall()
    assert joined == [("kabul-1", None, 3), ("kabul-2", None, 3), ("kabul-copy", "kabul-1", 3)]
    (orphans,) = duckdb.execute(
        f"SELECT count(*) FROM '{out}/events.parquet' t ANTI JOIN '{out}/crossdoc_events.parquet' e "
        "USING (event_id)").fetchone()
    assert orphans == 0
    (text,) = duckdb.execute(f"SELECT evidence FROM '{out}/crossdoc_mentions.parquet' WHERE article_id = 'odd-1'"
                             ).fetchone()
    assert text.startswith("Hier") and "\n" in text  # Parquet keeps the values (no formula guard, no quoting)


def test_parquet_of_an_unlinked_store(unlinked, tmp_path):
    out = tmp_path / "tables"
    counts = export(unlinked, "parquet", out)
    assert (counts["crossdoc_events"], counts["crossdoc_mentions"]) == (0, 0)
    columns = [r[0] for r in duckdb.execute(f"DESCRIBE SELECT * FROM '{out}/crossdoc_mentions.parquet'").fetchall()]
    assert columns == MENTION_COLUMNS
    assert duckdb.execute(f"SELECT count(*) FROM '{out}/events.parquet' WHERE event_id IS NULL").fetchone()[0] == 5


# ---------------------------------------------------------------------------------------------------- reading


class Counting:
    """A store that counts the reads of the cross-document exports."""

    def __init__(self, store):
        self._store = store
        self.pages = 0
        self.mention_queries = 0

    def list_crossdoc_events(self, **kw):
        self.pages += 1
        return self._store.list_crossdoc_events(**kw)

    def _rows(self, sql, params=()):
        self.mention_queries += "FROM crossdoc_mentions" in sql
        return self._store._rows(sql, params)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_events_are_read_in_pages_with_one_mentions_query_a_page(linked):
    whole = list(iter_crossdoc_events(linked))
    counting = Counting(linked)
    assert list(iter_crossdoc_events(counting, page_size=3)) == whole  # pages of 3, 1 (a short page ends)
    assert (counting.pages, counting.mention_queries) == (2, 2)
    counting = Counting(linked)
    assert [len(events) for events, _ in crossdoc_pages(counting, page_size=2)] == [2, 2]
    assert (counting.pages, counting.mention_queries) == (3, 2)  # the empty third page needs no mentions
    assert sum(len(e["mentions"]) for e in whole) == 6


def test_cli_exports_the_crossdoc_tables(tmp_path):
    db = tmp_path / "v.db"
    with SQLiteStore(db) as s:
        fill(s)
        link_events(s)
    assert {"mentions", "crossdoc"} <= set(FORMATS)
    out = tmp_path / "crossdoc.csv"
    res = runner.invoke(app, ["export", "--db", str(db), "-f", "crossdoc", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "exported 4 events as crossdoc" in res.output and len(_csv(out)[1]) == 4
    res = runner.invoke(app, ["export", "--db", str(db), "-f", "mentions", "-o", str(tmp_path / "m.csv")])
    assert res.exit_code == 0 and "exported 6 " in res.output and len(_csv(tmp_path / "m.csv")[1]) == 6
