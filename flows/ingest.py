"""Loading one source into the warehouse: read what is new since its cursor, extract, write.

JSON Lines dumps (plain or gzip, local or downloaded) are read in blocks of whole lines, so a dump
of any size costs one block of memory; every other file is read whole. Each block (or whole file)
is written in one transaction together with its source cursor: documents, claims, places,
rejects and "read up to here" commit together or not at all. A run killed at any point leaves the
warehouse as some block left it, and the next run resumes right after that block.

What a run reads, per file, URL or archive member (`flows/cursors.py`):
- a file with the size and mtime it had when it was read to its end: nothing (one stat);
- a JSON Lines dump that grew with its old content unchanged (the sha256 of the prefix read
  before still matches): only what follows that prefix;
- a URL that answers 304 to the ETag / Last-Modified of its last response: nothing;
- a Telegram export that changed: the messages after the last message id loaded;
- anything else that changed: all of it again; document ids keep that from adding anything.
"""
from __future__ import annotations

import hashlib
import io
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from flows.cursors import Cursor, get_cursor, put_cursor
from flows.pull import (
    BLOCK_BYTES,
    HEAD_BYTES,
    DumpFile,
    FetchError,
    JsonLinesStream,
    expand_archive,
    expand_source,
    fetch,
    is_url,
    jsonl_stream_kind,
    url_name,
)
from transforms.dumps import parse_dump, parse_jsonl
from transforms.extract import detect_languages, extract_claims
from transforms.schema import CLAIM_PLACE_SCHEMA, CLAIM_SCHEMA, DOCUMENT_SCHEMA, REJECT_SCHEMA, empty
from warehouse import db

# Tests stop a run here: after this many blocks have committed, the loader says so on stderr and
# sleeps, so a test can kill it at a known point.
PAUSE_AFTER_BLOCK_ENV = "DRONEWATCH_TEST_PAUSE_AFTER_BLOCK"

Extraction = tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[str]]
Extractor = Callable[[pl.DataFrame], Extraction]


