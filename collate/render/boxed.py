"""Tables drawn line by line: the variant list (``terminal.py``) and the alignment table
(``grid.py``).

The variant list has a simple shape: columns that never wrap (as wide as their widest line)
and text columns that share the width left over and wrap at spaces. Such a table is laid out
here directly, with the look rich gives it (heavy head, a rule between rows, one space of
padding, columns widths shared out as rich's ``expand`` does, words too long for their column
cut with "…"), and written as rich :class:`~rich.segment.Segment` s, so that colour, or none,
stays rich's business (without colour, a row's lines are one string). A table that does not
fit that way (a terminal too narrow) is left to rich's :class:`~rich.table.Table`.
:class:`GridTable` does the same for the alignment table, which has no box. rich's table is
not used for these since it measures, wraps and pads every cell through several layers of
renderables, about 1.4 ms a row (the 100k pair's alignment table: 52 s and 354 MB with
rich's table, 2 s and 101 MB here).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import pairwise
from math import ceil

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, JustifyMethod, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

MIN_TEXT_WIDTH = 3  # cells a text column needs, padding included: one, as rich gives it at least
_WORD = re.compile(r"(\s*\S+)\s*")  # a word and the spaces after it (and before, at the start)
_HEAD, _BODY = "┏━┳┓┃┃┃┡━╇┩", "├─┼┤│││└─┴┘"  # box characters: edges, rules and bars


@dataclass(frozen=True)
class Column:
    """A column: its header, whether it holds wrapping text, and how it is justified."""

    header: Text
    text: bool = False  # wraps, sharing the width left with the other text columns
    right: bool = False  # justified right (never-wrapping columns only)


Piece = tuple[str, Style | None]  # text and style
Line = list[Piece]


class BoxedTable:
    """A table of ``rows`` (one :class:`~rich.text.Text` per column) drawn line by line, or
    by rich (:meth:`fallback`) where it does not fit."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[Text]]) -> None:
        self.columns = columns
        self.rows = rows

    def fallback(self) -> Table:
        """The same table laid out by rich, which can squeeze every column to fit."""
        table = Table(show_lines=True, expand=True)
        for c in self.columns:
            justify: JustifyMethod = "right" if c.right else "left"
            table.add_column(c.header, justify=justify, no_wrap=not c.text, ratio=c.text or None)
        for row in self.rows:
            table.add_row(*row)
        return table

    @cached_property
    def _fixed(self) -> list[int]:
        """Each column's width as its widest line (padding included), 0 for a text column:
        measured once, for the layout the report chooses and again when it is drawn."""
        widths = []
        for k, column in enumerate(self.columns):
            cells = [] if column.text else [column.header, *(row[k] for row in self.rows)]
            lines = (line for text in cells for line in _lines(text))
            widths.append(max(map(_cells, lines)) + 2 if cells else 0)
        return widths

    def widths(self, max_width: int) -> list[int] | None:
        """Each column's width in cells, padding included (rich's ``expand`` with text
        columns of ratio 1), or None if the text columns do not fit, ``MIN_TEXT_WIDTH`` each."""
        fixed = self._fixed
        flexible = sum(column.text for column in self.columns)
        left = max_width - (len(self.columns) + 1) - sum(fixed)  # less the bars
        shares: list[int] = []
        for n in range(flexible, 0, -1):  # as rich's ratio_distribute: rounded up, in turn
            shares.append(max(MIN_TEXT_WIDTH, ceil(left / n)))
            left -= shares[-1]
        if left < 0:  # the text columns do not fit even that narrow: rich squeezes the rest
            return None
        given = iter(shares)
        return [
            next(given) if column.text else width
            for column, width in zip(self.columns, fixed, strict=True)
        ]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        if widths is None:
            yield self.fallback()
            return
        plain = console.no_color or console.color_system is None  # styles would be dropped
        style = None if plain else partial(console.get_style, default="none")
        head, body = _HEAD, _BODY
        yield from _rule(head[0], head[1], head[2], head[3], widths)
        bold = None if plain else Style(bold=True)
        yield from self._row([c.header for c in self.columns], widths, head[4:7], style, bold)
        yield from _rule(head[7], head[8], head[9], head[10], widths)
        for n, row in enumerate(self.rows):
            if n:
                yield from _rule(body[0], body[1], body[2], body[3], widths)
            yield from self._row(row, widths, body[4:7], style, None)
        yield from _rule(body[7], body[8], body[9], body[10], widths)

    def _row(
        self,
        cells: Sequence[Text],
        widths: Sequence[int],
        bars: str,
        style: Callable[[str | Style], Style] | None,  # None: no colour
        extra: Style | None,
    ) -> Iterator[Segment]:
        """The lines of one row: each cell's lines, padded to its width, side by side."""
        drawn = [
            _cut(cell.plain, width - 2, column.text)
            for cell, width, column in zip(cells, widths, self.columns, strict=True)
        ]
        height = max(map(len, drawn))
        left, middle, right = bars[0], bars[1], bars[2]
        if style is None:  # no colour: the row is one string
            columns = [
                [_padded(shown, size, width - 2, column.right) for _, shown, size in lines]
                + [" " * (width - 2)] * (height - len(lines))
                for lines, width, column in zip(drawn, widths, self.columns, strict=True)
            ]
            between, joined = f" {middle} ", zip(*columns, strict=True)
            yield Segment("".join(f"{left} {between.join(line)} {right}\n" for line in joined))
            return
        bases = [_base(cell, style, extra) for cell in cells]
        for i in range(height):
            # the line's pieces, neighbours of one style joined: a few segments a line
            texts: list[str] = [left]
            current: Style | None = None
            for k, (cell, lines) in enumerate(zip(cells, drawn, strict=True)):
                width, right_justified = widths[k] - 2, self.columns[k].right
                pieces = (
                    _pieces(cell, lines[i], width, right_justified, bases[k], style)
                    if i < len(lines)
                    else [(" " * width, None)]
                )
                for text, at in [(" " if k == 0 else middle + " ", None), *pieces, (" ", None)]:
                    if at is not current and at != current:
                        yield Segment("".join(texts), current)
                        texts, current = [], at
                    texts.append(text)
            texts.append(right)
            yield Segment("".join(texts), current)
            yield Segment.line()


