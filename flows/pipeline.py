"""The dronewatch flows: `run` pulls and loads what is new in each source, `rebuild` replays the
stored documents through the current extraction; both then validate and publish. Thin: the work
is in flows/ingest.py, flows/rebuild.py, transforms/, warehouse/ and expectations/."""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import secrets
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed

from expectations.artifacts import publish_artifacts
from expectations.report import write_report
from expectations.checks import (
    check_queries,
    findings_as_before,
    findings_from_checks,
    reads_runs_or_clock,
    run_check_queries,
    store_findings,
    with_finding_ids,
)
from flows.ingest import Extractor, IngestStats, ingest_source, reject_ids
from flows.partitions import partitioned_extractor
from flows.pull import SourceNotFound
from flows.rebuild import RebuildStats, rebuild_claims
from flows.settings import Settings
from transforms.places import localities_frame, regions_frame
from transforms.schema import REJECT_SCHEMA
from warehouse import db
from warehouse.cells import rechecking_cells_of, rechecks_cells
from warehouse.marts import build_marts

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DERIVING_CODE = ("warehouse/checks/*.sql", "warehouse/marts/*.sql", "expectations/*.py")


@dataclass
class RunSummary:
    """What a run read, added, rejected and found; printed by the CLI."""

    run_id: str
    warehouse: str
    snapshot: str
    report_dir: str
    data_docs: str
    ingest: IngestStats
    report: str = ""
    findings: dict[str, int] = field(default_factory=dict)
    new_findings: dict[str, int] = field(default_factory=dict)
    kind: str = "run"  # run or rebuild
    # the run that copied the snapshot still standing, when this one changed nothing and did not copy it
    snapshot_as_of: str | None = None
    rebuild: RebuildStats | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@task(cache_policy=NO_CACHE)
def prepare_warehouse(warehouse: Path, run_id: str, sources: list[str], kind: str = "run") -> None:
    """Migrate, refresh the reference tables (regions, towns) and record the run as started; a run
    still marked running was killed (we hold the write lock), so it is marked interrupted."""
    con = db.connect(warehouse)
    try:
        with db.transaction(con):
            db.replace_rows(con, "regions", "code", regions_frame())
            if db.run(con, "select count(*) from localities")[0][0] == 0:
                db.insert_new(con, "localities", localities_frame())
            db.run(con, "update runs set status = 'interrupted' where status = 'running'")
            db.run(con, "insert into runs (run_id, run_no, started_at, status, sources, kind) "
                        "select ?, coalesce(max(run_no), 0) + 1, now(), 'running', ?, ? from runs",
                   [run_id, sources, kind])
    finally:
        con.close()


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[2, 10])
def load_source(warehouse: Path, source: str, run_id: str, settings: Settings, extract: Extractor) -> IngestStats:
    """Pull one source and load what is new; safe to retry (each block commits with its cursor)."""
    con = db.connect(warehouse)
    try:
        return ingest_source(con, source, run_id, extract=extract, block_bytes=settings.block_bytes,
                             http_timeout=settings.http_timeout_seconds, max_bytes=settings.http_max_bytes)
    except SourceNotFound as missing:
        rejects = pl.DataFrame({"origin": [source], "record_no": [None], "reason": [str(missing)],
                                "excerpt": [None]}, schema=REJECT_SCHEMA)
        added = db.insert_new(con, "rejected", reject_ids(rejects).with_columns(first_run_id=pl.lit(run_id)))
        return IngestStats(sources=[source], rejected=1, rejected_new=added)
    finally:
        con.close()


def derived_version() -> str:
    """A hash of the code that derives findings and marts from the data: while it and the data stay
    the same, so do the findings and the marts."""
    digest = hashlib.sha256()
    for pattern in DERIVING_CODE:
        for path in sorted(PROJECT_ROOT.glob(pattern)):
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def checked_before(con, run_id: str, version: str) -> str | None:
    """The run just before this one if it completed with the same deriving code: what it validated
    still holds, and only what was added since needs validating. None when it failed or was killed
    (it may have loaded data it never checked) or the code changed."""
    rows = db.run(con, """select run_id, status = 'completed' and derived_version = ? from runs
                          where run_no < (select run_no from runs where run_id = ?)
                          order by run_no desc limit 1""", [version, run_id])
    return rows[0][0] if rows and rows[0][1] else None


def unchanged_since(con, run_id: str, stats: IngestStats, version: str) -> str | None:
    """The run just before this one when its findings and marts still hold: `checked_before`, and
    this run added nothing. None when the checks must run."""
    return None if stats.added_anything else checked_before(con, run_id, version)


GX_SIDE = "expectations.runner"  # the validation's Great Expectations side: 6-7 s of imports


def import_gx_in_background() -> threading.Thread:
    """Start importing the validation's Great Expectations side on a thread, so that it overlaps
    Prefect's temporary server start and the load (on another core) instead of coming before them:
    a command-line run on the samples takes 3-5 s less. `validate` imports it anyway (waiting for this
    import if it is still going; an import that failed here is simply tried again there)."""
    def load() -> None:
        with contextlib.suppress(BaseException):
            importlib.import_module(GX_SIDE)

    thread = threading.Thread(target=load, name="import-gx", daemon=True)
    thread.start()
    return thread


