"""Story clustering (vigie.stories): determinism, incremental == rebuild, the window, FR + EN in one story.

Fast tests use hand-made records and a stand-in embedder (hashed words); the tests marked `model` run vigie's French
and English analysis (the session pipelines of conftest.py) and the shipped sentence encoder.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from story_fixtures import (
    KAZAKHSTAN_EN,
    KAZAKHSTAN_FR,
    KAZAKHSTAN_FR_REWRAPPED,
    SAME_WEEK,
    analysed_story_articles,
)
from vigie.records import Article, EntityMention, Place, TimeExpr
from vigie.stories import StoryArticle, StoryClusterer, featurize, from_article, from_record, shipped_model, summarize
from vigie.stories.article import Mention, PlaceRef
from vigie.stories.embed import lead_text, set_embedder
from vigie.stories.features import ArticleFeatures
from vigie.stories.link import FEATURES, expand, expanded_names
from vigie.stories.text import capitalised, fold, stems, stems_and_pairs


class HashedWords:
    """A stand-in sentence encoder: each folded word adds a fixed random direction (same text, same vector)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in fold(text).split():
                seed = int.from_bytes(hashlib.sha1(w.encode()).digest()[:4], "little")
                out[i] += np.random.default_rng(seed).standard_normal(64).astype(np.float32)
        return out


@pytest.fixture
def hashed_embedder():
    set_embedder(HashedWords())
    yield
    set_embedder(None)


DAY0 = date(2022, 1, 3)

FLOOD = ("Crue de la Loire : {n} communes inondées à Tours",
         "La Loire est sortie de son lit à Tours après trois jours de pluie. Les pompiers ont évacué {n} habitants "
         "des quartiers bas de Tours et le préfet d'Indre-et-Loire a ouvert un centre d'accueil.")
ELECTION = ("Municipales à Lille : Martine Aubry réélue",
            "Martine Aubry a été réélue maire de Lille dimanche avec {n} % des voix au second tour, devant le candidat "
            "écologiste. La participation est restée faible.")
OTHERS = [
    ("Tennis : le tournoi de Melbourne s'ouvre lundi", "Le tournoi de tennis de Melbourne commence lundi devant un "
     "public réduit de moitié."),
    ("Astronomie : une comète visible à l'œil nu", "Une comète passera au plus près de la Terre jeudi et sera visible "
     "à l'œil nu avant l'aube."),
    ("Cinéma : un festival de films courts à Annecy", "Le festival d'Annecy consacre sa soirée d'ouverture aux films "
     "courts d'animation."),
]


def _article(aid: str, day: int, title: str, text: str, *, places: tuple[PlaceRef, ...] = (),
             entities: tuple[Mention, ...] = (), language: str = "fr", source: str = "exemple.fr") -> StoryArticle:
    published = (DAY0 + timedelta(days=day)).isoformat()
    return StoryArticle(id=aid, language=language, published=published, title=title, text=f"{title}\n{text}",
                        source=source, entities=entities, places=places, dates=(published,))


TOURS = PlaceRef("Tours", "FR", "city", 2972191, True)
LILLE = PlaceRef("Lille", "FR", "city", 2998324, True)


def corpus() -> list[StoryArticle]:
    """Three flood articles, two election articles and three unrelated ones over two weeks."""
    arts = [
        _article(f"flood-{i}", d, FLOOD[0].format(n=10 + i), FLOOD[1].format(n=200 * (i + 1)), places=(TOURS,),
                 entities=(Mention("Loire", "LOC"), Mention("Tours", "LOC")))
        for i, d in enumerate((0, 1, 3))
    ]
    arts += [
        _article(f"vote-{i}", d, ELECTION[0], ELECTION[1].format(n=52 + i), places=(LILLE,),
                 entities=(Mention("Martine Aubry", "PER"), Mention("Lille", "LOC")))
        for i, d in enumerate((2, 4))
    ]
    arts += [_article(f"other-{i}", 1 + 4 * i, t, x) for i, (t, x) in enumerate(OTHERS)]
    return arts


# ---------------------------------------------------------------------------------------------- text and records

def test_words_stems_and_names():
    assert fold("Élysée Tokaïev") == "elysee tokaiev"
    assert stems("Les manifestants manifestent pour la manifestation", 6) == {"manife": 3}
    singles, pairs = stems_and_pairs("Les gilets jaunes ont manifesté ; gilets jaunes encore", 6)
    assert pairs["gilets_jaunes"] == 2 and singles["gilets"] == 2
    assert set(capitalised("Le président Kassym-Jomart Tokaïev est à Almaty. Selon l'OTSC, tout va bien.")) == {
        "kassym", "jomart", "tokaiev", "almaty", "otsc"}
    assert lead_text("Titre", "Titre\nUn texte assez long pour être coupé ici et là", 20) == "Titre Un texte assez"
    assert lead_text("Autre", "Texte", 100) == "Autre. Texte"


