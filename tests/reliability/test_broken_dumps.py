"""The real pipeline on a folder of broken dumps (broken_dumps/, plus a 50 MB single line written
here): the run ends normally, every good record loads, every bad one is in `rejected` with a
reason a person understands, and the summary counts them."""
from __future__ import annotations

import json
import shutil
import zlib
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.reliability.conftest import CORPUS, CliRun, query, run_cli
from tests.reliability.make_broken_dumps import ESCAPING_MEMBERS

HUGE_CHARS = 50 * 2**20

# names and texts full of quotes, semicolons and SQL (broken_dumps/hostile_text.jsonl), and a dump
# whose file name is SQL too (written at test time): all of it is data
HOSTILE_IDS = ["hostile-'; drop table documents; --", 'hostile-"2"; select 1', "hostile-3');--"]
HOSTILE_FILE = "it's; drop table rejected; --\".jsonl"
HOSTILE_FILE_LINES = ('{"id": "hostile-name-1", "text": "Over Oryol region 2 drones were destroyed; \'--"}\n'
                      '{"id": "hostile-name-2", "text": "\');drop table pulled_files;--"\n')

GOOD = {
    "good-json-1", "good-json-5", "good-fields-1", "good-dup-1", "good-dup-4", "9001", "good-types-9",
    "good-csv-2", "good-csv-4", "good-csv-6", "good-csv-7", "good-date-future", "good-date-words",
    "good-date-impossible", "good-date-hour25", "good-date-ok", "good-absurd-1", "good-absurd-2", "good-utf16-1",
    "good-utf16-2",
    "good-utf16nb-2", "good-bom-2", "good-bom-j1", "good-nul-1", "good-nul-4", "cp1251_statement",
    "page_with_scripts", "WeirdChannel/2", "WeirdChannel/3", "WeirdChannel/8",
    "good-zip-1", "good-tar-1", HOSTILE_IDS[0], HOSTILE_IDS[1], "hostile-name-1",
}

# (file, record number, words the reason must hold)
REJECTS = [
    ("invalid_json.jsonl", 2, "invalid JSON: Unterminated string"),
    ("invalid_json.jsonl", 3, "invalid JSON: Expecting property name"),
    ("invalid_json.jsonl", 4, "invalid JSON: Expecting value"),
    ("missing_fields.jsonl", 2, "missing id"),
    ("missing_fields.jsonl", 3, "empty id"),
    ("missing_fields.jsonl", 4, "missing text"),
    ("missing_fields.jsonl", 5, "empty text"),
    ("missing_fields.jsonl", 6, "missing id"),
    ("missing_fields.jsonl", 7, "empty text"),
    ("duplicates.jsonl", 3, "duplicate id with different text (first at line 1)"),
    ("reprints.jsonl", 2, "document id 'good-dup-1' was loaded before with a different text; the first version is kept"),
    ("wrong_types.jsonl", 1, "text is not a string (got number)"),
    ("wrong_types.jsonl", 2, "text is not a string (got object)"),
    ("wrong_types.jsonl", 3, "text is not a string (got array)"),
    ("wrong_types.jsonl", 4, "text is not a string (got boolean)"),
    ("wrong_types.jsonl", 5, "id is not a string or number (got object)"),
    ("wrong_types.jsonl", 6, "not a JSON object (got array)"),
    ("wrong_types.jsonl", 7, "not a JSON object (got string)"),
    ("missing_column.csv", None, "missing required column(s) text; header is id, title, published"),
    ("stray_quote.csv", 3, "stray quote"),
    ("stray_quote.csv", 5, "a quote opened on this line is never closed"),
    ("stray_quote.csv", 8, "row has 4 fields, header has 3"),
    ("cp1251_articles.jsonl", 1, "not valid UTF-8 (byte offset 32); it looks like Windows-1251"),
    ("cp1251_articles.jsonl", 2, "not valid UTF-8 (byte offset 32); it looks like Windows-1251"),
    ("nul_bytes.jsonl", 2, "invalid JSON"),
    ("nul_bytes.jsonl", 3, "empty id"),
    ("empty.jsonl", None, "the file is empty"),
    ("blank.csv", None, "the file is empty"),
    ("only_script.html", None, "no text (the document is blank)"),
    ("WeirdChannel/result.json", 5, "message text is not a string or list (got number)"),
    ("WeirdChannel/result.json", 6, "message is not a JSON object"),
    ("WeirdChannel/result.json", 7, "missing id"),
    ("huge_line.jsonl", 1, f"text is {HUGE_CHARS} characters long, more than the 1000000 a document may have"),
    ("hostile_text.jsonl", 3, "text is not a string (got object)"),
    (HOSTILE_FILE, 2, "invalid JSON"),
    *[(f"escaping_members.{kind}!{member}", None, f"unsafe archive member name {member!r} (absolute or '..' path); not read")
      for kind in ("zip", "tar") for member in ESCAPING_MEMBERS],
    ("escaping_members.tar!good/passwd.jsonl", None, "archive member is a link or device, not a regular file; not read"),
    ("escaping_members.tar!good/hard.jsonl", None, "archive member is a link or device, not a regular file; not read"),
    # truncated.jsonl.gz: the incomplete line, found by test_truncated_gzip_keeps_complete_lines
    # unreadable dates: the record loads (GOOD) and the date is reported
    ("dates.jsonl", 2, "published date 'вчера вечером' cannot be read; the document is loaded without a date"),
    ("dates.jsonl", 3, "published date '2024-02-30' cannot be read"),
    ("dates.jsonl", 4, "published date '2024-05-01T25:00:00' cannot be read"),
    ("hostile_text.jsonl", 2, "published date '2024-05-02’; drop table runs; --' cannot be read"),
]


