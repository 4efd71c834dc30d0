"""HTTP sources keep a cursor: the ETag and Last-Modified of their last response. A dump that did not
change answers 304 to the conditional GET and costs nothing; one that grew loads only what was
appended. Against a real HTTP server on 127.0.0.1, driving flows.ingest directly (no Prefect)."""
from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

import pytest

from flows.cursors import get_cursor
from flows.ingest import ingest_source
from warehouse import db


def articles(start: int, stop: int) -> bytes:
    """JSON Lines of small drone reports, one per id."""
    return b"".join(
        json.dumps({"id": f"http-{n:03d}", "published": "2026-10-05",
                    "text": f"Над Брянской областью уничтожены {n + 2} беспилотника."},
                   ensure_ascii=False).encode() + b"\n"
        for n in range(start, stop))


@dataclass
class Dump:
    """What the server serves, and what it saw."""

    body: bytes = b""
    use_etag: bool = True
    modified: float = 1_700_000_000.0  # a fixed Last-Modified, moved on by `grow`
    requests: list[dict[str, str | None]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        return formatdate(self.modified, usegmt=True)

    def grow(self, more: bytes) -> None:
        self.body += more
        self.modified += 60


class Handler(http.server.BaseHTTPRequestHandler):
    dump: Dump

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        dump = self.dump
        asked = {"If-None-Match": self.headers.get("If-None-Match"),
                 "If-Modified-Since": self.headers.get("If-Modified-Since")}
        dump.requests.append(asked)
        if dump.use_etag:
            unchanged = asked["If-None-Match"] == dump.etag
        else:
            unchanged = asked["If-Modified-Since"] == dump.last_modified
        if unchanged:
            dump.answers.append(304)
            self.send_response(304)
            self.end_headers()
            return
        dump.answers.append(200)
        self.send_response(200)
        self.send_header("Content-Length", str(len(dump.body)))
        if dump.use_etag:
            self.send_header("ETag", dump.etag)
        self.send_header("Last-Modified", dump.last_modified)
        self.end_headers()
        self.wfile.write(dump.body)


@pytest.fixture
def served() -> Iterator[tuple[Dump, str]]:
    dump = Dump()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Bound", (Handler,), {"dump": dump}))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield dump, f"http://127.0.0.1:{httpd.server_address[1]}/dump.jsonl"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def con(tmp_path: Path):
    connection = db.connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


@pytest.mark.parametrize("use_etag", [True, False], ids=["etag", "last-modified"])
def test_an_unchanged_url_answers_304_and_a_grown_one_loads_only_the_appended_lines(
        con, served: tuple[Dump, str], use_etag: bool) -> None:
    dump, url = served
    dump.use_etag = use_etag
    dump.body = articles(0, 12)

    first = ingest_source(con, url, "r1", block_bytes=2048)
    assert (first.files_read, first.documents_new) == (1, 12)
    cursor = get_cursor(con, url)
    assert cursor.complete and cursor.last_modified == dump.last_modified
    assert cursor.etag == (dump.etag if use_etag else None)
    assert dump.requests[0] == {"If-None-Match": None, "If-Modified-Since": None}

    again = ingest_source(con, url, "r2", block_bytes=2048)
    assert (again.files_read, again.files_unchanged, again.documents_read) == (0, 1, 0)
    assert dump.answers == [200, 304]
    validator = "If-None-Match" if use_etag else "If-Modified-Since"
    assert dump.requests[1][validator] == (dump.etag if use_etag else dump.last_modified)

    dump.grow(articles(12, 15))
    grown = ingest_source(con, url, "r3", block_bytes=2048)
    assert dump.answers == [200, 304, 200]
    assert (grown.files_read, grown.documents_read, grown.documents_new) == (1, 3, 3)
    assert db.run(con, "select min(record_no), count(*) from documents where first_run_id = 'r3'") == [(13, 3)]
    assert get_cursor(con, url).last_modified == dump.last_modified

    last = ingest_source(con, url, "r4", block_bytes=2048)
    assert (last.files_unchanged, last.documents_read) == (1, 0)
    assert dump.answers[-1] == 304
    assert db.run(con, "select count(*) from documents") == [(15,)]
