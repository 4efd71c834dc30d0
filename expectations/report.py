"""The data-quality report: one self-contained HTML page a person reads in a minute before trusting
a number of a run.

The page works offline: inline CSS, charts drawn here as inline SVG, no script, no font or image
fetched. Everything that comes from a dump (quotes, speakers, ids, titles, reasons, excerpts) is
untrusted and goes through `esc`; a URL becomes a link only when it is http(s). A Content-Security-
Policy that allows no script at all backs that up.
"""
from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from warehouse import db

if TYPE_CHECKING:
    import duckdb

REPORT_NAME = "data-quality.html"
"""The latest run's report, in the report folder; each run's own copy is in `data-quality/<run_id>.html`."""

DOWNED_OUTCOMES = ("intercepted", "suppressed")
"""What the charts count: drones a speaker says were downed (shot down, destroyed or jammed)."""

ROLE_COLOURS = {
    "defence_ministry": "#1f4e79",
    "military": "#4a90c8",
    "regional_head": "#c55a11",
    "city_head": "#e9a46a",
    "media": "#5b9b3c",
    "other": "#7f7f7f",
    "unknown": "#bdbdbd",
}
SEVERITY_ORDER = ("error", "warning", "info")
MAX_ROWS_PER_CHECK = 200
MAX_REJECTED_ROWS = 50
MAX_CHART_REGIONS = 15
MAX_CHART_DAYS = 31

