"""JSONL reader: one article per line, errors per line."""
from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from typing import IO, Any

from vigie.ingest.build import clean_field, make_article
from vigie.ingest.decode import decode_bytes
from vigie.ingest.errors import unexpected_reason
from vigie.ingest.html import HtmlExtractionError, extract_html
from vigie.ingest.limits import too_large_reason
from vigie.ingest.unsupported import markup_reason
from vigie.language.identify import declared_language
from vigie.records import Article, ArticleError

# Fields we map onto Article; anything else on the line is kept in meta["extra"].
_KNOWN = frozenset({"id", "text", "html", "published", "date", "url", "title", "source", "author"})
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SKIP_CHUNK = 1 << 20
# Deepest nesting of arrays and objects a line may have. Real exports nest a few levels; a deeper line
# decodes (json's own limit is ~1,000) but later breaks whatever walks it recursively: pickling the
# article for a worker process fails from ~500 levels, and so would the store's JSON encoding of meta.
MAX_JSON_DEPTH = 100


def iter_lines(stream: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """Yield (line number, line or None when over the limit, size in bytes).

    Reads at most max_bytes + 1 bytes per line, so one huge line (or a gzip bomb
    without newlines) never has to fit in memory: it is skipped in chunks.
    """
    lineno = 0
    while line := stream.readline(max_bytes + 1):
        lineno += 1
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield lineno, line, len(line)
            continue
        size = len(line)
        while chunk := stream.readline(_SKIP_CHUNK):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
        yield lineno, None, size


def _json_type(value: object) -> str:
    """JSON's name for the type of a decoded value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    names: dict[type, str] = {str: "string", list: "array"}
    return names.get(type(value), type(value).__name__)


def _fix_surrogates(value: object) -> object:
    """JSON escapes can encode lone surrogates, which no UTF-8 writer downstream accepts."""
    if isinstance(value, str) and _LONE_SURROGATE.search(value):
        return _LONE_SURROGATE.sub("\ufffd", value)
    return value


def _deeper_than(value: object, limit: int) -> bool:
    """True when arrays/objects nest more than `limit` levels deep in `value` (iterative: no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def _decode_json(text: str) -> object:
    """json.loads, raising ValueError with a reason for the user for any line it cannot take."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ValueError("malformed JSON: nested too deeply") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's limit on int() of a long digit string
            raise ValueError(
                f"malformed JSON: a number has more than {sys.get_int_max_str_digits()} digits"
            ) from None
        raise ValueError(unexpected_reason(exc, "malformed JSON")) from None


def _given_id(value: object) -> str | None:
    """The line's own id as a string; None when absent or blank. Raises ValueError for non-scalars."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"field 'id' must be a string or a number, not {type(value).__name__}")
    return clean_field(value)


def parse_record(
    record: dict[str, Any], *, origin: str, meta: dict[str, Any], default_published: str | None
) -> Article | ArticleError:
    """Turn one decoded JSON object into an Article (or the reason it cannot be one)."""
    record = {key: _fix_surrogates(value) for key, value in record.items()}
    try:
        given_id = _given_id(record.get("id"))
    except ValueError as exc:
        return ArticleError(origin=origin, stage="read", reason=str(exc))
    text, html = record.get("text"), record.get("html")
    for name, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            return ArticleError(origin=origin, stage="read", reason=f"field '{name}' must be a string")
    meta = {**meta, "format": "jsonl"}
    extra = {key: value for key, value in record.items() if key not in _KNOWN}
    if extra:
        meta["extra"] = extra
    # A language the line declares ("fr", "en-GB", "French"): the langid step's fallback when the text leaves
    # it unsure. The field itself stays in meta["extra"] as given.
    declared = declared_language(record.get("language")) or declared_language(record.get("lang"))
    published = record.get("published")
    if published is None:
        published = record.get("date")  # a common alias in scraper exports
    fields: dict[str, object] = {
        "url": record.get("url"),
        "title": record.get("title"),
        "source": record.get("source"),
        "author": record.get("author"),
    }
    # Text wins over html: it is already the article body, no extraction guesswork.
    if text is not None and text.strip():
        raw = text
    elif html is not None and html.strip():
        refused = markup_reason(html)  # a whole feed or sitemap in the 'html' field
        if refused is not None:
            return ArticleError(origin=origin, stage="read", reason=refused, article_id=given_id)
        try:
            found = extract_html(html, url=clean_field(fields["url"]))
        except HtmlExtractionError as exc:
            return ArticleError(origin=origin, stage="read", reason=str(exc), article_id=given_id)
        raw = found.text
        meta["content"] = "html"
        declared = declared or found.language
        # What the line states beats what we extracted from its HTML.
        published = published if clean_field(published) is not None else found.published
        for name in fields:
            if clean_field(fields[name]) is None:
                fields[name] = getattr(found, name)
    elif text is None and html is None:
        return ArticleError(origin=origin, stage="read", reason="no 'text' or 'html' field", article_id=given_id)
    else:
        return ArticleError(origin=origin, stage="read", reason="empty 'text'/'html'", article_id=given_id)
    if declared:
        meta["language_declared"] = declared
    return make_article(
        raw,
        origin=origin,
        meta=meta,
        default_published=default_published,
        given_id=given_id,
        published=published,
        **fields,
    )


def _read_line(
    line: bytes, *, origin: str, meta: dict[str, Any] | None, default_published: str | None
) -> Article | ArticleError:
    """One non-blank JSONL line -> its Article, or the reason it cannot be one."""
    decoded = decode_bytes(line)
    line_meta: dict[str, Any] = {**(meta or {}), "encoding": decoded.encoding}
    line_meta["encoding_repaired"] = decoded.repaired
    try:
        record = _decode_json(decoded.text)
    except ValueError as exc:
        return ArticleError(origin=origin, stage="read", reason=str(exc))
    if not isinstance(record, dict):
        return ArticleError(origin=origin, stage="read", reason=f"not a JSON object (got {_json_type(record)})")
    if _deeper_than(record, MAX_JSON_DEPTH):
        return ArticleError(origin=origin, stage="read", reason=f"JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return parse_record(record, origin=origin, meta=line_meta, default_published=default_published)


def read_jsonl(
    stream: IO[bytes],
    *,
    origin: str,
    max_bytes: int,
    default_published: str | None,
    meta: dict[str, Any] | None = None,
) -> Iterator[Article | ArticleError]:
    """Stream the articles of a JSONL file; a bad line yields an ArticleError and reading goes on.

    Whatever goes wrong with one line (malformed or hostile JSON: a 5,000-digit number, 100,000 nested
    brackets; a field no reader expected) becomes that line's error, with its `origin:lineno`.
    The whole-file size limit does not apply; each line is held to max_bytes instead
    (a line's text is never longer than the line, so that bounds the text too).
    """
    seen_content = False
    for lineno, line, size in iter_lines(stream, max_bytes):
        where = f"{origin}:{lineno}"
        if line is None:
            seen_content = True
            yield ArticleError(origin=where, stage="read", reason=too_large_reason(size, max_bytes, what="line"))
            continue
        if not line.strip():
            continue  # blank lines (a trailing newline, spacing) are not records
        seen_content = True
        try:
            result = _read_line(line, origin=where, meta=meta, default_published=default_published)
        except Exception as exc:  # noqa: BLE001 - one line's failure, whatever it is, is that line's error
            result = ArticleError(origin=where, stage="read", reason=unexpected_reason(exc, "unreadable line"))
        yield result
    if not seen_content:
        yield ArticleError(origin=origin, stage="read", reason="empty file")
