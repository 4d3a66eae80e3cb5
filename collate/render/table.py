"""CSV and TSV rendering of the alignment table: one row per rank, one column per witness.

Each cell is the witness's tokens at that rank, as written (joined like the
text, a space where the witness had whitespace); empty where it has nothing.
The ``csv`` module quotes cells that hold delimiters, quotes or newlines.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence

from collate._safe import encodable
from collate.pipeline import Collation
from collate.variants import join


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


def render_table(collation: Collation, delimiter: str = ",") -> str:
    """The alignment table as CSV (``delimiter=","``) or TSV (``"\\t"``)."""
    out = io.StringIO()
    header = ["rank", *collation.alignment.sigla]
    ranks = collation.alignment.ranks
    rows = ([n, *(join(cell) for cell in rank.cells)] for n, rank in enumerate(ranks, start=1))
    write_rows(out, itertools.chain([header], rows), delimiter)
    return encodable(out.getvalue())
