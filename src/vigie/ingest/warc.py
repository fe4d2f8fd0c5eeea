"""WARC reader: the HTML pages of a web archive (.warc, .warc.gz; Common Crawl's CC-NEWS) as Articles.

The archive is streamed with FastWARC (gzip detected by the library; never held in memory as a whole). Each
`response` record with HTTP status 200 and an HTML content type becomes one article, through the same HTML path
as an .html file (`vigie.ingest.html.read_html`: same id, title, published date and source), with:

- url: the record's WARC-Target-URI (a different canonical URL the page declares is kept in meta);
- published: the date the page itself states, else the day of its WARC-Date (the crawl), else --published;
- source: the page's site name, else the host of its URL;
- origin: `archive#offset`, the byte offset of the record in the file as stored (compressed offset for
  .warc.gz, as in Common Crawl's index), so a record can be found again (`warcio extract archive offset`); in a
  file gzipped as a whole, where offsets locate nothing, `archive#record-N` (N counts every record from 1).

The payload is decoded as the server sent it (chunked transfer coding, gzip or deflate Content-Encoding, as
crawlers other than Common Crawl's store it; the charset of the Content-Type when the bytes are not UTF-8).
A WARC archive on standard input is read the same way (it is told by its first bytes, gzip or not).

Other records (request, metadata, warcinfo, revisit, and responses that are not HTTP, such as a crawler's DNS
lookups) are passed over silently. An HTTP response that is not an HTML 200 page, or that cannot be read, is
one ArticleError with its origin and the reason (the record's URL in it). A damaged archive (cut in the middle
of a record, or corrupt) keeps every record before the damage and ends with one error for the archive.
"""
from __future__ import annotations

import codecs
import io
import re
import zlib
from collections import deque
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import urlsplit

from vigie.ingest.dates import normalize_date
from vigie.ingest.decode import Decoded, decode_bytes, is_blank
from vigie.ingest.errors import unexpected_reason
from vigie.ingest.html import looks_like_html, read_html
from vigie.ingest.limits import too_large_reason
from vigie.records import Article, ArticleError

Result = Article | ArticleError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Labels browsers read as windows-1252 (WHATWG Encoding standard), as vigie.ingest.decode does for <meta charset>.
_AS_CP1252 = frozenset({"ascii", "latin-1", "iso8859-1"})
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_GZIP_MAGIC = b"\x1f\x8b"
WARC_MAGIC = b"WARC/1."
_CONTENT_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)", re.IGNORECASE | re.MULTILINE)
_CUT_MEMBER = "it ends inside a gzip member"
_CUT_HEADER = "it ends inside a record header"
# Bytes kept past the per-article limit to check the end of an archive: FastWARC reads 64 KiB blocks ahead.
_KEEP_MARGIN = 1 << 18


class _Positioned(io.RawIOBase):
    """The binary stream as FastWARC wants it: it asks for tell() (a pipe, or a stream whose first bytes were
    sniffed and are replayed, has none) and closes the stream it was given (this wrapper, not the file).

    Keeps the bytes read since the start of the current record (at most `keep` bytes), so that the end of the
    archive can be checked once FastWARC stops (`tail`).
    """

    def __init__(self, stream: IO[bytes], keep: int) -> None:
        super().__init__()
        self._stream = stream
        self._pos = 0
        self._keep = keep
        self._chunks: deque[bytes] = deque()
        self._kept_from = 0  # offset of the first kept byte
        self._kept = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._stream.read(-1 if size is None else size) or b""
        while size is not None and 0 < len(data) < size:  # a pipe gives what it has: fill the block FastWARC asks for
            more = self._stream.read(size - len(data))
            if not more:
                break
            data += more
        if data:
            self._pos += len(data)
            self._chunks.append(data)
            self._kept += len(data)
            while self._kept > self._keep and len(self._chunks) > 1:
                self._drop_first()
        return data

    def _drop_first(self) -> None:
        first = self._chunks.popleft()
        self._kept -= len(first)
        self._kept_from += len(first)

    def forget_before(self, offset: int) -> None:
        """The bytes before `offset` (the start of the record being read) will not be asked for again."""
        while self._chunks and self._kept_from + len(self._chunks[0]) <= offset:
            self._drop_first()

    def peek(self, offset: int, size: int) -> bytes:
        """Up to `size` kept bytes from `offset` (b'' when they were not kept)."""
        start = self._kept_from
        for chunk in self._chunks:
            if offset < start:
                return b""
            if offset < start + len(chunk):
                found = chunk[offset - start : offset - start + size]
                return found  # a record header never starts across two reads of 64 KiB: enough here
            start += len(chunk)
        return b""

    def tail(self, offset: int) -> bytes | None:
        """The bytes read from `offset` to the end; None when they were not all kept."""
        if offset < self._kept_from:
            return None
        return b"".join(self._chunks)[offset - self._kept_from :]

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self._pos


