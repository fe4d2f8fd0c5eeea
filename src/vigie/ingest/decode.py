"""Bytes -> text: binary and empty detection, encoding detection and repair."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from vigie.ingest.limits import SNIFF_BYTES

# Signatures of the binary files most often found next to articles in a crawl folder.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),  # empty archive
    (b"PK\x07\x08", "ZIP"),  # spanned archive
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x7fELF", "ELF"),
)

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
WIDE_BOMS = tuple(bom for bom, enc in _BOMS if not enc.startswith("utf-8"))

# C0 controls that never appear in text (tab, LF, VT, FF, CR are allowed) plus DEL.
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r") + b"\x7f"
_MAX_CONTROL_SHARE = 0.10

# charset-normalizer cannot tell cp1250 from cp1252 on short French text and often
# answers cp1250, turning "è" into "č". When cp1252 fits as well, prefer it: it is by
# far the most common legacy encoding of French web pages.
_PREFERRED_LEGACY = "cp1252"
_CHAOS_TIE = 0.01

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding standard), and so do servers' authors.
_AS_CP1252 = frozenset({"ascii", "iso8859-1", "latin-1"})


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how we got it."""

    text: str
    encoding: str  # utf-8, utf-8-sig, utf-8+cp1252 (mixed), cp1252, ...
    repaired: bool  # True when the bytes were not clean UTF-8


def binary_kind(head: bytes) -> str | None:
    """Why `head` (the first bytes of a file) looks binary, e.g. 'PDF' or 'NUL bytes'; None if text."""
    head = head[:SNIFF_BYTES]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(WIDE_BOMS):
        return None  # UTF-16/32 text is full of NUL bytes by design
    if b"\x00" in head:
        return "NUL bytes"
    if head:
        controls = len(head) - len(head.translate(None, _CONTROL))
        if controls / len(head) > _MAX_CONTROL_SHARE:
            return f"{controls / len(head):.0%} control characters"
    return None


def binary_reason(kind: str) -> str:
    """The ArticleError reason for a binary input."""
    return f"binary file ({kind}), not text"


def is_blank(data: bytes) -> bool:
    """True for empty or whitespace-only bytes (a lone UTF-8 BOM counts as blank)."""
    return not data.removeprefix(codecs.BOM_UTF8).strip()


def declared_charset(data: bytes) -> str | None:
    """The codec an HTML page declares in <meta charset> / http-equiv, if Python knows it."""
    match = _META_CHARSET.search(data[:SNIFF_BYTES])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode the bytes UTF-8 rejected as cp1252 (latin-1 for the 5 bytes cp1252 leaves undefined)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start : err.end]
    return "".join(_byte_as_cp1252(b) for b in bad), err.end


def _byte_as_cp1252(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


codecs.register_error("vigie.cp1252", _cp1252_fallback)


def _mostly_utf8(data: bytes) -> bool:
    """True when UTF-8 explains the non-ASCII bytes better than a legacy code page.

    Crawled pages often mix a UTF-8 body with a few cp1252 bytes (an ad, a pasted quote).
    Decoding the whole file as cp1252 would garble every accent of the body, so when the
    valid multi-byte sequences outnumber the invalid bytes, keep UTF-8 and patch the rest.
    """
    text = data.decode("utf-8", "replace")
    invalid = text.count("\ufffd")
    valid_multibyte = sum(1 for ch in text if ord(ch) > 127) - invalid
    return valid_multibyte >= invalid


def _guess_legacy(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best guess, (text, encoding), with the cp1252 tie-break."""
    try:
        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            return None
        for match in matches:
            if _PREFERRED_LEGACY in match.could_be_from_charset and match.chaos <= best.chaos + _CHAOS_TIE:
                return data.decode(_PREFERRED_LEGACY), _PREFERRED_LEGACY
        return str(best), best.encoding
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode bytes to text, best effort; never raises.

    Order: a BOM, strict UTF-8, the charset an HTML page declares, mostly-UTF-8 with
    cp1252 patches, charset-normalizer's guess, cp1252, latin-1 with replacement.
    A UTF-8 BOM is stripped.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            if enc == "utf-8-sig":
                data = data[len(bom) :]
                try:
                    return Decoded(data.decode("utf-8"), enc, repaired=False)
                except UnicodeDecodeError:
                    break  # a lying BOM: fall through to the repairs below
            # A UTF-16/32 BOM is strong evidence: keep that encoding, replace bad units.
            return Decoded(data[len(bom) :].decode(enc, "replace"), enc, repaired=True)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", repaired=False)
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared is not None and declared != "utf-8":
        try:
            return Decoded(data.decode(declared), declared, repaired=True)
        except UnicodeDecodeError:
            pass  # the page lies about its charset too
    if _mostly_utf8(data):
        return Decoded(data.decode("utf-8", "vigie.cp1252"), "utf-8+cp1252", repaired=True)
    guess = _guess_legacy(data)
    if guess is not None:
        return Decoded(guess[0], guess[1], repaired=True)
    try:
        return Decoded(data.decode("cp1252"), "cp1252", repaired=True)
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1", "replace"), "latin-1", repaired=True)
