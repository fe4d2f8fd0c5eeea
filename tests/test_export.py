"""Exports (jsonl, csv, parquet, polecat, gkg) of hand-made stored articles, read back with DuckDB, the csv
module and pandas when it is installed. The stored articles come from SQLite and PostgreSQL alike."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re

import pytest
from typer.testing import CliRunner

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from test_store_reads import paris, rennes, texas
from vigie.cli import app
from vigie.contract import to_record
from vigie.export import FORMATS, export
from vigie.export import gkg as gkg_export
from vigie.export import polecat as polecat_export
from vigie.export.events_csv import COLUMNS as CSV_COLUMNS
from vigie.export.jsonl import EVENT_STORE_FIELDS
from vigie.records import EntityMention, Event, Measure, Quantity, Quote, TimeExpr
from vigie.store import SQLiteStore
from vigie.store.common import content_hash, to_article

duckdb = pytest.importorskip("duckdb")
runner = CliRunner()


def awkward():
    """An article whose names and texts hold every delimiter the formats use."""
    art = rennes()
    art.id = "dddddd000004"
    art.origin = "c/awkward.txt"
    art.title = 'Titre\tavec "guillemets", virgule;\npoint-virgule'
    art.text = art.raw = art.text + " Le cortège s'étirait sur 2 à 3 km."
    b = art.text
    art.entities.append(EntityMention(text="Rennes", label="ORG", start=48, end=54, canonical='Comité "A;B#C|D", E'))
    art.quotes.append(Quote(text='dit "ceci"\tet|cela#', start=0, end=10, speaker=None, cue="dire", direct=False))
    art.dates = [
        TimeExpr(text="jeudi", start=b.index("jeudi"), end=b.index("jeudi") + 5, value="2024-03-14", granularity="day"),
        TimeExpr(text="mars", start=0, end=4, value="2024-03", granularity="month"),
        TimeExpr(text="semaine", start=0, end=7, value="2024-W11", granularity="week"),
    ]
    art.quantities = [
        Quantity(
            text="douze personnes",
            start=b.index("douze"),
            end=b.index("douze") + 15,
            value=12.0,
            unit="personne",
            role="arrested",
        ),
        Quantity(
            text="des milliers",
            start=0,
            end=12,
            value=None,
            low=2000.0,
            high=9999.0,
            unit="manifestant",
            approx=True,
            role="participants",
        ),
    ]
    start = b.index("2 à 3 km")
    art.measures = [Measure(text="2 à 3 km", start=start, end=start + 8, value=None, low=2.0, high=3.0, unit="km")]
    art.events.append(
        Event(
            type="ASSAULT",
            mode="firearms",
            start=0,
            end=3,
            trigger="Des",
            context=["negated"],
            evidence='ligne 1\nligne 2, "citée"',
            source="X\tY",
        )
    )
    return art


@pytest.fixture
def filled(store):
    for art in (rennes(), paris(), texas(), awkward()):
        store.upsert_article(art)
    return store


def test_jsonl_is_the_contract_record_plus_store_fields(filled, tmp_path):
    out = tmp_path / "out" / "records.jsonl"
    assert export(filled, "jsonl", out) == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    recs = {r["id"]: r for r in map(json.loads, lines)}
    for original in (rennes(), paris(), texas(), awkward()):
        rec = recs[original.id]
        expected = to_record(original)
        for event in rec["events"]:  # store-only event fields, null until events are linked across articles
            assert {event.pop(k) for k in EVENT_STORE_FIELDS} == {None}
        assert {k: rec[k] for k in expected} == expected  # exactly what `vigie analyze` emits
        assert rec["duplicate_of"] is None and rec["story_id"] is None and rec["origin"] == original.origin
    # measures, stored since schema 4, come back as `vigie analyze` wrote them (not [] as before)
    assert [(m["text"], m["value"], m["unit"]) for m in recs["cccccc000003"]["measures"]] == [("3 miles", 3.0, "mi")]
    odd = recs["dddddd000004"]
    assert [(m["value"], m["low"], m["high"]) for m in odd["measures"]] == [(None, 2.0, 3.0)]
    assert all(odd["text"][m["start"] : m["end"]] == m["text"] for m in odd["measures"])
    assert recs["aaaaaa000001"]["measures"] == []
    got = duckdb.execute(f"SELECT id, len(events) AS n FROM read_json('{out}') ORDER BY id").fetchall()
    assert got == [("aaaaaa000001", 2), ("bbbbbb000002", 1), ("cccccc000003", 1), ("dddddd000004", 3)]


def test_stored_article_round_trips_to_the_same_article(filled):
    # what the exports start from is the article that was stored, to the last field
    for original in (rennes(), awkward()):
        assert content_hash(to_article(filled.get_article(original.id))) == content_hash(original)


def test_events_csv(filled, tmp_path):
    out = tmp_path / "events.csv"
    assert export(filled, "csv", out) == 7
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert list(rows[0]) == CSV_COLUMNS and len(rows) == 7
    coerce = next(r for r in rows if r["type"] == "COERCE" and r["article_id"] == "aaaaaa000001")
    assert (coerce["day"], coerce["date"], coerce["arrested"], coerce["date_inferred"]) == (
        "2024-03-14",
        "2024-03",
        "12.0",
        "false",
    )
    assert coerce["article_title"] == "Manifestation à Rennes" and coerce["published"] == "2024-03-14"
    odd = next(r for r in rows if r["type"] == "ASSAULT")
    assert odd["evidence"] == 'ligne 1\nligne 2, "citée"' and odd["context"] == "negated"  # quoted, intact
    assert json.loads(next(r for r in rows if r["type"] == "CONSULT")["mentions"]) == [[0, 5]]
    (n,) = duckdb.execute(f"SELECT count(*) FROM read_csv('{out}', header = true)").fetchone()
    assert n == 7


def test_polecat_tsv_has_polecat_columns(filled, tmp_path):
    out = tmp_path / "polecat.tsv"
    assert export(filled, "polecat", out) == 6  # the negated ASSAULT is left out
    text = out.read_text(encoding="utf-8")
    header = text.splitlines()[0].split("\t")
    assert header == polecat_export.COLUMNS and len(header) == 40
    for col in (
        "Event ID",
        "Event Date",
        "Event Type",
        "Event Mode",
        "Event Intensity",
        "Quad Code",
        "Contexts",
        "Actor Name",
        "Actor Country",
        "Actor COW",
        "Primary Actor Sector",
        "Recipient Name",
        "Placename",
        "Latitude",
        "Longitude",
        "GeoNames ID",
        "Story People",
        "Story Organizations",
        "Story Locations",
        "Source",
        "Publication Date",
        "Language",
        "Version",
    ):
        assert col in header
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    assert all(len(r) == 40 for r in rows) and "ASSAULT" not in {r["Event Type"] for r in rows}
    visit = next(r for r in rows if r["Event Type"] == "CONSULT")
    assert (visit["Event ID"], visit["Event Date"], visit["Event Intensity"], visit["Quad Code"]) == (
        "bbbbbb000002-0",
        "2024-03-11",
        "4",
        "1",
    )
    assert (visit["Actor Name"], visit["Actor Country"], visit["Primary Actor Sector"]) == (
        "Élisabeth Borne",
        "FRA",
        "GOV",
    )
    assert (visit["Placename"], visit["City"], visit["Latitude"], visit["Country"]) == (
        "Paris",
        "Paris",
        "48.8566",
        "FR",
    )
    assert visit["Story People"] == "Élisabeth Borne" and visit["Story Locations"] == "Paris"
    arrest = next(r for r in rows if r["Event ID"] == "aaaaaa000001-1")
    assert (arrest["Event Intensity"], arrest["Quad Code"], arrest["Recipient Name"]) == ("-7", "4", "manifestants")
    assert arrest["GeoNames ID"] == "2983990"
    awkward_rows = [r for r in rows if r["Event ID"].startswith("dddddd000004")]
    assert awkward_rows and all("\t" not in v and "\n" not in v for r in awkward_rows for v in r.values())
    assert awkward_rows[0]["Story Organizations"] == 'Comité "A;B#C|D", E'
    (n,) = duckdb.execute(f"SELECT count(*) FROM read_csv('{out}', delim = '\t', header = true)").fetchone()
    assert n == 6


def test_plover_scores_and_quads_cover_every_type():
    types = [
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    ]
    assert set(polecat_export.QUAD_CODES) == set(types)
    assert all(polecat_export.intensity(t, None) is not None for t in types)
    assert polecat_export.intensity("PROTEST", "riot") == -7 and polecat_export.intensity("PROTEST", "unknown") == -5
    assert len(polecat_export.plover_scores()) == 82  # Table 2.2 of the PLOVER manual


def test_gkg_tsv(filled, tmp_path):
    out = tmp_path / "gkg.tsv"
    assert export(filled, "gkg", out) == 4
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 6  # header + 4 rows, LF-terminated
    header = lines[0].split("\t")
    assert header == gkg_export.COLUMNS and len(header) == 27
    assert all(len(line.split("\t")) == 27 for line in lines[1:-1])
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:-1]]
    odd = next(r for r in rows if "dddddd000004" in r["Extras"])
    assert odd["DATE"] == "20240314000000" and odd["GKGRECORDID"].startswith("20240314000000-")
    assert (
        odd["Counts"]
        == "ARREST#12#personne#4#Rennes#FR##48.11#-1.68#2983990;PROTEST#2000#manifestant#4#Rennes#FR##48.11#-1.68#2983990"
    )
    assert odd["V2Counts"].split(";")[0].endswith(f"#{RENNES_OFFSET}")
    assert odd["Dates"] == f"4#3#14#2024#{rennes().text.index('jeudi')};2#3#0#2024#0"  # the week has no GKG resolution
    assert odd["Themes"] == "PLOVER_PROTEST;PLOVER_COERCE"  # not the negated ASSAULT
    assert odd["Locations"] == "4#Rennes#FR##48.11#-1.68#2983990"
    blocks = odd["Quotations"].split("#")
    assert blocks[0] == "148|20|déclarer|Nous ne céderons pas" and blocks[1] == '0|10|dire|dit "ceci" et cela'
    assert odd["Organizations"] == 'Comité "A B C D" E'  # delimiters inside a name become spaces
    assert odd["Amounts"] == f"12,personne,{RENNES_OFFSET};2000,manifestant,0"
    assert odd["TranslationInfo"] == "srclc:fra" and odd["SourceCollectionIdentifier"] == "2"
    assert '<PAGE_TITLE>Titre avec "guillemets", virgule; point-virgule</PAGE_TITLE>' in odd["Extras"]
    texas_row = next(r for r in rows if "cccccc000003" in r["Extras"])
    assert texas_row["Locations"].startswith("3#Paris#US#")  # a US city
    assert all(re.fullmatch(r"(\d+\|\d+\|[^|#]*\|[^|#]*)(#\d+\|\d+\|[^|#]*\|[^|#]*)*|", r["Quotations"]) for r in rows)
    (n,) = duckdb.execute(
        f"SELECT count(*) FROM read_csv('{out}', delim = '\t', header = true, quote = '', escape = '')"
    ).fetchone()
    assert n == 4


RENNES_OFFSET = rennes().text.index("douze")


def test_parquet_tables(filled, tmp_path):
    out = tmp_path / "tables"
    counts = export(filled, "parquet", out)
    assert counts == {
        "articles": 4, "entities": 10, "quotes": 4, "dates": 3, "quantities": 2, "measures": 2, "places": 5, "events": 7,
        "crossdoc_events": 0, "crossdoc_mentions": 0,  # not linked (tests/test_export_crossdoc.py links them)
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.parquet" for t in counts)
    for table, n in counts.items():
        assert duckdb.execute(f"SELECT count(*) FROM '{out / table}.parquet'").fetchone()[0] == n
    types = dict(
        duckdb.execute(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{out}/events.parquet')"
        ).fetchall()
    )
    # the one events table (vigie.export.events_table): list fields as the CSV's text, numbers and booleans typed
    assert types["context"] == "VARCHAR" and types["mentions"] == "VARCHAR" and types["date_inferred"] == "BOOLEAN"
    assert types["latitude"] == "DOUBLE" and types["killed"] == "DOUBLE" and types["idx"] == "BIGINT"
    joined = duckdb.execute(
        f"SELECT a.title, e.type, e.context FROM '{out}/events.parquet' e JOIN '{out}/articles.parquet' a ON a.id = e.article_id "
        "WHERE e.type = 'CONSULT'"
    ).fetchall()
    assert joined == [("Borne reçoit les syndicats", "CONSULT", "historical")]
    (main,) = duckdb.execute(
        f"SELECT main FROM '{out}/places.parquet' WHERE name = 'Rennes' AND article_id = 'aaaaaa000001'"
    ).fetchone()
    assert main is True
    measures = duckdb.execute(
        f"SELECT article_id, idx, text, value, low, high, unit, extractor FROM '{out}/measures.parquet' ORDER BY article_id"
    ).fetchall()
    assert measures == [
        ("cccccc000003", 0, "3 miles", 3.0, None, None, "mi", "vigie-quantities"),
        ("dddddd000004", 0, "2 à 3 km", None, 2.0, 3.0, "km", "vigie-quantities"),
    ]
    assert json.loads(duckdb.execute(f"SELECT meta FROM '{out}/articles.parquet' LIMIT 1").fetchone()[0]) == {}


def test_exports_open_in_pandas(tmp_path):
    pd = pytest.importorskip("pandas")
    s = SQLiteStore(tmp_path / "v.db")
    for art in (rennes(), paris(), awkward()):
        s.upsert_article(art)
    export(s, "jsonl", tmp_path / "r.jsonl")
    export(s, "csv", tmp_path / "e.csv")
    export(s, "polecat", tmp_path / "p.tsv")
    export(s, "gkg", tmp_path / "g.tsv")
    export(s, "parquet", tmp_path / "pq")
    s.close()
    assert len(pd.read_json(tmp_path / "r.jsonl", lines=True)) == 3
    assert len(pd.read_csv(tmp_path / "e.csv")) == 6
    polecat = pd.read_csv(tmp_path / "p.tsv", sep="\t")
    assert list(polecat.columns) == polecat_export.COLUMNS and len(polecat) == 5
    gkg = pd.read_csv(tmp_path / "g.tsv", sep="\t", quoting=csv.QUOTE_NONE)
    assert list(gkg.columns) == gkg_export.COLUMNS and len(gkg) == 3
    assert len(pd.read_parquet(tmp_path / "pq" / "events.parquet")) == 6


class OnlyIterates:
    """A store that can only stream its articles (and has no cross-document events, read in pages: parquet's two
    tables and the mentions and crossdoc formats, tests/test_export_crossdoc.py): exports need nothing else, and
    never a list of articles."""

    def __init__(self, articles):
        self._articles = articles
        self.pulled = 0

    def iter_articles(self, batch_size: int = 500):
        for art in self._articles:
            self.pulled += 1
            yield art

    def _snapshot(self):
        return contextlib.nullcontext()

    def list_crossdoc_events(self, limit: int = 50, offset: int = 0, **kw):
        return []


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("mentions", "crossdoc")])
def test_exports_stream_from_iter_articles(tmp_path, fmt):
    s = SQLiteStore(tmp_path / "v.db")
    for art in (rennes(), paris(), texas()):
        s.upsert_article(art)
    stored = list(s.iter_articles())
    s.close()
    fake = OnlyIterates(stored)
    export(fake, fmt, tmp_path / ("out" if fmt == "parquet" else "out.txt"))
    assert fake.pulled == 3


def test_cli_export(tmp_path):
    db = tmp_path / "v.db"
    with SQLiteStore(db) as s:
        for art in (rennes(), paris()):
            s.upsert_article(art)
    out = tmp_path / "p.tsv"
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "polecat", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "exported 3 events as polecat" in res.output
    assert out.read_text(encoding="utf-8").count("\n") == 4
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "-o", "-"])
    assert res.exit_code == 0 and len([line for line in res.stdout.splitlines() if line.startswith("{")]) == 2
    assert runner.invoke(app, ["export", "--db", str(db), "--format", "xml", "-o", str(out)]).exit_code == 2
    assert runner.invoke(app, ["export", "--db", str(db), "--format", "parquet", "-o", "-"]).exit_code == 2
    assert (
        runner.invoke(app, ["export", "--db", str(tmp_path / "none.db"), "--format", "csv", "-o", str(out)]).exit_code
        == 2
    )
    res = runner.invoke(app, ["export", "--db", str(db), "-f", "parquet", "-o", str(tmp_path / "pq")])
    assert res.exit_code == 0 and (tmp_path / "pq" / "events.parquet").exists()
