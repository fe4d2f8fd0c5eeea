"""Near-duplicate articles (`vigie.dedup`, the dedup step, the store's links): hand-written articles, no model."""
from __future__ import annotations

from dataclasses import replace

import pytest

from store_backends import open_backend, scalar, store_fixture  # noqa: F401 - the `store` fixture
from vigie.dedup import DedupConfig, DedupIndex, body_hash, fingerprint_text, words
from vigie.dedup.fingerprint import minhash_from_bytes
from vigie.pipeline import RunOptions, analyze_articles
from vigie.records import Article, ArticleError, Duplicate, EntityMention, Skipped
from vigie.steps.resume import stored_in
from vigie.store import SQLiteStore

HEADLINE = "Kazakhstan : le président Tokaïev se rend à Almaty après les émeutes"
PARAGRAPHS = [
    "Le président du Kazakhstan, Kassym-Jomart Tokaïev, s’est rendu mercredi à Almaty, pour la première fois "
    "depuis les émeutes meurtrières de la semaine dernière, promettant de réparer les dégâts dans la plus grande "
    "ville du pays.",
    "« La tâche consiste maintenant à reconstruire la ville dans le plus court délai possible », a-t-il déclaré "
    "sur place, lors d’une rencontre gouvernementale, selon un communiqué de la présidence kazakhe.",
    "Cette visite survient à la veille du début du retrait annoncé du contingent militaire de quelque 2.000 "
    "hommes, menés par la Russie, envoyé pour soutenir le pouvoir en place pendant les émeutes.",
    "Selon les médias locaux, M. Tokaïev s’est également entretenu avec les proches des membres des forces de "
    "l’ordre tués lors des émeutes et a rendu visite à des personnes blessées soignées à l’hôpital.",
    "L’aéroport d’Almaty, fermé depuis la semaine dernière après avoir été saccagé, doit reprendre du service "
    "jeudi pour les vols nationaux et internationaux, selon le Comité de l’aviation civile.",
    "Les troubles ont fait des dizaines de morts et des centaines de blessés, et mené à l’arrestation de plus de "
    "10.000 personnes, après des manifestations contre la hausse des prix du carburant.",
]
ORIGINAL = "\n".join([HEADLINE, *PARAGRAPHS]) + "\n"
# The same article as another site publishes it: its menus and share buttons, a new headline, a byline.
REWRAPPED = "\n".join([
    "Accueil > Monde > Asie",
    "Partager sur Facebook",
    "Kazakhstan : Tokaïev promet de reconstruire Almaty",
    "Par Claire Martin avec AFP",
    "Publié le 13/01/2022 à 10h32",
    *PARAGRAPHS,
    "Lire aussi : Au Kazakhstan, la Russie commence à retirer ses troupes",
    "Abonnez-vous à notre newsletter",
]) + "\n"
# Another article on the same event: the same names and places, one sentence in common, other words.
SAME_EVENT = "\n".join([
    "Kazakhstan : les troupes de l'OTSC commencent leur retrait",
    "Les soldats de l'Organisation du traité de sécurité collective ont commencé jeudi à quitter le Kazakhstan, "
    "une semaine après leur arrivée à la demande du président Kassym-Jomart Tokaïev.",
    "Cette visite survient à la veille du début du retrait annoncé du contingent militaire de quelque 2.000 "
    "hommes, menés par la Russie, envoyé pour soutenir le pouvoir en place pendant les émeutes.",
    "Moscou, qui fournit l'essentiel des troupes, a salué une mission menée avec succès et assuré que le retrait "
    "serait achevé d'ici dix jours, selon le ministère russe de la Défense.",
    "À Almaty, la vie reprenait lentement son cours, les banques rouvrant leurs portes et les transports publics "
    "circulant de nouveau dans le centre de la ville.",
]) + "\n"


def article(id: str, text: str, published: str | None = "2022-01-12", **kw) -> Article:
    return Article(id=id, raw=text, text=text, published=published, language="fr", **kw)


def process(index: DedupIndex, art: Article) -> Duplicate | None:
    art.fingerprint, art.duplicate = index.process(art.id, art.text, art.published)
    return art.duplicate


# ------------------------------------------------------------------------------------------ matching


