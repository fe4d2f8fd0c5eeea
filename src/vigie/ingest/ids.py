"""Content-derived article ids."""
from __future__ import annotations

import hashlib
import unicodedata


def content_id(text: str) -> str:
    """First 16 hex chars of sha256 of the normalised text.

    NFC, CRLF -> LF and outer-whitespace stripping make the id survive the usual
    re-encodings of the same article (Windows line ends, decomposed accents, a trailing
    newline), so ingesting the same content twice yields the same id whatever the file name.
    """
    norm = unicodedata.normalize("NFC", text).replace("\r\n", "\n").strip()
    # surrogatepass: JSON may carry lone surrogates; hashing must never raise.
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:16]
