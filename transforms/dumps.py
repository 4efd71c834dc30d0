"""Parse dumps of articles and statements into documents and rejects.

Pure functions: bytes in, ``(documents, rejects)`` frames out (DOCUMENT_SCHEMA, REJECT_SCHEMA).
Nothing here opens a file or a connection; ``flows.pull`` finds the bytes.

A bad record becomes a reject row naming its origin and record number; no parser raises on bad
input. ``record_no`` is the 1-based line number for JSON Lines and CSV (the line a record starts
on, header included), the 1-based message index for a Telegram export, and 1 for a single
document.
"""
from __future__ import annotations

import bisect
import csv
import io
import itertools
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any

import orjson
import polars as pl

from transforms.schema import DOCUMENT_SCHEMA, REJECT_SCHEMA, UTC_TS, empty

__all__ = [
    "gunzip",
    "decode_text",
    "parse_jsonl",
    "parse_csv",
    "parse_telegram_export",
    "parse_text_document",
    "parse_html_document",
    "parse_dump",
]

GZIP_MAGIC = b"\x1f\x8b"
_GZ_SLICE = 1 << 20  # feed gzip in slices so the output before a corrupt block is kept
EXCERPT_CHARS = 200
# A longer text is not an article but a dump on one line (or an attack): it is rejected, not
# handed to claim extraction, whose time grows faster than the text.
MAX_TEXT_CHARS = 1_000_000
ARTICLE_FIELDS = ("id", "text", "published", "url", "title", "source", "lang")
_OPTIONAL_FIELDS = ("url", "title", "source", "lang")
_SPLIT = 8  # a JSON Lines part that fails the fast path is retried in this many pieces...
_SLOW_LINES = 1_000  # ...down to this size, which is read line by line with json.loads

# The fast path (polars' NDJSON reader) turns any JSON value into a string; lines whose top-level
# id is not a string/number or whose text is not a string are re-read with json.loads to judge them.
_ID_OK = r'"id"\s*:\s*(?:"|-?[0-9])'
_TEXT_OK = r'"text"\s*:\s*"'

Rejects = list[tuple[str, int | None, str, str]]


# --------------------------------------------------------------------------- bytes and text


def gunzip(data: bytes) -> tuple[bytes, str | None]:
    """Decompress (possibly multi-member) gzip data; return what could be read and a problem.

    >>> import gzip
    >>> gunzip(gzip.compress(b"abc"))
    (b'abc', None)
    """
    out: list[bytes] = []
    rest = data
    while rest:
        d = zlib.decompressobj(wbits=31)
        pos = 0
        try:
            # feed in slices so that output before a corrupt block is kept
            while pos < len(rest) and not d.eof:
                out.append(d.decompress(rest[pos : pos + _GZ_SLICE]))
                pos += _GZ_SLICE
        except zlib.error as e:
            return b"".join(out), f"corrupt gzip data ({e})"
        if not d.eof:
            out.append(d.flush())
            return b"".join(out), "gzip data truncated"
        rest = d.unused_data
        if not rest.startswith(GZIP_MAGIC):
            break  # trailing padding after the last member is ignored, as gzip(1) does
    return b"".join(out), None


def decode_text(data: bytes) -> tuple[str | None, str | None]:
    """Decode UTF-8 (BOM stripped) or BOM-marked UTF-16; return (text, None) or (None, reason)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as e:
            return None, f"not valid UTF-16 (byte offset {e.start})"
    else:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as e:
        return None, f"not valid UTF-8 (byte offset {e.start}){_encoding_hint(data)}"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark, told by its high bytes: in UTF-16, every other byte
    of Latin text is 0x00 and of Cyrillic text 0x04 (odd bytes for little-endian); UTF-8 text
    has almost none of either."""
    head = data[:4096]
    if len(head) < 4 or len(data) % 2:
        return None
    half = len(head) // 2

    def high(part: bytes) -> int:
        return part.count(0) + part.count(4)

    even, odd = high(head[0::2]), high(head[1::2])
    if odd >= 0.9 * half and even <= 0.1 * half:
        encoding = "utf-16-le"
    elif even >= 0.9 * half and odd <= 0.1 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _encoding_hint(data: bytes) -> str:
    """A hint for a reason when bytes that are not UTF-8 read as Windows-1251 Cyrillic (and hold
    no UTF-8 at all: a UTF-8 text with one broken byte must not be blamed on the encoding)."""
    sample = data[:4096]
    as_utf8 = sample.decode("utf-8", "replace")
    if any(c > "\x7f" and c != "\ufffd" for c in as_utf8):
        return ""
    legacy = sample.decode("cp1251", "replace")
    high = [c for c in legacy if c > "\x7f"]
    if sum("\u0400" <= c <= "\u04ff" for c in high) < 0.6 * len(high) or not re.search("[\u0400-\u04ff]{3}", legacy):
        return ""
    return "; it looks like Windows-1251 (cp1251) text: save the file as UTF-8"


