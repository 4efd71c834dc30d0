"""Tiny hand-written warehouses for the data-quality tests: an in-memory DuckDB migrated by
`warehouse.db.connect()`, filled with the rows a test names and nothing else."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import duckdb
import polars as pl

from transforms.schema import CLAIM_PLACE_SCHEMA, CLAIM_SCHEMA, UTC_TS
from warehouse import db

RUN = "run-1"

CLAIMS_VIEW_SCHEMA = {
    "source": pl.String,
    "published_at": UTC_TS,
    **{c: t for c, t in CLAIM_SCHEMA.items() if c != "claim_no"},
}

REGIONS = pl.DataFrame(
    {
        "code": ["RU-KLU", "RU-BRY", "RU-KRS", "RU-MOW", "RU-MOS", "SEA-BLACK"],
        "country": ["RU"] * 5 + ["--"],
        "kind": ["oblast", "oblast", "oblast", "city", "oblast", "water"],
        "name_en": ["Kaluga Oblast", "Bryansk Oblast", "Kursk Oblast", "Moscow", "Moscow Oblast", "Black Sea"],
        "name_ru": [None] * 6,
        "name_uk": [None] * 6,
    }
)


def ts(text: str) -> datetime:
    """A UTC timestamp from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def claim(claim_id: str, count: int | None, **fields: Any) -> dict[str, Any]:
    """A claims-view row: 'intercepted' drones by the defence ministry in doc1 unless told otherwise."""
    row: dict[str, Any] = {c: None for c in CLAIMS_VIEW_SCHEMA}
    row.update(
        claim_id=claim_id, document_id="doc1", source="mil", published_at=ts("2026-11-20 07:00"),
        speaker="Ministry of Defence", speaker_role="defence_ministry", outcome="intercepted", count=count,
        count_qualifier="exact", is_total=False, is_cumulative=False, weapon="drone",
        quote=f"quote of {claim_id}", span_start=0, span_end=10,
    )
    row.update(fields)
    return row


def place(claim_id: str, name: str, resolved: bool, **fields: Any) -> dict[str, Any]:
    """A claim_places row, in RU-KLU unless told otherwise."""
    row = {"claim_id": claim_id, "name": name, "locality_id": 1 if resolved else None,
           "region_code": "RU-KLU", "resolved": resolved}
    row.update(fields)
    return row


def document(doc_id: str, text: str = "no numbers here", **fields: Any) -> dict[str, Any]:
    """A documents row read by run-1."""
    row = {"id": doc_id, "source": None, "published_at": None, "url": None, "title": None, "lang": "en",
           "channel": None, "text": text, "content_hash": db.content_hash(text), "origin": f"{doc_id}.txt",
           "record_no": None, "first_run_id": RUN}
    row.update(fields)
    return row


def run_row(run_id: str, started_at: datetime, **fields: Any) -> dict[str, Any]:
    """A runs row."""
    return {"run_id": run_id, "started_at": started_at, "status": "completed", **fields}


def reject(origin: str, record_no: int | None, reason: str, run_id: str = RUN) -> dict[str, Any]:
    """A rejected row."""
    return {"reject_id": f"{origin}:{record_no}:{reason}", "origin": origin, "record_no": record_no,
            "reason": reason, "excerpt": reason[:20], "first_run_id": run_id}


def warehouse(
    claims: Iterable[dict[str, Any]] = (),
    places: Iterable[dict[str, Any]] = (),
    *,
    documents: Iterable[dict[str, Any]] = (),
    rejected: Iterable[dict[str, Any]] = (),
    runs: Iterable[dict[str, Any]] = (),
) -> duckdb.DuckDBPyConnection:
    """A migrated in-memory warehouse holding these rows.

    Each claim's document is made from its document_id, source and published_at unless `documents`
    gives it explicitly (the claims view reads source and publication time from the document).
    """
    con = db.connect()
    claims = list(claims)
    docs = {d["id"]: d for d in documents}
    for row in claims:
        docs.setdefault(row["document_id"], document(
            row["document_id"], text=f"text of {row['document_id']}", source=row["source"],
            published_at=row["published_at"]))
    extracted = [
        {**{k: v for k, v in row.items() if k not in ("source", "published_at")}, "claim_no": n, "run_id": RUN}
        for n, row in enumerate(claims)
    ]
    tables = {
        "regions": REGIONS,
        "documents": pl.DataFrame(list(docs.values()), schema_overrides={"published_at": UTC_TS, "record_no": pl.Int64}),
        "extracted_claims": pl.DataFrame(extracted, schema={**CLAIM_SCHEMA, "run_id": pl.String}),
        "claim_places": pl.DataFrame(list(places), schema=CLAIM_PLACE_SCHEMA),
        "rejected": pl.DataFrame(list(rejected)),
        "runs": pl.DataFrame(list(runs)),
    }
    for table, frame in tables.items():
        db.insert_new(con, table, frame)
    return con
