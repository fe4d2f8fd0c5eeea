"""Name normalisation shared by the entity components: folding, honorifics, name tokens."""
from __future__ import annotations

import re
import unicodedata

from vigie.lexicons import word_class

# Honorifics and titles that may precede a person's name and are not part of it.
HONORIFICS = word_class("name_words_all.tsv", "honorific")

_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower-case, accents removed, typographic apostrophes unified, punctuation to spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    return _NON_WORD.sub(" ", text).strip()


def strip_honorifics(name: str) -> str:
    """'M. Kassym-Jomart Tokaïev' -> 'Kassym-Jomart Tokaïev'; leaves the name alone if nothing else remains."""
    words = name.split()
    i = 0
    while i < len(words) - 1 and words[i].lower() in HONORIFICS:
        i += 1
    return " ".join(words[i:])


def name_tokens(name: str) -> list[str]:
    """Folded tokens of a name without honorifics or articles: used to compare mentions."""
    toks = fold(strip_honorifics(name)).split()
    return [t for t in toks if t not in HONORIFICS and t not in _ARTICLES] or toks


_ARTICLES = frozenset({"le", "la", "les", "l", "the"})
