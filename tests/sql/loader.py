"""Load hand-written NDJSON rows into a warehouse: what the SQL tests, the cookbook test and the CLI
tests build their tiny warehouses from.

A case folder holds `documents.ndjson` (rows of `documents`), `claims.ndjson` (rows of
`extracted_claims`) and optionally `regions.ndjson`. Only the columns that matter need writing:
the rest get the defaults below; a claim's position in its document (`span_start`) defaults to its
line number, so claims are ordered as written.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb

from warehouse import db

DEFAULTS: dict[str, dict] = {
    "documents": {"source": "test", "text": "", "content_hash": "-", "first_run_id": "test"},
    "extracted_claims": {
        "speaker_role": "unknown", "outcome": "intercepted", "count_qualifier": "exact", "is_total": False,
        "is_cumulative": False, "weapon": "drone", "quote": "", "run_id": "test",
    },
    "regions": {"country": "RU", "kind": "oblast"},
}
FILES = {"regions": "regions.ndjson", "documents": "documents.ndjson", "extracted_claims": "claims.ndjson"}


def read_ndjson(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert `rows` (dicts, values as JSON gives them; DuckDB casts ISO strings to timestamps)."""
    for line_no, row in enumerate(rows):
        row = {**DEFAULTS.get(table, {}), **row}
        if table == "extracted_claims":
            row.setdefault("claim_no", line_no)
            row.setdefault("span_start", line_no)
            row.setdefault("span_end", row["span_start"] + 1)
        columns = ", ".join(f'"{name}"' for name in row)
        marks = ", ".join("?" for _ in row)
        db.run(con, f"insert into {table} ({columns}) values ({marks})", list(row.values()))


def load_folder(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Insert a case folder's regions, documents and claims."""
    for table, name in FILES.items():
        if (folder / name).exists():
            insert_rows(con, table, read_ndjson(folder / name))


def build_warehouse(folder: Path, path: Path | str = ":memory:") -> duckdb.DuckDBPyConnection:
    """A migrated warehouse holding a case folder's rows, with its marts built."""
    from warehouse.marts import build_marts

    con = db.connect(path)
    db.run(con, "set TimeZone = 'UTC'")
    load_folder(con, folder)
    build_marts(con)
    return con