def _cut_in_member(tail: bytes) -> bool:
    """True when a gzip archive, from the start of its last record (`tail`), ends inside a gzip member: FastWARC
    stops without a word when an archive is cut before a whole WARC header of the last member."""
    data = tail
    while data:
        inflater = zlib.decompressobj(wbits=31)
        try:
            while data:  # the output is not needed: inflate in bounded steps
                inflater.decompress(data, 1 << 16)
                data = inflater.unconsumed_tail
        except zlib.error:
            return False  # corrupt, not cut (FastWARC says so when it meets it)
        if not inflater.eof:
            return True
        data = inflater.unused_data
    return False


class _Damaged(Exception):
    """The archive ends early or is corrupt at this record: reading stops, one error for the archive."""


class _Skip(Exception):
    """This record is not read: its reason is the record's ArticleError."""


def _header(record: Any, name: str) -> str | None:
    value = record.headers.get(name)
    return value.strip() if value else None


def _consume(record: Any) -> int:
    """Skip the rest of the record's payload; the number of bytes skipped."""
    return int(record.reader.consume())


def _read_payload(record: Any, size: int) -> bytes:
    """Up to `size` bytes of the record's payload (the reader may give less per call)."""
    parts: list[bytes] = []
    got = 0
    while got < size:
        part = record.reader.read(size - got)
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _check_complete(record: Any, got: int) -> None:
    """Raise _Damaged when the record's payload is shorter than its header says (the archive was cut)."""
    if got < record.content_length:
        raise _Damaged(
            f"the record at byte {record.stream_pos} ends early ({got} of {record.content_length} payload bytes)"
        )


def _dechunk(data: bytes, limit: int) -> bytes:
    """Undo HTTP chunked transfer coding (crawlers such as wget store the body as sent)."""
    out = bytearray()
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            raise ValueError("chunked body without a chunk size line")
        size_field = data[pos:end].split(b";", 1)[0].strip()
        try:
            size = int(size_field, 16)
        except ValueError:
            raise ValueError(f"bad chunk size {size_field[:20]!r}") from None
        if size == 0:
            return bytes(out)
        start = end + 2
        if start + size > len(data):
            raise ValueError("chunked body ends inside a chunk")
        out += data[start : start + size]
        if len(out) > limit:
            raise _Skip(too_large_reason(None, limit, what="decoded"))
        pos = start + size + 2


def _inflate(data: bytes, encoding: str, limit: int) -> bytes:
    """Undo a gzip or deflate Content-Encoding, at most `limit` bytes out (a compression bomb stops there)."""
    wbits = 47 if encoding in ("gzip", "x-gzip") else 15  # 47: gzip or zlib header; deflate is zlib-wrapped
    try:
        out = zlib.decompressobj(wbits).decompress(data, limit + 1)
    except zlib.error:
        if wbits != 15:
            raise
        out = zlib.decompressobj(-15).decompress(data, limit + 1)  # raw deflate, as some servers send it
    if len(out) > limit:
        raise _Skip(too_large_reason(None, limit, what="decompressed"))
    return out


def _decode_transfer(record: Any, data: bytes, limit: int) -> bytes:
    """The payload with its HTTP transfer and content codings undone; _Skip when it cannot be."""
    headers = record.http_headers
    transfer = (headers.get("Transfer-Encoding") or "").strip().lower()
    coding = (headers.get("Content-Encoding") or "").strip().lower()
    try:
        if "chunked" in transfer:
            data = _dechunk(data, limit)
        if coding in ("gzip", "x-gzip", "deflate"):
            data = _inflate(data, coding, limit)
    except (ValueError, zlib.error) as exc:
        raise _Skip(f"undecodable payload (Content-Encoding: {coding or 'none'}; {exc})") from None
    if coding not in ("", "identity", "gzip", "x-gzip", "deflate"):
        raise _Skip(f"undecodable payload: Content-Encoding {coding} is not supported")
    return data


def _decode_text(data: bytes, charset: str | None) -> Decoded:
    """The page's text: the charset the server declared wins over a guess when the bytes are not UTF-8.

    A page declared as ISO-8859-1 that is valid UTF-8 is read as UTF-8 (a common misdeclaration); otherwise the
    same decoding as an .html file (`vigie.ingest.decode.decode_bytes`: BOM, UTF-8, <meta charset>, guess).
    """
    codec = None
    if charset:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            codec = None
    if codec and codec != "utf-8" and not data.startswith(_BOMS):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            codec = "cp1252" if codec in _AS_CP1252 else codec
            try:
                return Decoded(data.decode(codec), codec, repaired=True)
            except UnicodeDecodeError:
                pass  # the server lies about the charset: guess as for a file
    return decode_bytes(data)


