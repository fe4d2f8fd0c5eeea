"""Bounded work per article: long texts go through the spaCy model in chunks, then vigie's document-level
components run once on the joined Doc.

The memory spaCy's model needs grows with the length of one Doc (fr_core_news_md: +0.9 GB at 260,000
characters, +3.3 GB at 990,000, over the 0.65 GB of the loaded pipeline), so a long article (the input
limit is 1M characters) run through `nlp(text)` at once takes several GB. `analyse_text`
cuts such a text at paragraph boundaries (then line, sentence and space boundaries, a hard cut as a last
resort) into chunks of at most `chunk_chars` characters, runs the model's pipes (everything up to and
including the last pipe that is not one of vigie's, so `vigie_line_breaks`, which sits before the parser,
too) on each chunk, joins the chunks with `Doc.from_docs(..., ensure_whitespace=False)` — the joined Doc's
text is exactly `text`, so every offset is an offset into the whole article — and then runs vigie's
document-level components (entity filter, gazetteer, acronyms, consistency, canonical names, places,
quotes, dates, quantities, events) on the joined Doc, in pipeline order, so that they see the whole
article (one canonical name per entity, coreference and dates across the whole text).

The joined Doc carries everything the components read (tokens, tags, morphology, lemmas, parse, sentence
starts, entities, extension values); the tok2vec tensor is dropped (no component reads it).

A cut is made only right after a run of whitespace, so the tokens of a chunk are the tokens the whole text
would have (spaCy splits on whitespace first); only the model's context differs near a cut, and line
breaks already end sentences (`vigie_line_breaks`), so cutting at a line never splits a sentence.

Texts of at most `long_text_chars` characters (nearly every news article) go through `nlp(text)`
unchanged: identical output. A pipeline without a statistical model (the blank English pipeline) is never
chunked: its tokenizer and sentencizer are linear and light.
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc

# Texts up to this length run through `nlp(text)` as before: identical output. Measured with fr_core_news_md
# (bench/long_text.py, peak RSS above the loaded pipeline and place index, ~650 MB): one `nlp(text)` of 10,000
# characters adds ~15 MB, 20,000 ~60 MB, 30,000 ~100 MB, 50,000 ~185 MB, 260,000 ~930 MB. News articles are a
# few thousand characters (one WiNER-fr article in 1,191 is longer than 20,000).
LONG_TEXT_CHARS = 30_000
# Chunk size for longer texts: one cut every few pages, and a chunk adds ~15 MB to the peak. The time per
# character is the same from 2,000 to 50,000 characters a chunk.
CHUNK_CHARS = 10_000
# `analyse_texts`: a batch of `nlp.pipe` costs memory like one text of its total length (16 texts of 39,000
# characters: +2 GB), so batches stop at this many characters (16 articles of the usual 2,500 fit).
BATCH_CHARS = 40_000
BATCH_SIZE = 16

# Cut preferences, best first; each cut falls right after a run of whitespace (the next chunk starts with
# a non-space character, or the text ends).
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")  # a blank line
_LINE = re.compile(r"\n\s*")  # a line break (cleaned articles keep one paragraph per line)
_SENTENCE = re.compile(r"[.!?…][\"'»”’)\]]*\s+")  # end of a sentence
_SPACE = re.compile(r"\s+")
_CUTS = (_PARAGRAPH, _LINE, _SENTENCE, _SPACE)
# A preferred cut is taken only if it leaves a chunk of at least this share of `chunk_chars`; otherwise
# the next kind of cut is tried (one blank line at the start of a huge paragraph must not make a tiny chunk).
_MIN_SHARE = 0.25


def analyse_text(
    nlp: Language,
    text: str,
    *,
    long_text_chars: int = LONG_TEXT_CHARS,
    chunk_chars: int = CHUNK_CHARS,
    time_budget: float | None = None,
) -> Doc:
    """`nlp(text)` with bounded memory: the model runs on chunks of a long text, vigie's components on the
    whole joined Doc (whose text is exactly `text`).

    Give it the model's text (`model_text(article.text)`), as for `nlp(...)`; the Doc goes to
    `vigie.analysis.from_doc.annotate_article` as before. With `time_budget` (seconds), `TimeBudgetExceeded` is
    raised at the first check after it runs out: before each chunk and each pipe (a single pipe that hangs
    is not interrupted: that needs the worker process to be stopped).
    """
    deadline = None if time_budget is None else time.monotonic() + time_budget
    if len(text) <= long_text_chars:
        return nlp(text) if deadline is None else _run_pipes(nlp, nlp.make_doc(text), nlp.pipe_names, deadline)
    split = model_pipe_count(nlp)
    if not any(isinstance(proc, TrainablePipe) for _, proc in nlp.pipeline[:split]):
        # no statistical model (blank English pipeline): nothing needs chunking; `nlp(text)` with the
        # length check of `make_doc` left to the caller's own limit
        return _run_pipes(nlp, nlp.tokenizer(text), nlp.pipe_names, deadline)
    document_pipes = nlp.pipe_names[split:]  # the model's pipes (before `split`) run on each chunk
    chunks = []
    spans = chunk_spans(text, chunk_chars)
    for k, (start, end) in enumerate(spans):
        _check(deadline, f"chunk {k + 1} of {len(spans)}")
        chunk = nlp(text[start:end], disable=document_pipes)
        # the tok2vec output (96 floats a token): no vigie component reads it, and the join would copy it
        chunk.tensor = numpy.zeros((0,), dtype="float32")
        chunks.append(chunk)
    doc = join_docs(chunks)
    del chunks
    return _run_pipes(nlp, doc, document_pipes, deadline)


class TimeBudgetExceeded(TimeoutError):
    """`analyse_text` ran out of its time budget."""


def _check(deadline: float | None, step: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise TimeBudgetExceeded(f"NLP time budget exceeded before {step}")


def _run_pipes(nlp: Language, doc: Doc, names: list[str], deadline: float | None) -> Doc:
    """The pipes `names` (in pipeline order) on `doc`, through `nlp` as `nlp(doc)` runs them."""
    if deadline is None:
        return nlp(doc, disable=[n for n in nlp.pipe_names if n not in names])
    for name in names:
        _check(deadline, name)
        doc = nlp(doc, disable=[n for n in nlp.pipe_names if n != name])
    return doc


def analyse_texts(
    nlp: Language,
    items: Iterable[tuple[str, Any]],
    *,
    batch_size: int = BATCH_SIZE,
    batch_chars: int = BATCH_CHARS,
    long_text_chars: int = LONG_TEXT_CHARS,
    chunk_chars: int = CHUNK_CHARS,
) -> Iterator[tuple[Doc, Any]]:
    """`nlp.pipe(items, as_tuples=True)` in one process with bounded memory: (text, context) pairs in,
    (Doc, context) pairs out in the same order. Texts longer than `long_text_chars` go through
    `analyse_text`; the others through `nlp.pipe` in batches of at most `batch_size` texts and `batch_chars`
    characters (the same Docs as `nlp(text)`)."""
    batch: list[tuple[str, Any]] = []
    size = 0
    for text, context in items:
        if batch and (len(text) > long_text_chars or len(batch) >= batch_size or size + len(text) > batch_chars):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
            batch, size = [], 0
        if len(text) > long_text_chars:
            yield analyse_text(nlp, text, long_text_chars=long_text_chars, chunk_chars=chunk_chars), context
            continue
        batch.append((text, context))
        size += len(text)
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=len(batch))


def model_pipe_count(nlp: Language) -> int:
    """How many leading pipes run on chunks: up to and including the last pipe that is not vigie's (the
    spaCy model's NER for the French pipeline; `vigie_line_breaks` sits before its parser)."""
    split = 0
    for i, name in enumerate(nlp.pipe_names):
        if not nlp.get_pipe_meta(name).factory.startswith("vigie_"):
            split = i + 1
    return split


