"""The scenario every release must get right: the article dronewatch started from."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEED_ARTICLE
from tests.flows.conftest import Run, run_flow


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"{SEED_ARTICLE} not found (../shared/ beside the project)")
    return run_flow(tmp_path_factory.mktemp("seed"), SEED_ARTICLE)


def claims(run: Run) -> list[dict]:
    rows = run.query("select claim_id, speaker_role, count, outcome, region_code, is_total, parent_claim_id, "
                     "quote from claims order by span_start, claim_id")
    keys = ("claim_id", "role", "count", "outcome", "region", "is_total", "parent", "quote")
    return [dict(zip(keys, row)) for row in rows]


def test_the_governor_of_kaluga_claims_11_intercepted(seed_run: Run) -> None:
    [claim] = [c for c in claims(seed_run) if c["count"] == 11]
    assert (claim["role"], claim["outcome"], claim["region"], claim["is_total"]) == (
        "regional_head", "intercepted", "RU-KLU", False)


def test_the_kaluga_towns_are_places_of_that_claim(seed_run: Run) -> None:
    places = seed_run.query(
        "select p.name, p.resolved, p.region_code from claim_places p join claims c using (claim_id) "
        "where c.count = 11 order by p.name")
    assert places == [("Borovsk", True, "RU-KLU"), ("Kirov", True, "RU-KLU"),
                      ("Maloyaroslavets", True, "RU-KLU"), ("Yernov", False, None)]
    [(kirov_population,)] = seed_run.query(
        "select l.population from claim_places p join localities l using (locality_id) where p.name = 'Kirov'")
    assert kirov_population < 100_000  # the Kaluga Oblast town, not the city of Kirov


def test_the_ministry_total_of_20_has_its_three_items(seed_run: Run) -> None:
    all_claims = claims(seed_run)
    [total] = [c for c in all_claims if c["count"] == 20]
    assert (total["role"], total["is_total"], total["region"]) == ("defence_ministry", True, None)
    items = sorted((c["region"], c["count"]) for c in all_claims if c["parent"] == total["claim_id"])
    assert items[:2] == [("RU-BRY", 8), ("RU-KLU", 10)]
    assert items[2][0] in {"RU-MOS", "RU-MOW"} and items[2][1] == 2
    assert all(c["role"] == "defence_ministry" for c in all_claims if c["parent"] == total["claim_id"])


def test_the_governor_of_leningrad_reports_debris(seed_run: Run) -> None:
    debris = [c for c in claims(seed_run) if c["outcome"] == "debris_found"]
    assert [(c["role"], c["count"], c["region"]) for c in debris] == [("regional_head", 1, "RU-LEN")]


def test_nothing_else_is_claimed(seed_run: Run) -> None:
    assert sorted(c["count"] for c in claims(seed_run)) == [1, 2, 8, 10, 11, 20]


def test_the_total_check_passes_and_the_disagreement_is_reported(seed_run: Run) -> None:
    checks = seed_run.query("select check_name, severity, message from dq_findings")
    assert not [c for c in checks if c[0] == "breakdown_adds_up"]
    disagreements = [m for name, _, m in checks if name == "speakers_disagree" and "11" in m and "10" in m]
    assert len(disagreements) == 1
    message = disagreements[0]
    quotes = {c["count"]: c["quote"] for c in claims(seed_run)}
    assert quotes[11][:40] in message and quotes[10][:40] in message


def test_the_unresolved_town_is_reported(seed_run: Run) -> None:
    messages = [m for (m,) in seed_run.query("select message from dq_findings where check_name = 'locality_resolved'")]
    assert any("Yernov" in m for m in messages)


def test_every_quote_is_its_span_of_the_document(seed_run: Run) -> None:
    rows = seed_run.query("select c.quote, substr(d.text, c.span_start + 1, c.span_end - c.span_start) "
                          "from claims c join documents d on d.id = c.document_id")
    assert rows and all(quote == span for quote, span in rows)


def test_the_snapshot_and_data_docs_are_published(seed_run: Run) -> None:
    assert Path(seed_run.summary.snapshot).exists()
    assert Path(seed_run.summary.data_docs).exists()
