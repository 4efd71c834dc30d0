"""Tests for transforms.dumps: every format, gzip, and bad records with their reasons."""
from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest

from transforms.dumps import (
    gunzip,
    html_to_text,
    parse_csv,
    parse_dump,
    parse_html_document,
    parse_jsonl,
    parse_published,
    parse_telegram_export,
    parse_text_document,
)
from transforms.schema import DOCUMENT_SCHEMA, REJECT_SCHEMA

DATA = Path(__file__).parents[1] / "data" / "dumps"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def check_schemas(docs: pl.DataFrame, rejects: pl.DataFrame) -> None:
    assert dict(docs.schema) == DOCUMENT_SCHEMA
    assert dict(rejects.schema) == REJECT_SCHEMA


def reasons(rejects: pl.DataFrame) -> list[tuple[int | None, str]]:
    return list(zip(rejects["record_no"].to_list(), rejects["reason"].to_list()))


# --------------------------------------------------------------------------- JSON Lines


def test_jsonl_fixture() -> None:
    docs, rejects = parse_jsonl((DATA / "articles.jsonl").read_bytes(), "articles.jsonl")
    check_schemas(docs, rejects)
    assert rejects.height == 0
    assert docs["id"].to_list() == ["101", "a-102", "103"]
    assert docs["record_no"].to_list() == [1, 2, 4]  # the blank line 3 keeps its number
    assert docs["published_at"].to_list() == [utc(2024, 5, 1), utc(2024, 5, 1, 0, 15), utc(2024, 5, 2, 10)]
    assert docs["lang"].to_list() == ["en", "ru", None]
    assert docs["origin"].unique().to_list() == ["articles.jsonl"]
    assert docs["channel"].null_count() == 3


def test_jsonl_bad_records_are_rejected_with_line_numbers() -> None:
    lines = [
        '{"id": 1, "text": "ok one"}',
        '{"id": 2, "text": "broken" "x": 1}',
        '{"text": "no id"}',
        '{"id": 4}',
        '{"id": 5, "text": {"nested": true}}',
        '{"id": "", "text": "empty id"}',
        '{"id": 7, "text": "   "}',
        '[1, 2]',
        '{"id": 9, "text": "nul\\u0000 inside", "published": "yesterday"}',
        '{"id": true, "text": "bool id"}',
    ]
    docs, rejects = parse_jsonl("\n".join(lines).encode(), "bad.jsonl")
    check_schemas(docs, rejects)
    assert docs["id"].to_list() == ["1", "9"]
    assert docs["text"].to_list() == ["ok one", "nul inside"]
    assert docs["published_at"].to_list() == [None, None]
    assert reasons(rejects) == [
        (2, "line 2: invalid JSON: Expecting ',' delimiter at column 28"),
        (3, "missing id"),
        (4, "missing text"),
        (5, "text is not a string (got object)"),
        (6, "empty id"),
        (7, "empty text"),
        (8, "not a JSON object (got array)"),
        (9, "published date 'yesterday' cannot be read; the document is loaded without a date"),
        (10, "id is not a string or number (got boolean)"),
    ]
    assert rejects["origin"].unique().to_list() == ["bad.jsonl"]
    assert rejects.filter(pl.col("record_no") == 5)["excerpt"].item().startswith('{"id": 5')


def test_jsonl_text_type_checked_on_the_fast_path() -> None:
    # every line is a JSON object, so polars reads them all; the number must still be caught
    data = b'{"id": 1, "text": "fine"}\n{"id": 2, "text": 42}\n'
    docs, rejects = parse_jsonl(data, "x.jsonl")
    assert docs["id"].to_list() == ["1"]
    assert reasons(rejects) == [(2, "text is not a string (got number)")]


def test_jsonl_number_ids_are_written_as_json_reads_them() -> None:
    data = b'{"id": 0.0, "text": "a"}\n{"id": 1e5, "text": "b"}\n{"id": -2, "text": "c"}\n{"id": 7, "text": "d"}\n'
    docs, rejects = parse_jsonl(data, "f.jsonl")
    assert docs["id"].to_list() == ["0.0", "100000.0", "-2", "7"] and rejects.is_empty()


