from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.pipeline import RunSummary, dronewatch_flow
from flows.settings import Settings
from tests.conftest import SAMPLES


@dataclass
class Run:
    """One run of the flow and where it wrote."""

    warehouse: Path
    report_dir: Path
    summary: RunSummary

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def run_flow(tmp: Path, *sources: str | Path, **settings) -> Run:
    """Run the whole flow in this process (the Prefect temporary server starts once per process)."""
    warehouse, report_dir = tmp / "warehouse.duckdb", tmp / "reports"
    summary = dronewatch_flow(Settings(sources=[str(s) for s in sources], warehouse=warehouse,
                                       report_dir=report_dir, **settings))
    return Run(warehouse, report_dir, summary)


def sample_articles() -> list[dict]:
    """The bundled sample news articles that load (the samples hold bad lines on purpose)."""
    found = []
    for line in (SAMPLES / "news" / "articles.jsonl").read_text().splitlines():
        try:
            article = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(article, dict) and article.get("text"):
            found.append(article)
    return found
