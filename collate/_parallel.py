"""Both cores for independent work: a function mapped over items, some of them in forked
worker processes.

Used by the pipeline to segment, tokenize and normalise long witnesses side by side. The
results are exactly those of the plain loop, in the same order: the items are independent
and the functions pure. Work goes to other processes only where that can be done safely
and pays: on a platform that forks, from a process with no other threads (forking a
threaded process can deadlock) that is not itself a daemonic worker, and for items large
enough to be worth the ~50 ms of starting a worker and shipping the results back.
Otherwise, or if a worker cannot be started, everything runs in this process.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

# multiprocessing and concurrent.futures are imported only when work is forked (10 ms that a
# short collation does without).

T = TypeVar("T")
R = TypeVar("R")


def available_cores(jobs: int) -> int:
    """The number of processes to use: ``jobs``, or every core for 0."""
    return jobs if jobs > 0 else os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes may be forked from this one."""
    import multiprocessing

    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def map_items(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[function(item) for item in items]``, using up to ``jobs`` processes (this one and
    ``jobs - 1`` forked workers). This process works on the first item while the workers
    start on the others, then takes over any a worker has not started yet."""
    if jobs <= 1 or len(items) <= 1 or not can_fork():
        return [function(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork")
    try:
        with ProcessPoolExecutor(min(jobs, len(items)) - 1, mp_context=context) as pool:
            futures = [pool.submit(function, item) for item in items[1:]]
            results = [function(items[0])]
            results.extend(_collect(function, items[1:], futures))
            return results
    except (BrokenProcessPool, OSError, pickle.PicklingError):
        return [function(item) for item in items]


def _collect(function: Callable[[T], R], items: Sequence[T], futures: list[Future[R]]) -> list[R]:
    return [
        function(item) if f.cancel() else f.result() for item, f in zip(items, futures, strict=True)
    ]
