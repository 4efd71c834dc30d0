from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from warehouse import db


def test_migrate_applies_each_migration_once(tmp_path: Path) -> None:
    con = db.connect(tmp_path / "w.duckdb")
    assert db.migrate(con) == []
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert {"documents", "rejected", "runs", "regions", "localities", "extracted_claims", "claim_places",
            "dq_findings", "claims"} <= tables


def test_insert_new_adds_only_unseen_keys() -> None:
    con = db.connect()
    regions = pl.DataFrame({"code": ["RU-KLU", "RU-BRY"], "country": ["RU", "RU"], "kind": ["oblast"] * 2,
                            "name_en": ["Kaluga Oblast", "Bryansk Oblast"]})
    assert db.insert_new(con, "regions", regions) == 2
    assert db.insert_new(con, "regions", regions) == 0
    assert db.insert_new(con, "regions", regions.clear()) == 0


def test_replace_rows_overwrites_matching_keys() -> None:
    con = db.connect()
    row = {"code": ["RU-KLU"], "country": ["RU"], "kind": ["oblast"], "name_en": ["Kaluga"]}
    db.insert_new(con, "regions", pl.DataFrame(row))
    db.replace_rows(con, "regions", "code", pl.DataFrame({**row, "name_en": ["Kaluga Oblast"]}))
    assert db.query(con, "select name_en from regions")["name_en"].to_list() == ["Kaluga Oblast"]


def test_publish_swaps_a_complete_copy_in(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    con = db.connect(warehouse)
    con.execute("insert into runs (run_id, started_at, status) values ('r1', now(), 'completed')")
    snapshot = db.publish(warehouse, con)
    con.close()
    assert snapshot == tmp_path / "w.snapshot.duckdb"
    reader = duckdb.connect(str(snapshot), read_only=True)
    assert reader.execute("select run_id from runs").fetchall() == [("r1",)]
    # A reader holding the old snapshot open is not disturbed by the next publish.
    con = db.connect(warehouse)
    con.execute("insert into runs (run_id, started_at, status) values ('r2', now(), 'completed')")
    db.publish(warehouse, con)
    con.close()
    assert reader.execute("select count(*) from runs").fetchall() == [(1,)]
    reader.close()
    assert duckdb.connect(str(snapshot), read_only=True).execute("select count(*) from runs").fetchall() == [(2,)]
    assert not list(tmp_path.glob("*.partial-*"))


def _hold_lock(warehouse: str, ready, release) -> None:
    with db.write_lock(Path(warehouse)):
        ready.set()
        release.wait(10)


def test_a_second_writer_is_refused_clearly(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    ready, release = multiprocessing.Event(), multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(str(warehouse), ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(db.WarehouseBusy, match="is being written by pid"):
            with db.write_lock(warehouse, wait_seconds=0.3):
                pass
    finally:
        release.set()
        holder.join(10)
    with db.write_lock(warehouse):  # free again once the holder is gone
        pass


def test_publish_removes_partial_copies_of_dead_processes_only(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    con = db.connect(warehouse)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = tmp_path / f"w.snapshot.duckdb.partial-{dead.pid}"
        busy = tmp_path / f"w.snapshot.duckdb.partial-{living.pid}"
        other = tmp_path / f"x.snapshot.duckdb.partial-{dead.pid}"  # another warehouse's: not ours to judge
        for path in (stale, busy, other):
            path.write_bytes(b"half a copy")
        db.publish(warehouse, con)
        assert sorted(tmp_path.glob("*.partial-*")) == sorted([busy, other])
    finally:
        living.kill()
        living.wait()
        con.close()


def test_a_failed_publish_leaves_the_snapshot_and_no_partial_copy(tmp_path: Path, monkeypatch) -> None:
    warehouse = tmp_path / "w.duckdb"
    con = db.connect(warehouse)
    snapshot = db.publish(warehouse, con)
    before = snapshot.read_bytes()

    def fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db.os, "fsync", fsync)
    with pytest.raises(OSError, match="No space left"):
        db.publish(warehouse, con)
    con.close()
    assert snapshot.read_bytes() == before
    assert list(tmp_path.glob("*.partial-*")) == []


def test_release_memory_keeps_the_limit_and_the_data(tmp_path):
    con = db.connect(tmp_path / "w.duckdb")
    db.run(con, "create table t as select range as n, repeat('x', 100) as s from range(200000)")
    assert db.run(con, "select sum(length(s)) from t") == [(20_000_000,)]
    db.release_memory(con)
    assert db.run(con, "select current_setting('memory_limit')") == db.run(
        db.connect(), "select current_setting('memory_limit')")
    assert db.run(con, "select count(*) from t") == [(200_000,)]
