"""CSV and TSV rendering of the alignment table: one row per rank, one column per witness.

Each cell is the witness's tokens at that rank, as written (joined like the
text, a space where the witness had whitespace); empty where it has nothing.
The ``csv`` module quotes cells that hold delimiters, quotes or newlines.
"""

from __future__ import annotations

import csv
import io

from collate.pipeline import Collation
from collate.variants import join


def render_table(collation: Collation, delimiter: str = ",") -> str:
    """The alignment table as CSV (``delimiter=","``) or TSV (``"\\t"``)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["rank", *collation.alignment.sigla])
    for number, rank in enumerate(collation.alignment.ranks, start=1):
        writer.writerow([number, *(join(cell) for cell in rank.cells)])
    return out.getvalue()
