"""End-to-end: the CLI's analyze and ingest over real-looking input, with the French model."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ARTICLE_LINES, CRAWLED_FR
from vigie.cli import app
from vigie.store import open_store

pytestmark = pytest.mark.model
runner = CliRunner()


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_analyze_cleans_and_links_entities(tmp_path: Path) -> None:
    src = tmp_path / "article.txt"
    src.write_text(CRAWLED_FR, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    res = runner.invoke(app, ["analyze", str(src), "--published", "2022-01-12", "-o", str(out)])
    assert res.exit_code == 0, res.output
    (rec,) = _records(out)
    # contract fields
    for key in ("id", "language", "published", "text", "entities", "quotes", "dates", "quantities", "places", "events"):
        assert key in rec
    assert rec["language"] == "fr" and rec["published"] == "2022-01-12"
    assert rec["text"].splitlines() == CRAWLED_FR.splitlines()[:ARTICLE_LINES]
    ents = rec["entities"]
    for e in ents:
        assert rec["text"][e["start"] : e["end"]] == e["text"]
    diome = [e for e in ents if "Diome" in e["text"]]
    assert len(diome) >= 2 and all(e["canonical"] == "Antoine Diome" and e["label"] == "PER" for e in diome)
    onu = [e for e in ents if e["text"] == "ONU"]
    assert onu and all(e["canonical"] == "Organisation des Nations unies" for e in onu)
    assert not any(e["text"] in {"s’", "s'", "Selon", "Le", "La"} for e in ents)


def test_ingest_twice_is_idempotent_and_bad_files_are_errors(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(CRAWLED_FR, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(
        "Le Parlement européen a adopté jeudi à Strasbourg une résolution sur la Géorgie. "
        "Les députés ont dénoncé les pressions exercées sur les médias indépendants.\n",
        encoding="utf-8",
    )
    (folder / "copy-of-a.txt").write_text(CRAWLED_FR, encoding="utf-8")  # same article, other name
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "v.db"
    for _ in range(2):
        res = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
        assert res.exit_code == 2, res.output  # the binary and the empty file failed: listed, then exit 2
        assert "2 input(s) failed" in res.output
    with open_store(str(db)) as store:
        assert store.count_articles() == 2
        errors = {Path(e["origin"]).name: e for e in store.list_errors(limit=10)}
        assert set(errors) == {"image.txt", "empty.txt"}
        assert "binary" in errors["image.txt"]["reason"] and errors["empty.txt"]["reason"] == "empty file"
        hits = store.search("resolution georgie")
        assert len(hits) == 1
    res = runner.invoke(app, ["stats", "--db", str(db), "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["articles"] == 2


def test_show_and_search_commands(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text(CRAWLED_FR, encoding="utf-8")
    db = tmp_path / "v.db"
    assert runner.invoke(app, ["ingest", str(src), "--db", str(db)]).exit_code == 0
    with open_store(str(db)) as store:
        (art,) = list(store.iter_articles())
    res = runner.invoke(app, ["show", art["id"][:8], "--db", str(db)])
    assert res.exit_code == 0 and "Antoine Diome" in res.output
    res = runner.invoke(app, ["search", "Ziguinchor", "--db", str(db)])
    assert res.exit_code == 0 and art["id"] in res.output
    res = runner.invoke(app, ["show", "nonexistent-id", "--db", str(db)])
    assert res.exit_code == 1


def test_analyze_jsonl_from_stdin_with_workers(tmp_path: Path) -> None:
    """Enough articles to start two worker processes; order and ids are kept, errors ride along."""
    cities = ["Berlin", "Paris", "Madrid", "Rome", "Lisbonne", "Varsovie", "Vienne", "Prague", "Bruxelles", "Athènes"]
    topics = ["l'énergie", "la défense", "les migrations"]
    lines = []
    for i in range(30):
        text = (f"Emmanuel Macron a rencontré Angela Merkel à {cities[i % 10]} pour parler de {topics[i % 3]}. "
                f"M. Macron a salué le travail de Mme Merkel lors de la réunion numéro {i}.")
        lines.append(json.dumps({"id": f"n{i}", "published": "2016-03-24", "text": text}, ensure_ascii=False))
    lines.insert(10, "{not json")
    out = tmp_path / "o.jsonl"
    res = runner.invoke(app, ["analyze", "-", "-o", str(out), "--workers", "2"], input="\n".join(lines) + "\n")
    assert res.exit_code == 2, res.output  # the bad line failed
    recs = _records(out)
    assert [r["id"] for r in recs] == [f"n{i}" for i in range(30)]
    macron = [e for e in recs[7]["entities"] if "Macron" in e["text"]]
    assert len(macron) == 2 and {e["canonical"] for e in macron} == {"Emmanuel Macron"}
    assert "malformed JSON" in res.output
