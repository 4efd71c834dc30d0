"""The processes a dronewatch command started stop with it, even when it is killed outright.

`dronewatch run` and `rebuild` start Prefect's temporary server and extraction workers, `serve` a
local Prefect server. The command's exit handlers stop them, but `kill -9` or the kernel's OOM
killer run no handler: the server was left running, holding its port and a few hundred MB.

`watch_descendants()` marks the command's environment (DRONEWATCH_WATCHER=<token>, inherited by
everything it starts from then on) and starts a small watcher process (this file, standard library
only) that reads a pipe from the command; the pipe closes when the command's process ends, however
it ends. Then the watcher stops every process that carries the token, and the command's
descendants it noted twice a second (for a child started with an environment of its own):
SIGTERM, SIGKILL after a grace period. A process is recognised by its pid and start time, so a pid
the system has since given to another process is left alone. Linux only (it reads /proc);
elsewhere the watcher does nothing.
"""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

POLL_SECONDS = 0.5
GRACE_SECONDS = 5.0

MARKER = "DRONEWATCH_WATCHER"

_watcher: subprocess.Popen | None = None


def watch_descendants() -> subprocess.Popen | None:
    """Start the watcher for this process, once; it lives as long as this process does."""
    global _watcher
    if _watcher is not None and _watcher.poll() is None:
        return _watcher
    if not Path("/proc/self/stat").exists():
        return None
    token = f"{os.getpid()}-{uuid.uuid4().hex}"
    os.environ[MARKER] = token  # before anything else starts: whatever starts later carries it
    # -I -S: no site-packages, no PYTHON* variables (it needs the standard library only); its own
    # session: a signal to the command's process group does not take it too
    _watcher = subprocess.Popen([sys.executable, "-I", "-S", __file__, str(os.getpid()), token],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    return _watcher


def _stat(pid: int) -> tuple[int, str] | None:
    """(parent pid, start time in clock ticks since boot) of a process; None when it is gone (a
    zombie is gone: it has ended and waits only to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat[stat.rfind(b")") + 2:].split()  # after "pid (command name) ": state, ppid, ...
    if fields[0] in (b"Z", b"X"):
        return None
    return int(fields[1]), fields[19].decode()


def _processes() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def descendants(root: int) -> dict[int, str]:
    """The processes below `root`, children's children included: pid -> start time."""
    children: dict[int, list[tuple[int, str]]] = {}
    for pid in _processes():
        stat = _stat(pid)
        if stat is not None:
            children.setdefault(stat[0], []).append((pid, stat[1]))
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        for pid, started in children.get(todo.pop(), ()):
            if pid not in found:
                found[pid] = started
                todo.append(pid)
    return found


def carrying(token: str) -> dict[int, str]:
    """The processes whose environment holds DRONEWATCH_WATCHER=<token>: pid -> start time."""
    entry = f"\0{MARKER}={token}\0".encode()
    found: dict[int, str] = {}
    for pid in _processes():
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                environ = b"\0" + handle.read() + b"\0"
        except OSError:  # gone, or another user's
            continue
        stat = _stat(pid) if entry in environ else None
        if stat is not None:
            found[pid] = stat[1]
    return found


def still_running(processes: dict[int, str]) -> list[int]:
    """The pids of `processes` that run and are the same processes (same start time)."""
    alive = []
    for pid, started in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[1] == started:
            alive.append(pid)
    return alive


def stop(processes: dict[int, str], grace: float = GRACE_SECONDS) -> list[int]:
    """SIGTERM the `processes` still running, SIGKILL those alive after `grace` s; the pids signalled."""
    targets = {pid: processes[pid] for pid in still_running(processes) if pid != os.getpid()}
    for pid in targets:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and still_running(targets):
        time.sleep(0.05)
    for pid in still_running(targets):
        _signal(pid, signal.SIGKILL)
    return list(targets)


def _signal(pid: int, signum: int) -> None:
    try:
        os.kill(pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def main(command: int, token: str) -> None:
    seen: dict[int, str] = {}
    while os.getppid() == command:
        ready, _, _ = select.select([0], [], [], POLL_SECONDS)
        if ready and not os.read(0, 4096):
            break  # the pipe closed: the command's process has ended
        below = descendants(command)
        if os.getppid() == command:  # the command was alive for the whole scan
            seen = below
    seen.update(carrying(token))
    seen.pop(command, None)  # ending already; `stop` leaves this process alone
    stop(seen)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
