"""Source cursors: how far each file, archive member or URL has been read, and how to tell it changed.

A cursor row is written in the same transaction as the documents it accounts for, so after a crash
the cursor never claims more than the warehouse holds (see `warehouse/migrations/0002_*.sql`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import duckdb

from warehouse import db

__all__ = ["Cursor", "get_cursor", "put_cursor"]


@dataclass(frozen=True)
class Cursor:
    """One row of `source_cursors`."""

    origin: str
    kind: str  # file, member, url
    complete: bool
    size_bytes: int | None = None
    mtime_ns: int | None = None
    fingerprint: str | None = None
    bytes_read: int | None = None
    lines_read: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_message_id: int | None = None

    def unchanged_file(self, size: int, mtime_ns: int) -> bool:
        """True when a file read to its end still has the size and mtime it had then."""
        return self.complete and self.size_bytes == size and self.mtime_ns == mtime_ns


_COLUMNS = [f.name for f in fields(Cursor)]


def get_cursor(con: duckdb.DuckDBPyConnection, origin: str) -> Cursor | None:
    rows = db.run(con, f"select {', '.join(_COLUMNS)} from source_cursors where origin = ?", [origin])
    return Cursor(**dict(zip(_COLUMNS, rows[0]))) if rows else None


def put_cursor(con: duckdb.DuckDBPyConnection, cursor: Cursor, run_id: str) -> None:
    """Insert or replace the cursor of `cursor.origin` (call inside the transaction of its data)."""
    values = asdict(cursor)
    columns = [*_COLUMNS, "run_id"]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "origin")
    db.run(
        con,
        f"insert into source_cursors ({', '.join(columns)}, updated_at) values ({', '.join('?' * len(columns))}, now()) "
        f"on conflict (origin) do update set {updates}, updated_at = now()",
        [*(values[c] for c in _COLUMNS), run_id],
    )