def test_jsonl_duplicates() -> None:
    lines = [
        '{"id": 1, "text": "same"}',
        '{"id": 2, "text": "other"}',
        '{"id": 1, "text": "same"}',
        '{"id": "1", "text": "changed"}',
    ]
    docs, rejects = parse_jsonl("\n".join(lines).encode(), "d.jsonl")
    assert docs["id"].to_list() == ["1", "2"]
    assert docs["record_no"].to_list() == [1, 2]
    assert reasons(rejects) == [(4, "duplicate id with different text (first at line 1)")]


def test_jsonl_invalid_utf8_rejects_only_that_line() -> None:
    data = b'{"id": 1, "text": "good"}\n{"id": 2, "text": "bad \xff byte"}\n{"id": 3, "text": "good too"}\n'
    docs, rejects = parse_jsonl(data, "u.jsonl")
    assert docs["id"].to_list() == ["1", "3"]
    assert reasons(rejects) == [(2, "not valid UTF-8 (byte offset 23)")]


def test_jsonl_bom_utf16_and_empty() -> None:
    line = '{"id": 1, "text": "Привет"}\n'
    for encoded in (b"\xef\xbb\xbf" + line.encode(), line.encode("utf-16")):
        docs, rejects = parse_jsonl(encoded, "b.jsonl")
        assert docs["text"].to_list() == ["Привет"] and rejects.height == 0
    docs, rejects = parse_jsonl(b"", "e.jsonl")
    check_schemas(docs, rejects)
    assert docs.height == 0 and rejects.height == 0


def test_published_formats() -> None:
    raw = pl.Series(
        [
            "2024-05-01",
            "2024-05-01T03:00:00+03:00",
            "2024-05-01T03:00:00Z",
            "2024-05-01 03:00:00",
            "2024-05-01T03:00:00.250",
            "20240501T030000+0100",
            "2199-01-01",
            "not a date",
            None,
        ]
    )
    assert parse_published(raw).to_list() == [
        utc(2024, 5, 1),
        utc(2024, 5, 1),
        utc(2024, 5, 1, 3),
        utc(2024, 5, 1, 3),
        datetime(2024, 5, 1, 3, 0, 0, 250000, tzinfo=timezone.utc),
        utc(2024, 5, 1, 2),
        utc(2199, 1, 1),
        None,
        None,
    ]


# --------------------------------------------------------------------------- CSV


def test_csv_fixture() -> None:
    docs, rejects = parse_csv((DATA / "articles.csv").read_bytes(), "articles.csv")
    check_schemas(docs, rejects)
    assert rejects.height == 0
    assert docs["id"].to_list() == ["201", "202"]
    assert docs["title"].to_list() == ["Airfield, night attack", None]
    assert docs["text"][1] == 'A quote: "no damage" was reported.\nThe statement continued on a second line.'
    assert docs["record_no"].to_list() == [2, 3]
    assert docs["published_at"].to_list() == [utc(2024, 5, 3, 22, 10), utc(2024, 5, 4)]


def test_csv_missing_required_column_rejects_file() -> None:
    docs, rejects = parse_csv(b"id,body\n1,hello\n", "no_text.csv")
    assert docs.height == 0
    assert reasons(rejects) == [(None, "missing required column(s) text; header is id, body")]


def test_csv_bad_rows() -> None:
    data = (
        b"id,text\n"
        b"1,fine\n"
        b'2,"quoted"junk\n'
        b"3,too,many\n"
        b"4,\n"
        b"5,caf\xe9\n"
        b"6,also fine\n"
        b"1,different\n"
    )
    docs, rejects = parse_csv(data, "r.csv")
    check_schemas(docs, rejects)
    assert docs["id"].to_list() == ["1", "6"]
    assert reasons(rejects) == [
        (3, "row cannot be parsed: stray quote (',' expected after '\"')"),
        (4, "row has 3 fields, header has 2"),
        (5, "empty text"),
        (6, "not valid UTF-8 (byte offset 5 in the record)"),
        (8, "duplicate id with different text (first at line 2)"),
    ]


