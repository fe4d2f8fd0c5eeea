"""The reason given for an input that failed in an unexpected way (the run records it and goes on)."""
from __future__ import annotations

import re

#: Longest exception message quoted in a reason: messages can echo the input (a whole line of JSON).
MAX_DETAIL_CHARS = 200
_SPACES = re.compile(r"\s+")


def unexpected_reason(exc: BaseException, what: str = "could not be read") -> str:
    """`what (ExceptionType: message)`, the message on one line and shortened; plain words for the
    failures a hostile input causes (nesting too deep for the parser, memory exhausted)."""
    if isinstance(exc, RecursionError):
        detail = "nested too deeply"
    elif isinstance(exc, MemoryError):
        detail = "out of memory"
    else:
        message = _SPACES.sub(" ", str(exc)).strip()
        if len(message) > MAX_DETAIL_CHARS:
            message = message[: MAX_DETAIL_CHARS - 1] + "…"
        detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"{what} ({detail})"
