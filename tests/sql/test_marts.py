"""The generic mart test: every folder here (except `_*`) is a case: input rows (see loader.py),
`mart.txt` naming the mart, and `expect.ndjson` with the mart's expected rows. Only the columns the
expected rows name are compared; rows are compared as a multiset (order does not matter)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sql.loader import build_warehouse, read_ndjson
from warehouse import db

CASES_DIR = Path(__file__).parent
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")) and (p / "mart.txt").exists())


def mart_rows(con, mart: str, columns: list[str]) -> list[tuple]:
    selected = ", ".join(f'"{c}"' for c in columns)
    return db.run(con, f"select {selected} from {mart}")


def expected_rows(con, mart: str, columns: list[str], path: Path) -> list[tuple]:
    """The expected rows, cast to the mart's column types by DuckDB so that values compare exactly."""
    types = dict(db.run(con, f"select column_name, data_type from information_schema.columns where table_name = ?",
                        [mart]))
    unknown = [c for c in columns if c not in types]
    assert not unknown, f"{path}: {mart} has no column(s) {unknown}"
    spec = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in columns) + "}"
    selected = ", ".join(f'"{c}"' for c in columns)
    return db.run(con, f"select {selected} from read_json(?, format = 'newline_delimited', columns = {spec})",
                  [str(path)])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mart_case(case: Path) -> None:
    mart = (case / "mart.txt").read_text(encoding="utf-8").strip()
    expect = case / "expect.ndjson"
    columns = list(dict.fromkeys(key for row in read_ndjson(expect) for key in row))
    con = build_warehouse(case)
    actual = sorted(mart_rows(con, mart, columns), key=repr)
    expected = sorted(expected_rows(con, mart, columns, expect), key=repr)
    assert actual == expected, "\n".join(
        [f"{case.name}: {mart} ({', '.join(columns)})", "actual:"]
        + [json.dumps(row, default=str, ensure_ascii=False) for row in actual]
        + ["expected:"] + [json.dumps(row, default=str, ensure_ascii=False) for row in expected]
    )


def test_every_case_is_complete() -> None:
    assert CASES, "no SQL test cases found"
    for case in CASES:
        assert (case / "expect.ndjson").exists(), f"{case} has no expect.ndjson"
        assert (case / "claims.ndjson").exists(), f"{case} has no claims.ndjson"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_marts_rebuilt_by_cell_equal_marts_built_whole(case: Path) -> None:
    """Every case loaded in two runs (every other document in the second): marts built after the
    first and rebuilt by cell for the cells the second added claims to equal marts built whole."""
    from tests.sql.loader import insert_rows
    from warehouse.cells import rechecking_cells_of
    from warehouse.marts import build_marts, mart_names

    whole = build_warehouse(case)
    documents = [row["id"] for row in read_ndjson(case / "documents.ndjson")]
    later = set(documents[1::2])
    claims = read_ndjson(case / "claims.ndjson")
    for n, row in enumerate(claims):
        row.setdefault("claim_no", n)
        row.setdefault("span_start", n)
    con = db.connect()
    db.run(con, "set TimeZone = 'UTC'")
    if (case / "regions.ndjson").exists():
        insert_rows(con, "regions", read_ndjson(case / "regions.ndjson"))
    insert_rows(con, "documents", read_ndjson(case / "documents.ndjson"))
    insert_rows(con, "extracted_claims", [row for row in claims if row["document_id"] not in later])
    build_marts(con)
    insert_rows(con, "extracted_claims", [{**row, "run_id": "second"} for row in claims if row["document_id"] in later])
    with rechecking_cells_of(con, "second"):
        build_marts(con, by_cell=True)
    for mart in mart_names():
        assert sorted(db.run(con, f"select * from {mart}"), key=repr) == sorted(
            db.run(whole, f"select * from {mart}"), key=repr), f"{case.name}: {mart}"
