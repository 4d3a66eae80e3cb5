"""Signals to the coordinating process alone: its workers never outlive it, SIGTERM and SIGHUP
stop a batch as Ctrl-C does (exit 130, the finished documents kept), and a write with ``-o``
interrupted by SIGTERM leaves no temporary file. Each run is a subprocess in its own session,
so the test can see every process it started (the session) and kill what is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.batch_archive import make_records
from tests.test_batch_resume import check_consistent, recorded

BATCH = "from collate.cli_batch import batch; batch()"
COMPARE = "from collate.cli import main; main()"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def session(sid: int) -> list[int]:
    """The live processes of session ``sid`` (zombies left out)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def wait_until(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def start_batch(tmp_path: Path) -> tuple[subprocess.Popen[str], Path]:
    archive = make_records(tmp_path / "src", 400, words=(60, 120), broken=False)
    outdir = tmp_path / "out"
    args = [str(archive.path), "-o", str(outdir), "--jobs", "2", "--html", "--quiet"]
    process = subprocess.Popen(
        [sys.executable, "-c", BATCH, *args],
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )
    if not wait_until(lambda: recorded(outdir) >= 20 or process.poll() is not None, 60):
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("the batch recorded nothing in 60 s")
    assert process.poll() is None, "the batch ended before the signal"
    assert len(session(process.pid)) >= 3  # the coordinator, two workers (and the tracker)
    return process, outdir


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP])
def test_workers_end_with_the_coordinator(tmp_path: Path, signum: signal.Signals) -> None:
    process, outdir = start_batch(tmp_path)
    try:
        os.kill(process.pid, signum)  # the coordinator alone, not its process group
        _, err = process.communicate(timeout=60)
        orphans_gone = wait_until(lambda: not session(process.pid), 15)
        left = session(process.pid)
    finally:
        if session(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    assert orphans_gone, f"processes left after {signum.name}: {left}"
    if signum is signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == 130
        assert err.endswith(
            "Interrupted: the finished documents are recorded; run the same command to finish\n"
        )
    check_consistent(outdir)


def test_sigterm_during_a_written_output_leaves_no_temporary_file(tmp_path: Path) -> None:
    words = [f"w{k % 5000}" for k in range(600_000)]
    (tmp_path / "a.txt").write_text(" ".join(words))
    words[::7] = ["x"] * len(words[::7])
    (tmp_path / "b.txt").write_text(" ".join(words))
    out = tmp_path / "out.json"
    out.write_text("previous\n")
    args = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "json", "-o", str(out)]
    process = subprocess.Popen(
        [sys.executable, "-c", COMPARE, "compare", *args],
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = wait_until(lambda: any(tmp_path.glob(".out.json.*.tmp")), 120)
        assert started, "no temporary output file appeared"
        os.kill(process.pid, signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        if session(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    assert (process.returncode, err) == (130, "Interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "out.json"]
    assert out.read_text() == "previous\n"


WATCHED = """
import os, sys, time, types
import collate.batch.watchdog as watchdog
watchdog.sys = types.SimpleNamespace(platform="elsewhere")  # no prctl: the thread alone
watchdog.watch_coordinator(os.getppid())
print("watching", flush=True)
time.sleep(60)
"""
PARENT = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", sys.argv[1]], stdout=subprocess.PIPE, text=True)
child.stdout.readline()
print(child.pid, flush=True)
child.wait()
"""


def test_the_watchdog_thread_alone_ends_an_orphaned_worker() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, WATCHED],
        start_new_session=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        assert wait_until(lambda: child not in session(parent.pid), 5)
    finally:
        if session(parent.pid):
            os.killpg(parent.pid, signal.SIGKILL)