# --------------------------------------------------------------------------- Telegram


def test_telegram_export() -> None:
    path = DATA / "telegram_export" / "MinoboronyNews" / "result.json"
    docs, rejects = parse_telegram_export(path.read_bytes(), "result.json")
    check_schemas(docs, rejects)
    assert rejects.height == 0
    assert docs["id"].to_list() == ["MinoboronyNews/2", "MinoboronyNews/3"]
    assert docs["text"][1] == "Air defence on duty: 7 drones downed. #news!"
    # date_unixtime wins over the exporter's local time; without it the naive date is UTC
    assert docs["published_at"].to_list() == [utc(2024, 5, 1, 6, 12), utc(2024, 5, 1, 9, 30)]
    assert docs["channel"].to_list() == ["MinoboronyNews"] * 2
    assert docs["source"].to_list() == ["MinoboronyNews"] * 2
    assert docs["url"].null_count() == 2
    assert docs["record_no"].to_list() == [2, 3]


def test_telegram_bad_messages_and_id_fallback() -> None:
    export = {"id": 42, "type": "public_channel", "messages": [
        {"id": 1, "type": "message", "date": "2024-05-01T00:00:00", "text": 5},
        {"id": 2, "type": "message", "date": "2024-05-01T00:00:00", "text": "ok"},
        "junk",
    ]}
    docs, rejects = parse_telegram_export(json.dumps(export).encode(), "c/result.json")
    assert docs["id"].to_list() == ["42/2"]
    assert reasons(rejects) == [
        (1, "message text is not a string or list (got number)"),
        (3, "message is not a JSON object"),
    ]


def test_telegram_broken_json_is_a_file_reject() -> None:
    docs, rejects = parse_telegram_export(b'{"name": "x",\n "messages": [\n {"id": 1,,}]}', "result.json")
    assert docs.height == 0
    assert reasons(rejects) == [(None, "line 3: invalid JSON: Expecting property name enclosed in double quotes at column 11")]


# --------------------------------------------------------------------------- single documents


def test_text_and_markdown() -> None:
    docs, _ = parse_text_document((DATA / "statement.txt").read_bytes(), "statement.txt", "statement.txt")
    assert docs["id"].to_list() == ["statement"]
    assert docs["text"][0].startswith("Statement of the regional administration.")
    docs, _ = parse_text_document((DATA / "briefing.md").read_bytes(), "briefing.md", "briefing.md")
    assert docs["id"].to_list() == ["briefing"] and docs["title"].to_list() == ["Morning briefing"]


def test_text_cp1251_fallback_and_undecodable() -> None:
    text = "Ночью сбиты два беспилотника над районом."
    docs, rejects = parse_text_document(text.encode("cp1251"), "old.txt", "old.txt")
    assert docs["text"].to_list() == [text] and rejects.height == 0
    docs, rejects = parse_text_document(b"plain \x81\x98 bytes", "bin.txt", "bin.txt")
    assert docs.height == 0
    assert reasons(rejects) == [(None, "not valid UTF-8 (byte offset 6)")]


def test_html_document() -> None:
    docs, rejects = parse_html_document((DATA / "report.html").read_bytes(), "report.html", "report.html")
    check_schemas(docs, rejects)
    assert docs["id"].to_list() == ["report"]
    assert docs["title"].to_list() == ["Night attack – report"]
    assert docs["text"][0] == (
        "Night attack\nAir defence shot down 9 drones & one missile.\nResidents reported loud explosions.\nNo casualties."
    )


def test_html_unclosed_head_keeps_body() -> None:
    assert html_to_text("<head><title>T</title><p>Body text</p>") == ("Body text", "T")


# --------------------------------------------------------------------------- dispatch and gzip


