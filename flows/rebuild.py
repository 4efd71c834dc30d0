"""Replaying stored documents through the current extraction (`dronewatch rebuild`), so an improved
extractor updates history. Claim ids are content-derived: a claim the new extraction finds again
keeps its id and its row; only added, removed and changed claims are written."""
from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from flows.ingest import Extractor
from transforms.schema import CLAIM_SCHEMA
from warehouse import db

COMPARED = [c for c in CLAIM_SCHEMA if c != "claim_id"]
_DOCUMENT_COLUMNS = "id, text, published_at, url, title, source, lang, channel, origin, record_no"


@dataclass
class RebuildStats:
    """What replaying the stored documents changed."""

    documents: int = 0
    quarantined: int = 0  # documents whose extraction failed; their claims were left as they were
    claims_added: int = 0
    claims_removed: int = 0
    claims_changed: int = 0  # same id, other values (e.g. a town now resolved)
    claims_unchanged: int = 0


def diff_claims(old: pl.DataFrame, new: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, int]:
    """(added, changed, removed ids, unchanged count) between the stored and the new claims of the
    same documents; `added` and `changed` hold the new rows."""
    old, new = old.select(CLAIM_SCHEMA.keys()).cast(CLAIM_SCHEMA), new.select(CLAIM_SCHEMA.keys()).cast(CLAIM_SCHEMA)
    both = old.join(new, on="claim_id", how="inner", suffix="_new")
    same = pl.all_horizontal([pl.col(c).eq_missing(pl.col(f"{c}_new")) for c in COMPARED]) if both.height else None
    changed_ids = both.filter(~same)["claim_id"] if same is not None else pl.Series([], dtype=pl.String)
    unchanged = both.height - changed_ids.len()
    added = new.filter(~pl.col("claim_id").is_in(old["claim_id"].implode()))
    changed = new.filter(pl.col("claim_id").is_in(changed_ids.implode()))
    removed = old.filter(~pl.col("claim_id").is_in(new["claim_id"].implode())).select("claim_id")
    return added, changed, removed, unchanged


def rebuild_claims(con: duckdb.DuckDBPyConnection, run_id: str, extract: Extractor,
                   batch_documents: int = 20_000) -> RebuildStats:
    """Re-extract every stored document, batch by batch (each batch one transaction), and replace
    each document's claims and claim places by what the current extraction finds."""
    stats = RebuildStats()
    after = ""
    while True:
        batch = db.query(con, f"select {_DOCUMENT_COLUMNS} from documents where id > ? order by id limit ?",
                         [after, batch_documents])
        if batch.is_empty():
            return stats
        after = batch["id"][-1]
        stats.documents += batch.height
        claims, places, _, failed_ids = extract(batch)
        stats.quarantined += len(failed_ids)
        replayed = batch.filter(~pl.col("id").is_in(failed_ids)).select("id")
        claims = claims.unique(subset="claim_id", keep="first", maintain_order=True)
        con.register("_replayed", replayed)
        try:
            old = db.query(con, f"select {', '.join(CLAIM_SCHEMA)} from extracted_claims "
                                "where document_id in (select id from _replayed)")
            added, changed, removed, unchanged = diff_claims(old, claims)
            with db.transaction(con):
                db.run(con, "delete from claim_places where claim_id in (select claim_id from extracted_claims "
                            "where document_id in (select id from _replayed))")
                stale = pl.concat([removed, changed.select("claim_id")])
                if stale.height:
                    con.register("_stale", stale)
                    db.run(con, "delete from extracted_claims where claim_id in (select claim_id from _stale)")
                    con.unregister("_stale")
                db.insert_new(con, "extracted_claims", pl.concat([added, changed]).with_columns(run_id=pl.lit(run_id)))
                db.insert_new(con, "claim_places", places.unique(subset=["claim_id", "name"], keep="first"))
        finally:
            con.unregister("_replayed")
        stats.claims_added += added.height
        stats.claims_changed += changed.height
        stats.claims_removed += removed.height
        stats.claims_unchanged += unchanged
