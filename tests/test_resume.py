"""Resuming without rework: articles already stored from the same input are skipped before the NLP."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vigie.steps.annotate as annotate
from conftest import CRAWLED_FR
from vigie.cli import app
from vigie.pipeline import RunOptions, analyze_articles
from vigie.records import Article, Skipped
from vigie.steps.resume import input_digest, stored_in
from vigie.store import open_store

pytestmark = pytest.mark.model
runner = CliRunner()

SECOND = (
    "Le Parlement européen a adopté jeudi à Strasbourg une résolution sur la Géorgie. "
    "Les députés ont dénoncé les pressions exercées sur les médias indépendants.\n"
)


def _no_nlp(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(article, *args, **kwargs):
        raise AssertionError(f"{article.id} was analysed again")

    monkeypatch.setattr(annotate, "annotate_one", refuse)


def test_a_rerun_skips_stored_articles_before_the_nlp_and_force_redoes_them(tmp_path: Path, monkeypatch):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(CRAWLED_FR, encoding="utf-8")
    (folder / "b.txt").write_text(SECOND, encoding="utf-8")
    db = str(tmp_path / "v.db")
    res = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert res.exit_code == 0, res.output
    with open_store(db) as store:
        before = {a["id"]: store.get_article(a["id"]) for a in store.iter_articles()}
    assert len(before) == 2

    with monkeypatch.context() as m:
        _no_nlp(m)
        res = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert res.exit_code == 0, res.output
    assert "already stored" in res.output and "2 (same input: not analysed again" in res.output

    res = runner.invoke(app, ["ingest", str(folder), "--db", db, "--force"])
    assert res.exit_code == 0, res.output
    assert "unchanged" in res.output and "already stored" not in res.output
    with open_store(db) as store:
        assert {a["id"]: store.get_article(a["id"]) for a in store.iter_articles()} == before


def test_the_same_text_in_other_encodings_is_one_article_and_keeps_its_first_origin(tmp_path: Path, monkeypatch):
    folder = tmp_path / "copies"
    folder.mkdir()
    (folder / "1-plain.txt").write_text(SECOND, encoding="utf-8")
    (folder / "2-utf16.txt").write_bytes(SECOND.encode("utf-16"))
    (folder / "3-control.txt").write_text(SECOND.replace("jeudi", "jeudi\x07"), encoding="utf-8")
    (folder / "4-mojibake.txt").write_bytes(SECOND.encode("utf-8").decode("latin-1").encode("utf-8"))
    db = str(tmp_path / "v.db")
    res = runner.invoke(app, ["ingest", str(folder), "--db", db])
    assert res.exit_code == 0, res.output
    with open_store(db) as store:
        (only,) = list(store.iter_articles())
        assert store.get_article(only["id"])["origin"].endswith("1-plain.txt")
    assert "3 (same input: not analysed again" in res.output


def test_a_given_id_with_new_text_or_metadata_is_analysed_again(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    db = str(tmp_path / "v.db")
    line = {"id": "story-1", "text": SECOND, "published": "2022-01-12"}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(path), "--db", db]).exit_code == 0
    for change in ({"text": SECOND.replace("jeudi", "vendredi")}, {"title": "Géorgie"}):
        line.update(change)
        path.write_text(json.dumps(line) + "\n", encoding="utf-8")
        res = runner.invoke(app, ["ingest", str(path), "--db", db])
        assert res.exit_code == 0 and "updated" in res.output, res.output
    with open_store(db) as store:
        art = store.get_article("story-1")
    assert "vendredi" in art["text"] and art["title"] == "Géorgie"


def test_skipped_articles_still_teach_the_repeated_line_learner(tmp_path: Path):
    """A rerun cleans the articles after the skipped ones exactly as an uninterrupted run does."""
    footer = "Abonnez-vous à notre lettre d'information quotidienne\nPartager sur Facebook\n"
    bodies = [f"Article numéro {i} : le conseil municipal de Lyon a voté une motion sur les transports.\n" for i in range(6)]
    items = [Article(id=f"a{i}", raw=body + footer, origin=f"site/{i}.txt", source="site") for i, body in enumerate(bodies)]
    opts = RunOptions(nlp=False)
    clean = list(analyze_articles([Article(id=a.id, raw=a.raw, origin=a.origin, source=a.source) for a in items], opts))
    stored = {a.id: a.input_digest for a in clean[:4]}
    opts.is_stored = lambda a: stored.get(a.id) == a.input_digest
    resumed = list(analyze_articles(items, opts))
    assert [type(r) for r in resumed] == [Skipped] * 4 + [Article] * 2
    assert [r.text for r in resumed[4:]] == [r.text for r in clean[4:]]
    assert "Partager" not in resumed[5].text


def test_input_digest_ignores_origin_and_encoding_but_not_metadata():
    a = Article(id="x", raw="Texte é\r\n", origin="a.txt", title="T")
    b = Article(id="x", raw="Texte e\u0301\n", origin="b.txt", title="T")
    c = Article(id="x", raw="Texte é\n", origin="a.txt", title="Autre")
    assert input_digest(a) == input_digest(b) != input_digest(c)


def test_stored_in_asks_the_store(tmp_path: Path):
    with open_store(str(tmp_path / "v.db")) as store:
        article = Article(id="x", raw="r", text="t", language="fr")
        article.input_digest = input_digest(article)
        is_stored = stored_in(store)
        assert not is_stored(article)
        store.upsert_article(article)
        assert is_stored(article)
        article.title = "new"
        article.input_digest = input_digest(article)
        assert not is_stored(article)