def _excerpt(s: str) -> str:
    return _clean(s[:EXCERPT_CHARS])


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(s: str) -> str:
    """Replace lone UTF-16 surrogates (a JSON ``"\\ud800"`` escape decodes to one) by U+FFFD:
    they cannot be stored as UTF-8."""
    return _LONE_SURROGATE.sub("\ufffd", s)


def _rejects_frame(rows: Rejects) -> pl.DataFrame:
    if not rows:
        return empty(REJECT_SCHEMA)
    return pl.DataFrame(rows, schema=REJECT_SCHEMA, orient="row")


def _file_reject(origin: str, reason: str, excerpt: str = "") -> tuple[pl.DataFrame, pl.DataFrame]:
    return empty(DOCUMENT_SCHEMA), _rejects_frame([(origin, None, reason, excerpt)])


def _json_error(e: json.JSONDecodeError) -> str:
    message = e.msg[: -len(" at")] if e.msg.endswith(" at") else e.msg  # "Unterminated string starting at"
    return f"invalid JSON: {message} at column {e.colno}"


# --------------------------------------------------------------------------- dates


_TS_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M%z",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
)


def _iso_to_utc(value: str) -> datetime | None:
    """Slow, lenient ISO 8601 parse: naive = UTC, offsets converted, date-only = midnight UTC."""
    try:
        ts = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if ts.tzinfo is None:
        return ts.replace(tzinfo=timezone.utc)
    return ts.astimezone(timezone.utc)


def parse_published(raw: pl.Series) -> pl.Series:
    """ISO dates/datetimes to UTC timestamps; anything unparseable becomes null (never an error).

    >>> parse_published(pl.Series(["2024-05-01", "2024-05-01T03:00:00+03:00", "soon"])).to_list()[1]
    datetime.datetime(2024, 5, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
    """
    s = raw.cast(pl.String).str.strip_chars().str.replace(r"(?i)z$", "+00:00")
    parsed = pl.select(
        pl.coalesce(
            [
                s.str.to_datetime(f, strict=False, time_unit="us", time_zone="UTC")
                for f in _TS_FORMATS
            ]
        )
    ).to_series()
    missed = (parsed.is_null() & s.is_not_null() & (s != "")).fill_null(False)
    if missed.any():
        # rare shapes (week dates, compact forms, odd offsets): the stdlib judges them
        values = s.filter(missed).unique().to_list()
        mapping = {v: _iso_to_utc(v) for v in values}
        fallback = s.replace_strict(mapping, default=None, return_dtype=UTC_TS)
        parsed = parsed.fill_null(fallback)
    return parsed.cast(UTC_TS).alias("published_at")


# --------------------------------------------------------------------------- common finish

UNREADABLE_DATE = "published date '{}' cannot be read; the document is loaded without a date"
"""The one reason in `rejected` whose record was loaded anyway: the date is what was rejected."""


def _unreadable_dates(good: pl.DataFrame) -> pl.DataFrame:
    """Records that load although their `published` could not be read: each also gets a row in
    `rejected`, so the value written is reported rather than silently dropped."""
    if "published" not in good.columns:
        return good.clear()
    written = pl.col("published").str.strip_chars()
    return good.filter(written.is_not_null() & (written != "") & pl.col("published_at").is_null()).with_columns(
        _reason=pl.format(UNREADABLE_DATE,
                          written.str.slice(0, 60).str.replace_all("'", "’", literal=True))
    )


