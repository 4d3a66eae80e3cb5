"""The terminal alignment table (``--view table``): one row per rank, one column per witness.

Ranks where the witnesses differ carry their variant's number and are
coloured by its category; agreeing ranks are plain. Ranks count from 1, as
in the CSV (the JSON's ``ranks`` index its ``alignment`` from 0: JSON rank
``r`` is row ``r + 1``). A witness with nothing at a rank shows ``GAP``, so a
gap never looks like a ``-`` token. Given a selection of the variants
(``--only``/``--exclude``), only the ranks of the selected variants are rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from collate._safe import printable
from collate.model import Variant
from collate.pipeline import Collation
from collate.render.boxed import Column, GridTable
from collate.render.table import cell_columns
from collate.render.terminal import STYLES
from collate.variants import places

GAP = "\u2205"  # ∅: the witness has nothing at this rank


class Grid:
    """The alignment table of a collation, for the terminal; with ``variants`` fewer than
    the collation's, only their ranks."""

    def __init__(self, collation: Collation, variants: Sequence[Variant] | None = None) -> None:
        self.collation = collation
        self.variants = variants

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        c = self.collation
        headers = [Text("rank"), *(Text(printable(s)) for s in c.alignment.sigla), Text("variant")]
        columns = [Column(h, right=k in (0, len(headers) - 1)) for k, h in enumerate(headers)]
        marks: dict[int, tuple[int, str]] = {}
        for variant, first, last in places(c.variants).values():
            for r in range(first, last + 1):
                marks[r] = (variant.number, STYLES[variant.category])
        shown: set[int] | None = None
        if self.variants is not None and len(self.variants) < len(c.variants):
            chosen = {v.number for v in self.variants}
            shown = {r for r, (number, _) in marks.items() if number in chosen}
        _, cells = cell_columns(c, printable)  # each spelling made printable once
        rows: list[list[str]] = []
        styles: list[str] = []
        for r, ranked in enumerate(zip(*cells, strict=True)):
            if shown is not None and r not in shown:
                continue
            number, style = marks.get(r, (0, ""))
            empty = GAP if number else ""
            rows.append([str(r + 1), *(cell or empty for cell in ranked), str(number or "")])
            styles.append(style)
        styled = [0 < k < len(columns) - 1 for k in range(len(columns))]
        column_styles = ["dim", *[""] * (len(columns) - 1)]

        yield GridTable("Alignment table", columns, rows, (styles, styled, column_styles))
