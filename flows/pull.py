"""Resolve a source URI into dump files: local files, directories, globs, http(s) URLs, archives.

All I/O of reading dumps lives here; parsing is ``transforms.dumps``. Archive members are read in
memory and never written anywhere, so a hostile member name cannot escape a folder; such names
are reported, not read.
"""
from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import os
import socket
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

import polars as pl

from transforms.dumps import GZIP_MAGIC, parse_dump
from transforms.schema import DOCUMENT_SCHEMA, REJECT_SCHEMA, empty

__all__ = [
    "DumpFile", "Fetched", "JsonLinesStream", "SourceNotFound", "expand_archive", "expand_source", "fetch",
    "is_url", "iter_dump_files", "jsonl_stream_kind", "read_source",
]

MAX_ARCHIVE_DEPTH = 3
_CHUNK = 1 << 20


class SourceNotFound(FileNotFoundError):
    """The source URI names nothing: no such file, directory or glob match."""

    def __init__(self, uri: str) -> None:
        super().__init__(f"source not found: {uri}")
        self.uri = uri


@dataclass(frozen=True)
class DumpFile:
    """One file to parse: a local file, an archive member or a downloaded URL."""

    origin: str  # path, "archive.zip!member/path", or URL
    name: str  # base name used for format dispatch
    data: bytes  # raw bytes (compressed or not)
    fingerprint: str  # sha256 of data, for "already pulled" checks
    problem: str | None = None  # set when the file could not be read; data is then empty


def _dump_file(origin: str, name: str, data: bytes) -> DumpFile:
    return DumpFile(origin, name, data, hashlib.sha256(data).hexdigest())


def _failed(origin: str, name: str, problem: str) -> DumpFile:
    return DumpFile(origin, name, b"", "", problem)


def is_url(uri: str) -> bool:
    return urllib.parse.urlsplit(uri).scheme.lower() in ("http", "https")


_is_url = is_url


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") and p not in (".", "..") for p in parts)


# --------------------------------------------------------------------------- sources


def expand_source(uri: str) -> list[str]:
    """Files named by a source: a file, a directory (recursive, sorted), a glob, or a URL.

    Hidden files and directories (names starting with '.') inside a directory or glob are skipped.
    Raises SourceNotFound when nothing matches.
    """
    if _is_url(uri):
        return [uri]
    path_str = uri[len("file://") :] if uri.startswith("file://") else uri
    path = Path(path_str).expanduser()
    if path.is_file():
        return [str(path)]
    if path.is_dir():
        found = [
            str(p)
            for p in path.rglob("*")
            if p.is_file() and not _hidden(p.relative_to(path).parts)
        ]
        if not found:
            return []
        return sorted(found)
    if glob.has_magic(path_str):
        matches: list[str] = []
        for m in sorted(glob.glob(str(path), recursive=True)):  # glob already skips dot names
            p = Path(m)
            if p.is_file():
                matches.append(m)
            elif p.is_dir():
                matches.extend(expand_source(m))
        if matches:
            return sorted(dict.fromkeys(matches))
    raise SourceNotFound(uri)


def iter_dump_files(
    uri: str,
    *,
    http_timeout: float = 30,
    max_bytes: int = 512 * 2**20,
    retries: int = 3,
    backoff: float = 0.5,
) -> Iterator[DumpFile]:
    """Every dump file of a source, archives expanded (their members become DumpFiles).

    ``max_bytes`` bounds what a remote or packed source can make us hold in memory: an HTTP body
    or one archive member. Local files are read whatever their size.

    A file that cannot be read (failed download, unsafe archive member, too large) comes out as a
    DumpFile with ``problem`` set and no data, so one bad file never stops the others.
    """
    for item in expand_source(uri):
        if _is_url(item):
            name = url_name(item)
            try:
                data = fetch_url(item, timeout=http_timeout, max_bytes=max_bytes, retries=retries, backoff=backoff)
            except FetchError as e:
                yield _failed(item, name, str(e))
                continue
        else:
            name = os.path.basename(item)
            try:
                data = Path(item).read_bytes()  # local files are the operator's: no size limit
            except OSError as e:
                yield _failed(item, name, f"cannot read file: {e.strerror or e}")
                continue
        yield from _expand(item, name, data, max_bytes=max_bytes, depth=0)