@task(cache_policy=NO_CACHE)
def validate(warehouse: Path, run_id: str, report_dir: Path,
             stats: IngestStats | None = None) -> tuple[dict[str, int], dict[str, int], str]:
    """Run the data-quality suite; store its findings, marking the ones no earlier run had. A run
    that added nothing to data the same checks already judged carries their findings forward."""
    run_checks = importlib.import_module(GX_SIDE).run_checks
    con = db.connect(warehouse)
    try:
        version = derived_version()
        db.run(con, "update runs set derived_version = ? where run_id = ?", [version, run_id])
        docs_index = report_dir / "data-docs" / "index.html"
        before = checked_before(con, run_id, version) if stats is not None else None  # a rebuild checks all
        if before is not None and not stats.added_anything and docs_index.exists():
            # the checks that read runs or the clock run again; the others' findings still hold
            live = run_check_queries(con, only=reads_runs_or_clock)
            findings = with_finding_ids(findings_from_checks(live))
            by_severity, new_by_severity = store_findings(con, run_id, findings, carry_from=before,
                                                          carry_except=list(live))
            get_run_logger().info(f"nothing new since run {before}: its data checks' findings carried forward")
        elif before is None:
            findings, docs_index = run_checks(con, report_dir / "data-docs", run_id)
            by_severity, new_by_severity = store_findings(con, run_id, findings)
        else:
            # what the run added is validated: GX's findings about older claims still hold, and so do
            # the findings of the checks that recheck by cell about the cells the run added no claim to
            queries = check_queries()
            by_cell = [name for name, sql in queries.items() if rechecks_cells(sql)]
            with rechecking_cells_of(con, run_id):
                findings, docs_index = run_checks(con, report_dir / "data-docs", run_id, checked_before=before)
                by_severity, new_by_severity = store_findings(
                    con, run_id, findings, carry_from=before,
                    carry_except=[name for name in queries if name not in by_cell], carry_unless_rechecked=by_cell)
        return by_severity, new_by_severity, str(docs_index)
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def rebuild(warehouse: Path, run_id: str, extract: Extractor) -> RebuildStats:
    """Replay every stored document through the current extraction."""
    con = db.connect(warehouse)
    try:
        return rebuild_claims(con, run_id, extract)
    finally:
        con.close()


@task(cache_policy=NO_CACHE)
def finish(warehouse: Path, run_id: str, stats: IngestStats, findings: dict[str, int],
           new_findings: dict[str, int], rebuilt: RebuildStats | None = None) -> tuple[Path, str | None]:
    """Record the run's figures, rebuild the marts unless nothing changed (by cell when `validate`
    rechecked by cell), then publish the read-only snapshot, unless this run changed nothing in it
    but its own `runs` row (no data, the same findings: republishing would copy the whole warehouse
    for nothing). Returns the snapshot and, when it was left as it was, the run that copied it."""
    rebuilt = rebuilt or RebuildStats()
    con = db.connect(warehouse)
    try:
        version = derived_version()
        unchanged = None if rebuilt.documents else unchanged_since(con, run_id, stats, version)
        db.run(
            con,
            """update runs set finished_at = now(), status = 'completed', documents_read = ?,
               documents_new = ?, rejected = ?, claims_new = ?, findings_error = ?, findings_warning = ?,
               findings_info = ?, findings_new_error = ?, claims_removed = ?, claims_changed = ?,
               claims_unchanged = ? where run_id = ?""",
            [stats.documents_read + rebuilt.documents, stats.documents_new, stats.rejected,
             stats.claims_new + rebuilt.claims_added, findings.get("error", 0), findings.get("warning", 0),
             findings.get("info", 0), new_findings.get("error", 0), rebuilt.claims_removed, rebuilt.claims_changed,
             rebuilt.claims_unchanged, run_id],
        )
        snapshot = db.snapshot_path(warehouse)
        standing = published_by(con, unchanged) if unchanged is not None and snapshot.exists() else None
        if standing is not None and findings_as_before(con, run_id):
            get_run_logger().info(f"nothing changed since run {unchanged}: its marts and the snapshot stand")
            db.run(con, "update runs set published_by = ? where run_id = ?", [standing, run_id])
            return snapshot, standing
        if unchanged is None:
            # after a completed run of the same code only the cells this run added claims to change
            before = None if rebuilt.documents else checked_before(con, run_id, version)
            with rechecking_cells_of(con, run_id) if before else contextlib.nullcontext():
                build_marts(con, by_cell=before is not None)
        db.run(con, "checkpoint")
    finally:
        con.close()
    snapshot = db.publish(warehouse)
    con = db.connect(warehouse)
    try:
        db.run(con, "update runs set published_by = run_id where run_id = ?", [run_id])
    finally:
        con.close()
    return snapshot, None