def _rule(left: str, line: str, cross: str, right: str, widths: Sequence[int]) -> Iterator[Segment]:
    yield Segment(left + cross.join(line * w for w in widths) + right)
    yield Segment.line()


def _lines(text: Text) -> list[str]:
    return text.plain.split("\n")


CutLine = tuple[int, str, int]  # a cell's line: its offset in the text, as shown, its cells


def _cut(plain: str, width: int, wrap: bool) -> list[CutLine]:
    """A cell's lines, each at most ``width`` cells: a text column's text wrapped at spaces,
    another's lines as they are; a word or line too long cut with "…"."""
    narrow = _narrow(plain)
    if wrap:
        spans = _wrapped(plain, width, narrow)
    else:
        spans, start = [], 0
        for line in plain.split("\n"):
            spans.append((start, line))
            start += len(line) + 1
    lines: list[CutLine] = []
    for a, shown in spans:
        if len(shown) > width:  # spaces beyond the width (in characters) dropped, as rich does
            kept = shown.rstrip()
            shown = shown[: max(len(kept), width)]
        size = len(shown) if narrow else cell_len(shown)
        if size > width:  # as rich's "ellipsis" overflow (trailing spaces count)
            shown = set_cell_size(shown, width - 1) + "…"
            size = width
        lines.append((a, shown, size))
    return lines


def _padded(shown: str, size: int, width: int, right: bool) -> str:
    """A line of ``size`` cells padded to ``width``, on the left if ``right``."""
    pad = " " * (width - size)
    return pad + shown if right else shown + pad


def _base(
    text: Text,
    style: Callable[[str | Style], Style] | None,  # None: no colour
    extra: Style | None,
) -> Style | None:
    """The style of the whole cell: the text's own, and ``extra`` (the header's bold)."""
    base = style(text.style) if text.style and style else None
    if extra is not None:
        base = extra if base is None else base + extra
    return base


def _pieces(
    text: Text,
    line: CutLine,
    width: int,
    right: bool,
    base: Style | None,
    style: Callable[[str | Style], Style],
) -> Line:
    """One line of a cell in colour, padded to ``width``: its pieces in their styles."""
    a, shown, size = line
    pieces = _styled(text, a, a + len(shown), shown, base, style)
    pad = (" " * (width - size), None)
    return [pad, *pieces] if right else [*pieces, pad]


def _styled(
    text: Text,
    a: int,
    b: int,
    shown: str,
    base: Style | None,
    style: Callable[[str | Style], Style],
) -> Line:
    """``shown`` (the characters ``a`` to ``b`` of ``text``, the last maybe replaced by "…")
    cut where ``text``'s spans begin or end, each piece in its style."""
    if not text.spans:
        return [(shown, base)]
    edges = sorted({a, b, *(x for s in text.spans for x in (s.start, s.end) if a < x < b)})
    pieces: Line = []
    for lo, hi in pairwise(edges):
        at = base
        for span in text.spans:
            if span.start <= lo and hi <= span.end:
                at = style(span.style) if at is None else at + style(span.style)
        pieces.append((shown[lo - a : hi - a], at))
    return pieces