def complete_gzip_lines(path: Path) -> list[dict]:
    """The lines a reader of the truncated gzip can fully see (zlib directly, not our reader)."""
    text = zlib.decompressobj(wbits=31).decompress(path.read_bytes())
    return [json.loads(line) for line in text.split(b"\n")[:-1]]


def write_huge_line(path: Path) -> None:
    """A 50 MB single line: one JSON object whose text is a whole dump (written, not committed)."""
    with path.open("wb") as out:
        out.write(b'{"id": "huge-1", "text": "')
        sentence = "Over Bryansk region 3 drones were destroyed. ".encode()
        whole, rest = divmod(HUGE_CHARS, len(sentence))
        out.write(sentence * whole + sentence[:rest])
        out.write(b'"}')  # no newline: the line never ends


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[CliRun, Path, Path]:
    tmp = tmp_path_factory.mktemp("broken")
    corpus = tmp / "dumps"
    shutil.copytree(CORPUS, corpus)
    write_huge_line(corpus / "huge_line.jsonl")
    (corpus / HOSTILE_FILE).write_text(HOSTILE_FILE_LINES, encoding="utf-8")
    warehouse = tmp / "w.duckdb"
    return run_cli(warehouse, corpus), warehouse, corpus


def rejected_rows(warehouse: Path) -> list[tuple[str, int | None, str]]:
    return query(warehouse, "select origin, record_no, reason from rejected order by origin, record_no")


def test_the_run_ends_normally(broken: tuple[CliRun, Path, Path]) -> None:
    run, warehouse, _ = broken
    assert run.code == 0, run.stderr
    assert query(warehouse, "select status from runs") == [("completed",)]


def test_every_good_record_loads(broken: tuple[CliRun, Path, Path]) -> None:
    _, warehouse, corpus = broken
    ids = {i for (i,) in query(warehouse, "select id from documents")}
    gz_ids = {line["id"] for line in complete_gzip_lines(corpus / "truncated.jsonl.gz")}
    assert len(gz_ids) >= 3
    assert ids == GOOD | gz_ids


