"""Tests for the store (no spaCy: hand-built articles). Tests taking the `store` fixture run on SQLite and
PostgreSQL (see store_backends.py); the others are about SQLite files."""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, replace

import pytest

from store_backends import PG_URL, open_backend, pg_skip_reason, scalar, store_fixture  # noqa: F401 - the `store` fixture
from vigie.records import (
    Article,
    ArticleError,
    EntityMention,
    Event,
    Measure,
    Place,
    Quantity,
    Quote,
    RemovedLine,
    TimeExpr,
)
from vigie.store import SCHEMA_VERSION, AmbiguousIdError, SQLiteStore, build_fts_query, open_store
from vigie.store import sqlite as store_sqlite
from vigie.store.common import to_article

TEXT_1 = (
    "Le ministre de l'Intérieur a présenté à Paris un plan pour la sécurité routière. "
    "Emmanuel Macron a salué l'initiative."
)
TEXT_2 = "À Lyon, la Croix-Rouge française ouvre un centre d'accueil. Élisabeth Borne était présente."
TEXT_3 = "La préfecture de Marseille annonce des contrôles renforcés sur l'autoroute A7."
TEXT_4 = "Le camion de 12 tonnes roulait à 90 km/h sur une route limitée à 3,5 t, entre 3 et 5 km de Lyon."
#: content_hash(make_article()) as schema version 3 computed it: an article without measures keeps its hash.
SCHEMA_3_HASH = "0cd2e2520a8f8dfff14bd596260a449bc7ed841fc5065c39b38be26d91103f90"


def _ent(text: str, body: str, label: str, canonical: str | None = None, **kw) -> EntityMention:
    start = body.index(text)
    return EntityMention(text=text, label=label, start=start, end=start + len(text), canonical=canonical or text, **kw)


def make_article(
    id: str = "a1b2c3d4e5f6",
    text: str = TEXT_1,
    title: str = "Plan de sécurité routière",
    origin: str = "corpus/article1.txt",
    entities: list[EntityMention] | None = None,
    language: str = "fr",
) -> Article:
    if entities is None:
        entities = [
            _ent("Paris", text, "LOC"),
            _ent("Emmanuel Macron", text, "PER"),
        ] if text == TEXT_1 else []
    return Article(
        id=id,
        raw=f"{title}\nSuivez-nous sur Twitter\n{text}",
        origin=origin,
        url=f"https://exemple.fr/{id}",
        title=title,
        source="exemple.fr",
        author="Jeanne Dupont",
        published="2024-03-14",
        text=text,
        language=language,
        language_score=0.98,
        removed_lines=[RemovedLine(line_no=1, text="Suivez-nous sur Twitter", reason="rule:follow-call")],
        entities=entities,
        meta={"format": "txt", "encoding": "utf-8"},
    )


def is_sqlite(store) -> bool:
    return isinstance(store, SQLiteStore)


def count(store, table: str) -> int:
    return scalar(store, f"SELECT COUNT(*) FROM {table}")