def _finish(
    rows: pl.DataFrame,
    origin: str,
    rejects: Rejects,
    unit: str = "line",
    excerpt_of: Callable[[int], str] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate and de-duplicate raw rows; return (documents, rejects).

    ``rows`` has String columns id, text, url, title, source, lang, channel, an Int64 record_no,
    either a String ``published`` or a UTC ``published_at``, and an ``_excerpt`` column unless
    ``excerpt_of`` (record number to excerpt) is given.
    """
    if rows.height == 0:
        return empty(DOCUMENT_SCHEMA), _rejects_frame(rejects)
    if "published_at" not in rows.columns:
        rows = rows.with_columns(parse_published(rows["published"]))
    # an over-long text is cut to an excerpt at once, so that the checks below do not copy it
    rows = rows.with_columns(
        _chars=pl.when(pl.col("text").str.len_bytes() > MAX_TEXT_CHARS).then(pl.col("text").str.len_chars())
    ).with_columns(
        text=pl.when(pl.col("_chars") > MAX_TEXT_CHARS)
        .then(pl.col("text").str.slice(0, EXCERPT_CHARS))
        .otherwise(pl.col("text"))
    )
    rows = rows.with_columns(
        pl.col("id").str.replace_all("\x00", "", literal=True).str.strip_chars(),
        pl.col("text").str.replace_all("\x00", "", literal=True),
        *[
            pl.col(c).str.replace_all("\x00", "", literal=True).str.strip_chars().replace("", None)
            for c in ("title", "source", "url", "lang")
        ],
    )
    reason = (
        pl.when(pl.col("id").is_null())
        .then(pl.lit("missing id"))
        .when(pl.col("id") == "")
        .then(pl.lit("empty id"))
        .when(pl.col("text").is_null())
        .then(pl.lit("missing text"))
        .when(pl.col("_chars") > MAX_TEXT_CHARS)
        .then(pl.format("text is {} characters long, more than the {} a document may have; not loaded",
                        pl.col("_chars"), pl.lit(MAX_TEXT_CHARS)))
        .when(pl.col("text").str.strip_chars() == "")
        .then(pl.lit("empty text"))
    )
    rows = rows.with_columns(_reason=reason)
    bad = rows.filter(pl.col("_reason").is_not_null())
    good = rows.filter(pl.col("_reason").is_null()).sort("record_no")
    good = good.with_columns(
        _first_no=pl.col("record_no").first().over("id"),
        _first_text=pl.col("text").first().over("id"),
    )
    later = pl.col("record_no") != pl.col("_first_no")
    conflicts = good.filter(later & (pl.col("text") != pl.col("_first_text"))).with_columns(
        _reason=pl.format("duplicate id with different text (first at {} {})", pl.lit(unit), pl.col("_first_no"))
    )
    good = good.filter(~later)
    undated = _unreadable_dates(good)
    found = pl.concat([frame.select("record_no", "_reason") for frame in (bad, conflicts, undated)])
    if excerpt_of is not None:
        excerpts = pl.Series([excerpt_of(no) for no in found["record_no"].to_list()], dtype=pl.String)
    else:
        excerpts = pl.concat([bad["_excerpt"], conflicts["_excerpt"], undated["_excerpt"]]).str.slice(0, EXCERPT_CHARS)
    found_rejects = pl.DataFrame(
        {"origin": [origin] * found.height, "record_no": found["record_no"], "reason": found["_reason"], "excerpt": excerpts},
        schema=REJECT_SCHEMA,
    )
    all_rejects = pl.concat([_rejects_frame(rejects), found_rejects]).sort("record_no", nulls_last=True)
    docs = good.with_columns(origin=pl.lit(origin)).select(
        [pl.col(c).cast(t) for c, t in DOCUMENT_SCHEMA.items()]
    )
    return docs, all_rejects


def _article_row(obj: Any) -> dict[str, Any] | str:
    """One parsed JSON value to a raw article row, or the reason it is rejected."""
    if not isinstance(obj, dict):
        return f"not a JSON object (got {_json_type(obj)})"
    id_ = obj.get("id")
    if id_ is None:
        return "missing id"
    if isinstance(id_, bool) or not isinstance(id_, (str, int, float)):
        return f"id is not a string or number (got {_json_type(id_)})"
    text = obj.get("text")
    if text is None:
        return "missing text"
    if not isinstance(text, str):
        return f"text is not a string (got {_json_type(text)})"
    row: dict[str, Any] = {"id": _clean(str(id_)), "text": _clean(text), "published": _as_str(obj.get("published"))}
    for f in _OPTIONAL_FIELDS:
        row[f] = _as_str(obj.get(f))
    return row


def _as_str(v: Any) -> str | None:
    if v is None:
        return v
    return _clean(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return "string"


_RAW_ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    **{f: pl.String for f in ARTICLE_FIELDS},
    "channel": pl.String,
    "record_no": pl.Int64,
    "_excerpt": pl.String,
}


def _raw_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=_RAW_ARTICLE_SCHEMA)


# --------------------------------------------------------------------------- JSON Lines


def parse_jsonl(data: bytes, origin: str, *, first_line: int = 1) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One document per JSON Lines object with ``id`` and ``text``.

    ``first_line`` is the line number of the first line of ``data``: a block cut from a larger dump
    keeps the dump's line numbers in ``record_no`` and in the reasons of its rejects.

    The whole file goes through polars' NDJSON reader first; only when that fails (a bad line,
    bad bytes) is it read again in pieces, and only small failing pieces line by line with
    json.loads, so a few bad lines do not make a large file slow.

    >>> docs, rejects = parse_jsonl(b'{"id": 7, "text": "Two drones downed"}\\nnot json\\n', "a.jsonl")
    >>> docs["id"].to_list(), rejects["reason"].to_list()
    (['7'], ['line 2: invalid JSON: Expecting value at column 1'])
    """
    data = _utf8_bytes(data)
    lines = _Lines(data, first_line)
    rejects: Rejects = []
    frame = _jsonl_fast(data, None, first_line)
    if frame is None:
        numbered = [(no, line) for no, line in enumerate(data.split(b"\n"), start=first_line) if line.strip()]
        frame = _jsonl_around_bad_lines(numbered, origin, rejects)
    frame = _recheck_suspicious(frame, data, lines, origin, rejects)
    return _finish(frame, origin, rejects, excerpt_of=lines.excerpt)


def _utf8_bytes(data: bytes) -> bytes:
    """Strip a UTF-8 BOM; re-encode BOM-marked UTF-16 as UTF-8 (line formats work on bytes)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data[:4096]) is not None:
        text, _ = decode_text(data)
        if text is not None:
            return text.encode("utf-8")
    return data


class _Lines:
    """Line lookup in a byte buffer, built only when a reject needs it."""

    def __init__(self, data: bytes, first_line: int = 1) -> None:
        self.data = data
        self.offset = first_line - 1  # line numbers are the dump's, not the block's
        self._starts: list[int] | None = None

    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer(b"\n", self.data)]
        return self._starts

    def line_no_at(self, pos: int) -> int:
        return bisect.bisect_right(self.starts(), pos) + self.offset

    def line(self, no: int) -> bytes:
        no -= self.offset
        starts = self.starts()
        if not 1 <= no <= len(starts):
            return b""
        end = starts[no] - 1 if no < len(starts) else len(self.data)
        return self.data[starts[no - 1] : end]

    def excerpt(self, no: int) -> str:
        return _excerpt(self.line(no)[: EXCERPT_CHARS * 4].decode("utf-8", "replace").rstrip("\r"))


def _jsonl_fast(data: bytes, line_nos: list[int] | None, first_line: int = 1) -> pl.DataFrame | None:
    """Read JSON Lines with polars; None when any line is not a JSON object or not UTF-8.

    Lines are numbered from ``first_line`` unless ``line_nos`` gives their numbers."""
    try:
        df = pl.read_ndjson(io.BytesIO(data), schema={f: pl.String for f in ARTICLE_FIELDS})
    except Exception:  # noqa: BLE001 - any failure just means "take the careful path"
        return None
    if line_nos is None:
        n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        if df.height == n_lines:
            numbers = pl.int_range(first_line, first_line + n_lines, dtype=pl.Int64, eager=True)
        else:  # blank lines: number the others
            line_nos = [no for no, line in enumerate(data.split(b"\n"), start=first_line) if line.strip()]
    if line_nos is not None:
        if df.height != len(line_nos):
            return None
        numbers = pl.Series(line_nos, dtype=pl.Int64)
    return df.with_columns(channel=pl.lit(None, pl.String), record_no=numbers).select(
        [c for c in _RAW_ARTICLE_SCHEMA if c != "_excerpt"]
    )


def _jsonl_around_bad_lines(numbered: list[tuple[int, bytes]], origin: str, rejects: Rejects) -> pl.DataFrame:
    """Read a part polars refused: the lines orjson cannot parse one by one (json.loads judges them),
    all the others with polars at once (split further only if polars still refuses them).

    Finding the bad lines first costs ~2 us a line; splitting around them blindly cost 8 polars
    reads per bad line and level.
    """
    good: list[tuple[int, bytes]] = []
    bad: list[tuple[int, bytes]] = []
    for item in numbered:
        try:
            orjson.loads(item[1])
            good.append(item)
        except orjson.JSONDecodeError:
            bad.append(item)
    frames = [_jsonl_slow(bad, origin, rejects)] if bad else []
    if good:
        fast = _jsonl_fast(b"\n".join(line for _, line in good), [no for no, _ in good])
        frames.extend([fast] if fast is not None else _jsonl_split(good, origin, rejects))
    if not frames:
        return _raw_frame([]).drop("_excerpt")
    return pl.concat(frames).sort("record_no")


def _jsonl_split(part: list[tuple[int, bytes]], origin: str, rejects: Rejects) -> list[pl.DataFrame]:
    """Split a part that failed the fast path in _SPLIT pieces and retry each; small ones slowly.

    A few bad lines in a big file cost a few small slow pieces, not a slow file.
    """
    if len(part) <= _SLOW_LINES:
        return [_jsonl_slow(part, origin, rejects)]
    size = -(-len(part) // _SPLIT)
    frames: list[pl.DataFrame] = []
    for start in range(0, len(part), size):
        piece = part[start : start + size]
        fast = _jsonl_fast(b"\n".join(line for _, line in piece), [no for no, _ in piece])
        frames.extend([fast] if fast is not None else _jsonl_split(piece, origin, rejects))
    return frames


def _jsonl_slow(part: list[tuple[int, bytes]], origin: str, rejects: Rejects) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    for no, raw in part:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            rejects.append((origin, no, f"not valid UTF-8 (byte offset {e.start}){_encoding_hint(raw)}",
                            _excerpt(raw.decode("utf-8", "replace"))))
            continue
        try:
            obj = json.loads(line, strict=False)  # raw control characters (NUL, tabs) in strings are kept
        except json.JSONDecodeError as e:
            rejects.append((origin, no, f"line {no}: {_json_error(e)}", _excerpt(line)))
            continue
        row = _article_row(obj)
        if isinstance(row, str):
            rejects.append((origin, no, row, _excerpt(line)))
            continue
        row.update(channel=None, record_no=no)
        rows.append(row)
    return pl.DataFrame(rows, schema={c: t for c, t in _RAW_ARTICLE_SCHEMA.items() if c != "_excerpt"})


# polars turns any JSON value into a string; a line whose top-level text is not a string (or id
# not a string/number) is re-read with json.loads to be judged. Nested keys only cost a re-read.
# So is a line with a UTF-16 surrogate escape, which polars may drop where json.loads keeps it, and
# one whose id is a number with a fraction or exponent, which polars writes "0" where json.loads
# reads 0.0.
# Separate patterns, not one alternation: each starts with a literal the engine can jump to, 5x faster.
_SUSPECT = (
    re.compile(rb'"text"\s*:\s*[-0-9tf\[{]'),
    re.compile(rb'"id"\s*:\s*[tf\[{]'),
    re.compile(rb'"id"\s*:\s*-?[0-9]+[.eE]'),
    re.compile(rb'\\u[dD][89a-fA-F]'),
)


def _recheck_suspicious(
    frame: pl.DataFrame, data: bytes, lines: _Lines, origin: str, rejects: Rejects
) -> pl.DataFrame:
    suspects = sorted({lines.line_no_at(m.start()) for rx in _SUSPECT for m in rx.finditer(data)})
    if not suspects:
        return frame
    already = set(frame["record_no"].to_list())
    again = [(no, lines.line(no)) for no in suspects if no in already]
    redone = _jsonl_slow(again, origin, rejects)
    keep = frame.filter(~pl.col("record_no").is_in([no for no, _ in again]))
    return pl.concat([keep, redone]).sort("record_no")


# --------------------------------------------------------------------------- CSV


def parse_csv(data: bytes, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One document per CSV row (header row required, RFC 4180 quoting; columns as in JSONL).

    A row that cannot be parsed is rejected and reading goes on with the next line; a quote
    that is never closed rejects the row it opens on, and the lines after it are read as rows.
    """
    text, problem = decode_text(data)
    rejects: Rejects = []
    if text is None:
        # keep the readable rows; rows holding the bad bytes are rejected below
        text = (data[3:] if data.startswith(b"\xef\xbb\xbf") else data).decode("utf-8", "surrogateescape")
    if not text.strip():
        return empty(DOCUMENT_SCHEMA), empty(REJECT_SCHEMA)
    lines = _csv_lines(text)
    records = _csv_records(lines)
    _, header, error = next(records)
    if header is None:
        return _file_reject(origin, f"header row cannot be parsed: {error}", _excerpt(lines[0]))
    if _has_surrogate(",".join(header)):
        return _file_reject(origin, f"header row: {problem or 'not valid UTF-8'}",
                            _excerpt(",".join(header).encode("utf-8", "surrogateescape").decode("utf-8", "replace")))
    columns = [h.strip().lower() for h in header]
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        return _file_reject(
            origin,
            f"missing required column(s) {', '.join(missing)}; header is {', '.join(header)}",
            _excerpt(",".join(header)),
        )
    index = {c: columns.index(c) for c in ARTICLE_FIELDS if c in columns}
    rows: list[dict[str, Any]] = []
    for start, fields, error in records:
        if fields is None:
            rejects.append((origin, start, f"row cannot be parsed: {error}", _excerpt(lines[start - 1])))
            continue
        if not fields:
            continue
        joined = ",".join(fields)
        if _has_surrogate(joined):
            offset = len(joined[: _first_surrogate(joined)].encode("utf-8", "surrogateescape"))
            hint = _encoding_hint(joined.encode("utf-8", "surrogateescape"))
            rejects.append(
                (origin, start, f"not valid UTF-8 (byte offset {offset} in the record){hint}",
                 _excerpt(joined.encode("utf-8", "surrogateescape").decode("utf-8", "replace")))
            )
            continue
        if len(fields) != len(columns):
            rejects.append(
                (origin, start, f"row has {len(fields)} fields, header has {len(columns)}", _excerpt(joined))
            )
            continue
        row: dict[str, Any] = {f: (fields[i] if f in ("id", "text") or fields[i] != "" else None) for f, i in index.items()}
        row.update(channel=None, record_no=start, _excerpt=_excerpt(joined))
        rows.append(row)
    return _finish(_raw_frame(rows), origin, rejects)


def _csv_lines(text: str) -> list[str]:
    """Lines with their ends, split at "\\n" (line numbers as in an editor); a file with only
    "\\r" line ends (old Mac) is split at those."""
    sep = "\n" if "\n" in text or "\r" not in text else "\r"
    parts = text.split(sep)
    return [part + sep for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


_CSV_ERRORS = {
    "unexpected end of data": "a quote opened on this line is never closed",
    "',' expected after '\"'": "stray quote (',' expected after '\"')",
}


def _csv_records(lines: list[str]) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line the record starts on, fields or None, why it cannot be parsed) for each record."""
    pos = 0  # lines read before the current reader started
    while pos < len(lines):
        reader = csv.reader(itertools.islice(lines, pos, None), strict=True)
        done = 0
        while True:
            start = pos + done + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                message = str(e)
                if message.startswith("new-line character seen in unquoted field"):
                    message = "a carriage return (\\r) inside an unquoted field"
                yield start, None, _CSV_ERRORS.get(message, message)
                if str(e) == "unexpected end of data":
                    break  # the quote swallowed the rest of the file: read on from the next line
                done = reader.line_num
                continue
            done = reader.line_num
            yield start, fields, None
        pos = start


def _has_surrogate(s: str) -> bool:
    return _first_surrogate(s) >= 0


def _first_surrogate(s: str) -> int:
    m = re.search("[\udc80-\udcff]", s)
    return m.start() if m else -1


# --------------------------------------------------------------------------- Telegram


def parse_telegram_export(data: bytes, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One document per text message of a Telegram Desktop channel export (``result.json``).

    Service messages and messages without text are skipped, not rejected.
    """
    text, problem = decode_text(data)
    if text is None:
        return _file_reject(origin, problem or "cannot decode")
    if not text.strip():
        return empty(DOCUMENT_SCHEMA), empty(REJECT_SCHEMA)
    try:
        export = json.loads(text)
    except json.JSONDecodeError as e:
        return _file_reject(origin, f"line {e.lineno}: {_json_error(e)}", _excerpt(text))
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        return _file_reject(origin, "not a Telegram channel export (no \"messages\" list)", _excerpt(text))
    name, export_id = export.get("name"), export.get("id")
    channel = (name.replace("\x00", "").strip() if isinstance(name, str) else None) or (
        str(export_id) if isinstance(export_id, (str, int)) and not isinstance(export_id, bool) else None)
    channel = _clean(channel) if channel else None
    if not channel:
        # a nameless export: its folder ("archive.zip!Channel/result.json") names the channel
        parts = re.split(r"[/\\!]", origin)
        channel = parts[-2] if len(parts) > 1 and parts[-2] else "unknown"
    rejects: Rejects = []
    rows: list[dict[str, Any]] = []
    for no, msg in enumerate(export["messages"], start=1):
        if not isinstance(msg, dict):
            rejects.append((origin, no, "message is not a JSON object", _excerpt(json.dumps(msg, ensure_ascii=False))))
            continue
        if msg.get("type", "message") != "message":
            continue
        body = _telegram_text(msg.get("text"))
        if body is None:
            rejects.append((origin, no, f"message text is not a string or list (got {_json_type(msg.get('text'))})",
                            _excerpt(json.dumps(msg, ensure_ascii=False))))
            continue
        if not body.replace("\x00", "").strip():
            continue
        msg_id = msg.get("id")
        rows.append(
            {
                "id": None if msg_id is None else _clean(f"{channel}/{_as_str(msg_id)}"),
                "text": _clean(body),
                "published_at": _telegram_date(msg),
                "url": None,
                "title": None,
                "source": channel,
                "lang": None,
                "channel": channel,
                "record_no": no,
                "_excerpt": _excerpt(json.dumps(msg, ensure_ascii=False)),
            }
        )
    schema = {**_RAW_ARTICLE_SCHEMA, "published_at": UTC_TS}
    del schema["published"]
    return _finish(pl.DataFrame(rows, schema=schema), origin, rejects, unit="message")


def _telegram_text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts: list[str] = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])  # any entity type: bold, link, hashtag, unknown...
        return "".join(parts)
    return None


