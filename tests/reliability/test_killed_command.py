"""`dronewatch run` killed with `kill -9` leaves no Prefect temporary server behind.

Before flows/reaper.py, the temporary server (a uvicorn process, same process group) outlived the
killed command, holding its port and a few hundred MB, until someone found it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import reaper
from tests.conftest import PROJECT_ROOT, SAMPLES

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="the watcher reads /proc")


def temporary_server_of(pid: int) -> int | None:
    for child in reaper.descendants(pid):
        try:
            if b"uvicorn" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except OSError:
            continue
    return None


def test_a_killed_run_leaves_no_temporary_server(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # its own temporary server and database
    run = subprocess.Popen(
        [sys.executable, "-c", "import sys; from flows.cli import main; sys.exit(main(sys.argv[1:]))",
         "run", "--source", str(SAMPLES / "news"), "--warehouse", str(tmp_path / "w.duckdb"),
         "--report-dir", str(tmp_path / "reports")],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    server = None
    try:
        deadline = time.monotonic() + 120
        while server is None and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
            server = temporary_server_of(run.pid)
        assert server is not None, "the run started no temporary server"
        started = reaper._stat(server)[1]
        time.sleep(1.5)  # the watcher notes the descendants twice a second
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=10)
        deadline = time.monotonic() + reaper.GRACE_SECONDS + 10
        while reaper.still_running({server: started}) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not reaper.still_running({server: started}), "the temporary server outlived the killed run"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        if server is not None and reaper._stat(server) is not None:
            os.kill(server, signal.SIGKILL)
