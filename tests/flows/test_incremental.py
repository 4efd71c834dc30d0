"""Incremental, idempotent, crash-safe loading: cursors, appended dumps, a run killed mid-load,
and `rebuild`. Most of it drives flows.ingest directly (no Prefect), one test kills a real
`dronewatch run` subprocess."""
from __future__ import annotations

import gzip
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows.cursors import get_cursor
from flows.ingest import extract_or_quarantine, ingest_source
from flows.rebuild import rebuild_claims
from tests.conftest import PROJECT_ROOT, SAMPLES
from tests.flows.conftest import run_flow, sample_articles
from transforms.dumps import parse_jsonl
from warehouse import db

SAMPLE_ARTICLES = sample_articles()
CLAIM_COLUMNS = "claim_id, document_id, speaker, outcome, count, region_code, quote, span_start, span_end"
DOCUMENT_COLUMNS = "id, text, content_hash, origin, record_no, published_at, lang"


def articles(start: int, stop: int) -> bytes:
    """JSON Lines of sample articles under new ids (drone news, so they have claims)."""
    lines = []
    for n in range(start, stop):
        article = SAMPLE_ARTICLES[n % len(SAMPLE_ARTICLES)]
        lines.append(json.dumps({**article, "id": f"gen-{n:05d}"}, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode()


def ingest(con: duckdb.DuckDBPyConnection, source: Path, run: str = "r", block_bytes: int = 2048):
    return ingest_source(con, str(source), run, block_bytes=block_bytes)


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[tuple]:
    return db.run(con, sql, params)


@pytest.fixture
def con(tmp_path: Path):
    connection = db.connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


def test_blocks_keep_the_line_numbers_of_the_whole_file(con, tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(articles(0, 30)[:-1] + b"\nnot json\n" + articles(30, 40))
    stats = ingest(con, dump)
    whole_docs, whole_rejects = parse_jsonl(dump.read_bytes(), str(dump))
    assert stats.documents_new == whole_docs.height == 40
    assert rows(con, "select id, record_no from documents order by record_no") == list(
        whole_docs.select("id", "record_no").sort("record_no").iter_rows())
    assert rows(con, "select record_no, reason from rejected") == list(
        whole_rejects.select("record_no", "reason").iter_rows())
    assert whole_rejects["record_no"].to_list() == [31]


def test_an_unchanged_file_costs_a_stat_and_an_appended_one_only_its_new_lines(con, tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(articles(0, 20))
    first = ingest(con, dump, "r1")
    assert (first.files_read, first.documents_new) == (1, 20)

    again = ingest(con, dump, "r2")
    assert (again.files_read, again.files_unchanged, again.documents_read) == (0, 1, 0)

    with dump.open("ab") as handle:
        handle.write(articles(20, 25))
    appended = ingest(con, dump, "r3")
    assert (appended.files_read, appended.documents_read, appended.documents_new) == (1, 5, 5)
    cursor = get_cursor(con, str(dump))
    assert cursor.complete and cursor.bytes_read == dump.stat().st_size and cursor.lines_read == 25
    assert rows(con, "select min(record_no) from documents where first_run_id = 'r3'") == [(21,)]

    os.utime(dump)  # touched, not changed: the prefix is hashed again, nothing is loaded
    touched = ingest(con, dump, "r4")
    assert (touched.files_unchanged, touched.documents_read) == (1, 0)


def test_a_rewritten_file_is_read_again_and_ids_dedupe_it(con, tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(articles(0, 10))
    ingest(con, dump)
    dump.write_bytes(articles(5, 12))  # not an append: the old beginning is gone
    stats = ingest(con, dump, "r2")
    assert (stats.documents_read, stats.documents_new) == (7, 2)
    assert rows(con, "select count(*) from documents") == [(12,)]


def test_a_gzip_dump_with_an_appended_member_loads_only_the_new_member(con, tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl.gz"
    dump.write_bytes(gzip.compress(articles(0, 10)))
    ingest(con, dump)
    with dump.open("ab") as handle:
        handle.write(gzip.compress(articles(10, 13)))
    stats = ingest(con, dump, "r2")
    assert (stats.documents_read, stats.documents_new) == (3, 3)


def test_a_telegram_export_loads_only_messages_after_the_last_id(con, tmp_path: Path) -> None:
    export = json.loads((SAMPLES / "telegram-mod-channel" / "result.json").read_text())
    folder = tmp_path / "channel"
    folder.mkdir()
    path = folder / "result.json"
    path.write_text(json.dumps(export, ensure_ascii=False))
    first = ingest(con, path)
    last_id = get_cursor(con, str(path)).last_message_id
    assert last_id == max(m["id"] for m in export["messages"])
    export["messages"].append({"id": last_id + 1, "type": "message", "date": "2026-10-06T08:00:00",
                               "text": "Ночью над Брянской областью уничтожены 3 беспилотника."})
    path.write_text(json.dumps(export, ensure_ascii=False))
    second = ingest(con, path, "r2")
    assert first.documents_read > 1 and (second.documents_read, second.documents_new) == (1, 1)
    assert get_cursor(con, str(path)).last_message_id == last_id + 1


def test_rebuild_puts_back_what_extraction_finds_and_counts_the_differences(con, tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(articles(0, 6))
    ingest(con, dump)
    clean = rows(con, f"select {CLAIM_COLUMNS} from extracted_claims order by claim_id")
    places = rows(con, "select * from claim_places order by all")
    assert len(clean) >= 3
    first, second = clean[0][0], clean[1][0]
    db.run(con, "update extracted_claims set count = count + 1 where claim_id = ?", [first])
    db.run(con, "delete from extracted_claims where claim_id = ?", [second])
    db.run(con, "insert into extracted_claims select * replace ('bogus' as claim_id) from extracted_claims "
                "where claim_id = ?", [first])
    stats = rebuild_claims(con, "rebuild-1", extract_or_quarantine, batch_documents=4)
    assert (stats.documents, stats.claims_changed, stats.claims_added, stats.claims_removed) == (6, 1, 1, 1)
    assert stats.claims_unchanged == len(clean) - 2
    assert rows(con, f"select {CLAIM_COLUMNS} from extracted_claims order by claim_id") == clean
    assert rows(con, "select * from claim_places order by all") == places
    unchanged_run_ids = rows(con, "select distinct run_id from extracted_claims where claim_id not in (?, ?)",
                             [first, second])
    assert unchanged_run_ids == [("r",)]  # an unchanged claim keeps its row


# --------------------------------------------------------------------------- a run killed mid-load


def _wait_for_line(process: subprocess.Popen, marker: str, timeout: float) -> str:
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if selector.select(timeout=1):
            line = process.stderr.readline().decode("utf-8", "replace")
            seen += line
            if marker in line:
                return seen
    raise AssertionError(f"no {marker!r} from the run within {timeout} s; stderr:\n{seen}")


def test_a_run_killed_mid_load_and_run_again_equals_one_clean_run(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(articles(0, 120))
    block_bytes = 16_000  # ~10 blocks

    clean = db.connect(tmp_path / "clean.duckdb")
    ingest_source(clean, str(dump), "clean", block_bytes=block_bytes)

    warehouse = tmp_path / "killed" / "warehouse.duckdb"
    env = {**os.environ, "DRONEWATCH_BLOCK_BYTES": str(block_bytes), "DRONEWATCH_TEST_PAUSE_AFTER_BLOCK": "3",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120"}
    env.pop("PREFECT_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "run", "--source", str(dump), "--warehouse", str(warehouse),
         "--report-dir", str(tmp_path / "reports")],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        _wait_for_line(process, "paused after block 3", timeout=120)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)

    killed = duckdb.connect(str(warehouse), read_only=True)
    loaded = killed.execute("select count(*) from documents").fetchall()[0][0]
    killed.close()
    assert 0 < loaded < 120  # some blocks committed, not all

    resumed = run_flow(warehouse.parent, dump, block_bytes=block_bytes)
    assert resumed.summary.ingest.documents_new == 120 - loaded
    assert resumed.query("select status from runs order by started_at") == [("interrupted",), ("completed",)]
    for sql in (f"select {DOCUMENT_COLUMNS} from documents order by id",
                f"select {CLAIM_COLUMNS} from extracted_claims order by claim_id",
                "select * from claim_places order by all",
                "select reject_id, origin, record_no, reason from rejected order by all"):
        assert resumed.query(sql) == rows(clean, sql), sql
    clean.close()


def test_claim_ids_survive_a_rerun_of_the_same_dump(con, tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(articles(0, 8))
    ingest(con, dump)
    before = rows(con, "select claim_id from extracted_claims order by 1")
    db.run(con, "delete from source_cursors")  # forget the cursor: everything is read again
    stats = ingest(con, dump, "r2")
    assert (stats.documents_read, stats.documents_new, stats.claims_new) == (8, 0, 0)
    assert rows(con, "select claim_id from extracted_claims order by 1") == before


class DeferredExtractor:
    """An extractor with `submit`, as the worker-process one: the result comes after the loader
    has written the documents."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, documents):
        self.submitted += 1
        result = extract_or_quarantine(documents)
        return lambda: result

    def __call__(self, documents):
        return self.submit(documents)()


@pytest.mark.parametrize("deferred", [False, True])
def test_a_document_whose_extraction_fails_is_quarantined_and_costs_nothing_else(
        con, tmp_path: Path, monkeypatch, deferred: bool) -> None:
    import flows.ingest as ingest_module

    real = ingest_module.extract_claims

    def failing_on_one(documents, **kwargs):
        if "gen-00003" in documents["id"].to_list():
            raise RuntimeError("parser broke")
        return real(documents, **kwargs)

    monkeypatch.setattr(ingest_module, "extract_claims", failing_on_one)
    dump = tmp_path / "d.jsonl"
    dump.write_bytes(articles(0, 6))
    extractor = DeferredExtractor() if deferred else extract_or_quarantine
    stats = ingest_source(con, str(dump), "r", extract=extractor)
    assert stats.documents_new == 5 and stats.documents_read == 6
    ids = [r[0] for r in rows(con, "select id from documents order by id")]
    assert "gen-00003" not in ids and len(ids) == 5
    reasons = [r[0] for r in rows(con, "select reason from rejected")]
    assert reasons == ["document 'gen-00003': claim extraction failed (RuntimeError: parser broke)"]
    assert rows(con, "select count(*) from extracted_claims where document_id = 'gen-00003'") == [(0,)]
    assert rows(con, "select count(distinct document_id) from extracted_claims")[0][0] >= 4
    if deferred:
        assert extractor.submitted == 1


class RecordingExtractor(DeferredExtractor):
    """A deferred extractor that records when each batch is submitted and when its claims are
    awaited, by the ids of the batch."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, tuple[str, ...]]] = []
        self.expected: list[int] = []

    def expect(self, documents: int) -> None:
        self.expected.append(documents)

    def submit(self, documents):
        ids = tuple(documents["id"].to_list())
        self.events.append(("submit", ids))
        result = extract_or_quarantine(documents)

        def gather():
            self.events.append(("gather", ids))
            return result
        return gather


def test_blocks_are_written_one_behind_and_an_id_repeated_in_the_next_block_is_still_known(
        con, tmp_path: Path) -> None:
    """Block n is written once block n + 1's extraction has started (workers never wait for the
    parser), yet an id seen in block n and again in block n + 1 is one document: the same text is
    dropped, another text is rejected as a conflict."""
    first, second, third = (json.loads(line) for line in articles(0, 3).decode().splitlines())
    lines = [first, {**first, "text": "Другой текст: сбиты 5 беспилотников над Курском."}, second, third, third]
    dump = tmp_path / "d.jsonl"
    dump.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    extractor = RecordingExtractor()
    stats = ingest_source(con, str(dump), "r", extract=extractor, block_bytes=1)  # one line a block
    assert extractor.events == [
        ("submit", ("gen-00000",)), ("gather", ("gen-00000",)), ("submit", ("gen-00001",)),
        ("submit", ("gen-00002",)), ("gather", ("gen-00001",)), ("gather", ("gen-00002",)),
    ]
    assert (stats.documents_read, stats.documents_new) == (5, 3)
    # after each block but the last, about how many documents the rest of the file holds
    assert len(extractor.expected) == 4 and extractor.expected[0] >= 3 and 0 < extractor.expected[-1] <= 2
    assert rows(con, "select id from documents order by id") == [("gen-00000",), ("gen-00001",), ("gen-00002",)]
    assert rows(con, "select reason from rejected") == [
        ("document id 'gen-00000' was loaded before with a different text; the first version is kept",)]
    assert rows(con, "select count(*) from documents d join extracted_claims c on c.document_id = d.id "
                     "where d.text like 'Другой%'") == [(0,)]
