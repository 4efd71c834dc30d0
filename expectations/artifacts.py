"""The report's summary as Prefect artifacts on the flow run: a markdown page and a findings table.

Artifacts are keyed (`dq-report`, `dq-findings`), so the Prefect UI shows their history run after
run. Text from dumps is untrusted here too: markdown gets it escaped and cut short.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from expectations.report import CHECK_TITLES, SEVERITY_ORDER
from warehouse import db

if TYPE_CHECKING:
    import duckdb

MARKDOWN_KEY = "dq-report"
TABLE_KEY = "dq-findings"
MAX_TABLE_ROWS = 500
MAX_MESSAGE_CHARS = 300

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_text(value: Any, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`value` as inert markdown text: HTML escaped, markdown punctuation backslashed, one line, cut short.

    >>> md_text("<img src=x onerror=alert(1)> [a](javascript:x)")
    '&lt;img src=x onerror=alert\\\\(1\\\\)&gt; \\\\[a\\\\]\\\\(javascript:x\\\\)'
    """
    text = "" if value is None else " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=True))


def summary_markdown(con: duckdb.DuckDBPyConnection, run_id: str, report_path: Path) -> str:
    """The markdown artifact: headline numbers, findings by check, the errors, where the report is.

    Reads counts and the first errors, never every finding: a big warehouse's run has 100k+ of them.
    """
    by_check = db.query(
        con,
        """select check_name, severity, count(*) as n, count(*) filter (where is_new) as new
           from dq_findings where run_id = ? group by all""",
        [run_id],
    )
    errors = db.query(
        con,
        """select message, is_new from dq_findings where run_id = ? and severity = 'error'
           order by not is_new, check_name, finding_id limit 10""",
        [run_id],
    )
    counts = db.query(
        con,
        """select (select count(*) from documents where first_run_id = ?) as documents_new,
                  (select count(*) from claims) as claims,
                  (select count(*) from rejected where first_run_id = ?) as rejected_new""",
        [run_id, run_id],
    ).to_dicts()[0]
    lines = [
        f"# dronewatch data quality, run {md_text(run_id)}",
        "",
        f"documents new: **{counts['documents_new']}** · claims in the warehouse: **{counts['claims']}** · "
        f"records rejected by this run: **{counts['rejected_new']}**",
        "",
        "| severity | findings | new |",
        "|---|---:|---:|",
    ]
    for severity in SEVERITY_ORDER:
        of = by_check.filter(pl.col("severity") == severity)
        lines.append(f"| {severity} | {of['n'].sum()} | {of['new'].sum()} |")
    if not by_check.is_empty():
        lines += ["", "| check | severity | findings | new |", "|---|---|---:|---:|"]
        rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        for row in sorted(by_check.to_dicts(), key=lambda r: (rank.get(r["severity"], 9), r["check_name"])):
            title = CHECK_TITLES.get(row["check_name"], row["check_name"])
            lines.append(f"| {md_text(title)} (`{row['check_name']}`) | {row['severity']} | {row['n']} | {row['new']} |")
    if not errors.is_empty():
        lines += ["", "## Errors", ""]
        lines += [f"- {'**new** ' if e['is_new'] else ''}{md_text(e['message'])}" for e in errors.to_dicts()]
    lines += ["", f"Full report (offline HTML): `{md_text(str(report_path), 500)}`"]
    return "\n".join(lines)


def findings_table(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """The table artifact's rows: one per finding of the run, errors and new ones first.

    Cells are text; `<`, `>` and `&` are escaped in case a viewer renders them as HTML, quotes are
    kept readable.
    """
    findings = db.query(
        con,
        """select severity, check_name, is_new, region_code, message, document_ids
           from dq_findings where run_id = ?
           order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, not is_new,
                    check_name, finding_id
           limit ?""",
        [run_id, MAX_TABLE_ROWS],
    )
    return [
        {
            "severity": row["severity"],
            "check": row["check_name"],
            "new": bool(row["is_new"]),
            "region": row["region_code"] or "",
            "message": html.escape(_cut(row["message"]), quote=False),
            "documents": html.escape(_cut(", ".join(row["document_ids"] or [])), quote=False),
        }
        for row in findings.to_dicts()
    ]


def _cut(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 1] + "…"


def publish_artifacts(con: duckdb.DuckDBPyConnection, run_id: str, report_path: Path) -> None:
    """Attach the run's data-quality summary to the current Prefect flow run as artifacts.

    Outside a flow or task run this does nothing (so scripts and tests may call it freely).
    """
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    from prefect.context import FlowRunContext, TaskRunContext

    if FlowRunContext.get() is None and TaskRunContext.get() is None:
        return
    create_markdown_artifact(
        markdown=summary_markdown(con, run_id, report_path),
        key=MARKDOWN_KEY,
        description=f"dronewatch data-quality summary of run {run_id}",
    )
    rows = findings_table(con, run_id)
    create_table_artifact(
        table=rows or [{"severity": "", "check": "", "new": False, "region": "", "message": "no findings",
                        "documents": ""}],
        key=TABLE_KEY,
        description=f"dronewatch data-quality findings of run {run_id}",
    )