def _wrapped(text: str, width: int, narrow: bool) -> list[tuple[int, str]]:
    """``text`` broken into lines of at most ``width`` cells where it can be, at spaces:
    each line's offset and text (spaces after it kept). A word longer than the width
    stands on a line of its own. (The rule of rich's ``Text.wrap`` without folding.)
    ``narrow``: every character of ``text`` takes one cell."""
    lines: list[tuple[int, str]] = []
    start, used = 0, 0
    for word in _WORD.finditer(text):  # the word, with any spaces before it; then after it
        at, end = word.span()
        size = word.end(1) - at if narrow else cell_len(word.group(1))
        if used + size > width and at:  # the first word stays on the first line
            lines.append((start, text[start:at]))
            start, used = at, 0
        used += end - at if narrow else cell_len(word.group())
    lines.append((start, text[start:]))
    return lines


class GridTable:
    """A table with no box (the alignment table, ``--view table``): a title, a bold header,
    each column as wide as its widest cell, two spaces between columns and none at the
    edges, nothing wrapped: rich's ``Table(box=None, pad_edge=False)`` laid out the same
    way, or rich's own (:meth:`fallback`) where that is wider than the width given.

    ``rows`` hold one line of text per cell; a row's cells in the columns ``styled`` take
    that row's style from ``row_styles`` (a style name, "" for none), and every cell of a
    column its ``column_styles`` entry."""

    def __init__(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        styles: tuple[Sequence[str], Sequence[bool], Sequence[str]],
    ) -> None:
        self.title = title
        self.columns = columns
        self.rows = rows
        self.row_styles, self.styled, self.column_styles = styles

    def fallback(self) -> Table:
        """The same table laid out by rich, which wraps cells to fit."""
        table = Table(title=self.title, title_justify="left", box=None, pad_edge=False)
        for c, style in zip(self.columns, self.column_styles, strict=True):
            justify: JustifyMethod = "right" if c.right else "left"
            table.add_column(c.header, justify=justify, style=style or None)
        for row, row_style in zip(self.rows, self.row_styles, strict=True):
            table.add_row(
                *(
                    Text(t, style=row_style if s else "")
                    for t, s in zip(row, self.styled, strict=True)
                )
            )
        return table

    def widths(self, max_width: int) -> list[int] | None:
        """Each column's content width, or None if the table (padding included) or its title
        would be wider than ``max_width``."""
        widths = [
            max([_cells(c.header.plain), *(_cells(row[k]) for row in self.rows)])
            for k, c in enumerate(self.columns)
        ]
        total = sum(widths) + 2 * (len(widths) - 1)
        return widths if total <= max_width and _cells(self.title) <= total else None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(options.max_width)
        if widths is None:
            yield self.fallback()
            return
        plain = console.no_color or console.color_system is None
        total = sum(widths) + 2 * (len(widths) - 1)
        pad = total - _cells(self.title)
        yield Segment(self.title + " " * pad, None if plain else console.get_style("italic"))
        yield Segment.line()
        header = [c.header.plain for c in self.columns]
        bold = None if plain else Style(bold=True)
        yield from self._line(header, widths, ("",) * len(widths), bold, console)
        column_styles = ("",) * len(widths) if plain else self.column_styles
        for row, style in zip(self.rows, self.row_styles, strict=True):
            cells = column_styles
            if style and not plain:
                cells = [style if s else c for s, c in zip(self.styled, column_styles, strict=True)]
            yield from self._line(row, widths, cells, None, console)

    def _line(
        self,
        texts: Sequence[str],
        widths: Sequence[int],
        cell_styles: Sequence[str],
        extra: Style | None,
        console: Console,
    ) -> Iterator[Segment]:
        """One line: each text justified in its column, two spaces apart."""
        shown = []
        for text, width, column in zip(texts, widths, self.columns, strict=True):
            fill = " " * (width - _cells(text))
            shown.append(fill + text if column.right else text + fill)
        if extra is None and not any(cell_styles):
            yield Segment("  ".join(shown))
        else:
            for k, (text, name) in enumerate(zip(shown, cell_styles, strict=True)):
                style = console.get_style(name) if name else None
                if extra is not None:
                    style = extra if style is None else style + extra
                if k:
                    yield Segment("  ")
                yield Segment(text, style)
        yield Segment.line()


def _narrow(text: str) -> bool:
    """Whether every character of ``text`` takes one cell (printable ASCII)."""
    return text.isascii() and text.isprintable()


def _cells(text: str) -> int:
    """The width of ``text`` in cells."""
    return len(text) if _narrow(text) else cell_len(text)
