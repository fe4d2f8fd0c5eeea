"""What the full-text search of both backends shares: a time budget, and snippets cut from a bounded window.

A search ranks and limits first, then builds a snippet for the rows of the page only; a snippet never looks at
more than a window of words around the first match, so one very long article costs about as much as a short
one (FTS5's snippet() is quadratic in the length of the text: 27 s on a 1M-character article for ``a*``).
Every search runs under a time budget (`SEARCH_TIMEOUT`): past it the query is stopped and
`SearchTimeoutError` raised, so that a search never holds a connection and a server thread for long.
"""

from __future__ import annotations

import functools
import itertools
import re
import time
import unicodedata
from collections.abc import Iterable

from vigie.store.common import fold

#: Seconds a search may run before it is stopped (queries on both backends, then the snippets).
SEARCH_TIMEOUT = 5.0
#: Words shown in a snippet (FTS5 snippet()'s count), and how many of them come before the first match.
SNIPPET_WORDS = 12
SNIPPET_WORDS_BEFORE = 4
#: Characters looked at on each side of the first match to find the snippet's words (bounds the work when
#: a "word" is very long or the text has no spaces).
_SIDE_CHARS = 400
#: Longest title shown as a snippet when only the title matches.
_TITLE_CHARS = 300
OPEN, CLOSE, ELLIPSIS = "[", "]", "…"

_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


class SearchTimeoutError(RuntimeError):
    """A search ran past its time budget and was stopped (the API answers 503)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            f"the search was stopped after {seconds:g} s: too many articles match; use longer or more words"
        )


class Budget:
    """A deadline: `expired()` is usable as SQLite's progress handler (a true result aborts the query)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + max(seconds, 0.0)

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def remaining_ms(self) -> int:
        """Milliseconds left, at least 1 (PostgreSQL's statement_timeout takes 0 as "no limit")."""
        return max(int((self.deadline - time.monotonic()) * 1000), 1)


def _fold_char(ch: str) -> str:
    """One character folded to one character (case and accents off), as FTS5's unicode61 tokenizer with
    remove_diacritics does; a character that would fold to several (a ligature) stays as it is."""
    folded = fold(ch) or ch
    if len(folded) == 1:
        return folded
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


@functools.lru_cache(maxsize=1)
def _variants() -> dict[str, str]:
    """For each folded character, a regular-expression class of every character folding to it ("e" ->
    "[EeÈÉÊË...]"), over the alphabets up to U+2FFF and the full-width forms; built once (about 10 ms)."""
    groups: dict[str, set[str]] = {}
    for cp in itertools.chain(range(0x3000), range(0xFF00, 0xFFF0)):
        ch = chr(cp)
        if unicodedata.combining(ch):
            continue
        key = _fold_char(ch)
        if key != ch:
            groups.setdefault(key, {key}).add(ch)
    return {key: "[" + "".join(re.escape(x) for x in sorted(chars)) + "]" for key, chars in groups.items()}


class Matcher:
    """Where the search terms occur in a text, found the way FTS5 finds them: whole words (or word prefixes
    for ``term*``), case and accents ignored, a phrase's words in a row with anything but word characters
    between them."""

    def __init__(self, terms: Iterable[tuple[str, bool]]):
        variants = _variants()
        patterns = []
        for term, prefix in terms:
            words = _WORDS.findall(fold(term) or "")
            if not words:
                continue
            body = r"\W+".join("".join(variants.get(c) or re.escape(c) for c in word) for word in words)
            patterns.append(r"(?<!\w)" + body + (r"\w*" if prefix else r"(?!\w)"))
        self.regex = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def first(self, text: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.regex is not None and text else None

    def mark(self, text: str) -> str:
        if self.regex is None:
            return text
        return self.regex.sub(lambda m: OPEN + m.group(0) + CLOSE, text)


@functools.lru_cache(maxsize=256)
def _matcher(terms: tuple[tuple[str, bool], ...]) -> Matcher:
    return Matcher(terms)


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    """A few words before [start, end) and enough after it to make about SNIPPET_WORDS words."""
    left = max(start - _SIDE_CHARS, 0)
    before = list(_WORDS.finditer(text, left, start))[-SNIPPET_WORDS_BEFORE:]
    if before:
        first = before[0].start()
        # the window starts at the text's start when only spaces and punctuation come before
        new_start = 0 if left == 0 and not _WORDS.search(text, 0, first) else first
    else:
        new_start = 0 if left == 0 else start
    inside = len(_WORDS.findall(text, start, end)) or 1
    wanted = max(SNIPPET_WORDS - len(before) - inside, 0)
    new_end = end
    if wanted:
        for i, m in enumerate(_WORDS.finditer(text, end, min(end + _SIDE_CHARS, len(text)))):
            new_end = m.end()
            if i + 1 >= wanted:
                break
    return new_start, new_end


def _tidy(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def make_snippet(text: str | None, title: str | None, terms: list[tuple[str, bool]]) -> str:
    """About SNIPPET_WORDS words of `text` around its first match, every match in the window in [brackets],
    with … where the text goes on; the title (marked) when only the title matches; else the text's start.

    The work is one regular-expression scan of the text up to its first match, and a window of bounded size.
    """
    text = text or ""
    matcher = _matcher(tuple(terms))
    found = matcher.first(text)
    if found is None and title and matcher.first(title):
        return _tidy(matcher.mark(title[:_TITLE_CHARS]))
    if found is None:
        return plain_snippet(text)
    start, end = _window(text, found.start(), found.end())
    shown = _tidy(matcher.mark(text[start:end]))
    return (ELLIPSIS if start > 0 else "") + shown + (ELLIPSIS if end < len(text) else "")


def plain_snippet(text: str | None) -> str:
    """The text's first SNIPPET_WORDS words (no marks): the snippet when nothing can be located in time."""
    text = text or ""
    words = list(_WORDS.finditer(text, 0, min(len(text), SNIPPET_WORDS * _SIDE_CHARS)))[:SNIPPET_WORDS]
    end = words[-1].end() if words else min(len(text), _TITLE_CHARS)
    return _tidy(text[:end]) + (ELLIPSIS if end < len(text) else "")