def chunk_spans(text: str, chunk_chars: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) of consecutive chunks covering `text`, each at most `chunk_chars` long, cut at the
    last blank line in reach, else line break, else sentence end, else space, else anywhere."""
    if chunk_chars < 1:
        raise ValueError("chunk_chars must be positive")
    return list(_iter_chunk_spans(text, chunk_chars))


def _iter_chunk_spans(text: str, chunk_chars: int) -> Iterator[tuple[int, int]]:
    start, n = 0, len(text)
    min_len = max(1, int(chunk_chars * _MIN_SHARE))
    while n - start > chunk_chars:
        end = start + chunk_chars
        cut = end  # hard cut when there is no whitespace in reach
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(text, start + min_len - 1, end)]
            if ends:
                cut = ends[-1]
                break
        yield start, cut
        start = cut
    if start < n or n == 0:
        yield start, n


def join_docs(docs: list[Doc], *, keep_tensor: bool = False) -> Doc:
    """One Doc from consecutive chunk Docs: text, tokens, tags, morphology, lemmas, parse, sentence starts,
    entities, span groups and token/span extension values (offsets shifted) via `Doc.from_docs`, and the
    tensor with `keep_tensor`; Doc-level extension values (which `from_docs` drops with a warning) are
    merged here: lists are concatenated, other values keep the first chunk's that is set."""
    doc_values: dict[Any, object] = {}  # keyed like `user_data` (whose keys are tuples, not the stub's str)
    for d in docs:
        for key in [k for k in d.user_data if _is_doc_extension(k)]:
            value = d.user_data.pop(key)
            prev = doc_values.get(key)
            if isinstance(value, list) and isinstance(prev, list):
                doc_values[key] = prev + value
            elif prev is None:
                doc_values[key] = list(value) if isinstance(value, list) else value
    # spaCy's doc.pyi lacks `exclude`, which `Doc.from_docs` takes since spaCy 3.3
    joined = Doc.from_docs(  # type: ignore[call-arg]
        docs, ensure_whitespace=False, exclude=() if keep_tensor else ("tensor",)
    )
    joined.user_data.update(doc_values)
    return joined


def _is_doc_extension(key: object) -> bool:
    return isinstance(key, tuple) and len(key) == 4 and key[0] == "._." and key[2] is None and key[3] is None