CHECK_TITLES = {
    "breakdown_adds_up": "Breakdown items do not make their total",
    "breakdown_item_has_total": "Breakdown item without its total",
    "speakers_disagree": "Speakers disagree",
    "reprinted_claim": "Claims retold by several outlets (counted once)",
    "locality_resolved": "Towns the gazetteer could not place",
    "place_in_claimed_region": "Town outside the region the claim names",
    "region_code_known": "Unknown region codes",
    "count_is_positive_integer": "Missing, non-positive or implausibly large counts",
    "window_plausible": "Reporting windows in the future or after publication",
    "published_in_future": "Documents dated after the run",
    "window_ordered": "Reporting windows that end before they start",
    "speaker_role_matches_channel": "Speaker role contradicts its channel",
    "rejected_records": "Records rejected, by reason",
    "source_volume_dropped": "Sources whose volume dropped",
    "drone_document_without_claim": "Documents about drones that yielded no claim",
    "source_stale": "Sources far behind the others",
}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1d;background:#f6f6f4}
main{max-width:1180px;margin:0 auto;padding:18px 22px 60px}
h1{font-size:22px;margin:0 0 2px}h2{font-size:18px;margin:30px 0 8px;border-bottom:2px solid #ddd;padding-bottom:3px}
h3{font-size:15px;margin:18px 0 6px}.meta{color:#555;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:14px 0}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}.card span{color:#555;font-size:12px}
.verdict{padding:10px 14px;border-radius:6px;margin:10px 0;font-weight:600}
.verdict.error{background:#fde2e1;border:1px solid #e0a3a0}.verdict.ok{background:#e3f3e0;border:1px solid #a8d3a0}
.verdict.warning{background:#fff4d6;border:1px solid #e6cf8f}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 12px}
th,td{border:1px solid #ddd;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#efefec;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600;color:#fff}
.sev.error{background:#b3261e}.sev.warning{background:#b7791f}.sev.info{background:#5f6b7a}
.new{font-size:11px;color:#b3261e;font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:10px;background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px;margin:10px 0}
.side{border-left:4px solid #999;padding-left:10px}.side .count{font-size:22px;font-weight:700}
.pair .why{grid-column:1/3;color:#444;font-size:13px;border-top:1px solid #eee;padding-top:6px}
blockquote{margin:4px 0;padding:4px 8px;background:#f7f7f2;border-left:3px solid #ccc;white-space:pre-wrap;word-break:break-word}
.msg{white-space:pre-wrap;word-break:break-word}.ids{font-size:12px;word-break:break-all}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px;margin:8px 0;overflow-x:auto}
.howto{background:#fff;border:1px solid #ddd;border-radius:6px;padding:6px 16px}
code{background:#eee;padding:0 3px;border-radius:3px}a{color:#1a5fb4}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


# --- escaping -------------------------------------------------------------------------------------

def esc(value: Any) -> str:
    """`value` as HTML text: every character that could open markup or end an attribute is escaped.

    >>> esc('<script>alert("x")</script>')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
    >>> esc(None)
    ''
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`\x00-\x1f\x7f]+$", re.IGNORECASE)


def safe_url(url: str | None) -> str | None:
    """`url`, escaped for an href, when it is a plain http(s) URL; None otherwise (javascript:, data:, ...).

    >>> safe_url("https://example.org/a?b=1&c=2")
    'https://example.org/a?b=1&amp;c=2'
    >>> safe_url("javascript:alert(1)") is None and safe_url(" https://x.org") is None
    True
    """
    if not url or not _SAFE_URL.match(url):
        return None
    return esc(url)


def doc_anchor(document_id: str) -> str:
    """An id attribute value for a document's row that no dump text can break out of."""
    return "doc-" + db.content_hash(document_id)[:16]


# --- reading the warehouse ------------------------------------------------------------------------

@dataclass
class ReportData:
    """Everything the report shows for one run, read from the warehouse."""

    run_id: str
    run: dict[str, Any]
    headline: dict[str, int]
    finding_counts: pl.DataFrame
    """One row per check and severity: `findings` and `new` ones, in the summary table's order."""
    shown_findings: pl.DataFrame
    """The findings the page shows: per check, the first MAX_ROWS_PER_CHECK in the order shown."""
    claims: pl.DataFrame
    documents: pl.DataFrame
    rejected: pl.DataFrame
    by_day: pl.DataFrame
    by_region: pl.DataFrame


def _independent_statements_sql() -> str:
    """Downed-drone claims of regions, one row per statement (reprints collapse into one)."""
    outcomes = ", ".join(f"'{o}'" for o in DOWNED_OUTCOMES)
    return f"""
        select distinct
            speaker_key(speaker_role, speaker, region_code) as speaker_key,
            coalesce(speaker_role, 'unknown') as speaker_role,
            region_code,
            coalesce(cast(locality_id as varchar), lower(locality)) as place_key,
            outcome,
            count,
            reporting_day_of(window_start, window_end, published_at) as reporting_day
        from claims
        where outcome in ({outcomes}) and count is not null and count > 0 and region_code is not null
            and not coalesce(is_total, false) and not coalesce(is_cumulative, false)
    """


def _load_finding_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """One row per check and severity of the run: its findings and new findings, most severe first."""
    return db.query(
        con,
        """select
               check_name,
               severity,
               count(*) as findings,
               count(*) filter (where is_new) as new
           from dq_findings
           where run_id = ?
           group by check_name, severity
           order by list_position(?::varchar[], severity) nulls last, findings desc, check_name""",
        [run_id, list(SEVERITY_ORDER)],
    )


def _load_shown_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> pl.DataFrame:
    """The first MAX_ROWS_PER_CHECK findings of each check of the run, in the order the page shows
    them: severity (as in SEVERITY_ORDER, unknown last), new first, message; finding_id breaks ties.

    Picked by a top-n aggregate (`min_by(..., n)`) rather than numbering every finding in order:
    1M documents, 180k findings: 0.07 s instead of 0.3-0.5 s.
    """
    return db.query(
        con,
        """with run_findings as (
               select
                   *,
                   struct_pack(
                       severity_rank := coalesce(list_position(?::varchar[], severity), 999),
                       not_new := not is_new,
                       message := message,
                       finding_id := finding_id
                   ) as shown_order
               from dq_findings
               where run_id = ?
           ),
           shown as (
               select check_name, unnest(min_by(finding_id, shown_order, ?)) as finding_id
               from run_findings
               group by check_name
           )
           select finding_id, check_name, severity, document_ids, claim_ids, region_code, message, is_new
           from run_findings
           semi join shown using (check_name, finding_id)
           order by check_name, shown_order""",
        [list(SEVERITY_ORDER), run_id, MAX_ROWS_PER_CHECK],
    )


def _load_claims(con: duckdb.DuckDBPyConnection, findings: pl.DataFrame) -> pl.DataFrame:
    """The claims `findings` name, and the items of those that are totals."""
    claim_ids = sorted({c for ids in findings["claim_ids"].to_list() for c in (ids or [])})
    return db.query(
        con,
        """select c.claim_id, c.document_id, c.speaker, c.speaker_role, c.outcome, c.count, c.count_qualifier,
                  c.is_total, c.parent_claim_id, c.region_code, c.locality, c.window_start, c.window_end,
                  c.window_text, c.quote, c.published_at, c.source
           from claims as c
           where c.claim_id in (select unnest(?::varchar[]))
              or c.parent_claim_id in (select unnest(?::varchar[]))""",
        [claim_ids, claim_ids],
    )


def _load_documents(con: duckdb.DuckDBPyConnection, findings: pl.DataFrame, claims: pl.DataFrame) -> pl.DataFrame:
    """The documents `findings` and `claims` name, by id."""
    document_ids = sorted(
        {d for ids in findings["document_ids"].to_list() for d in (ids or [])} | set(claims["document_id"].to_list())
    )
    return db.query(
        con,
        "select id, source, published_at, url, title, first_run_id from documents "
        "where id in (select unnest(?::varchar[])) order by id",
        [document_ids],
    )


def load_report_data(con: duckdb.DuckDBPyConnection, run_id: str) -> ReportData:
    """Read what the report of `run_id` shows: the run, its finding counts, the findings shown and
    the rows they name (never more findings than the page shows, however many the run has)."""
    runs = db.query(con, "select * from runs where run_id = ?", [run_id])
    run = runs.to_dicts()[0] if runs.height else {"run_id": run_id}
    finding_counts = _load_finding_counts(con, run_id)
    shown_findings = _load_shown_findings(con, run_id)
    claims = _load_claims(con, shown_findings)
    documents = _load_documents(con, shown_findings, claims)
    rejected = db.query(
        con,
        "select origin, record_no, reason, excerpt, first_run_id = ? as is_new from rejected "
        "order by first_run_id = ? desc, origin, record_no limit ?",
        [run_id, run_id, MAX_REJECTED_ROWS],
    )
    headline = db.query(
        con,
        """select
               (select count(*) from documents) as documents,
               (select count(*) from documents where first_run_id = $run) as documents_new,
               (select count(*) from claims) as claims,
               (select count(*) from extracted_claims where run_id = $run) as claims_new,
               (select count(*) from rejected) as rejected,
               (select count(*) from rejected where first_run_id = $run) as rejected_new""".replace("$run", "?"),
        [run_id, run_id, run_id],
    ).to_dicts()[0]
    # the charts and the agreement count read the statements once (1M: three passes over `claims` were 0.2 s)
    db.run(con, f"create or replace temp table report_statements as {_independent_statements_sql()}")
    try:
        headline["agreements"] = db.query(
            con,
            """select count(*) as agreements
                from report_statements as a
                inner join report_statements as b
                    on a.speaker_key < b.speaker_key
                    and a.region_code = b.region_code
                    and a.place_key is not distinct from b.place_key
                    and a.outcome = b.outcome
                    and a.count = b.count
                    and a.reporting_day = b.reporting_day""",
        )["agreements"][0]
        by_day = db.query(
            con,
            """select reporting_day as category, speaker_role, sum(count) as drones
                from report_statements where reporting_day is not null
                group by all order by category desc, speaker_role limit 1000""",
        )
        days = sorted(set(by_day["category"].to_list()), reverse=True)[:MAX_CHART_DAYS]
        by_day = by_day.filter(pl.col("category").is_in(days)).sort("category", "speaker_role")
        by_region = db.query(
            con,
            f"""with sums as (
                    select region_code as category, speaker_role, sum(count) as drones
                    from report_statements group by all
                ),
                ranked as (
                    select category, max(drones) as top from sums group by category
                    order by top desc, category limit {MAX_CHART_REGIONS}
                )
                select sums.* from sums join ranked using (category) order by ranked.top desc, category, speaker_role""",
        )
    finally:
        db.run(con, "drop table if exists temp.report_statements")
    return ReportData(run_id, run, headline, finding_counts, shown_findings, claims, documents, rejected,
                      by_day.with_columns(pl.col("category").cast(pl.String)), by_region)


# --- charts -----------------------------------------------------------------------------------------

def bar_chart(title: str, rows: Sequence[Mapping[str, Any]], value_label: str = "drones") -> str:
    """An inline SVG of horizontal grouped bars: one group per category, one bar per speaker role.

    `rows` hold `category`, `speaker_role` and `drones`, in the order the groups are drawn.
    """
    groups: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        groups.setdefault(str(row["category"]), []).append((str(row["speaker_role"]), int(row["drones"] or 0)))
    if not groups:
        return f'<div class="chart"><p class="meta">{esc(title)}: no counts to draw.</p></div>'
    roles = [r for r in ROLE_COLOURS if any(r == role for bars in groups.values() for role, _ in bars)]
    roles += sorted({role for bars in groups.values() for role, _ in bars} - set(roles))
    peak = max(value for bars in groups.values() for _, value in bars) or 1
    label_w, bar_area, bar_h, gap, top = 150, 640, 14, 10, 46
    width = label_w + bar_area + 60
    height = top + sum(len(bars) * bar_h + gap for bars in groups.values()) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="bars"><title>{esc(title)}</title>',
        f'<text x="0" y="16" font-size="14" font-weight="600">{esc(title)}</text>',
    ]
    x = 0
    for role in roles:
        colour = ROLE_COLOURS.get(role, "#999")
        parts.append(f'<rect x="{x}" y="26" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="35" font-size="11">{esc(role)}</text>')
        x += 18 + 7 * len(role)
    y = top
    for category, bars in groups.items():
        group_h = len(bars) * bar_h
        parts.append(f'<text x="{label_w - 8}" y="{y + group_h / 2 + 4:.0f}" font-size="12" '
                     f'text-anchor="end">{esc(category)}</text>')
        for role, value in sorted(bars, key=lambda b: roles.index(b[0])):
            w = max(1.0, bar_area * value / peak)
            colour = ROLE_COLOURS.get(role, "#999")
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{colour}">'
                f'<title>{esc(category)} · {esc(role)}: {value} {esc(value_label)}</title></rect>'
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" font-size="11">{value}</text>'
            )
            y += bar_h
        y += gap
    parts.append("</svg>")
    return '<div class="chart">' + "".join(parts) + "</div>"


# --- rendering --------------------------------------------------------------------------------------

def severity_badge(severity: str) -> str:
    cls = severity if severity in SEVERITY_ORDER else "info"
    return f'<span class="sev {cls}">{esc(severity)}</span>'


def document_link(document_id: str, documents: Mapping[str, Mapping[str, Any]]) -> str:
    """The document id, linking to its row in the documents table, then to its URL when it has one."""
    link = f'<a href="#{doc_anchor(document_id)}">{esc(document_id)}</a>'
    url = safe_url((documents.get(document_id) or {}).get("url"))
    if url:
        link += f' (<a href="{url}" rel="noopener noreferrer nofollow">source</a>)'
    return link


def _fmt_time(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return "" if value is None else str(value)


def _window(claim: Mapping[str, Any]) -> str:
    if claim.get("window_start") is None and claim.get("window_end") is None:
        text = claim.get("window_text")
        return "window unknown" + (f" (“{esc(text)}”)" if text else "")
    return f"{esc(_fmt_time(claim.get('window_start')))} to {esc(_fmt_time(claim.get('window_end')))}"


def _claim_side(claim: Mapping[str, Any] | None, documents: Mapping[str, Mapping[str, Any]]) -> str:
    if claim is None:
        return '<div class="side"><p class="meta">claim no longer in the warehouse</p></div>'
    colour = ROLE_COLOURS.get(claim.get("speaker_role") or "unknown", "#999")
    qualifier = claim.get("count_qualifier")
    return (
        f'<div class="side" style="border-left-color:{colour}">'
        f'<div>{esc(claim.get("speaker") or "unnamed speaker")} <span class="meta">({esc(claim.get("speaker_role"))})</span></div>'
        f'<div><span class="count">{esc(claim.get("count"))}</span> {esc(claim.get("outcome"))}'
        f'{" (" + esc(qualifier) + ")" if qualifier and qualifier != "exact" else ""} in {esc(claim.get("region_code"))}'
        f'{" / " + esc(claim.get("locality")) if claim.get("locality") else ""}</div>'
        f'<div class="meta">{_window(claim)}; published {esc(_fmt_time(claim.get("published_at")))}</div>'
        f'<blockquote>{esc(claim.get("quote"))}</blockquote>'
        f'<div class="ids">document {document_link(claim["document_id"], documents)} · claim {esc(claim["claim_id"])}</div>'
        "</div>"
    )


def _new_tag(is_new: Any) -> str:
    return ' <span class="new">new</span>' if is_new else ""


def render_disagreements(findings: pl.DataFrame, claims: Mapping[str, Mapping[str, Any]],
                         documents: Mapping[str, Mapping[str, Any]]) -> str:
    rows = _rows_of(findings, "speakers_disagree")
    if not rows:
        return "<p>No two independent speakers give different counts for the same region, outcome and time.</p>"
    parts = []
    for finding in rows:
        sides = [claims.get(c) for c in (finding["claim_ids"] or [])[:2]]
        while len(sides) < 2:
            sides.append(None)
        parts.append(
            '<div class="pair">' + "".join(_claim_side(side, documents) for side in sides)
            + f'<div class="why">{severity_badge(finding["severity"])}{_new_tag(finding["is_new"])} '
            f'<span class="msg">{esc(finding["message"])}</span></div></div>'
        )
    return "".join(parts)


def render_breakdowns(findings: pl.DataFrame, claims: Mapping[str, Mapping[str, Any]],
                      documents: Mapping[str, Mapping[str, Any]]) -> str:
    rows = _rows_of(findings, "breakdown_adds_up")
    if not rows:
        return "<p>Every breakdown's items make its total.</p>"
    parts = []
    for finding in rows:
        named = [claims[c] for c in finding["claim_ids"] or [] if c in claims]
        totals = [c for c in named if any(other.get("parent_claim_id") == c["claim_id"] for other in named)]
        total = totals[0] if totals else None
        items = [c for c in named if total is not None and c.get("parent_claim_id") == total["claim_id"]]
        items_sum = sum(c.get("count") or 0 for c in items)
        head = (f'{severity_badge(finding["severity"])}{_new_tag(finding["is_new"])} ')
        if total is None:
            parts.append(f'<p>{head}<span class="msg">{esc(finding["message"])}</span></p>')
            continue
        item_rows = "".join(
            f'<tr><td>{esc(c.get("region_code"))}{" / " + esc(c.get("locality")) if c.get("locality") else ""}</td>'
            f'<td class="n">{esc(c.get("count"))}</td><td><blockquote>{esc(c.get("quote"))}</blockquote></td></tr>'
            for c in items
        )
        parts.append(
            f"<h3>{head}{esc(total.get('speaker') or total.get('speaker_role'))}: total {esc(total.get('count'))}, "
            f"items {items_sum} ({items_sum - (total.get('count') or 0):+d})</h3>"
            f"<blockquote>{esc(total.get('quote'))}</blockquote>"
            f'<table><tr><th>item</th><th>count</th><th>quote</th></tr>{item_rows}'
            f'<tr><th>sum of items</th><td class="n"><b>{items_sum}</b></td><td>total says {esc(total.get("count"))}'
            f' · document {document_link(total["document_id"], documents)}</td></tr></table>'
            f'<p class="meta msg">{esc(finding["message"])}</p>'
        )
    return "".join(parts)


def _rows_of(findings: pl.DataFrame, check_name: str) -> list[dict[str, Any]]:
    """The shown findings of one check, in the order `load_report_data` put them (the page's)."""
    return findings.filter(pl.col("check_name") == check_name).to_dicts()


def _findings_per_check(counts: pl.DataFrame) -> dict[str, int]:
    """How many findings each check has in all (shown or not), from per-severity `counts`."""
    return dict(counts.group_by("check_name").agg(pl.col("findings").sum()).iter_rows())


def _more_not_shown(total: int, shown: int) -> str:
    return f"<p class='meta'>{total - shown} more not shown.</p>" if total > shown else ""


def render_findings_table(rows: Iterable[Mapping[str, Any]], documents: Mapping[str, Mapping[str, Any]]) -> str:
    body = []
    for finding in rows:
        links = ", ".join(document_link(d, documents) for d in (finding["document_ids"] or [])[:20])
        body.append(
            f"<tr><td>{severity_badge(finding['severity'])}{_new_tag(finding['is_new'])}</td>"
            f"<td>{esc(finding['region_code'])}</td><td class='msg'>{esc(finding['message'])}</td>"
            f"<td class='ids'>{links}</td></tr>"
        )
    return ("<table><tr><th>severity</th><th>region</th><th>finding</th><th>documents</th></tr>"
            + "".join(body) + "</table>")


def render_rejected(findings: pl.DataFrame, rejected: pl.DataFrame, headline: Mapping[str, int],
                    reasons_in_all: int) -> str:
    reasons = _rows_of(findings, "rejected_records")
    if not reasons and rejected.is_empty():
        return "<p>Every record of every dump was read.</p>"
    parts = [f"<p>{headline['rejected']} record(s) rejected in all, {headline['rejected_new']} by this run. "
             "Rejected records are not in the claims: fix the dump (or the reader) and run again.</p>"]
    if reasons:
        parts.append("<ul>" + "".join(f"<li class='msg'>{esc(r['message'])}</li>" for r in reasons) + "</ul>"
                     + _more_not_shown(reasons_in_all, len(reasons)))
    if not rejected.is_empty():
        rows = "".join(
            f"<tr><td class='ids'>{esc(r['origin'])}</td><td class='n'>{esc(r['record_no'])}</td>"
            f"<td class='msg'>{esc(r['reason'])}{_new_tag(r['is_new'])}</td>"
            f"<td><blockquote>{esc(r['excerpt'])}</blockquote></td></tr>"
            for r in rejected.to_dicts()
        )
        parts.append(f"<h3>The first {rejected.height} rejected record(s), this run's first</h3>"
                     "<table><tr><th>file</th><th>record</th><th>reason</th><th>excerpt</th></tr>"
                     f"{rows}</table>")
    return "".join(parts)


def render_documents(documents: pl.DataFrame) -> str:
    if documents.is_empty():
        return "<p>No finding names a document.</p>"
    rows = []
    for doc in documents.to_dicts():
        url = safe_url(doc.get("url"))
        link = (f'<a href="{url}" rel="noopener noreferrer nofollow">{esc(doc["url"])}</a>' if url
                else esc(doc.get("url")))
        rows.append(
            f'<tr id="{doc_anchor(doc["id"])}"><td class="ids">{esc(doc["id"])}</td><td>{esc(doc.get("source"))}</td>'
            f'<td>{esc(_fmt_time(doc.get("published_at")))}</td><td>{esc(doc.get("title"))}</td>'
            f'<td class="ids">{link}</td></tr>'
        )
    return ("<table><tr><th>document id</th><th>source</th><th>published</th><th>title</th><th>url</th></tr>"
            + "".join(rows) + "</table>")


def render_summary_table(counts: pl.DataFrame) -> str:
    """One row per row of `counts` (check, severity, findings, new), in its order."""
    if counts.is_empty():
        return "<p>No check found anything.</p>"
    rows = "".join(
        f"<tr><td>{severity_badge(r['severity'])}</td><td><a href='#check-{esc(r['check_name'])}'>"
        f"{esc(CHECK_TITLES.get(r['check_name'], r['check_name']))}</a> <code>{esc(r['check_name'])}</code></td>"
        f"<td class='n'>{r['findings']}</td><td class='n'>{r['new']}</td></tr>"
        for r in counts.to_dicts()
    )
    return ("<table><tr><th>severity</th><th>check</th><th>findings</th><th>new this run</th></tr>"
            f"{rows}</table>")


HOW_TO_READ = """
<ul>
<li><b>error</b>: a number that cannot be right as stored (items above their total, a count that
contradicts another speaker over a nested window, a window in the future, an unknown region). Do not
use the numbers it names until you have read the quotes; <code>dronewatch run --fail-on error</code>
fails on a new one.</li>
<li><b>warning</b>: a number to read with care (a breakdown short of its total, speakers who disagree
when the windows cannot tell who is right, an unplaced town, a source gone quiet, documents about
drones with no claim).</li>
<li><b>info</b>: context (reprints counted once, a smaller count over a shorter window, rejected
records by reason, a stale source).</li>
<li><b>Counts confirmed by an independent speaker</b>: pairs of different speakers giving the same
downed count for one region and day. Outlets retelling one speaker are that speaker: a reprint never
confirms anything.</li>
<li>Charts count drones said to be downed (intercepted or suppressed) in one region, per speaker role:
each speaker's statement once however many outlets retold it; totals and running figures left out.
Bars of different roles are different speakers' views of the same drones: compare them, never add
them.</li>
</ul>
"""


SPECIAL_CHECKS = ("speakers_disagree", "breakdown_adds_up", "rejected_records")
"""Checks with a section of their own; every other check gets a table under "Other findings"."""


def _severity_totals(counts: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Findings and new findings of each severity of SEVERITY_ORDER, from per-check `counts`."""
    totals = {s: {"findings": 0, "new": 0} for s in SEVERITY_ORDER}
    for row in counts.to_dicts():
        if row["severity"] in totals:
            totals[row["severity"]]["findings"] += row["findings"]
            totals[row["severity"]]["new"] += row["new"]
    return totals


def render_verdict(totals: Mapping[str, Mapping[str, int]]) -> str:
    errors, warnings = totals["error"], totals["warning"]
    if errors["findings"]:
        return (f'<div class="verdict error">{errors["findings"]} error finding(s), {errors["new"]} new: '
                "read them before using the numbers they name.</div>")
    if warnings["findings"]:
        return (f'<div class="verdict warning">No errors; {warnings["findings"]} warning(s) to read '
                "before quoting the numbers they name.</div>")
    return '<div class="verdict ok">No errors or warnings.</div>'


def render_other_findings(findings: pl.DataFrame, counts: pl.DataFrame,
                          documents: Mapping[str, Mapping[str, Any]]) -> str:
    """A table per check without a section of its own, the checks with the most severe findings first."""
    rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    worst: dict[str, int] = {}
    for row in counts.to_dicts():
        worst[row["check_name"]] = min(worst.get(row["check_name"], 9), rank.get(row["severity"], 9))
    in_all = _findings_per_check(counts)
    sections = []
    for name in sorted(set(worst) - set(SPECIAL_CHECKS), key=lambda name: (worst[name], name)):
        rows = _rows_of(findings, name)
        sections.append(
            f"<h3 id='check-{esc(name)}'>{esc(CHECK_TITLES.get(name, name))} <code>{esc(name)}</code></h3>"
            + render_findings_table(rows, documents) + _more_not_shown(in_all[name], len(rows))
        )
    return "".join(sections) or "<p>None.</p>"


def render_report(data: ReportData, data_docs: str | None = None) -> str:
    """The report of `data` as one HTML page."""
    findings, counts = data.shown_findings, data.finding_counts
    claims = {c["claim_id"]: c for c in data.claims.to_dicts()}
    documents = {d["id"]: d for d in data.documents.to_dicts()}
    totals = _severity_totals(counts)
    rejected_reasons = _findings_per_check(counts).get("rejected_records", 0)
    h = data.headline
    cards = [
        (h["documents"], f"documents ({h['documents_new']} new)"),
        (h["claims"], f"claims ({h['claims_new']} new)"),
        (h["rejected"], f"rejected records ({h['rejected_new']} new)"),
        (h["agreements"], "counts confirmed by an independent speaker"),
    ] + [(totals[s]["findings"], f"{s} findings ({totals[s]['new']} new)") for s in SEVERITY_ORDER]
    card_html = "".join(f'<div class="card"><b>{value}</b><span>{esc(label)}</span></div>' for value, label in cards)
    run = data.run
    sources = run.get("sources") or []
    run_line = (f"run <code>{esc(data.run_id)}</code> · started {esc(_fmt_time(run.get('started_at')))}"
                f" · status {esc(run.get('status') or 'unknown')}"
                f" · sources: {esc(', '.join(map(str, sources)) or 'not recorded')}")
    docs_link = (f' · <a href="{esc(data_docs)}">Great Expectations Data Docs</a> (every rule and its result)'
                 if data_docs else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>dronewatch data quality · {esc(data.run_id)}</title>
<style>{CSS}</style></head>
<body><main>
<h1>dronewatch data-quality report</h1>
<p class="meta">{run_line}{docs_link}</p>
{render_verdict(totals)}
<div class="cards" id="headline">{card_html}</div>
<h2 id="summary">Findings by check</h2>
{render_summary_table(counts)}
<details class="howto"><summary>How to read this report</summary>{HOW_TO_READ}</details>
<h2 id="charts">Drones reported downed, by speaker role</h2>
{bar_chart("Per day (UTC reporting day, newest first)", data.by_day.to_dicts())}
{bar_chart(f"Per region (the {MAX_CHART_REGIONS} with the largest counts)", data.by_region.to_dicts())}
<h2 id="check-speakers_disagree">Speakers who disagree</h2>
{render_disagreements(findings, claims, documents)}
<h2 id="check-breakdown_adds_up">Totals that do not add up</h2>
{render_breakdowns(findings, claims, documents)}
<h2 id="other">Other findings</h2>
{render_other_findings(findings, counts, documents)}
<h2 id="check-rejected_records">What was rejected and why</h2>
{render_rejected(findings, data.rejected, data.headline, rejected_reasons)}
<h2 id="documents">Documents named above</h2>
{render_documents(data.documents)}
</main></body></html>
"""


def write_report(con: duckdb.DuckDBPyConnection, run_id: str, report_dir: Path) -> Path:
    """Write the data-quality report of `run_id` to `report_dir/data-quality.html`; return its path.

    Reads claims, documents, rejected, runs and the run's dq_findings (so call it after the findings
    are stored). A copy is kept as `report_dir/data-quality/<run_id>.html`. Both files are replaced
    atomically, so a reader never sees half a page.
    """
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    data_docs = "data-docs/index.html" if (report_dir / "data-docs" / "index.html").exists() else None
    page = render_report(load_report_data(con, run_id), data_docs=data_docs)
    target = report_dir / REPORT_NAME
    archive = report_dir / "data-quality" / (re.sub(r"[^A-Za-z0-9_.-]", "_", run_id) + ".html")
    archive.parent.mkdir(parents=True, exist_ok=True)
    for path, text in ((archive, page.replace('href="data-docs/', 'href="../data-docs/')), (target, page)):
        partial = path.with_name(f"{path.name}.partial-{os.getpid()}")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return target
