"""Walking input paths, opening files (gzip included) and dispatching to the readers."""
from __future__ import annotations

import gzip
import io
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from typing import IO, Literal, cast

from vigie.ingest.decode import WIDE_BOMS, binary_kind, binary_reason, decode_bytes, is_blank
from vigie.ingest.errors import unexpected_reason
from vigie.ingest.feed import read_feed
from vigie.ingest.html import looks_like_html, read_html
from vigie.ingest.jsonl import iter_lines, read_jsonl
from vigie.ingest.limits import MAX_INPUT_BYTES, SNIFF_BYTES, too_large_reason
from vigie.ingest.text import read_text
from vigie.ingest.unsupported import feed_kind, is_warc, unsupported_reason
from vigie.ingest.warc import read_warc
from vigie.records import Article, ArticleError

# "xml" is a feed (read by vigie.ingest.feed), XHTML, or XML refused with a reason (vigie.ingest.unsupported);
# "warc" is a web archive (vigie.ingest.warc). Both are told by their first bytes, never read as text.
Format = Literal["text", "html", "jsonl", "xml", "warc"]
Result = Article | ArticleError

STDIN = "-"
STDIN_ORIGIN = "<stdin>"
_GZIP_MAGIC = b"\x1f\x8b"
_SUFFIX_FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".xml": "xml",
    ".rss": "xml",
    ".atom": "xml",
    ".warc": "warc",  # and .warc.gz: '.gz' is looked through
}
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)
NOT_WARC_REASON = "not a WARC archive: it does not start with a WARC/1.x record header"
# Files that describe a data set rather than belong to it (samples/*/README.md): skipped
# when walking a folder, so a corpus folder reads as its articles only. Named explicitly,
# they are read like any other file.
_DATASET_DOCS = re.compile(r"(readme|licen[cs]e|copying|changelog)(\..*)?", re.IGNORECASE)


