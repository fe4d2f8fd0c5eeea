"""Case-sensitive word classes: `vigie.lexicons.word_class` lower-cases, these keep the words as written.

For the few classes compared with a token as written ("M." the title, "De" the surname particle), whose
file header marks them CASE-SENSITIVE.
"""
from __future__ import annotations

from functools import cache

from vigie.lexicons import read_rows, word_class


@cache
def cased_word_class(name: str, cls: str) -> frozenset[str]:
    """One named word list of a word-class file, with the words' case kept; an unknown class is an error."""
    word_class(name, cls)  # fails loudly on an unknown class
    row = next(r for r in read_rows(name) if r.cells[0] == cls)
    return frozenset(w.strip() for w in row.cells[1].split(",") if w.strip())
