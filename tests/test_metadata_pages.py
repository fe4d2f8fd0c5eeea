"""Metadata of real-looking pages (issue 17): headline over the social title, clean authors, titles without
the site's suffix, standfirsts kept, a plain text's first line as title, datelines as publication dates,
and `origin` / `author` in the analysis record.

The pages below are small hand-written imitations of news layouts (a Canadian public broadcaster, a French
daily with its standfirst outside the article, a German-language site), not copies of real pages.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from vigie.contract import to_record
from vigie.ingest import read_inputs
from vigie.ingest.build import clean_author, site_names, strip_site_suffix
from vigie.ingest.dates import dateline_date
from vigie.ingest.text import title_line
from vigie.records import Article, ArticleError

# A broadcaster's page: og:title is a promotional line, the <h1> and JSON-LD headline say what happened.
BROADCASTER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Ottawa to suspend federal fuel tax in April, finance minister says | North News</title>
<meta property="og:title" content="Drivers could save at the pump this spring">
<meta property="og:site_name" content="North News">
<meta name="author" content="By Jane Doe">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Ottawa to suspend federal fuel tax in April, finance minister says",
 "datePublished": "2024-03-12T10:00:00-04:00", "author": [{"@type": "Person", "name": "Jane Doe"}]}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sports">Sports</a></nav>
<article>
<h1>Ottawa to suspend federal fuel tax in April, finance minister says</h1>
<p>The federal government will suspend its fuel excise tax for three months starting April 1, the finance
minister announced in Ottawa on Tuesday.</p>
<p>The measure will cost about $2 billion, according to department estimates released with the announcement
on Tuesday afternoon.</p>
<p>Opposition parties said the cut came too late for families who had already faced a winter of high heating
bills and grocery prices.</p>
</article>
<footer>Terms of use. Privacy policy.</footer>
</body></html>
"""

# A French daily: the headline and its standfirst sit in a header section outside <article>, the byline says
# "Par", the <title> carries the site's name.
DAILY = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Retraites : le gouvernement renonce à repousser l’âge de départ - Le Quotidien du Soir</title>
<meta property="og:title" content="Retraites : ce qui change vraiment pour vous">
<meta property="og:site_name" content="Le Quotidien du Soir">
<meta property="og:description" content="Le gouvernement a renoncé, mardi, à repousser l’âge légal de départ, après trois semaines de mobilisation syndicale.">
<meta name="author" content="Par Stefan Häne">
</head><body>
<header class="site-header"><a href="/">Le Quotidien du Soir</a></header>
<section class="article__header">
<h1 class="article__title">Retraites : le gouvernement renonce à repousser l’âge de départ</h1>
<p class="article__desc">Le gouvernement a renoncé, mardi, à repousser l’âge légal de départ, après trois semaines de mobilisation syndicale.</p>
</section>
<article class="article__content">
<p>La première ministre l’a annoncé devant les députés, mardi après-midi, sous les applaudissements d’une
partie de la majorité et les huées de l’opposition de gauche.</p>
<p>Les syndicats, reçus à Matignon dans la soirée, ont salué « un premier recul » mais maintiennent la journée
de grève prévue jeudi dans toute la France.</p>
</article>
</body></html>
"""

# A page whose "author" is the site itself.
SITE_AS_AUTHOR = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Stadtrat genehmigt neues Budget für die Schulen | Zürcher Tagblatt</title>
<meta property="og:site_name" content="Zürcher Tagblatt">
<meta name="author" content="Zürcher Tagblatt">
</head><body><article>
<h1>Stadtrat genehmigt neues Budget für die Schulen</h1>
<p>Der Stadtrat hat am Mittwoch ein neues Budget für die Schulen der Stadt genehmigt. Die Ausgaben steigen um
drei Prozent, vor allem wegen der neuen Lehrerstellen in den Primarschulen.</p>
<p>Die Opposition kritisierte die Vorlage als zu teuer, stimmte aber in der Schlussabstimmung mehrheitlich zu.</p>
</article></body></html>
"""