def test_records_from_an_article_and_from_its_json():
    article = Article(
        id="a1", raw="", title="Titre", published="2022-01-12T10:00:00", language="fr", source="site.fr",
        text="Kassym-Jomart Tokaïev à Almaty.",
        entities=[EntityMention("Tokaïev", "PER", 0, 7, "Kassym-Jomart Tokaïev")],
        places=[Place("Almaty", 20, 26, "Almaty", "KZ", "city", geonames_id=1526384, main=True)],
        dates=[TimeExpr("mercredi", 0, 8, "2022-01-12", "day"), TimeExpr("x", 0, 1, None, "day")],
    )
    from vigie.contract import to_record

    a, b = from_article(article), from_record(json.loads(json.dumps(to_record(article))))
    assert a.published == "2022-01-12" and a.dates == ("2022-01-12",)
    assert a.entities == (Mention("Kassym-Jomart Tokaïev", "PER"),)
    assert a.places == (PlaceRef("Almaty", "KZ", "city", 1526384, True),)
    assert replace(b, source="site.fr") == a


def test_features_survive_json(hashed_embedder):
    f = featurize(corpus()[:1], shipped_model())[0]
    g = ArticleFeatures.from_dict(json.loads(json.dumps(f.to_dict())))
    assert g.to_dict() == f.to_dict()
    assert np.array_equal(g.embedding, f.embedding)
    assert f.scheme == shipped_model().feature_scheme()


def test_the_shipped_model():
    model = shipped_model()
    assert 0 < model.threshold < 1 and model.window_days > 0 and model.documents > 100
    assert tuple(model.features) == FEATURES
    names = set(expanded_names())
    assert set(model.same_language) - {"bias"} <= names and set(model.cross_language) - {"bias"} <= names
    assert not any(k.startswith(("terms", "lead", "title", "phrases")) for k in model.cross_language)
    assert expand(np.ones(len(FEATURES))).shape == (1, len(names))


# ---------------------------------------------------------------------------------------------- clustering

