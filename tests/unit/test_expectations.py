"""The GX suites and the runner: findings from GX-only rules, stable ids, Data Docs."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import duckdb
import great_expectations as gx
import polars as pl
import pytest

from expectations import suites
from expectations.runner import finding_id, findings_from_validation, gx_context, nullness_only, run_checks, validate
from tests.unit import dq_warehouse
from tests.unit.dq_warehouse import CLAIMS_VIEW_SCHEMA, REGIONS
from transforms.schema import DQ_FINDING_SCHEMA

NOON = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)


def claim(claim_id: str | None, count: int | None, **fields: Any) -> dict[str, Any]:
    return dq_warehouse.claim(claim_id, count, **({"published_at": NOON, "region_code": "RU-KLU"} | fields))


def warehouse(claims: list[dict[str, Any]], places: list[dict[str, Any]] = ()) -> duckdb.DuckDBPyConnection:
    return dq_warehouse.warehouse(claims, places)


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    ctx = gx_context(tmp_path_factory.mktemp("docs"))
    ctx.data_sources.add_pandas("dronewatch")
    return ctx


def test_finding_id_ignores_order_and_message():
    assert finding_id("c", ["b", "a"], ["d2", "d1"], "k") == finding_id("c", ["a", "b"], ["d1", "d2"], "k")
    assert finding_id("c", ["a"], ["d"], "k") != finding_id("c", ["a"], ["d"], "other")
    assert finding_id("c", ["a"], ["d"], "k") != finding_id("other", ["a"], ["d"], "k")


def test_a_column_tested_only_for_nulls_reaches_gx_as_its_first_character_with_the_same_result(context):
    """Long messages are cut to one character before GX (a 2M warehouse's 450,000 disagreements:
    2.5 -> 1.5 GiB, 1.5 -> 0.1 s); what the not-null expectation finds does not change."""
    rows = pl.DataFrame({"check_name": ["c"] * 4, "claim_ids": [["a"]] * 4, "severity": ["info", "warning", "info", "info"],
                         "message": [None, "", "a long message " * 40, None]})
    suite = suites.check_suite("c")
    assert nullness_only(suite, rows) == ["message"]
    full = suites.check_suite("c2")  # the same, and a length rule that keeps the messages whole
    full.add_expectation(gx.expectations.ExpectColumnValueLengthsToBeBetween(column="message", min_value=0))
    assert nullness_only(full, rows) == []

    def not_null(result) -> dict:
        (found,) = [r for r in result.results if r.expectation_config.type == "expect_column_values_to_not_be_null"]
        return {"success": found.success, **{k: v for k, v in found.result.items() if k != "partial_unexpected_list"}}

    cut, whole = validate(context, "check_cut", rows, suite), validate(context, "check_whole", rows, full)
    assert not_null(cut) == not_null(whole)
    assert not_null(cut)["success"] is False and not_null(cut)["unexpected_count"] == 2


def test_claims_suite_turns_rejected_rows_into_findings(context):
    claims = pl.DataFrame(
        [
            claim("a", 3),
            claim("a", 4, document_id="doc2"),
            claim("b", 3, outcome="vanished", speaker_role="astrologer"),
            claim("c", 3, window_start=NOON, window_end=datetime(2026, 11, 20, 6, tzinfo=timezone.utc)),
        ],
        schema=CLAIMS_VIEW_SCHEMA,
    )
    suite = suites.claims_suite(REGIONS["code"].to_list())
    result = validate(
        context, "claims_rejects", claims, suite,
        {"result_format": "COMPLETE", "unexpected_index_column_names": ["claim_id", "document_id", "region_code"]},
    )
    found = findings_from_validation(result, suite).sort("check_name", "claim_ids")
    assert found.select("check_name", "severity", "claim_ids").to_dicts() == [
        {"check_name": "claim_id_unique", "severity": "error", "claim_ids": ["a"]},
        {"check_name": "claim_id_unique", "severity": "error", "claim_ids": ["a"]},
        {"check_name": "outcome_known", "severity": "error", "claim_ids": ["b"]},
        {"check_name": "speaker_role_known", "severity": "warning", "claim_ids": ["b"]},
        {"check_name": "window_ordered", "severity": "error", "claim_ids": ["c"]},
    ]
    messages = dict(zip(found["check_name"], found["message"]))
    assert messages["outcome_known"].startswith("claim b has outcome 'vanished', not one of launched")
    assert "ends (2026-11-20 06:00:00+00:00) before it starts" in messages["window_ordered"]


def test_run_checks_end_to_end_builds_data_docs_and_stable_ids(tmp_path):
    con = warehouse(
        [
            claim("t", 20, is_total=True, region_code=None),
            claim("i1", 10, parent_claim_id="t", quote="10 over Kaluga"),
            claim("i2", 8, parent_claim_id="t", region_code="RU-BRY", quote="8 over Bryansk"),
            claim("x", 3, region_code="RU-XXX"),
            claim("y", 3, outcome="vanished", region_code="RU-BRY"),
        ],
        [{"claim_id": "i1", "name": "Yernov", "locality_id": None, "region_code": "RU-KLU", "resolved": False}],
    )
    findings, index = run_checks(con, tmp_path / "docs")
    assert index == (tmp_path / "docs" / "index.html").resolve() and index.is_file()
    assert "check.breakdown_adds_up" in index.read_text()
    assert findings.schema == pl.Schema(DQ_FINDING_SCHEMA)
    assert sorted(findings.select("check_name", "severity").rows()) == [
        ("breakdown_adds_up", "warning"),
        ("locality_resolved", "warning"),
        ("outcome_known", "error"),
        ("region_code_known", "error"),
    ]
    assert findings["severity"].to_list()[:2] == ["error", "error"]
    assert "items cover 18 of 20" in findings.filter(check_name="breakdown_adds_up")["message"][0]

    again, _ = run_checks(con, tmp_path / "docs")
    assert again["finding_id"].to_list() == findings["finding_id"].to_list()


def test_run_checks_on_correct_data_finds_nothing(tmp_path):
    con = warehouse([
        claim("t", 18, is_total=True, region_code=None),
        claim("i1", 10, parent_claim_id="t"),
        claim("i2", 8, parent_claim_id="t", region_code="RU-BRY"),
    ])
    findings, index = run_checks(con, tmp_path)
    assert findings.is_empty() and findings.schema == pl.Schema(DQ_FINDING_SCHEMA)
    assert index.is_file()


def test_documents_suite_validates_the_documents_of_the_run_only(tmp_path, monkeypatch):
    """Stored documents never change: a run validates the ones it added, not the whole table again."""
    import expectations.runner as runner

    con = dq_warehouse.warehouse(documents=[
        dq_warehouse.document("old-1"), dq_warehouse.document("old-2"),
        dq_warehouse.document("new-1", first_run_id="run-2"),
    ])
    validated: dict[str, list[str]] = {}
    real_validate = runner.validate

    def recording_validate(context, name, frame, *args, **kwargs):
        if name == "documents":
            validated[name] = sorted(frame["id"].to_list())
        return real_validate(context, name, frame, *args, **kwargs)

    monkeypatch.setattr(runner, "validate", recording_validate)
    run_checks(con, tmp_path / "run-2", "run-2")
    assert validated["documents"] == ["new-1"]
    run_checks(con, tmp_path / "all")
    assert validated["documents"] == ["new-1", "old-1", "old-2"]


def test_after_a_checked_run_gx_validates_what_was_added_and_its_findings_about_older_claims_hold(tmp_path):
    from expectations.checks import check_queries
    from tests.unit.dq_warehouse import store_as

    con = warehouse([claim("old", 3, outcome="vanished")])
    first, _ = run_checks(con, tmp_path / "run-1", "run-1")
    store_as(con, "run-1", first)
    con.execute("""insert into extracted_claims
                   select * replace ('new' as claim_id, 'run-2' as run_id, 'oracle' as speaker_role,
                                     'intercepted' as outcome, 'doc2' as document_id)
                   from extracted_claims where claim_id = 'old'""")
    con.execute("insert into documents select * replace ('doc2' as id, 'run-2' as first_run_id) "
                "from documents where id = 'doc1'")
    second, _ = run_checks(con, tmp_path / "run-2", "run-2", checked_before="run-1")
    assert sorted(second.select("check_name", "claim_ids").rows()) == [("speaker_role_known", ["new"])]
    sql_checks = list(check_queries())  # rerun on the whole warehouse; GX's findings are carried
    assert store_as(con, "run-2", second, carry_from="run-1", carry_except=sql_checks) == (
        {"error": 1, "warning": 1}, {"warning": 1})
    assert sorted(con.sql("select check_name from dq_findings where run_id = 'run-2'").fetchall()) == [
        ("outcome_known",), ("speaker_role_known",)]
