"""Click options shared by the commands (one definition, one help text)."""

from __future__ import annotations

import click

from collate.normalization import PRESETS, RULES
from collate.readers import SourceFormat
from collate.tei_reader import Choice

MARKUP_OPTION = click.option(
    "--markup",
    type=click.Choice(["auto", "markdown", "plain"]),
    default="auto",
    show_default=True,
    help="Treat Markdown markers as markup (auto: when the text has them).",
)
INPUT_FORMAT_OPTION = click.option(
    "--input-format",
    type=click.Choice(["auto", *(f.value for f in SourceFormat)]),
    default="auto",
    show_default=True,
    help="Format of the files (auto: TEI or OCR XML by its root element, else text).",
)
TEI_CHOICE_OPTION = click.option(
    "--tei-choice",
    type=click.Choice([c.value for c in Choice]),
    default=Choice.EDITED.value,
    show_default=True,
    help="TEI <choice>: the edited reading (expan, corr, reg) or the original (abbr, sic, orig).",
)
TEI_CORRECTIONS_OPTION = click.option(
    "--tei-corrections",
    type=click.Choice(["after", "before", "both"]),
    default="after",
    show_default=True,
    help="TEI <add>/<del>/<subst>: the text after correction, before it, or both as two "
    "witnesses (A and 'A (a.c.)').",
)
TEI_DIV_OPTION = click.option(
    "--tei-div",
    "tei_divs",
    multiple=True,
    metavar="ID",
    help="Read only this division of each TEI file: a <div>, <ab> or <p> named by its @n "
    "path (3.2 for <div n='3'><div n='2'>) or its xml:id; repeat for more.",
)
COLOR_OPTION = click.option("--color/--no-color", default=None, help="Force colour on or off.")
NORMALIZE_OPTION = click.option(
    "--normalize",
    default="default",
    show_default=True,
    help=f"Preset ({', '.join(PRESETS)}) or comma-separated rules ({', '.join(RULES)}).",
)
NEAR_MATCH_OPTION = click.option(
    "--near-match",
    type=float,
    default=0.7,
    show_default=True,
    help="Similarity (0-1] at which unequal words are aligned together.",
)
IGNORE_CASE_OPTION = click.option(
    "--ignore-case", is_flag=True, help="Count case differences as no error."
)
IGNORE_PUNCTUATION_OPTION = click.option(
    "--ignore-punctuation", is_flag=True, help="Leave out punctuation characters."
)
ALLOW_OUTSIDE_OPTION = click.option(
    "--allow-outside",
    is_flag=True,
    help="Read files that lead outside the folder given (links out of a witness folder; "
    "manifest paths outside the manifest's folder).",
)
