"""Helpers for the reliability tests: the CLI run in this process, and in a child process that
can be killed at a chosen stage."""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.conftest import PROJECT_ROOT

HERE = Path(__file__).parent
CORPUS = HERE / "broken_dumps"
DRIVER = HERE / "cli_driver.py"


@dataclass
class CliRun:
    """One `dronewatch run` and what it printed."""

    code: int
    stdout: str
    stderr: str

    @property
    def summary(self) -> dict:
        return json.loads(self.stdout)


def run_cli(warehouse: Path, *sources: str | Path, extra: tuple[str, ...] = ()) -> CliRun:
    """`dronewatch run --json` in this process (the Prefect temporary server starts once per process)."""
    from flows.cli import main

    args = ["run", "--warehouse", str(warehouse), "--report-dir", str(warehouse.parent / "reports"), "--json"]
    for source in sources:
        args += ["--source", str(source)]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args + list(extra))
    return CliRun(code, out.getvalue(), err.getvalue())


def query(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Read a DuckDB file read-only; the file must open (that is part of what is tested)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def prefect_api_url() -> str:
    """The API this process's flows report to, for child processes to share (so they do not each
    start, and when killed orphan, a temporary server of their own)."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start()
    return server.api_url


def spawn_cli(warehouse: Path, *sources: str | Path, kill_at: str | None = None,
              env: dict[str, str] | None = None, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """`dronewatch run` in a child process through cli_driver.py, which SIGKILLs itself at
    `kill_at` (extract, publish); `env` adds variables (DRONEWATCH_TEST_PAUSE_AFTER_BLOCK, ...)."""
    args = [sys.executable, str(DRIVER), "run", "--warehouse", str(warehouse),
            "--report-dir", str(warehouse.parent / "reports")]
    for source in sources:
        args += ["--source", str(source)]
    child_env = {**os.environ, "PREFECT_API_URL": prefect_api_url(), "PYTHONPATH": str(PROJECT_ROOT),
                 **(env or {})}
    child_env.pop("DRONEWATCH_TEST_KILL_AT", None)
    if kill_at:
        child_env["DRONEWATCH_TEST_KILL_AT"] = kill_at
    return subprocess.Popen(args + list(extra), cwd=PROJECT_ROOT, env=child_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
