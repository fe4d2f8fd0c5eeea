"""Settings of deduplication, chosen on `bench/dedup.py --tune` (the tuning half of its near-duplicate set: the
most conservative of the settings within 0.005 of the best F1; see docs/BENCHMARKS.md).

`scheme` names everything that shapes a stored fingerprint (normalisation, content lines, shingle size,
permutations, seed): a fingerprint made under another scheme is computed again from the stored text when the
index is built (`vigie.dedup.index`). The LSH bands, the verification thresholds and the time window only decide
what is compared and matched: changing them needs no recomputation.
"""
from __future__ import annotations

from dataclasses import dataclass

#: Bump when `vigie.dedup.normalize` or `vigie.dedup.shingles` change what they produce.
NORMALISATION_VERSION = 1


@dataclass(frozen=True, slots=True)
class DedupConfig:
    shingle_size: int = 3  # words per shingle
    #: Near duplicates are compared on the lines of at least this many words (headlines, bylines and menus left
    #: out), unless those lines hold fewer than `min_content_words` words: then on the whole text. 0: every line
    #: (what the tuning chose: the key-word check already ignores the lines the other text does not share).
    min_line_words: int = 0
    min_content_words: int = 25
    num_perm: int = 128  # MinHash permutations (signature: num_perm x 4 bytes)
    seed: int = 1  # MinHash permutation seed
    bands: int = 64  # LSH bands x rows = num_perm; more bands find pairs of lower Jaccard
    rows: int = 2
    #: A candidate is a near duplicate when this share of the smaller text's shingles is in the other text,
    min_containment: float = 0.6
    #: the smaller text has at least this many shingles (shorter texts match only as exact duplicates),
    min_shingles: int = 20
    #: and this share of the key words (figures and names) of its lines that the other shares is in the other.
    min_key_share: float = 0.8
    #: Only articles published at most this many days apart are compared (undated ones: with every article).
    window_days: int = 3

    @property
    def scheme(self) -> str:
        """What the stored fingerprint depends on ("v1-l0.25-w3-p128-s1")."""
        return (
            f"v{NORMALISATION_VERSION}-l{self.min_line_words}.{self.min_content_words}"
            f"-w{self.shingle_size}-p{self.num_perm}-s{self.seed}"
        )

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"LSH bands x rows ({self.bands} x {self.rows}) must equal num_perm ({self.num_perm})")
        if self.shingle_size < 1 or self.window_days < 0:
            raise ValueError("shingle_size must be >= 1 and window_days >= 0")