def read_source(uri: str, **kw: Any) -> Iterator[tuple[DumpFile, pl.DataFrame, pl.DataFrame]]:
    """Each dump file of a source parsed: (file, documents, rejects).

    A file that could not be fetched or read gives one reject row with its origin and a null
    record number.
    """
    for f in iter_dump_files(uri, **kw):
        if f.problem is not None:
            reject = pl.DataFrame(
                [(f.origin, None, f.problem, "")], schema=REJECT_SCHEMA, orient="row"
            )
            yield f, empty(DOCUMENT_SCHEMA), reject
            continue
        docs, rejects = parse_dump(f.data, f.name, f.origin)
        yield f, docs, rejects


# --------------------------------------------------------------------------- archives


def _archive_kind(data: bytes) -> str | None:
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if data[257:262] == b"ustar":
        return "tar"
    if data.startswith(b"\x1f\x8b"):
        # peek at the first block only: a big .jsonl.gz is left compressed for the parser
        try:
            head = zlib.decompressobj(wbits=31).decompress(data[:65536], 512)
        except zlib.error:
            return None
        if head[257:262] == b"ustar":
            return "tar.gz"
    return None


def _unsafe_member(name: str) -> bool:
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return True
    return ".." in PurePosixPath(norm).parts


def _skip_member(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return _hidden(parts) or (bool(parts) and parts[0] == "__MACOSX")


def expand_archive(origin: str, name: str, data: bytes, *, max_bytes: int) -> Iterator[DumpFile]:
    """The dump files in `data`: itself, or the members of an archive (nested archives expanded)."""
    return _expand(origin, name, data, max_bytes=max_bytes, depth=0)


def _expand(origin: str, name: str, data: bytes, *, max_bytes: int, depth: int) -> Iterator[DumpFile]:
    kind = _archive_kind(data)
    if kind is None:
        yield _dump_file(origin, name, data)
        return
    if depth >= MAX_ARCHIVE_DEPTH:
        yield _failed(origin, name, f"archive nested deeper than {MAX_ARCHIVE_DEPTH} levels; not read")
        return
    try:
        members = _zip_members(data, max_bytes) if kind == "zip" else _tar_members(data, kind, max_bytes)
        for member, content, problem in members:
            member_origin = f"{origin}!{member}"
            member_name = PurePosixPath(member.replace("\\", "/")).name
            if problem is not None:
                yield _failed(member_origin, member_name, problem)
            else:
                yield from _expand(member_origin, member_name, content, max_bytes=max_bytes, depth=depth + 1)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error) as e:
        yield _failed(origin, name, f"broken {kind} archive: {e}")


def _zip_members(data: bytes, max_bytes: int) -> Iterator[tuple[str, bytes, str | None]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if info.is_dir() or _skip_member(info.filename):
                continue
            if _unsafe_member(info.filename):
                yield info.filename, b"", f"unsafe archive member name {info.filename!r} (absolute or '..' path); not read"
                continue
            if info.file_size > max_bytes:
                yield info.filename, b"", f"archive member is larger than {max_bytes} bytes; not read"
                continue
            try:
                with zf.open(info) as fh:
                    content = fh.read(max_bytes + 1)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError) as e:
                yield info.filename, b"", f"cannot read archive member: {e}"
                continue
            if len(content) > max_bytes:
                yield info.filename, b"", f"archive member is larger than {max_bytes} bytes; not read"
                continue
            yield info.filename, content, None


def _tar_members(data: bytes, kind: str, max_bytes: int) -> Iterator[tuple[str, bytes, str | None]]:
    fileobj: io.IOBase = io.BytesIO(data)
    if kind == "tar.gz":
        fileobj = gzip.GzipFile(fileobj=fileobj)  # type: ignore[assignment]
    with tarfile.open(fileobj=fileobj, mode="r:") as tf:
        for info in tf:
            if _skip_member(info.name) or info.isdir():
                continue
            if _unsafe_member(info.name):
                yield info.name, b"", f"unsafe archive member name {info.name!r} (absolute or '..' path); not read"
                continue
            if not info.isfile():
                yield info.name, b"", "archive member is a link or device, not a regular file; not read"
                continue
            if info.size > max_bytes:
                yield info.name, b"", f"archive member is larger than {max_bytes} bytes; not read"
                continue
            fh = tf.extractfile(info)
            yield info.name, (fh.read() if fh is not None else b""), None


# --------------------------------------------------------------------------- http


class FetchError(Exception):
    """A URL could not be downloaded; the message says why."""


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s): a server must not point us at file:// or ftp://."""

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        location = headers.get("location") or headers.get("uri") or ""
        newurl = urllib.parse.urljoin(req.full_url, location)
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(
                req.full_url, code, f"redirect to non-http(s) URL {newurl!r} refused", headers, fp
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.ProxyHandler(),
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
    _HttpOnlyRedirects(),
):
    _OPENER.add_handler(_handler)


