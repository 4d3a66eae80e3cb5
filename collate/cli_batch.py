"""``collate batch``: the command line over :mod:`collate.batch`.

Registered in ``cli.py`` with ``main.add_command(batch)``. Library errors become one
``Error: ...`` line and exit 2; documents that fail or are flagged make it exit 1 (see
docs/batch.md). The progress bar goes to stderr, the summary to stdout.
"""

from __future__ import annotations

import os
from contextlib import closing
from itertools import islice
from pathlib import Path

import click
from rich.console import Console

from collate._flags import flag
from collate._signals import terminate_as_interrupt
from collate.batch.executors import Dask, Executor, Processes, Serial
from collate.batch.index import write_index
from collate.batch.lock import locked
from collate.batch.outdir import DATABASE
from collate.batch.runner import PROBLEMS, BatchOptions, Done, plan, run_batch
from collate.batch.schema import database_errors, open_store
from collate.batch.sources import Layout, parse_shard
from collate.batch.status import Scope, Status, Thresholds
from collate.batch.store import rows
from collate.batch.terminal import SummaryReport, Tally, progress_bar
from collate.batch.work import WorkOptions
from collate.cli_options import (
    ALLOW_OUTSIDE_OPTION,
    IGNORE_CASE_OPTION,
    IGNORE_PUNCTUATION_OPTION,
    INPUT_FORMAT_OPTION,
    NEAR_MATCH_OPTION,
    NORMALIZE_OPTION,
    TEI_CHOICE_OPTION,
    TEI_CORRECTIONS_OPTION,
    TEI_DIV_OPTION,
)
from collate.errors import CollateError, UsageError
from collate.readers import check_encoding

REPORT_OPTIONS = frozenset({"report_dir", "quiet"})
INTERRUPTED = "Interrupted: the finished documents are recorded; run the same command to finish"


def _failure(error: CollateError) -> click.ClickException:
    """``Error: <message>`` (parameters named by their flags), exit 2."""
    failure = click.ClickException(error.message(flag))
    failure.exit_code = 2  # type: ignore[misc]
    return failure


