"""Near-duplicate articles at ingest: exact copies by the hash of the normalised body, near copies (other site
chrome, a new headline, a byline, truncation, light edits, reordered paragraphs) by MinHash LSH on word
shingles, verified on the shingle sets and the figures and names, within a window of publication dates.

    index = DedupIndex(DedupConfig(), source=store)   # the store's originals, loaded lazily by day
    fingerprint, duplicate = index.process(article.id, article.text, article.published)

Modules: `normalize` (folding, words, body hash, key words), `shingles` (word shingles, overlap), `fingerprint`
(MinHash signatures with datasketch), `verify` (is a candidate a copy?), `config` (the settings chosen on
bench/dedup.py), `index` (matching and loading). The pipeline step is `vigie.steps.dedup`; the store keeps the
fingerprints and, in `article_sources`, each duplicate's link to its original with its source and URL.
"""
from vigie.dedup.config import DedupConfig
from vigie.dedup.fingerprint import fingerprint_text
from vigie.dedup.index import DedupIndex, FingerprintSource
from vigie.dedup.normalize import body_hash, words
from vigie.dedup.shingles import overlap, shingle_hashes

__all__ = [
    "DedupConfig",
    "DedupIndex",
    "FingerprintSource",
    "body_hash",
    "fingerprint_text",
    "overlap",
    "shingle_hashes",
    "words",
]
