"""Two runs at once, and an analyst reading the published snapshot while runs happen.

One writer (a real `dronewatch run` process) is paused half-way through loading a file, holding the
warehouse's write lock. Meanwhile a second run with `--wait 0` is refused at once with exit status 3
naming the holder; a third with `--wait 300` waits; the writer is then killed and the waiting run
takes the warehouse over and completes the work. An analyst process holds the snapshot open from
before the first run to the end, and the test opens the snapshot again and again while the runs
happen: nobody is ever blocked, and every read sees one whole published run, never a half-written
state.
"""
from __future__ import annotations

import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tests.reliability.conftest import run_cli, spawn_cli, wait_for_stderr, write_dump
from warehouse.db import snapshot_path

# one string per state: documents with their texts, claims with their figures, runs with their status
FINGERPRINT = """
    select
        (select count(*) || ':' || coalesce(md5(string_agg(id || content_hash, ',' order by id)), '')
         from documents),
        (select count(*) || ':' || coalesce(md5(string_agg(claim_id || '=' || count, ',' order by claim_id)), '')
         from claims),
        (select count(*) || ':' || coalesce(string_agg(status, ',' order by started_at), '') from runs)
"""

# An analyst's session: opens the snapshot once, then reads it whenever asked, until stdin closes.
ANALYST = f"""
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
for _ in sys.stdin:
    print("|".join(con.execute('''{FINGERPRINT}''').fetchone()), flush=True)
"""


def fingerprint(path: Path) -> str:
    """The state of a DuckDB file, read in one fresh read-only connection (raises if it cannot open)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return "|".join(con.execute(FINGERPRINT).fetchone())
    finally:
        con.close()


class Analyst:
    """A process holding the snapshot open read-only across the runs."""

    def __init__(self, snapshot: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", ANALYST, str(snapshot)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def read(self, timeout: float = 30) -> str:
        """What the analyst sees now; fails if the read blocks for `timeout` seconds."""
        self.proc.stdin.write("\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        assert ready, "the analyst's read of the snapshot was blocked"
        return self.proc.stdout.readline().strip()

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("concurrency")
    first = write_dump(tmp / "a-first.jsonl", "a", 20)
    second = write_dump(tmp / "b-second.jsonl", "b", 60)
    warehouse = tmp / "w" / "w.duckdb"
    snapshot = snapshot_path(warehouse)
    assert run_cli(warehouse, first).code == 0
    base = fingerprint(snapshot)
    analyst = Analyst(snapshot)
    seen = {"analyst": [analyst.read()]}

    writer = spawn_cli(warehouse, first, second,
                       env={"DRONEWATCH_TEST_PAUSE_AFTER_BLOCK": "1", "DRONEWATCH_BLOCK_BYTES": "2048"})
    wait_for_stderr(writer, "paused after block 1", timeout=120)
    refused = run_cli(warehouse, first, extra=("--wait", "0"))
    seen["analyst"].append(analyst.read())
    seen["while_paused"] = fingerprint(snapshot)

    waiter = spawn_cli(warehouse, first, second, extra=("--wait", "300"))
    waiter_said = wait_for_stderr(waiter, "waiting up to 300 s", timeout=120)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)

    polled: list[str] = []
    errors: list[BaseException] = []

    def poll() -> None:  # a fresh reader again and again while the waiting run loads and publishes
        while waiter.poll() is None:
            try:
                polled.append(fingerprint(snapshot))
            except BaseException as e:  # noqa: BLE001 - collected and asserted on
                errors.append(e)
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    waiter_code = waiter.wait(timeout=300)
    poller.join()
    seen["analyst"].append(analyst.read())
    analyst.close()
    return {"base": base, "refused": refused, "writer_pid": writer.pid, "waiter_code": waiter_code,
            "waiter_said": "".join(waiter_said), "seen": seen, "polled": polled, "poll_errors": errors,
            "final": fingerprint(snapshot), "warehouse_final": fingerprint(warehouse)}


def test_a_second_run_is_refused_clearly_while_one_writes(runs: dict) -> None:
    refused = runs["refused"]
    assert refused.code == 3, refused.stderr
    assert f"is being written by pid {runs['writer_pid']}; try again when that run ends" in refused.stderr


def test_a_run_told_to_wait_waits_for_the_writer_and_then_completes(runs: dict) -> None:
    assert f"is being written by pid {runs['writer_pid']}" in runs["waiter_said"]
    assert runs["waiter_code"] == 0, runs["waiter_said"][-3000:]
    documents, _, statuses = runs["final"].split("|")
    assert documents.startswith("80:")  # both files, the killed writer's half included once
    assert statuses == "3:completed,interrupted,completed"  # the refused run never started
    assert runs["final"] == runs["warehouse_final"]


def test_the_snapshot_shows_only_whole_runs_while_runs_write(runs: dict) -> None:
    assert runs["poll_errors"] == []
    assert runs["seen"]["while_paused"] == runs["base"]
    assert set(runs["polled"]) <= {runs["base"], runs["final"]}, "a reader saw a half-written state"
    assert runs["base"] in runs["polled"] and runs["final"] in runs["polled"]  # the reads spanned the swap


def test_an_analyst_holding_the_snapshot_open_is_never_blocked(runs: dict) -> None:
    """The open session keeps reading the run it opened (the new snapshot replaced the file's name,
    not its content); reopening shows the new run."""
    assert runs["seen"]["analyst"] == [runs["base"]] * 3
    assert runs["final"] != runs["base"]