def _telegram_date(msg: dict[str, Any]) -> datetime | None:
    unix = msg.get("date_unixtime")
    if unix is not None:
        try:
            return datetime.fromtimestamp(int(unix), tz=timezone.utc)
        except (TypeError, ValueError, OverflowError, OSError):
            pass
    date = msg.get("date")
    return _iso_to_utc(date) if isinstance(date, str) else None


# --------------------------------------------------------------------------- single documents


def _doc_id(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base


def _single(doc_id: str, text: str, title: str | None, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    text = _clean(text.replace("\x00", ""))
    if not text.strip():
        return _file_reject(origin, "no text (the document is blank)")
    if len(text) > MAX_TEXT_CHARS:
        return _file_reject(
            origin, f"text is {len(text)} characters long, more than the {MAX_TEXT_CHARS} a document may have; not loaded",
            _excerpt(text))
    row = {c: None for c in DOCUMENT_SCHEMA}
    row.update(id=doc_id, text=text, title=title, origin=origin, record_no=1)
    return pl.DataFrame([row], schema=DOCUMENT_SCHEMA), empty(REJECT_SCHEMA)


def _looks_cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    cyr = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return cyr / len(letters) >= 0.6


def parse_text_document(data: bytes, name: str, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A whole .txt/.md file as one document; id = file name without extension.

    Text that is not UTF-8 but decodes as Windows-1251 into mostly Cyrillic letters is read as
    such (old Russian and Ukrainian text files); anything else undecodable is rejected.
    """
    text, problem = decode_text(data)
    if text is None:
        try:
            legacy = data.decode("cp1251")
        except UnicodeDecodeError:
            legacy = None
        if legacy is None or not _looks_cyrillic(legacy):
            return _file_reject(origin, problem or "cannot decode", _excerpt(data.decode("utf-8", "replace")))
        text = legacy
    title = None
    if name.lower().endswith((".md", ".markdown")):
        m = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
        title = m.group(1) if m else None
    return _single(_doc_id(name), text, title, origin)


_SKIP_TAGS = frozenset({"script", "style", "head", "noscript", "template"})
_BLOCK_TAGS = frozenset(
    """address article aside blockquote br dd details div dl dt fieldset figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot
    tr ul body html caption""".split()
)
_CELL_TAGS = frozenset({"td", "th"})


class _VisibleText(HTMLParser):
    """Collects the visible text of an HTML page and its <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.skip: list[str] = []  # open skipped elements
        self.in_title = False
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
            return
        if self.skip and self.skip[-1] == "head" and (tag == "body" or tag in _BLOCK_TAGS):
            self.skip.pop()  # <head> may be left unclosed; the body starts here
        if tag in _SKIP_TAGS:
            self.skip.append(tag)
            return
        if self.skip:
            return
        if tag == "pre":
            self.pre += 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS and not self.skip:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
            return
        if tag in _SKIP_TAGS:
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if self.skip:
            return
        if tag == "pre" and self.pre:
            self.pre -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skip:
            self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))

    def text(self) -> str:
        lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)

    def title(self) -> str | None:
        t = re.sub(r"\s+", " ", "".join(self.title_parts)).strip()
        return t or None


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Visible text (one line per block) and the <title> of an HTML page.

    >>> html_to_text("<html><head><title>T</title><style>p{}</style></head><p>A &amp; B</p><p>C</p>")
    ('A & B\\nC', 'T')
    """
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    return parser.text(), parser.title()


def parse_html_document(data: bytes, name: str, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """An HTML page as one document: visible text only, title from <title>."""
    text, problem = decode_text(data)
    if text is None:
        declared = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", data[:4096], re.IGNORECASE)
        if declared:
            try:
                text = data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                text = None
        if text is None:
            return _file_reject(origin, problem or "cannot decode", _excerpt(data.decode("utf-8", "replace")))
    body, title = html_to_text(text)
    return _single(_doc_id(name), body, title, origin)


# --------------------------------------------------------------------------- dispatch


def _strip_gz(name: str) -> str:
    low = name.lower()
    if low.endswith(".tgz"):
        return name[:-4] + ".tar"
    if low.endswith(".gz"):
        return name[:-3]
    return name


def _format_of(data: bytes, name: str) -> str:
    """jsonl, json, csv, telegram, text, html, archive or unknown."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")) or data[257:262] == b"ustar":
        return "archive"
    if base == "result.json":
        return "telegram"
    ext = base.rsplit(".", 1)[-1] if "." in base else ""
    by_ext = {"jsonl": "jsonl", "ndjson": "jsonl", "json": "json", "csv": "csv", "txt": "text",
              "md": "text", "markdown": "text", "html": "html", "htm": "html"}
    if ext in by_ext:
        return by_ext[ext]
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"<"):
        return "html"
    return "unknown"


