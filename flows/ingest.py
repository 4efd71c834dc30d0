"""Loading one source into the warehouse: read its files, keep what is new, extract, write.

Each dump file is written in one transaction (documents, claims, places, rejects and the file's
fingerprint together), so a run killed half-way leaves whole files loaded or not at all, and the
next run picks up the rest.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import duckdb
import polars as pl

from flows.pull import DumpFile, read_source
from transforms.extract import detect_languages, extract_claims
from transforms.schema import CLAIM_PLACE_SCHEMA, CLAIM_SCHEMA, REJECT_SCHEMA
from warehouse import db


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


def split_known(con: duckdb.DuckDBPyConnection, documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split documents into (new, conflicting): ids already stored with the same text are dropped,
    ids stored with a different text are conflicts (the first version wins; the later is rejected)."""
    con.register("_incoming_ids", documents.select("id", "content_hash"))
    try:
        known = db.query(
            con, "select i.id, d.content_hash as stored_hash from _incoming_ids i join documents d on d.id = i.id"
        )
    finally:
        con.unregister("_incoming_ids")
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


def extract_or_quarantine(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[str]]:
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


def load_file(con: duckdb.DuckDBPyConnection, file: DumpFile, documents: pl.DataFrame,
              rejects: pl.DataFrame, run_id: str) -> IngestStats:
    """Write one parsed dump file in one transaction; return what it added."""
    stats = IngestStats(files_read=1, documents_read=documents.height)
    documents = detect_languages(documents).with_columns(
        content_hash=pl.col("text").map_elements(db.content_hash, return_dtype=pl.String)
    )
    new, conflicting = split_known(con, documents)
    new = new.unique(subset="id", keep="first", maintain_order=True)
    claims, places, failed, failed_ids = extract_or_quarantine(new)
    new = new.filter(~pl.col("id").is_in(failed_ids))
    all_rejects = reject_ids(pl.concat([rejects.cast(REJECT_SCHEMA), conflict_rejects(conflicting), failed]))
    stats.rejected = all_rejects.height

    with db.transaction(con):
        stats.documents_new = db.insert_new(con, "documents", new.with_columns(first_run_id=pl.lit(run_id)))
        stats.claims_new = db.insert_new(con, "extracted_claims", claims.with_columns(run_id=pl.lit(run_id)))
        db.insert_new(con, "claim_places", places.unique(subset=["claim_id", "name"], keep="first"))
        stats.rejected_new = db.insert_new(con, "rejected", all_rejects.with_columns(first_run_id=pl.lit(run_id)))
        if file.data:
            db.run(con, "insert into pulled_files values (?, ?, ?, ?, ?, ?) on conflict do nothing",
                   [file.origin, file.fingerprint, len(file.data), documents.height, rejects.height, run_id])
    return stats


def already_pulled(con: duckdb.DuckDBPyConnection, file: DumpFile) -> bool:
    return db.run(con, "select count(*) from pulled_files where origin = ? and fingerprint = ?",
                  [file.origin, file.fingerprint])[0][0] > 0


def ingest_source(con: duckdb.DuckDBPyConnection, source: str, run_id: str, **pull_options) -> IngestStats:
    """Load every file of one source (file, folder, glob, URL, archive); unchanged files are skipped."""
    stats = IngestStats(sources=[source])
    for file, documents, rejects in read_source(source, **pull_options):
        if file.data and already_pulled(con, file):
            stats.files_unchanged += 1
            continue
        stats.add(load_file(con, file, documents, rejects, run_id))
    return stats
