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
