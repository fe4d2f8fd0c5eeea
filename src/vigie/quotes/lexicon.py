"""The quote extractor's word lists: reporting verbs and word classes, read once from `resources/`.

- `reporting_verbs_fr.tsv` / `reporting_verbs_en.tsv`: lemma, frames (which complements make the verb report
  speech: que-clause, infinitive...), and forms. French forms of regular -er verbs are generated here, so a
  verb the lemmatiser got wrong ("indique" -> "indique") is still recognised.
- `quote_words_fr.tsv` / `quote_words_en.tsv`: word classes (titles, document nouns, naming words...).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vigie.lexicons import pair_classes, read_rows, word_class, word_classes

# Endings of a regular French -er verb (present, past historic, imperfect, future, conditional, participles):
# enough for the third person forms news use ("indique", "ont indiqué", "indiquait", "indiquera").
_ER_ENDINGS = word_class("quote_words_fr.tsv", "er_ending")


@dataclass(frozen=True)
class Verb:
    lemma: str
    frames: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, Verb]  # lemma -> verb
    forms: dict[str, str]  # lower-case form -> lemma
    words: dict[str, frozenset[str]]  # class -> lower-case words
    pairs: dict[str, dict[str, str]]  # class -> word -> value ("title_same", "pronoun")

    def verb(self, lemma: str) -> Verb | None:
        return self.verbs.get(lemma)

    def lemma_of(self, form: str) -> str | None:
        return self.forms.get(form.lower())

    def has(self, cls: str, word: str) -> bool:
        return word.lower() in self.words.get(cls, frozenset())


def _rows(name: str) -> list[tuple[str, ...]]:
    return [row.cells for row in read_rows(name)]


def _french_forms(lemma: str) -> set[str]:
    forms = {lemma}
    if lemma.endswith("er"):
        stem = lemma[:-2]
        forms |= {stem + e for e in _ER_ENDINGS}
    return forms


def _words(name: str) -> tuple[dict[str, frozenset[str]], dict[str, dict[str, str]]]:
    """The word classes of a quote_words file, and its pair classes ("a = b; c = d") as dicts."""
    return dict(word_classes(name)), pair_classes(name)


@lru_cache(maxsize=1)
def french() -> Lexicon:
    verbs: dict[str, Verb] = {}
    forms: dict[str, str] = {}
    for row in _rows("reporting_verbs_fr.tsv"):
        lemma = row[0].strip()
        frames = frozenset(f.strip() for f in (row[1] if len(row) > 1 else "x").split(",") if f.strip())
        verbs[lemma] = Verb(lemma, frames)
        extra = {f.strip().lower() for f in row[2].split(",")} if len(row) > 2 else set()
        for form in _french_forms(lemma) | extra:
            forms.setdefault(form, lemma)
    words, pairs = _words("quote_words_fr.tsv")
    return Lexicon(verbs, forms, words, pairs)


@lru_cache(maxsize=1)
def english() -> Lexicon:
    verbs: dict[str, Verb] = {}
    forms: dict[str, str] = {}
    for row in _rows("reporting_verbs_en.tsv"):
        lemma = row[0].strip()
        frames = frozenset(f.strip() for f in (row[1] if len(row) > 1 else "x").split(",") if f.strip())
        verbs[lemma] = Verb(lemma, frames)
        for form in (row[2].split(",") if len(row) > 2 else [lemma]):
            if form.strip():
                forms.setdefault(form.strip().lower(), lemma)
    words, pairs = _words("quote_words_en.tsv")
    return Lexicon(verbs, forms, words, pairs)
