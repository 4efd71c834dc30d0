"""`dronewatch sql` and `dronewatch export` on a tiny published warehouse (no flow run)."""
from __future__ import annotations

import builtins
import csv
import io
import json
from pathlib import Path

import polars as pl
import pytest

from flows import cli
from tests.sql.loader import build_warehouse
from warehouse import db
from warehouse.marts import mart_names

SAMPLE = Path(__file__).resolve().parent.parent / "sql" / "_sample"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warehouse") / "w.duckdb"
    con = build_warehouse(SAMPLE, path)
    db.publish(path, con)
    con.close()
    return path


class _Stdin(io.StringIO):
    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def test_sql_prints_a_readable_table(warehouse: Path, capsys) -> None:
    code = cli.main(["sql", "--warehouse", str(warehouse),
                     "select region_code, count_best from incidents where region_code = 'RU-KRS' order by 2"])
    out = capsys.readouterr().out
    assert code == 0
    assert "region_code" in out and "count_best" in out and "RU-KRS" in out
    assert "(3 rows)" in out


def test_sql_table_says_when_rows_are_cut(warehouse: Path, capsys) -> None:
    assert cli.main(["sql", "--warehouse", str(warehouse), "--max-rows", "2", "select * from claims"]) == 0
    assert "2 shown (--max-rows)" in capsys.readouterr().out


def test_sql_csv_and_json(warehouse: Path, capsys) -> None:
    query = "select day, region_code, count, claim_ids from daily_counts where allocation = 'unallocated' order by day"
    assert cli.main(["sql", "--warehouse", str(warehouse), "--format", "csv", query]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == {"day": "2026-11-23", "region_code": "", "count": "2",
                       "claim_ids": '["t-azov", "t-bry", "t-krs", "t-total"]'}
    assert cli.main(["sql", "--warehouse", str(warehouse), "--format", "json", query]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records[0] == {"day": "2026-11-23", "region_code": None, "count": 2,
                          "claim_ids": ["t-azov", "t-bry", "t-krs", "t-total"]}


def test_sql_parquet_needs_a_file(warehouse: Path, tmp_path: Path, capsys) -> None:
    assert cli.main(["sql", "--warehouse", str(warehouse), "--format", "parquet", "select 1"]) == cli.EXIT_USAGE
    assert "--out" in capsys.readouterr().err
    out = tmp_path / "incidents.parquet"
    assert cli.main(["sql", "--warehouse", str(warehouse), "--format", "parquet", "--out", str(out),
                     "select * from incidents"]) == 0
    assert pl.read_parquet(out).height == db.run(db.connect(db.snapshot_path(warehouse), read_only=True),
                                                 "select count(*) from incidents")[0][0]


def test_sql_reads_the_query_from_stdin_without_a_terminal(warehouse: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin("select count(*) as n from cumulative_claims;", tty=False))
    assert cli.main(["sql", "--warehouse", str(warehouse), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 2}]


def test_sql_prompt_runs_statements_until_quit(warehouse: Path, capsys, monkeypatch) -> None:
    lines = iter(["select count(*) as n", "from claim_lineage where lineage_role = 'correction';",
                  "select * from nowhere;", ".tables", ".quit"])
    monkeypatch.setattr("sys.stdin", _Stdin("", tty=True))
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(lines))
    assert cli.main(["sql", "--warehouse", str(warehouse)]) == 0
    captured = capsys.readouterr()
    assert "│ 1 │" in captured.out  # the one correction
    assert "nowhere" in captured.err  # an error is shown and the prompt goes on
    assert "speaker_agreement" in captured.out  # .tables


def test_the_snapshot_is_read_only(warehouse: Path, capsys) -> None:
    assert cli.main(["sql", "--warehouse", str(warehouse), "create table t (a integer)"]) == cli.EXIT_USAGE
    assert "read-only" in capsys.readouterr().err


def test_without_a_snapshot_the_commands_say_to_run_first(tmp_path: Path, capsys) -> None:
    for argv in (["sql", "select 1"], ["export", "--out", str(tmp_path / "x")]):
        assert cli.main([*argv, "--warehouse", str(tmp_path / "none.duckdb")]) == cli.EXIT_USAGE
        assert "run `dronewatch run` first" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_claims_and_every_mart(warehouse: Path, tmp_path: Path, capsys, fmt: str) -> None:
    out = tmp_path / "export"
    assert cli.main(["export", "--warehouse", str(warehouse), "--format", fmt, "--out", str(out)]) == 0
    names = ["claims", *mart_names()]
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.{fmt}" for name in names)
    reader = pl.read_parquet if fmt == "parquet" else pl.read_csv
    con = db.connect(db.snapshot_path(warehouse), read_only=True)
    for name in names:
        assert reader(out / f"{name}.{fmt}").height == db.run(con, f"select count(*) from {name}")[0][0], name
    printed = capsys.readouterr().out
    assert f"incidents.{fmt}" in printed