WIKINEWS_TEXT = """Bolivie : le président réélu au premier tour

Publié le 14 janvier 2016
Le président sortant a été réélu dès le premier tour de l'élection présidentielle, selon les résultats officiels publiés dans la nuit.

La participation a atteint 70 % selon la commission électorale.
"""


def read_one(path: Path, **kwargs: object) -> Article:
    results = list(read_inputs([str(path)], **kwargs))  # type: ignore[arg-type]
    assert len(results) == 1 and isinstance(results[0], Article), results
    return results[0]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- HTML pages ---------------------------------------------------------------------------------------------


def test_headline_wins_over_the_social_title(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "fuel.html", BROADCASTER))
    assert art.title == "Ottawa to suspend federal fuel tax in April, finance minister says"
    assert art.author == "Jane Doe"
    assert art.source == "North News"
    assert art.published == "2024-03-12"
    assert "Drivers could save" not in art.raw


def test_daily_page_title_author_and_standfirst(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "retraites.html", DAILY))
    assert art.title == "Retraites : le gouvernement renonce à repousser l’âge de départ"
    assert art.author == "Stefan Häne"
    standfirst = "Le gouvernement a renoncé, mardi, à repousser l’âge légal de départ"
    assert standfirst in art.raw
    lines = [line for line in art.raw.splitlines() if line.strip()]
    # The standfirst comes first (after the headline when the text starts with it), before the body.
    head = lines[1] if lines[0] == art.title else lines[0]
    assert head.startswith(standfirst)
    assert art.raw.index(standfirst) < art.raw.index("La première ministre")


def test_author_equal_to_the_site_is_dropped(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "budget.html", SITE_AS_AUTHOR))
    assert art.author is None
    assert art.title == "Stadtrat genehmigt neues Budget für die Schulen"


def test_standfirst_already_in_the_text_is_not_repeated(tmp_path: Path) -> None:
    page = BROADCASTER.replace(
        "<article>\n<h1>", '<article>\n<p class="standfirst">Fuel will cost less for three months from April 1, the'
        " minister said.</p>\n<h1>"
    )
    art = read_one(write(tmp_path / "fuel.html", page))
    assert art.raw.count("Fuel will cost less for three months") == 1


# --- titles, authors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "source", "url", "expected"),
    [
        ("Floods in the north: the river peaks overnight | DW | 12.03.2024", None, None,
         "Floods in the north: the river peaks overnight"),
        ("Retraites : le gouvernement recule - Le Monde", "Le Monde", None, "Retraites : le gouvernement recule"),
        ("Retraites : le gouvernement recule - Le Monde", None, "https://www.lemonde.fr/a", "Retraites : le gouvernement recule"),
        ("Flood barriers hold as river peaks – BBC News", None, None, "Flood barriers hold as river peaks"),
        ("Grève à la SNCF : le trafic perturbé — lequotidien.fr", None, None, "Grève à la SNCF : le trafic perturbé"),
        # real dashes in titles stay
        ("Bolivie - le président réélu au premier tour", None, None, "Bolivie - le président réélu au premier tour"),
        ("Real Madrid - Barcelona ends in a goalless draw", None, None, "Real Madrid - Barcelona ends in a goalless draw"),
        ("Paris - Marseille : le match est reporté", "Le Monde", None, "Paris - Marseille : le match est reporté"),
        ("Covid-19 : les hôpitaux sous tension", None, None, "Covid-19 : les hôpitaux sous tension"),
    ],
)
def test_site_suffix_is_stripped(title: str, source: str | None, url: str | None, expected: str) -> None:
    assert strip_site_suffix(title, site_names(source, url)) == expected