def test_every_bad_record_is_rejected_with_its_reason(broken: tuple[CliRun, Path, Path]) -> None:
    _, warehouse, corpus = broken
    rows = rejected_rows(warehouse)
    unmatched = list(rows)
    for file, record_no, words in REJECTS:
        found = [r for r in unmatched if r[0].endswith("/" + file) and r[1] == record_no and words in r[2]]
        assert found, f"no reject for {file} record {record_no} with {words!r}; rejected: {rows}"
        unmatched.remove(found[0])
    gz_line = len(complete_gzip_lines(corpus / "truncated.jsonl.gz")) + 1
    assert [r for r in unmatched if r[0].endswith("/truncated.jsonl.gz")] == [
        (str(corpus / "truncated.jsonl.gz"), gz_line,
         f"gzip data truncated: line {gz_line} is incomplete and the rest of the file could not be read")]
    assert [r for r in unmatched if not r[0].endswith("/truncated.jsonl.gz")] == []


def test_the_summary_counts_them(broken: tuple[CliRun, Path, Path]) -> None:
    run, warehouse, _ = broken
    ingest = run.summary["ingest"]
    [(documents,)] = query(warehouse, "select count(*) from documents")
    [(rejected,)] = query(warehouse, "select count(*) from rejected")
    assert (ingest["documents_new"], ingest["rejected"], ingest["rejected_new"]) == (documents, rejected, rejected)
    assert query(warehouse, "select documents_new, rejected from runs") == [(documents, rejected)]


def test_no_document_holds_nul_bytes_script_or_style(broken: tuple[CliRun, Path, Path]) -> None:
    _, warehouse, _ = broken
    [(page,)] = query(warehouse, "select text from documents where id = 'page_with_scripts'")
    assert page == "Над Белгородской областью сбиты 4 беспилотника.\nПострадавших нет."
    assert query(warehouse, "select count(*) from documents where contains(text, chr(0)) or contains(id, chr(0))") == [(0,)]
    [(nul,)] = query(warehouse, "select text from documents where id = 'good-nul-1'")
    assert nul == "rawNUL bytes: 2 drones downed over Bryansk region."


def test_telegram_entities_of_any_type_keep_their_text(broken: tuple[CliRun, Path, Path]) -> None:
    _, warehouse, _ = broken
    texts = dict(query(warehouse, "select id, text from documents where channel = 'WeirdChannel'"))
    assert texts["WeirdChannel/2"] == "🔥 Над Брянской областью сбиты 6 беспилотников. #ПВО"
    assert texts["WeirdChannel/3"] == "Над Курской областью сбиты 2 беспилотника. Пострадавших нет."


def test_dates_in_the_future_are_kept_and_unreadable_ones_reported(broken: tuple[CliRun, Path, Path]) -> None:
    _, warehouse, _ = broken
    dates = dict(query(warehouse, "select id, published_at from documents where id like 'good-date-%'"))
    assert dates["good-date-future"] == datetime(2199, 1, 1, tzinfo=timezone.utc)
    assert dates["good-date-ok"] == datetime(2024, 5, 1, tzinfo=timezone.utc)
    assert [dates[k] for k in ("good-date-words", "good-date-impossible", "good-date-hour25")] == [None] * 3
    # the future date is flagged, with the claim it puts on a day in 2199
    flagged = query(warehouse, "select document_ids, claim_ids, message from dq_findings "
                               "where check_name = 'published_in_future' and run_id = (select min(run_id) from runs)")
    claims = [c for (c,) in query(warehouse, "select claim_id from claims where document_id = 'good-date-future'")]
    assert [(d, c) for d, c, _ in flagged] == [(["good-date-future"], claims)] and len(claims) == 1
    assert "published 2199-01-01" in flagged[0][2]


