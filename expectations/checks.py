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
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return (
        rows.with_columns(finding_id=finding_ids(rows))
        .select([pl.col(c).cast(t) for c, t in DQ_FINDING_SCHEMA.items()])
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
                   carry_from: str | None = None, carry_except: list[str] | None = None
                   ) -> tuple[dict[str, int], dict[str, int]]:
    """Store a run's findings (DQ_FINDING_SCHEMA), each marked new unless an earlier run had it, and
    return (findings, new findings) by severity.

    `carry_from` names a run whose findings of the checks not in `carry_except` still hold: they are
    copied inside DuckDB (a big warehouse's run has 100k+ of them; they never travel through Python).
    """
    con.register("_run_findings", findings.select(list(DQ_FINDING_SCHEMA)))
    try:
        with db.transaction(con):
            db.run(con, """
                insert into dq_findings
                    (run_id, finding_id, check_name, severity, document_ids, claim_ids, region_code, message, is_new)
                select
                    ?, finding_id, check_name, severity, document_ids, claim_ids, region_code, message,
                    finding_id not in (select finding_id from dq_findings where run_id <> ?)
                from _run_findings""", [run_id, run_id])
            if carry_from is not None:
                db.run(con, """
                    insert into dq_findings
                        (run_id, finding_id, check_name, severity, document_ids, claim_ids, region_code, message, is_new)
                    select ?, finding_id, check_name, severity, document_ids, claim_ids, region_code, message, false
                    from dq_findings
                    where run_id = ? and check_name not in (select unnest(?::varchar[]))""",
                       [run_id, carry_from, carry_except or []])
    finally:
        con.unregister("_run_findings")
    counts = db.run(con, "select severity, count(*), count(*) filter (where is_new) "
                         "from dq_findings where run_id = ? group by severity", [run_id])
    return {s: n for s, n, _ in counts}, {s: new for s, _, new in counts if new}
