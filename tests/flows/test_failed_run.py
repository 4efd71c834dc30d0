"""A run that raises is marked failed in `runs`, and the next run still completes."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLES
from tests.flows.conftest import run_flow


def test_a_run_that_raises_is_marked_failed_and_the_next_one_completes(tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("a file where the report folder should be")
    with pytest.raises(Exception):
        run_flow(tmp_path, SAMPLES)
    (tmp_path / "reports").unlink()
    again = run_flow(tmp_path, SAMPLES)
    assert again.query("select status from runs order by started_at") == [("failed",), ("completed",)]
