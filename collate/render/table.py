"""CSV and TSV rendering of the alignment table: one row per rank, one column per witness.

Each cell is the witness's tokens at that rank, as written (joined like the
text, a space where the witness had whitespace); empty where it has nothing.
The ``csv`` module quotes cells that hold delimiters, quotes or newlines; a cell that a
spreadsheet would take for a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) starts with ``'``.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterable, Sequence

from collate._safe import encodable, spreadsheet_cell
from collate.model import Alignment
from collate.pipeline import Collation


def write_rows(out: io.StringIO, rows: Iterable[Sequence[object]], delimiter: str = ",") -> None:
    """Write ``rows`` as CSV (or TSV) lines ending in ``\\n``, quoted where needed.

    ``csv`` quotes a cell with a line feed but not one with a lone carriage return (it only
    knows the line terminator's characters), which readers take for a line end: a row with
    one (a siglum from a file name, say) is written with every cell quoted.
    """
    plain = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    quoted = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in str(cell) for cell in row) else plain).writerow(row)


def cell_columns(
    collation: Collation, shown: Callable[[str], str] = str
) -> tuple[Alignment, list[list[str]]]:
    """The rank table and, per witness, its cell at each rank: its token as written (a rank's
    cell holds one token at most) passed through ``shown``, or ``""`` where it has none.

    Read from the table's columns, each spelling passed through ``shown`` once, without
    making a :class:`~collate.model.Rank` or :class:`~collate.model.Token` per rank.
    """
    table = collation.alignment
    shown_once = {t: shown(t) for t in table.spellings}
    return table, [
        table.at_ranks(w, table.spelled(w, shown_once), "") for w in range(len(table.rows))
    ]


def render_table(collation: Collation, delimiter: str = ",") -> str:
    """The alignment table as CSV (``delimiter=","``) or TSV (``"\\t"``)."""
    out = io.StringIO()
    header = ["rank", *(spreadsheet_cell(s) for s in collation.alignment.sigla)]
    table, columns = cell_columns(collation, spreadsheet_cell)
    rows = itertools.chain([header], zip(range(1, len(table) + 1), *columns, strict=True))
    if any("\r" in cell for cell in itertools.chain(header, table.spellings)):
        write_rows(out, rows, delimiter)  # some rows are to be quoted whole
    else:
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return encodable(out.getvalue())