def _page(
    record: Any,
    data: bytes,
    *,
    where: str,
    url: str | None,
    max_bytes: int,
    default_published: str | None,
    meta: dict[str, Any],
) -> Result:
    """One HTML 200 response's payload (its bytes read) -> its Article, through the .html path."""
    ctype = (record.http_content_type or "").strip().lower()
    data = _decode_transfer(record, data, max_bytes)
    if is_blank(data):
        raise _Skip("empty page")
    decoded = _decode_text(data, record.http_charset)
    if not ctype and not looks_like_html(decoded.text):
        raise _Skip("not HTML: the response has no Content-Type and does not look like an HTML page")
    warc_day = _warc_day(record)
    page_meta: dict[str, Any] = {
        **meta,
        "container": "warc",
        "encoding": decoded.encoding,
        "encoding_repaired": decoded.repaired,
    }
    for key, header in (("warc_record_id", "WARC-Record-ID"), ("warc_date", "WARC-Date"),
                        ("warc_truncated", "WARC-Truncated")):
        value = _header(record, header)
        if value:
            page_meta[key] = value
    result = read_html(
        decoded.text, origin=where, meta=page_meta, default_published=warc_day or default_published
    )
    if isinstance(result, ArticleError):  # no main text in the page: say which one
        return ArticleError(origin=where, stage="read", reason=f"{result.reason}: {url}" if url else result.reason)
    if warc_day and result.meta.get("published_from") == "default":
        result.meta["published_from"] = "warc-date"
    if url:
        if result.url and result.url != url:
            result.meta["canonical_url"] = result.url
        result.url = url
        host = _host(url)
        if host:
            result.meta.setdefault("hostname", host)
            if result.source is None:
                result.source = host
    return result


def _warc_day(record: Any) -> str | None:
    return normalize_date(_header(record, "WARC-Date"))


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _response(
    record: Any, *, where: str, max_bytes: int, default_published: str | None, meta: dict[str, Any]
) -> Result | None:
    """One response record -> Article, ArticleError, or None (not an HTTP response: passed over).

    Reads the whole payload (or skips it) and raises _Damaged when it is cut short.
    """
    if not record.is_http:
        _check_complete(record, _consume(record))
        return None
    url = _header(record, "WARC-Target-URI")
    url = url.strip("<>") if url else None
    at = f": {url}" if url else ""
    status = record.http_headers.status_code
    ctype = (record.http_content_type or "").strip().lower()
    reason = None
    if status is None:
        line = (record.http_headers.status_line or "").strip()[:80]
        reason = f"broken WARC record: bad HTTP status line {line!r}{at}"
    elif status != 200:
        reason = f"WARC record skipped: HTTP status {status}{at}"
    elif ctype and ctype not in HTML_TYPES:
        reason = f"not HTML: {ctype}{at}"
    elif record.content_length > max_bytes:
        reason = f"{too_large_reason(record.content_length, max_bytes)}{at}"
    if reason is not None:
        _check_complete(record, _consume(record))
        return ArticleError(origin=where, stage="read", reason=reason)
    data = _read_payload(record, max_bytes + 1)
    _check_complete(record, len(data) + _consume(record))
    try:
        return _page(
            record, data, where=where, url=url, max_bytes=max_bytes, default_published=default_published, meta=meta
        )
    except _Skip as exc:
        return ArticleError(origin=where, stage="read", reason=f"{exc}{at}")
    except Exception as exc:  # noqa: BLE001 - one page's failure is that page's error, the archive goes on
        return ArticleError(origin=where, stage="read", reason=f"{unexpected_reason(exc)}{at}")


def _records(n: int) -> str:
    return "1 record" if n == 1 else f"{n:,} records"


def _truncated(origin: str, complete: int, detail: str) -> ArticleError:
    return ArticleError(origin=origin, stage="read", reason=f"truncated WARC archive after {_records(complete)}: {detail}")


def _cut_in_header(tail: bytes, whole_records: bool) -> bool:
    """True when an uncompressed archive ends with the first bytes of a record header ("WAR"), which FastWARC
    reports as an invalid header. `tail` starts at the last whole record when `whole_records`, else at 0."""
    rest = tail
    if whole_records:
        head_end = tail.find(b"\r\n\r\n")
        length = _CONTENT_LENGTH.search(tail, 0, max(head_end, 0))
        if head_end < 0 or length is None:
            return False
        rest = tail[head_end + 4 + int(length.group(1)) :]
    rest = rest.lstrip(b"\r\n")
    return bool(rest) and b"\r\n\r\n" not in rest and (WARC_MAGIC.startswith(rest) or rest.startswith(WARC_MAGIC))


