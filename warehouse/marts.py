"""Build the marts: every `warehouse/marts/NN_name.sql` becomes the table `name`, in NN order.

A mart's SQL reads the `claims` view and the marts numbered before it; each file's header says what
one row is. Marts are rebuilt whole at the end of every run, so they never drift from the claims.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from warehouse import db

MARTS_DIR = db.MARTS_DIR
_MART_FILE = re.compile(r"^(\d{2})_([a-z][a-z0-9_]*)\.sql$")


def mart_files(marts_dir: Path = MARTS_DIR) -> list[tuple[str, Path]]:
    """The marts as (table name, SQL file), in build order.

    >>> [name for name, _ in mart_files()][:2]
    ['claim_lineage', 'statements']
    """
    found = []
    for path in sorted(marts_dir.glob("*.sql")):
        match = _MART_FILE.match(path.name)
        if match is None:
            raise ValueError(f"{path}: mart files are named NN_name.sql (NN sets the build order)")
        found.append((match.group(2), path))
    return found


def mart_names(marts_dir: Path = MARTS_DIR) -> list[str]:
    """The table names of the marts, in build order."""
    return [name for name, _ in mart_files(marts_dir)]


def build_marts(con: duckdb.DuckDBPyConnection, marts_dir: Path = MARTS_DIR) -> list[str]:
    """(Re)create every mart as a table, all in one transaction; return their names in build order."""
    built = []
    with db.transaction(con):
        for name, path in mart_files(marts_dir):
            sql = path.read_text(encoding="utf-8").strip().rstrip(";")
            db.run(con, f"create or replace table {name} as\n{sql}")
            built.append(name)
    return built