def _partition(assigned: dict[str, str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for aid, story in sorted(assigned.items()):
        groups.setdefault(story, []).append(aid)
    return sorted(groups.values())


def test_same_stories_come_together(hashed_embedder):
    assigned = StoryClusterer().add(corpus())
    groups = _partition(assigned)
    assert ["flood-0", "flood-1", "flood-2"] in groups
    assert ["vote-0", "vote-1"] in groups
    assert ["other-0"] in groups and ["other-1"] in groups and ["other-2"] in groups
    assert assigned["flood-2"] == "flood-0"  # a story is named after its first article


def test_deterministic(hashed_embedder):
    arts = corpus()
    assert StoryClusterer().add(arts) == StoryClusterer().add(arts)
    shuffled = list(arts)
    random.Random(3).shuffle(shuffled)
    assert StoryClusterer().add(shuffled) == StoryClusterer().add(arts)  # one batch: the clusterer orders it
    clusterer = StoryClusterer()
    placed = clusterer.add(arts)
    assert clusterer.add([arts[1]]) == {"flood-1": placed["flood-1"]}  # an article given again changes nothing
    assert clusterer.assignments() == placed


def test_incremental_equals_rebuild(hashed_embedder):
    arts = corpus()
    rebuild = StoryClusterer().add(arts)
    daily, assigned = StoryClusterer(), {}
    for day in sorted({a.published for a in arts}):
        assigned.update(daily.add([a for a in arts if a.published == day]))
    assert assigned == rebuild
    # late articles (dated before articles already placed) replay what follows them
    late, assigned = StoryClusterer(), {}
    for batch in (arts[5:], arts[2:5], arts[:2]):
        assigned.update(late.add(batch))
    assert assigned == rebuild
    # an article given again with another date replaces its copy, as if it had always had that date
    moved = replace(arts[0], published="2022-01-12")
    again = StoryClusterer()
    again.add(arts)
    again.add([moved])
    assert again.assignments() == StoryClusterer().add([moved, *arts[1:]])
    # a new run that gets the placed articles back from a store goes on as one run would
    first = StoryClusterer()
    placed = first.add([a for a in arts if a.published <= "2022-01-05"])
    rest = [a for a in arts if a.published > "2022-01-05"]
    restored = StoryClusterer()
    start = restored.history_start(a.published for a in rest)
    assert start == (date(2022, 1, 6) - timedelta(days=shipped_model().window_days)).isoformat()
    restored.restore((f, placed[f.id]) for f in first.held() if f.published and f.published >= start)
    placed.update(restored.add(rest))
    assert placed == rebuild


def test_window_is_respected(hashed_embedder):
    window = shipped_model().window_days
    title, text = FLOOD[0].format(n=3), FLOOD[1].format(n=500)
    near = [_article("a", 0, title, text, places=(TOURS,)), _article("b", window, title, text, places=(TOURS,))]
    far = [_article("a", 0, title, text, places=(TOURS,)), _article("c", window + 1, title, text, places=(TOURS,))]
    assert StoryClusterer().add(near) == {"a": "a", "b": "a"}
    assert StoryClusterer().add(far) == {"a": "a", "c": "c"}
    # a story goes on beyond the window through its newer members
    chain = near + [_article("d", 2 * window, title, text, places=(TOURS,))]
    assert StoryClusterer().add(chain) == {"a": "a", "b": "a", "d": "a"}


def test_undated_articles_meet_only_undated_ones(hashed_embedder):
    title, text = FLOOD[0].format(n=3), FLOOD[1].format(n=500)
    dated = _article("dated", 0, title, text)
    undated = [replace(_article(f"undated-{i}", 0, title, text), published=None) for i in range(2)]
    assigned = StoryClusterer().add([dated, *undated])
    assert assigned == {"dated": "dated", "undated-0": "undated-0", "undated-1": "undated-0"}


def test_memory_is_bounded(hashed_embedder):
    window = shipped_model().window_days
    clusterer = StoryClusterer()
    placed = clusterer.add([_article(f"d{i}", 10 * i, f"Titre {i}", f"Texte numéro {i}") for i in range(30)])
    assert len(placed) == 30  # every article's story is reported, also those no longer held
    days = [f.day for f in clusterer.held() if f.day is not None]
    assert max(days) - min(days) <= 2 * window


def test_story_summary(hashed_embedder):
    clusterer = StoryClusterer()
    clusterer.add(corpus())
    stories = {s: summarize(s, ms) for s, ms in clusterer.members().items()}
    flood = stories["flood-0"]
    assert flood.size == 3 and flood.first == "2022-01-03" and flood.last == "2022-01-06"
    assert flood.title.startswith("Crue de la Loire")
    assert flood.sources == (("exemple.fr", 3),)
    assert flood.places == ("Tours",)
    assert stories["vote-0"].actors == ("Martine Aubry",)
    assert flood.articles == ("flood-0", "flood-1", "flood-2")


# ---------------------------------------------------------------------------------------------- real analysis

@pytest.mark.model
def test_an_embedding_hardly_depends_on_its_batch():
    from vigie.stories.embed import embed

    one = embed([KAZAKHSTAN_EN[:150]])
    many = embed([KAZAKHSTAN_FR[:150], KAZAKHSTAN_EN[:150], "Autre chose."] * 3)
    assert one.shape == (1, 512) and abs(float(np.linalg.norm(one[0])) - 1.0) < 1e-5
    assert np.abs(one[0] - many[1]).max() < 1e-5  # the last bits only (see vigie.stories.embed)


@pytest.mark.model
def test_french_and_english_reports_of_one_event_form_one_story(nlp, en):
    inputs = [("fr", KAZAKHSTAN_FR), ("fr-rewrapped", KAZAKHSTAN_FR_REWRAPPED), ("en", KAZAKHSTAN_EN)]
    inputs += [(name, text) for name, (text, _) in SAME_WEEK.items()]
    articles = analysed_story_articles(inputs, "2022-01-12", nlp_fr=nlp, nlp_en=en)
    languages = {a.id: a.language for a in articles}
    assert languages["fr"] == "fr" and languages["en"] == "en"
    assigned = StoryClusterer().add(articles)
    story = assigned["fr"]
    assert assigned["fr-rewrapped"] == story and assigned["en"] == story
    assert all(assigned[name] != story for name in SAME_WEEK)
    # the same when the English article comes a day later, on its own
    later = [replace(a, published="2022-01-13") if a.id == "en" else a for a in articles]
    clusterer = StoryClusterer()
    clusterer.add([a for a in later if a.id != "en"])
    assert clusterer.add([a for a in later if a.id == "en"]) == {"en": clusterer.story_of("fr")}
