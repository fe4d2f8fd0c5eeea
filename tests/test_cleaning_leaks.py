"""Cleaning leaks met on real pages (issue 17): paywall notices, promo / related-link bullets and capitals teaser
links go, each with its reason; every line of the article stays.

The texts are hand-written imitations of what a page extraction gives for a French daily behind a paywall, a
French public broadcaster's article with teaser links, and an English article with related links.
"""
from __future__ import annotations

import pytest

from vigie.clean import clean_text, rule_reason
from vigie.clean.classify import _teaser

FR_PAYWALL = """Retraites : le gouvernement renonce à repousser l’âge de départ
Le gouvernement a renoncé, mardi, à repousser l’âge légal de départ, après trois semaines de mobilisation syndicale.
Par Stefan Häne
La première ministre l’a annoncé devant les députés, mardi après-midi, sous les applaudissements d’une partie de la majorité et les huées de l’opposition.
• À lire aussi : Retraites, ce que contenait le projet de loi
Les syndicats, reçus à Matignon dans la soirée, ont salué « un premier recul » mais maintiennent la journée de grève prévue jeudi dans toute la France.
→ LIRE AUSSI : Grève du jeudi, les prévisions de trafic
Il vous reste 57 % de cet article à lire. La suite est réservée aux abonnés.
Vous avez lu 3 articles gratuits ce mois-ci
Déjà abonné ? Se connecter"""
FR_ARTICLE_LINES = [0, 1, 2, 3, 5]

FR_TEASERS = """VIDÉO. Tempête Ciarán : les images impressionnantes des vagues sur le littoral breton
Les vents ont atteint 200 km/h à la pointe du Raz dans la nuit de mercredi à jeudi, selon Météo-France, qui maintient la vigilance rouge sur trois départements.
REPORTAGE. Dans le Finistère, les habitants déblaient les routes après le passage de la tempête
Plus de 1,2 million de foyers étaient privés d’électricité jeudi matin, a indiqué Enedis, qui a mobilisé 3 000 techniciens pour rétablir le courant dans la journée.
INFO FRANCEINFO. Le gouvernement va déclarer l’état de catastrophe naturelle
Les écoles du Finistère resteront fermées vendredi, a annoncé le rectorat dans un communiqué publié en fin de matinée."""
FR_TEASER_ARTICLE_LINES = [0, 1, 3, 5]  # the first line is this article's own headline: it stays

EN_RELATED = """Flood barriers hold as river peaks in northern town
By Jane Smith
The temporary flood barriers installed along the river held overnight as water levels peaked just below the record set in 2007, officials said on Tuesday.
Read more: How the town prepared for the worst floods in a decade
Residents of the lowest streets had been told to leave their homes on Monday evening, and about 200 people spent the night in the sports hall.
Related: Insurers brace for a costly winter
WATCH: Drone footage shows the flooded valley
"We were lucky this time, but we cannot rely on luck every winter," the mayor told reporters outside the town hall on Tuesday.
This article is for subscribers only.
To continue reading, subscribe to the Northern Gazette."""
EN_ARTICLE_LINES = [0, 1, 2, 4, 7]


def kept_and_reasons(raw: str) -> tuple[list[int], dict[int, str]]:
    res = clean_text(raw)
    kept = [n for n in res.kept_line_nos if raw.splitlines()[n].strip()]
    return kept, {r.line_no: r.reason for r in res.removed}


def test_paywall_and_promo_bullets_go_article_stays() -> None:
    kept, reasons = kept_and_reasons(FR_PAYWALL)
    assert kept == FR_ARTICLE_LINES
    assert reasons[4] == "rule:read-more" and reasons[6] == "rule:read-more"
    assert reasons[7] == "rule:paywall" and reasons[8] == "rule:paywall"


def test_capitals_teasers_go_but_the_own_headline_stays() -> None:
    kept, reasons = kept_and_reasons(FR_TEASERS)
    assert kept == FR_TEASER_ARTICLE_LINES
    assert reasons == {2: "teaser", 4: "teaser"}


def test_english_related_links_and_paywall() -> None:
    kept, reasons = kept_and_reasons(EN_RELATED)
    assert kept == EN_ARTICLE_LINES
    assert reasons[3] == "rule:read-more" and reasons[5] == "rule:read-more"
    assert reasons[6] == "teaser"
    assert reasons[8] == "rule:paywall" and reasons[9] == "rule:paywall"


@pytest.mark.parametrize(
    "line",
    [
        "Il vous reste 57% de cet article à lire.",
        "La suite est réservée aux abonnés.",
        "Cet article est réservé aux abonnés",
        "La suite de cet article est réservée aux abonnés.",
        "Vous avez lu 3 articles gratuits ce mois-ci",
        "This article is for subscribers only",
        "Only subscribers can read this article",
        "The rest of this article is for subscribers",
        "Get unlimited access for $1 a week",
    ],
)
def test_paywall_notices(line: str) -> None:
    assert rule_reason(line) == "rule:paywall"


@pytest.mark.parametrize(
    "line",
    [
        "• À lire aussi : Retraites, ce que contenait le projet de loi",
        "→ LIRE AUSSI : Grève du jeudi",
        ">> A lire aussi : la carte des manifestations",
        "Read more: How the town prepared",
        "Related: Insurers brace for a costly winter",
        "Also in the news: storms in the south",
        "Voir aussi : notre dossier",
    ],
)
def test_promo_bullets(line: str) -> None:
    assert rule_reason(line) == "rule:read-more"


@pytest.mark.parametrize(
    "line",
    [
        # article sentences that share words with the rules
        "Les lecteurs abonnés au journal depuis dix ans ont reçu une lettre mardi.",
        "Related parties must disclose their holdings, the regulator said.",
        "More than 200 people spent the night in the sports hall.",
        "- more than 200 people spent the night in the sports hall",
        "Il vous reste une semaine pour déposer votre dossier, rappelle la préfecture.",
        "Subscribers to the service will pay $2 more from April, the company said.",
    ],
)
def test_article_sentences_are_not_rules(line: str) -> None:
    assert rule_reason(line) is None


@pytest.mark.parametrize(
    ("line", "teaser"),
    [
        ("REPORTAGE. Dans les Alpes, les stations de ski manquent de neige", True),
        ("VIDÉO. Les images de la tempête", True),
        ("READ MORE: China confirms two cases", True),
        ("DEAR ABBY: My older sister has just been diagnosed", False),  # not a teaser label
        ("NASA: The International Space Station is open for business", False),
        ("LONDON: Britain introduced a ban on junk food adverts", False),
        ("WHO IS THE FRONT-RUNNER?", False),  # an article's sub-heading in capitals
        ("Vidéo. Les images de la tempête", False),  # the label must be in capitals
    ],
)
def test_teaser_shape(line: str, teaser: bool) -> None:
    assert _teaser(line) is teaser
