"""Build the marts: every `warehouse/marts/NN_name.sql` becomes the table `name`, in NN order.

A mart's SQL reads the `claims` view and the marts numbered before it; each file's header says what
one row is. Marts are rebuilt at the end of every run that changed the claims, so they never drift
from them: whole, or, after a run that added claims to some cells, those cells' rows of the marts
that are rebuilt by cell (claim_lineage, statements) and the other marts whole.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb

from warehouse import db
from warehouse.cells import rechecks_cells

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


def build_marts(con: duckdb.DuckDBPyConnection, marts_dir: Path = MARTS_DIR, by_cell: bool = False) -> list[str]:
    """(Re)create every mart as a table, all in one transaction; return their names in build order.

    `by_cell` (inside `warehouse.cells.rechecking_cells_of`, on marts built from the claims before
    the rechecked cells changed): a mart that is rebuilt by cell (its query calls `rechecked`; its
    rows have region_code and reporting_day) has its rows of the rechecked cells replaced and keeps
    the others; the other marts are rebuilt whole.
    """
    built = []
    present = db.tables(con)
    with db.transaction(con):
        for name, path in mart_files(marts_dir):
            sql = path.read_text(encoding="utf-8").strip().rstrip(";")
            if by_cell and rechecks_cells(sql) and name in present:
                db.run(con, f"delete from {name} where rechecked(region_code, reporting_day)")
                db.run(con, f"insert into {name} by name\n{sql}")
            else:
                db.run(con, f"create or replace table {name} as\n{sql}")
            built.append(name)
    return built


EXPORT_FORMATS = ("parquet", "csv")


def export_tables(con: duckdb.DuckDBPyConnection, out_dir: Path, fmt: str = "parquet") -> list[tuple[Path, int]]:
    """Write the `claims` view and every mart the warehouse holds to `out_dir/<name>.<fmt>`.

    Files are written by DuckDB's COPY, so pandas, R, Arrow and BI tools read them without DuckDB
    (in CSV, list columns such as claim_ids are written as `[a, b]`). Returns (file, rows) pairs.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    present = db.tables(con)
    names = [name for name in ["claims", *mart_names()] if name in present]
    out_dir.mkdir(parents=True, exist_ok=True)
    options = "format parquet, compression zstd" if fmt == "parquet" else "format csv, header true"
    written = []
    for name in names:
        target = out_dir / f"{name}.{fmt}"
        partial = target.with_name(target.name + ".partial")
        escaped = str(partial).replace("'", "''")
        db.run(con, f"copy (select * from {name}) to '{escaped}' ({options})")
        partial.replace(target)
        written.append((target, db.run(con, f"select count(*) from {name}")[0][0]))
    return written