@pytest.mark.parametrize(
    ("author", "source", "expected"),
    [
        ("Par Stefan Häne", None, "Stefan Häne"),
        ("By Jane Doe", None, "Jane Doe"),
        ("Auteur : Marie Dupont", None, "Marie Dupont"),
        ("Written by Tom Price", None, "Tom Price"),
        ("Le Monde", "Le Monde", None),
        ("Jane Doe; North News", "North News", "Jane Doe"),
        ("Paris Match", None, "Paris Match"),  # a name starting like a byline word stays
        ("Byron Smith", None, "Byron Smith"),
    ],
)
def test_author_cleanup(author: str, source: str | None, expected: str | None) -> None:
    assert clean_author(author, site_names(source)) == expected


# --- plain text ---------------------------------------------------------------------------------------------


def test_plain_text_first_line_is_the_title_and_stays_in_the_text(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "bolivie.txt", WIKINEWS_TEXT))
    assert art.title == "Bolivie : le président réélu au premier tour"
    assert art.raw.startswith("Bolivie : le président réélu au premier tour\n")


@pytest.mark.parametrize(
    "text",
    [
        "Le conseil municipal a voté mercredi une hausse des tarifs.\nLa maire a défendu la mesure.\n",
        "12 mars 2016 . –\nLe président a été réélu.\n",
        "lundi matin, la grève a commencé\nLes trains sont à l'arrêt.\n",
        "Un titre sans suite",
        "Suivez-nous sur https://example.org\nLe texte.\n",
    ],
)
def test_plain_text_without_a_title_line(text: str) -> None:
    assert title_line(text) is None


# --- datelines ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PARIS, 12 mars 2024 (AFP) - Le gouvernement a annoncé mardi un plan d'économies.", "2024-03-12"),
        (WIKINEWS_TEXT, "2016-01-14"),
        ("Bolivie : le président réélu\n\n14 janvier 2016. – Le président sortant a été réélu.", "2016-01-14"),
        ("WASHINGTON, March 12, 2024 (Reuters) - The Senate passed the bill on Tuesday.", "2024-03-12"),
        ("LONDON, 12 March 2024 - Rail workers walked out on Tuesday.", "2024-03-12"),
        # no year: no date rather than a guess
        ("WASHINGTON, March 12 (Reuters) - The Senate passed the bill on Tuesday.", None),
        # a date inside a sentence is not a dateline
        ("Le 12 mars 2024, le gouvernement a annoncé un plan.", None),
        ("Titre\nSous-titre\nChapeau\nAutre\n12 mars 2016 . –", None),
    ],
)
def test_dateline_date(text: str, expected: str | None) -> None:
    assert dateline_date(text) == expected


def test_dateline_is_the_published_date_when_none_is_given(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "bolivie.txt", WIKINEWS_TEXT))
    assert art.published == "2016-01-14" and art.meta["published_from"] == "dateline"
    # --published keeps its meaning: the date of articles that come without one
    art = read_one(tmp_path / "bolivie.txt", published="2016-02-01")
    assert art.published == "2016-02-01" and art.meta["published_from"] == "default"


def test_dated_page_keeps_its_own_date(tmp_path: Path) -> None:
    page = BROADCASTER.replace("<p>The federal government", "<p>OTTAWA, 10 mars 2020 (AFP) - The federal government")
    assert read_one(write(tmp_path / "fuel.html", page)).published == "2024-03-12"


# --- the analysis record ------------------------------------------------------------------------------------


def test_record_carries_origin_and_author(tmp_path: Path) -> None:
    art = read_one(write(tmp_path / "retraites.html", DAILY))
    art.text = art.raw
    rec = to_record(art)
    assert rec["origin"] == str(tmp_path / "retraites.html")
    assert rec["author"] == "Stefan Häne"
    for key in ("id", "language", "published", "title", "url", "source", "text", "entities", "removed_lines"):
        assert key in rec  # the contract's fields stay


def test_error_pages_still_fail_cleanly(tmp_path: Path) -> None:
    results = list(read_inputs([str(write(tmp_path / "vide.html", "<html><head><title>x</title></head></html>"))]))
    assert len(results) == 1 and isinstance(results[0], ArticleError)