class _TooLarge(Exception):
    pass


def url_name(url: str) -> str:
    """The last path segment of a URL, used for format dispatch."""
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path.rstrip("/").rsplit("/", 1)[-1]) or "index.html"


@dataclass(frozen=True)
class Fetched:
    """What a GET gave: the body and its validators, or ``not_modified`` after a 304."""

    data: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


def fetch_url(
    url: str, *, timeout: float = 30, max_bytes: int = 512 * 2**20, retries: int = 3, backoff: float = 0.5
) -> bytes:
    """GET a URL's body (see `fetch`). Raises FetchError."""
    return fetch(url, timeout=timeout, max_bytes=max_bytes, retries=retries, backoff=backoff).data


def fetch(
    url: str, *, timeout: float = 30, max_bytes: int = 512 * 2**20, retries: int = 3, backoff: float = 0.5,
    etag: str | None = None, last_modified: str | None = None,
) -> Fetched:
    """GET a URL, retrying connection errors, timeouts and 5xx with exponential backoff.

    The body is streamed and refused once it passes ``max_bytes``. With ``etag`` or
    ``last_modified`` (from an earlier response) the request is conditional, and a 304 answer
    comes back as ``Fetched(not_modified=True)`` without a body. Raises FetchError.
    """
    conditions = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    headers = {k: v for k, v in conditions.items() if v}
    last = ""
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            return _get(url, timeout, max_bytes, headers)
        except _TooLarge:
            raise FetchError(f"response is larger than {max_bytes} bytes; download stopped") from None
        except urllib.error.HTTPError as e:
            if e.code == 304 and headers:
                return Fetched(b"", etag, last_modified, not_modified=True)
            if e.code < 500:
                raise FetchError(f"HTTP {e.code}: {e.msg}") from None
            last = f"HTTP {e.code}: {e.msg}"
        except (urllib.error.URLError, TimeoutError, socket.timeout, ConnectionError) as e:
            reason = getattr(e, "reason", e)
            last = f"cannot connect: {reason}"
        except OSError as e:  # e.g. reset mid-body
            last = f"download failed: {e}"
    raise FetchError(f"{last} (gave up after {retries + 1} attempts)")


