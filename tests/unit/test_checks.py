"""The check queries in warehouse/checks/, each run on a tiny in-memory warehouse."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from transforms.schema import CLAIM_PLACE_SCHEMA, CLAIM_SCHEMA, DQ_FINDING_SCHEMA, UTC_TS

CHECKS_DIR = Path(__file__).resolve().parents[2] / "warehouse" / "checks"
COMMON_COLUMNS = ["check_name", "severity", "document_ids", "claim_ids", "region_code", "message"]

CLAIMS_VIEW_SCHEMA = {
    "source": pl.String,
    "published_at": UTC_TS,
    **{c: t for c, t in CLAIM_SCHEMA.items() if c != "claim_no"},
}

REGIONS = pl.DataFrame(
    {
        "code": ["RU-KLU", "RU-BRY", "RU-KRS", "RU-MOW"],
        "country": ["RU"] * 4,
        "kind": ["oblast", "oblast", "oblast", "city"],
        "name_en": ["Kaluga", "Bryansk", "Kursk", "Moscow"],
        "name_ru": [None] * 4,
        "name_uk": [None] * 4,
    }
)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def claim(claim_id: str, count: int | None, **fields: Any) -> dict[str, Any]:
    """A claims-view row: 'intercepted' drones by the defence ministry unless told otherwise."""
    row: dict[str, Any] = {c: None for c in CLAIMS_VIEW_SCHEMA}
    row.update(
        claim_id=claim_id,
        document_id="doc1",
        source="mil",
        published_at=ts("2026-11-20 07:00"),
        speaker="Ministry of Defence",
        speaker_role="defence_ministry",
        outcome="intercepted",
        count=count,
        count_qualifier="exact",
        is_total=False,
        is_cumulative=False,
        weapon="drone",
        quote=f"quote of {claim_id}",
        span_start=0,
        span_end=10,
    )
    row.update(fields)
    return row


def place(claim_id: str, name: str, resolved: bool, **fields: Any) -> dict[str, Any]:
    row = {"claim_id": claim_id, "name": name, "locality_id": 1 if resolved else None,
           "region_code": "RU-KLU", "resolved": resolved}
    row.update(fields)
    return row


def warehouse(claims: list[dict[str, Any]], places: list[dict[str, Any]] = ()) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the relations the checks read."""
    con = duckdb.connect(":memory:")
    claims_frame = pl.DataFrame(claims, schema=CLAIMS_VIEW_SCHEMA)
    places_frame = pl.DataFrame(list(places), schema=CLAIM_PLACE_SCHEMA)
    con.register("claims_frame", claims_frame)
    con.register("places_frame", places_frame)
    con.register("regions_frame", REGIONS)
    con.execute("create table claims as select * from claims_frame")
    con.execute("create table claim_places as select * from places_frame")
    con.execute("create table regions as select * from regions_frame")
    con.execute("create table documents (id varchar, source varchar, published_at timestamptz, url varchar,"
                " title varchar, lang varchar, text varchar, content_hash varchar, first_run_id varchar)")
    con.execute("create table rejected (origin varchar, record_no bigint, reason varchar, excerpt varchar,"
                " run_id varchar)")
    return con


