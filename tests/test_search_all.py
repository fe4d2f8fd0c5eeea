"""`Store.search_all`: one search over articles, quotes, entities and events, by stem, with OR, "phrases", NOT and
prefix*, filters, paging and the total (on SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest

from store_backends import store_fixture  # noqa: F401 - the `store` fixture
from vigie.records import Article, EntityMention, Event, Quote
from vigie.store.search_all import fts5_match, parse_query

FR_TEXT = "Des manifestations ont eu lieu à Paris contre la réforme des retraites. Emmanuel Macron a réagi."
EN_TEXT = "Protests erupted in London as thousands marched against the pension reform."


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def fr_article(id: str = "fr0000000001", published: str = "2024-03-01", text: str = FR_TEXT,
               title: str = "Journée de grève") -> Article:
    art = Article(id=id, raw=text, text=text, title=title, language="fr", published=published, source="lemonde.fr")
    if "Macron" in text:
        s, e = _span(text, "Emmanuel Macron")
        art.entities = [EntityMention(text="Emmanuel Macron", label="PER", start=s, end=e, canonical="Emmanuel Macron")]
        art.quotes = [Quote(text="Nous ne céderons pas sur la réforme", start=0, end=10, speaker="Emmanuel Macron",
                            cue="dire", direct=True)]
    if "manifestations" in text:
        s, e = _span(text, "manifestations")
        art.events = [Event(type="PROTEST", mode="demonstrate", start=s, end=e, trigger="manifestations",
                            location="Paris", evidence="Des manifestations ont eu lieu à Paris", evidence_start=0,
                            evidence_end=38)]
    return art


def en_article(id: str = "en0000000001", published: str = "2024-04-02", text: str = EN_TEXT) -> Article:
    art = Article(id=id, raw=text, text=text, title="Unrest in Britain", language="en", published=published,
                  source="bbc.co.uk")
    s, e = _span(text, "London")
    art.entities = [EntityMention(text="London", label="LOC", start=s, end=e, canonical="London")]
    return art


def ids(result: dict, kind: str = "article") -> set[str]:
    return {h["id"] for h in result["items"] if h["kind"] == kind}


@pytest.fixture
def filled(store):
    store.upsert_article(fr_article())
    store.upsert_article(en_article())
    return store


def test_stemming_finds_other_forms(filled):
    found = filled.search_all("manifestation")
    assert ids(found) == {"fr0000000001"}
    article = next(h for h in found["items"] if h["kind"] == "article")
    assert "[manifestations]" in article["snippet"]
    assert ids(filled.search_all("protest")) == {"en0000000001"}  # "Protests"
    assert ids(filled.search_all("marching")) == {"en0000000001"}  # "marched"
    assert ids(filled.search_all("MANIFESTÉES")) == ids(filled.search_all("manifestees"))  # accents and case off


def test_or_phrase_not_prefix(filled):
    assert ids(filled.search_all("Paris OR London")) == {"fr0000000001", "en0000000001"}
    assert ids(filled.search_all("Paris | London")) == {"fr0000000001", "en0000000001"}
    assert ids(filled.search_all("Paris London")) == set()  # words are ANDed
    assert ids(filled.search_all('"pension reform"')) == {"en0000000001"}
    assert ids(filled.search_all('"reform pension"')) == set()  # a phrase's words in a row, in order
    assert ids(filled.search_all("réforme -paris")) == {"en0000000001"}
    assert ids(filled.search_all("réforme NOT London")) == {"fr0000000001"}
    assert ids(filled.search_all("retrait*")) == {"fr0000000001"}
    assert ids(filled.search_all("Lond*")) == {"en0000000001"}
    assert ids(filled.search_all("-paris")) == set()  # nothing to find, only to exclude


def test_quotes_entities_and_events_are_hits_of_their_kind(filled):
    found = filled.search_all("céderons")
    assert [h["kind"] for h in found["items"]] == ["quote"]
    quote = found["items"][0]
    assert quote["id"] == "fr0000000001" and quote["idx"] == 0 and quote["speaker"] == "Emmanuel Macron"
    assert "[céderons]" in quote["snippet"]
    found = filled.search_all("Macron")
    assert found["by_kind"] == {"article": 1, "quote": 1, "entity": 1, "event": 0}
    entity = next(h for h in found["items"] if h["kind"] == "entity")
    assert entity["canonical"] == "Emmanuel Macron" and entity["n_articles"] == 1 and entity["label"] == "PER"
    found = filled.search_all("protest", kinds=["event"])
    assert [(h["kind"], h["type"], h["idx"]) for h in found["items"]] == [("event", "PROTEST", 0)]
    assert found["items"][0]["id"] == "fr0000000001"


def test_total_counts_every_match_not_the_page(store):
    for i in range(7):
        store.upsert_article(fr_article(id=f"fr{i:010d}", published=f"2024-03-{i + 1:02d}",
                                        text=f"Les manifestations du jour {i} à Lyon."))
    first = store.search_all("manifestation", kinds=["article"], limit=3)
    assert first["total"] == 7 and first["by_kind"]["article"] == 7 and len(first["items"]) == 3
    second = store.search_all("manifestation", kinds=["article"], limit=3, offset=3)
    third = store.search_all("manifestation", kinds=["article"], limit=3, offset=6)
    seen = [h["id"] for page in (first, second, third) for h in page["items"]]
    assert len(seen) == len(set(seen)) == 7
    every = store.search_all("manifestation", limit=1)
    assert every["total"] == 14 and every["by_kind"]["event"] == 7 and len(every["items"]) == 1


def test_an_entity_is_one_hit_across_articles(store):
    store.upsert_article(fr_article(id="fr0000000001"))
    store.upsert_article(fr_article(id="fr0000000002", published="2024-05-01"))
    found = store.search_all("Macron", kinds=["entity"])
    assert found["total"] == 1 and found["items"][0]["n_articles"] == 2


def test_filters(filled):
    assert ids(filled.search_all("réforme OR reform", date_from="2024-04-01")) == {"en0000000001"}
    assert ids(filled.search_all("réforme OR reform", date_to="2024-03-31")) == {"fr0000000001"}
    assert ids(filled.search_all("réforme OR reform", language="fr")) == {"fr0000000001"}
    assert ids(filled.search_all("réforme OR reform", source="bbc.co.uk")) == {"en0000000001"}
    found = filled.search_all("Paris OR London", kinds=["entity"])
    assert {h["kind"] for h in found["items"]} == {"entity"} and found["total"] == 1
    found = filled.search_all("manifestation", type="PROTEST")
    assert [h["kind"] for h in found["items"]] == ["event"] and found["total"] == 1
    assert filled.search_all("manifestation", type="ASSAULT")["total"] == 0


def test_the_index_follows_updates(store):
    store.upsert_article(fr_article())
    assert store.search_all("retraites")["total"] >= 1
    store.upsert_article(fr_article(text="Un texte tout autre sur la météo à Lille."))
    assert store.search_all("retraites")["total"] == 0
    assert ids(store.search_all("météo")) == {"fr0000000001"}
    assert store.search_all("Macron")["total"] == 0  # its quote and entity went with the old text


@pytest.mark.parametrize("query", [
    '"unbalanced', 'NEAR(manifestation, 3)', "manif*ation OR", "OR", "NOT", "- -", "*", '""*', "title:paris",
    "a AND OR NOT b", "(((", "'; DROP TABLE articles; --", "\x00manifestation", "x" * 10_000,
    "manifestation " * 2_000, "é" * 300, "\\", "':*", "!!! & | <->",
])
def test_hostile_queries_are_safe(filled, query):
    found = filled.search_all(query)
    assert found["total"] == len(found["items"]) or found["total"] > len(found["items"])
    assert set(found["by_kind"]) == {"article", "quote", "entity", "event"}


def test_hostile_queries_still_find_real_words(filled):
    assert ids(filled.search_all('"manifestation')) == {"fr0000000001"}  # an unbalanced quote is no syntax
    assert ids(filled.search_all("(manifestation) AND")) == {"fr0000000001"}
    assert ids(filled.search_all('NEAR( "manifestation')) == set()  # "near" is a word: no article has it
    assert ids(filled.search_all("\x00manifestation")) == {"fr0000000001"}
    assert ids(filled.search_all("title:paris")) == set()  # "title" is a word like any other


def test_query_parsing():
    clauses = parse_query('a OR "b c" -d NOT e f*')
    assert [(c.negated, [(t.words, t.prefix) for t in c.terms]) for c in clauses] == [
        (False, [(("a",), False), (("b", "c"), False)]),
        (True, [(("d",), False)]),
        (True, [(("e",), False)]),
        (False, [(("f",), True)]),
    ]
    match = fts5_match(clauses)
    assert match is not None and match.startswith("((") and " NOT " in match
    assert parse_query("NOT a -b") == []  # nothing to find
    assert len(parse_query("w " * 500)) == 64
