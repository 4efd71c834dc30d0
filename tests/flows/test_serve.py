"""`dronewatch serve` for real: a `prefect server` on 127.0.0.1, the deployment served on a short
interval, a scheduled run that completes and fills the warehouse; serve without PREFECT_API_URL
starts, names and stops its own server. Every process started here is stopped with its process
group, whatever happens. A scheduled run that finds the warehouse busy is skipped visibly (in this
process: the flow itself)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.pipeline import dronewatch_flow
from flows.serve import free_port, stop_process_group, wait_healthy
from flows.settings import Settings
from tests.conftest import PROJECT_ROOT
from warehouse import db

DEPLOYMENT = "serve-test"
DUMP = [
    {"id": "serve-1", "published": "2026-10-05", "text": "Над Брянской областью уничтожены 4 беспилотника."},
    {"id": "serve-2", "published": "2026-10-05", "text": "Over Kursk region 3 drones were shot down overnight."},
]


def api(api_url: str, path: str, body: dict | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{api_url}{path}", data=data, headers={"Content-Type": "application/json"},
                                     method="GET" if body is None else "POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def wait_for(what: str, found: Callable[[], Any], timeout: float, log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"no {what} within {timeout:g} s; serve's output:\n{log.read_text(errors='replace')}")


def start(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(args, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def serve_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
               **extra)
    return env


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[str]:
    """A `prefect server` of this test only (own PREFECT_HOME, free port); its API URL."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    log = tmp_path / "prefect-server.log"
    server = start([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                   log, serve_environment(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_UI_ENABLED="false"))
    try:
        try:
            wait_healthy(api_url, 120, server)
        except RuntimeError as error:
            raise AssertionError(f"{error}\n{log.read_text(errors='replace')}") from None
        yield api_url
    finally:
        stop_process_group(server)


def snapshot_rows(warehouse: Path, sql: str) -> list[tuple]:
    """Rows from the published snapshot; [] until there is one (it is replaced atomically)."""
    snapshot = db.snapshot_path(warehouse)
    if not snapshot.exists():
        return []
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def flow_runs(api_url: str) -> list[dict]:
    return api(api_url, "/flow_runs/filter", {"sort": "EXPECTED_START_TIME_ASC", "limit": 200})


def test_serve_runs_the_pipeline_on_schedule_one_run_at_a_time(prefect_server: str, tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DUMP), encoding="utf-8")
    warehouse = tmp_path / "warehouse.duckdb"
    log = tmp_path / "serve.log"
    serve = start([sys.executable, "-m", "flows.cli", "serve", "--interval", "5", "--wait", "7",
                   "--name", DEPLOYMENT, "--source", str(dump), "--warehouse", str(warehouse),
                   "--report-dir", str(tmp_path / "reports")],
                  log, serve_environment(PREFECT_API_URL=prefect_server, PREFECT_RUNNER_POLL_FREQUENCY="2"))
    try:
        completed = wait_for("completed run", lambda: snapshot_rows(
            warehouse, "select run_id from runs where status = 'completed'"), 180, log)
        assert len(completed) >= 1
        assert snapshot_rows(warehouse, "select id from documents order by id") == [("serve-1",), ("serve-2",)]
        assert snapshot_rows(warehouse, "select count(*) from extracted_claims")[0][0] >= 2
        # the snapshot is published before the run writes its report and ends: its flow run follows
        wait_for("completed flow run", lambda: any(r["state_name"] == "Completed" for r in flow_runs(prefect_server)),
                 60, log)
        assert sum(r["state_type"] == "RUNNING" for r in flow_runs(prefect_server)) <= 1

        deployment = api(prefect_server, f"/deployments/name/dronewatch/{DEPLOYMENT}")
        assert deployment["global_concurrency_limit"]["limit"] == 1  # a due run waits for the running one
        assert deployment["concurrency_options"]["collision_strategy"] == "ENQUEUE"
        settings = deployment["parameters"]["settings"]
        assert (settings["skip_when_busy"], settings["lock_wait_seconds"]) == (True, 7)  # then skipped, logged
        assert settings["sources"] == [str(dump)] and settings["warehouse"] == str(warehouse)
        assert f"using the Prefect server at {prefect_server}" in log.read_text(errors="replace")
    finally:
        stop_process_group(serve)

    runs = sorted(snapshot_rows(warehouse, "select started_at, finished_at from runs where finished_at is not null"))
    for (_, finished), (started, _) in zip(runs, runs[1:]):
        assert started >= finished  # one run at a time