def run_check(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return con.sql((CHECKS_DIR / f"{name}.sql").read_text()).pl()


def run_all(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    frames = [run_check(con, p.stem).select(COMMON_COLUMNS) for p in sorted(CHECKS_DIR.glob("*.sql"))]
    return pl.concat(frames)


# --- breakdown_adds_up -------------------------------------------------------------------------

def breakdown(*item_counts: int, total: int = 20, **total_fields: Any) -> list[dict[str, Any]]:
    regions = ["RU-KLU", "RU-BRY", "RU-KRS", "RU-MOW"]
    rows = [claim("t", total, is_total=True, quote=f"{total} drones intercepted over the regions", **total_fields)]
    rows += [
        claim(f"i{n}", count, parent_claim_id="t", region_code=regions[n], quote=f"{count} over {regions[n]}",
              span_start=20 + n)
        for n, count in enumerate(item_counts)
    ]
    return rows


def test_breakdown_that_adds_up_is_no_finding():
    assert run_check(warehouse(breakdown(10, 8, 2)), "breakdown_adds_up").is_empty()


def test_breakdown_short_of_total_is_a_warning_with_both_quotes():
    found = run_check(warehouse(breakdown(10, 8)), "breakdown_adds_up")
    assert found.select("severity", "claim_ids", "total_count", "items_sum", "difference").to_dicts() == [
        {"severity": "warning", "claim_ids": ["i0", "i1", "t"], "total_count": 20, "items_sum": 18, "difference": -2}
    ]
    message = found["message"][0]
    assert "items cover 18 of 20" in message and "2 short" in message
    assert '"20 drones intercepted over the regions"' in message
    assert '"10 over RU-KLU"; "8 over RU-BRY"' in message


def test_breakdown_above_total_is_an_error():
    found = run_check(warehouse(breakdown(10, 8, 5)), "breakdown_adds_up")
    assert found.select("severity", "difference").to_dicts() == [{"severity": "error", "difference": 3}]
    assert "items add up to 23, 3 more than the total of 20" in found["message"][0]


def test_breakdown_above_an_at_least_total_is_only_a_warning():
    found = run_check(warehouse(breakdown(10, 8, 5, count_qualifier="at_least")), "breakdown_adds_up")
    assert found["severity"].to_list() == ["warning"]


def test_total_without_items_is_no_finding():
    assert run_check(warehouse([claim("t", 20, is_total=True)]), "breakdown_adds_up").is_empty()


def test_region_listed_twice_in_a_breakdown_is_a_warning():
    rows = breakdown(10, 10)
    rows[2]["region_code"] = "RU-KLU"
    found = run_check(warehouse(rows), "breakdown_adds_up")
    assert found.select("severity", "region_code", "item_count").to_dicts() == [
        {"severity": "warning", "region_code": "RU-KLU", "item_count": 2}
    ]
    assert "region RU-KLU is listed 2 times" in found["message"][0]


# --- speakers_disagree -------------------------------------------------------------------------

def governor(claim_id: str, count: int, **fields: Any) -> dict[str, Any]:
    defaults = {"document_id": "doc2", "speaker": "Governor of Kaluga", "speaker_role": "regional_head",
                "region_code": "RU-KLU", "quote": f"governor: {count} drones shot down"}
    return claim(claim_id, count, **(defaults | fields))


def test_two_speakers_same_day_different_counts_is_a_warning_with_both_quotes():
    rows = [claim("a", 11, region_code="RU-KLU", quote="11 drones over Kaluga region"),
            governor("b", 10, published_at=ts("2026-11-20 19:00"))]
    found = run_check(warehouse(rows), "speakers_disagree")
    assert found.select("severity", "claim_ids", "document_ids", "region_code", "count_a", "count_b").to_dicts() == [
        {"severity": "warning", "claim_ids": ["a", "b"], "document_ids": ["doc1", "doc2"],
         "region_code": "RU-KLU", "count_a": 11, "count_b": 10}
    ]
    message = found["message"][0]
    assert '"11 drones over Kaluga region"' in message and '"governor: 10 drones shot down"' in message
    assert "Ministry of Defence" in message and "Governor of Kaluga" in message


def test_two_speakers_in_one_undated_document_are_compared():
    rows = [claim("a", 10, region_code="RU-KLU", published_at=None),
            governor("b", 11, document_id="doc1", published_at=None)]
    found = run_check(warehouse(rows), "speakers_disagree")
    assert found.select("severity", "document_ids").to_dicts() == [{"severity": "warning", "document_ids": ["doc1"]}]
    assert "same document" in found["message"][0]
    rows[1]["document_id"] = "doc2"
    assert run_check(warehouse(rows), "speakers_disagree").is_empty()


def test_different_days_or_agreeing_counts_or_same_speaker_are_no_finding():
    other_day = [claim("a", 11, region_code="RU-KLU"), governor("b", 10, published_at=ts("2026-11-21 09:00"))]
    agreeing = [claim("a", 10, region_code="RU-KLU"), governor("b", 10)]
    same_speaker = [claim("a", 11, region_code="RU-KLU"), claim("b", 10, region_code="RU-KLU", document_id="doc2")]
    for rows in (other_day, agreeing, same_speaker):
        assert run_check(warehouse(rows), "speakers_disagree").is_empty()


def test_totals_are_compared_only_with_totals():
    rows = [claim("a", 30, region_code="RU-KLU", is_total=True), governor("b", 10)]
    assert run_check(warehouse(rows), "speakers_disagree").is_empty()


def test_smaller_count_over_nested_window_is_info():
    night = {"window_start": ts("2026-11-19 20:00"), "window_end": ts("2026-11-20 07:00")}
    early = {"window_start": ts("2026-11-19 23:00"), "window_end": ts("2026-11-20 03:00")}
    rows = [claim("a", 11, region_code="RU-KLU", **night), governor("b", 6, **early)]
    found = run_check(warehouse(rows), "speakers_disagree")
    assert found["severity"].to_list() == ["info"]


def test_larger_count_over_nested_window_is_an_error():
    night = {"window_start": ts("2026-11-19 20:00"), "window_end": ts("2026-11-20 07:00")}
    early = {"window_start": ts("2026-11-19 23:00"), "window_end": ts("2026-11-20 03:00")}
    rows = [claim("a", 11, region_code="RU-KLU", **night), governor("b", 14, **early)]
    found = run_check(warehouse(rows), "speakers_disagree")
    assert found["severity"].to_list() == ["error"]
    assert "larger yet covers a shorter window" in found["message"][0]


def test_same_window_different_counts_is_an_error_and_disjoint_windows_no_finding():
    night = {"window_start": ts("2026-11-19 20:00"), "window_end": ts("2026-11-20 07:00")}
    day = {"window_start": ts("2026-11-20 07:00"), "window_end": ts("2026-11-20 14:00")}
    same = [claim("a", 11, region_code="RU-KLU", **night), governor("b", 10, **night)]
    disjoint = [claim("a", 11, region_code="RU-KLU", **night), governor("b", 10, **day)]
    assert run_check(warehouse(same), "speakers_disagree")["severity"].to_list() == ["error"]
    assert run_check(warehouse(disjoint), "speakers_disagree").is_empty()


# --- count, region, locality -------------------------------------------------------------------

def test_count_missing_or_below_one_is_an_error_and_huge_a_warning():
    rows = [claim("a", None), claim("b", 0), claim("c", 12000), claim("d", 5000)]
    found = run_check(warehouse(rows), "count_is_positive_integer")
    assert found.select("claim_ids", "severity").to_dicts() == [
        {"claim_ids": ["a"], "severity": "error"},
        {"claim_ids": ["b"], "severity": "error"},
        {"claim_ids": ["c"], "severity": "warning"},
    ]


def test_unknown_region_code_is_an_error():
    rows = [claim("a", 3, region_code="RU-XXX"), claim("b", 3, region_code="RU-KLU"), claim("c", 3)]
    found = run_check(warehouse(rows), "region_code_known")
    assert found.select("claim_ids", "severity", "region_code").to_dicts() == [
        {"claim_ids": ["a"], "severity": "error", "region_code": "RU-XXX"}
    ]
    assert "'RU-XXX'" in found["message"][0]


def test_unresolved_town_is_a_warning():
    rows = [claim("a", 3, region_code="RU-KLU", quote="3 drones over Yernov")]
    places = [place("a", "Yernov", False), place("a", "Kaluga", True)]
    found = run_check(warehouse(rows, places), "locality_resolved")
    assert found.select("severity", "claim_ids", "document_ids").to_dicts() == [
        {"severity": "warning", "claim_ids": ["a"], "document_ids": ["doc1"]}
    ]
    assert found["message"][0].startswith("town 'Yernov' named with claim a could not be resolved")


# --- all checks together -----------------------------------------------------------------------

def test_correct_data_gives_no_findings():
    rows = [*breakdown(10, 8, 2), governor("g", 10, published_at=ts("2026-11-21 09:00"))]
    rows[1]["span_start"] = 21
    places = [place("g", "Kaluga", True)]
    assert run_all(warehouse(rows, places)).is_empty()


@pytest.mark.parametrize("name", sorted(p.stem for p in CHECKS_DIR.glob("*.sql")))
def test_every_check_returns_the_common_columns_typed_like_findings(name):
    found = run_check(warehouse(breakdown(10, 8)), name)
    for column in COMMON_COLUMNS:
        assert found.schema[column] == DQ_FINDING_SCHEMA[column], (name, column)


def test_breakdown_with_an_uncounted_item_is_left_to_the_count_check():
    rows = breakdown(10, 8)
    rows.append(claim("i9", None, parent_claim_id="t", region_code="RU-MOW"))
    assert run_check(warehouse(rows), "breakdown_adds_up").is_empty()
    assert run_check(warehouse(rows), "count_is_positive_integer")["claim_ids"].to_list() == [["i9"]]