def test_normalised_body_folds_case_whitespace_punctuation_and_quotes():
    a = "Le président a dit « non » — l’affaire est close.\n  Il y avait 2.000 personnes."
    b = "LE PRÉSIDENT A DIT \"NON\" - L'AFFAIRE EST CLOSE ...\nIl y avait   2 000 personnes !"
    assert words(a) == words(b)
    assert body_hash(words(a)) == body_hash(words(b)) != body_hash(words(a + " Hier."))


def test_exact_duplicate_by_normalised_hash():
    index = DedupIndex()
    assert process(index, article("a", ORIGINAL)) is None
    shouted = ORIGINAL.upper().replace("’", "'").replace("«", '"').replace("»", '"').replace(" ", "  ")
    assert process(index, article("b", shouted)) == Duplicate(of="a", method="exact", similarity=1.0)


def test_rewrapped_copy_with_other_chrome_and_headline_is_a_near_duplicate():
    index = DedupIndex()
    process(index, article("a", ORIGINAL))
    dup = process(index, article("b", REWRAPPED, "2022-01-13"))
    assert dup is not None and dup.of == "a" and dup.method == "near" and dup.similarity >= 0.9


def test_two_articles_on_the_same_event_are_not_duplicates():
    index = DedupIndex()
    process(index, article("a", ORIGINAL))
    assert process(index, article("b", SAME_EVENT)) is None
    assert "b" in index  # an original itself


def test_truncated_copy():
    index = DedupIndex()
    process(index, article("a", ORIGINAL))
    teaser = "\n".join([HEADLINE, *PARAGRAPHS[:2], PARAGRAPHS[2][:60] + " (...)", "Lire la suite"])
    dup = process(index, article("b", teaser))
    assert dup is not None and dup.of == "a" and dup.similarity >= 0.9


def test_truncated_original_then_full_copy():
    """The shorter text may come first: the full copy is then its duplicate (containment of the smaller)."""
    index = DedupIndex()
    process(index, article("short", "\n".join(PARAGRAPHS[:3])))
    assert process(index, article("full", ORIGINAL)).of == "short"


def test_reordered_paragraphs():
    index = DedupIndex()
    process(index, article("a", ORIGINAL))
    shuffled = "\n".join([HEADLINE, PARAGRAPHS[0], *PARAGRAPHS[:0:-1]])
    assert process(index, article("b", shuffled)).of == "a"


def test_light_edits_are_a_near_duplicate():
    index = DedupIndex()
    process(index, article("a", ORIGINAL))
    edited = ORIGINAL.replace("promettant", "promettant ainsi").replace("meurtrières", "meurtieres").replace(
        "gouvernementale", "officielle")
    assert process(index, article("b", edited)).of == "a"


def test_same_template_with_other_figures_or_names_is_not_a_duplicate():
    """Stage results written from one template share their sentences, not their numbers."""
    stage = (
        "Après plus de {km} kilomètres entre {a} et {b}, les coureurs du Tour ({n} au départ et à l'arrivée) sont "
        "arrivés au bout de cette étape de plaine.\nLe vainqueur de l'étape est {w}, il est suivi de Marcel Kittel "
        "et de Peter Sagan au terme d'un sprint massif.\nAu classement général, {w} est premier suivi de Marcel "
        "Kittel et de Peter Sagan avant l'étape de demain.\nLa prochaine étape sera une étape vallonnée longue de "
        "{next} kilomètres entre Saint-Lô et Cherbourg-en-Cotentin."
    )
    index = DedupIndex()
    process(index, article("s1", stage.format(km=188, a="Le Mont-Saint-Michel", b="Utah Beach", n=198,
                                              w="Mark Cavendish", next=183)))
    second = stage.format(km=183, a="Saint-Lô", b="Cherbourg", n=198, w="Peter Sagan", next=223)
    assert process(index, article("s2", second, "2022-01-13")) is None
    copy = stage.format(km=188, a="Le Mont-Saint-Michel", b="Utah Beach", n=198, w="Mark Cavendish", next=183)
    assert process(index, article("s1-copy", "Tour de France : la première étape\n" + copy)).of == "s1"


def test_key_words_are_figures_and_names_that_start_no_sentence():
    from vigie.dedup.normalize import key_words

    line = "Le vainqueur est Peter Sagan, devant l'Allemand Marcel Kittel. Il reste 2.000 km à « Paris »."
    assert key_words(line) == {"peter", "sagan", "allemand", "marcel", "kittel", "2000"}  # not "Le", "Il", "Paris"


