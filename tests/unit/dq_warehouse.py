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


def add_claims(con: duckdb.DuckDBPyConnection, run_id: str, claims: Iterable[dict[str, Any]]) -> None:
    """Claims a later run `run_id` extracted, with their documents made as `warehouse` makes them."""
    claims = list(claims)
    docs = {row["document_id"]: document(row["document_id"], text=f"text of {row['document_id']}",
                                         source=row["source"], published_at=row["published_at"],
                                         first_run_id=run_id) for row in claims}
    db.insert_new(con, "documents", pl.DataFrame(list(docs.values()),
                                                 schema_overrides={"published_at": UTC_TS, "record_no": pl.Int64}))
    extracted = [{**{k: v for k, v in row.items() if k not in ("source", "published_at")}, "claim_no": n,
                  "run_id": run_id} for n, row in enumerate(claims)]
    db.insert_new(con, "extracted_claims", pl.DataFrame(extracted, schema={**CLAIM_SCHEMA, "run_id": pl.String}))


# --- a warehouse whose dumps attack the report ----------------------------------------------------

SCRIPT_PAYLOAD = "<script>window.__pwned=1;document.title='PWNED'</script>"
IMG_PAYLOAD = "<img src=x onerror=\"window.__pwned=2;document.body.setAttribute('data-pwned','img')\">"
LINK_PAYLOAD = "javascript:window.__pwned=3"


def store_findings(con: duckdb.DuckDBPyConnection, run_id: str = RUN) -> pl.DataFrame:
    """Run the SQL checks (not GX) and store their findings as `run_id`'s; return them."""
    from expectations.checks import findings_from_checks, run_check_queries, with_finding_ids

    findings = with_finding_ids(findings_from_checks(run_check_queries(con)))
    store_as(con, run_id, findings)
    return findings


def store_as(con: duckdb.DuckDBPyConnection, run_id: str, findings: pl.DataFrame, **carry: Any) -> tuple[dict, dict]:
    """Store `findings` (DQ_FINDING_SCHEMA) as the findings of `run_id`, a completed run started
    after every run already in `runs`; returns what `store_findings` does."""
    from expectations.checks import store_findings as store

    con.execute("""insert into runs (run_id, started_at, status)
                   select ?, now(), 'completed' where not exists (select 1 from runs where run_id = ?)""",
                [run_id, run_id])
    con.execute("update runs set run_no = (select coalesce(max(run_no), 0) + 1 from runs) "
                "where run_id = ? and run_no is null", [run_id])
    return store(con, run_id, findings, **carry)


def hostile_warehouse() -> duckdb.DuckDBPyConnection:
    """A run with a disagreement, a short breakdown, a rejected record and a recall alarm, whose
    ids, quotes, speakers, titles, URLs and excerpts carry script and markup."""
    night = {"window_start": ts("2026-11-19 20:00"), "window_end": ts("2026-11-20 04:00")}
    early = {"window_start": ts("2026-11-19 22:00"), "window_end": ts("2026-11-20 03:00")}
    mod_doc = f"mod/1{SCRIPT_PAYLOAD}"
    docs = [
        document(mod_doc, f"20 drones: 12 over Bryansk, 6 over Kaluga {SCRIPT_PAYLOAD}", source="Минобороны России",
                 channel="Минобороны России", published_at=ts("2026-11-20 04:05"), url=LINK_PAYLOAD,
                 title=SCRIPT_PAYLOAD),
        document("gov/7", f"14 drones shot down over Bryansk {IMG_PAYLOAD}", source="Bryansk governor",
                 published_at=ts("2026-11-20 03:10"), url="https://example.org/gov/7?a=1&b=2",
                 title=IMG_PAYLOAD),
        document("silent", f"Drones were shot down again {SCRIPT_PAYLOAD}", source="Wire",
                 published_at=ts("2026-11-20 09:00"), url="https://example.org/silent\"onmouseover=\"x"),
    ]
    claims = [
        claim("total", 20, document_id=mod_doc, is_total=True, speaker="Минобороны России",
              quote=f"20 drones {SCRIPT_PAYLOAD}", **night),
        claim("bry", 12, document_id=mod_doc, parent_claim_id="total", region_code="RU-BRY",
              speaker="Минобороны России", quote=f"12 over Bryansk {SCRIPT_PAYLOAD}", span_start=20, **night),
        claim("klu", 6, document_id=mod_doc, parent_claim_id="total", region_code="RU-KLU",
              speaker="Минобороны России", quote="6 over Kaluga", span_start=40, **night),
        claim("gov", 14, document_id="gov/7", region_code="RU-BRY", speaker=f"Governor {IMG_PAYLOAD}",
              speaker_role="regional_head", quote=f"14 shot down {IMG_PAYLOAD}", **early),
    ]
    rejected = [reject("dump<script>.jsonl", 3, f"line 3: invalid JSON: {SCRIPT_PAYLOAD}")]
    runs = [run_row(RUN, ts("2026-11-20 10:00"), sources=[f"dumps/{SCRIPT_PAYLOAD}"])]
    con = warehouse(claims, documents=docs, rejected=rejected, runs=runs)
    store_findings(con)
    return con