def test_open_creates_file_with_pragmas(tmp_path):
    path = tmp_path / "deep" / "dir" / "vigie.db"
    with SQLiteStore(path) as s:
        assert path.exists()
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert s.schema_version == SCHEMA_VERSION
    # Re-opening an existing database works and keeps the version.
    with SQLiteStore(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.count_articles() == 0


def test_newer_schema_version_refused(tmp_path):
    path = tmp_path / "vigie.db"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        SQLiteStore(path)


def test_open_store_urls(tmp_path):
    with open_store(str(tmp_path / "a.db")) as s:
        assert isinstance(s, SQLiteStore)
    with open_store(f"sqlite:///{tmp_path / 'b.db'}") as s:  # absolute path => sqlite:////...
        assert s.path == str(tmp_path / "b.db")
    assert (tmp_path / "b.db").exists()
    with pytest.raises(ValueError, match="unsupported"):
        open_store("mysql://localhost/x")


def test_upsert_twice_is_one_row_and_unchanged(store):
    art = make_article()
    assert store.upsert_article(art) == "new"
    assert store.upsert_article(make_article()) == "unchanged"
    assert store.count_articles() == 1
    got = store.get_article(art.id)
    assert got is not None
    assert got["title"] == "Plan de sécurité routière"
    assert got["text"] == TEXT_1
    assert got["meta"] == {"format": "txt", "encoding": "utf-8"}
    assert got["n_removed_lines"] == 1
    assert got["removed_lines"] == [{"line_no": 1, "text": "Suivez-nous sur Twitter", "reason": "rule:follow-call"}]
    assert [(e["text"], e["label"]) for e in got["entities"]] == [("Paris", "LOC"), ("Emmanuel Macron", "PER")]
    first = got["entities"][0]
    assert TEXT_1[first["start"] : first["end"]] == "Paris"
    assert first["extractor"] == "spacy" and first["confidence"] == pytest.approx(0.8)
    assert count(store, "entities") == 2


def test_reprocessing_replaces_annotations(store):
    store.upsert_article(make_article())
    before = store.get_article("a1b2c3d4e5f6")
    new_entities = [_ent("Intérieur", TEXT_1, "ORG", canonical="Ministère de l'Intérieur")]
    changed = make_article(entities=new_entities)
    changed.removed_lines = []
    assert store.upsert_article(changed) == "updated"
    after = store.get_article("a1b2c3d4e5f6")
    assert [e["canonical"] for e in after["entities"]] == ["Ministère de l'Intérieur"]
    assert after["removed_lines"] == [] and after["n_removed_lines"] == 0
    assert count(store, "entities") == 1
    assert count(store, "removed_lines") == 0
    assert after["ingested_at"] == before["ingested_at"]
    assert store.count_articles() == 1
    # A change in text is reflected in the full-text index (old words gone, new words found).
    store.upsert_article(make_article(text=TEXT_3, title="Contrôles"))
    assert store.search("macron") == []
    assert [r["id"] for r in store.search("autoroute")] == ["a1b2c3d4e5f6"]


def test_search_accent_folding_snippet_and_ranking(store):
    store.upsert_article(make_article())
    store.upsert_article(make_article(id="ffee00112233", text=TEXT_2, title="Accueil à Lyon", origin="c/2.txt"))
    store.upsert_article(make_article(id="ffee00445566", text=TEXT_3, title="Contrôles", origin="c/3.txt"))

    hits = store.search("securite")
    assert [h["id"] for h in hits] == ["a1b2c3d4e5f6"]
    hit = hits[0]
    assert set(hit) >= {"id", "title", "published", "language", "snippet"}
    assert hit["published"] == "2024-03-14" and hit["language"] == "fr"
    assert "[sécurité]" in hit["snippet"]

    assert [h["id"] for h in store.search("ELISABETH borne")] == ["ffee00112233"]
    assert [h["id"] for h in store.search("controle*")] == ["ffee00445566"]  # prefix, accent-folded
    assert [h["id"] for h in store.search('"croix rouge"')] == ["ffee00112233"]  # phrase
    assert store.search("croix marseille") == []  # terms are ANDed
    assert len(store.search("p*", limit=2)) == 2
    # French stop words are not indexed by PostgreSQL's French configuration; SQLite indexes every word
    assert len(store.search("la")) == (3 if is_sqlite(store) else 0)


@pytest.mark.parametrize(
    "query",
    ['"', "AND (", "*", "NEAR(", "sécurité AND (", 'NEAR("a" "b", 2)', "title:paris", "-x ^y", ")(", "", "   ",
     "OR OR", "sécu*rité*", '"unterminated', "a:b:c {col1 col2}",
     "paris\x00\"", "paris \udcff"],  # NUL would cut the MATCH string; lone surrogate from argv
)
def test_search_never_raises(store, query):
    store.upsert_article(make_article())
    results = store.search(query)
    assert isinstance(results, list)


def test_hostile_query_still_finds_real_words(store):
    store.upsert_article(make_article())
    assert [h["id"] for h in store.search('sécurité AND (')] == []  # "and" is a literal term, not an operator
    assert [h["id"] for h in store.search('(sécurité) "paris')] == ["a1b2c3d4e5f6"]
    assert build_fts_query('NEAR( "x') == '"NEAR(" """x"'  # stray quote escaped, harmless
    assert build_fts_query("*") is None
    assert build_fts_query('l"eau*') == '"l""eau"*'


def test_errors_deduplicate_and_clear(store):
    err = ArticleError(origin="bad/one.html", stage="read", reason="cannot decode")
    store.record_error(err)
    store.record_error(ArticleError(origin="bad/one.html", stage="read", reason="still cannot decode"))
    store.record_error(ArticleError(origin="bad/one.html", stage="nlp", reason="boom"))
    store.record_error(ArticleError(origin="bad/two.html", stage="read", reason="empty"))
    errors = store.list_errors(limit=10)
    assert len(errors) == 3
    one_read = next(e for e in errors if e["origin"] == "bad/one.html" and e["stage"] == "read")
    assert one_read["count"] == 2
    assert one_read["reason"] == "still cannot decode"
    assert one_read["first_seen"] <= one_read["last_seen"]
    assert len(store.list_errors(limit=1)) == 1
    assert store.stats()["errors"] == {"read": 2, "nlp": 1}

    # The same input now goes through: its errors are cleared, others stay.
    assert store.upsert_article(make_article(origin="bad/one.html")) == "new"
    assert {e["origin"] for e in store.list_errors(10)} == {"bad/two.html"}
    # Even an "unchanged" re-run clears a fresh error for that origin.
    store.record_error(ArticleError(origin="bad/one.html", stage="nlp", reason="flaky"))
    assert store.upsert_article(make_article(origin="bad/one.html")) == "unchanged"
    assert {e["origin"] for e in store.list_errors(10)} == {"bad/two.html"}


def test_failing_upsert_rolls_back_and_keeps_prior_data(store, monkeypatch):
    original = make_article()
    store.upsert_article(original)
    store.record_error(ArticleError(origin=original.origin, stage="nlp", reason="old failure"))
    before = store.get_article(original.id)

    real_replace = type(store)._replace_annotations

    def exploding_replace(self, conn, article):
        real_replace(self, conn, article)  # deletes and re-inserts annotations ...
        raise RuntimeError("disk on fire")  # ... then fails mid-transaction

    monkeypatch.setattr(type(store), "_replace_annotations", exploding_replace)
    changed = make_article(text=TEXT_3, title="Autre titre", entities=[_ent("Marseille", TEXT_3, "LOC")])
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.upsert_article(changed)
    # A brand-new article failing the same way is not stored at all.
    with pytest.raises(RuntimeError):
        store.upsert_article(make_article(id="0123456789ab", origin="x.txt"))
    monkeypatch.undo()

    assert store.get_article(original.id) == before
    assert store.get_article("0123456789ab") is None
    assert store.count_articles() == 1
    assert len(store.list_errors(10)) == 1  # the error was not cleared either
    assert [h["id"] for h in store.search("securite")] == [original.id]
    assert store.search("marseille") == []
    # The store is still usable afterwards.
    assert store.upsert_article(changed) == "updated"
    assert [h["id"] for h in store.search("marseille")] == [original.id]


def test_unique_prefix_lookup(store):
    store.upsert_article(make_article(id="abcdef111111"))
    store.upsert_article(make_article(id="abcdef222222", origin="o2"))
    store.upsert_article(make_article(id="123456789abc", origin="o3"))
    assert store.get_article("abcdef1")["id"] == "abcdef111111"
    assert store.get_article("123456")["id"] == "123456789abc"
    assert store.get_article("12345") is None  # too short for a prefix
    assert store.get_article("zzzzzzzz") is None
    with pytest.raises(AmbiguousIdError) as exc:
        store.get_article("abcdef")
    assert set(exc.value.matches) == {"abcdef111111", "abcdef222222"}
    assert store.get_article("abcdef222222")["origin"] == "o2"  # exact id always wins


def test_foreign_keys_cascade(store):
    store.upsert_article(make_article())
    with store._transaction() as conn:
        conn.execute("DELETE FROM articles WHERE id = ?", ("a1b2c3d4e5f6",))
    assert count(store, "entities") == 0
    assert count(store, "removed_lines") == 0
    assert store.search("securite") == []


def test_stats_contents(store, tmp_path):
    store.upsert_article(make_article())
    store.upsert_article(
        make_article(
            id="bbbbbb000001",
            text="Emmanuel Macron est à Paris puis à Lyon.",
            origin="c/b1",
            entities=[
                _ent("Emmanuel Macron", "Emmanuel Macron est à Paris puis à Lyon.", "PER"),
                _ent("Paris", "Emmanuel Macron est à Paris puis à Lyon.", "LOC"),
                _ent("Lyon", "Emmanuel Macron est à Paris puis à Lyon.", "LOC"),
            ],
        )
    )
    store.upsert_article(make_article(id="cccccc000001", text="Hello world.", origin="c/c1", language="en"))
    store.upsert_article(make_article(id="dddddd000001", text="???", origin="c/d1", language=None))
    store.record_error(ArticleError(origin="bad.txt", stage="read", reason="empty"))

    st = store.stats()
    assert st["articles"] == 4
    assert st["by_language"] == {"fr": 2, "en": 1, "unknown": 1}
    assert st["entity_mentions"] == {"LOC": 3, "PER": 2}
    assert st["top_entities"]["LOC"][0] == {"canonical": "Paris", "articles": 2, "mentions": 2}
    assert st["top_entities"]["LOC"][1]["canonical"] == "Lyon"
    assert st["top_entities"]["PER"] == [{"canonical": "Emmanuel Macron", "articles": 2, "mentions": 2}]
    assert st["errors"] == {"read": 1}
    assert st["removed_lines"] == 4
    assert st["db_path"] == store.path
    assert st["db_size_bytes"] > 0
    assert st["schema_version"] == SCHEMA_VERSION


def test_top_entities_capped_per_label(store):
    body = " ".join(f"Ville{i}" for i in range(15))
    ents = [_ent(f"Ville{i}", body, "LOC") for i in range(15)]
    store.upsert_article(make_article(text=body, entities=ents))
    assert len(store.stats()["top_entities"]["LOC"]) == 10


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_iter_articles_and_close(tmp_path, backend):
    s = open_backend(backend, tmp_path)
    ids = [f"art{i:09d}" for i in range(7)]
    for i, aid in enumerate(ids):
        s.upsert_article(make_article(id=aid, origin=f"o{i}"))
    got = list(s.iter_articles(batch_size=3))
    assert [a["id"] for a in got] == ids
    assert all("seq" not in a and len(a["entities"]) == 2 for a in got)
    assert got[0] == s.get_article(ids[0])
    s.close()
    s.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        s.count_articles()


def test_reader_sees_committed_data_while_writer_open(tmp_path):
    path = tmp_path / "v.db"
    with SQLiteStore(path) as writer, SQLiteStore(path) as reader:
        writer.upsert_article(make_article())
        assert reader.count_articles() == 1
        assert reader.get_article("a1b2c3d4e5f6")["title"] == "Plan de sécurité routière"


# ---------------------------------------------------------------- PostgreSQL only


@pytest.fixture
def pg_schema():
    """A schema name for a test that opens several PostgreSQL stores on it; dropped at the end."""
    reason = pg_skip_reason()
    if reason:
        pytest.skip(reason)
    import uuid

    import psycopg

    name = f"vigie_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    yield name
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {name} CASCADE")


def test_pg_open_store_url_and_redaction(pg_schema):
    from vigie.store.postgres import PostgresStore, redact

    sep = "&" if "?" in PG_URL else "?"
    with open_store(f"{PG_URL}{sep}options=-csearch_path%3D{pg_schema}") as s:  # the schema the URL selects
        assert isinstance(s, PostgresStore) and s.schema_version == SCHEMA_VERSION
        assert s.upsert_article(make_article()) == "new"
    assert redact("postgresql://vigie:s3cret@db.example:5432/news") == "postgresql://vigie:***@db.example:5432/news"
    assert redact("postgresql://vigie@localhost/news") == "postgresql://vigie@localhost/news"
    with PostgresStore(PG_URL, schema=pg_schema) as s:  # what repr and stats show goes through redact
        assert s.stats()["db_path"] == f"{redact(PG_URL)} (schema {pg_schema})" and s.path in repr(s)


def test_pg_two_stores_share_a_schema(pg_schema):
    from vigie.store.postgres import PostgresStore

    with PostgresStore(PG_URL, schema=pg_schema) as writer, PostgresStore(PG_URL, schema=pg_schema) as reader:
        assert reader.has_unaccent == writer.has_unaccent
        assert writer.upsert_article(make_article()) == "new"
        assert reader.upsert_article(make_article()) == "unchanged"  # the same article from another process
        assert reader.get_article("a1b2c3d4e5f6")["title"] == "Plan de sécurité routière"
        assert [h["id"] for h in reader.search("plan")] == ["a1b2c3d4e5f6"]


def test_pg_concurrent_writers_of_one_article(pg_schema):
    import threading

    from vigie.store.postgres import PostgresStore

    stores = [PostgresStore(PG_URL, schema=pg_schema) for _ in range(3)]
    statuses: list[str] = []
    threads = [threading.Thread(target=lambda s=s: statuses.append(s.upsert_article(make_article()))) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == ["new", "unchanged", "unchanged"]  # the advisory lock serialised them
    assert stores[0].count_articles() == 1 and count(stores[0], "entities") == 2
    for s in stores:
        s.close()


def test_pg_newer_schema_version_refused(pg_schema):
    from vigie.store.postgres import PostgresStore

    with PostgresStore(PG_URL, schema=pg_schema) as s, s._transaction() as conn:
        conn.execute("UPDATE vigie_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(RuntimeError, match="newer"):
        PostgresStore(PG_URL, schema=pg_schema)


def test_text_with_nul_is_stored(store):
    art = make_article(text="Un texte\x00 avec un octet nul.")
    assert store.upsert_article(art) == "new"
    # PostgreSQL text cannot hold NUL: it becomes U+FFFD there; SQLite keeps it
    nul = "\x00" if is_sqlite(store) else "\ufffd"
    assert store.get_article(art.id)["text"] == f"Un texte{nul} avec un octet nul."


def test_metadata_change_is_an_update(store):
    store.upsert_article(make_article(title="Annonce gouvernementale"))
    art = make_article(title="Annonce gouvernementale")
    art.title = "Nouveau titre"
    assert store.upsert_article(art) == "updated"
    assert store.get_article(art.id)["title"] == "Nouveau titre"
    assert [h["id"] for h in store.search("nouveau")] == [art.id]
    assert store.search("gouvernementale") == []
    if is_sqlite(store):
        store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


def test_content_hash_stable():
    a, b = make_article(), make_article()
    assert store_sqlite.content_hash(a) == store_sqlite.content_hash(b)
    b.entities = [replace(b.entities[0], confidence=0.5)] + b.entities[1:]
    assert store_sqlite.content_hash(a) != store_sqlite.content_hash(b)


def test_content_hash_counts_measures_only_when_there_are_some():
    # measures are stored since schema 4: an article without any hashes as before, so a rerun finds it unchanged
    assert store_sqlite.content_hash(make_article()) == SCHEMA_3_HASH
    a, b = _measured_article(), _measured_article()
    assert store_sqlite.content_hash(a) == store_sqlite.content_hash(b)
    b.measures[0].value = 13.0
    assert store_sqlite.content_hash(a) != store_sqlite.content_hash(b)
    b.measures = []
    assert store_sqlite.content_hash(a) != store_sqlite.content_hash(b)


def _measure(body: str, words: str, value: float | None, unit: str, low: float | None = None,
             high: float | None = None) -> Measure:
    start = body.index(words)
    return Measure(text=words, start=start, end=start + len(words), value=value, low=low, high=high, unit=unit)


def _measured_article() -> Article:
    art = make_article(id="e1e2e3e4e5e6", text=TEXT_4, title="Un camion trop lourd", origin="corpus/camion.txt")
    art.measures = [
        _measure(TEXT_4, "12 tonnes", 12.0, "t"),
        _measure(TEXT_4, "90 km/h", 90.0, "km/h"),
        _measure(TEXT_4, "3,5 t", 3.5, "t"),
        _measure(TEXT_4, "entre 3 et 5 km", None, "km", low=3.0, high=5.0),
    ]
    return art


def test_measures_round_trip_replace_and_cascade(store):
    art = _measured_article()
    assert store.upsert_article(art) == "new"
    got = store.get_article("e1e2e3")  # by prefix, like quantities
    assert got["measures"] == [asdict(m) for m in art.measures]
    assert [TEXT_4[m["start"] : m["end"]] for m in got["measures"]] == ["12 tonnes", "90 km/h", "3,5 t", "entre 3 et 5 km"]
    assert got["measures"][3]["value"] is None and (got["measures"][3]["low"], got["measures"][3]["high"]) == (3, 5)
    assert to_article(got).measures == art.measures
    assert [a["measures"] for a in store.iter_articles()] == [got["measures"]]
    assert store.stats()["measures"] == 4
    assert store.upsert_article(_measured_article()) == "unchanged"
    # re-analysed with other measures: the old rows are replaced, not added to
    changed = _measured_article()
    changed.measures = changed.measures[1:2]
    assert store.upsert_article(changed) == "updated"
    assert [m["text"] for m in store.get_article(art.id)["measures"]] == ["90 km/h"]
    assert count(store, "measures") == 1
    changed.measures = []
    assert store.upsert_article(changed) == "updated"
    assert store.get_article(art.id)["measures"] == [] and count(store, "measures") == 0
    # deleting the article deletes its measures (ON DELETE CASCADE, as for quantities)
    store.upsert_article(_measured_article())
    with store._transaction() as conn:
        conn.execute("DELETE FROM articles WHERE id = ?", (art.id,))
    assert count(store, "measures") == 0 and count(store, "quantities") == 0


def _extracted_article() -> Article:
    art = make_article()
    body = art.text
    q_start = body.index("Emmanuel")
    art.quotes = [
        Quote(text=body[:20], start=0, end=20, speaker="Emmanuel Macron", cue="déclarer", direct=True,
              speaker_text="Emmanuel Macron", speaker_start=q_start, speaker_end=q_start + 15, confidence=0.9)
    ]
    art.dates = [TimeExpr(text="mardi", start=3, end=8, value="2024-03-12", granularity="day")]
    art.quantities = [
        Quantity(text="des centaines de blessés", start=9, end=33, value=None, low=200, high=999,
                 unit="blessé", approx=True, role="injured")
    ]
    art.places = [Place(text="Paris", start=0, end=5, name="Paris", country="FR", kind="city", lat=48.86, lon=2.35,
                        geonames_id=2988507, main=True)]
    art.events = [Event(type="PROTEST", mode="demo", start=10, end=22, trigger="manifestation", source="manifestants",
                        source_sector="CVL", location="Paris", location_country="FR", date="2024-03-12",
                        context=["future"], evidence=body[:40], evidence_end=40, mentions=[[10, 22], [30, 35]])]
    return art


def test_places_and_events_round_trip(store):
    art = _extracted_article()
    store.upsert_article(art)
    got = store.get_article(art.id)
    assert got["places"][0]["main"] is True and got["places"][0]["geonames_id"] == 2988507
    ev = got["events"][0]
    assert ev["context"] == ["future"] and ev["mentions"] == [[10, 22], [30, 35]]
    assert ev["date_inferred"] is False and ev["type"] == "PROTEST"
    assert store.upsert_article(_extracted_article()) == "unchanged"


def test_quotes_dates_quantities_round_trip(store):
    art = _extracted_article()
    assert store.upsert_article(art) == "new"
    got = store.get_article(art.id)
    assert got["quotes"] == [
        {"text": TEXT_1[:20], "start": 0, "end": 20, "speaker": "Emmanuel Macron", "cue": "déclarer", "direct": True,
         "speaker_text": "Emmanuel Macron", "speaker_start": art.quotes[0].speaker_start,
         "speaker_end": art.quotes[0].speaker_end, "extractor": "vigie-quotes", "confidence": 0.9}
    ]
    assert got["dates"][0]["value"] == "2024-03-12" and got["dates"][0]["granularity"] == "day"
    q = got["quantities"][0]
    assert (q["value"], q["low"], q["high"], q["unit"], q["approx"], q["role"]) == (None, 200, 999, "blessé", True, "injured")
    # same article again: unchanged; a changed date: updated, and the old row is replaced, not duplicated
    assert store.upsert_article(_extracted_article()) == "unchanged"
    changed = _extracted_article()
    changed.dates[0].value = "2024-03-05"
    assert store.upsert_article(changed) == "updated"
    assert [d["value"] for d in store.get_article(art.id)["dates"]] == ["2024-03-05"]
    assert count(store, "dates") == 1


def test_version_1_database_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    with SQLiteStore(path) as s:
        s.upsert_article(make_article())
        for table in ("quotes", "dates", "quantities", "measures", "places", "events"):
            s.conn.execute(f"DROP TABLE {table}")
        s.conn.execute("PRAGMA user_version = 1")
    with SQLiteStore(path) as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert s.count_articles() == 1
        assert s.get_article("a1b2c3d4e5f6")["quotes"] == []
        assert s.upsert_article(_extracted_article()) == "updated"
        assert len(s.get_article("a1b2c3d4e5f6")["quantities"]) == 1


def test_version_2_database_gets_the_input_digest_and_keeps_its_articles(tmp_path):
    path = tmp_path / "v2.db"
    with SQLiteStore(path) as s:
        s.upsert_article(make_article())
        s.conn.execute("ALTER TABLE articles DROP COLUMN input_digest")
        s.conn.execute("DROP TABLE measures")
        s.conn.execute("PRAGMA user_version = 2")
    with SQLiteStore(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.get_article("a1b2c3d4e5f6")["measures"] == []
        assert s.stored_input_digest("a1b2c3d4e5f6") is None  # stored before: analysed again once
        article = make_article()
        article.input_digest = "d" * 64
        assert s.upsert_article(article) == "unchanged"
        assert s.stored_input_digest("a1b2c3d4e5f6") == "d" * 64


def _measures_columns(store) -> list[tuple]:
    """The measures table as the database describes it: columns, types, nullability, keys (and collations)."""
    if is_sqlite(store):
        cols = [tuple(r) for r in store.conn.execute("PRAGMA table_info(measures)")]
        keys = [tuple(r) for r in store.conn.execute("PRAGMA foreign_key_list(measures)")]
        return cols + keys
    return [tuple(r.values()) for r in store._rows(
        "SELECT column_name, data_type, is_nullable, collation_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = 'measures' ORDER BY ordinal_position"
    )] + [tuple(r.values()) for r in store._rows(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'measures'::regclass ORDER BY conname"
    )]


def _check_version_3_upgrade(old, reopen) -> None:
    """`old` holds a version-3 database (one article, no measures table): opened again, it gets the table of a new
    database and keeps working; its article stays "unchanged" until it comes with measures."""
    fresh = _measures_columns(old)
    old.upsert_article(make_article())
    with old._transaction() as conn:
        conn.execute("DROP TABLE measures")
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert _measures_columns(s) == fresh  # the migration makes the table schema.sql / schema_pg.sql make
        assert s.count_articles() == 1 and s.get_article("a1b2c3d4e5f6")["measures"] == []
        assert s.upsert_article(make_article()) == "unchanged"  # same content hash as version 3 stored
        measured = _measured_article()
        assert s.upsert_article(measured) == "new"
        assert s.get_article(measured.id)["measures"] == [asdict(m) for m in measured.measures]
        assert s.stats()["measures"] == 4 and [h["id"] for h in s.search("securite")] == ["a1b2c3d4e5f6"]


def _set_version(store, version: int) -> None:
    if is_sqlite(store):
        store.conn.execute(f"PRAGMA user_version = {version}")
        return
    with store._transaction() as conn:
        conn.execute("UPDATE vigie_meta SET value = ? WHERE key = 'schema_version'", (str(version),))


def test_version_3_database_gets_the_measures_table(tmp_path):
    path = tmp_path / "v3.db"
    old = SQLiteStore(path)
    _set_version(old, 3)
    _check_version_3_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_3_database_gets_the_measures_table(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 3)
    _check_version_3_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def _described(store, tables: tuple[str, ...]) -> list[tuple]:
    """Tables as the database describes them: columns, keys, indexes."""
    out: list[tuple] = []
    for table in tables:
        if is_sqlite(store):
            out += [tuple(r) for r in store.conn.execute(f"PRAGMA table_info({table})")]
            out += [tuple(r) for r in store.conn.execute(f"PRAGMA foreign_key_list({table})")]
            out += [tuple(r)[1:] for r in store.conn.execute(f"PRAGMA index_list({table})")]
            continue
        out += [tuple(r.values()) for r in store._rows(
            "SELECT column_name, data_type, is_nullable, collation_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position", (table,)
        )]
        out += [tuple(r.values()) for r in store._rows(
            f"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '{table}'::regclass "
            "ORDER BY conname"
        )]
        out += [tuple(r.values()) for r in store._rows(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ? "
            "ORDER BY indexname", (table,)
        )]
    return out


def _dedup_tables(store) -> list[tuple]:
    """The deduplication tables (schema 5)."""
    return _described(store, ("fingerprints", "article_sources"))


def _check_version_4_upgrade(old, reopen) -> None:
    """`old` holds a version-4 database (one article, no deduplication tables): opened again, it gets the tables of a
    new database; its article stays "unchanged", gets a fingerprint from its stored text and can be duplicated."""
    from vigie.dedup import DedupIndex

    fresh = _dedup_tables(old)
    old.upsert_article(make_article())
    with old._transaction() as conn:
        conn.execute("DROP TABLE article_sources")
        conn.execute("DROP TABLE fingerprints")
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert _dedup_tables(s) == fresh  # the migration makes the tables schema.sql / schema_pg.sql make
        assert s.upsert_article(make_article()) == "unchanged"  # same content hash as version 4 stored
        stored = s.get_article("a1b2c3d4e5f6")
        assert stored["duplicate_of"] is None and [x["id"] for x in stored["sources"]] == ["a1b2c3d4e5f6"]
        copy = make_article(id="c0pyc0pyc0py", origin="elsewhere/copy.txt")
        copy.fingerprint, copy.duplicate = DedupIndex(source=s).process(copy.id, copy.text, copy.published)
        assert copy.duplicate is not None and copy.duplicate.of == "a1b2c3d4e5f6" and copy.duplicate.method == "exact"
        assert s.upsert_article(copy) == "new"
        assert [x["id"] for x in s.get_article("a1b2c3d4e5f6")["sources"]] == ["a1b2c3d4e5f6", "c0pyc0pyc0py"]
        assert s.stats()["duplicates"] == 1 and count(s, "fingerprints") == 2


def test_version_4_database_gets_the_deduplication_tables(tmp_path):
    path = tmp_path / "v4.db"
    old = SQLiteStore(path)
    _set_version(old, 4)
    _check_version_4_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_4_database_gets_the_deduplication_tables(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 4)
    _check_version_4_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def _stories_table(store) -> list[tuple]:
    """The stories table (schema 6)."""
    return _described(store, ("article_stories",))


def _check_version_5_upgrade(old, reopen) -> None:
    """`old` holds a version-5 database (one article, no stories table): opened again, it gets the table of a new
    database; its article stays "unchanged", has no story until placed, then reads back its story id."""
    fresh = _stories_table(old)
    old.upsert_article(make_article())
    with old._transaction() as conn:
        conn.execute("DROP TABLE article_stories")
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert _stories_table(s) == fresh  # the migration makes the table schema.sql / schema_pg.sql make
        assert s.upsert_article(make_article()) == "unchanged"
        assert s.get_article("a1b2c3d4e5f6")["story_id"] is None
        assert [r["story_id"] for r in s.iter_story_rows()] == [None]
        s.save_stories([("a1b2c3d4e5f6", "a1b2c3d4e5f6", "scheme", "{}")])
        s.save_stories([("a1b2c3d4e5f6", "other", None, None)])  # the story changes, the features stay
        assert s.get_article("a1b2c3d4e5f6")["story_id"] == "other"
        assert [(r["scheme"], r["features"]) for r in s.iter_story_rows()] == [("scheme", "{}")]


def test_version_5_database_gets_the_stories_table(tmp_path):
    path = tmp_path / "v5.db"
    old = SQLiteStore(path)
    _set_version(old, 5)
    _check_version_5_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_5_database_gets_the_stories_table(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 5)
    _check_version_5_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def _check_version_6_upgrade(old, reopen) -> None:
    """`old` holds a version-6 database (one article, no cross-document tables): opened again, it gets the tables of
    a new database, and the article's event records read back without an event until linked."""
    fresh = _described(old, ("crossdoc_events", "crossdoc_mentions"))
    old.upsert_article(make_article())
    with old._transaction() as conn:
        conn.execute("DROP TABLE crossdoc_mentions")
        conn.execute("DROP TABLE crossdoc_events")
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert _described(s, ("crossdoc_events", "crossdoc_mentions")) == fresh
        assert s.upsert_article(make_article()) == "unchanged"
        assert s.crossdoc_digests() == {}
        assert all(e["event_id"] is None for e in s.get_article("a1b2c3d4e5f6")["events"])


def test_version_6_database_gets_the_crossdoc_tables(tmp_path):
    path = tmp_path / "v6.db"
    old = SQLiteStore(path)
    _set_version(old, 6)
    _check_version_6_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_6_database_gets_the_crossdoc_tables(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 6)
    _check_version_6_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def _check_version_7_upgrade(old, reopen) -> None:
    """`old` holds a version-7 database (one article, no tables of `vigie watch`): opened again, it gets the tables
    of a new database, keeps its article, and remembers what a watch saw."""
    fresh = _described(old, ("watch_sources", "watch_items"))
    old.upsert_article(make_article())
    with old._transaction() as conn:
        conn.execute("DROP TABLE watch_items")
        conn.execute("DROP TABLE watch_sources")
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert _described(s, ("watch_sources", "watch_items")) == fresh
        assert s.upsert_article(make_article()) == "unchanged"
        assert s.watch_known(["https://exemple.fr/a1b2c3d4e5f6"]) == set()
        s.save_watch_source("https://exemple.fr/rss.xml", "new", kind="feed", validators=('"v1"', None))
        s.add_watch_items([("https://exemple.fr/a1b2c3d4e5f6", "https://exemple.fr/rss.xml", "Plan", None)])
        s.save_watch_item("https://exemple.fr/a1b2c3d4e5f6", "https://exemple.fr/rss.xml", "stored",
                          article_id="a1b2c3d4e5f6")
        assert s.watch_item("https://exemple.fr/a1b2c3d4e5f6")["article_id"] == "a1b2c3d4e5f6"
        assert s.watch_source("https://exemple.fr/rss.xml")["etag"] == '"v1"'


def test_version_7_database_gets_the_watch_tables(tmp_path):
    path = tmp_path / "v7.db"
    old = SQLiteStore(path)
    _set_version(old, 7)
    _check_version_7_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_7_database_gets_the_watch_tables(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 7)
    _check_version_7_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def _places_indexes(store) -> set[str]:
    if is_sqlite(store):
        return {r[1] for r in store.conn.execute("PRAGMA index_list(places)")}
    return {r["indexname"] for r in store._rows(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'places'")}


def _check_version_8_upgrade(old, reopen) -> None:
    """`old` holds a version-8 database without the GeoNames index: opened again, it has it, and its article stays."""
    old.upsert_article(make_article())
    with old._transaction() as conn:
        conn.execute("DROP INDEX idx_places_geonames")
    assert "idx_places_geonames" not in _places_indexes(old)
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert "idx_places_geonames" in _places_indexes(s)
        assert s.upsert_article(make_article()) == "unchanged"


def test_version_8_database_gets_the_geonames_index(tmp_path):
    path = tmp_path / "v8.db"
    old = SQLiteStore(path)
    _set_version(old, 8)
    _check_version_8_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_8_database_gets_the_geonames_index(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 8)
    _check_version_8_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def _check_version_9_upgrade(old, reopen) -> None:
    """`old` holds a version-9 database without the search index: opened again, its stored articles are found by
    search_all (the migration fills the index), and storing goes on."""
    old.upsert_article(make_article())
    table = "search_fts" if is_sqlite(old) else "search_docs"
    with old._transaction() as conn:
        conn.execute(f"DROP TABLE {table}")
        if is_sqlite(old):
            conn.execute("DROP TRIGGER IF EXISTS search_fts_delete")
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        found = s.search_all("Macron")
        assert found["by_kind"]["article"] == 1 and found["by_kind"]["entity"] == 1
        assert found["items"][0]["id"] == "a1b2c3d4e5f6"
        assert s.upsert_article(make_article()) == "unchanged"
        assert s.search_all("Macron")["total"] == 2


def test_version_9_database_gets_the_search_index(tmp_path):
    path = tmp_path / "v9.db"
    old = SQLiteStore(path)
    _set_version(old, 9)
    _check_version_9_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_9_database_gets_the_search_index(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 9)
    _check_version_9_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def _check_version_10_upgrade(old, reopen) -> None:
    """`old` holds a version-10 database without the saved searches: opened again, it has them, and its articles and
    search are untouched."""
    old.upsert_article(make_article())
    with old._transaction() as conn:
        conn.execute("DROP TABLE alerts_sent")
        conn.execute("DROP TABLE saved_searches")
    old.close()
    with reopen() as s:
        assert s.schema_version == SCHEMA_VERSION == 11
        assert s.list_saved_searches() == []
        row = s.save_search("macron", "Macron", notify={"emails": ["desk@example.org"]})
        assert row["last_seq"] == s.max_article_seq() and s.count_saved_searches() == 1
        assert s.record_alerts_sent(row["id"], "print", [("article", "a1b2c3d4e5f6", "a1b2c3d4e5f6")]) == 1
        assert s.search_all("Macron")["by_kind"]["article"] == 1
        assert s.upsert_article(make_article()) == "unchanged"


def test_version_10_database_gets_saved_searches(tmp_path):
    path = tmp_path / "v10.db"
    old = SQLiteStore(path)
    _set_version(old, 10)
    _check_version_10_upgrade(old, lambda: SQLiteStore(path))


def test_pg_version_10_database_gets_saved_searches(pg_schema):
    from vigie.store.postgres import PostgresStore

    old = PostgresStore(PG_URL, schema=pg_schema)
    _set_version(old, 10)
    _check_version_10_upgrade(old, lambda: PostgresStore(PG_URL, schema=pg_schema))


def test_an_interrupt_inside_an_sql_function_stays_an_interrupt(tmp_path):
    """Ctrl-C or SIGTERM arriving while SQLite runs one of vigie's Python functions (stems, folding) must stop the
    run, not become "user-defined function raised exception" on one article."""

    def interrupted() -> None:
        raise KeyboardInterrupt

    with SQLiteStore(tmp_path / "v.db") as s:
        s.conn.create_function("interrupted", 0, s._guarded(interrupted))
        with pytest.raises(KeyboardInterrupt):
            s._rows("SELECT interrupted() AS x")
        with pytest.raises(KeyboardInterrupt), s._transaction() as conn:
            conn.execute("SELECT interrupted()")
        assert s._rows("SELECT 1 AS one") == [{"one": 1}]  # the store goes on afterwards
        s.upsert_article(make_article())
        assert s.count_articles() == 1