@click.command(
    context_settings={"help_option_names": ["-h", "--help"]},
    short_help="Collate every document of an archive; record the results in SQLite.",
)
@click.argument("source", required=False, type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path, readable=False),
    metavar="OUTDIR",
    help="Folder for the reports, collate.sqlite and the index (created if missing).",
)
@click.option(
    "--report",
    "report_dir",
    type=click.Path(path_type=Path, readable=False),
    metavar="OUTDIR",
    help="Only regenerate OUTDIR's index.csv, index.json and index.html from its database.",
)
@click.option(
    "--layout",
    type=click.Choice(["auto", *(layout.value for layout in Layout)]),
    default="auto",
    show_default=True,
    help="What SOURCE holds (auto: a .csv/.json file is a manifest, a folder of folders holds "
    "witness folders, a folder of files holds records).",
)
@click.option("--html", is_flag=True, help="Also write each document's HTML apparatus.")
@click.option("--tei", is_flag=True, help="Also write each document's TEI document.")
@NORMALIZE_OPTION
@click.option("--base", help="Siglum of the base witness, the reference (default: the first).")
@NEAR_MATCH_OPTION
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text files.")
@INPUT_FORMAT_OPTION
@TEI_CHOICE_OPTION
@TEI_CORRECTIONS_OPTION
@TEI_DIV_OPTION
@ALLOW_OUTSIDE_OPTION
@IGNORE_CASE_OPTION
@IGNORE_PUNCTUATION_OPTION
@click.option(
    "--max-cer",
    type=click.FloatRange(min=0),
    help="Flag documents whose CER is above this (a fraction: 0.02 is 2 %).",
)
@click.option(
    "--max-wer", type=click.FloatRange(min=0), help="Flag documents whose WER is above this."
)
@click.option(
    "--threshold-scope",
    type=click.Choice([scope.value for scope in Scope]),
    default="all",
    show_default=True,
    help="Figures --max-cer/--max-wer apply to: all text, or text only (page furniture and "
    "markup left out).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes (default: the number of cores); 1 works in this process.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on a Dask cluster: a scheduler's address (tcp://HOST:8786), or 'local' for a "
    "LocalCluster of --jobs workers. Needs collate[dask].",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Process only every N-th document (in name order), starting with the K-th.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Redo documents already recorded with the same inputs and options.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@click.pass_context
def batch(
    ctx: click.Context,
    source: Path | None,
    outdir: Path | None,
    report_dir: Path | None,
    layout: str,
    html: bool,
    tei: bool,
    normalize: str,
    base: str | None,
    near_match: float,
    encoding: str,
    input_format: str,
    tei_choice: str,
    tei_corrections: str,
    tei_divs: tuple[str, ...],
    allow_outside: bool,
    ignore_case: bool,
    ignore_punctuation: bool,
    max_cer: float | None,
    max_wer: float | None,
    threshold_scope: str,
    jobs: int | None,
    scheduler: str | None,
    shard: str | None,
    force: bool,
    quiet: bool,
) -> None:
    """Collate every document of SOURCE into OUTDIR and record the results in
    OUTDIR/collate.sqlite, with an index (index.csv, index.json, index.html).

    SOURCE is a folder of witness folders, a folder of archive records, or a CSV or JSON
    manifest of witness files. Documents already recorded with the same input checksums and
    options are skipped, so an interrupted batch is finished by running it again.

    Exit status: 0 every document ok, 1 some failed or were flagged (--max-cer, --max-wer),
    2 usage errors (SOURCE missing, bad manifest, OUTDIR not writable, ...), 130 interrupted
    (Ctrl-C, SIGTERM, SIGHUP).
    """
    try:
        if report_dir is not None:
            _check_report_only(ctx)
            with terminate_as_interrupt():  # SIGTERM and SIGHUP stop as Ctrl-C does
                problems = _report(report_dir, quiet)
        else:
            if source is None or outdir is None:
                raise UsageError("give SOURCE and -o OUTDIR (or --report OUTDIR)")
            check_encoding(encoding)
            work = WorkOptions(
                normalize,
                base,
                near_match,
                encoding,
                ignore_case,
                ignore_punctuation,
                html,
                tei,
                input_format,
                allow_outside,
                tei_choice,
                tei_corrections,
                tei_divs,
            )
            options = BatchOptions(
                work=work,
                thresholds=Thresholds(max_cer, max_wer, Scope(threshold_scope)),
                layout=None if layout == "auto" else Layout(layout),
                shard=None if shard is None else parse_shard(shard),
                force=force,
            )
            with terminate_as_interrupt():
                problems = _run(source, outdir, options, jobs, scheduler, quiet)
    except CollateError as error:
        raise _failure(error) from None
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        ctx.exit(130)
    if problems:
        ctx.exit(1)


def _check_report_only(ctx: click.Context) -> None:
    given = [
        name
        for name in ctx.params
        if name not in REPORT_OPTIONS
        and ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
    ]
    if given:
        raise UsageError("--report OUTDIR takes no SOURCE and no other option but --quiet")


def _executor(jobs: int | None, scheduler: str | None, documents: int) -> Executor:
    if scheduler is not None and scheduler != "local" and jobs is not None:
        raise UsageError(
            f"--jobs: the workers of --scheduler {scheduler} are the cluster's; leave out --jobs"
        )
    workers = jobs or os.cpu_count() or 1
    if scheduler is not None:
        return Dask(scheduler, workers)
    workers = min(workers, max(documents, 1))
    return Serial() if workers == 1 else Processes(workers)


def _run(
    source: Path,
    outdir: Path,
    options: BatchOptions,
    jobs: int | None,
    scheduler: str | None,
    quiet: bool,
) -> int:
    documents = plan(source, options)
    executor = _executor(jobs, scheduler, len(documents))
    console = Console(stderr=True)
    tally = Tally()
    with progress_bar(console, disable=quiet or not console.is_terminal) as bar:
        task = bar.add_task("collating", total=len(documents), counts=tally.text())

        def on_done(done: Done) -> None:
            bar.update(task, advance=1, counts=tally.add(done))

        result = run_batch(source, documents, outdir, options, executor, on_done)
    if not quiet:
        report = SummaryReport(result.summary, result.problems, result.processed, result.skipped)
        Console(highlight=False).print(report)
    return result.summary.failed + result.summary.flagged


def _report(outdir: Path, quiet: bool) -> int:
    store = open_store(outdir, create=False)
    with locked(outdir), database_errors(outdir / DATABASE), closing(store) as conn:
        summary = write_index(outdir, conn)
        if not quiet:
            failed = (row for row in rows(conn) if row.status is not Status.OK)
            report = SummaryReport(summary, list(islice(failed, PROBLEMS)))
            Console(highlight=False).print(report)
    return summary.failed + summary.flagged
