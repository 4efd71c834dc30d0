"""The dronewatch flow: pull and load each source, validate, publish. Thin: the work is in
flows/ingest.py, transforms/, warehouse/ and expectations/."""
from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from expectations.runner import run_checks
from flows.ingest import IngestStats, ingest_source, reject_ids
from flows.pull import SourceNotFound
from flows.settings import Settings
from transforms.places import localities_frame, regions_frame
from transforms.schema import REJECT_SCHEMA
from warehouse import db
from warehouse.marts import build_marts


@dataclass
class RunSummary:
    """What a run read, added, rejected and found; printed by the CLI."""

    run_id: str
    warehouse: str
    snapshot: str
    report_dir: str
    data_docs: str
    ingest: IngestStats
    findings: dict[str, int] = field(default_factory=dict)
    new_findings: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@task(cache_policy=NO_CACHE)
def prepare_warehouse(warehouse: Path, run_id: str, sources: list[str]) -> None:
    """Migrate, refresh the reference tables (regions, towns) and record the run as started."""
    con = db.connect(warehouse)
    try:
        with db.transaction(con):
            db.replace_rows(con, "regions", "code", regions_frame())
            if db.run(con, "select count(*) from localities")[0][0] == 0:
                db.insert_new(con, "localities", localities_frame())
            db.run(con, "insert into runs (run_id, started_at, status, sources) values (?, now(), 'running', ?)",
                   [run_id, sources])
    finally:
        con.close()


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def load_source(warehouse: Path, source: str, run_id: str, settings: Settings) -> IngestStats:
    """Pull one source and load what is new; safe to retry (files load whole or not at all)."""
    con = db.connect(warehouse)
    try:
        return ingest_source(con, source, run_id, http_timeout=settings.http_timeout_seconds,
                             max_bytes=settings.http_max_bytes)
    except SourceNotFound as missing:
        rejects = pl.DataFrame({"origin": [source], "record_no": [None], "reason": [str(missing)],
                                "excerpt": [None]}, schema=REJECT_SCHEMA)
        added = db.insert_new(con, "rejected", reject_ids(rejects).with_columns(first_run_id=pl.lit(run_id)))
        return IngestStats(sources=[source], rejected=1, rejected_new=added)
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def validate(warehouse: Path, run_id: str, report_dir: Path) -> tuple[dict[str, int], dict[str, int], str]:
    """Run the data-quality suite; store its findings, marking the ones no earlier run had."""
    con = db.connect(warehouse)
    try:
        findings, docs_index = run_checks(con, report_dir / "data-docs")
        seen = db.query(con, "select distinct finding_id from dq_findings")["finding_id"]
        findings = findings.with_columns(run_id=pl.lit(run_id), is_new=~pl.col("finding_id").is_in(seen.implode()))
        db.insert_new(con, "dq_findings", findings)
        by_severity = dict(findings.group_by("severity").len().iter_rows())
        new_by_severity = dict(findings.filter("is_new").group_by("severity").len().iter_rows())
        return by_severity, new_by_severity, str(docs_index)
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def finish(warehouse: Path, run_id: str, stats: IngestStats, findings: dict[str, int],
           new_findings: dict[str, int]) -> Path:
    """Record the run's figures, then publish the read-only snapshot."""
    con = db.connect(warehouse)
    try:
        db.run(
            con,
            """update runs set finished_at = now(), status = 'completed', documents_read = ?,
               documents_new = ?, rejected = ?, claims_new = ?, findings_error = ?, findings_warning = ?,
               findings_info = ?, findings_new_error = ? where run_id = ?""",
            [stats.documents_read, stats.documents_new, stats.rejected, stats.claims_new,
             findings.get("error", 0), findings.get("warning", 0), findings.get("info", 0),
             new_findings.get("error", 0), run_id],
        )
        build_marts(con)
        db.run(con, "checkpoint")
    finally:
        con.close()
    return db.publish(warehouse)


@flow(name="dronewatch", log_prints=True, validate_parameters=False)
def dronewatch_flow(settings: Settings) -> RunSummary:
    """Pull every source, extract and load what is new, validate, publish the snapshot."""
    run_id = new_run_id()
    warehouse = Path(settings.warehouse).resolve()
    report_dir = Path(settings.report_dir).resolve()
    with db.write_lock(warehouse, wait_seconds=settings.lock_wait_seconds):
        prepare_warehouse(warehouse, run_id, settings.sources)
        stats = IngestStats()
        for source in settings.sources:
            stats.add(load_source(warehouse, source, run_id, settings))
        findings, new_findings, docs_index = validate(warehouse, run_id, report_dir)
        snapshot = finish(warehouse, run_id, stats, findings, new_findings)
    return RunSummary(run_id=run_id, warehouse=str(warehouse), snapshot=str(snapshot),
                      report_dir=str(report_dir), data_docs=docs_index, ingest=stats,
                      findings=findings, new_findings=new_findings)