def published_by(con, run_id: str) -> str | None:
    """The run whose copy the snapshot was when run `run_id` ended (`runs.published_by`); None when
    that run recorded itself completed and died while copying the warehouse."""
    rows = db.run(con, "select published_by from runs where run_id = ?", [run_id])
    return rows[0][0] if rows else None


@task(cache_policy=NO_CACHE)
def report(warehouse: Path, run_id: str, report_dir: Path) -> str:
    """Write the run's data-quality report and attach its summary to the flow run as artifacts."""
    con = db.connect(warehouse)
    try:
        path = write_report(con, run_id, report_dir)
        publish_artifacts(con, run_id, path)
        return str(path)
    finally:
        con.close()


@contextlib.contextmanager
def failed_run_marked(warehouse: Path, run_id: str):
    """A run that raises is marked 'failed' in `runs` (a killed one is marked 'interrupted' by the
    next run instead); the error goes on to Prefect and the CLI."""
    try:
        yield
    except Exception:
        with contextlib.suppress(Exception):
            con = db.connect(warehouse)
            try:
                db.run(con, "update runs set status = 'failed', finished_at = now() where run_id = ?", [run_id])
            finally:
                con.close()
        raise


def warehouse_lock(warehouse: Path, settings: Settings) -> contextlib.ExitStack:
    """Take the warehouse's write lock, saying so when another run holds it and we wait; raises
    WarehouseBusy when it is still held after `settings.lock_wait_seconds`."""
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(db.write_lock(warehouse, wait_seconds=0))
    except db.WarehouseBusy as busy:
        if settings.lock_wait_seconds <= 0:
            raise
        get_run_logger().warning(f"{busy}; waiting up to {settings.lock_wait_seconds:g} s for it")
        stack.enter_context(db.write_lock(warehouse, wait_seconds=settings.lock_wait_seconds))
    return stack


def as_settings(settings: Settings | dict[str, Any]) -> Settings:
    """A deployment passes the settings as the JSON it stored; a direct call passes Settings."""
    return settings if isinstance(settings, Settings) else Settings(**settings)


@flow(name="dronewatch", log_prints=True, validate_parameters=False)
def dronewatch_flow(settings: Settings | dict[str, Any]) -> RunSummary:
    """Pull every source, extract and load what is new, validate, publish the snapshot.

    With `settings.skip_when_busy` (scheduled runs), a run that cannot get the warehouse within
    `settings.lock_wait_seconds` logs why and ends as a Completed state named Skipped.
    """
    settings = as_settings(settings)
    run_id = new_run_id()
    warehouse = Path(settings.warehouse).resolve()
    report_dir = Path(settings.report_dir).resolve()
    try:
        lock = warehouse_lock(warehouse, settings)
    except db.WarehouseBusy as busy:
        if not settings.skip_when_busy:
            raise
        get_run_logger().warning(f"run skipped: {busy}")
        return Completed(name="Skipped", message=f"run skipped: {busy}")
    with lock:
        prepare_warehouse(warehouse, run_id, settings.sources)
        with failed_run_marked(warehouse, run_id):
            stats = IngestStats()
            with partitioned_extractor(settings) as extract:
                for source in settings.sources:
                    stats.add(load_source(warehouse, source, run_id, settings, extract))
            findings, new_findings, docs_index = validate(warehouse, run_id, report_dir, stats)
            snapshot, snapshot_as_of = finish(warehouse, run_id, stats, findings, new_findings)
            report_path = report(warehouse, run_id, report_dir)
    return RunSummary(run_id=run_id, warehouse=str(warehouse), snapshot=str(snapshot),
                      report_dir=str(report_dir), data_docs=docs_index, ingest=stats, report=report_path,
                      findings=findings, new_findings=new_findings, snapshot_as_of=snapshot_as_of)


@flow(name="dronewatch-rebuild", log_prints=True, validate_parameters=False)
def rebuild_flow(settings: Settings | dict[str, Any]) -> RunSummary:
    """Replay every stored document through the current extraction, replacing each document's
    claims; validate and publish like a run."""
    settings = as_settings(settings)
    run_id = new_run_id()
    warehouse = Path(settings.warehouse).resolve()
    report_dir = Path(settings.report_dir).resolve()
    with warehouse_lock(warehouse, settings):
        prepare_warehouse(warehouse, run_id, [], kind="rebuild")
        with failed_run_marked(warehouse, run_id):
            with partitioned_extractor(settings) as extract:
                rebuilt = rebuild(warehouse, run_id, extract)
            findings, new_findings, docs_index = validate(warehouse, run_id, report_dir)
            stats = IngestStats()
            snapshot, snapshot_as_of = finish(warehouse, run_id, stats, findings, new_findings, rebuilt)
            report_path = report(warehouse, run_id, report_dir)
    return RunSummary(run_id=run_id, warehouse=str(warehouse), snapshot=str(snapshot),
                      report_dir=str(report_dir), data_docs=docs_index, ingest=stats, report=report_path,
                      findings=findings, new_findings=new_findings, kind="rebuild", rebuild=rebuilt,
                      snapshot_as_of=snapshot_as_of)