def test_same_template_and_figures_with_other_names_is_not_a_duplicate():
    """The junior and the senior final of one competition, reported the same day in the same words."""
    final = (
        "La finale du Grand Prix {level} de patinage artistique a lieu du 6 au 9 décembre 2018 à Vancouver, au cours "
        "du même événement que la finale {other}.\nElle est organisée par l'Union internationale de patinage et "
        "Patinage Canada, la fédération canadienne de patinage artistique. Quatre disciplines sont représentées : le "
        "patinage féminin (remporté par {woman}, représentant {wc}), le patinage masculin (remporté par {man}, "
        "représentant {mc}), le patinage en couple et la danse sur glace."
    )
    index = DedupIndex()
    junior = final.format(level="junior", other="senior", woman="Aliona Kostornaïa", wc="la Russie",
                          man="Stephen Gogolev", mc="le Canada")
    senior = final.format(level="senior", other="junior", woman="Rika Kihira", wc="le Japon", man="Nathan Chen",
                          mc="les États-Unis")
    process(index, article("junior", junior))
    assert process(index, article("senior", senior)) is None
    assert process(index, article("junior-copy", "Patinage : la finale junior\n" + junior)).of == "junior"


def test_time_window_is_respected_and_undated_articles_compare_with_all():
    index = DedupIndex(DedupConfig(window_days=3))
    process(index, article("a", ORIGINAL, "2022-01-12"))
    assert process(index, article("late", REWRAPPED, "2022-01-20")) is None  # 8 days later: another article
    assert process(index, article("early", REWRAPPED, "2022-01-09")).of == "a"  # 3 days: within the window
    undated = process(index, article("undated", ORIGINAL.replace("\n", "\n\n"), None))
    assert undated == Duplicate(of="a", method="exact", similarity=1.0)
    assert process(index, article("undated-2", REWRAPPED, None)) == Duplicate("late", "exact", 1.0)


def test_an_article_never_matches_itself_and_is_indexed_once():
    index = DedupIndex()
    process(index, article("a", ORIGINAL))
    assert process(index, article("a", ORIGINAL)) is None  # analysed again (--force): still the original
    assert len(index) == 1


def test_short_texts_match_only_exactly():
    index = DedupIndex()
    process(index, article("a", "Le match est reporté à dimanche en raison de la pluie."))
    assert process(index, article("b", "Le match est reporté à dimanche en raison de la neige.")) is None
    assert process(index, article("c", "le match est REPORTÉ à dimanche, en raison de la pluie !")).of == "a"


def test_signature_round_trip():
    config = DedupConfig()
    fp, profile = fingerprint_text(ORIGINAL, config)
    assert fp.scheme == config.scheme and len(fp.signature) == 4 * config.num_perm and fp.shingles == profile.size
    assert list(minhash_from_bytes(fp.signature, config).hashvalues) == list(
        minhash_from_bytes(bytes(fp.signature), config).hashvalues)
    with pytest.raises(ValueError):
        DedupConfig(num_perm=128, bands=30, rows=4)


# ------------------------------------------------------------------------------------------ the step


def test_dedup_step_marks_copies_before_the_nlp():
    items = [
        Article(id="a", raw=ORIGINAL, origin="a.txt", published="2022-01-12"),
        Article(id="b", raw=REWRAPPED, origin="b.txt", published="2022-01-13", source="autre.fr"),
        Article(id="c", raw=SAME_EVENT, origin="c.txt", published="2022-01-13"),
    ]
    out = list(analyze_articles(items, RunOptions(nlp=False, dedup=DedupIndex())))
    assert [type(o) for o in out] == [Article] * 3
    assert [o.duplicate.of if o.duplicate else None for o in out] == [None, "a", None]
    assert all(o.fingerprint is not None for o in out)
    assert "Partager" not in out[1].text  # dedup reads the cleaned text


def test_the_nlp_passes_duplicates_over(monkeypatch):
    import vigie.steps.annotate as annotate

    analysed = []

    def fake(article, *args, **kwargs):
        analysed.append(article.id)
        return article

    monkeypatch.setattr(annotate, "annotate_one", fake)
    items = [Article(id="a", raw=ORIGINAL, origin="a.txt"), Article(id="b", raw=REWRAPPED, origin="b.txt")]
    out = list(analyze_articles(items, RunOptions(workers=1, dedup=DedupIndex())))
    assert analysed == ["a"] and out[1].duplicate.of == "a"


