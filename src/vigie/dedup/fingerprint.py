"""An article's fingerprint: the normalised body's hash (exact duplicates) and the MinHash signature of its
word shingles (near duplicates), computed with datasketch.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from vigie.dedup.config import DedupConfig
from vigie.dedup.normalize import body_hash, lines_of
from vigie.dedup.verify import Profile, profile_of
from vigie.records import Fingerprint

#: datasketch's permutation scheme: 32-bit values (mixed by MurmurHash3's finalizer, then a * h + b mod 2**32).
SCHEME = "affine32"


def _identity(value: int) -> int:
    """datasketch's hash function: shingles arrive already hashed to 32 bits (`vigie.dedup.shingles`)."""
    return value


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int):
    """An empty MinHash (its permutations are drawn once per (num_perm, seed)); copies are cheap."""
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity, scheme=SCHEME)


def minhash_of(shingles: np.ndarray, config: DedupConfig):
    """The datasketch LeanMinHash of a shingle set."""
    from datasketch import LeanMinHash

    m = _template(config.num_perm, config.seed).copy()
    if shingles.size:
        m.update_batch(shingles.tolist())
    return LeanMinHash(m)


def signature_bytes(minhash) -> bytes:
    """The signature as stored: num_perm little-endian uint32 (the affine32 scheme's values)."""
    return np.asarray(minhash.hashvalues, dtype="<u4").tobytes()


def minhash_from_bytes(data: bytes, config: DedupConfig):
    """A stored signature back as a LeanMinHash (for the LSH index)."""
    from datasketch import LeanMinHash

    values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    if values.size != config.num_perm:
        raise ValueError(f"signature of {values.size} values, expected {config.num_perm}")
    return LeanMinHash(seed=config.seed, hashvalues=values, scheme=SCHEME)


def fingerprint_text(text: str, config: DedupConfig) -> tuple[Fingerprint, Profile]:
    """The fingerprint of a cleaned text, and its profile (kept for verification)."""
    lines = lines_of(text)
    profile = profile_of(lines, config)
    fp = Fingerprint(
        scheme=config.scheme,
        body_hash=body_hash([w for line, _ in lines for w in line]),
        signature=signature_bytes(minhash_of(profile.shingles, config)),
        shingles=profile.size,
    )
    return fp, profile
