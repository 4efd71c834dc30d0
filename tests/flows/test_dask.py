"""Extraction on a Dask cluster (`--dask-address`, prefect-dask) fills the warehouse exactly as
extraction in this process does: the same documents, claims, claim places and rejects."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("prefect_dask", reason="the 'dask' extra is not installed (uv sync --all-extras)")
distributed = pytest.importorskip("distributed", reason="the 'dask' extra is not installed (uv sync --all-extras)")

from flows.ingest import ingest_source  # noqa: E402
from tests.flows.conftest import run_flow, sample_articles  # noqa: E402
from warehouse import db  # noqa: E402

PARTITION_DOCUMENTS = 8
TABLES = {
    "documents": "select * exclude (first_run_id) from documents order by id",
    "extracted_claims": "select * exclude (run_id) from extracted_claims order by claim_id",
    "claim_places": "select * from claim_places order by all",
    "rejected": "select reject_id, origin, record_no, reason from rejected order by all",
}


def sample_dump(path: Path, documents: int) -> Path:
    """The sample news articles again and again under new ids, with one broken line."""
    articles = sample_articles()
    lines = [json.dumps({**articles[n % len(articles)], "id": f"dask-{n:03d}"}, ensure_ascii=False)
             for n in range(documents)]
    lines.insert(documents // 2, '{"id": "broken", "text": ')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_run_on_a_dask_cluster_fills_the_warehouse_as_a_local_run(tmp_path: Path) -> None:
    dump = sample_dump(tmp_path / "dump.jsonl", 5 * PARTITION_DOCUMENTS)

    local = db.connect(tmp_path / "local.duckdb")  # extraction in this process, no task runner
    ingest_source(local, str(dump), "local")
    expected = {table: db.run(local, sql) for table, sql in TABLES.items()}
    local.close()
    assert len(expected["documents"]) == 5 * PARTITION_DOCUMENTS and expected["claim_places"]
    assert len(expected["rejected"]) == 1

    # processes=False: the workers are threads of this process, so they reach this process's
    # temporary Prefect server (a worker process would need PREFECT_API_URL, as on a real cluster)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        on_dask = run_flow(tmp_path / "dask", dump, dask_address=cluster.scheduler_address,
                           partition_documents=PARTITION_DOCUMENTS)
        ran = cluster.scheduler.task_prefixes.get("extract_partition")
        assert ran is not None, f"no partition was extracted on the cluster: {list(cluster.scheduler.task_prefixes)}"
        assert len(ran.all_durations) > 0

    assert on_dask.summary.ingest.documents_new == 5 * PARTITION_DOCUMENTS
    for table, sql in TABLES.items():
        assert on_dask.query(sql) == expected[table], table
