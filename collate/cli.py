"""The command line: parse options, call the library, render, echo.

Library errors become ``Error: ...`` on stderr with the exit code of their
class (see docs/cli.md); stdout carries only results.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from collate import __version__
from collate.errors import CollateError, InputError, OutputError
from collate.files import read_bytes, write_atomic
from collate.model import Category, MarkupFormat
from collate.normalization import PRESETS, RULES
from collate.pipeline import CollationOptions, collate
from collate.readers import METADATA_FILE, decode, read_witnesses
from collate.records import record_metadata, split_record
from collate.render.json import render_json
from collate.render.terminal import Report
from collate.variants import select

CATEGORIES = [c.value for c in Category]
RECORD_FILE = "record.txt"


def _failure(error: CollateError) -> click.ClickException:
    """A click exception that prints ``Error: <message>`` and exits with the error's code."""
    failure = click.ClickException(str(error))
    failure.exit_code = error.exit_code  # type: ignore[misc]
    return failure


class _Group(click.Group):
    """Turns every :class:`CollateError` into one ``Error:`` line, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CollateError as error:
            raise _failure(error) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="collate")
def main() -> None:
    """Collate witnesses of a text and report where and how they differ."""


def _console(color: bool | None, file: io.StringIO | None = None) -> Console:
    if file is not None:
        return Console(file=file, width=120, color_system=None, highlight=False)
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "120"))
    return Console(
        force_terminal=color,
        no_color=color is False,
        width=width,
        highlight=False,
    )


def _output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, text)
        click.echo(f"Wrote {output}", err=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Write to FILE (atomically) instead of stdout.",
)
@click.option("--only", multiple=True, type=click.Choice(CATEGORIES), help="Show only CATEGORY.")
@click.option("--exclude", multiple=True, type=click.Choice(CATEGORIES), help="Hide CATEGORY.")
@click.option(
    "--normalize",
    default="default",
    show_default=True,
    help=f"Preset ({', '.join(PRESETS)}) or comma-separated rules ({', '.join(RULES)}).",
)
@click.option("--base", help="Siglum of the base witness (default: the first).")
@click.option(
    "--near-match",
    type=float,
    default=0.7,
    show_default=True,
    help="Similarity (0-1] at which unequal words are aligned together.",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of the files.")
@click.option(
    "--markup",
    type=click.Choice(["auto", "markdown", "plain"]),
    default="auto",
    show_default=True,
    help="Treat Markdown markers as markup (auto: when the text has them).",
)
@click.option("--color/--no-color", default=None, help="Force colour on or off.")
def compare(
    paths: Sequence[Path],
    fmt: str,
    output: Path | None,
    only: Sequence[str],
    exclude: Sequence[str],
    normalize: str,
    base: str | None,
    near_match: float,
    encoding: str,
    markup: str,
    color: bool | None,
) -> None:
    """Collate the witnesses in PATHS (files, or folders of witnesses)."""
    markup_format = None if markup == "auto" else MarkupFormat(markup)
    witnesses = read_witnesses(paths, encoding=encoding, markup=markup_format)
    options = CollationOptions(normalization=normalize, base=base, near_match=near_match)
    collation = collate(witnesses, options)
    variants = select(
        collation.variants, [Category(c) for c in only], [Category(c) for c in exclude]
    )
    if fmt == "json":
        _output(render_json(collation, variants), output)
    elif output is not None:
        buffer = io.StringIO()
        _console(False, buffer).print(Report(collation, variants))
        _output(buffer.getvalue(), output)
    else:
        _console(color).print(Report(collation, variants))


@main.command()
@click.argument("record", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the witnesses (created if missing).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of RECORD.")
def extract(record: Path, out_dir: Path, encoding: str) -> None:
    """Split an archive RECORD (scan text plus transcript) into witness files."""
    text = decode(read_bytes(record), str(record), encoding)
    if not text.strip():
        raise InputError(f"{record}: the file is empty; give an archive record")
    parsed = split_record(text, str(record))
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder; choose another -o")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{out_dir}: cannot create the folder ({error.strerror}); choose another -o"
        ) from None
    for part in parsed.parts:
        write_atomic(out_dir / f"{part.siglum}.txt", part.text)
    write_atomic(out_dir / RECORD_FILE, text)
    metadata = record_metadata(parsed, RECORD_FILE)
    write_atomic(out_dir / METADATA_FILE, json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
    for part in parsed.parts:
        click.echo(
            f"{out_dir / (part.siglum + '.txt')}: {part.label} "
            f"(record lines {part.first_line}-{part.last_line})",
            err=True,
        )
