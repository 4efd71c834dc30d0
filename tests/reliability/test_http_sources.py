"""HTTP sources that fail: always 500, hang past the timeout, send more than the size limit, or
redirect to a local file. One run over all of them plus a good one: the run ends normally, the
good dump loads, each failure is a reject naming the URL and why."""
from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.conftest import CliRun, query, run_cli

GOOD = ('{"id": "good-http-1", "text": "Over Bryansk region 3 drones were destroyed."}\n'
        '{"id": "good-http-2", "text": "Над Курской областью сбиты 2 беспилотника."}\n').encode()
MAX_BYTES = 10_000
TIMEOUT = 0.5
SECRET = "local-secret-7f3a9c: this must never reach the warehouse"


class Handler(http.server.BaseHTTPRequestHandler):
    secret_file: Path
    stop: threading.Event

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path == "/ok.jsonl":
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD)
        elif self.path == "/always-500.jsonl":
            self.send_error(500, "internal error, always")
        elif self.path == "/hangs.jsonl":
            self.stop.wait(TIMEOUT * 10)  # far past the client's timeout
        elif self.path == "/too-big.jsonl":
            self.send_response(200)  # no Content-Length: the reader must count while streaming
            self.end_headers()
            line = b'{"id": "big", "text": "' + b"x" * 1000 + b'"}\n'
            for _ in range(3 * MAX_BYTES // len(line)):
                self.wfile.write(line)
        elif self.path == "/to-local-file.jsonl":
            self.send_response(302)
            self.send_header("Location", self.secret_file.as_uri())
            self.end_headers()
        elif self.path == "/hop-to-local-file.jsonl":
            self.send_response(307)
            self.send_header("Location", "/to-local-file.jsonl")
            self.end_headers()
        else:
            self.send_error(404, "no such dump")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    secret = tmp_path_factory.mktemp("local") / "secret.jsonl"
    secret.write_text(f'{{"id": "secret", "text": "{SECRET}"}}\n')
    stop = threading.Event()
    handler = type("BoundHandler", (Handler,), {"secret_file": secret, "stop": stop})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def http_run(server: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[CliRun, Path]:
    warehouse = tmp_path_factory.mktemp("http") / "w.duckdb"
    paths = ["ok.jsonl", "always-500.jsonl", "hangs.jsonl", "too-big.jsonl", "to-local-file.jsonl",
             "hop-to-local-file.jsonl"]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DRONEWATCH_HTTP_TIMEOUT_SECONDS", str(TIMEOUT))
        env.setenv("DRONEWATCH_HTTP_MAX_BYTES", str(MAX_BYTES))
        run = run_cli(warehouse, *[f"{server}/{p}" for p in paths])
    return run, warehouse


def test_the_run_ends_normally_and_the_good_dump_loads(http_run: tuple[CliRun, Path]) -> None:
    run, warehouse = http_run
    assert run.code == 0, run.stderr
    assert {i for (i,) in query(warehouse, "select id from documents")} == {"good-http-1", "good-http-2"}


def test_each_failing_url_is_a_reject_saying_why(http_run: tuple[CliRun, Path], server: str) -> None:
    _, warehouse = http_run
    reasons = dict(query(warehouse, "select origin, reason from rejected where record_no is null"))
    assert reasons[f"{server}/always-500.jsonl"].startswith("HTTP 500")
    assert reasons[f"{server}/always-500.jsonl"].endswith("(gave up after 4 attempts)")
    assert "timed out" in reasons[f"{server}/hangs.jsonl"]
    assert reasons[f"{server}/too-big.jsonl"] == f"response is larger than {MAX_BYTES} bytes; download stopped"
    for path in ("to-local-file.jsonl", "hop-to-local-file.jsonl"):
        assert "redirect to non-http(s) URL 'file://" in reasons[f"{server}/{path}"]
        assert reasons[f"{server}/{path}"].endswith("refused")
    assert len(reasons) == 5


def test_the_summary_counts_the_failures(http_run: tuple[CliRun, Path]) -> None:
    run, _ = http_run
    ingest = run.summary["ingest"]
    assert (ingest["documents_new"], ingest["rejected"]) == (2, 5)


def test_nothing_of_the_local_file_reaches_the_warehouse(http_run: tuple[CliRun, Path]) -> None:
    _, warehouse = http_run
    tables = [t for (t,) in query(warehouse, "select table_name from information_schema.tables "
                                             "where table_schema = 'main' and table_type = 'BASE TABLE'")]
    for table in tables:
        [(hits,)] = query(warehouse, f"select count(*) from {table} t where contains(cast(t as varchar), ?)",
                          [SECRET[:20]])
        assert hits == 0, table
