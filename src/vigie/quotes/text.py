"""Character-level structure the quote rules need, for any language: paragraphs, quote-aware sentences and
quotation marks.

Sentences come from our own splitter rather than spaCy's: the French parser often glues a sub-heading or a
quote paragraph to its neighbour, and a quote of several sentences followed by ", a-t-il dit" must stay one
unit with its cue. A sentence break is not allowed inside a quote that closes within the paragraph.

Quotation marks: « » “ ” ‹ › pair with nesting; straight double quotes pair by alternation within a
paragraph. A quote left open at the end of a paragraph continues when the next paragraph opens with the
same mark (the French and English convention for a quote of several paragraphs); otherwise it ends with
its paragraph.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc

from vigie.lexicons import word_class

PAIRS = {"«": "»", "“": "”", "‹": "›"}
CLOSERS = {v: k for k, v in PAIRS.items()}
STRAIGHT = '"'
QUOTE_CHARS = frozenset("«»“”‹›\"")

# A candidate sentence end: terminal punctuation, maybe closing marks, then space and a capital, a digit or
# an opening quote.
_SENT_END = re.compile(r"[.!?…]+[»”\"')\]]*\s+(?=(?:[–—]\s+)?[«“\"(\[A-ZÀ-ÖØ-Þ0-9])")
# Abbreviations after which a full stop does not end a sentence (titles and initials; lower-cased).
_ABBREVIATIONS = word_class("quote_words_fr.tsv", "abbreviation") | word_class("quote_words_en.tsv", "abbreviation")


@dataclass(frozen=True, slots=True)
class Mark:
    """One quotation: `start`/`end` span the content (without marks, trimmed), `open`/`close` the marks."""

    open: int
    close: int | None  # None when the quote runs to the end of its paragraph without a closing mark
    start: int
    end: int
    words: int


@dataclass(slots=True)
class Layout:
    """Paragraphs and sentences of a text as (start, end) character spans, plus a char -> token index."""

    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    marks: list[Mark]
    token_starts: list[int]
    _sent_starts: list[int]
    _par_starts: list[int]

    def sentence_of(self, char: int) -> tuple[int, int]:
        i = max(0, bisect_right(self._sent_starts, char) - 1)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def sentence_index(self, char: int) -> int:
        return max(0, bisect_right(self._sent_starts, char) - 1)

    def paragraph_index(self, char: int) -> int:
        return max(0, bisect_right(self._par_starts, char) - 1)

    def token_at(self, char: int) -> int:
        """Index of the token that covers or precedes `char`."""
        return max(0, bisect_right(self.token_starts, char) - 1)

    def in_mark(self, char: int, min_words: int = 0) -> Mark | None:
        """The quotation (of at least `min_words` words) whose marks enclose `char`, if any."""
        for m in self.marks:
            end = m.close if m.close is not None else m.end
            if m.open <= char <= end and m.words >= min_words:
                return m
            if m.open > char:
                break
        return None


def paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return out


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` closes an abbreviation or an initial ("M.", "J.", "U.S.")."""
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    if not word:
        return False
    if len(word) == 1 and text[j].isupper():
        return True  # an initial
    return word.rstrip(".") in _ABBREVIATIONS or ("." in word and len(word) <= 5)


_QUOTE_CHAR = re.compile('[«»“”‹›"]')


def find_marks(text: str, pars: list[tuple[int, int]]) -> list[Mark]:
    """Every top-level quotation in `text` (nested quotes are part of their enclosing quote's content)."""
    marks: list[Mark] = []
    carry: tuple[int, str] | None = None  # an unclosed quote continuing from the previous paragraph
    for pi, (ps, pe) in enumerate(pars):
        stack: list[tuple[int, str]] = []
        skip_first = False
        if carry is not None:
            if text[ps] == carry[1]:
                stack.append(carry)
                skip_first = True  # the repeated opening mark of a continued quote
            else:
                _close(marks, text, carry[0], None, pars[pi - 1][1])
            carry = None
        for match in _QUOTE_CHAR.finditer(text, ps, pe):
            i = match.start()
            c = text[i]
            if skip_first and i == ps:
                continue
            if c in PAIRS:
                stack.append((i, c))
            elif c in CLOSERS:
                # close the innermost matching opener; ignore a stray closer
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k][1] == CLOSERS[c]:
                        if k == 0:
                            _close(marks, text, stack[0][0], i, i)
                        del stack[k:]
                        break
            elif i > ps and text[i - 1].isdigit():
                pass  # seconds or inches ("43\"03"), not a quotation mark
            elif stack and stack[-1][1] == STRAIGHT:
                if len(stack) == 1:
                    _close(marks, text, stack[0][0], i, i)
                stack.pop()
            else:
                stack.append((i, STRAIGHT))
        if stack:
            opener = stack[0]
            nxt = pars[pi + 1] if pi + 1 < len(pars) else None
            if nxt is not None and text[nxt[0]] == opener[1]:
                carry = opener
            else:
                _close(marks, text, opener[0], None, pe)
    if carry is not None:
        _close(marks, text, carry[0], None, pars[-1][1])
    marks.sort(key=lambda m: m.open)
    return marks


def _close(marks: list[Mark], text: str, open_: int, close: int | None, end: int) -> None:
    s, e = open_ + 1, end
    while s < e and (text[s].isspace()):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;"):
        e -= 1  # “We will rebuild,” he said: the comma belongs to the sentence
    if e > s:
        marks.append(Mark(open_, close, s, e, len(text[s:e].split())))


def sentences(text: str, pars: list[tuple[int, int]], marks: list[Mark]) -> list[tuple[int, int]]:
    """Sentences inside paragraphs; no break inside a quote that closes within its paragraph."""
    closed = [(m.open, m.close) for m in marks if m.close is not None]
    out = []
    for ps, pe in pars:
        start = ps
        for m in _SENT_END.finditer(text, ps, pe):
            dot = m.start()
            if text[dot] == "." and _is_abbreviation(text, dot):
                continue
            if any(o < dot < c for o, c in closed):
                continue
            end = m.end()
            stripped_end = end
            while stripped_end > start and text[stripped_end - 1].isspace():
                stripped_end -= 1
            out.append((start, stripped_end))
            start = end
        if start < pe:
            out.append((start, pe))
    return out


def layout(doc: Doc, text: str | None = None) -> Layout:
    """Paragraphs, sentences and quotation marks of `doc` (pass `text` when you have doc.text already:
    spaCy rebuilds it from the tokens at every access)."""
    text = doc.text if text is None else text
    pars = paragraphs(text)
    marks = find_marks(text, pars) if pars else []
    sents = sentences(text, pars, marks)
    return Layout(
        text=text,
        paragraphs=pars,
        sentences=sents,
        marks=marks,
        token_starts=doc.to_array("IDX").tolist() if len(doc) else [],
        _sent_starts=[s for s, _ in sents],
        _par_starts=[p for p, _ in pars],
    )
