"""Words of an article for the lexical similarity: folded tokens, stop words out, truncated stems, stem pairs and
capitalised words.

Analysis records carry no lemmas (no Doc crosses into vigie.stories), so a word's stem is its folded form cut to
`chars` characters (the model's `stem_chars`): "manifestation", "manifestants", "manifestent" -> "manife";
"présidente" and "president" -> "presid". Truncation is language-independent, needs no model and keeps French and
English cognates together; its length is chosen on the tuning data with the rest of the model.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache

from vigie.clean.rules import STOP_WORDS
from vigie.lexicons import word_class

_WORD = re.compile(r"[^\W_]+")


class _FoldTable(dict[int, str]):
    """str.translate table: a character without its accents (NFKD, combining marks dropped), built as met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        out = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)) or char
        self[code] = out
        return out


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """Lower-case, accents removed."""
    text = text.lower()
    return text if text.isascii() else text.translate(_FOLD)


@cache
def stop_words() -> frozenset[str]:
    """spaCy's French and English stop words (as vigie's cleaner reads them) plus the words of news chrome
    (weekdays, months, "selon", "said": resources/story_words_all.tsv), folded."""
    extra = word_class("story_words_all.tsv", "stop")
    return frozenset(fold(w) for w in STOP_WORDS | extra)


def _content(word: str, stops: frozenset[str]) -> bool:
    if word in stops:
        return False
    return len(word) >= 2 if word.isdigit() else len(word) >= 3


def words(text: str) -> list[str]:
    """Folded word tokens that carry content: letters of 3+ characters or numbers of 2+ digits, no stop word."""
    stops = stop_words()
    return [w for w in _WORD.findall(fold(text)) if _content(w, stops)]


def stems(text: str, chars: int) -> Counter[str]:
    """Stem counts of a text (stem = the word cut to `chars` characters; 0 keeps words whole)."""
    ws = words(text)
    return Counter(w[:chars] for w in ws) if chars > 0 else Counter(ws)


def stems_and_pairs(text: str, chars: int) -> tuple[Counter[str], Counter[str]]:
    """`stems`, and the counts of two consecutive content-word stems ("gilets_jaunes", "prix_nobel") that no stop
    word, number or short word separates."""
    stops = stop_words()
    singles: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    prev = ""
    for w in _WORD.findall(fold(text)):
        if not _content(w, stops):
            prev = ""
            continue
        stem = w[:chars] if chars > 0 else w
        singles[stem] += 1
        if w.isdigit():
            prev = ""
            continue
        if prev:
            pairs[f"{prev}_{stem}"] += 1
        prev = stem
    return singles, pairs


# A capitalised word that does not open a sentence or a line: a name ("Tokaïev", "Almaty", "OTSC") in any
# language, which English articles need (they have no entity mentions: no English NER model).
_CAPITALISED = re.compile(r"(?<![.!?:«\"“\n]\s)(?<![.!?:«\"“\n])(?<!^)\b[^\W\d_a-zà-ÿ][^\W_]+", re.MULTILINE)


def capitalised(text: str) -> Counter[str]:
    """Counts of the capitalised words inside sentences, folded, stop words out (a proxy for names)."""
    stops = stop_words()
    out: Counter[str] = Counter()
    for m in _CAPITALISED.finditer(text):
        w = fold(m.group())
        if len(w) >= 3 and w not in stops and not w.isdigit():
            out[w] += 1
    return out


def name_key(name: str) -> str:
    """An entity's canonical name as a comparable key: folded, punctuation to single spaces."""
    return " ".join(_WORD.findall(fold(name)))
