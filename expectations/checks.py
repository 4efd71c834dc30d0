"""The SQL checks in `warehouse/checks/`: run them, and turn their rows into findings with stable ids.

No Great Expectations here (importing it is slow); `expectations.runner` adds the GX suites on top.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from transforms.schema import DQ_FINDING_SCHEMA, SEVERITIES
from warehouse import db

if TYPE_CHECKING:
    import duckdb

CHECKS_DIR = Path(__file__).resolve().parents[1] / "warehouse" / "checks"

CHECK_COLUMNS = ("check_name", "severity", "document_ids", "claim_ids", "region_code", "message", "finding_key")
"""Columns every check query returns, before its check-specific numeric columns."""


def check_queries(checks_dir: Path = CHECKS_DIR) -> dict[str, str]:
    """The check queries by check name (the file stem), in name order."""
    return {path.stem: path.read_text() for path in sorted(checks_dir.glob("*.sql"))}


READS_RUNS_OR_CLOCK = re.compile(r"\bruns\b|\bnow\(\)|\bcurrent_(?:date|timestamp)\b", re.IGNORECASE)


def reads_runs_or_clock(sql: str) -> bool:
    """Whether a check's result can change without the data changing (it reads `runs` or the clock),
    so that it must run again even when a run added nothing.

    >>> reads_runs_or_clock("select * from claims"), reads_runs_or_clock("select max(started_at) from runs")
    (False, True)
    """
    return bool(READS_RUNS_OR_CLOCK.search(sql))


def check_description(sql: str) -> str:
    """The leading `--` comment of a check query, as one paragraph.

    >>> check_description("-- One row per claim.\\n-- Severity: error.\\nselect 1")
    'One row per claim. Severity: error.'
    """
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(part for part in lines if part)


def run_check_queries(con: duckdb.DuckDBPyConnection, checks_dir: Path = CHECKS_DIR,
                      only: Callable[[str], bool] | None = None) -> dict[str, pl.DataFrame]:
    """Each check query's result frame by check name (only the queries `only` accepts, when given);
    one row per candidate problem."""
    frames: dict[str, pl.DataFrame] = {}
    for name, sql in check_queries(checks_dir).items():
        if only is not None and not only(sql):
            continue
        frame = con.sql(sql).pl()  # fetched in full before the next query: DuckDB results stream
        missing = [c for c in CHECK_COLUMNS if c not in frame.columns]
        if missing:
            raise ValueError(f"check {name} returns no {', '.join(missing)} column(s)")
        frames[name] = frame
    return frames


def finding_id(check_name: str, claim_ids: list[str | None], document_ids: list[str | None], key: str | None) -> str:
    """Stable id of one problem: the check, the rows it concerns and a message-independent key.

    >>> finding_id("speakers_disagree", ["b", "a"], ["d"], "hit") == finding_id("speakers_disagree", ["a", "b"], ["d"], "hit")
    True
    """
    payload = json.dumps(
        [check_name, sorted(c for c in claim_ids if c is not None),
         sorted(d for d in document_ids if d is not None), key or ""],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


# Characters json.dumps escapes: a row holding one takes the slow path, finding_id itself.
_JSON_ESCAPED = r'["\\\x00-\x1f]'


def finding_ids(rows: pl.DataFrame) -> pl.Series:
    """`finding_id` of every row (CHECK_COLUMNS), the same ids, 3x faster on 100k+ findings: the
    JSON payload is built by polars, only rows with characters JSON escapes go through json.dumps."""
    def ids(column: str) -> pl.Expr:
        return pl.col(column).cast(pl.List(pl.String)).fill_null([]).list.drop_nulls().list.sort()

    def json_list(values: pl.Expr) -> pl.Expr:
        return pl.when(values.list.len() == 0).then(pl.lit("[]")).otherwise('["' + values.list.join('", "') + '"]')

    check, key, claims, documents = pl.col("check"), pl.col("key"), pl.col("claims"), pl.col("documents")
    prepared = rows.select(
        check=pl.col("check_name").cast(pl.String), key=pl.col("finding_key").cast(pl.String).fill_null(""),
        claims=ids("claim_ids"), documents=ids("document_ids"),
    ).select(
        payload=pl.format('["{}", {}, {}, "{}"]', check, json_list(claims), json_list(documents), key),
        plain=~pl.concat_str([check, key, claims.list.join(""), documents.list.join("")])
        .str.contains(_JSON_ESCAPED).fill_null(True),
    )
    found = [hashlib.sha256(payload.encode()).hexdigest()[:20] if plain else None
             for payload, plain in zip(prepared["payload"].to_list(), prepared["plain"].to_list(), strict=True)]
    escaped = rows.with_row_index("_row").filter(~prepared["plain"])
    for row, check_name, claim_ids, document_ids, finding_key in escaped.select(
            "_row", "check_name", "claim_ids", "document_ids", "finding_key").iter_rows():
        found[row] = finding_id(check_name, claim_ids or [], document_ids or [], finding_key)
    return pl.Series("finding_id", found, dtype=pl.String)


def with_finding_ids(rows: pl.DataFrame) -> pl.DataFrame:
    """Findings (DQ_FINDING_SCHEMA) from rows with CHECK_COLUMNS, one per distinct finding id."""
    if rows.is_empty():
        return pl.DataFrame(schema=DQ_FINDING_SCHEMA)
    return as_findings(rows.with_columns(finding_id=finding_ids(rows)))


def as_findings(rows: pl.DataFrame) -> pl.DataFrame:
    """Findings (DQ_FINDING_SCHEMA) from rows with CHECK_COLUMNS and their finding_id, one per
    distinct finding id, most severe first."""
    if rows.is_empty():
        return pl.DataFrame(schema=DQ_FINDING_SCHEMA)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return (
        rows.select([pl.col(c).cast(t) for c, t in DQ_FINDING_SCHEMA.items()])
        .with_columns(
            document_ids=pl.col("document_ids").list.drop_nulls().list.sort(),
            claim_ids=pl.col("claim_ids").list.drop_nulls().list.sort(),
        )
        .unique(subset="finding_id", keep="first", maintain_order=True)
        .sort(pl.col("severity").replace_strict(rank, default=len(rank)), "check_name", "finding_id")
    )


def findings_from_checks(frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """The CHECK_COLUMNS of every check frame, stacked."""
    parts = [
        frame.select(
            pl.col("check_name").cast(pl.String),
            pl.col("severity").cast(pl.String),
            pl.col("document_ids").cast(pl.List(pl.String)),
            pl.col("claim_ids").cast(pl.List(pl.String)),
            pl.col("region_code").cast(pl.String),
            pl.col("message").cast(pl.String),
            pl.col("finding_key").cast(pl.String),
        )
        for frame in frames.values()
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema={c: pl.String for c in CHECK_COLUMNS})


def store_findings(con: duckdb.DuckDBPyConnection, run_id: str, findings: pl.DataFrame,
                   carry_from: str | None = None, carry_except: list[str] | None = None,
                   carry_unless_rechecked: list[str] | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Store a run's findings (DQ_FINDING_SCHEMA), each new unless an earlier run had it, and return
    (findings, new findings) by severity. The run must be in `runs` (it gives the run's number).

    A finding the previous run found unchanged extends that run's stretch (`dq_finding_stretches`)
    instead of being stored again. `carry_from` names a run whose findings of the checks not in
    `carry_except` still hold: they go on inside DuckDB, never through Python (a big warehouse's
    run has 100k+ of them). Of the checks in `carry_unless_rechecked`, only the findings about no
    claim in `rechecked_claims` are carried (see `rechecking_cells_of`): the others were found again.
    """
    run_no = _run_no(con, run_id)
    con.register("_run_findings", findings.select(list(DQ_FINDING_SCHEMA)))
    try:
        with db.transaction(con):
            previous_no = _previous_storing_run(con, run_no)
            if carry_from is not None:
                carried_no = _run_no(con, carry_from)
                _carry_stretches(con, run_no, previous_no, carried_no, carry_except or [],
                                 carry_unless_rechecked or [])
            db.run(con, f"""
                update dq_finding_stretches as s
                set last_run_no = ?
                from _run_findings as f
                where s.last_run_no = ? and {same_finding("s", "f")}""", [run_no, previous_no])
            db.run(con, """
                insert into dq_finding_stretches
                with found_before as (
                    select finding_id, min(found_first_run_no) as found_first_run_no
                    from dq_finding_stretches
                    where finding_id in (select finding_id from _run_findings)
                    group by finding_id
                )
                select
                    f.finding_id, f.check_name, f.severity, f.document_ids, f.claim_ids, f.region_code, f.message,
                    ?, ?, coalesce(found_before.found_first_run_no, ?)
                from _run_findings as f
                left join found_before using (finding_id)
                where f.finding_id not in (select finding_id from dq_finding_stretches where last_run_no = ?)""",
                   [run_no, run_no, run_no, run_no])
            db.run(con, "update runs set findings_stored = true where run_id = ?", [run_id])
    finally:
        con.unregister("_run_findings")
    counts = db.run(con, """
        select severity, count(*), count(*) filter (where found_first_run_no = ?)
        from dq_finding_stretches
        where ? between first_run_no and last_run_no
        group by severity""", [run_no, run_no])
    return {s: n for s, n, _ in counts}, {s: new for s, _, new in counts if new}