def test_a_failing_index_costs_the_article_only():
    class Broken(DedupIndex):
        def process(self, article_id, text, published):
            if article_id == "b":
                raise RuntimeError("disk full")
            return super().process(article_id, text, published)

    items = [Article(id="a", raw=ORIGINAL, origin="a.txt"), Article(id="b", raw=REWRAPPED, origin="b.txt")]
    out = list(analyze_articles(items, RunOptions(nlp=False, dedup=Broken())))
    assert isinstance(out[0], Article) and isinstance(out[1], ArticleError) and out[1].stage == "dedup"


# ------------------------------------------------------------------------------------------ with a store


def _stored(store, art: Article, index: DedupIndex) -> str:
    process(index, art)
    return store.upsert_article(art)


def _original_with_annotations() -> Article:
    art = article("orig", ORIGINAL, source="lemonde.fr", url="https://lemonde.fr/1")
    start = ORIGINAL.index("Almaty")
    art.entities = [EntityMention("Almaty", "LOC", start, start + 6, "Almaty")]
    return art


def test_seed_like_case_one_set_of_annotations_two_sources(store):
    index = DedupIndex(source=store)
    assert _stored(store, _original_with_annotations(), index) == "new"
    copy = article("copy", REWRAPPED, "2022-01-13", source="autre.fr", url="https://autre.fr/2")
    assert _stored(store, copy, index) == "new"
    got = store.get_article("copy")
    assert got["duplicate_of"] == "orig" and got["entities"] == []
    orig = store.get_article("orig")
    assert orig["duplicate_of"] is None and len(orig["entities"]) == 1
    assert [(s["id"], s["source"], s["url"], s["method"]) for s in orig["sources"]] == [
        ("orig", "lemonde.fr", "https://lemonde.fr/1", None),
        ("copy", "autre.fr", "https://autre.fr/2", "near"),
    ]
    assert scalar(store, "SELECT COUNT(*) FROM entities") == 1
    st = store.stats()
    assert st["articles"] == 2 and st["duplicates"] == 1 and st["entity_mentions"] == {"LOC": 1}
    assert store.upsert_article(copy) == "unchanged"  # stored again as it was: idempotent


def test_persistence_across_two_store_sessions(tmp_path):
    path = tmp_path / "v.db"
    with SQLiteStore(path) as store:
        _stored(store, _original_with_annotations(), DedupIndex(source=store))
    with SQLiteStore(path) as store:  # a later run: the index is rebuilt from the store
        index = DedupIndex(source=store)
        copy = article("copy", REWRAPPED, "2022-01-14")
        assert _stored(store, copy, index) == "new" and copy.duplicate.of == "orig"
        assert index.loaded == 1 and index.computed == 0  # the stored fingerprint, not the text
        assert store.get_article("copy")["duplicate_of"] == "orig"


def test_articles_stored_without_a_fingerprint_get_one_from_their_text(store):
    store.upsert_article(article("old", ORIGINAL))  # as stored before schema 5
    assert scalar(store, "SELECT COUNT(*) FROM fingerprints") == 0
    index = DedupIndex(source=store)
    assert process(index, article("copy", REWRAPPED, "2022-01-13")).of == "old"
    assert index.computed == 1 and scalar(store, "SELECT COUNT(*) FROM fingerprints") == 1
    other = DedupIndex(replace(DedupConfig(), shingle_size=5), source=store)  # another scheme: computed again
    assert process(other, article("copy2", REWRAPPED, "2022-01-13")).of == "old" and other.computed == 1


def test_index_loads_only_the_days_it_needs(store):
    index = DedupIndex(source=store)
    for i, day in enumerate(("2022-01-01", "2022-03-01", None)):
        text = SAME_EVENT.replace("jeudi", f"jeudi {i}") if i else SAME_EVENT
        store.upsert_article(article(f"a{i}", text + f"Article numéro {i}.\n", day))
    assert process(index, article("new", ORIGINAL, "2022-03-02")) is None
    assert index.loaded == 2  # the article of 2022-03-01 and the undated one, not January's
    assert process(index, article("undated", ORIGINAL, None)).of == "new"
    assert index.loaded == 3  # an undated article is compared with everything


