"""Tests for flows.pull: sources, archives, and HTTP against a local server."""
from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.pull import JsonLinesStream, SourceNotFound, expand_source, iter_dump_files, read_source

DATA = Path(__file__).parents[1] / "data" / "dumps"
LINES = b'{"id": 1, "text": "Three drones downed overnight."}\n{"id": 2, "text": "Debris found in a field."}\n'


# --------------------------------------------------------------------------- local sources


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.jsonl").write_bytes(LINES)
    (tmp_path / "b" / "c.txt").write_text("Two drones were shot down.")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.jsonl").write_bytes(LINES)
    (tmp_path / "b" / ".swap.txt").write_text("editor junk")
    return tmp_path


def test_expand_source_file_dir_glob(tree: Path) -> None:
    assert expand_source(str(tree / "a.jsonl")) == [str(tree / "a.jsonl")]
    assert expand_source(str(tree)) == [str(tree / "a.jsonl"), str(tree / "b" / "c.txt")]
    assert expand_source(str(tree / "**" / "*.txt")) == [str(tree / "b" / "c.txt")]
    assert expand_source("https://example.org/x.jsonl") == ["https://example.org/x.jsonl"]


def test_missing_source_raises(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound) as err:
        expand_source(str(tmp_path / "nope.jsonl"))
    assert err.value.uri == str(tmp_path / "nope.jsonl")
    with pytest.raises(SourceNotFound):
        expand_source(str(tmp_path / "*.csv"))


def test_read_source_directory_with_gzip(tree: Path) -> None:
    (tree / "z.dat").write_bytes(gzip.compress(LINES))  # gzip JSON Lines without a telling name
    results = list(read_source(str(tree)))
    names = [f.name for f, _, _ in results]
    assert names == ["a.jsonl", "c.txt", "z.dat"]
    counts = [docs.height for _, docs, _ in results]
    assert counts == [2, 1, 2]
    first = results[0][0]
    assert first.fingerprint == hashlib.sha256(LINES).hexdigest()


# --------------------------------------------------------------------------- archives


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _tar(path: Path, members: dict[str, bytes], mode: str = "w") -> Path:
    with tarfile.open(path, mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


def test_zipped_telegram_export_folder(tmp_path: Path) -> None:
    export = (DATA / "telegram_export" / "MinoboronyNews" / "result.json").read_bytes()
    archive = _zip(tmp_path / "export.zip", {"MinoboronyNews/result.json": export, "MinoboronyNews/photos/p.jpg": b"\xff\xd8"})
    results = list(read_source(str(archive)))
    telegram = [r for r in results if r[0].name == "result.json"]
    assert len(telegram) == 1
    file, docs, rejects = telegram[0]
    assert file.origin == f"{archive}!MinoboronyNews/result.json"
    assert docs["id"].to_list() == ["MinoboronyNews/2", "MinoboronyNews/3"]
    assert docs["origin"].unique().to_list() == [file.origin]


def test_zip_rejects_escaping_members(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "evil.zip", {"ok/a.jsonl": LINES, "../evil.txt": b"escape", "/abs.txt": b"abs"})
    results = {f.origin.split("!", 1)[1]: (f, d, r) for f, d, r in read_source(str(archive))}
    assert results["ok/a.jsonl"][1].height == 2
    for member in ("../evil.txt", "/abs.txt"):
        file, docs, rejects = results[member]
        assert docs.height == 0 and file.data == b""
        assert rejects["record_no"].to_list() == [None]
        assert "unsafe archive member name" in rejects["reason"][0]
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize(("suffix", "mode"), [(".tar", "w"), (".tar.gz", "w:gz"), (".tgz", "w:gz"), (".bin", "w:gz")])
def test_tar_archives(tmp_path: Path, suffix: str, mode: str) -> None:
    archive = _tar(
        tmp_path / f"dump{suffix}",
        {"nested/deep/a.jsonl.gz": gzip.compress(LINES), "nested/page.html": b"<title>T</title><p>Hi</p>", "../evil": b"x"},
        mode,
    )
    results = list(read_source(str(archive)))
    by_name = {f.name: (d, r) for f, d, r in results}
    assert by_name["a.jsonl.gz"][0].height == 2
    assert by_name["page.html"][0]["text"].to_list() == ["Hi"]
    assert "unsafe archive member name '../evil'" in by_name["evil"][1]["reason"][0]


def test_zip_inside_zip(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("in.csv", "id,text\n1,hello drones\n")
    archive = _zip(tmp_path / "outer.zip", {"inner.zip": inner.getvalue()})
    [(file, docs, _)] = list(read_source(str(archive)))
    assert file.origin == f"{archive}!inner.zip!in.csv"
    assert docs["id"].to_list() == ["1"]


# --------------------------------------------------------------------------- HTTP


class _Handler(http.server.BaseHTTPRequestHandler):
    fails_left: dict[str, int] = {}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path == "/flaky.jsonl" and self.fails_left.get("flaky", 0) > 0:
            self.fails_left["flaky"] -= 1
            self.send_error(500, "try again")
            return
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
            return
        if self.path == "/hop.jsonl":
            self.send_response(302)
            self.send_header("Location", "/ok.jsonl")
            self.end_headers()
            return
        if self.path == "/big.jsonl":
            self.send_response(200)  # no Content-Length: the reader must count while streaming
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 1024)
            return
        if self.path in ("/ok.jsonl", "/flaky.jsonl"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(LINES)))
            self.end_headers()
            self.wfile.write(LINES)
            return
        self.send_error(404, "no such dump")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_http_ok_and_redirect_within_http(server: str) -> None:
    [(file, docs, rejects)] = list(read_source(f"{server}/ok.jsonl"))
    assert file.name == "ok.jsonl" and file.origin == f"{server}/ok.jsonl"
    assert docs.height == 2 and rejects.height == 0
    [(file, docs, _)] = list(read_source(f"{server}/hop.jsonl"))
    assert docs.height == 2


