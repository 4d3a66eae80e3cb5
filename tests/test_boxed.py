"""The boxed table drawn line by line (collate/render/boxed.py)."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from collate.render.boxed import BoxedTable, Column, GridTable, _narrow, _wrapped


def _plain(renderable: object, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(renderable)
    return buffer.getvalue()


def _table(rows: list[list[Text]]) -> tuple[BoxedTable, Table]:
    """The table, and the same written by hand for rich (the oracle, apart from the
    table's own fallback)."""
    columns = [Column(Text("#"), right=True), Column(Text("a"), text=True), Column(Text("k"))]
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("a", ratio=1)
    table.add_column("k", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return BoxedTable(columns, rows), table


def _wrap(text: str, width: int) -> list[tuple[int, str]]:
    return _wrapped(text, width, _narrow(text))


def test_wrapped_at_spaces_a_long_word_on_its_own_line() -> None:
    assert _wrap("one two three", 7) == [(0, "one two "), (8, "three")]
    assert _wrap("one two three", 6) == [(0, "one "), (4, "two "), (8, "three")]
    assert _wrap("a bcdefghijkl m", 5) == [(0, "a "), (2, "bcdefghijkl "), (14, "m")]
    assert _wrap("漢字 漢字", 4) == [(0, "漢字 "), (3, "漢字")]  # two cells a character
    assert _wrap("", 5) == [(0, "")]


@given(st.text(alphabet=" ab-", max_size=40), st.integers(1, 12))
def test_wrapped_narrow_text_measured_by_length_as_by_cells(text: str, width: int) -> None:
    # printable ASCII takes a cell a character: counting characters wraps it the same
    assert _wrapped(text, width, True) == _wrapped(text, width, False)


def test_table_as_rich_draws_it() -> None:
    rows = [
        [Text("1"), Text("a reading that wraps over several lines of the column"), Text("x")],
        [Text("10"), Text("averyveryverylongwordthatcannotwrap and more"), Text("yy\nz")],
    ]
    table, rich = _table(rows)
    for width in (30, 40, 80):
        assert table.widths(width) is not None
        assert _plain(table, width) == _plain(rich, width) == _plain(table.fallback(), width)
    assert "…" in _plain(table, 30)  # the long word cut, as rich cuts it


def test_too_narrow_is_left_to_rich() -> None:
    table, rich = _table([[Text("1"), Text("text"), Text("a very long fixed cell")]])
    assert table.widths(34) == [3, 3, 24]  # one cell of text: as rich lays it out
    assert _plain(table, 34) == _plain(rich, 34)
    assert table.widths(33) is None  # not even that: rich squeezes the other columns
    assert _plain(table, 33) == _plain(rich, 33)


def test_widths_share_what_the_fixed_columns_leave() -> None:
    columns = [Column(Text("#")), Column(Text("a"), text=True), Column(Text("b"), text=True)]
    table = BoxedTable(columns, [[Text("123"), Text("x"), Text("y")]])
    # 40 cells: 4 bars, "123" and padding 5, left 31: 16 then 15
    assert table.widths(40) == [5, 16, 15]


def _grid(rows: list[list[str]], title: str = "T") -> tuple[GridTable, Table]:
    columns = [Column(Text("n"), right=True), Column(Text("text"))]
    table = Table(title=title, title_justify="left", box=None, pad_edge=False)
    table.add_column("n", justify="right", style="dim")
    table.add_column("text")
    for row in rows:
        table.add_row(*row)
    styles = ([""] * len(rows), [False, True], ["dim", ""])
    return GridTable(title, columns, rows, styles), table


def test_grid_as_rich_draws_it_or_left_to_rich() -> None:
    rows = [["1", "alpha"], ["10", "漢字"], ["100", ""]]
    grid, rich = _grid(rows)
    assert grid.widths(20) == [3, 5]  # widest cell or header, two spaces between
    assert _plain(grid, 20) == _plain(rich, 20) == _plain(grid.fallback(), 20)
    assert grid.widths(10) == [3, 5] and grid.widths(9) is None  # wider than the terminal
    assert _plain(grid, 9) == _plain(rich, 9)
    assert _grid(rows, title="a title longer than the table")[0].widths(80) is None
