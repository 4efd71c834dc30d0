"""The bundled sample dumps, end to end, twice."""
from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from tests.flows.conftest import Run, run_flow


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Run]:
    tmp = tmp_path_factory.mktemp("samples")
    return run_flow(tmp, SAMPLES), run_flow(tmp, SAMPLES)


def test_every_sample_document_loads(runs: tuple[Run, Run]) -> None:
    first, _ = runs
    ids = {i for (i,) in first.query("select id from documents")}
    assert {"sample-news-001", "sample-news-002", "sample-news-003", "sample-news-005"} <= ids
    assert any(i.endswith("/2") for i in ids) and any(i.endswith("/12") for i in ids)
    assert not any(i.endswith("/1") and "Минобороны" in i for i in ids)  # the service message


def test_the_bad_records_are_rejected_with_file_line_and_reason(runs: tuple[Run, Run]) -> None:
    first, _ = runs
    rejected = first.query("select origin, record_no, reason from rejected order by record_no")
    assert [(o.rsplit("/", 1)[-1], n) for o, n, _ in rejected] == [("articles.jsonl", 4), ("articles.jsonl", 6)]
    assert "JSON" in rejected[0][2]
    assert "text" in rejected[1][2]
    assert first.summary.ingest.rejected == 2


def test_a_second_run_adds_nothing(runs: tuple[Run, Run]) -> None:
    first, second = runs
    assert first.summary.ingest.documents_new > 0 and first.summary.ingest.claims_new > 0
    assert second.summary.ingest.documents_new == 0
    assert second.summary.ingest.claims_new == 0
    assert second.summary.ingest.files_unchanged == first.summary.ingest.files_read
    assert second.query("select count(*) from rejected") == [(2,)]


def test_the_broken_breakdown_and_the_disagreement_are_found(runs: tuple[Run, Run]) -> None:
    first, _ = runs
    findings = first.query("select check_name, severity, message from dq_findings where run_id = ?",
                           [first.summary.run_id])
    breakdowns = [(s, m) for c, s, m in findings if c == "breakdown_adds_up"]
    assert [s for s, _ in breakdowns] == ["warning"]
    assert "22" in breakdowns[0][1] and "24" in breakdowns[0][1]
    disagreements = [m for c, _, m in findings if c == "speakers_disagree"]
    assert any("14" in m and "12" in m for m in disagreements)


def test_the_second_run_finds_nothing_new(runs: tuple[Run, Run]) -> None:
    _, second = runs
    assert second.query("select count(*) from dq_findings where run_id = ? and is_new",
                        [second.summary.run_id]) == [(0,)]
