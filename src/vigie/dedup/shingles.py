"""Word shingles: every run of `size` consecutive words, as a 32-bit hash.

A copy that lost or gained a line, had its paragraphs reordered or a word changed keeps most of its
shingles (a change costs the `size` shingles that cover it); two articles on the same subject share few
runs of four words. Hashes are CRC-32 of the shingle's UTF-8 text: stable across runs and processes (MinHash
signatures are stored) and fast. A set is a sorted array of unique values, so that the verification's
intersections are one numpy call.
"""
from __future__ import annotations

import zlib

import numpy as np


def shingle_hashes(body_words: list[str], size: int) -> np.ndarray:
    """Sorted unique uint32 hashes of the `size`-word shingles (one shingle of all words when there are fewer)."""
    if not body_words:
        return np.zeros(0, dtype=np.uint32)
    n = max(1, len(body_words) - size + 1)
    crc = zlib.crc32
    values = [crc(" ".join(body_words[i : i + size]).encode("utf-8", "surrogatepass")) for i in range(n)]
    return np.unique(np.array(values, dtype=np.uint32))


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two shingle sets; containment is the share of the smaller set found in the
    larger one (1.0 for a truncated copy, about the Jaccard for two texts of one length)."""
    if a.size == 0 or b.size == 0:
        return 0.0, 0.0
    inter = int(np.intersect1d(a, b, assume_unique=True).size)
    union = a.size + b.size - inter
    return inter / union, inter / min(a.size, b.size)