@pytest.mark.parametrize(
    ("name", "expected_ids"),
    [
        ("articles.jsonl", ["101", "a-102", "103"]),
        ("articles.csv", ["201", "202"]),
        ("statement.txt", ["statement"]),
        ("report.html", ["report"]),
    ],
)
def test_parse_dump_dispatch_plain_and_gzip(name: str, expected_ids: list[str]) -> None:
    raw = (DATA / name).read_bytes()
    for data, file_name in ((raw, name), (gzip.compress(raw), name + ".gz"), (gzip.compress(raw), name)):
        docs, rejects = parse_dump(data, file_name, file_name)
        assert docs["id"].to_list() == expected_ids, file_name
        assert rejects.height == 0


def test_parse_dump_json_sniffing() -> None:
    export = (DATA / "telegram_export" / "MinoboronyNews" / "result.json").read_bytes()
    assert parse_dump(export, "channel.json", "channel.json")[0].height == 2  # "messages" => Telegram
    lines = b'{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n'
    assert parse_dump(lines, "lines.json", "lines.json")[0]["id"].to_list() == ["1", "2"]
    array = b'[{"id": 1, "text": "a"}, {"id": 2}]'
    docs, rejects = parse_dump(array, "array.json", "array.json")
    assert docs["id"].to_list() == ["1"] and reasons(rejects) == [(2, "missing text")]
    pretty = b'[\n  {"id": 1, "text": "a"},\n  {"id": 2, "text": "b"}\n]\n'
    assert parse_dump(pretty, "pretty.json", "pretty.json")[0]["id"].to_list() == ["1", "2"]
    docs, rejects = parse_dump(b'[\n {"id": 1,\n', "cut.json", "cut.json")
    assert docs.height == 0 and rejects["record_no"].to_list() == [None]
    assert rejects["reason"][0].startswith("line 3: invalid JSON")
    docs, rejects = parse_dump(b"%PDF-1.4", "scan.pdf", "scan.pdf")
    assert rejects["reason"][0].startswith("unsupported file type")


