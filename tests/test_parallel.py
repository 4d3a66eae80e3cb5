"""collate._parallel and the pipeline's use of it: the same results on one core or two."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from collate import _parallel, alignment, pipeline
from collate.pipeline import CollationOptions, collate
from collate.readers import load_witness, read_witnesses
from tests.conftest import MEMO

DARWIN_EDITIONS = Path(__file__).parent / "data/collatex/darwin_chapter1_para1.json"
_NEW_PROCESS = "COLLATE_TEST_IN_A_NEW_PROCESS"  # set in the interpreter _in_a_new_process starts


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def test_map_items_keeps_order_and_uses_another_process() -> None:
    found = _parallel.map_items(_pid_and_square, list(range(8)), jobs=2)
    assert [square for _, square in found] == [x * x for x in range(8)]
    assert found[0][0] == os.getpid()  # this process takes the first item
    if _parallel.can_fork():
        assert {pid for pid, _ in found} - {os.getpid()}  # a worker took some


def test_one_job_or_one_item_stays_in_this_process() -> None:
    assert _parallel.map_items(_pid_and_square, [3], jobs=2) == [(os.getpid(), 9)]
    assert {p for p, _ in _parallel.map_items(_pid_and_square, [1, 2], jobs=1)} == {os.getpid()}


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not _parallel.can_fork()
        found = _parallel.map_items(_pid_and_square, [1, 2, 3], jobs=2)
        assert found == [(os.getpid(), 1), (os.getpid(), 4), (os.getpid(), 9)]
    finally:
        stop.set()
        thread.join()


def test_available_cores() -> None:
    assert _parallel.available_cores(3) == 3
    assert _parallel.available_cores(0) == (os.cpu_count() or 1)


def _in_a_new_process(test: str) -> None:
    """Run ``test`` of this module by itself in a new interpreter: this one runs other threads
    (a test suite that has started Dask has its offload thread), so it forks nothing. Skipped
    where no process can fork."""
    if os.environ.get(_NEW_PROCESS) or not hasattr(os, "fork"):
        pytest.skip("no process here can fork workers")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::{test}"],
        capture_output=True,
        text=True,
        env={**os.environ, _NEW_PROCESS: "1"},
        cwd=Path(__file__).parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _digest(options: CollationOptions) -> object:
    witnesses = [
        load_witness(p.read_text(encoding="utf-8"), p.stem) for p in sorted(MEMO.glob("*.txt"))
    ]
    collation = collate(witnesses, options)
    return (
        collation.segments,
        [list(t) for t in collation.tokens],
        list(collation.alignment.ranks),
        collation.variants,
    )


def test_collation_is_the_same_with_witnesses_prepared_in_parallel(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not _parallel.can_fork():
        _in_a_new_process("test_collation_is_the_same_with_witnesses_prepared_in_parallel")
        return
    serial = _digest(CollationOptions(jobs=1))
    calls: list[int] = []

    def spy(function: Any, items: Any, jobs: int) -> Any:
        calls.append(jobs)
        return _parallel.map_items(function, items, jobs)

    monkeypatch.setattr(pipeline, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(pipeline, "map_items", spy)
    assert _digest(CollationOptions(jobs=2)) == serial
    assert calls == [2]


def test_many_witnesses_are_aligned_against_the_pivot_in_parallel_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not _parallel.can_fork():
        _in_a_new_process(
            "test_many_witnesses_are_aligned_against_the_pivot_in_parallel_with_the_same_result"
        )
        return
    witnesses = read_witnesses([DARWIN_EDITIONS])
    serial = collate(witnesses, CollationOptions(jobs=1))
    pids = _forks(monkeypatch)
    calls: list[tuple[int, int]] = []  # (streams against the pivot, jobs) of each alignment

    def spy(function: Any, items: Any, jobs: int) -> Any:
        calls.append((len(items), jobs))
        return _parallel.map_items(function, items, jobs)

    monkeypatch.setattr(pipeline, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(alignment, "map_items", spy)
    parallel = collate(witnesses, CollationOptions(jobs=2))
    assert parallel.alignment.rows == serial.alignment.rows
    assert parallel.variants == serial.variants
    assert calls[0] == (len(witnesses) - 1, 2)  # the whole witnesses: in two processes
    assert all(jobs == 1 for _, jobs in calls[1:])  # what they add at one place: here
    assert len(pids) == 2  # one child preparing witnesses, one aligning some against the pivot


_PARENT = os.getpid()


def _fails_in_a_child(x: int) -> tuple[int, int]:
    if os.getpid() != _PARENT:
        raise RuntimeError("only in a child")
    return os.getpid(), x + 1


def _always_fails(x: int) -> int:
    raise ValueError(f"item {x}")


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked from here on (recorded in this process)."""
    pids: list[int] = []
    fork = os.fork

    def recording() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording)
    return pids


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_failing_child_share_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    pids = _forks(monkeypatch)
    assert _parallel.map_items(_fails_in_a_child, [1, 2, 3], jobs=2) == [
        (_PARENT, 2),
        (_PARENT, 3),
        (_PARENT, 4),
    ]
    assert all(_reaped(pid) for pid in pids)
    assert len(pids) == (1 if _parallel.can_fork() else 0)


def test_an_error_of_the_work_itself_is_raised_here_and_no_child_is_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pids = _forks(monkeypatch)
    with pytest.raises(ValueError, match="item 0"):
        _parallel.map_items(_always_fails, [0, 1], jobs=2)
    assert all(_reaped(pid) for pid in pids)


def _long_pair(tmp_path: Path) -> list[Path]:
    """Two witness files longer in all than ``PARALLEL_CHARS``."""
    words = " ".join(f"word{k}" for k in range(pipeline.PARALLEL_CHARS // 8))
    paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    paths[0].write_text(words, encoding="utf-8")
    paths[1].write_text(words.replace("word7", "ward7"), encoding="utf-8")
    return paths


def _spy_jobs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ``jobs`` of each preparation the pipeline asks for."""
    calls: list[int] = []

    def spy(function: Any, items: Any, jobs: int) -> Any:
        calls.append(jobs)
        return _parallel.map_items(function, items, jobs)

    monkeypatch.setattr(pipeline, "map_items", spy)
    return calls


def test_a_library_call_forks_no_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pids = _forks(monkeypatch)
    calls = _spy_jobs(monkeypatch)
    witnesses = [load_witness(p.read_text(encoding="utf-8"), p.stem) for p in _long_pair(tmp_path)]
    assert sum(len(w.text) for w in witnesses) >= pipeline.PARALLEL_CHARS
    collate(witnesses)
    assert (calls, pids) == ([1], [])


def test_the_cli_prepares_long_witnesses_on_every_core(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from collate.cli import main

    calls = _spy_jobs(monkeypatch)
    result = CliRunner().invoke(
        main, ["compare", *map(str, _long_pair(tmp_path)), "--format", "json"]
    )
    assert result.exit_code == 0
    assert calls == [os.cpu_count() or 1]