def test_absurd_numbers_load_and_are_never_silently_counted(broken: tuple[CliRun, Path, Path]) -> None:
    """"10000000 drones" and a number past Int64: the documents load (GOOD) but no such count is
    claimed; the documents are flagged as drone reports without a claim, and any claim that did keep
    a figure that large would be flagged by count_is_positive_integer."""
    _, warehouse, _ = broken
    assert query(warehouse, "select count(*) from claims where starts_with(document_id, 'good-absurd-')") == [(0,)]
    assert query(warehouse, "select max(count) < 10000 from claims") == [(True,)]
    flagged = query(warehouse, """
        select distinct unnest(document_ids) from dq_findings where check_name = 'drone_document_without_claim'""")
    assert {"good-absurd-1", "good-absurd-2"} <= {d for (d,) in flagged}
    unflagged = query(warehouse, """
        select c.claim_id from claims c
        where c.count > 5000 and not exists (
            select 1 from dq_findings f
            where f.check_name = 'count_is_positive_integer' and f.severity = 'warning'
              and list_contains(f.claim_ids, c.claim_id))""")
    assert unflagged == []


def test_quotes_semicolons_and_sql_in_names_and_texts_are_only_data(broken: tuple[CliRun, Path, Path]) -> None:
    """Every value reaches the warehouse through parameters: it is stored exactly as written, and no
    statement in it ever runs (were one pasted into SQL, the load would fail or a table be gone)."""
    _, warehouse, corpus = broken
    written = [json.loads(line) for line in (corpus / "hostile_text.jsonl").read_text(encoding="utf-8").splitlines()]
    stored = {row[0]: row[1:] for row in query(
        warehouse, "select id, text, title, source, url from documents where starts_with(id, 'hostile-')")}
    for doc in written[:2]:
        assert stored[doc["id"]] == (doc["text"], doc.get("title"), doc.get("source"), doc.get("url"))
    claims = query(warehouse, "select document_id, count, region_code, quote from claims where document_id = any(?)",
                   [HOSTILE_IDS[:2]])
    assert sorted(c[:3] for c in claims) == sorted([(HOSTILE_IDS[0], 3, "RU-BRY"), (HOSTILE_IDS[1], 4, "RU-KRS")])
    assert all("drones were destroyed" in q or "беспилотника" in q for *_, q in claims)
    [(excerpt,)] = query(warehouse, "select excerpt from rejected where origin = ? and record_no = 3",
                         [str(corpus / "hostile_text.jsonl")])
    assert "'; drop table documents; --" in excerpt
    hostile_file = str(corpus / HOSTILE_FILE)
    assert query(warehouse, "select excerpt from rejected where origin = ?", [hostile_file]) == [
        ("{\"id\": \"hostile-name-2\", \"text\": \"');drop table pulled_files;--\"",)]
    assert query(warehouse, "select complete from source_cursors where origin = ?", [hostile_file]) == [(True,)]
    for table in ("documents", "rejected", "runs", "extracted_claims", "source_cursors", "dq_findings"):
        assert query(warehouse, f"select count(*) > 0 from {table}") == [(True,)], table  # noqa: S608 - fixed names


def test_archive_members_cannot_escape_their_folder(broken: tuple[CliRun, Path, Path]) -> None:
    """'..', absolute and drive paths, and links out of the archive are refused (REJECTS); members are
    read in memory, so nothing was written next to, above or outside the archives either."""
    _, warehouse, corpus = broken
    assert query(warehouse, "select id from documents where starts_with(id, 'escaped')") == []
    written = {p.name for root in (corpus.parent, corpus.parent.parent) for p in root.rglob("*") if p.is_file()}
    assert not {n for n in written if "escaped" in n or n in ("windows.jsonl", "drive.jsonl", "outside.jsonl")}
    assert not Path("/tmp/absolute.jsonl").exists()


def test_a_second_run_adds_nothing_and_counts_the_same_rejects(
        broken: tuple[CliRun, Path, Path]) -> None:
    first, warehouse, corpus = broken
    again = run_cli(warehouse, corpus)
    assert again.code == 0, again.stderr
    assert again.summary["ingest"]["documents_new"] == 0
    assert again.summary["ingest"]["rejected_new"] == 0
    assert query(warehouse, "select count(*) from rejected")[0][0] == first.summary["ingest"]["rejected"]
