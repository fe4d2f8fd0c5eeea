"""`vigie ingest` with deduplication, end to end (the French model analyses the originals)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vigie.steps.annotate as annotate
from conftest import ARTICLE_LINES, CRAWLED_FR
from vigie.cli import app
from vigie.store import open_store

pytestmark = pytest.mark.model
runner = CliRunner()

BODY = CRAWLED_FR.splitlines()[:ARTICLE_LINES]
# The reference-like article re-wrapped by another site: its own menus and buttons, a new headline, no footer.
REWRAPPED = "\n".join([
    "Accueil > Afrique > Sénégal",
    "Sénégal : le ministre de l'Intérieur à Ziguinchor après les combats",
    "Partager sur Facebook",
    "Partager sur Twitter",
    *BODY,
    "Lire aussi : En Gambie, l'afflux de réfugiés inquiète les autorités",
    "Abonnez-vous à notre newsletter",
]) + "\n"


def test_a_rewrapped_copy_is_stored_as_a_source_of_its_original(tmp_path: Path, monkeypatch):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "1-original.txt").write_text(CRAWLED_FR, encoding="utf-8")
    (folder / "2-copy.txt").write_text(REWRAPPED, encoding="utf-8")
    db = str(tmp_path / "v.db")
    res = runner.invoke(app, ["ingest", str(folder), "--db", db, "--published", "2022-01-12"])
    assert res.exit_code == 0, res.output
    assert "duplicates" in res.output and "1 (copies of an earlier article" in res.output
    with open_store(db) as store:
        arts = {a["origin"].rsplit("/", 1)[-1]: a for a in store.iter_articles()}
        original, copy = arts["1-original.txt"], arts["2-copy.txt"]
        assert copy["duplicate_of"] == original["id"] and original["duplicate_of"] is None
        assert original["entities"] and original["quotes"]  # one set of annotations: the original's
        assert all(copy[area] == [] for area in ("entities", "quotes", "dates", "quantities", "places", "events"))
        assert [s["id"] for s in original["sources"]] == [original["id"], copy["id"]]
        assert store.stats()["duplicates"] == 1

    def refuse(article, *args, **kwargs):
        raise AssertionError(f"{article.id} was analysed again")

    monkeypatch.setattr(annotate, "annotate_one", refuse)
    res = runner.invoke(app, ["ingest", str(folder), "--db", db, "--published", "2022-01-12"])
    assert res.exit_code == 0 and "2 (same input" in res.output, res.output  # a rerun: both skipped
    (folder / "3-again.txt").write_text(REWRAPPED.replace("Accueil", "Menu"), encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(folder), "--db", db, "--published", "2022-01-12"])
    assert res.exit_code == 0 and "1 (copies of an earlier article" in res.output, res.output  # a later run

    out = tmp_path / "records.jsonl"
    assert runner.invoke(app, ["export", "--db", db, "-f", "jsonl", "-o", str(out)]).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["duplicate_of"] or "" for r in records) == ["", original["id"], original["id"]]
    res = runner.invoke(app, ["show", copy["id"], "--db", db])
    assert res.exit_code == 0 and "duplicate of" in res.output
