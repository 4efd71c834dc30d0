"""Helpers for the reliability tests: the CLI run in this process, and in a child process that
can be killed at a chosen stage."""
from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
import time
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


REGIONS = ["Брянской", "Курской", "Белгородской", "Орловской", "Тульской", "Калужской"]


def write_dump(path: Path, prefix: str, n: int) -> Path:
    """`n` one-claim reports as JSON Lines, ids `<prefix>-<i>`."""
    lines = [
        f'{{"id": "{prefix}-{i}", "published": "2024-05-{i % 28 + 1:02d}", '
        f'"text": "Сводка {prefix} {i}: ночью над {REGIONS[i % len(REGIONS)]} областью сбиты {i % 9 + 2} беспилотника."}}'
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def wait_for_stderr(proc, text: str, timeout: float) -> list[str]:
    """Lines the process wrote to stderr until one holds `text` (fails after `timeout`)."""
    lines: list[str] = []
    seen = threading.Event()

    def read() -> None:
        for line in proc.stderr:
            lines.append(line)
            if text in line:
                seen.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not seen.is_set() and proc.poll() is None and time.monotonic() < deadline:
        seen.wait(0.1)
    assert seen.is_set(), f"{text!r} never came; exit {proc.poll()}; stderr: {''.join(lines)[-2000:]}"
    return lines
