"""The HTML data-quality report and the Prefect artifacts, on tiny hand-written warehouses."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from expectations.artifacts import findings_table, md_text, publish_artifacts, summary_markdown
from expectations.report import bar_chart, safe_url, write_report
from expectations.report import load_report_data
from tests.unit.dq_warehouse import IMG_PAYLOAD, RUN, SCRIPT_PAYLOAD, claim, hostile_warehouse, ts, warehouse


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