def _get(url: str, timeout: float, max_bytes: int, headers: dict[str, str] | None = None) -> Fetched:
    req = urllib.request.Request(
        url, headers={"User-Agent": "dronewatch-pull/0.1", "Accept-Encoding": "identity", **(headers or {})}
    )
    with _OPENER.open(req, timeout=timeout) as resp:
        final = resp.geturl()
        if urllib.parse.urlsplit(final).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(final, 400, f"redirect to non-http(s) URL {final!r} refused", resp.headers, None)
        length = resp.headers.get("Content-Length")
        if length is not None and length.isdigit() and int(length) > max_bytes:
            raise _TooLarge
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = resp.read(_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise _TooLarge
            chunks.append(chunk)
        return Fetched(b"".join(chunks), resp.headers.get("ETag"), resp.headers.get("Last-Modified"))


# --------------------------------------------------------------------------- JSON Lines, streamed

BLOCK_BYTES = 48 * 2**20
HEAD_BYTES = 1 << 16  # enough of a file to tell how to read it
_OUT = 4 * _CHUNK  # most a gzip slice may inflate to at once (a small bomb must not fill memory)


def jsonl_stream_kind(name: str, head: bytes) -> str | None:
    """"plain" or "gzip" when a file is JSON Lines that can be read block by block, else None.

    ``head`` is the file's first bytes. Archives, UTF-16 text, Telegram exports and JSON arrays
    are read whole; so is anything not named .jsonl, .ndjson or .json (maybe .gz).
    """
    if _archive_kind(head) is not None:
        return None
    kind, text = "plain", head
    if head.startswith(GZIP_MAGIC):
        try:
            text = zlib.decompressobj(wbits=31).decompress(head, HEAD_BYTES)
        except zlib.error:
            return None
        kind, name = "gzip", name[:-3] if name.lower().endswith(".gz") else name
    if text.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in text[:4096]:
        return None  # UTF-16: lines cannot be cut at b"\n"
    base = name.lower()
    ext = base.rsplit(".", 1)[-1] if "." in base else ""
    if ext in ("jsonl", "ndjson"):
        return kind
    if ext != "json" or base == "result.json":
        return None
    # a .json file is JSON Lines when its first line is a whole object that is not an export
    first, newline, _ = text.lstrip(b"\xef\xbb\xbf \t\r\n").partition(b"\n")
    if not newline:
        return None
    try:
        value = json.loads(first)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return kind if isinstance(value, dict) and "messages" not in value else None


class JsonLinesStream:
    """The content of a JSON Lines dump, gunzipped on the fly, handed out in blocks of whole lines
    and hashed as it goes.

    A block starts where the previous one ended and takes ``block_bytes``, cut back to the last
    line end (or on to the next one, for a longer line). Where blocks fall depends only on the
    content and where reading started, so a run resumed after a crash cuts the blocks a clean run
    cuts. A gzip stream that breaks off ends the blocks early: every complete line read before the
    break is still handed out, ``problem`` says why and ``tail`` holds the incomplete line, which
    is not. ``blank`` tells an empty file (or one of only whitespace) from one with lines.
    """

    def __init__(self, raw: BinaryIO, gzipped: bool, block_bytes: int = BLOCK_BYTES) -> None:
        self._raw = raw
        self._chunks = self._gunzipped() if gzipped else self._plain()
        self._buffer = bytearray()
        self._sha = hashlib.sha256()
        self.block_bytes = block_bytes
        self.offset = 0  # content bytes handed out (or skipped)
        self.lines = 0  # lines handed out (or skipped)
        self.problem: str | None = None
        self.tail = b""
        self.blank = True  # nothing but whitespace (and a byte-order mark) so far

    @property
    def fingerprint(self) -> str:
        """sha256 of the content handed out so far."""
        return self._sha.hexdigest()

    def close(self) -> None:
        self._raw.close()

    def skip(self, n: int, lines: int) -> str | None:
        """Consume the first ``n`` bytes (``lines`` lines) unparsed; return their sha256, or None
        when the content is shorter."""
        while n > self.offset:
            if not self._buffer:
                chunk = next(self._chunks, None)
                if chunk is None:
                    return None
                if len(chunk) <= n - self.offset:  # hashed as read, not copied through the buffer (5x)
                    self._seen(chunk)
                    self._sha.update(chunk)
                    self.offset += len(chunk)
                    continue
                self._buffer += chunk
            take = min(n - self.offset, len(self._buffer))
            self._seen(self._buffer[:take])
            self._sha.update(bytes(self._buffer[:take]))
            del self._buffer[:take]
            self.offset += take
        self.lines = lines
        return self.fingerprint

    def blocks(self) -> Iterator[tuple[bytes, int]]:
        """(block, number of its first line) until the end of the content."""
        while True:
            cut = self._cut()
            if cut is not None:
                yield self._take(cut)
                continue
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if self.problem is not None:
            complete = self._buffer.rfind(b"\n") + 1  # the lines before the break are whole
            if complete:
                yield self._take(complete)
            self.tail = bytes(self._buffer)
        elif self._buffer:
            yield self._take(len(self._buffer))

    def _cut(self) -> int | None:
        if len(self._buffer) < self.block_bytes:
            return None
        end = self._buffer.rfind(b"\n", 0, self.block_bytes)
        if end < 0:
            end = self._buffer.find(b"\n", self.block_bytes)
        return None if end < 0 else end + 1

    def _take(self, n: int) -> tuple[bytes, int]:
        block = bytes(self._buffer[:n])
        del self._buffer[:n]
        self._seen(block)
        first_line = self.lines + 1
        self._sha.update(block)
        self.offset += n
        self.lines += block.count(b"\n") + (0 if block.endswith(b"\n") else 1)
        return block, first_line

    def _seen(self, content: bytes | bytearray) -> None:
        if self.blank:
            text = content[3:] if self.offset == 0 and content.startswith(b"\xef\xbb\xbf") else content
            self.blank = not bytes(text).strip()

    def _plain(self) -> Iterator[bytes]:
        while chunk := self._raw.read(_OUT):
            yield chunk

    def _gunzipped(self) -> Iterator[bytes]:
        """Like transforms.dumps.gunzip: members one after another, trailing padding ignored."""
        pending = self._raw.read(_CHUNK)
        while pending:
            d = zlib.decompressobj(wbits=31)
            while not d.eof:
                if not pending:
                    pending = self._raw.read(_CHUNK)
                    if not pending:
                        yield d.flush()
                        self.problem = "gzip data truncated"
                        return
                try:
                    out = d.decompress(pending, _OUT)
                    while True:
                        yield out
                        if not d.unconsumed_tail:
                            break
                        out = d.decompress(d.unconsumed_tail, _OUT)
                except zlib.error as e:
                    self.problem = f"corrupt gzip data ({e})"
                    return
                pending = b""
            pending = d.unused_data
            if len(pending) < 2:
                pending += self._raw.read(_CHUNK)
            if not pending.startswith(GZIP_MAGIC):
                return
