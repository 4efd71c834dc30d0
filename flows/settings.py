"""Run configuration: command-line flags override DRONEWATCH_* environment variables, which
override these defaults (the bundled sample dumps, a git-ignored DuckDB file and report folder)."""
from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "samples"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DRONEWATCH_")

    sources: list[str] = [str(SAMPLES_DIR)]
    warehouse: Path = PROJECT_ROOT / "var" / "dronewatch.duckdb"
    report_dir: Path = PROJECT_ROOT / "var" / "reports"
    lock_wait_seconds: float = 0.0
    http_timeout_seconds: float = 30.0
    http_max_bytes: int = 512 * 2**20
    # scheduled runs: when another run holds the warehouse past lock_wait_seconds, log it and skip
    skip_when_busy: bool = False
    # memory and scale-out: JSON Lines are read in blocks of this many bytes; extraction runs in
    # partitions of at most this many documents, on local processes or on a Dask cluster
    block_bytes: int = 48 * 2**20
    partition_documents: int = 20_000
    workers: int | None = None  # local extraction processes (default: one per core)
    workers_after_documents: int = 10_000  # ...started when a run will extract this many (ahead)
    dask_address: str | None = None
