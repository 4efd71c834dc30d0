"""A run that adds nothing carries the last run's findings forward instead of checking again,
unless the code that derives findings and marts changed."""
from __future__ import annotations

from pathlib import Path

import duckdb

from flows.cli import format_summary
from tests.conftest import SAMPLES
from tests.flows.conftest import run_flow

FINDINGS = "select finding_id, check_name, severity, message from dq_findings where run_id = ? order by finding_id"


def test_nothing_new_carries_the_findings_forward_and_a_new_version_checks_again(tmp_path: Path) -> None:
    first = run_flow(tmp_path, SAMPLES)
    judged = first.query(FINDINGS, [first.summary.run_id])
    incidents = first.query("select count(*) from incidents")
    warehouse = tmp_path / "warehouse.duckdb"
    # marks that only a run which skips the checks and the marts keeps
    mark(warehouse, "update dq_finding_stretches set message = 'as judged before: ' || message",
         "delete from incidents")
    second = run_flow(tmp_path, SAMPLES)
    assert second.summary.ingest.documents_new == 0
    assert second.summary.findings == first.summary.findings and second.summary.new_findings == {}
    assert second.query(FINDINGS, [second.summary.run_id]) == [carried(row) for row in judged]
    assert second.query("select count(*) from incidents") == [(0,)]
    assert second.query("select count(*) from dq_findings where run_id = ? and is_new",
                        [second.summary.run_id]) == [(0,)]
    assert Path(second.summary.report).exists()

    snapshot = Path(second.summary.snapshot)
    published = snapshot.stat().st_ino
    again = run_flow(tmp_path, SAMPLES)  # nothing new and the same findings: the snapshot stands
    assert again.summary.findings == second.summary.findings
    assert again.query(FINDINGS, [again.summary.run_id]) == second.query(FINDINGS, [second.summary.run_id])
    assert snapshot.stat().st_ino == published
    assert again.summary.snapshot_as_of == second.summary.run_id and second.summary.snapshot_as_of is None
    assert f"as published by run {second.summary.run_id}" in format_summary(again.summary)
    assert "as published by" not in format_summary(second.summary)
    assert again.query("select status from runs where run_id = ?", [again.summary.run_id]) == [("completed",)]
    assert snapshot_runs(snapshot) == [first.summary.run_id, second.summary.run_id]
    assert Path(again.summary.report).exists()
    fourth = run_flow(tmp_path, SAMPLES)  # names the run that copied the snapshot, not the one before
    assert fourth.summary.snapshot_as_of == second.summary.run_id and snapshot.stat().st_ino == published

    mark(warehouse, "update runs set derived_version = 'older code'")
    third = run_flow(tmp_path, SAMPLES)  # same data, other checks: checked again, marts rebuilt
    assert third.summary.findings == first.summary.findings
    assert third.query(FINDINGS, [third.summary.run_id]) == judged  # every check ran again, on the same data
    assert third.query("select count(*) from incidents") == incidents
    assert third.query("select derived_version <> 'older code' from runs where run_id = ?",
                       [third.summary.run_id]) == [(True,)]
    assert snapshot_runs(snapshot)[-1] == third.summary.run_id


def test_after_a_run_that_died_the_checks_run_again(tmp_path: Path) -> None:
    """A run killed after loading part of a dump leaves data nobody checked: the next run adds
    nothing itself, yet it may not carry the findings of the run before the dead one."""
    first = run_flow(tmp_path, SAMPLES)
    warehouse = tmp_path / "warehouse.duckdb"
    mark(warehouse, "update dq_finding_stretches set message = 'as judged before: ' || message",
         "insert into runs (run_id, run_no, started_at, status) "
         "select 'died', max(run_no) + 1, now(), 'interrupted' from runs")
    second = run_flow(tmp_path, SAMPLES)
    assert second.summary.ingest.documents_new == 0
    assert second.query("select count(*) from dq_findings where run_id = ? and message like 'as judged before%'",
                        [second.summary.run_id]) == [(0,)]
    assert second.summary.findings == first.summary.findings


def snapshot_runs(snapshot: Path) -> list[str]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return [run_id for (run_id,) in con.execute("select run_id from runs order by run_no").fetchall()]
    finally:
        con.close()


def mark(warehouse: Path, *statements: str) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        for sql in statements:
            con.execute(sql).fetchall()
    finally:
        con.close()


def carried(finding: tuple) -> tuple:
    """A finding as the run after, which added nothing, reports it: a check reading `runs` is run
    again (rejected_records finds what it found), the others are carried."""
    finding_id, check, severity, message = finding
    if check == "rejected_records":
        return finding
    return finding_id, check, severity, "as judged before: " + message


def test_a_run_that_adds_documents_finds_what_a_run_on_everything_at_once_finds(tmp_path: Path) -> None:
    """The second run validates what it added (GX on its claims, the checks that recheck by cell on
    the cells of its claims) and carries the rest: its findings are those of one run on all of it."""
    from expectations.checks import check_queries, reads_runs_or_clock

    about_runs = [name for name, sql in check_queries().items() if reads_runs_or_clock(sql)]
    data_findings = ("select finding_id, check_name, severity, message from dq_findings "
                     "where run_id = ? and check_name not in (select unnest(?::varchar[])) order by finding_id")
    channels = [SAMPLES / "telegram-governor-channel", SAMPLES / "telegram-mod-channel"]
    run_flow(tmp_path / "growing", SAMPLES / "news")
    grown = run_flow(tmp_path / "growing", SAMPLES / "news", *channels)
    assert grown.summary.ingest.claims_new > 0
    at_once = run_flow(tmp_path / "at-once", SAMPLES / "news", *channels)
    found = grown.query(data_findings, [grown.summary.run_id, about_runs])
    assert found == at_once.query(data_findings, [at_once.summary.run_id, about_runs])
    assert {"speakers_disagree", "reprinted_claim"} <= {check for _, check, _, _ in found}
