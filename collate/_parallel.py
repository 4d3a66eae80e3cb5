"""Both cores for independent work: a function mapped over items, some of them in forked
child processes.

Used by the pipeline to segment, tokenize and normalise witnesses side by side, and by the
N-way alignment to align whole witnesses against the pivot side by side. The results
are exactly those of the plain loop, in the same order: the items are independent and the
functions pure. Work goes to another process only where that can be done safely: on a
platform that forks, from a process with no other threads (forking a threaded process can
deadlock) that is not itself a daemonic worker of ``multiprocessing``. A child is a bare
``os.fork`` that sends its pickled results back through a pipe and exits: about a
millisecond to start, where a process pool takes about 50 ms. If a child fails in any way,
this process does that share of the work itself (and so raises what the work raises).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def available_cores(jobs: int) -> int:
    """The number of processes to use: ``jobs``, or every core for 0."""
    return jobs if jobs > 0 else os.cpu_count() or 1


def can_fork() -> bool:
    """Whether child processes may be forked from this one."""
    multiprocessing = sys.modules.get("multiprocessing")  # a daemonic worker has imported it
    return (
        hasattr(os, "fork")
        and threading.active_count() == 1
        and not (multiprocessing is not None and multiprocessing.current_process().daemon)
    )


def map_items(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[function(item) for item in items]``, using up to ``jobs`` processes: this one and
    ``jobs - 1`` forked children, the items dealt out in turn (this process takes the
    first)."""
    workers = min(jobs, len(items))
    if workers <= 1 or not can_fork():
        return [function(item) for item in items]
    shares = [range(w, len(items), workers) for w in range(workers)]
    children: list[tuple[int, int] | None] = []
    try:
        for share in shares[1:]:
            children.append(_start(function, [items[k] for k in share]))
        results: dict[int, R] = {k: function(items[k]) for k in shares[0]}
        for n, share in enumerate(shares[1:]):
            child = children[n]
            got: list[R] | None = _finish(child) if child is not None else None
            children[n] = None  # collected
            if got is None or len(got) != len(share):
                got = [function(items[k]) for k in share]
            results.update(zip(share, got, strict=True))
    finally:
        for child in children:
            if child is not None:
                _abandon(child)
    return [results[k] for k in range(len(items))]


def _start(function: Callable[[T], R], items: list[T]) -> tuple[int, int] | None:
    """A child working on ``items``: its pid and the pipe its results come through."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read)
            data = pickle.dumps([function(item) for item in items], pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return pid, read


def _finish(child: tuple[int, int]) -> list[R] | None:
    """The child's results, or None if it failed."""
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        found = pickle.loads(data)
    except Exception:  # a broken result: recomputed here
        return None
    return found if isinstance(found, list) else None


def _abandon(child: tuple[int, int]) -> None:
    """Stop a child whose results are no longer wanted (this process is failing)."""
    pid, read = child
    with contextlib.suppress(OSError):  # already closed
        os.close(read)
    with contextlib.suppress(OSError):  # already gone
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):  # already reaped
        os.waitpid(pid, 0)
