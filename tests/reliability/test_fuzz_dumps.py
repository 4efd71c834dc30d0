"""Property-based fuzzing of the dump parsers: whatever the bytes, no parser raises, every record
is either a document or a reject, and every document has a non-empty string id and text."""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.pull import JsonLinesStream
from transforms.dumps import parse_csv, parse_dump, parse_jsonl, parse_telegram_export
from transforms.schema import DOCUMENT_SCHEMA, REJECT_SCHEMA

FUZZ = settings(max_examples=int(os.environ.get("DRONEWATCH_FUZZ_EXAMPLES", "200")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
# strings a scraper might really emit: quotes, backslashes, control characters, NUL, lone surrogates
nasty_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ["", " ", "\x00", "\ud800", "a\udfffb", "'); drop table documents; --", '"', "\\", "\r", "\u2028", "Ё\x00"])


def strip(s: str) -> str:
    """Whitespace stripped as the parsers strip it (Unicode White_Space, not Python's isspace)."""
    return pl.Series([s]).str.strip_chars()[0]


def check_frames(docs: pl.DataFrame, rejects: pl.DataFrame) -> None:
    """What every parser promises, whatever it was given."""
    assert dict(docs.schema) == DOCUMENT_SCHEMA
    assert dict(rejects.schema) == REJECT_SCHEMA
    for id_, text in docs.select("id", "text").iter_rows():
        assert isinstance(id_, str) and strip(id_) and "\x00" not in id_
        assert isinstance(text, str) and strip(text) and "\x00" not in text
        (id_ + text).encode("utf-8")  # storable: no lone surrogates
    assert docs["id"].n_unique() == docs.height
    assert rejects["reason"].str.len_chars().min() is None or rejects["reason"].str.len_chars().min() > 0
    assert rejects["origin"].null_count() == 0


@FUZZ
@given(data=st.binary(max_size=600),
       name=st.sampled_from(["a.jsonl", "a.csv", "result.json", "a.json", "a.txt", "a.html", "a.jsonl.gz", "blob"]))
def test_arbitrary_bytes_never_raise(data: bytes, name: str) -> None:
    check_frames(*parse_dump(data, name, name))


@FUZZ
@given(text=st.text(max_size=300), name=st.sampled_from(["a.jsonl", "a.csv", "a.json", "result.json", "a.html"]))
def test_arbitrary_text_never_raises(text: str, name: str) -> None:
    check_frames(*parse_dump(text.encode("utf-8", "surrogatepass"), name, name))


def article_line(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["good", "good", "fields", "garbage", "blank"]))
    if kind == "good":
        return json.dumps({"id": draw(st.integers(0, 5) | nasty_text), "text": draw(nasty_text | st.just("ok"))})
    if kind == "fields":
        fields = draw(st.dictionaries(st.sampled_from(["id", "text", "published", "url", "title", "source", "lang", "x"]),
                                      json_values | nasty_text, max_size=8))
        return json.dumps(fields, ensure_ascii=draw(st.booleans()))
    if kind == "garbage":
        return draw(st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=30))
    return draw(st.sampled_from(["", "  "]))


@st.composite
def jsonl_files(draw: st.DrawFn) -> list[str]:
    return [article_line(draw) for _ in range(draw(st.integers(0, 12)))]


def as_loaded(value: str) -> str:
    """A string as the parsers keep it: NULs dropped, lone surrogates replaced by U+FFFD."""
    return re.sub("[\ud800-\udfff]", "\ufffd", value.replace("\x00", ""))


