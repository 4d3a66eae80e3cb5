"""CSV/TSV alignment table: one row per rank, one column per witness, quoted properly."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from collate._safe import encodable, spreadsheet_cell
from collate.pipeline import Collation, collate
from collate.readers import load_witness
from collate.render.table import render_table, write_rows
from tests.conftest import MEMO, collate_texts, witness_texts
from tests.oracles import join
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


def _table_from_objects(collation: Collation, delimiter: str) -> str:
    """The table written a Rank at a time, each cell joined from its Token objects (and made
    safe for spreadsheets)."""
    out = io.StringIO()
    rows = (
        [n, *(spreadsheet_cell(join(cell)) for cell in rank.cells)]
        for n, rank in enumerate(collation.alignment.ranks, start=1)
    )
    header = ["rank", *(spreadsheet_cell(s) for s in collation.alignment.sigla)]
    write_rows(out, [header, *rows], delimiter)
    return encodable(out.getvalue())


@settings(max_examples=60, deadline=None)
@given(
    witness_texts('ab ",;\\\ud800é.\n\r\t-=+@'),
    st.sampled_from([",", "\t"]),
    st.booleans(),
)
def test_table_is_what_the_rows_of_objects_give(
    texts: list[str], delimiter: str, cr_siglum: bool
) -> None:
    # written from the columns; the same text as the Rank objects give, quoting included
    sigla = [f"w{i}" + ("\r" if cr_siglum else "") for i in range(len(texts))]
    collation = collate([load_witness(t, s) for t, s in zip(texts, sigla, strict=True)])
    assert render_table(collation, delimiter) == _table_from_objects(collation, delimiter)


def test_table_of_empty_witnesses() -> None:
    assert render_table(collate_texts("", "")) == "rank,A,B\n"


@settings(max_examples=150, deadline=None)
@given(witness_texts("ab ,-"))
def test_disagreeing_ranks_are_those_whose_texts_differ_or_lack_a_token(texts: list[str]) -> None:
    table = collate_texts(*texts).alignment
    expected = [
        r
        for r, rank in enumerate(table.ranks)
        if not all(rank.cells) or len({cell[0].text for cell in rank.cells}) > 1
    ]
    assert table.disagreeing() == expected
    if len(texts) >= 2:
        assert list(table.differing(0, 1)) == [
            not (rank.cells[0] and rank.cells[1] and rank.cells[0][0].text == rank.cells[1][0].text)
            for rank in table.ranks
        ]
