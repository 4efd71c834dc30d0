"""The flow writes the data-quality report and attaches its summary to the flow run."""
from __future__ import annotations

import html
from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLE
from tests.flows.conftest import Run, run_flow


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"{SEED_ARTICLE} not found (../shared/ beside the project)")
    return run_flow(tmp_path_factory.mktemp("report"), SEED_ARTICLE)


def test_the_report_is_written_where_the_summary_says(seed_run: Run) -> None:
    report = Path(seed_run.summary.report)
    assert report == seed_run.report_dir.resolve() / "data-quality.html"
    assert report.exists()
    assert (report.parent / "data-quality" / f"{seed_run.summary.run_id}.html").exists()


def test_the_report_shows_the_kaluga_disagreement_with_both_quotes(seed_run: Run) -> None:
    page = Path(seed_run.summary.report).read_text(encoding="utf-8")
    quotes = seed_run.query("select quote from claims where region_code = 'RU-KLU' and count in (10, 11) "
                            "order by count")
    assert len(quotes) == 2
    assert "speakers_disagree" in page
    for (quote,) in quotes:
        assert html.escape(" ".join(quote.split()), quote=False)[:60] in " ".join(page.split())


def test_the_summary_is_attached_to_the_flow_run_as_artifacts(seed_run: Run) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["dq-report", "dq-findings"])))
    names_this_run = [a for a in artifacts if seed_run.summary.run_id in str(a.data).replace("\\", "")]  # md escapes
    markdown = [a for a in names_this_run if a.type == "markdown"]
    assert markdown, "no dq-report artifact names this run"
    tables = [a for a in artifacts if a.type == "table" and a.flow_run_id == markdown[0].flow_run_id]
    assert tables and "speakers_disagree" in str(tables[0].data)