def parse_dump(data: bytes, name: str, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Parse any supported dump, gunzipping first; format from the name, else from the content.

    A ``result.json``, or any JSON object with a ``"messages"`` list, is a Telegram export; other
    ``.json`` files are JSON Lines (or a JSON array of article objects).
    """
    problem = None
    if data.startswith(GZIP_MAGIC):
        data, problem = gunzip(data)
        name = _strip_gz(name)
    fmt = _format_of(data, name)
    if fmt == "json":
        fmt, data = _sniff_json(data)
    if problem is not None:
        return _parse_truncated(data, name, origin, fmt, problem)
    if _is_blank(data):
        return _file_reject(origin, "the file is empty")
    return _parse_as(fmt, data, name, origin)


def _is_blank(data: bytes) -> bool:
    """Nothing but whitespace (and a byte-order mark)."""
    if not data.strip():
        return True
    if len(data) > 1024:
        return False
    text, _ = decode_text(data)
    return text is not None and not text.strip()


def _parse_as(fmt: str, data: bytes, name: str, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    if fmt == "jsonl":
        return parse_jsonl(data, origin)
    if fmt == "json_array":
        return _parse_json_array(data, origin)
    if fmt == "csv":
        return parse_csv(data, origin)
    if fmt == "telegram":
        return parse_telegram_export(data, origin)
    if fmt == "text":
        return parse_text_document(data, name, origin)
    if fmt == "html":
        return parse_html_document(data, name, origin)
    if not data.strip():
        return empty(DOCUMENT_SCHEMA), empty(REJECT_SCHEMA)
    if fmt == "archive":
        return _file_reject(origin, "is an archive; expand it with flows.pull before parsing")
    return _file_reject(origin, f"unsupported file type: {name!r} (expected .jsonl, .ndjson, .json, .csv, .txt, .md, .html)")


def _sniff_json(data: bytes) -> tuple[str, bytes]:
    """Tell a Telegram export and a JSON array of articles from JSON Lines in a .json file.

    Only the first megabyte is looked at, so a large JSON Lines file is not decoded twice.
    """
    head = data[: 1 << 20]
    text, _ = decode_text(head if len(data) <= len(head) else head + b"\n")
    if text is None:
        # a multi-byte character cut at the boundary, or bad bytes: the line reader judges them
        return "jsonl", data
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json_array", data
    try:
        value = json.loads(stripped)
    except json.JSONDecodeError as e:
        # "Extra data" after the first line: JSON Lines (json stops at line 2). An error past
        # line 1 inside one value: a multi-line JSON document (a Telegram export), judged whole.
        if e.msg == "Extra data" or e.lineno == 1:
            return "jsonl", data
        return "telegram", data
    if isinstance(value, dict) and isinstance(value.get("messages"), list):
        return "telegram", data
    return "jsonl", data


def _parse_json_array(data: bytes, origin: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    text, problem = decode_text(data)
    if text is None:
        return _file_reject(origin, problem or "cannot decode")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as e:
        return _file_reject(origin, f"line {e.lineno}: {_json_error(e)}", _excerpt(text))
    if not isinstance(items, list):
        return _file_reject(origin, f"expected a JSON array of articles, got {_json_type(items)}", _excerpt(text))
    rejects: Rejects = []
    rows: list[dict[str, Any]] = []
    for no, item in enumerate(items, start=1):
        ex = _excerpt(json.dumps(item, ensure_ascii=False))
        row = _article_row(item)
        if isinstance(row, str):
            rejects.append((origin, no, row, ex))
            continue
        row.update(channel=None, record_no=no, _excerpt=ex)
        rows.append(row)
    return _finish(_raw_frame(rows), origin, rejects)


def _parse_truncated(
    data: bytes, name: str, origin: str, fmt: str, problem: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Keep the complete lines read before a gzip stream broke off; reject the rest."""
    if fmt not in ("jsonl", "csv"):
        return _file_reject(origin, f"{problem}: the file could not be read completely")
    cut = data.rfind(b"\n") + 1
    complete, partial = data[:cut], data[cut:]
    docs, rejects = _parse_as(fmt, complete, name, origin)
    next_line = complete.count(b"\n") + 1
    if partial:
        extra = (origin, next_line, f"{problem}: line {next_line} is incomplete and the rest of the file could not be read",
                 _excerpt(partial.decode("utf-8", "replace")))
    else:
        extra = (origin, None, f"{problem} after line {next_line - 1}: the rest of the file could not be read", "")
    return docs, pl.concat([rejects, _rejects_frame([extra])])


def concat_results(results: Iterable[tuple[pl.DataFrame, pl.DataFrame]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Stack many (documents, rejects) pairs."""
    docs, rejects = [empty(DOCUMENT_SCHEMA)], [empty(REJECT_SCHEMA)]
    for d, r in results:
        docs.append(d)
        rejects.append(r)
    return pl.concat(docs), pl.concat(rejects)