def same_finding(a: str, b: str) -> str:
    """SQL saying that findings `a` and `b` (aliases of relations with the DQ_FINDING_SCHEMA columns)
    are the same finding, found alike: same id, check, severity, rows and message.

    >>> same_finding("s", "f").splitlines()[0]
    's.finding_id = f.finding_id'
    """
    return "\n and ".join(
        f"{a}.{column} = {b}.{column}" if column in ("finding_id", "check_name", "severity", "message")
        else f"{a}.{column} is not distinct from {b}.{column}"
        for column in DQ_FINDING_SCHEMA)


def _run_no(con: duckdb.DuckDBPyConnection, run_id: str) -> int:
    """The number of run `run_id` (`runs.run_no`); raises if the run is not in `runs`."""
    rows = db.run(con, "select run_no from runs where run_id = ?", [run_id])
    if not rows or rows[0][0] is None:
        raise ValueError(f"run {run_id} not in runs (or without a run_no)")
    return rows[0][0]


def _previous_storing_run(con: duckdb.DuckDBPyConnection, run_no: int) -> int | None:
    """The number of the last run before `run_no` that stored its findings."""
    return db.run(con, "select max(run_no) from runs where findings_stored and run_no < ?", [run_no])[0][0]


def _carry_stretches(con: duckdb.DuckDBPyConnection, run_no: int, previous_no: int | None,
                     carried_no: int, except_checks: list[str], unless_rechecked: list[str]) -> None:
    """The carried run's findings of the checks not in `except_checks` (and, of the checks in
    `unless_rechecked`, not about a rechecked claim) become run `run_no`'s: the stretches that reach
    the previous run go on; those that stopped before it (a run in between, one that died after its
    checks, found otherwise) start again."""
    db.run(con, "create or replace temp table _found_again (finding_id varchar)")
    if unless_rechecked:
        db.run(con, """
            insert into _found_again
            select distinct finding_id
            from (
                select finding_id, unnest(claim_ids) as claim_id
                from dq_finding_stretches
                where ? between first_run_no and last_run_no
                    and check_name in (select unnest(?::varchar[]))
            )
            where claim_id in (select claim_id from rechecked_claims)""", [carried_no, unless_rechecked])
    try:
        db.run(con, """
            update dq_finding_stretches
            set last_run_no = ?
            where last_run_no = ? and first_run_no <= ?
              and check_name not in (select unnest(?::varchar[]))
              and finding_id not in (select finding_id from _found_again)""",
               [run_no, previous_no, carried_no, except_checks])
        db.run(con, """
            insert into dq_finding_stretches
            select finding_id, check_name, severity, document_ids, claim_ids, region_code, message, ?, ?, found_first_run_no
            from dq_finding_stretches
            where ? between first_run_no and last_run_no and last_run_no < ?
              and check_name not in (select unnest(?::varchar[]))
              and finding_id not in (select finding_id from _found_again)""",
               [run_no, run_no, carried_no, run_no, except_checks])
    finally:
        db.run(con, "drop table if exists temp._found_again")


def findings_as_before(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    """Whether the run stored exactly the findings of the run before it that stored findings: no
    stretch starts at this run and every one through that run goes on."""
    run_no = _run_no(con, run_id)
    previous_no = _previous_storing_run(con, run_no)
    if previous_no is None:
        return False
    return db.run(con, "select count(*) = 0 from dq_finding_stretches where first_run_no = ? or last_run_no = ?",
                  [run_no, previous_no])[0][0]
