"""Text repair shared by the readers (content ids) and the cleaning step: mojibake, controls, NFC, line ends.

One function, `fix_lines`, so that an article's content id is taken from exactly the text the cleaning step
works on: the same article read from a UTF-16 file, from UTF-8 with stray control characters or from a
double-encoded (mojibake) file gets one id.
"""
from __future__ import annotations

import re
import unicodedata

import ftfy

__all__ = ["FTFY_CONFIG", "fix_lines", "repaired_text"]

# ftfy, restricted to encoding repair: no quote uncurling, no ligature or width folding, no line-break
# rewriting (lines are split before), no HTML unescaping — the cleaned text keeps the article's
# characters (’ « » and non-breaking spaces included).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization="NFC",
    explain=False,
)
# Cheap pre-check (ftfy's own badness test costs ~0.4 ms per 3 KB): UTF-8 read as Latin-1/cp1252 shows a
# lead byte Â-ô followed by continuation characters (\x80-\xbf or their cp1252 glyphs) or "Ã " (an "à"
# whose non-breaking space byte became a space), plus control characters and terminal escapes. Lines
# without any of these are left to NFC alone.
_CONT = "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_SUSPECT_RE = re.compile(f"[\u00c2-\u00f4][{_CONT}]|\u00c3 |[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")
# Characters str.splitlines() treats as line boundaries (besides \n and \r).
_LINE_BREAK_CHARS_RE = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\r\n]")


def fix_lines(raw: str) -> list[str]:
    """`raw.splitlines()`, each line repaired (mojibake, NFC) and right-stripped; same line count."""
    out: list[str] = []
    for line in raw.splitlines():
        if not line.isascii():
            if _SUSPECT_RE.search(line):
                line = ftfy.fix_text(line, FTFY_CONFIG)
                if _LINE_BREAK_CHARS_RE.search(line):  # a repair must not create a new line
                    line = _LINE_BREAK_CHARS_RE.sub(" ", line)
            if not unicodedata.is_normalized("NFC", line):
                line = unicodedata.normalize("NFC", line)
        elif _SUSPECT_RE.search(line):  # ASCII control characters / terminal escapes
            line = ftfy.fix_text(line, FTFY_CONFIG)
        out.append(line.rstrip())
    return out


def repaired_text(raw: str) -> str:
    """The text the cleaning step starts from: `fix_lines` joined with LF (so CRLF, CR and the other
    line separators become LF, and trailing spaces go)."""
    return "\n".join(fix_lines(raw))
