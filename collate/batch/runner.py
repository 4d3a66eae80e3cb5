"""Batch runner: SOURCE, OUTDIR, options and an executor -> every document processed and
recorded, the index written, and a summary of the run.

This is the coordinating process. It plans the jobs (with what the database already holds for
each document, so that workers can skip unchanged ones), hands them to the executor in chunks,
and records each outcome as it arrives: one transaction per document, and only here. The
results do not depend on the executor or on the order in which outcomes arrive.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path

from collate.batch.executors import Chunk, Executor
from collate.batch.index import write_index
from collate.batch.lock import locked
from collate.batch.outdir import DATABASE, remove_outputs
from collate.batch.schema import database_errors, open_store
from collate.batch.sources import Document, Layout, Shard, discover, select_shard
from collate.batch.status import Status, Thresholds, judge
from collate.batch.store import (
    DocumentRow,
    RunInfo,
    finish_run,
    primary_rates,
    record,
    rows,
    set_status,
    start_run,
    stored,
)
from collate.batch.summary import Summary, summarize
from collate.batch.work import Job, Outcome, WorkOptions
from collate.errors import Param, UsageError
from collate.files import make_folder

MAX_CHUNK = 16  # documents sent to a worker at a time
PROBLEMS = 10  # failed or flagged documents listed in a result


@dataclass(frozen=True)
class BatchOptions:
    """Everything a batch run is asked to do, besides where."""

    work: WorkOptions = field(default_factory=WorkOptions)
    thresholds: Thresholds = field(default_factory=Thresholds)
    layout: Layout | None = None
    shard: Shard | None = None
    force: bool = False

    def to_json(self) -> str:
        """The options as JSON (recorded with the run)."""
        data = asdict(self)
        data["thresholds"]["scope"] = self.thresholds.scope.value
        data["layout"] = None if self.layout is None else self.layout.value
        return json.dumps(data, sort_keys=True)


@dataclass(frozen=True)
class Done:
    """A document finished (reported to the progress callback)."""

    name: str
    status: Status
    skipped: bool


@dataclass(frozen=True)
class RunResult:
    """What a run did: its id, documents processed and skipped, and the summary of its
    documents, with the first failed or flagged ones."""

    run_id: int
    processed: int
    skipped: int
    summary: Summary
    problems: tuple[DocumentRow, ...]


def plan(source: Path, options: BatchOptions) -> tuple[Document, ...]:
    """The documents of ``source`` this run covers (its ``--shard``), by absolute path."""
    found = discover(source.absolute(), options.layout, options.work.allow_outside)
    return select_shard(found, options.shard)


def check_outdir(source: Path, outdir: Path) -> None:
    """Refuse an OUTDIR inside a SOURCE folder (a rerun would take it for a document)."""
    src, out = Path(os.path.realpath(source)), Path(os.path.realpath(outdir))
    if src.is_dir() and (out == src or src in out.parents):
        raise UsageError(
            Param("outdir", str(outdir)), f": is inside SOURCE {source}; choose a folder outside it"
        )


def run_batch(
    source: Path,
    documents: Sequence[Document],
    outdir: Path,
    options: BatchOptions,
    executor: Executor,
    on_done: Callable[[Done], None] | None = None,
) -> RunResult:
    """Process and record ``documents`` (from :func:`plan`) into ``outdir``."""
    check_outdir(source, outdir)
    outdir = outdir.absolute()
    make_folder(outdir)
    with locked(outdir), database_errors(outdir / DATABASE), closing(open_store(outdir)) as conn:
        layout = documents[0].layout.value if documents else "none"
        info = RunInfo(
            str(source.absolute()),
            layout,
            options.to_json(),
            executor.description,
            executor.workers,
            len(documents),
        )
        run_id = start_run(conn, info)
        coordinator = _Coordinator(conn, run_id, outdir, options, documents)
        with executor:
            size = max(1, min(MAX_CHUNK, len(documents) // (8 * executor.workers)))
            for outcomes in executor.run(coordinator.chunks(size)):
                for outcome in outcomes:
                    done = coordinator.finish(outcome)
                    if on_done is not None:
                        on_done(done)
        finish_run(conn, run_id, coordinator.processed, coordinator.skipped)
        write_index(outdir, conn)
        return _result(conn, run_id, coordinator)


class _Coordinator:
    """Plans the jobs and records their outcomes on one database connection."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        run_id: int,
        outdir: Path,
        options: BatchOptions,
        documents: Sequence[Document],
    ) -> None:
        self.conn, self.run_id, self.outdir, self.options = conn, run_id, outdir, options
        self.documents = {d.name: d for d in documents}
        self.work = options.work.to_json()
        self.processed = self.skipped = 0

    def chunks(self, size: int) -> Iterator[Chunk]:
        """The jobs, ``size`` at a time, each with what is recorded for its document."""
        chunk: list[Job] = []
        for document in self.documents.values():
            found = stored(self.conn, document.name)
            chunk.append(
                Job(
                    document,
                    str(self.outdir),
                    self.options.work,
                    None if found is None else found.recorded,
                    self.options.force,
                )
            )
            if len(chunk) == size:
                yield tuple(chunk)
                chunk = []
        if chunk:
            yield tuple(chunk)

    def finish(self, outcome: Outcome) -> Done:
        """Record a processed document, or re-judge a skipped one against the thresholds."""
        if outcome.skipped:
            self.skipped += 1
            return Done(outcome.name, self._rejudge(outcome.name), skipped=True)
        message: str | None = outcome.error
        if message is not None:
            status = Status.FAILED
        else:
            status, message = judge(self.options.thresholds, primary_rates(outcome))
        document = self.documents[outcome.name]
        record(self.conn, self.run_id, document, outcome, status, message, self.work)
        remove_outputs(self.outdir, outcome.name, outcome.outputs)
        self.processed += 1
        return Done(outcome.name, status, skipped=False)

    def _rejudge(self, name: str) -> Status:
        found = stored(self.conn, name)
        assert found is not None
        if found.status is Status.FAILED:
            return found.status
        status, message = judge(self.options.thresholds, found.rates)
        if (status, message) != (found.status, found.message):
            set_status(self.conn, name, status, message)
        return status


def _result(conn: sqlite3.Connection, run_id: int, coordinator: _Coordinator) -> RunResult:
    names = coordinator.documents
    problems: list[DocumentRow] = []

    def mine() -> Iterator[DocumentRow]:
        for row in rows(conn):
            if row.name in names:
                if row.status is not Status.OK and len(problems) < PROBLEMS:
                    problems.append(row)
                yield row

    summary = summarize(mine())
    return RunResult(run_id, coordinator.processed, coordinator.skipped, summary, tuple(problems))
