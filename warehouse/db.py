"""The DuckDB warehouse: connect, migrate, load, publish.

One process writes the warehouse at a time (a lock file beside it says who); analysts read the
published snapshot, a copy swapped in atomically after each run, so they never block a run and
never see a half-written state.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MARTS_DIR = Path(__file__).parent / "marts"


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse's write lock."""


def snapshot_path(warehouse: Path) -> Path:
    """Where the read-only copy of `warehouse` is published: `x.duckdb` -> `x.snapshot.duckdb`."""
    return warehouse.with_name(f"{warehouse.stem}.snapshot{warehouse.suffix or '.duckdb'}")


@contextlib.contextmanager
def write_lock(warehouse: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the warehouse's single-writer lock; wait up to `wait_seconds`, then raise WarehouseBusy."""
    lock_file = warehouse.with_name(warehouse.name + ".lock")
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise WarehouseBusy(
                        f"{warehouse} is being written by {holder}; try again when that run ends"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect(path: Path | str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (creating its folder) and bring its schema up to date unless read-only."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    # DuckDB's default (80 % of RAM) lets loads and checks grow the run past the 2 GiB a run may use
    # (bench/results.md); under this limit large queries spill to disk instead
    run(con, "set memory_limit = ?", [memory_limit()])
    if not read_only:
        migrate(con)
    return con


def memory_limit() -> str:
    """DuckDB's memory limit for a run (DRONEWATCH_DUCKDB_MEMORY_LIMIT, default 1GB)."""
    return os.environ.get("DRONEWATCH_DUCKDB_MEMORY_LIMIT", "1GB")


def release_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Make DuckDB hand back the memory it keeps after large queries (cached blocks, allocator
    caches), before Python-side work that needs it: DuckDB frees down to a limit when the limit is
    lowered. The checks of a 1M-document warehouse keep ~500 MiB otherwise."""
    try:
        run(con, "set memory_limit = '32MB'")
    except duckdb.Error:  # pinned by an open result: nothing released, nothing lost
        pass
    finally:
        run(con, "set memory_limit = ?", [memory_limit()])


def run(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    """Execute one statement and read its result to the end.

    DuckDB 2.0 streams results: a statement whose result is left unread (even an insert's row
    count) makes the next statement on the connection fail, so every statement goes through here
    or through `query`.
    """
    return con.execute(sql, params or []).fetchall()


def applied_migrations(con: duckdb.DuckDBPyConnection) -> set[int]:
    run(con, "create table if not exists schema_migrations ("
             " version integer primary key, name varchar not null,"
             " applied_at timestamptz not null default now())")
    return {row[0] for row in run(con, "select version from schema_migrations")}


def migrate(con: duckdb.DuckDBPyConnection, migrations_dir: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply every `NNNN_name.sql` not applied yet, each in its own transaction; return their names."""
    done = applied_migrations(con)
    applied = []
    for path in sorted(migrations_dir.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:4])
        if version in done:
            continue
        with transaction(con):
            run(con, path.read_text(encoding="utf-8"))
            run(con, "insert into schema_migrations (version, name) values (?, ?)", [version, path.stem])
        applied.append(path.stem)
    return applied


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Everything inside commits together or not at all."""
    run(con, "begin transaction")
    try:
        yield
    except BaseException:
        run(con, "rollback")
        raise
    run(con, "commit")


# Columns DuckDB computes from the others as rows are inserted (see the migrations).
COMPUTED_ON_INSERT = {"documents": {"reports_drones": "text_reports_drones(text)"}}


def insert_new(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Insert the rows of `frame` whose primary key is not in `table` yet; return how many were new.

    Columns are matched by name, so the frame may hold them in any order (and fewer than the table).
    Columns of COMPUTED_ON_INSERT the frame lacks are computed from the row.
    """
    if frame.is_empty():
        return 0
    computed = {c: sql for c, sql in COMPUTED_ON_INSERT.get(table, {}).items() if c not in frame.columns}
    columns = ", ".join(f'"{c}"' for c in [*frame.columns, *computed])
    values = ", ".join([*(f'"{c}"' for c in frame.columns), *computed.values()])
    view = f"_incoming_{table}"
    con.register(view, frame)
    try:
        inserted = run(con, f"insert into {table} ({columns}) select {values} from {view} on conflict do nothing")
    finally:
        con.unregister(view)
    return inserted[0][0] if inserted else 0


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, key: str, frame: pl.DataFrame) -> None:
    """Replace the rows of `table` whose `key` appears in `frame` by the frame's rows."""
    if frame.is_empty():
        return
    view = f"_replacing_{table}"
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    con.register(view, frame)
    try:
        run(con, f'delete from {table} where "{key}" in (select "{key}" from {view})')
        run(con, f"insert into {table} ({columns}) select {columns} from {view}")
    finally:
        con.unregister(view)


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The names of the tables and views of the connection's database."""
    return {name for (name,) in run(con, "select table_name from information_schema.tables")}


def query(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """Run one query and read its whole result (DuckDB 2.0 streams results: never leave one unread)."""
    return con.sql(sql, params=params or None).pl()


def publish(warehouse: Path, con: duckdb.DuckDBPyConnection | None = None) -> Path:
    """Copy the warehouse to its snapshot path atomically (readers keep the old file until they reopen).

    The copy is written beside the snapshot and renamed over it, so a reader opening the snapshot sees
    either the previous run or this one, never a partial file. Partial copies left by processes that
    died while publishing (`<snapshot>.partial-<pid>`, the pid no longer alive) are removed.
    """
    if con is not None:
        run(con, "checkpoint")
    target = snapshot_path(warehouse)
    remove_stale_partials(target)
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    try:
        shutil.copyfile(warehouse, partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def remove_stale_partials(snapshot: Path) -> list[Path]:
    """Delete the `<snapshot>.partial-<pid>` copies whose process is gone; return them."""
    removed = []
    for path in snapshot.parent.glob(snapshot.name + ".partial-*"):
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def content_hash(text: str) -> str:
    """The hash stored with a document's text; equal texts have equal hashes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
