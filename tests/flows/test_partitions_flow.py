"""A run big enough to extract on worker processes: the only test that starts them (a few seconds)."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName, TaskRunFilterStartTime

from tests.flows.conftest import run_flow


def _dump(path: Path, drone: int, other: int) -> Path:
    lines = [
        json.dumps({"id": f"drone-{i}", "published": "2025-06-01",
                    "text": f"Air defences destroyed {i % 20 + 1} drones over the Bryansk region overnight, "
                            "Governor Alexander Bogomaz said."})
        for i in range(drone)
    ] + [
        json.dumps({"id": f"news-{i}", "published": "2025-06-01",
                    "text": f"The central bank held its key rate at {i % 9 + 10} percent, economists said."})
        for i in range(other)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_extraction_on_worker_processes_ships_only_drone_documents(tmp_path: Path) -> None:
    started = datetime.now(UTC)
    run = run_flow(tmp_path, _dump(tmp_path / "dump.jsonl", 600, 600), workers=2, partition_documents=300,
                   workers_after_documents=0)
    assert run.summary.ingest.documents_new == 1200
    assert run.summary.ingest.claims_new == 600
    assert run.query("select count(distinct document_id) from claims where document_id like 'drone-%'") == [(600,)]

    # only the 600 drone documents were shipped: two partitions of 300, not four
    with get_client(sync_client=True) as client:
        shipped = client.read_task_runs(task_run_filter=TaskRunFilter(
            name=TaskRunFilterName(like_="extract-"), start_time=TaskRunFilterStartTime(after_=started)))
    assert sorted(r.name for r in shipped) == ["extract-300-documents", "extract-300-documents"]
