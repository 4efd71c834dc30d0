"""The watcher stops what a killed command started, and nothing else."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from flows import reaper

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="the watcher reads /proc")

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
STUBBORN = [sys.executable, "-c",
            "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); time.sleep(120)"]


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if reaper._stat(pid) is None:
            return True
        time.sleep(0.05)
    return False


def reap(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)


def test_descendants_are_children_and_their_children_only() -> None:
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import subprocess, sys, time
        child = subprocess.Popen({SLEEPER!r})
        print(child.pid, flush=True)
        time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True)
    other = subprocess.Popen(SLEEPER)
    try:
        grandchild = int(parent.stdout.readline())
        below = reaper.descendants(parent.pid)
        assert set(below) == {grandchild}
        assert set(reaper.descendants(os.getpid())) >= {parent.pid, grandchild, other.pid}
    finally:
        for p in (parent, other):
            reap(p)
        os.kill(grandchild, signal.SIGKILL)


def test_stop_leaves_a_reused_pid_alone() -> None:
    """Same pid, another start time: another process now has the pid, it is not signalled."""
    proc = subprocess.Popen(SLEEPER)
    try:
        started = reaper._stat(proc.pid)[1]
        assert reaper.stop({proc.pid: str(int(started) + 1)}, grace=0.1) == []
        assert proc.poll() is None
        assert reaper.stop({proc.pid: started}, grace=2) == [proc.pid]
        assert proc.wait(timeout=5) == -signal.SIGTERM
    finally:
        reap(proc)


def test_stop_kills_what_ignores_sigterm_after_the_grace_period() -> None:
    proc = subprocess.Popen(STUBBORN, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        reaper.stop({proc.pid: reaper._stat(proc.pid)[1]}, grace=0.3)
        assert proc.wait(timeout=5) == -signal.SIGKILL
    finally:
        reap(proc)


@pytest.mark.parametrize("ending, wait", [("SIGKILL", 1.5), ("exit", 1.5), ("SIGKILL", 0.0)])
def test_a_command_that_ends_takes_its_children_with_it(ending: str, wait: float) -> None:
    """The command starts the watcher and three children: one ignores SIGTERM, one has a child of
    its own, one gets an environment of its own (no token: only the watcher's notes of the command's
    descendants find it). Then it is killed outright or exits without stopping them: they all stop.
    Killed at once, before the watcher can have noted anything, the token still finds the others."""
    command = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, signal, subprocess, sys, time
        from flows.reaper import watch_descendants
        watcher = watch_descendants()
        stubborn = subprocess.Popen({STUBBORN!r}, stdout=subprocess.DEVNULL)
        nested = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time; "
                                   "c = subprocess.Popen({SLEEPER!r}); print(c.pid, flush=True); time.sleep(120)"],
                                  stdout=subprocess.PIPE, text=True)
        loner = subprocess.Popen({SLEEPER!r}, env={{"PATH": os.environ.get("PATH", "")}})
        inner = int(nested.stdout.readline())
        print(watcher.pid, loner.pid, stubborn.pid, nested.pid, inner, flush=True)
        time.sleep({wait})  # the watcher notes the descendants twice a second
        if {ending!r} == "SIGKILL":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(0)  # no clean-up at all
    """)], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    watcher, loner, *marked = (int(p) for p in command.stdout.readline().split())
    command.wait(timeout=30)
    expected = marked + ([loner] if wait else [])
    try:
        for pid in expected:
            assert gone(pid, within=reaper.GRACE_SECONDS + 10), f"process {pid} outlived the command"
        assert gone(watcher, within=5)
    finally:
        for pid in [loner, *marked]:
            if reaper._stat(pid) is not None:
                os.kill(pid, signal.SIGKILL)


def test_the_token_finds_the_processes_started_after_it_only() -> None:
    token = "test-" + os.urandom(8).hex()
    marked = subprocess.Popen(SLEEPER, env={**os.environ, reaper.MARKER: token})
    other = subprocess.Popen(SLEEPER, env={**os.environ, reaper.MARKER: token + "x"})
    try:
        assert set(reaper.carrying(token)) == {marked.pid}
    finally:
        for p in (marked, other):
            reap(p)
