"""CSV/TSV alignment table: one row per rank, one column per witness, quoted properly."""

from __future__ import annotations

import csv
import io

from collate.render.table import render_table
from tests.conftest import MEMO, collate_texts
from tests.test_cli import run


def test_rows_and_columns_round_trip() -> None:
    collation = collate_texts('he said, "no" & left', 'he said "yes" & left')
    rows = list(csv.reader(io.StringIO(render_table(collation))))
    assert rows[0] == ["rank", "A", "B"]
    assert len(rows) == len(collation.alignment.ranks) + 1
    assert ["3", ",", ""] in rows
    assert ["4", '"', '"'] in rows
    rebuilt = [cell for row in rows[1:] for cell in row[1:2] if cell]
    assert rebuilt == [t.text for t in collation.tokens[0]]


def test_tsv() -> None:
    collation = collate_texts("a\tb", "a c")
    rows = list(csv.reader(io.StringIO(render_table(collation, "\t")), delimiter="\t"))
    assert rows == [["rank", "A", "B"], ["1", "a", "a"], ["2", "b", "c"]]


def test_cli_formats() -> None:
    code, out, _ = run("compare", str(MEMO), "--format", "csv")
    assert code == 0 and out.startswith("rank,scan,transcript\n")
    code, out, _ = run("compare", str(MEMO), "--format", "tei")
    assert code == 0 and out.startswith("<?xml") and "<title>The President's" in out