def _failure(origin: str, complete: int, exc: BaseException, tail: bytes | None) -> ArticleError:
    """The archive's error when FastWARC raised: truncated when its end says so, else corrupt."""
    if tail is not None:
        if tail.startswith(_GZIP_MAGIC):
            if _cut_in_member(tail):
                return _truncated(origin, complete, _CUT_MEMBER)
        elif _cut_in_header(tail, whole_records=complete > 0):
            return _truncated(origin, complete, _CUT_HEADER)
    reason = unexpected_reason(exc, "unreadable data")
    return ArticleError(origin=origin, stage="read", reason=f"corrupt WARC archive after {_records(complete)}: {reason}")


def _end_error(origin: str, complete: int, responses: int, tail: bytes | None) -> ArticleError | None:
    """The archive's error once FastWARC has stopped on its own: cut inside the last gzip member, no record, or no
    response (nothing else would tell that it gave nothing)."""
    if tail is not None and tail.startswith(_GZIP_MAGIC) and _cut_in_member(tail):
        return _truncated(origin, complete, _CUT_MEMBER)
    if complete == 0:
        return ArticleError(origin=origin, stage="read", reason="empty WARC archive: no record found")
    if responses == 0:
        return ArticleError(origin=origin, stage="read", reason=f"no response record in the WARC archive "
                            f"({_records(complete)} of other types: warcinfo, request, metadata...)")
    return None


class _Names:
    """What a record is called in its origin: `archive#offset` when the offset locates it (an uncompressed
    archive, or one gzip member per record: the WARC standard's advice, and Common Crawl's); in a file gzipped as
    a whole offsets do not, and records are numbered instead (`archive#record-12`)."""

    def __init__(self, origin: str, source: _Positioned) -> None:
        self.origin = origin
        self.source = source
        self.gzipped: bool | None = None
        self.by_offset = True

    def __call__(self, offset: int, number: int) -> str:
        if self.by_offset and self.gzipped is not False:
            member = self.source.peek(offset, 2) == _GZIP_MAGIC
            if self.gzipped is None:
                self.gzipped = member  # the first record starts the file: gzip or not
            else:
                self.by_offset = member
        return f"{self.origin}#{offset}" if self.by_offset else f"{self.origin}#record-{number}"


def read_warc(
    stream: IO[bytes],
    *,
    origin: str,
    max_bytes: int,
    default_published: str | None,
    meta: dict[str, Any] | None = None,
) -> Iterator[Result]:
    """Stream the HTML pages of a WARC archive (gzip or not) from a binary file object.

    `max_bytes` holds each record's HTTP payload (and its decompressed page) to the per-article limit; the
    archive itself has no size limit. Never raises for a bad archive: a damaged one yields what it holds before
    the damage, then one ArticleError for `origin` ("truncated WARC archive after N records: ...").
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    meta = meta or {}
    complete = 0  # WARC records read whole, any type
    responses = 0  # response records (pages, or skipped with a reason)
    last = 0  # offset of the last record met
    source = _Positioned(stream, keep=max_bytes + _KEEP_MARGIN)
    name = _Names(origin, source)
    records: Iterator[Any] | None = None
    while True:
        try:
            if records is None:  # inside the try: FastWARC reads its first block when it starts
                records = iter(ArchiveIterator(source, parse_http=True, auto_decode="none"))
            record = next(records, None)
            if record is None:
                break
            last = record.stream_pos
            source.forget_before(last)
            where = name(last, complete + 1)
            if not _header(record, "Content-Length"):  # the header block itself was cut
                raise _Damaged(f"the record at byte {last} has no complete header")
            if record.record_type != WarcRecordType.response:
                _check_complete(record, _consume(record))
                result = None
            else:
                responses += 1
                result = _response(
                    record, where=where, max_bytes=max_bytes, default_published=default_published, meta=meta
                )
        except _Damaged as exc:
            yield _truncated(origin, complete, str(exc))
            return
        except (OSError, EOFError, zlib.error) as exc:  # FastWARC: bad gzip data, an invalid WARC header...
            yield _failure(origin, complete, exc, source.tail(last))
            return
        except BaseException as exc:
            # FastWARC is written in Rust: a bug it hits on hostile input is a PanicException, a BaseException
            # that would otherwise end the whole run. It ends this archive only.
            if type(exc).__name__ != "PanicException":
                raise
            yield _failure(origin, complete, exc, source.tail(last))
            return
        complete += 1
        if result is not None:
            yield result
    error = _end_error(origin, complete, responses, source.tail(last))
    if error is not None:
        yield error
