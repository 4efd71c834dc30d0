"""`dronewatch rebuild`: the stored documents replayed through the current extraction, as a flow
run of its own; the claims it changes are counted in its summary and its `runs` row."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.cli import format_rebuild_summary, main
from flows.pipeline import rebuild_flow
from flows.settings import Settings
from tests.flows.conftest import run_flow
from warehouse import db

DUMP = [
    {"id": "rb-1", "published": "2026-10-05", "text": "Над Брянской областью уничтожены 4 беспилотника."},
    {"id": "rb-2", "published": "2026-10-05", "text": "Over Kursk region 3 drones were shot down overnight."},
    {"id": "rb-3", "published": "2026-10-05", "text": "Над Курской областью сбиты 2 беспилотника."},
]
CLAIMS = "select claim_id, document_id, outcome, count, region_code, quote from claims order by claim_id"


def test_rebuild_puts_back_what_extraction_finds_and_says_what_changed(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DUMP), encoding="utf-8")
    run = run_flow(tmp_path, dump)
    clean = run.query(CLAIMS)
    assert len(clean) == 3

    # what an older extractor might have left: a wrong count, a missed claim
    con = db.connect(run.warehouse)
    db.run(con, "update extracted_claims set count = 40 where document_id = 'rb-1'")
    db.run(con, "delete from extracted_claims where document_id = 'rb-2'")
    con.close()

    summary = rebuild_flow(Settings(warehouse=run.warehouse, report_dir=run.report_dir))
    rebuilt = summary.rebuild
    assert (rebuilt.documents, rebuilt.claims_changed, rebuilt.claims_added, rebuilt.claims_removed,
            rebuilt.claims_unchanged) == (3, 1, 1, 0, 1)
    assert run.query(CLAIMS) == clean
    assert db.snapshot_path(run.warehouse).exists()
    assert run.query("select kind, claims_changed, claims_new from runs order by started_at") == [
        ("run", 0, 3), ("rebuild", 1, 1)]
    assert ("claims      added 1, removed 0, changed 1, unchanged 1"
            in format_rebuild_summary(summary))


def test_rebuild_without_a_warehouse_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["rebuild", "--warehouse", str(tmp_path / "none.duckdb")]) == 2
    assert "run `dronewatch run` first" in capsys.readouterr().err
