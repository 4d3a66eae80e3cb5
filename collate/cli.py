"""The command line: parse options, call the library, render, echo.

Library errors become ``Error: ...`` on stderr with the exit code of their
class (see docs/cli.md); stdout carries only results.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import replace
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from collate import __version__
from collate._flags import flag
from collate._gc import paused_gc
from collate._safe import printable
from collate._signals import terminate_as_interrupt
from collate.cli_options import (
    ALLOW_OUTSIDE_OPTION,
    COLOR_OPTION,
    IGNORE_CASE_OPTION,
    IGNORE_PUNCTUATION_OPTION,
    INPUT_FORMAT_OPTION,
    MARKUP_OPTION,
    NEAR_MATCH_OPTION,
    NORMALIZE_OPTION,
    TEI_CHOICE_OPTION,
    TEI_CORRECTIONS_OPTION,
    TEI_DIV_OPTION,
)
from collate.errors import CollateError, InputError, UsageError
from collate.files import make_folder, read_bytes, refuse_input_as_output, write_atomic, write_files
from collate.lookalike import describe, lookalike_sigla
from collate.model import Category, MarkupFormat
from collate.pipeline import CollationOptions, collate
from collate.readers import (
    METADATA_FILE,
    ReadOptions,
    SourceFormat,
    collection_title,
    decode,
    pair_files,
    read_pair,
    read_witnesses,
    with_tei,
)
from collate.render.formats import FORMATS, render_pieces
from collate.variants import select

if TYPE_CHECKING:
    from rich.console import Console, ConsoleRenderable

    from collate.metrics import CountingRules
    from collate.render.fidelity import Pair

# Renderers, rich, the record splitter and the batch command are imported where they are
# used: a command loads only what it needs, so that a short collation starts quickly.

CATEGORIES = [c.value for c in Category]

RECORD_FILE = "record.txt"
# Long witnesses are prepared on every core (CollationOptions.jobs); the garbage collector is
# paused around each one-shot command (_Group.invoke), so not by each collation.
ALL_CORES = 0
_LONG_RUNNING = {"batch"}
_LAZY_COMMANDS = {"batch": "collate.cli_batch"}  # command name -> module defining it


def _failure(error: CollateError, exit_code: int | None = None) -> click.ClickException:
    """A click exception that prints ``Error: <message>`` (parameters named by their flags)
    and exits with the error's code."""
    failure = click.ClickException(error.message(flag))
    failure.exit_code = error.exit_code if exit_code is None else exit_code  # type: ignore[misc]
    return failure


