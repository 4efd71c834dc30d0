"""The check queries in warehouse/checks/, each run on a tiny migrated in-memory warehouse: every
check fires on bad data with its severity and stays silent on data that is right."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from tests.unit.dq_warehouse import add_claims, claim, document, place, reject, run_row, store_as, ts, warehouse
from transforms.schema import DQ_FINDING_SCHEMA

CHECKS_DIR = Path(__file__).resolve().parents[2] / "warehouse" / "checks"
COMMON_COLUMNS = ["check_name", "severity", "document_ids", "claim_ids", "region_code", "message"]


def run_check(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    return con.sql((CHECKS_DIR / f"{name}.sql").read_text()).pl()


def run_all(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    frames = [run_check(con, p.stem).select(COMMON_COLUMNS) for p in sorted(CHECKS_DIR.glob("*.sql"))]
    return pl.concat(frames)


# --- breakdown_adds_up, breakdown_item_has_total -------------------------------------------------

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


def test_a_reprinted_total_need_not_cover_its_items_but_may_not_exceed_them():
    original = breakdown(10, 8, 2)
    retold = [claim("rt", 20, is_total=True, document_id="news", source="Wire", published_at=ts("2026-11-20 09:00"),
                    speaker="defence ministry", quote="Russia says it downed 20 drones"),
              claim("r1", 10, parent_claim_id="rt", region_code="RU-KLU", document_id="news", source="Wire",
                    published_at=ts("2026-11-20 09:00"), speaker="defence ministry", span_start=30)]
    assert run_check(warehouse(original + retold), "breakdown_adds_up").is_empty()
    assert run_check(warehouse(retold), "breakdown_adds_up")["severity"].to_list() == ["warning"]  # no original
    retold[1]["count"] = 25
    assert run_check(warehouse(original + retold), "breakdown_adds_up")["severity"].to_list() == ["error"]


def test_item_whose_total_is_missing_is_an_error():
    rows = [claim("i1", 10, parent_claim_id="gone", region_code="RU-KLU", quote="10 over Kaluga")]
    found = run_check(warehouse(rows), "breakdown_item_has_total")
    assert found.select("severity", "claim_ids", "document_ids").to_dicts() == [
        {"severity": "error", "claim_ids": ["i1"], "document_ids": ["doc1"]}
    ]
    assert "belongs to total gone, which is not a claim" in found["message"][0]
    assert run_check(warehouse(breakdown(10, 10)), "breakdown_item_has_total").is_empty()


# --- speakers_disagree, reprinted_claim ---------------------------------------------------------

def governor(claim_id: str, count: int, **fields: Any) -> dict[str, Any]:
    defaults = {"document_id": "doc2", "source": "gov", "speaker": "Governor of Kaluga",
                "speaker_role": "regional_head", "region_code": "RU-KLU",
                "quote": f"governor: {count} drones shot down"}
    return claim(claim_id, count, **(defaults | fields))


NIGHT = {"window_start": ts("2026-11-19 20:00"), "window_end": ts("2026-11-20 07:00")}
EARLY = {"window_start": ts("2026-11-19 23:00"), "window_end": ts("2026-11-20 03:00")}
DAY = {"window_start": ts("2026-11-20 07:00"), "window_end": ts("2026-11-20 14:00")}


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


def test_one_speaker_named_three_ways_is_never_compared_with_itself():
    rows = [
        claim("a", 12, region_code="RU-BRY", speaker="Минобороны России"),
        claim("b", 10, region_code="RU-BRY", speaker="defence ministry", document_id="doc2", source="wire"),
        claim("c", 9, region_code="RU-BRY", speaker="Russian Ministry of Defence", document_id="doc3"),
        governor("g1", 5, speaker="Vladislav Shapsha", document_id="doc4"),
        governor("g2", 6, speaker="governor of the Kaluga region", document_id="doc5"),
    ]
    assert run_check(warehouse(rows), "speakers_disagree").is_empty()


def test_a_reprint_is_one_claim_not_a_second_speaker():
    rows = [
        claim("mod", 12, region_code="RU-BRY", speaker="Минобороны России", quote="12 — над Брянской областью", **NIGHT),
        claim("wire", 12, region_code="RU-BRY", speaker="defence ministry", document_id="news1", source="Wire",
              published_at=ts("2026-11-20 09:00"), quote="the ministry said 12 over Bryansk"),
        claim("daily", 12, region_code="RU-BRY", speaker="Russian Ministry of Defence", document_id="news2",
              source="Daily", published_at=ts("2026-11-20 10:00")),
        governor("gov", 14, region_code="RU-BRY", speaker="Bryansk governor", quote="14 shot down tonight", **EARLY),
    ]
    con = warehouse(rows)
    found = run_check(con, "speakers_disagree")
    assert found.select("severity", "claim_ids", "document_ids").to_dicts() == [
        {"severity": "error", "claim_ids": ["gov", "mod"], "document_ids": ["doc1", "doc2"]}
    ]
    assert "retold by 2 more document(s)" in found["message"][0]
    reprints = run_check(con, "reprinted_claim")
    assert reprints.select("severity", "claim_ids", "document_ids").to_dicts() == [
        {"severity": "info", "claim_ids": ["daily", "mod", "wire"], "document_ids": ["doc1", "news1", "news2"]}
    ]
    assert "retold by 3 documents" in reprints["message"][0] and "not as corroboration" in reprints["message"][0]


def test_a_claim_told_once_is_no_reprint():
    rows = [claim("a", 12, region_code="RU-BRY"), claim("b", 12, region_code="RU-KLU", document_id="doc2"),
            claim("c", 12, region_code="RU-BRY", document_id="doc3", published_at=ts("2026-11-21 09:00"))]
    assert run_check(warehouse(rows), "reprinted_claim").is_empty()


def test_totals_are_compared_only_with_totals():
    rows = [claim("a", 30, region_code="RU-KLU", is_total=True), governor("b", 10)]
    assert run_check(warehouse(rows), "speakers_disagree").is_empty()


def test_smaller_count_over_nested_window_is_info():
    rows = [claim("a", 11, region_code="RU-KLU", **NIGHT), governor("b", 6, **EARLY)]
    found = run_check(warehouse(rows), "speakers_disagree")
    assert found["severity"].to_list() == ["info"]


def test_larger_count_over_nested_window_is_an_error_unless_a_bound():
    rows = [claim("a", 11, region_code="RU-KLU", **NIGHT), governor("b", 14, **EARLY)]
    found = run_check(warehouse(rows), "speakers_disagree")
    assert found["severity"].to_list() == ["error"]
    assert "larger yet covers a shorter window" in found["message"][0]
    rows[1]["count_qualifier"] = "at_least"
    assert run_check(warehouse(rows), "speakers_disagree")["severity"].to_list() == ["warning"]


def test_same_window_different_counts_is_an_error_and_disjoint_windows_no_finding():
    same = [claim("a", 11, region_code="RU-KLU", **NIGHT), governor("b", 10, **NIGHT)]
    disjoint = [claim("a", 11, region_code="RU-KLU", **NIGHT), governor("b", 10, **DAY)]
    assert run_check(warehouse(same), "speakers_disagree")["severity"].to_list() == ["error"]
    assert run_check(warehouse(disjoint), "speakers_disagree").is_empty()


def test_partly_overlapping_or_one_unknown_window_is_a_warning():
    partial = [claim("a", 11, region_code="RU-KLU", **NIGHT),
               governor("b", 10, window_start=ts("2026-11-20 05:00"), window_end=ts("2026-11-20 09:00"))]
    one_unknown = [claim("a", 11, region_code="RU-KLU", **NIGHT), governor("b", 10)]
    for rows in (partial, one_unknown):
        assert run_check(warehouse(rows), "speakers_disagree")["severity"].to_list() == ["warning"]


# --- count, region, places ----------------------------------------------------------------------

def test_count_missing_or_below_one_is_an_error_and_huge_a_warning():
    rows = [claim("a", None), claim("b", 0), claim("c", 12000), claim("d", 5000), claim("e", -3)]
    found = run_check(warehouse(rows), "count_is_positive_integer")
    assert found.sort("claim_ids").select("claim_ids", "severity").to_dicts() == [
        {"claim_ids": ["a"], "severity": "error"},
        {"claim_ids": ["b"], "severity": "error"},
        {"claim_ids": ["c"], "severity": "warning"},
        {"claim_ids": ["e"], "severity": "error"},
    ]


def test_unknown_region_code_is_an_error_and_on_a_town_a_warning():
    rows = [claim("a", 3, region_code="RU-XXX"), claim("b", 3, region_code="RU-KLU"), claim("c", 3)]
    places = [place("b", "Kaluga", True), place("b", "Nowhere", True, region_code="RU-ZZZ")]
    found = run_check(warehouse(rows, places), "region_code_known")
    assert found.sort("claim_ids").select("claim_ids", "severity", "region_code").to_dicts() == [
        {"claim_ids": ["a"], "severity": "error", "region_code": "RU-XXX"},
        {"claim_ids": ["b"], "severity": "warning", "region_code": "RU-ZZZ"},
    ]
    assert "'RU-XXX'" in found.sort("claim_ids")["message"][0]


def test_unresolved_town_is_a_warning():
    rows = [claim("a", 3, region_code="RU-KLU", quote="3 drones over Yernov")]
    places = [place("a", "Yernov", False), place("a", "Kaluga", True)]
    found = run_check(warehouse(rows, places), "locality_resolved")
    assert found.select("severity", "claim_ids", "document_ids").to_dicts() == [
        {"severity": "warning", "claim_ids": ["a"], "document_ids": ["doc1"]}
    ]
    assert found["message"][0].startswith("town 'Yernov' named with claim a could not be resolved")


def test_town_outside_the_claimed_region_is_a_warning():
    rows = [claim("a", 3, region_code="RU-KLU"), claim("m", 2, region_code="RU-MOW"),
            claim("s", 5, region_code="SEA-BLACK")]
    places = [place("a", "Kaluga", True), place("a", "Bryansk", True, region_code="RU-BRY"),
              place("m", "Odintsovo", True, region_code="RU-MOS"), place("s", "Sochi", True, region_code="RU-KDA"),
              place("a", "Yernov", False, region_code="RU-KRS")]
    found = run_check(warehouse(rows, places), "place_in_claimed_region")
    assert found.select("severity", "claim_ids", "region_code", "place_region").to_dicts() == [
        {"severity": "warning", "claim_ids": ["a"], "region_code": "RU-KLU", "place_region": "RU-BRY"}
    ]
    assert "town 'Bryansk' named with claim a lies in RU-BRY, not in RU-KLU" in found["message"][0]


# --- plausibility -------------------------------------------------------------------------------

def test_window_in_the_future_is_an_error_and_after_publication_a_warning():
    runs = [run_row("run-1", ts("2026-11-21 12:00"))]
    rows = [
        claim("future", 3, window_start=ts("2026-11-22 20:00"), window_end=ts("2026-11-23 07:00"),
              published_at=ts("2026-11-21 08:00"), window_text="the night of 23 November"),
        claim("late", 3, document_id="doc2", window_start=ts("2026-11-20 10:00"), window_end=ts("2026-11-20 11:00"),
              published_at=ts("2026-11-20 07:00")),
        claim("fine", 3, document_id="doc3", **NIGHT),
    ]
    found = run_check(warehouse(rows, runs=runs), "window_plausible").sort("severity")
    assert found.select("severity", "claim_ids").to_dicts() == [
        {"severity": "error", "claim_ids": ["future"]}, {"severity": "warning", "claim_ids": ["late"]}]
    assert "after the run started (2026-11-21 12:00:00+00)" in found["message"][0]
    assert "the night of 23 November" in found["message"][0]


def test_speaker_role_contradicting_its_channel_is_a_warning():
    channel = "Губернатор Калужской области"
    docs = [document("gov/1", channel=channel, source=channel), document("gov/2", channel=channel, source=channel),
            document("mod/1", channel="Минобороны России", source="Минобороны России")]
    rows = [
        claim("wrong", 3, document_id="gov/1", speaker=channel, speaker_role="defence_ministry"),
        claim("right", 3, document_id="gov/2", speaker=channel, speaker_role="regional_head"),
        claim("quoted", 5, document_id="gov/2", speaker="Минобороны", speaker_role="defence_ministry"),
        claim("mod_ok", 7, document_id="mod/1", speaker="Минобороны России", speaker_role="defence_ministry"),
        claim("mod_bad", 7, document_id="mod/1", speaker=None, speaker_role="regional_head"),
    ]
    found = run_check(warehouse(rows, documents=docs), "speaker_role_matches_channel").sort("claim_ids")
    assert found.select("severity", "claim_ids", "channel_role").to_dicts() == [
        {"severity": "warning", "claim_ids": ["mod_bad"], "channel_role": "defence_ministry"},
        {"severity": "warning", "claim_ids": ["wrong"], "channel_role": "regional_head"},
    ]
    assert "whose name says regional_head, but carries speaker role defence_ministry" in found["message"][1]


# --- pipeline health ----------------------------------------------------------------------------

def test_rejected_records_are_one_info_finding_per_reason():
    rejected = [reject("a.jsonl", 4, "line 4: invalid JSON: Unterminated string at column 62"),
                reject("a.jsonl", 9, "line 9: invalid JSON: Expecting value", run_id="run-0"),
                reject("a.jsonl", 6, "empty text"),
                reject("b.jsonl", 2, "document id 'x' was loaded before with a different text; the first version is kept")]
    runs = [run_row("run-0", ts("2026-11-19 00:00")), run_row("run-1", ts("2026-11-20 00:00"))]
    found = run_check(warehouse(rejected=rejected, runs=runs), "rejected_records").sort("finding_key")
    assert found.select("severity", "finding_key", "rejected_count", "rejected_by_latest").rows() == [
        ("info", "document id '…' was loaded before with a different text; the first version is kept", 1, 1),
        ("info", "empty text", 1, 1),
        ("info", "invalid JSON", 2, 1),
    ]
    message = ('2 record(s) rejected as "invalid JSON" (1 by run-1, the latest run that rejected any); '
               "e.g. a.jsonl:4, a.jsonl:9")
    assert found["message"][2] == message
    # a later run that rejects nothing leaves the findings as they were (no new snapshot for them)
    runs.append(run_row("run-2", ts("2026-11-21 00:00")))
    assert run_check(warehouse(rejected=rejected, runs=runs), "rejected_records").sort("finding_key").equals(found)
    assert run_check(warehouse(), "rejected_records").is_empty()


def volume_history(latest: dict[str, int]) -> duckdb.DuckDBPyConnection:
    """Three earlier runs that each added 10 documents of 'wire' and 6 of 'gov', then run-4 adding `latest`."""
    runs = [run_row(f"run-{n}", ts(f"2026-11-2{n} 00:00")) for n in range(1, 5)]
    counts = [{"wire": 10, "gov": 6}] * 3 + [latest]
    docs = [document(f"{source}-{n}-{k}", source=source, first_run_id=f"run-{n + 1}")
            for n, by_source in enumerate(counts) for source, volume in by_source.items() for k in range(volume)]
    return warehouse(documents=docs, runs=runs)


def test_a_source_whose_volume_dropped_is_a_warning():
    found = run_check(volume_history({"wire": 1, "gov": 5, "new": 3}), "source_volume_dropped")
    assert found.select("severity", "latest_documents", "average_documents").rows() == [("warning", 1, 10.0)]
    assert "source 'wire' added 1 document(s) in run run-4, the latest that added any, against 10.0 on average" \
        in found["message"][0]
    # a later run that adds nothing keeps the alarm as it was (and the snapshot as published)
    dropped = volume_history({"wire": 1, "gov": 5, "new": 3})
    dropped.execute("insert into runs (run_id, started_at, status) values ('run-5', '2026-11-25', 'completed')")
    assert run_check(dropped, "source_volume_dropped").equals(found)
    steady = volume_history({"wire": 9, "gov": 6})
    nothing_new = volume_history({})  # an unchanged dump re-read: no run added anything
    for con in (steady, nothing_new):
        assert run_check(con, "source_volume_dropped").is_empty()


def test_drone_documents_without_claims_are_one_recall_warning():
    docs = [document("silent", "Air defences shot down several drones over the region overnight."),
            document("тихий", "Над областью сбиты беспилотники, пострадавших нет."),
            document("spoken", "Two drones were shot down."),
            document("grain", "Grain exports rose by 12 percent; dronewatch is not about grain."),
            document("show", "A drone show lit up the sky over the city on Saturday.")]
    found = run_check(warehouse([claim("a", 2, document_id="spoken")], documents=docs), "drone_document_without_claim")
    assert found.select("severity", "document_ids", "silent_documents").rows() == [
        ("warning", ["silent", "тихий"], 2)]
    assert found["message"][0].startswith("2 of 3 document(s) about drones yielded no claim")
    quiet = warehouse([claim("a", 2, document_id="spoken")], documents=docs[2:])
    assert run_check(quiet, "drone_document_without_claim").is_empty()


def test_whether_a_document_reports_drones_is_stored_when_it_is_loaded_and_read_by_the_check():
    docs = [document("silent", "Air defences shot down several drones over the region overnight."),
            document("show", "A drone show lit up the sky over the city on Saturday.")]
    con = warehouse(documents=docs)
    assert con.sql("select id, reports_drones from documents order by id").fetchall() == [
        ("show", False), ("silent", True)]
    assert run_check(con, "drone_document_without_claim")["document_ids"].to_list() == [["silent"]]
    con.execute("update documents set reports_drones = false")  # the stored answer is the one used
    assert run_check(con, "drone_document_without_claim").is_empty()
    con.execute("update documents set reports_drones = null")  # rows written without it: from the text
    assert run_check(con, "drone_document_without_claim")["document_ids"].to_list() == [["silent"]]


def test_a_source_far_behind_the_others_is_stale_info():
    docs = [document("w1", source="wire", published_at=ts("2026-11-20 07:00")),
            document("g1", source="gov", published_at=ts("2026-11-19 07:00")),
            document("o1", source="old", published_at=ts("2026-11-01 07:00"))]
    found = run_check(warehouse(documents=docs), "source_stale")
    assert found.select("severity", "days_behind").rows() == [("info", 19)]
    assert found["message"][0].startswith("source 'old' has published nothing since 2026-11-01")
    assert run_check(warehouse(documents=docs[:2]), "source_stale").is_empty()


# --- all checks together ------------------------------------------------------------------------

def test_correct_data_gives_no_findings():
    rows = [*breakdown(10, 8, 2, **NIGHT), governor("g", 10, published_at=ts("2026-11-21 09:00"))]
    for row in rows[1:4]:
        row.update(NIGHT)
    rows[1]["span_start"] = 21
    places = [place("g", "Kaluga", True)]
    runs = [run_row("run-1", ts("2026-11-21 10:00"))]
    docs = [document("doc1", "20 drones intercepted: 10 over Kaluga, 8 over Bryansk, 2 over Kursk", source="mil",
                     published_at=ts("2026-11-20 07:00"), channel="Минобороны России"),
            document("doc2", "The governor says 10 drones were shot down", source="gov",
                     published_at=ts("2026-11-21 09:00")),
            document("grain", "Grain exports rose", source="wire", published_at=ts("2026-11-20 12:00"))]
    found = run_all(warehouse(rows, places, documents=docs, runs=runs))
    assert found.is_empty(), found["message"].to_list()


@pytest.mark.parametrize("name", sorted(p.stem for p in CHECKS_DIR.glob("*.sql")))
def test_every_check_returns_the_common_columns_typed_like_findings(name):
    found = run_check(warehouse(breakdown(10, 8)), name)
    for column in COMMON_COLUMNS:
        assert found.schema[column] == DQ_FINDING_SCHEMA[column], (name, column)
    assert "finding_key" in found.columns


def test_breakdown_with_an_uncounted_item_is_left_to_the_count_check():
    rows = breakdown(10, 8)
    rows.append(claim("i9", None, parent_claim_id="t", region_code="RU-MOW"))
    assert run_check(warehouse(rows), "breakdown_adds_up").is_empty()
    assert run_check(warehouse(rows), "count_is_positive_integer")["claim_ids"].to_list() == [["i9"]]


def finding_rows(*findings: tuple[str, str, str]) -> pl.DataFrame:
    """(finding_id, check_name, severity) triples as a findings frame."""
    return pl.DataFrame(
        [{"finding_id": f, "check_name": c, "severity": s, "document_ids": ["d"], "claim_ids": [], "region_code": None,
          "message": f"{c} {f}"} for f, c, s in findings],
        schema=DQ_FINDING_SCHEMA,
    )


def test_stored_findings_are_new_only_the_first_time_a_run_has_them_and_carry_forward_in_sql():
    con = warehouse()
    assert store_as(con, "run-1", finding_rows(("a", "c1", "error"), ("b", "c2", "warning"))) == (
        {"error": 1, "warning": 1}, {"error": 1, "warning": 1})
    assert store_as(con, "run-2", finding_rows(("b", "c2", "warning"), ("c", "c2", "info"))) == (
        {"warning": 1, "info": 1}, {"info": 1})
    # nothing new since run-2: c1 runs again (it reads the clock), c2's findings go on
    counts = store_as(con, "run-3", finding_rows(("a", "c1", "error")), carry_from="run-2", carry_except=["c1"])
    assert counts == ({"error": 1, "warning": 1, "info": 1}, {})
    stored = con.sql("select finding_id, is_new from dq_findings where run_id = 'run-3' order by 1").fetchall()
    assert stored == [("a", False), ("b", False), ("c", False)]
    assert store_as(con, "run-4", finding_rows()) == ({}, {})
    assert con.sql("select run_id, finding_id from dq_findings order by 1, 2").fetchall() == [
        ("run-1", "a"), ("run-1", "b"), ("run-2", "b"), ("run-2", "c"), ("run-3", "a"), ("run-3", "b"), ("run-3", "c")]


def test_a_finding_found_unchanged_run_after_run_is_stored_once():
    con = warehouse()
    for run_id in ("run-1", "run-2", "run-3"):
        store_as(con, run_id, finding_rows(("a", "c1", "error"), ("b", "c2", "warning")))
    assert con.sql("select finding_id, first_run_no, last_run_no from dq_finding_stretches order by 1").fetchall() == [
        ("a", 1, 3), ("b", 1, 3)]
    store_as(con, "run-4", finding_rows(("a", "c1", "error"), ("b", "c2", "warning")).with_columns(
        message=pl.when(pl.col("finding_id") == "b").then(pl.lit("other words")).otherwise("message")))
    assert con.sql("select finding_id, message, first_run_no, last_run_no from dq_finding_stretches "
                   "order by 1, 3").fetchall() == [
        ("a", "c1 a", 1, 4), ("b", "c2 b", 1, 3), ("b", "other words", 4, 4)]
    assert con.sql("select count(*) filter (where is_new) from dq_findings where run_id = 'run-4'").fetchall() == [(0,)]


def test_a_run_that_died_after_its_checks_keeps_its_findings_and_is_skipped_by_the_carry():
    con = warehouse()
    store_as(con, "run-1", finding_rows(("a", "c1", "error"), ("b", "c2", "warning")))
    store_as(con, "run-2", finding_rows(("b", "c2", "warning"), ("d", "c2", "info")))  # then failed
    counts = store_as(con, "run-3", finding_rows(), carry_from="run-1", carry_except=["c1"])
    assert counts == ({"warning": 1}, {})
    assert con.sql("select run_id, finding_id from dq_findings order by 1, 2").fetchall() == [
        ("run-1", "a"), ("run-1", "b"), ("run-2", "b"), ("run-2", "d"), ("run-3", "b")]


def test_checks_rechecked_by_cell_and_the_findings_carried_are_what_a_full_check_finds():
    from expectations.checks import check_queries, findings_from_checks, run_check_queries, with_finding_ids
    from warehouse.cells import rechecking_cells_of, rechecks_cells

    def sql_findings(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
        return with_finding_ids(findings_from_checks(run_check_queries(con)))

    week = {"window_start": ts("2026-11-15 00:00"), "window_end": ts("2026-11-22 06:00")}  # reported on the 22nd
    mayor = {"speaker": "Mayor of Kaluga", "speaker_role": "city_head", "document_id": "city", "source": "city"}
    con = warehouse([
        claim("a", 11, region_code="RU-KLU", **NIGHT), governor("b", 6, **EARLY),  # Kaluga, the 20th
        claim("week", 40, region_code="RU-KLU", **mayor, **week),
        claim("m", 12, region_code="RU-BRY"), claim("w", 12, region_code="RU-BRY", document_id="news1",  # Bryansk
                                                     published_at=ts("2026-11-20 09:00")),
        governor("g", 14, region_code="RU-BRY", speaker="Bryansk governor", document_id="gov-bry"),
    ])
    store_as(con, "run-1", sql_findings(con))
    add_claims(con, "run-2", [
        # an earlier retelling of the governor's figure: the statement's first claim changes
        governor("b-early", 6, document_id="gov-early", published_at=ts("2026-11-20 05:00"), **EARLY),
        # a new speaker on the 21st, compared with the mayor's week reported on the 22nd (another cell)
        claim("n", 30, region_code="RU-KLU", speaker="Kaluga police", speaker_role="police", document_id="police",
              window_start=ts("2026-11-21 01:00"), window_end=ts("2026-11-21 05:00")),
    ])
    by_cell = [name for name, sql in check_queries().items() if rechecks_cells(sql)]
    assert by_cell == ["reprinted_claim", "speakers_disagree"]
    with rechecking_cells_of(con, "run-2"):
        rechecked = run_check_queries(con)
        store_as(con, "run-2", with_finding_ids(findings_from_checks(rechecked)), carry_from="run-1",
                 carry_except=[name for name in check_queries() if name not in by_cell], carry_unless_rechecked=by_cell)
    assert set(rechecked["speakers_disagree"]["region_code"]) == {"RU-KLU"}  # Bryansk was not looked at again
    assert ["n", "week"] in rechecked["speakers_disagree"]["claim_ids"].to_list()
    full = sql_findings(con)  # outside the block every cell is checked again
    assert set(full["region_code"]) >= {"RU-BRY", "RU-KLU"}
    stored = con.sql("select finding_id, check_name, severity, message from dq_findings where run_id = 'run-2'").pl()
    assert stored.sort("finding_id").rows() == full.select(stored.columns).sort("finding_id").rows()
    assert "retold by 1 more document(s)" in " ".join(full["message"])


def test_finding_ids_match_finding_id_row_by_row_whatever_the_characters():
    from expectations.checks import finding_id, finding_ids

    rows = pl.DataFrame({
        "check_name": ["c", 'c"q', "c", "c", "c", "c"],
        "document_ids": [["d2", "d1"], ["a\\b"], ["x\ny", None], None, [], ["é", "ü", "a"]],
        "claim_ids": [["b", "a"], [], ["z"], None, ['"'], ["ключ"]],
        "finding_key": ["k", None, "tab\there", "", "k\x01", "ключ"],
    })
    expected = [finding_id(r["check_name"], r["claim_ids"] or [], r["document_ids"] or [], r["finding_key"])
                for r in rows.iter_rows(named=True)]
    assert finding_ids(rows).to_list() == expected