def test_duplicate_of_a_missing_original_is_refused(store):
    copy = article("copy", REWRAPPED)
    copy.duplicate = Duplicate(of="nowhere", method="near", similarity=0.9)
    with pytest.raises(LookupError, match="not stored"):
        store.upsert_article(copy)
    assert store.get_article("copy") is None


def test_duplicate_of_a_duplicate_links_to_the_original(store):
    index = DedupIndex(source=store)
    _stored(store, _original_with_annotations(), index)
    _stored(store, article("copy", REWRAPPED), index)
    third = article("third", REWRAPPED + "Un ajout.\n")
    third.duplicate = Duplicate(of="copy", method="near", similarity=0.95)
    store.upsert_article(third)
    assert store.get_article("third")["duplicate_of"] == "orig"
    assert [s["id"] for s in store.get_article("orig")["sources"]] == ["orig", "copy", "third"]


def test_an_original_that_becomes_a_duplicate_hands_over_its_copies(store):
    index = DedupIndex(source=store)
    _stored(store, _original_with_annotations(), index)
    store.upsert_article(article("other", SAME_EVENT))
    copy = article("copy", REWRAPPED)
    copy.duplicate = Duplicate(of="orig", method="near", similarity=0.9)
    store.upsert_article(copy)
    changed = _original_with_annotations()  # "orig" analysed again and now found to copy "other"
    changed.duplicate, changed.entities = Duplicate(of="other", method="near", similarity=0.8), []
    assert store.upsert_article(changed) == "updated"
    assert store.get_article("copy")["duplicate_of"] == "other"
    assert [s["id"] for s in store.get_article("other")["sources"]] == ["other", "copy", "orig"]
    assert scalar(store, "SELECT COUNT(*) FROM entities") == 0
    again = _original_with_annotations()  # and back: an original again, with its annotations
    assert store.upsert_article(again) == "updated"
    assert store.get_article("orig")["duplicate_of"] is None
    assert scalar(store, "SELECT COUNT(*) FROM entities") == 1


def test_a_stored_duplicate_is_skipped_on_rerun(store):
    from vigie.steps.resume import input_digest

    index = DedupIndex(source=store)
    items = [Article(id="a", raw=ORIGINAL, origin="a.txt"), Article(id="b", raw=REWRAPPED, origin="b.txt")]
    for item in analyze_articles(items, RunOptions(nlp=False, dedup=index)):
        store.upsert_article(item)
    rerun = [Article(id="a", raw=ORIGINAL, origin="a.txt"), Article(id="b", raw=REWRAPPED, origin="b.txt")]
    opts = RunOptions(nlp=False, dedup=DedupIndex(source=store), is_stored=stored_in(store))
    assert [type(o) for o in analyze_articles(rerun, opts)] == [Skipped, Skipped]
    b = Article(id="b", raw=REWRAPPED)
    assert store.stored_input_digest("b") == input_digest(b)


def test_export_records_carry_duplicate_of_and_sources(store, tmp_path):
    import json

    from vigie.export.jsonl import write_jsonl

    index = DedupIndex(source=store)
    _stored(store, _original_with_annotations(), index)
    _stored(store, article("copy", REWRAPPED, source="autre.fr"), index)
    out = tmp_path / "records.jsonl"
    assert write_jsonl(store, out) == 2
    recs = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert recs["copy"]["duplicate_of"] == "orig" and recs["orig"]["duplicate_of"] is None
    assert [s["source"] for s in recs["orig"]["sources"]] == ["lemonde.fr", "autre.fr"]
    assert recs["copy"]["entities"] == [] and len(recs["orig"]["entities"]) == 1


def test_fingerprint_written_even_when_the_article_is_unchanged(tmp_path):
    with SQLiteStore(tmp_path / "v.db") as store:
        art = article("a", ORIGINAL)
        store.upsert_article(art)  # stored before deduplication
        process(DedupIndex(), art)
        assert store.upsert_article(art) == "unchanged"
        assert scalar(store, "SELECT COUNT(*) FROM fingerprints") == 1


def test_backends_open(tmp_path):
    s = open_backend("sqlite", tmp_path)
    assert s.schema_version == 11
    s.close()
