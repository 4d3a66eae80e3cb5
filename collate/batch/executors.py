"""Batch executors: chunks of jobs -> their outcomes, in whatever order they finish.

Three ways to run the same :func:`~collate.batch.work.process_chunk`: in this process
(:class:`Serial`), on local cores (:class:`Processes`, a ``ProcessPoolExecutor``) and on a Dask
cluster (:class:`Dask`: a scheduler address, or ``local`` for a ``LocalCluster``). Workers get
file *paths*, so on a cluster every worker must see SOURCE and OUTDIR at the same paths (a
shared filesystem). Only a bounded number of chunks is in flight, so a million documents never
sit in memory as futures. Dask is imported only here, and only when asked for.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import ModuleType
from typing import Any, Protocol

from collate.batch.watchdog import watch_coordinator
from collate.batch.work import Job, Outcome, process_chunk, worker_name
from collate.errors import Param, UsageError

Chunk = tuple[Job, ...]
ChunkFunction = Callable[[Chunk], tuple[Outcome, ...]]
DASK_MISSING = (Param("scheduler"), " needs Dask: pip install 'collate[dask]'")


class Executor(Protocol):
    """Runs chunks of jobs; a context manager that owns its workers."""

    description: str
    workers: int

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def run(self, chunks: Iterator[Chunk]) -> Iterator[tuple[Outcome, ...]]: ...


def lost(job: Job, why: str) -> Outcome:
    """The outcome of a job whose worker was lost (it is redone by the next run)."""
    return Outcome(
        job.document.name,
        error=f"{job.document.name}: {why}; rerun the batch to retry it",
        error_type="WorkerError",
        worker=worker_name(),
    )


class Serial:
    """Everything in this process, one chunk after another."""

    description = "serial"
    workers = 1

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, chunks: Iterator[Chunk]) -> Iterator[tuple[Outcome, ...]]:
        for chunk in chunks:
            yield process_chunk(chunk)


class Processes:
    """A pool of ``workers`` local processes (started with ``spawn``).

    Workers end when the coordinator dies (see :mod:`collate.batch.watchdog`). A worker that
    dies (killed, out of memory) breaks the whole pool: the pool is restarted,
    and the jobs that were in flight are run again one at a time; a job that breaks the pool
    again on its own is recorded as failed.
    """

    description = "processes"

    def __init__(self, workers: int, function: ChunkFunction = process_chunk) -> None:
        self.workers = workers
        self._function = function  # a module-level function (workers import it)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Processes:
        self._pool = self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=watch_coordinator,
            initargs=(os.getpid(),),
        )

    def run(self, chunks: Iterator[Chunk]) -> Iterator[tuple[Outcome, ...]]:
        pending: dict[Future[tuple[Outcome, ...]], Chunk] = {}
        suspects: deque[Chunk] = deque()
        isolated = False  # whether the one job in flight is a suspect, run alone
        while True:
            if not pending:
                isolated = bool(suspects)
                if isolated:
                    suspect = suspects.popleft()
                    pending[self._submit(suspect)] = suspect
            while not isolated and len(pending) < 2 * self.workers:
                if (chunk := next(chunks, None)) is None:
                    break
                pending[self._submit(chunk)] = chunk
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                del pending[future]
                yield outcomes
            if broken:
                in_flight = list(pending.values())
                pending.clear()
                self.__exit__()
                self._pool = self._start()
                if isolated:
                    yield (lost(in_flight[0][0], "the worker process died while processing it"),)
                else:
                    suspects.extend((job,) for chunk in in_flight for job in chunk)

    def _submit(self, chunk: Chunk) -> Future[tuple[Outcome, ...]]:
        assert self._pool is not None, "use Processes as a context manager"
        return self._pool.submit(self._function, chunk)


def _distributed() -> ModuleType:
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise UsageError(*DASK_MISSING) from None


class Dask:
    """A Dask cluster: the scheduler at ``address``, or a new ``LocalCluster`` for ``local``."""

    def __init__(self, address: str, workers: int) -> None:
        self.address = address
        self.workers = workers
        self.description = f"dask {address}"
        self._client: Any = None
        self._cluster: Any = None

    def __enter__(self) -> Dask:
        distributed = _distributed()
        if self.address == "local":
            self._cluster = distributed.LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            self._client = distributed.Client(self._cluster)
        else:
            try:
                self._client = distributed.Client(self.address, timeout="20s")
            except (OSError, TimeoutError) as error:
                raise UsageError(
                    Param("scheduler", self.address),
                    f": cannot connect ({error}); start a scheduler "
                    "with 'dask scheduler' and give its address (tcp://HOST:8786)",
                ) from None
            except ValueError as error:  # an address distributed cannot parse
                raise UsageError(
                    Param("scheduler", self.address),
                    f": not a scheduler address ({error}); give "
                    "tcp://HOST:8786, with an IPv6 host in brackets (tcp://[::1]:8786)",
                ) from None
            self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def run(self, chunks: Iterator[Chunk]) -> Iterator[tuple[Outcome, ...]]:
        distributed = _distributed()
        client = self._client
        in_flight: dict[str, Chunk] = {}
        finished = distributed.as_completed()

        def submit(chunk: Chunk) -> None:
            future = client.submit(process_chunk, chunk, pure=False)
            in_flight[future.key] = chunk
            finished.add(future)

        for _ in range(4 * self.workers):
            if (chunk := next(chunks, None)) is None:
                break
            submit(chunk)
        for future in finished:
            chunk = in_flight.pop(future.key)
            try:
                outcomes = future.result()
            except Exception as error:  # a lost worker, a cluster failure
                why = f"the Dask task failed ({type(error).__name__}: {error})"
                outcomes = tuple(lost(job, why) for job in chunk)
            future.release()
            yield outcomes
            if (chunk := next(chunks, None)) is not None:
                submit(chunk)
