"""The terminal alignment table (``--view table``): one row per rank, one column per witness.

Ranks where the witnesses differ carry their variant's number and are
coloured by its category; agreeing ranks are plain.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from collate._safe import printable
from collate.pipeline import Collation
from collate.render.table import cell_columns
from collate.render.terminal import STYLES
from collate.variants import places


class Grid:
    """The alignment table of a collation, for the terminal."""

    def __init__(self, collation: Collation) -> None:
        self.collation = collation

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        c = self.collation
        table = Table(title="Alignment table", title_justify="left", box=None, pad_edge=False)
        table.add_column("rank", justify="right", style="dim")
        for siglum in c.alignment.sigla:
            table.add_column(Text(printable(siglum)))
        table.add_column("variant", justify="right")
        marks: dict[int, tuple[int, str]] = {}
        for variant, first, last in places(c.variants).values():
            for r in range(first, last + 1):
                marks[r] = (variant.number, STYLES[variant.category])
        _, columns = cell_columns(c, printable)  # each spelling made printable once
        for r, cells in enumerate(zip(*columns, strict=True)):
            number, style = marks.get(r, (0, ""))
            empty = "-" if number else ""
            texts = [Text(cell or empty, style=style) for cell in cells]
            table.add_row(str(r + 1), *texts, str(number) if number else "")
        yield table
