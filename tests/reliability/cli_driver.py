"""`dronewatch` for the crash tests: the real CLI in a child process that SIGKILLs itself at a chosen
stage, so the tests need no hook in the product code.

DRONEWATCH_TEST_KILL_AT:
  extract  - while extracting the claims of the second batch of documents (the first is committed)
  publish  - half-way through copying the warehouse to the snapshot's temporary file

SIGKILL runs no `finally`, no atexit and no flush of DuckDB: the same as `kill -9` from outside at
that instant. (Killing during load uses the product's own DRONEWATCH_TEST_PAUSE_AFTER_BLOCK hook and
a kill from the test.)
"""
from __future__ import annotations

import os
import signal
import sys
import types


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def kill_while_extracting(batch: int = 2) -> None:
    import flows.ingest as ingest

    real = ingest.extract_claims
    calls = 0

    def extract_claims(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls >= batch:
            die()
        return real(*args, **kwargs)

    ingest.extract_claims = extract_claims


def kill_while_publishing() -> None:
    from warehouse import db

    def copyfile(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        with open(source, "rb") as src, open(target, "wb") as dst:
            size = os.fstat(src.fileno()).st_size
            dst.write(src.read(size // 2))
            dst.flush()
            die()

    db.shutil = types.SimpleNamespace(copyfile=copyfile)  # db uses shutil for copyfile only


if __name__ == "__main__":
    stage = os.environ.get("DRONEWATCH_TEST_KILL_AT")
    if stage == "extract":
        kill_while_extracting()
    elif stage == "publish":
        kill_while_publishing()
    elif stage:
        sys.exit(f"unknown DRONEWATCH_TEST_KILL_AT={stage!r}")
    from flows.cli import main

    sys.exit(main(sys.argv[1:]))