@dataclass
class IngestStats:
    """What one run did with its sources."""

    files_read: int = 0
    files_unchanged: int = 0
    documents_read: int = 0
    documents_new: int = 0
    rejected: int = 0
    rejected_new: int = 0
    claims_new: int = 0
    sources: list[str] = field(default_factory=list)

    @property
    def added_anything(self) -> bool:
        """Whether the run stored a new document, reject or claim."""
        return bool(self.documents_new or self.rejected_new or self.claims_new)

    def add(self, other: IngestStats) -> None:
        for name in ("files_read", "files_unchanged", "documents_read", "documents_new", "rejected",
                     "rejected_new", "claims_new"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.sources.extend(other.sources)


def reject_ids(rejects: pl.DataFrame) -> pl.DataFrame:
    """Give each reject a stable id (origin, record number, reason), so re-reading adds nothing."""
    key = pl.concat_str(
        [pl.col("origin"), pl.col("record_no").cast(pl.String).fill_null(""), pl.col("reason")],
        separator="\x1f",
    )
    return rejects.with_columns(
        reject_id=key.map_elements(lambda k: hashlib.sha1(k.encode()).hexdigest()[:16], return_dtype=pl.String)
    )


def split_known(con: duckdb.DuckDBPyConnection, documents: pl.DataFrame,
                unwritten: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split documents into (new, conflicting): ids already stored with the same text are dropped,
    ids stored with a different text are conflicts (the first version wins; the later is rejected).
    `unwritten` (id, content_hash) are documents about to be stored: they count as stored."""
    con.register("_incoming_ids", documents.select("id", "content_hash"))
    try:
        known = db.query(
            con, "select i.id, d.content_hash as stored_hash from _incoming_ids i join documents d on d.id = i.id"
        )
    finally:
        con.unregister("_incoming_ids")
    if unwritten is not None and unwritten.height:
        pending = unwritten.select("id", stored_hash="content_hash").join(documents.select("id"), on="id", how="semi")
        known = pl.concat([known, pending.filter(~pl.col("id").is_in(known["id"].implode()))])
    if known.is_empty():
        return documents, documents.clear()
    joined = documents.join(known, on="id", how="left")
    new = joined.filter(pl.col("stored_hash").is_null()).drop("stored_hash")
    conflicting = joined.filter(
        pl.col("stored_hash").is_not_null() & (pl.col("stored_hash") != pl.col("content_hash"))
    ).drop("stored_hash")
    return new, conflicting


def conflict_rejects(conflicting: pl.DataFrame) -> pl.DataFrame:
    return conflicting.select(
        "origin",
        "record_no",
        reason=pl.format("document id '{}' was loaded before with a different text; the first version is kept", "id"),
        excerpt=pl.col("text").str.slice(0, 200),
    ).cast(REJECT_SCHEMA)


def extract_or_quarantine(documents: pl.DataFrame) -> Extraction:
    """Extract claims; if the batch fails, retry document by document and quarantine only the ones
    that fail. Returns (claims, claim places, rejects, ids of the quarantined documents)."""
    try:
        claims, places = extract_claims(documents)
        return claims, places, pl.DataFrame(schema=REJECT_SCHEMA), []
    except Exception:  # noqa: BLE001 - one unreadable document must not cost the batch
        pass
    claim_parts, place_parts, rejects, failed_ids = [], [], [], []
    for row in documents.iter_slices(1):
        try:
            claims, places = extract_claims(row)
            claim_parts.append(claims)
            place_parts.append(places)
        except Exception as error:  # noqa: BLE001
            failed_ids.append(row["id"][0])
            rejects.append({
                "origin": row["origin"][0], "record_no": row["record_no"][0],
                "reason": f"document '{row['id'][0]}': claim extraction failed ({type(error).__name__}: {error})",
                "excerpt": (row["text"][0] or "")[:200],
            })
    return (
        pl.concat(claim_parts) if claim_parts else pl.DataFrame(schema=CLAIM_SCHEMA),
        pl.concat(place_parts) if place_parts else pl.DataFrame(schema=CLAIM_PLACE_SCHEMA),
        pl.DataFrame(rejects, schema=REJECT_SCHEMA),
        failed_ids,
    )


@dataclass
class Loader:
    """What loading needs besides the data: the warehouse, the run, how to extract and pull."""

    con: duckdb.DuckDBPyConnection
    run_id: str
    extract: Extractor = extract_or_quarantine
    block_bytes: int = BLOCK_BYTES
    pull_options: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- writing


@dataclass
class PreparedBlock:
    """Parsed documents and rejects made ready to write: the new documents (with language and
    content hash), the conflicting ones, and their extraction, started."""

    documents_read: int
    new: pl.DataFrame
    conflicting: pl.DataFrame
    rejects: pl.DataFrame
    extraction: Callable[[], Extraction] = lambda: _nothing_extracted()


def load_documents(loader: Loader, documents: pl.DataFrame, rejects: pl.DataFrame,
                   cursor: Cursor | None = None) -> IngestStats:
    """Extract and write parsed documents and rejects in one transaction, with the cursor that
    says they have been read; return what they added."""
    return write_block(loader, prepare_block(loader, documents, rejects), cursor)


def prepare_block(loader: Loader, documents: pl.DataFrame, rejects: pl.DataFrame,
                  unwritten: pl.DataFrame | None = None) -> PreparedBlock:
    """Everything before writing: languages, content hashes, which documents are new, and their
    extraction started (on worker processes it goes on while the caller does). Writes nothing;
    `unwritten` are the new documents of a block prepared before and not written yet."""
    block = PreparedBlock(documents.height, documents, documents, rejects)
    if documents.height:
        documents = detect_languages(documents).with_columns(
            content_hash=pl.col("text").map_elements(db.content_hash, return_dtype=pl.String)
        )
        new, block.conflicting = split_known(loader.con, documents, unwritten)
        block.new = new.unique(subset="id", keep="first", maintain_order=True)
        if block.new.height:
            block.extraction = start_extraction(loader.extract, block.new)
    return block


def write_block(loader: Loader, block: PreparedBlock, cursor: Cursor | None = None) -> IngestStats:
    """Write a prepared block in one transaction with its cursor: its new documents, its claims
    once extracted (a document whose extraction failed goes to `rejected` instead), its rejects."""
    con, run_id, new = loader.con, loader.run_id, block.new
    stats = IngestStats(documents_read=block.documents_read)
    with db.transaction(con):
        if new.height:
            # written while worker processes (if any) extract: the claims join them before the commit
            stats.documents_new = db.insert_new(con, "documents", new.with_columns(first_run_id=pl.lit(run_id)))
        claims, places, failed, failed_ids = block.extraction()
        if failed_ids:  # quarantined: the document goes to `rejected`, not to `documents`
            deleted = db.run(con, "delete from documents where id in (select unnest(?::varchar[])) and first_run_id = ?",
                             [failed_ids, run_id])
            stats.documents_new -= deleted[0][0] if deleted else 0
        if claims.height:
            stats.claims_new = db.insert_new(con, "extracted_claims", claims.with_columns(run_id=pl.lit(run_id)))
            db.insert_new(con, "claim_places", places.unique(subset=["claim_id", "name"], keep="first"))
        all_rejects = reject_ids(pl.concat([block.rejects.cast(REJECT_SCHEMA), conflict_rejects(block.conflicting),
                                            failed]))
        stats.rejected = all_rejects.height
        stats.rejected_new = db.insert_new(con, "rejected", all_rejects.with_columns(first_run_id=pl.lit(run_id)))
        if cursor is not None:
            put_cursor(con, cursor, run_id)
    return stats


def start_extraction(extract: Extractor, documents: pl.DataFrame) -> Callable[[], Extraction]:
    """Start extracting `documents`; the returned call waits for the result. An extractor with a
    `submit` method (worker processes, `flows.partitions`) works while the caller goes on; any
    other extracts here and now."""
    submit = getattr(extract, "submit", None)
    if submit is not None:
        return submit(documents)
    result = extract(documents)
    return lambda: result


def _nothing_extracted() -> Extraction:
    return pl.DataFrame(schema=CLAIM_SCHEMA), pl.DataFrame(schema=CLAIM_PLACE_SCHEMA), empty(REJECT_SCHEMA), []


def load_failed(loader: Loader, origin: str, problem: str, cursor: Cursor | None = None) -> IngestStats:
    """A file that could not be read: one reject with its origin and no record number."""
    reject = pl.DataFrame([(origin, None, problem, "")], schema=REJECT_SCHEMA, orient="row")
    stats = load_documents(loader, empty(DOCUMENT_SCHEMA), reject, cursor)
    stats.files_read = 1
    return stats


_blocks_committed = 0


def _block_committed() -> None:
    global _blocks_committed
    _blocks_committed += 1
    pause_after = os.environ.get(PAUSE_AFTER_BLOCK_ENV)
    if pause_after and _blocks_committed == int(pause_after):
        # straight to the process's stderr: Prefect's log_prints would turn a print into a log record
        sys.__stderr__.write(f"dronewatch: paused after block {_blocks_committed} ({PAUSE_AFTER_BLOCK_ENV})\n")
        sys.__stderr__.flush()
        time.sleep(600)


# --------------------------------------------------------------------------- reading


def ingest_source(con: duckdb.DuckDBPyConnection, source: str, run_id: str, *,
                  extract: Extractor = extract_or_quarantine, block_bytes: int = BLOCK_BYTES,
                  **pull_options: Any) -> IngestStats:
    """Load what is new in every file of one source (file, folder, glob, URL, archive).

    ``pull_options`` go to `flows.pull.fetch` (http_timeout, max_bytes, retries, backoff).
    Raises SourceNotFound when the source names nothing.
    """
    loader = Loader(con, run_id, extract, block_bytes, pull_options)
    stats = IngestStats(sources=[source])
    for item in expand_source(source):
        stats.add(ingest_url(loader, item) if is_url(item) else ingest_file(loader, item))
    return stats


def ingest_file(loader: Loader, path: str) -> IngestStats:
    """One local file: nothing when unchanged since it was read to its end, else what is new."""
    name = os.path.basename(path)
    try:
        st = os.stat(path)
        previous = get_cursor(loader.con, path)
        if previous is not None and previous.unchanged_file(st.st_size, st.st_mtime_ns):
            return IngestStats(files_unchanged=1)
        base = Cursor(path, "file", complete=False, size_bytes=st.st_size, mtime_ns=st.st_mtime_ns)
        with open(path, "rb") as handle:
            kind = jsonl_stream_kind(name, handle.read(HEAD_BYTES))
        if kind is not None:
            def open_stream() -> JsonLinesStream:
                return JsonLinesStream(open(path, "rb"), kind == "gzip", loader.block_bytes)  # noqa: SIM115
            return ingest_stream(loader, path, open_stream, previous, base)
        data = Path(path).read_bytes()  # other formats are read whole
    except OSError as e:
        return load_failed(loader, path, f"cannot read file: {e.strerror or e}")
    return ingest_whole(loader, path, name, data, previous, replace(base, complete=True))


def ingest_url(loader: Loader, url: str) -> IngestStats:
    """One URL: a conditional GET with the validators of its last response; a 304 costs nothing."""
    previous = get_cursor(loader.con, url)
    validators = {}
    if previous is not None and previous.complete:
        validators = {"etag": previous.etag, "last_modified": previous.last_modified}
    options = loader.pull_options
    try:
        got = fetch(url, timeout=options.get("http_timeout", 30), max_bytes=options.get("max_bytes", 512 * 2**20),
                    retries=options.get("retries", 3), backoff=options.get("backoff", 0.5), **validators)
    except FetchError as e:
        return load_failed(loader, url, str(e))
    if got.not_modified:
        return IngestStats(files_unchanged=1)
    name = url_name(url)
    base = Cursor(url, "url", complete=False, size_bytes=len(got.data), etag=got.etag,
                  last_modified=got.last_modified)
    kind = jsonl_stream_kind(name, got.data[:HEAD_BYTES])
    if kind is not None:
        def open_stream() -> JsonLinesStream:
            return JsonLinesStream(io.BytesIO(got.data), kind == "gzip", loader.block_bytes)
        return ingest_stream(loader, url, open_stream, previous, base)
    return ingest_whole(loader, url, name, got.data, previous, replace(base, complete=True))


def ingest_stream(loader: Loader, origin: str, open_stream: Callable[[], JsonLinesStream],
                  previous: Cursor | None, base: Cursor) -> IngestStats:
    """A JSON Lines dump block by block, from where its cursor stopped if what was read then is
    still its beginning; each block commits with the cursor just past it."""
    stats = IngestStats(files_read=1)
    stream = open_stream()
    try:
        if previous is not None and previous.bytes_read and previous.fingerprint:
            if stream.skip(previous.bytes_read, previous.lines_read or 0) != previous.fingerprint:
                stream.close()  # not what was read before: read it all again
                stream = open_stream()
        resumed_at = stream.offset
        # one block behind: block n is written (and waits for its claims) only once block n + 1 is
        # parsed and its extraction started, so worker processes never wait for the parser
        pending: tuple[PreparedBlock, Cursor] | None = None
        for raw, first_line in stream.blocks():
            documents, rejects = parse_jsonl(raw, origin, first_line=first_line)
            raw_bytes = len(raw)
            del raw
            cursor = replace(base, fingerprint=stream.fingerprint, bytes_read=stream.offset, lines_read=stream.lines)
            block = prepare_block(loader, documents, rejects, unwritten=pending[0].new if pending else None)
            _expect_more(loader.extract, documents.height, raw_bytes, (base.size_bytes or 0) - stream.offset)
            del documents, rejects
            if pending is not None:
                stats.add(write_block(loader, *pending))
                _block_committed()
            pending = (block, cursor)
        if pending is not None:
            stats.add(write_block(loader, *pending))
            _block_committed()
        end = replace(base, complete=True, fingerprint=stream.fingerprint, bytes_read=stream.offset,
                      lines_read=stream.lines)
        stats.add(load_documents(loader, empty(DOCUMENT_SCHEMA), _broken_stream_rejects(origin, stream), end))
    finally:
        stream.close()
    if 0 < resumed_at == stream.offset and stream.problem is None:
        return IngestStats(files_unchanged=1)
    return stats


def _expect_more(extract: Extractor, documents: int, block_bytes: int, bytes_left: int) -> None:
    """Tell an extractor that can start workers ahead (`expect`) about how many documents the rest
    of the file holds, at this block's documents per byte (a gzipped file's bytes left are
    compressed: it is underestimated, and workers start when the run reaches them)."""
    expect = getattr(extract, "expect", None)
    if expect is not None and bytes_left > 0 and block_bytes > 0:
        expect(documents * bytes_left // block_bytes)


def _broken_stream_rejects(origin: str, stream: JsonLinesStream) -> pl.DataFrame:
    """The reject for an empty dump or a gzip stream that broke off (as transforms.dumps words
    them for whole files)."""
    if stream.problem is None:
        if stream.blank:
            return pl.DataFrame([(origin, None, "the file is empty", "")], schema=REJECT_SCHEMA, orient="row")
        return empty(REJECT_SCHEMA)
    next_line = stream.lines + 1
    if stream.tail:
        row = (origin, next_line,
               f"{stream.problem}: line {next_line} is incomplete and the rest of the file could not be read",
               stream.tail[:800].decode("utf-8", "replace")[:200])
    else:
        row = (origin, None, f"{stream.problem} after line {next_line - 1}: the rest of the file could not be read", "")
    return pl.DataFrame([row], schema=REJECT_SCHEMA, orient="row")


def ingest_whole(loader: Loader, origin: str, name: str, data: bytes, previous: Cursor | None,
                 cursor: Cursor) -> IngestStats:
    """A file read whole: skipped when its bytes are those read before; an archive member by
    member, each with its own cursor, and the archive's cursor once all are in."""
    fingerprint = hashlib.sha256(data).hexdigest()
    cursor = replace(cursor, fingerprint=fingerprint, bytes_read=len(data))
    if previous is not None and previous.complete and previous.fingerprint == fingerprint:
        with db.transaction(loader.con):  # touched, not changed: remember the new mtime or ETag
            put_cursor(loader.con, replace(cursor, last_message_id=previous.last_message_id), loader.run_id)
        return IngestStats(files_unchanged=1)
    stats = IngestStats()
    for file in expand_archive(origin, name, data, max_bytes=loader.pull_options.get("max_bytes", 512 * 2**20)):
        if file.origin == origin:  # not an archive: the file itself
            if file.problem is not None:
                return load_failed(loader, origin, file.problem, cursor)
            return load_dump_file(loader, file, cursor, previous)
        if file.problem is not None:
            stats.add(load_failed(loader, file.origin, file.problem))
            continue
        member_previous = get_cursor(loader.con, file.origin)
        if member_previous is not None and member_previous.complete and member_previous.fingerprint == file.fingerprint:
            stats.files_unchanged += 1
            continue
        member = Cursor(file.origin, "member", complete=True, fingerprint=file.fingerprint, bytes_read=len(file.data))
        stats.add(load_dump_file(loader, file, member, member_previous))
    with db.transaction(loader.con):
        put_cursor(loader.con, cursor, loader.run_id)
    return stats


def load_dump_file(loader: Loader, file: DumpFile, cursor: Cursor, previous: Cursor | None) -> IngestStats:
    """Parse one whole file and load it with its cursor (a Telegram export: its new messages)."""
    documents, rejects = parse_dump(file.data, file.name, file.origin)
    documents, cursor = _new_messages(documents, cursor, previous)
    stats = load_documents(loader, documents, rejects, cursor)
    stats.files_read = 1
    return stats


def _new_messages(documents: pl.DataFrame, cursor: Cursor, previous: Cursor | None) -> tuple[pl.DataFrame, Cursor]:
    """Keep the messages of a Telegram export after the last message id loaded from it."""
    if documents.is_empty() or documents["channel"].is_null().all():
        return documents, cursor
    message_id = pl.col("id").str.extract(r"/(-?\d+)$").cast(pl.Int64)
    last = documents.select(message_id.max()).item()
    before = previous.last_message_id if previous is not None else None
    if before is not None:
        documents = documents.filter(message_id.is_null() | (message_id > before))
        last = before if last is None else max(last, before)
    return documents, replace(cursor, last_message_id=last)
