"""Content-derived article ids."""
from __future__ import annotations

import hashlib

from vigie.ingest.repair import repaired_text


def content_id(text: str) -> str:
    """First 16 hex chars of sha256 of the repaired, normalised text.

    The id is taken from the text the cleaning step starts from (`vigie.ingest.repair.repaired_text`:
    mojibake and control characters repaired, NFC, any line end as LF, trailing spaces dropped), with the
    outer whitespace stripped. So the usual re-encodings of the same article (UTF-16, Windows line ends,
    decomposed accents, stray control characters, UTF-8 read as cp1252 and saved again, a trailing
    newline) give one id whatever the file name, and a rerun finds the article already stored.
    """
    norm = repaired_text(text).strip()
    # surrogatepass: JSON may carry lone surrogates; hashing must never raise.
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:16]
