"""The text spaCy sees, and the way back to the article's own characters.

The models were trained on straight apostrophes and tag "s’" as a place otherwise, so the Doc is made from a
same-length copy of the cleaned text with typographic apostrophes and special spaces replaced: every offset
into the Doc is an offset into the article. Names built from token texts (canonical names, speakers, actors)
are written back with the article's characters by `original_form`.
"""
from __future__ import annotations

from collections.abc import Callable

MODEL_CHAR_MAP = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


def model_text(text: str) -> str:
    """The text handed to spaCy: same length as `text`, typographic apostrophes straightened."""
    return text.translate(MODEL_CHAR_MAP)


def original_form(name: str | None, model: str, text: str) -> str | None:
    """`name`, taken from `model` (the model's text), as the article `text` writes it (’ rather than ')."""
    if not name:
        return name
    i = model.find(name)
    return text[i : i + len(name)] if i >= 0 else name


def original_forms(model: str, text: str) -> Callable[[str | None], str | None]:
    """`original_form(name, model, text)` for the many names of one article: each distinct name is looked up
    once (a long article names the same entities thousands of times)."""
    if model == text:
        return lambda name: name
    memo: dict[str, str | None] = {}

    def form(name: str | None) -> str | None:
        if not name:
            return name
        if name not in memo:
            memo[name] = original_form(name, model, text)
        return memo[name]

    return form
