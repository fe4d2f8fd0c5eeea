"""Build the French pipeline: the PyPI spaCy model plus vigie's components, loaded once per process."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the modules registers their factories with spaCy.
from vigie.nlp import acronyms, canonical, entity_filter  # noqa: F401
from vigie.nlp.extensions import register_extensions

# fr_core_news_sm, chosen over -md by NER F1 on WiNER-fr (bench/ner_winer.py; figures in the README).
FRENCH_MODEL = "fr_core_news_sm"

# Same-length substitutions applied to the text the model sees, so offsets into the cleaned text hold:
# the models were trained on straight apostrophes and tag "s’" as a place otherwise.
MODEL_CHAR_MAP = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})

VIGIE_COMPONENTS = ("vigie_entity_filter", "vigie_acronyms", "vigie_canonical")


def model_text(text: str) -> str:
    """The text handed to spaCy: same length as `text`, typographic apostrophes straightened."""
    return text.translate(MODEL_CHAR_MAP)


@lru_cache(maxsize=4)
def load_french(model: str = FRENCH_MODEL, with_components: bool = True) -> Language:
    """Load the French model (about 3 s) with vigie's components after its NER."""
    register_extensions()
    nlp = spacy.load(model)
    if with_components:
        for name in VIGIE_COMPONENTS:
            nlp.add_pipe(name, last=True)
    return nlp
