"""Rechecking by cell: a claim's cell is its region and reporting day (`reporting_day_of`,
migration 0008). A statement's claims share one cell, so a check or mart that works statement by
statement (or cell by cell) changes only where a run added claims: it calls the `rechecked` macro,
and inside `rechecking_cells_of` looks only at those cells; outside, `rechecked` is true everywhere.
"""
from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import duckdb

from warehouse import db

RECHECKED_CALL = re.compile(r"\brechecked\s*\(", re.IGNORECASE)


def rechecks_cells(sql: str) -> bool:
    """Whether a check or mart query can look at only the cells being rechecked: it calls the
    `rechecked` macro. Such a check then returns exactly its findings about a claim of a rechecked
    cell (its findings about the other cells still hold); such a mart, exactly its rows of those cells.

    >>> rechecks_cells("select * from claims where rechecked(region_code, day)"), rechecks_cells("select 1")
    (True, False)
    """
    return bool(RECHECKED_CALL.search(sql))


@contextlib.contextmanager
def rechecking_cells_of(con: duckdb.DuckDBPyConnection, run_id: str) -> Iterator[None]:
    """Inside the block, the checks and marts run on `con` that call `rechecked` look only at the
    cells of the claims run `run_id` added, and the temporary table `rechecked_claims` lists every
    claim of those cells (`store_findings` carries those checks' findings about the other claims)."""
    # the cells' columns have names no caller's column has: a macro's arguments are expanded inside
    # its subquery, where a caller's `region_code` would otherwise bind to the cells' column
    db.run(con, """
        create or replace temp table rechecked_cells as
        select distinct
            region_code as rechecked_region,
            reporting_day_of(window_start, window_end, published_at) as rechecked_day
        from claims
        where claim_id in (select claim_id from extracted_claims where run_id = ?)""", [run_id])
    db.run(con, """
        create or replace temp macro rechecked(region, day) as exists (
            select 1
            from rechecked_cells
            where rechecked_region is not distinct from region
                and rechecked_day is not distinct from day
        )""")
    db.run(con, """
        create or replace temp table rechecked_claims as
        select claim_id
        from claims
        where rechecked(region_code, reporting_day_of(window_start, window_end, published_at))""")
    try:
        yield
    finally:
        for statement in ("drop macro if exists temp.rechecked", "drop table if exists temp.rechecked_claims",
                          "drop table if exists temp.rechecked_cells"):
            db.run(con, statement)