def test_a_scheduled_run_that_finds_the_warehouse_busy_waits_then_is_skipped_visibly(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    settings = Settings(sources=[str(tmp_path)], warehouse=warehouse, report_dir=tmp_path / "reports",
                        lock_wait_seconds=0.5, skip_when_busy=True)
    with db.write_lock(warehouse):  # another writer (a `dronewatch run` by hand) holds the warehouse
        began = time.monotonic()
        state = dronewatch_flow(settings.model_dump(mode="json"), return_state=True)
    assert time.monotonic() - began >= 0.5
    assert (state.type.value, state.name) == ("COMPLETED", "Skipped")
    assert state.message.startswith(f"run skipped: {warehouse} is being written by pid {os.getpid()}")
    assert not warehouse.exists()  # a skipped run touches nothing

    settings.skip_when_busy = False  # `dronewatch run`: the same wait, then exit status 3
    with db.write_lock(warehouse), pytest.raises(db.WarehouseBusy):
        dronewatch_flow(settings)


def test_serve_without_prefect_api_url_starts_its_own_server_and_stops_it(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    warehouse = tmp_path / "var" / "warehouse.duckdb"
    serve = start([sys.executable, "-m", "flows.cli", "serve", "--cron", "0 0 1 1 *", "--name", DEPLOYMENT,
                   "--warehouse", str(warehouse), "--report-dir", str(tmp_path / "reports")],
                  log, serve_environment())
    try:
        def started() -> str | None:
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith("dronewatch serve: started a local Prefect server at "):
                    return line.split(" at ", 1)[1].split(";", 1)[0]
            return None

        api_url = wait_for("local server", started, 180, log)
        output = log.read_text(errors="replace")
        assert "no PREFECT_API_URL; starting a local Prefect server" in output
        assert f"(home {warehouse.parent / 'prefect'})" in output
        with urllib.request.urlopen(f"{api_url}/health", timeout=10) as health:
            assert health.status == 200
        os.killpg(serve.pid, signal.SIGTERM)  # registering and serving are the test above
        assert serve.wait(60) == 0
    finally:
        stop_process_group(serve)
    assert log.read_text(errors="replace").rstrip().endswith("dronewatch serve: stopped")
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{api_url}/health", timeout=5)



def test_serve_stopped_while_its_local_server_starts_exits_cleanly(tmp_path: Path) -> None:
    """SIGTERM (or Ctrl-C) before the deployment is served: status 0 and "stopped", not a
    KeyboardInterrupt escaping with status -2."""
    log = tmp_path / "serve.log"
    serve = start([sys.executable, "-m", "flows.cli", "serve", "--cron", "0 0 1 1 *", "--name", DEPLOYMENT,
                   "--warehouse", str(tmp_path / "var" / "warehouse.duckdb"), "--report-dir", str(tmp_path / "reports")],
                  log, serve_environment())
    try:
        wait_for("the server starting", lambda: "starting a local Prefect server" in log.read_text(errors="replace")
                 or None, 120, log)
        os.killpg(serve.pid, signal.SIGTERM)
        assert serve.wait(60) == 0, log.read_text(errors="replace")
    finally:
        stop_process_group(serve)
    assert log.read_text(errors="replace").rstrip().endswith("dronewatch serve: stopped")
