"""The normalised body of an article: what two copies of one text have in common whatever the site did to it.

Case, accents, whitespace, punctuation and typographic quotes are folded: the text becomes its sequence of
words (Unicode NFKC, case-folded, accents stripped, every run of non-word characters a separator), so that
« » “ ” " ’ ' and spaces of every width compare equal. Digit groups written "2.000", "2 000" or "2 000"
(narrow no-break space) are joined ("2000").

- `body_hash`: sha256 of all the words: equal for exact duplicates.
- `content_lines`: the lines of at least `min_line_words` words. Near duplicates are compared on these:
  headlines, bylines, datelines, menus and other short lines a site adds, drops or rewrites do not count (a
  text made only of short lines is taken whole).
- `key_words`: a line's figures (numbers) and names (capitalised words that do not start a sentence), folded.
  Two articles written from one template (stage results, a death toll updated the next day, the junior and the
  senior final) share most of their words but not these; a copy keeps them.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

# A thousands separator between digit groups ("2.000", "10 000"; "1,5" stays two numbers: one digit after).
_DIGIT_GROUP = re.compile(r"(?<=\d)[.\s\u00a0\u202f\u2009'’](?=\d{3}(?!\d))")
_WORD = re.compile(r"\w+")


# Combining marks (accents) left by NFD: the Unicode blocks of combining diacritics.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """NFKC, case-folded, accents stripped ("L’Élysée" -> "l’elysee"); quotes and punctuation stay here."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


def words(text: str) -> list[str]:
    """The words of `text` after folding: punctuation, quotes of every style and whitespace are separators."""
    return _WORD.findall(_DIGIT_GROUP.sub("", fold(text)))


def body_hash(body_words: list[str]) -> str:
    """sha256 of the normalised body (its words joined by single spaces): equal for exact duplicates."""
    return hashlib.sha256(" ".join(body_words).encode("utf-8", "surrogatepass")).hexdigest()


def line_words(text: str) -> list[list[str]]:
    """The words of each line of `text` (empty lines left out)."""
    return [w for w in (words(line) for line in text.splitlines()) if w]


Line = tuple[list[str], frozenset[str]]  # a line's words and its key words


def lines_of(text: str) -> list[Line]:
    """Each non-empty line of `text` as its words and its key words (`key_words`)."""
    out = []
    for line in text.splitlines():
        line_words = words(line)
        if line_words:
            out.append((line_words, key_words(line, line_words)))
    return out


# A word that starts with a letter (inner hyphens allowed: "Saint-Lô"); "l'Allemand" holds "l" and "Allemand".
_CAPITALISED = re.compile(r"(?<![\w-])([^\W\d_][\w-]*)")
_SENTENCE_START = frozenset(".!?:;«»\"“”—–-•(")


def key_words(line: str, line_words: list[str] | None = None) -> frozenset[str]:
    """The line's figures (the words made of digits) and names (words that start with a capital letter and do not
    start the line or a sentence), folded: what two articles of one template do not share."""
    figures = {w for w in (line_words if line_words is not None else words(line)) if w.isdigit()}
    names = []
    for m in _CAPITALISED.finditer(line):
        word = m.group(1)
        if not word[0].isupper() or m.start() == 0:
            continue
        before = line[: m.start()].rstrip()
        if not before or before[-1] in _SENTENCE_START:
            continue
        names.append(word)
    return frozenset(figures.union(words(" ".join(names)))) if names else frozenset(figures)


def content_lines(lines: list[Line], min_line_words: int, min_words: int) -> list[Line]:
    """The lines of at least `min_line_words` words; all the lines when those hold fewer than `min_words` words."""
    long = [line for line in lines if len(line[0]) >= min_line_words]
    if sum(len(line[0]) for line in long) >= min_words:
        return long
    return lines
