"""Runs killed with SIGKILL during extraction, load and publish: the warehouse still opens, the
published snapshot still opens and shows the last completed run, and the next run completes the
work (the same documents and claims as a run that was never killed).

The killed runs are real `dronewatch run` processes, started together. Where they die:
- extract: cli_driver.py kills its own process inside claim extraction of the second file, after the
  first new file was committed (exact).
- load: the product's DRONEWATCH_TEST_PAUSE_AFTER_BLOCK hook pauses the run after the first block of
  a JSON Lines file is committed (blocks of 2 KB); the test sees it say so and kills it (exact: between
  two blocks of one file).
- publish: cli_driver.py kills its own process half-way through copying the warehouse to the
  snapshot's temporary file, after the run was recorded as completed in the warehouse (exact).
"""
from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest

from tests.reliability.conftest import query, run_cli, spawn_cli, wait_for_stderr, write_dump


def state(path: Path) -> dict[str, object]:
    """What a run leaves: documents, claims, rejects (ids and contents, not run ids or times)."""
    return {
        "documents": sorted(query(path, "select id, content_hash from documents")),
        "claims": sorted(query(path, "select claim_id, document_id, count, outcome, region_code from claims")),
        "rejected": sorted(query(path, "select origin, record_no, reason from rejected")),
    }


def snapshot(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}.snapshot.duckdb")


def copy_warehouse(source: Path, target_dir: Path) -> Path:
    target_dir.mkdir()
    for path in source.parent.glob(source.name + "*"):
        shutil.copy(path, target_dir / path.name)
    shutil.copy(snapshot(source), target_dir / snapshot(source).name)
    return target_dir / source.name


@pytest.fixture(scope="module")
def crashes(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("crashes")
    dumps = tmp / "dumps"
    dumps.mkdir()
    first = write_dump(dumps / "a-first.jsonl", "a", 20)
    second = [write_dump(dumps / "b-second.jsonl", "b", 60), write_dump(dumps / "c-third.jsonl", "c", 30)]

    clean = run_cli(tmp / "clean" / "w.duckdb", first, *second)  # the reference: never killed
    base = run_cli(tmp / "base" / "w.duckdb", first)
    assert clean.code == 0 and base.code == 0
    base_warehouse = tmp / "base" / "w.duckdb"

    warehouses = {stage: copy_warehouse(base_warehouse, tmp / stage) for stage in ("extract", "load", "publish")}
    procs = {
        "extract": spawn_cli(warehouses["extract"], first, *second, kill_at="extract"),
        "load": spawn_cli(warehouses["load"], first, *second,
                          env={"DRONEWATCH_TEST_PAUSE_AFTER_BLOCK": "1", "DRONEWATCH_BLOCK_BYTES": "2048"}),
        "publish": spawn_cli(warehouses["publish"], first, *second, kill_at="publish"),
    }
    wait_for_stderr(procs["load"], "paused after block 1", timeout=120)
    procs["load"].send_signal(signal.SIGKILL)
    codes = {stage: proc.wait(timeout=120) for stage, proc in procs.items()}
    after_kill = {stage: (state(w), state(snapshot(w)), query(w, "select run_id, status from runs order by started_at"))
                  for stage, w in warehouses.items()}
    partials_after_kill = {stage: list(w.parent.glob("*.partial-*")) for stage, w in warehouses.items()}
    next_runs = {stage: run_cli(w, first, *second) for stage, w in warehouses.items()}
    return {"clean": state(tmp / "clean" / "w.duckdb"), "base": state(base_warehouse), "codes": codes,
            "after_kill": after_kill, "partials_after_kill": partials_after_kill, "next_runs": next_runs, "warehouses": warehouses,
            "stderr": {stage: proc.stderr.read() if not proc.stderr.closed else "" for stage, proc in procs.items()
                       if stage != "load"}}


STAGES = ["extract", "load", "publish"]


@pytest.mark.parametrize("stage", STAGES)
def test_the_run_was_killed(crashes: dict, stage: str) -> None:
    assert crashes["codes"][stage] == -signal.SIGKILL, crashes["stderr"].get(stage)


@pytest.mark.parametrize("stage", STAGES)
def test_the_snapshot_still_shows_the_last_completed_run(crashes: dict, stage: str) -> None:
    _, snapshot_state, _ = crashes["after_kill"][stage]
    assert snapshot_state == crashes["base"]


@pytest.mark.parametrize("stage", STAGES)
def test_the_warehouse_opens_with_whole_files_or_blocks(crashes: dict, stage: str) -> None:
    warehouse_state, _, runs = crashes["after_kill"][stage]
    ids = {i for i, _ in warehouse_state["documents"]}
    base_ids = {i for i, _ in crashes["base"]["documents"]}
    assert base_ids <= ids <= {i for i, _ in crashes["clean"]["documents"]}
    # every stored document has the claims a clean run gives it: no document is half loaded
    loaded = [c for c in warehouse_state["claims"] if c[1] in ids]
    assert loaded == [c for c in crashes["clean"]["claims"] if c[1] in ids]
    if stage == "extract":  # the first new file was committed before the kill, the second not
        assert {i.split("-")[0] for i in ids - base_ids} == {"b"}
    if stage == "load":  # killed between two blocks of the first new file
        assert 0 < len(ids - base_ids) < 60
    if stage == "publish":  # everything was loaded and the run recorded before publishing began
        assert ids == {i for i, _ in crashes["clean"]["documents"]}
        assert runs[-1][1] == "completed"


@pytest.mark.parametrize("stage", STAGES)
def test_the_next_run_completes_the_work(crashes: dict, stage: str) -> None:
    run = crashes["next_runs"][stage]
    assert run.code == 0, run.stderr
    warehouse = crashes["warehouses"][stage]
    assert state(warehouse) == crashes["clean"]
    assert state(snapshot(warehouse)) == crashes["clean"]


@pytest.mark.parametrize("stage", STAGES)
def test_the_dead_run_is_not_left_running(crashes: dict, stage: str) -> None:
    """The next run, holding the write lock, marks a run a dead process left 'running' as interrupted
    (a run killed while publishing had already recorded itself completed)."""
    _, _, runs_after_kill = crashes["after_kill"][stage]
    killed_run, status_when_killed = runs_after_kill[-1]
    assert status_when_killed == ("completed" if stage == "publish" else "running")
    statuses = dict(query(crashes["warehouses"][stage], "select run_id, status from runs"))
    assert statuses[killed_run] == ("completed" if stage == "publish" else "interrupted")
    assert list(statuses.values()).count("running") == 0


def test_no_partial_snapshot_is_left_behind(crashes: dict) -> None:
    """The killed publish left its half copy; the next publish removed it (its process is dead)."""
    assert crashes["partials_after_kill"]["publish"], "the kill during publish left no partial copy to clean"
    for stage, warehouse in crashes["warehouses"].items():
        assert list(warehouse.parent.glob("*.partial-*")) == [], stage
