"""Batch executors: every job comes back once, whatever runs it, even when a worker dies."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from collate.batch.executors import Dask, Processes, Serial
from collate.batch.sources import Document, Layout
from collate.batch.work import Job, Outcome, WorkOptions


def jobs(*names: str) -> list[tuple[Job, ...]]:
    return [(Job(Document(n, Layout.FOLDERS, "/nowhere"), "/tmp", WorkOptions()),) for n in names]


def echo_or_die(chunk: Sequence[Job]) -> tuple[Outcome, ...]:
    """Outcomes without work; the worker process dies on a job named ``die``."""
    if any(job.document.name == "die" for job in chunk):
        os._exit(1)
    return tuple(Outcome(job.document.name) for job in chunk)


def test_serial_and_processes_return_every_job() -> None:
    names = sorted(f"d{i}" for i in range(20))
    with Serial() as serial:
        found = [o.name for chunk in serial.run(iter(jobs(*names))) for o in chunk]
    assert sorted(found) == names  # "/nowhere" fails every document: outcomes all the same
    with Processes(2) as pool:
        outcomes = [o for chunk in pool.run(iter(jobs(*names))) for o in chunk]
    assert sorted(o.name for o in outcomes) == names
    assert all(o.error_type == "InputError" for o in outcomes)


def test_a_worker_that_dies_fails_its_document_only() -> None:
    names = ["a", "b", "die", "c", "d", "e", "f", "g"]
    chunks = iter([tuple(j for c in jobs(*names[:4]) for j in c), *jobs(*names[4:])])
    with Processes(2, echo_or_die) as pool:
        outcomes = [o for chunk in pool.run(chunks) for o in chunk]
    assert sorted(o.name for o in outcomes) == sorted(names)
    failed = [o for o in outcomes if o.error is not None]
    assert [(o.name, o.error_type, o.key) for o in failed] == [("die", "WorkerError", None)]
    assert failed[0].error == (
        "die: the worker process died while processing it; rerun the batch to retry it"
    )


def test_dask_local_cluster_returns_every_job() -> None:
    pytest.importorskip("distributed")
    names = [f"d{i}" for i in range(6)]
    with Dask("local", 1) as dask:
        found = [o.name for chunk in dask.run(iter(jobs(*names))) for o in chunk]
    assert sorted(found) == names
