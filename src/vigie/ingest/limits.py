"""Size limits for inputs, and how to print a size."""
from __future__ import annotations

# A news article is well under 100 KB of text, and spaCy refuses texts longer than
# its default max_length of 1,000,000 characters. 5 MB leaves room for heavy HTML
# pages (scripts, inline CSS) while stopping logs, dumps and decompression bombs
# before they reach memory or the NLP step.
MAX_INPUT_BYTES = 5_000_000

# How much of a file we look at to tell text from binary and to sniff its format.
SNIFF_BYTES = 8192


def human_size(n: int) -> str:
    """Format a byte count in decimal units: '512 B', '12.3 KB', '20.0 MB'."""
    if n < 1_000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n / 1_000_000:.1f} MB"


def too_large_reason(size: int | None, limit: int, *, what: str = "") -> str:
    """Reason for a size-limit error; `size` is None when only 'more than the limit' is known."""
    prefix = f"{what} " if what else ""
    if size is None:
        return f"too large: {prefix}> {human_size(limit)} limit"
    return f"too large: {prefix}{human_size(size)} > {human_size(limit)} limit"