class _Group(click.Group):
    """Turns every :class:`CollateError` into one ``Error:`` line, in one place; loads the
    commands of ``_LAZY_COMMANDS`` only when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *_LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY_COMMANDS:
            command: click.Command = getattr(import_module(_LAZY_COMMANDS[cmd_name]), cmd_name)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        # One-shot commands run without the cyclic garbage collector (see collate._gc);
        # batch runs for hours and pauses it per document instead.
        pause = paused_gc() if ctx.invoked_subcommand not in _LONG_RUNNING else nullcontext()
        try:
            with terminate_as_interrupt(), pause:
                return super().invoke(ctx)
        except CollateError as error:
            raise _failure(error) from None
        except KeyboardInterrupt:  # Ctrl-C, SIGTERM, SIGHUP: -o's previous file is kept
            click.echo("Interrupted", err=True)
            ctx.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="collate")
def main() -> None:
    """Collate witnesses of a text and report where and how they differ."""


def _on_terminal() -> bool:
    """Whether stdout is a terminal."""
    return sys.stdout.isatty()


def _console(color: bool | None, file: io.StringIO | None = None) -> Console:
    from rich.console import Console

    if file is not None:
        return Console(file=file, width=120, color_system=None, highlight=False)
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "120"))
    return Console(
        force_terminal=color,
        no_color=color is False,
        width=width,
        highlight=False,
    )


def _output(text: str | Iterable[str], output: Path | None) -> None:
    """Write ``text`` (or its pieces, in order) to stdout or atomically to ``output``."""
    if output is None:
        for piece in (text,) if isinstance(text, str) else text:
            click.echo(piece, nl=False)
    else:
        write_atomic(output, text)
        click.echo(printable(f"Wrote {output}"), err=True)


def _warn_lookalike(sigla: Sequence[str]) -> None:
    """A warning on stderr for each pair of sigla a reader cannot tell apart."""
    for a, b in lookalike_sigla(sigla):
        click.echo(
            printable(
                f"Warning: sigla {describe(a)} and {describe(b)} look alike (invisible "
                "characters, or letters of another script); rename one of them"
            ),
            err=True,
        )


def _report(report: ConsoleRenderable, output: Path | None, color: bool | None) -> None:
    """Print a rich report to the terminal, or as plain text to ``output``. Not cropped:
    the reports lay themselves out to the width, and rich's cropping measures every line
    again, character by character where box lines are drawn (a fifth of a long list)."""
    if output is None:
        _console(color).print(report, crop=False)
    else:
        buffer = io.StringIO()
        _console(False, buffer).print(report, crop=False)
        _output(buffer.getvalue(), output)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", *FORMATS]),
    default="table",
    show_default=True,
    help="Output: table (the terminal view, see --view), "
    + ", ".join(f"{f.name} ({f.description})" for f in FORMATS.values())
    + ".",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    metavar="FILE",
    help="Write to FILE (atomically) instead of stdout.",
)
@click.option(
    "--view",
    type=click.Choice(["variants", "table"]),
    default="variants",
    show_default=True,
    help="Terminal view: the variant list, or the alignment table (a row per rank).",
)
@click.option("--only", multiple=True, type=click.Choice(CATEGORIES), help="Show only CATEGORY.")
@click.option("--exclude", multiple=True, type=click.Choice(CATEGORIES), help="Hide CATEGORY.")
@NORMALIZE_OPTION
@click.option("--base", help="Siglum of the base witness (default: the first).")
@click.option("--no-base", is_flag=True, help="No base: readings per group, no kinds.")
@NEAR_MATCH_OPTION
@click.option(
    "--exact-alignment",
    is_flag=True,
    help="Align long texts in one piece, never cut at unique-trigram anchors: the exact "
    "optimum (fewest edits), in linear memory but in time growing with the length times the "
    "number of differences.",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the files.")
@MARKUP_OPTION
@INPUT_FORMAT_OPTION
@TEI_CHOICE_OPTION
@TEI_CORRECTIONS_OPTION
@TEI_DIV_OPTION
@click.option(
    "--example",
    type=click.IntRange(min=1),
    help="The example of a CollateX XML file (<examples>) to collate, from 1.",
)
@ALLOW_OUTSIDE_OPTION
@COLOR_OPTION
def compare(
    paths: Sequence[Path],
    fmt: str,
    output: Path | None,
    view: str,
    only: Sequence[str],
    exclude: Sequence[str],
    normalize: str,
    base: str | None,
    no_base: bool,
    near_match: float,
    exact_alignment: bool,
    encoding: str,
    markup: str,
    input_format: str,
    tei_choice: str,
    tei_corrections: str,
    tei_divs: tuple[str, ...],
    example: int | None,
    allow_outside: bool,
    color: bool | None,
) -> None:
    """Collate the witnesses in PATHS (files, or folders of witnesses)."""
    if fmt == "html" and output is None and _on_terminal():
        raise UsageError("--format html writes a whole web page; give -o FILE, or redirect stdout")
    read = _read_options(encoding, markup, input_format, allow_outside=allow_outside)
    read = replace(with_tei(read, tei_choice, tei_corrections, tei_divs), example=example)
    witnesses = read_witnesses(paths, read)
    lists = [p / METADATA_FILE for p in paths if os.path.isdir(p)]
    refuse_input_as_output(output, [*(w.path for w in witnesses), *lists])
    _warn_lookalike([w.siglum for w in witnesses])
    options = CollationOptions(
        normalization=normalize,
        base=base,
        no_base=no_base,
        near_match=near_match,
        exact=exact_alignment,
        jobs=ALL_CORES,
    )
    collation = collate(witnesses, options)
    variants = select(
        collation.variants, [Category(c) for c in only], [Category(c) for c in exclude]
    )
    if fmt in FORMATS:
        title = collection_title(paths)
        _output(render_pieces(collation, fmt, variants=variants, title=title), output)
    elif view == "table":
        from collate.render.grid import Grid

        _report(Grid(collation, variants), output, color)
    else:
        from collate.render.terminal import Report

        _report(Report(collation, variants), output, color)


@main.command()
@click.argument("record", type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, readable=False),
    help="Folder for the witnesses (created if missing).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of RECORD.")
def extract(record: Path, out_dir: Path, encoding: str) -> None:
    """Split an archive RECORD (scan text plus transcript) into witness files."""
    from collate.records import RECORD_FILE, record_metadata, split_record

    text = decode(read_bytes(record), str(record), encoding)
    if not text.strip():
        raise InputError(f"{record}: the file is empty; give an archive record")
    parsed = split_record(text, str(record))
    make_folder(out_dir)
    metadata = record_metadata(parsed, RECORD_FILE)
    write_files(  # all or nothing: a failure leaves a previous extract's files as they were
        [
            *((out_dir / f"{part.siglum}.txt", part.text) for part in parsed.parts),
            (out_dir / RECORD_FILE, text),
            (out_dir / METADATA_FILE, json.dumps(metadata, ensure_ascii=False, indent=2) + "\n"),
        ]
    )
    for siglum, given in parsed.renamed:
        click.echo(
            printable(f"Note: siglum {siglum!r} is {given!r}: {RECORD_FILE} holds the record"),
            err=True,
        )
    for part in parsed.parts:
        click.echo(
            printable(
                f"{out_dir / (part.siglum + '.txt')}: {part.label} "
                f"(record lines {part.first_line}-{part.last_line})"
            ),
            err=True,
        )


def _equivalences(path: Path | None) -> tuple[tuple[str, str], ...]:
    """Pairs ``a=b`` (one a line, spaces around ``=`` trimmed, ``#`` comments) from a
    UTF-8 equivalences file."""
    if path is None:
        return ()
    pairs = []
    text = decode(read_bytes(path), str(path))
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        source, sep, target = line.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source:
            raise InputError(
                f"{path}:{number}: expected 'a=b' (a character or string, '=', its equivalent)"
            )
        pairs.append((source, target))
    return tuple(pairs)


def _read_options(
    encoding: str,
    markup: str,
    input_format: str,
    allow_empty: bool = False,
    allow_outside: bool = False,
) -> ReadOptions:
    return ReadOptions(
        encoding=encoding,
        markup=None if markup == "auto" else MarkupFormat(markup),
        source=None if input_format == "auto" else SourceFormat(input_format),
        allow_empty=allow_empty,
        allow_outside=allow_outside,
    )


def _measure_pair(
    name: str,
    ref: Path,
    hyp: Path,
    rules: CountingRules,
    exclude: Sequence[Category],
    read: ReadOptions,
) -> Pair:
    from collate.fidelity import measure_fidelity
    from collate.render.fidelity import Pair

    reference, hypothesis = read_pair(ref, hyp, read)
    options = CollationOptions(context=0, jobs=ALL_CORES)  # no context: none is reported
    collation = collate([reference, hypothesis], options)
    return Pair(name, str(ref), str(hyp), measure_fidelity(collation, rules, exclude))


def _gate(cer: float, wer: float, max_cer: float | None, max_wer: float | None) -> bool:
    failed = []
    if max_cer is not None and cer > max_cer:
        failed.append(f"CER {cer:.4f} > --max-cer {max_cer}")
    if max_wer is not None and wer > max_wer:
        failed.append(f"WER {wer:.4f} > --max-wer {max_wer}")
    if failed:
        click.echo("Gate failed: " + "; ".join(failed), err=True)
    return not failed


@main.command(short_help="Measure how faithful a text is to its reference: CER, WER, ...")
@click.argument("reference", type=click.Path(path_type=Path, readable=False))
@click.argument("hypothesis", type=click.Path(path_type=Path, readable=False))
@click.option("--pairs", is_flag=True, help="REFERENCE and HYPOTHESIS are folders; pair by name.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, readable=False),
    metavar="FILE",
    help="Write to FILE.",
)
@IGNORE_CASE_OPTION
@IGNORE_PUNCTUATION_OPTION
@click.option(
    "--equivalences",
    type=click.Path(path_type=Path, readable=False),
    metavar="FILE",
    help="UTF-8 file of character equivalences, one 'a=b' a line (e.g. long s = s).",
)
@click.option(
    "--exclude",
    multiple=True,
    type=click.Choice(["furniture", "markup"]),
    help="Leave page furniture or markup out of the headline figures.",
)
@click.option(
    "--exact",
    is_flag=True,
    help="Compare long texts in one piece, never piecewise between agreeing runs (slower).",
)
@click.option(
    "--words",
    "word_convention",
    type=click.Choice(["tokens", "whitespace", "unicode"]),
    default="tokens",
    show_default=True,
    help="What a word is for WER: word tokens (no punctuation), whitespace-separated strings "
    "(as jiwer), or Unicode word boundaries (as dinglehopper).",
)
@click.option(
    "--max-cer",
    type=click.FloatRange(min=0),
    help="Exit 1 when the CER is above this (a fraction: 0.02 is 2 %).",
)
@click.option(
    "--max-wer",
    type=click.FloatRange(min=0),
    help="Exit 1 when the WER is above this (a fraction).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text files.")
@MARKUP_OPTION
@INPUT_FORMAT_OPTION
@TEI_CHOICE_OPTION
@TEI_CORRECTIONS_OPTION
@TEI_DIV_OPTION
@ALLOW_OUTSIDE_OPTION
@COLOR_OPTION
def fidelity(
    reference: Path,
    hypothesis: Path,
    pairs: bool,
    fmt: str,
    output: Path | None,
    ignore_case: bool,
    ignore_punctuation: bool,
    equivalences: Path | None,
    exclude: Sequence[str],
    exact: bool,
    word_convention: str,
    max_cer: float | None,
    max_wer: float | None,
    encoding: str,
    markup: str,
    input_format: str,
    tei_choice: str,
    tei_corrections: str,
    tei_divs: tuple[str, ...],
    allow_outside: bool,
    color: bool | None,
) -> None:
    """How faithful HYPOTHESIS (e.g. OCR) is to REFERENCE (e.g. a transcript): CER, WER, ...

    Exit status: 0 within the --max-cer/--max-wer thresholds, 1 above them, 2 for usage or
    input errors.
    """
    from collate.metrics import CountingRules, WordConvention
    from collate.render.fidelity import render_csv, totals
    from collate.render.fidelity import render_json as render_fidelity_json

    try:
        rules = CountingRules(
            ignore_case,
            ignore_punctuation,
            _equivalences(equivalences),
            exact=exact,
            words=WordConvention(word_convention),
        )
        excluded = [Category(c) for c in exclude]
        if tei_corrections == "both":
            raise UsageError(
                "--tei-corrections both makes two witnesses of each TEI file; fidelity measures "
                "one text against one reference: give after or before"
            )
        read = _read_options(encoding, markup, input_format, allow_empty=True)
        read = with_tei(read, tei_choice, tei_corrections, tei_divs)
        jobs = [(hypothesis.name, reference, hypothesis)]
        if pairs:
            jobs, unmatched = pair_files(reference, hypothesis, allow_outside)
            for path in unmatched:
                click.echo(
                    printable(f"Skipped {path}: no file of the other folder matches it"), err=True
                )
        inputs = [p for _, ref, hyp in jobs for p in (ref, hyp)]
        refuse_input_as_output(output, [*inputs, equivalences])
        measured = _measure_all(jobs, rules, excluded, read)
        if fmt == "json":
            _output(render_fidelity_json(measured, pairs), output)
        elif fmt == "csv":
            _output(render_csv(measured), output)
        else:
            from collate.render.fidelity_report import FidelityReport, PairsReport

            _report(PairsReport(measured) if pairs else FidelityReport(measured[0]), output, color)
    except CollateError as error:
        raise _failure(error, exit_code=2) from None
    summary = totals(measured)
    if not _gate(summary.cer, summary.wer, max_cer, max_wer):
        raise SystemExit(1)


def _measure_all(
    jobs: Sequence[tuple[str, Path, Path]],
    rules: CountingRules,
    exclude: Sequence[Category],
    read: ReadOptions,
) -> list[Pair]:
    if len(jobs) < 2:  # no progress to show (rich is not even loaded)
        return [_measure_pair(name, ref, hyp, rules, exclude, read) for name, ref, hyp in jobs]
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("measuring", total=len(jobs))
        measured = []
        for name, ref, hyp in jobs:
            measured.append(_measure_pair(name, ref, hyp, rules, exclude, read))
            progress.advance(task)
    return measured