def test_truncated_gzip_keeps_complete_lines() -> None:
    lines = "".join(json.dumps({"id": i, "text": f"report number {i} " * 20}) + "\n" for i in range(200))
    packed = gzip.compress(lines.encode())
    data, problem = gunzip(packed[: len(packed) // 2])
    assert problem == "gzip data truncated"
    docs, rejects = parse_dump(packed[: len(packed) // 2], "big.jsonl.gz", "big.jsonl.gz")
    complete = data.count(b"\n")
    assert docs.height == complete and docs["id"][-1] == str(complete - 1)
    assert rejects.height == 1
    assert rejects["record_no"][0] == complete + 1
    assert "incomplete" in rejects["reason"][0]


def test_jsonl_bad_lines_in_a_large_file_keep_numbering() -> None:
    lines = [f'{{"id": {i}, "text": "report {i}"}}' for i in range(1, 3001)]
    lines[1499] = '{"id": 1500, "text": "cut'
    lines[2998] = "\x00garbage"
    lines.insert(10, "")  # a blank line shifts every later line number by one
    docs, rejects = parse_jsonl("\n".join(lines).encode(), "big.jsonl")
    assert docs.height == 2998
    assert rejects["record_no"].to_list() == [1501, 3000]
    by_id = dict(zip(docs["id"].to_list(), docs["record_no"].to_list()))
    assert by_id["10"] == 10 and by_id["11"] == 12 and by_id["3000"] == 3001


def test_html_declared_legacy_charset() -> None:
    page = '<html><head><meta charset="windows-1251"><title>Сводка</title></head><p>Сбиты 2 дрона</p></html>'
    docs, rejects = parse_html_document(page.encode("cp1251"), "svodka.htm", "svodka.htm")
    assert docs["title"].to_list() == ["Сводка"] and docs["text"].to_list() == ["Сбиты 2 дрона"]


def test_telegram_nameless_export_uses_folder_name() -> None:
    export = {"messages": [{"id": 9, "type": "message", "date": "2024-05-01T00:00:00", "text": "hi"}]}
    docs, _ = parse_telegram_export(json.dumps(export).encode(), "x.zip!SomeChannel/result.json")
    assert docs["id"].to_list() == ["SomeChannel/9"] and docs["channel"].to_list() == ["SomeChannel"]


def test_jsonl_raw_control_characters_kept_and_blank_optionals_null() -> None:
    data = b'{"id": 1, "text": "raw\x00nul\tand tab", "url": "", "lang": " "}\n'
    docs, rejects = parse_jsonl(data, "c.jsonl")
    assert rejects.height == 0
    assert docs.select("text", "url", "lang").rows() == [("rawnul\tand tab", None, None)]


# --------------------------------------------------------------------------- found by fuzzing


def test_lone_surrogate_escapes_become_replacement_characters() -> None:
    data = b'not json\n{"id": "a\\ud800", "text": "x\\udfffy"}\n{"id": "b", "text": "\\ud83d\\ude00"}\n'
    docs, rejects = parse_jsonl(data, "s.jsonl")
    assert docs.select("id", "text").rows() == [("a\ufffd", "x\ufffdy"), ("b", "\U0001f600")]
    assert rejects["record_no"].to_list() == [1]


def test_nul_only_id_is_empty() -> None:
    docs, rejects = parse_jsonl(b'{"id": "\\u0000", "text": "x"}\n{"id": "a\\u0000b", "text": "y"}\n', "n.jsonl")
    assert docs["id"].to_list() == ["ab"]
    assert reasons(rejects) == [(1, "empty id")]


def test_csv_unclosed_quote_rejects_one_row_and_reads_on() -> None:
    docs, rejects = parse_csv(b'id,text\n1,ok\n2,"never closed\n3,good\n4,good too\n', "q.csv")
    assert docs["id"].to_list() == ["1", "3", "4"] and docs["record_no"].to_list() == [2, 4, 5]
    assert reasons(rejects) == [(3, "row cannot be parsed: a quote opened on this line is never closed")]


def test_csv_undecodable_header_and_old_mac_line_ends() -> None:
    docs, rejects = parse_csv(b"\x80", "h.csv")
    assert reasons(rejects) == [(None, "header row: not valid UTF-8 (byte offset 0)")]
    docs, rejects = parse_csv(b"id,text\r1,a\r2,b\r", "mac.csv")
    assert docs["record_no"].to_list() == [2, 3] and rejects.height == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding: str) -> None:
    for name, content in (("x.jsonl", '{"id": 1, "text": "Сбиты два дрона"}\n'), ("x.txt", "Сбиты два дрона")):
        docs, rejects = parse_dump(content.encode(encoding), name, name)
        assert docs["text"].to_list() == ["Сбиты два дрона"] and rejects.height == 0


def test_empty_files_and_blank_documents_are_rejected() -> None:
    for name, data in (("e.jsonl", b""), ("e.csv", b" \n"), ("e.txt", b"\xef\xbb\xbf"), ("e.jsonl.gz", gzip.compress(b""))):
        docs, rejects = parse_dump(data, name, name)
        assert docs.height == 0 and reasons(rejects) == [(None, "the file is empty")], name
    docs, rejects = parse_dump(b"<script>alert(1)</script>", "s.html", "s.html")
    assert reasons(rejects) == [(None, "no text (the document is blank)")]


def test_text_longer_than_the_limit_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    import transforms.dumps as dumps

    monkeypatch.setattr(dumps, "MAX_TEXT_CHARS", 10)
    docs, rejects = parse_jsonl(b'{"id": 1, "text": "short"}\n{"id": 2, "text": "far too long a text"}\n', "l.jsonl")
    assert docs["id"].to_list() == ["1"]
    assert reasons(rejects) == [(2, "text is 19 characters long, more than the 10 a document may have; not loaded")]
    docs, rejects = parse_text_document(b"far too long a text", "l.txt", "l.txt")
    assert docs.height == 0 and "19 characters long" in rejects["reason"][0]