def format_from_name(name: str) -> Format | None:
    """The format a file name announces ('.gz' looked through); None for unknown extensions."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[: -len(".gz")]
    return _SUFFIX_FORMATS.get(os.path.splitext(lower)[1])


def _error(origin: str, reason: str) -> ArticleError:
    return ArticleError(origin=origin, stage="read", reason=reason)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "not found: no such file or directory"
    if isinstance(exc, PermissionError):
        return "unreadable: permission denied"
    return f"unreadable: {exc.strerror or exc}"


def walk(folder: str) -> Iterator[str | ArticleError]:
    """File paths under `folder`, recursively and sorted by name; hidden entries and READMEs skipped.

    Directory symlinks are not followed (a link to a parent would loop forever), and
    FIFOs, sockets and devices are skipped (opening a FIFO blocks until a writer comes).
    """
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda entry: entry.name)
    except OSError as exc:
        yield _error(folder, f"cannot list folder: {_os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue  # .git, .DS_Store, editor swap files
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path)
            elif entry.is_file():
                if not _DATASET_DOCS.fullmatch(entry.name):
                    yield entry.path
            elif entry.is_symlink() and not os.path.exists(entry.path):
                yield _error(entry.path, "not found: broken symbolic link")
        except OSError as exc:
            yield _error(entry.path, _os_reason(exc))


class _Prefixed(io.RawIOBase):
    """A stream that replays bytes already read (the sniffed head) before the rest.

    Lets us look at the first bytes of stdin or of a gzip stream, which cannot seek back.
    """

    def __init__(self, head: bytes, rest: IO[bytes] | io.BufferedIOBase) -> None:
        super().__init__()
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _open_stream(raw: IO[bytes]) -> tuple[IO[bytes], bytes, bool]:
    """(stream from the start, its first SNIFF_BYTES, whether it was gzip), decompressing on the fly.

    Gzip is recognised by its magic number, so a mis-named file is still read.
    """
    head = raw.read(SNIFF_BYTES)
    if not head.startswith(_GZIP_MAGIC):
        return io.BufferedReader(_Prefixed(head, raw)), head, False
    unzipped = gzip.GzipFile(fileobj=io.BufferedReader(_Prefixed(head, raw)), mode="rb")
    head = unzipped.read(SNIFF_BYTES)
    return io.BufferedReader(_Prefixed(head, unzipped)), head, True


def unzipped_head(raw_head: bytes) -> bytes:
    """The first bytes of an input, decompressed when it is gzip (best effort: b'' for broken gzip data)."""
    if not raw_head.startswith(_GZIP_MAGIC):
        return raw_head
    try:
        return zlib.decompressobj(wbits=31).decompress(raw_head, 64)
    except zlib.error:
        return b""


def _first_char(head: bytes) -> str:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1].decode("ascii", "replace")


def read_stream(
    raw: IO[bytes],
    *,
    origin: str,
    fmt: Format | None,
    max_bytes: int,
    default_published: str | None,
    sniff_jsonl: bool = False,
) -> Iterator[Result]:
    """Read one source. `fmt` None means sniff: HTML or text, and JSONL too when `sniff_jsonl`.

    WARC archives and RSS/Atom feeds are told by their first bytes (whatever `fmt` says) and read by their
    readers; sitemaps and other XML documents are refused with a reason. Raises OSError and gzip errors; the
    callers turn them into ArticleErrors.
    """
    # A WARC archive goes to FastWARC as stored (compressed or not): its own gzip reader, record offsets
    # in the file as stored, and what precedes damage in a cut archive is read.
    raw_head = raw.read(SNIFF_BYTES)
    raw = cast(IO[bytes], _Prefixed(raw_head, raw))  # unbuffered: what a broken pipe gave is still read
    if is_warc(unzipped_head(raw_head)):
        yield from read_warc(raw, origin=origin, max_bytes=max_bytes, default_published=default_published)
        return
    if fmt == "warc":
        yield _error(origin, "empty file" if is_blank(raw_head) else NOT_WARC_REASON)
        return
    stream, head, compressed = _open_stream(raw)
    meta: dict[str, object] = {"compressed": "gzip"} if compressed else {}
    if feed_kind(head) is not None:
        yield from read_feed(
            stream, origin=origin, max_bytes=max_bytes, default_published=default_published, meta=meta
        )
        return
    refused = unsupported_reason(head, xml_expected=fmt == "xml")
    if refused is not None:
        yield _error(origin, refused)
        return
    kind = binary_kind(head)
    if kind is not None:
        yield _error(origin, binary_reason(kind))
        return
    if fmt is None and sniff_jsonl and _first_char(head) == "{":
        fmt = "jsonl"
    if fmt == "jsonl":
        if head.startswith(WIDE_BOMS):
            yield _error(origin, "UTF-16/UTF-32 JSONL is not supported: re-encode it as UTF-8")
            return
        yield from read_jsonl(
            stream, origin=origin, max_bytes=max_bytes, default_published=default_published, meta=meta
        )
        return
    # Read at most one byte past the limit: enough to know it is too large, and a
    # gzip bomb or an endless pipe never gets further.
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield _error(origin, too_large_reason(None, max_bytes, what="decompressed" if compressed else ""))
        return
    if is_blank(data):
        yield _error(origin, "empty file")
        return
    decoded = decode_bytes(data)
    meta.update(encoding=decoded.encoding, encoding_repaired=decoded.repaired)
    if fmt not in ("html", "text"):  # unknown extension, or an .xml file that turned out to be XHTML
        fmt = "html" if looks_like_html(decoded.text) else "text"
    reader = read_html if fmt == "html" else read_text
    yield reader(decoded.text, origin=origin, meta=meta, default_published=default_published)


def read_path(path: str, *, max_bytes: int, default_published: str | None) -> Iterator[Result]:
    """Read one file; every failure becomes an ArticleError carrying the path.

    An unexpected exception ends this file only: what it yielded before stays, one error follows.
    """
    fmt = format_from_name(path)
    try:
        info = os.stat(path)
        # Check the size before reading anything. JSONL and WARC are exempt: batches of articles, streamed
        # record by record, and each record is held to the limit instead. So is XML: a feed is a batch too
        # (held to vigie.ingest.feed's limit) and a sitemap is refused from its first bytes with a better reason
        # than its size (XHTML is still held to it). A file of unknown type is looked at first: it may be an
        # archive without its extension (Common Crawl's WARC files keep theirs, other crawlers' may not).
        too_large = stat.S_ISREG(info.st_mode) and fmt not in ("jsonl", "xml", "warc") and info.st_size > max_bytes
        with open(path, "rb") as raw:
            if too_large:
                if fmt is not None or not is_warc(unzipped_head(raw.read(SNIFF_BYTES))):
                    yield _error(path, too_large_reason(info.st_size, max_bytes))
                    return
                raw.seek(0)
            yield from read_stream(raw, origin=path, fmt=fmt, max_bytes=max_bytes, default_published=default_published)
    except _GZIP_ERRORS as exc:
        yield _error(path, f"corrupt gzip data ({exc})")
    except OSError as exc:
        yield _error(path, _os_reason(exc))
    except Exception as exc:  # noqa: BLE001 - whatever one file does, the run goes on with the next
        yield _error(path, unexpected_reason(exc))


def read_stdin(*, max_bytes: int, default_published: str | None) -> Iterator[Result]:
    """Read standard input as bytes: a WARC archive or a feed by their first bytes, JSONL if it starts with '{',
    HTML if it looks like it, else one text."""
    stdin = sys.stdin
    if stdin is None:
        yield _error(STDIN_ORIGIN, "unreadable: no standard input")
        return
    raw = getattr(stdin, "buffer", None)
    if raw is None:
        # A text-only stream (an embedding app replaced sys.stdin): take its text as UTF-8.
        raw = io.BytesIO(stdin.read(max_bytes + 1).encode("utf-8", "surrogatepass"))
    try:
        yield from read_stream(
            raw,
            origin=STDIN_ORIGIN,
            fmt=None,
            max_bytes=max_bytes,
            default_published=default_published,
            sniff_jsonl=True,
        )
    except _GZIP_ERRORS as exc:
        yield _error(STDIN_ORIGIN, f"corrupt gzip data ({exc})")
    except OSError as exc:
        yield _error(STDIN_ORIGIN, _os_reason(exc))
    except Exception as exc:  # noqa: BLE001 - the lines read before the failure stay
        yield _error(STDIN_ORIGIN, unexpected_reason(exc))


def _guarded(origin: str, results: Iterator[Result]) -> Iterator[Result]:
    """`results`, with an unexpected exception turned into a last ArticleError for `origin`.

    What was yielded before the failure stays yielded; the caller goes on with its next source.
    """
    try:
        yield from results
    except Exception as exc:  # noqa: BLE001 - one source's failure is that source's error
        yield _error(origin, unexpected_reason(exc))


def _read_entry(entry: str, *, max_bytes: int, default_published: str | None) -> Iterator[Result]:
    if entry == STDIN:
        yield from read_stdin(max_bytes=max_bytes, default_published=default_published)
    elif os.path.isdir(entry):
        for found in walk(entry):
            if isinstance(found, ArticleError):
                yield found
            else:
                yield from read_path(found, max_bytes=max_bytes, default_published=default_published)
    else:
        yield from read_path(entry, max_bytes=max_bytes, default_published=default_published)


def iter_sources(inputs: Iterable[str], *, max_bytes: int, default_published: str | None) -> Iterator[Result]:
    """Read every input in order: '-' is stdin, a folder is walked, anything else is a file.

    Bad input never stops the run: each file (or JSONL line) that cannot be read becomes an ArticleError
    with its origin, and reading goes on with the next one.
    """
    for entry in inputs:
        origin = STDIN_ORIGIN if entry == STDIN else str(entry)
        yield from _guarded(origin, _read_entry(entry, max_bytes=max_bytes, default_published=default_published))


def _is_batch(path: str) -> bool:
    """True when the file starts a WARC archive or a feed (how many results it gives is unknown until read)."""
    try:
        with open(path, "rb") as raw:
            head = unzipped_head(raw.read(SNIFF_BYTES))
    except OSError:
        return False  # read_path will report it
    return is_warc(head) or feed_kind(head) is not None


def _count_path(path: str, max_bytes: int) -> int | None:
    """Results read_path will yield: one per file, one per non-blank line of a JSONL file; None for a WARC
    archive or a feed (as many results as HTML responses or entries: it would take reading it all)."""
    fmt = format_from_name(path)
    if fmt == "warc":
        return None
    if fmt in (None, "xml"):  # the files that may be an archive or a feed without saying so: one look at the head
        return None if _is_batch(path) else 1
    if fmt != "jsonl":
        return 1
    try:
        with open(path, "rb") as raw:
            stream, head, _ = _open_stream(raw)
            if binary_kind(head) is not None or head.startswith(WIDE_BOMS):
                return 1
            lines = sum(1 for _, line, _ in iter_lines(stream, max_bytes) if line is None or line.strip())
            return lines or 1  # an empty JSONL file yields one error
    except Exception:  # noqa: BLE001 - read_path will report it (after the lines read before the failure)
        return 1


def count_inputs(inputs: Iterable[str], *, max_bytes: int = MAX_INPUT_BYTES) -> int | None:
    """How many results read_inputs will yield, for a progress bar; None when unknowable (stdin, a WARC
    archive, a feed).

    Walks the folders and makes one streaming pass over JSONL files (counting lines, not parsing); WARC archives
    are never read for it (a CC-NEWS file is a gigabyte).
    """
    total = 0
    for entry in inputs:
        if entry == STDIN:
            return None  # counting would consume it
        found: Iterable[str | ArticleError] = walk(entry) if os.path.isdir(entry) else [entry]
        for item in found:
            count = 1 if isinstance(item, ArticleError) else _count_path(item, max_bytes)
            if count is None:
                return None
            total += count
    return total