def test_http_retries_5xx(server: str) -> None:
    _Handler.fails_left["flaky"] = 2
    [(_, docs, rejects)] = list(read_source(f"{server}/flaky.jsonl", backoff=0.01))
    assert docs.height == 2 and rejects.height == 0
    _Handler.fails_left["flaky"] = 5
    [(_, docs, rejects)] = list(read_source(f"{server}/flaky.jsonl", retries=1, backoff=0.01))
    assert docs.height == 0
    assert rejects["origin"].to_list() == [f"{server}/flaky.jsonl"]
    assert rejects["reason"][0] == "HTTP 500: try again (gave up after 2 attempts)"


def test_http_too_large_is_a_reject(server: str) -> None:
    [(_, docs, rejects)] = list(read_source(f"{server}/big.jsonl", max_bytes=10_000))
    assert docs.height == 0
    assert rejects["record_no"].to_list() == [None]
    assert rejects["reason"][0] == "response is larger than 10000 bytes; download stopped"


def test_http_redirect_to_file_refused(server: str) -> None:
    [(_, docs, rejects)] = list(read_source(f"{server}/redirect", backoff=0.01))
    assert docs.height == 0
    assert "redirect to non-http(s) URL 'file:///etc/passwd' refused" in rejects["reason"][0]


def test_http_404_not_retried(server: str) -> None:
    [(_, _, rejects)] = list(read_source(f"{server}/missing.jsonl", backoff=5))
    assert rejects["reason"][0] == "HTTP 404: no such dump"


def test_http_connection_refused(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    [(_, _, rejects)] = list(read_source(f"http://127.0.0.1:{port}/x.jsonl", retries=1, backoff=0.01, http_timeout=1))
    assert rejects["reason"][0].startswith("cannot connect")
    assert rejects["reason"][0].endswith("(gave up after 2 attempts)")


def test_oversized_archive_member_is_not_fatal(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "a.zip", {"huge.jsonl": LINES * 10, "small.txt": b"One drone downed."})
    results = list(read_source(str(archive), max_bytes=len(LINES) * 5))
    problems = [f.problem for f, _, _ in results if f.problem]
    assert problems == [f"archive member is larger than {len(LINES) * 5} bytes; not read"]
    assert sum(d.height for _, d, _ in results) == 1


# --------------------------------------------------------------------------- JSON Lines, streamed


def _stream(content: bytes, gzipped: bool, block_bytes: int = 64) -> JsonLinesStream:
    return JsonLinesStream(io.BytesIO(gzip.compress(content, mtime=0) if gzipped else content), gzipped, block_bytes)


@pytest.mark.parametrize("block_bytes", [16, 64, 1 << 20])
def test_stream_of_a_truncated_gzip_hands_out_every_complete_line(block_bytes: int) -> None:
    content = b"".join(b'{"id": %d, "text": "Two drones downed over Kursk region."}\n' % i for i in range(30))
    packed = gzip.compress(content, mtime=0)
    stream = JsonLinesStream(io.BytesIO(packed[: len(packed) * 2 // 3]), True, block_bytes)
    blocks = list(stream.blocks())
    handed_out = b"".join(block for block, _ in blocks)
    assert stream.problem == "gzip data truncated"
    assert handed_out and handed_out.endswith(b"\n") and content.startswith(handed_out)
    assert stream.tail and content.startswith(handed_out + stream.tail) and b"\n" not in stream.tail
    assert stream.lines == handed_out.count(b"\n")
    assert [first for _, first in blocks][0] == 1


@pytest.mark.parametrize(("content", "blank"), [
    (b"", True), (b"\n\n  \n", True), (b"\xef\xbb\xbf\n", True), (b"\n" * 100 + b'{"id": 1}\n', False), (LINES, False),
])
@pytest.mark.parametrize("gzipped", [False, True])
def test_stream_tells_a_blank_file(content: bytes, blank: bool, gzipped: bool) -> None:
    stream = _stream(content, gzipped)
    assert b"".join(block for block, _ in stream.blocks()) == content
    assert (stream.blank, stream.problem) == (blank, None)
