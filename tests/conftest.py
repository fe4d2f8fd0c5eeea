"""Shared fixtures: small hand-written French news texts (no file from ../shared is read by tests)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from spacy.language import Language

# A crawled article in the shape of the reference case: body, a sub-heading, then site chrome.
CRAWLED_FR = """Le ministre de l’Intérieur du Sénégal, Antoine Diome, s’est rendu mardi à Ziguinchor, au lendemain des affrontements meurtriers qui ont opposé l’armée à des rebelles dans la région.
« Nous ne laisserons pas la violence s’installer en Casamance », a-t-il déclaré devant la presse, selon un communiqué du ministère.
La visite intervient alors que l’Organisation des Nations unies (ONU) a appelé au calme et que plusieurs centaines d’habitants ont fui vers la Gambie voisine.
M. Diome s’est rendu à Ziguinchor
Selon les autorités locales, au moins douze personnes ont été tuées et une trentaine blessées depuis le début des combats. L’ONU a dépêché une mission d’évaluation.
Rejoignez Le Journal sur Telegram
? t.me/lejournalfr
Comment pouvez-vous nous aider à vous tenir informés ?
Le Journal est un média libre et indépendant, ne recevant aucune aide publique. C’est pourquoi nous comptons sur votre soutien pour défendre notre journalisme indépendant.
"""

ARTICLE_LINES = 5  # the first five lines above are the article


@pytest.fixture
def crawled_fr() -> str:
    return CRAWLED_FR


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The French pipeline (spaCy model + vigie's components), loaded once for the whole test session."""
    from vigie.analysis.load import load_french  # spaCy loads in seconds: only for the tests that need it

    return load_french()


@pytest.fixture(scope="session")
def en() -> Language:
    """The English pipeline, loaded once for the whole test session."""
    from vigie.analysis.load import load_english

    return load_english()