@FUZZ
@given(lines=jsonl_files())
def test_every_jsonl_line_is_a_document_or_a_reject(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    docs, rejects = parse_jsonl(data, "f.jsonl")
    check_frames(docs, rejects)
    doc_lines = docs["record_no"].to_list()
    loaded_undated = rejects.filter(pl.col("reason").str.starts_with("published date '"))
    rejects = rejects.filter(~pl.col("reason").str.starts_with("published date '"))
    assert set(loaded_undated["record_no"].to_list()) <= set(doc_lines)  # a date note is of a loaded record
    reject_lines = [n for n in rejects["record_no"].to_list() if n is not None]
    assert not set(doc_lines) & set(reject_lines)
    assert len(reject_lines) == len(set(reject_lines))
    seen: dict[str, str] = {}
    for no, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            assert no not in doc_lines and no not in reject_lines
            continue
        if no in doc_lines:
            doc = docs.row(doc_lines.index(no), named=True)
            value = json.loads(line)  # a document must come from a JSON object on its own line
            assert (doc["id"], doc["text"]) == (strip(as_loaded(str(value["id"]))), as_loaded(value["text"]))
            seen[doc["id"]] = doc["text"]
        elif no not in reject_lines:
            # only an exact repeat of a document already read may vanish without a reject
            value = json.loads(line)
            assert isinstance(value, dict) and seen.get(strip(as_loaded(str(value["id"])))) == as_loaded(value["text"])


@FUZZ
@given(rows=st.lists(st.tuples(nasty_text, nasty_text, nasty_text), max_size=8))
def test_every_csv_row_is_a_document_or_a_reject(rows: list[tuple[str, str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # "\r\n" line ends: fields holding "\r" are quoted
    writer.writerow(["id", "text", "title"])
    starts = []
    for row in rows:
        starts.append(buffer.getvalue().count("\n") + 1)
        writer.writerow(row)
    docs, rejects = parse_csv(buffer.getvalue().encode("utf-8", "surrogatepass"), "f.csv")
    check_frames(docs, rejects)
    loaded = set(docs["record_no"].to_list())
    rejected = set(rejects["record_no"].to_list())
    assert loaded.isdisjoint(rejected)
    texts: dict[str, str] = {}
    for start, (id_, text, _) in zip(starts, rows):
        if start in loaded:
            texts[strip(as_loaded(id_))] = as_loaded(text)
        elif start not in rejected:  # only an exact repeat of a loaded row may vanish
            assert texts.get(strip(as_loaded(id_))) == as_loaded(text)


entity = (
    nasty_text
    | st.fixed_dictionaries({"type": st.text(max_size=12) | json_values}, optional={"text": json_values | nasty_text,
                                                                                    "href": json_values})
    | json_values
)
message = st.fixed_dictionaries(
    {"id": st.integers(0, 20) | json_values},
    optional={"type": st.sampled_from(["message", "service"]) | json_values,
              "text": nasty_text | st.lists(entity, max_size=5) | json_values,
              "date": st.text(max_size=25) | json_values,
              "date_unixtime": st.text(max_size=12) | st.integers() | json_values},
)


@FUZZ
@given(messages=st.lists(message | json_values, max_size=8), name=json_values | nasty_text)
def test_telegram_exports_with_any_entities(messages: list[Any], name: Any) -> None:
    export = json.dumps({"name": name, "type": "public_channel", "messages": messages})
    docs, rejects = parse_telegram_export(export.encode("utf-8", "surrogatepass"), "Chan/result.json")
    check_frames(docs, rejects)
    assert docs.height + rejects.height <= len(messages)
    assert set(docs["record_no"].to_list()).isdisjoint(rejects["record_no"].to_list())
    assert all(1 <= n <= len(messages) for n in docs["record_no"].to_list() + rejects["record_no"].to_list())


@FUZZ
@given(items=st.lists(st.dictionaries(st.sampled_from(["id", "text", "published", "title"]), json_values | nasty_text,
                                      max_size=4) | json_values, max_size=8))
def test_json_arrays_with_any_values(items: list[Any]) -> None:
    data = json.dumps(items).encode("utf-8", "surrogatepass")
    docs, rejects = parse_dump(data, "a.json", "a.json")
    check_frames(docs, rejects)
    if isinstance(items, list) and data.lstrip().startswith(b"["):
        rejected = rejects.filter(~pl.col("reason").str.starts_with("published date '"))  # those loaded too
        assert docs.height + rejected.height <= max(len(items), 1)


def _truncated_gzip(content: bytes, keep: float) -> bytes:
    packed = gzip.compress(content, mtime=0)
    return packed[: max(2, int(len(packed) * keep))]  # still starts with the gzip magic, as the reader requires


@FUZZ
@given(content=st.binary(max_size=400) | st.lists(st.binary(max_size=30).map(lambda b: b.replace(b"\n", b"")),
                                                 max_size=20).map(lambda ls: b"\n".join(ls)),
       gzipped=st.booleans(), block_bytes=st.integers(1, 80), keep=st.floats(0.0, 1.0))
def test_streamed_blocks_are_whole_lines_and_lose_nothing(content: bytes, gzipped: bool, block_bytes: int,
                                                          keep: float) -> None:
    """How the pipeline reads JSON Lines: block by block. Whatever the content and block size, the
    blocks are the content in order, cut only after a line end; a gzip stream cut anywhere hands out
    every complete line before the cut, keeps the broken one apart and says why."""
    raw = _truncated_gzip(content, keep) if gzipped and keep < 1 else (
        gzip.compress(content, mtime=0) if gzipped else content)
    stream = JsonLinesStream(io.BytesIO(raw), gzipped, block_bytes)
    blocks = list(stream.blocks())
    out = b"".join(block for block, _ in blocks)
    assert all(block.endswith(b"\n") for block, _ in blocks[:-1])
    line = 1
    for block, first in blocks:
        assert first == line
        line += block.count(b"\n")
    if stream.problem is None:
        assert out == content and stream.tail == b""
        assert stream.blank == (not content.removeprefix(b"\xef\xbb\xbf").strip())
    else:
        assert gzipped and stream.problem.startswith(("gzip data truncated", "corrupt gzip data"))
        assert content.startswith(out + stream.tail)
        assert out == b"" or out.endswith(b"\n")
        assert b"\n" not in stream.tail
    assert stream.offset == len(out) and stream.lines == out.count(b"\n") + (0 if out.endswith(b"\n") or not out else 1)


@FUZZ
@given(content=st.binary(max_size=300), gzipped=st.booleans(), read_size=st.integers(1, 40),
       skipped=st.integers(0, 320), block_bytes=st.integers(1, 80))
def test_a_resumed_stream_hashes_what_it_skips_and_hands_out_the_rest(
        content: bytes, gzipped: bool, read_size: int, skipped: int, block_bytes: int) -> None:
    """How a grown dump resumes: skipping what was read before gives the sha256 of exactly those
    bytes (None when the content is shorter), and the blocks after it are the rest, whatever the
    sizes the file is read in."""
    import hashlib
    from unittest import mock

    raw = gzip.compress(content, mtime=0) if gzipped else content
    with mock.patch("flows.pull._OUT", read_size), mock.patch("flows.pull._CHUNK", read_size):
        stream = JsonLinesStream(io.BytesIO(raw), gzipped, block_bytes)
        fingerprint = stream.skip(skipped, 0)
        if skipped > len(content):
            assert fingerprint is None
            return
        assert fingerprint == hashlib.sha256(content[:skipped]).hexdigest()
        rest = b"".join(block for block, _ in stream.blocks())
    assert rest == content[skipped:]
    assert stream.fingerprint == hashlib.sha256(content).hexdigest()
