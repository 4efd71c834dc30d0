"""The HTML data-quality report and the Prefect artifacts, on tiny hand-written warehouses."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from expectations.artifacts import findings_table, md_text, publish_artifacts, summary_markdown
from expectations.report import bar_chart, safe_url, write_report
from expectations.report import load_report_data
from tests.unit.dq_warehouse import (IMG_PAYLOAD, RUN, SCRIPT_PAYLOAD, claim, document, hostile_warehouse, store_as,
                                     ts, warehouse)
from warehouse import db


class Markup(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Markup]:
    path = write_report(hostile_warehouse(), RUN, tmp_path_factory.mktemp("report"))
    markup = Markup()
    markup.feed(path.read_text(encoding="utf-8"))
    return path, markup


def test_report_is_written_with_an_archived_copy(report):
    path, _ = report
    assert path.name == "data-quality.html"
    assert (path.parent / "data-quality" / f"{RUN}.html").read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_text_from_dumps_is_escaped_never_markup(report):
    path, markup = report
    page = path.read_text(encoding="utf-8")
    assert SCRIPT_PAYLOAD not in page and IMG_PAYLOAD not in page
    assert [tag for tag, _ in markup.tags if tag in {"script", "img", "iframe", "object", "embed"}] == []
    assert not [(tag, a) for tag, attrs in markup.tags for a in attrs if a.startswith("on")]
    text = "".join(markup.text)
    assert SCRIPT_PAYLOAD in text and IMG_PAYLOAD in text  # shown to the reader as text


def test_only_http_links_and_in_page_anchors(report):
    _, markup = report
    hrefs = [attrs["href"] for tag, attrs in markup.tags if tag == "a"]
    assert hrefs and all(h.startswith(("#", "https://", "http://", "data-docs/")) for h in hrefs), hrefs
    assert "https://example.org/gov/7?a=1&b=2" in hrefs
    assert not any("javascript" in h or "onmouseover" in h for h in hrefs)
    anchors = {attrs["id"] for _, attrs in markup.tags if "id" in attrs}
    assert {h[1:] for h in hrefs if h.startswith("#doc-")} <= anchors  # every document link lands


def test_a_content_security_policy_forbids_scripts(report):
    _, markup = report
    [policy] = [a["content"] for t, a in markup.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script" not in policy


def test_the_disagreement_shows_both_quotes_side_by_side(report):
    path, markup = report
    pairs = [attrs for tag, attrs in markup.tags if tag == "div" and attrs.get("class") == "pair"]
    assert len(pairs) == 1
    text = "".join(markup.text)
    assert "12 over Bryansk" in text and "14 shot down" in text
    assert "larger yet covers a shorter window" in text


def test_the_breakdown_and_rejects_and_charts_are_there(report):
    _, markup = report
    text = " ".join(markup.text)
    assert "total 20, items 18 (-2)" in text
    assert "dump<script>.jsonl" in text and 'rejected as "invalid JSON"' in text
    assert "documents about drones" in text.lower() or "yielded no claim" in text
    svgs = [t for t, _ in markup.tags if t == "svg"]
    bars = [a for t, a in markup.tags if t == "rect" and a.get("height") != "10"]
    assert len(svgs) == 2 and len(bars) >= 2


def test_only_independent_speakers_confirm_a_count():
    ministry = claim("mod", 12, region_code="RU-BRY", speaker="Минобороны России")
    reprint = claim("wire", 12, region_code="RU-BRY", speaker="defence ministry", document_id="news",
                    source="Wire", published_at=ts("2026-11-20 09:00"))
    governor = claim("gov", 12, region_code="RU-BRY", speaker="Bryansk governor", speaker_role="regional_head",
                     document_id="gov/1", source="gov")
    assert load_report_data(warehouse([ministry, reprint]), RUN).headline["agreements"] == 0
    assert load_report_data(warehouse([ministry, reprint, governor]), RUN).headline["agreements"] == 1


def test_empty_warehouse_still_gives_a_report(tmp_path):
    path = write_report(warehouse(), "no-such-run", tmp_path)
    page = path.read_text(encoding="utf-8")
    assert "No errors or warnings" in page and "no counts to draw" in page


def test_chart_bars_scale_to_the_largest_count():
    svg = bar_chart("t", [{"category": "RU-BRY", "speaker_role": "regional_head", "drones": 14},
                          {"category": "RU-BRY", "speaker_role": "defence_ministry", "drones": 7}])
    assert 'width="640.0"' in svg and 'width="320.0"' in svg


def test_safe_url_accepts_http_only():
    assert safe_url("http://a.org/x") == "http://a.org/x"
    for bad in ["javascript:alert(1)", "data:text/html,x", "https://a.org/\"onclick=x", "//a.org", None, ""]:
        assert safe_url(bad) is None


def test_markdown_summary_is_inert(tmp_path):
    con = hostile_warehouse()
    markdown = summary_markdown(con, RUN, tmp_path / "data-quality.html")
    assert "<script" not in markdown and "<img" not in markdown
    assert "| error | 1 | 1 |" in markdown and "## Errors" in markdown
    assert md_text("[x](javascript:y)") == "\\[x\\]\\(javascript:y\\)"
    rows = findings_table(con, RUN)
    assert [r["check"] for r in rows][0] == "speakers_disagree"
    assert not any("<" in str(value) for row in rows for value in row.values())


def test_publish_artifacts_outside_a_flow_does_nothing(tmp_path):
    assert publish_artifacts(hostile_warehouse(), RUN, tmp_path / "r.html") is None


def test_publish_artifacts_inside_a_flow_run_attaches_markdown_and_table(tmp_path):
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.context import FlowRunContext

    con = hostile_warehouse()

    @flow(name="dq-artifacts-test")
    def tiny() -> str:
        publish_artifacts(con, RUN, tmp_path / "data-quality.html")
        return str(FlowRunContext.get().flow_run.id)

    flow_run_id = tiny()
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == {"dq-report", "dq-findings"}
    assert by_key["dq-report"].type == "markdown" and "dronewatch data quality" in by_key["dq-report"].data
    assert by_key["dq-findings"].type == "table" and "speakers_disagree" in str(by_key["dq-findings"].data)


def test_every_check_has_a_title_in_the_report_and_a_row_in_the_readme() -> None:
    from expectations.checks import check_queries
    from expectations.report import CHECK_TITLES

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in check_queries():
        assert name in CHECK_TITLES, f"{name} has no title in expectations/report.py CHECK_TITLES"
        assert f"| `{name}` |" in readme, f"{name} has no row in the README's checks table"


# --- a run with more findings than the page shows -------------------------------------------------

def finding(finding_id: str, severity: str, message: str, *, is_new: bool = False, document_id: str | None = None,
            claim_id: str | None = None, check_name: str = "locality_resolved") -> dict:
    """A finding of run-1 (one an earlier run found too unless `is_new`)."""
    return {"finding_id": finding_id, "check_name": check_name, "severity": severity,
            "document_ids": [document_id] if document_id else [], "claim_ids": [claim_id] if claim_id else [],
            "region_code": "RU-KLU", "message": message, "is_new": is_new}


@pytest.fixture
def crowded_run(monkeypatch: pytest.MonkeyPatch):
    """Six findings of one check with 3 shown per check: shown are f5 (error), f4 (new warning), f3
    (warning "b", before f6 by id); hidden are f6, f2 and f1, and the claim and documents only they name."""
    import expectations.report as report

    monkeypatch.setattr(report, "MAX_ROWS_PER_CHECK", 3)
    con = warehouse([claim("shown-claim", 5, document_id="doc-of-shown-claim"),
                     claim("hidden-claim", 6, document_id="doc-of-hidden-claim")],
                    documents=[document(f"d{n}") for n in range(1, 7)])
    findings = pl.DataFrame([
        finding("f1", "info", "msg a", is_new=True, document_id="d1", claim_id="hidden-claim"),
        finding("f6", "warning", "msg b", document_id="d6"),
        finding("f2", "warning", "msg c", document_id="d2"),
        finding("f3", "warning", "msg b", document_id="d3"),
        finding("f4", "warning", "msg z", is_new=True, document_id="d4"),
        finding("f5", "error", "msg y", document_id="d5", claim_id="shown-claim"),
        finding("g1", "info", "reprint", is_new=True, check_name="reprinted_claim"),
    ])
    store_as(con, "run-0", findings.filter(~pl.col("is_new")).drop("is_new"))
    store_as(con, RUN, findings.drop("is_new"))
    return con


def test_only_the_first_findings_of_a_check_are_read_in_the_order_shown(crowded_run):
    data = load_report_data(crowded_run, RUN)
    shown = data.shown_findings.filter(pl.col("check_name") == "locality_resolved")
    assert shown["finding_id"].to_list() == ["f5", "f4", "f3"]
    assert data.claims["claim_id"].to_list() == ["shown-claim"]
    assert data.documents["id"].to_list() == ["d3", "d4", "d5", "doc-of-shown-claim"]


def test_counts_cover_every_finding_shown_or_not(crowded_run):
    counts = load_report_data(crowded_run, RUN).finding_counts
    assert counts.rows() == [("locality_resolved", "error", 1, 0), ("locality_resolved", "warning", 4, 1),
                             ("locality_resolved", "info", 1, 1), ("reprinted_claim", "info", 1, 1)]


def test_the_page_shows_the_first_rows_and_how_many_more_there_are(crowded_run, tmp_path):
    page = write_report(crowded_run, RUN, tmp_path).read_text(encoding="utf-8")
    markup = Markup()
    markup.feed(page)
    text = " ".join(" ".join(markup.text).split())
    assert page.index("msg y") < page.index("msg z") < page.index("msg b")
    assert "msg a" not in page and "msg c" not in page and page.count("msg b") == 1
    assert "3 more not shown." in text and page.count("more not shown") == 1
    assert "1 error finding(s), 0 new" in text
    assert "4 warning findings (1 new)" in text and "2 info findings (2 new)" in text
    assert "Towns the gazetteer could not place locality_resolved 4 1" in text  # the warning row of the summary
    documents = page.split('<h2 id="documents">')[1]
    assert all(f">{d}<" in documents for d in ("d3", "d4", "d5", "doc-of-shown-claim"))
    assert not any(f">{d}<" in documents for d in ("d1", "d2", "d6", "doc-of-hidden-claim"))
