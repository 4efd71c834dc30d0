"""`dronewatch serve`: the pipeline as a Prefect deployment on a schedule, served by this process.

Runs go to the Prefect server named by PREFECT_API_URL, or to a local `prefect server` started
here (127.0.0.1, a free port, its own PREFECT_HOME beside the warehouse) and stopped on exit.
Runs never overlap: the deployment has a concurrency limit of 1 (a due run waits, as
AwaitingConcurrencySlot, until the running one ends), and a run that still finds the warehouse
locked by another writer (a `dronewatch run` by hand) waits `lock_wait_seconds`, then logs that
it was skipped.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from flows.settings import Settings

DEPLOYMENT_NAME = "dronewatch-scheduled"
SERVER_START_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(api_url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Wait until GET <api>/health answers 200; raise RuntimeError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"prefect server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"no healthy Prefect API at {api_url} after {timeout:g} s")


def stop_process_group(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM a process started with start_new_session=True and all its children; SIGKILL after
    `timeout` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # stragglers of the group
    process.wait()


@contextlib.contextmanager
def local_prefect_server(home: Path, timeout: float = SERVER_START_TIMEOUT) -> Iterator[str]:
    """Start `prefect server start` on 127.0.0.1 and a free port with its own PREFECT_HOME; yield
    its API URL; stop it (and everything it started) on exit. Its log is `home/server.log`."""
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false",
               PREFECT_SERVER_API_HOST="127.0.0.1", PREFECT_SERVER_API_PORT=str(port))
    with (home / "server.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    try:
        wait_healthy(api_url, timeout, process)
        yield api_url
    finally:
        stop_process_group(process)


def serve(settings: Settings, *, cron: str | None = None, interval: float | None = None,
          name: str = DEPLOYMENT_NAME) -> None:
    """Register the deployment of the pipeline flow with this schedule and serve its runs until
    interrupted (Ctrl-C or SIGTERM). PREFECT_API_URL must be set before this is called."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.flows import EntrypointType

    from flows.pipeline import dronewatch_flow

    dronewatch_flow.serve(
        name=name,
        cron=cron,
        interval=interval,
        parameters={"settings": settings.model_dump(mode="json")},
        global_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        limit=1,
        enforce_parameter_schema=False,
        print_starting_message=False,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
