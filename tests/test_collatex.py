"""CollateX compatibility and N-way collation on the field's classic cases.

The expected tables come from CollateX's own Java tests (tests/data/collatex/PROVENANCE.txt).
Where our alignment differs on purpose, a test pins ours and says why it reads better.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings

from collate._safe import json_encodable
from collate.model import Category, Token, VariantKind
from collate.pipeline import Collation, collate
from collate.readers import load_witness, read_witnesses
from collate.render.collatex import render_collatex
from tests.conftest import witness_texts
from tests.test_cli import run

DATA = Path(__file__).parent / "data" / "collatex"
CASES = {
    c["test"]: c
    for c in json.loads((DATA / "collatex_java_tests_expected_tables.json").read_text())["cases"]
}


def _rows(case: str) -> list[str]:
    witnesses = [load_witness(t, f"w{i}") for i, t in enumerate(CASES[case]["witnesses"])]
    ranks = collate(witnesses).alignment.ranks
    return [
        "|" + "|".join(" ".join(t.norm for t in r.cells[w]) or " " for r in ranks) + "|"
        for w in range(len(witnesses))
    ]


@pytest.mark.parametrize(
    "case",
    [
        "doubleTransposition2",
        "doubleTransposition3",
        "simpleTransposition",
        "transposition2",
        "transposition2Reordered",
        "everythingMatches",
        "variant",
        "testSimpleSpencerHowe",
    ],
)
def test_same_table_as_collatex(case: str) -> None:
    assert _rows(case) == [r["row"] for r in CASES[case]["expected_rows"]]


PINNED = {
    # CollateX aligns "is" and calls "the cat" and "black" transposed. We keep the longest run
    # the witnesses share in order ("the cat") aligned and show the rest as added and left out:
    # single words moving are not reported as transpositions (see docs/stages/variants.md).
    "doubleTransposition1": ["| | |the|cat|is|black|", "|black|is|the|cat| | |"],
    # Same reasoning: the shared run "is the cat" / "the cat is" is kept in order.
    "additionInCombinationWithTransposition2": [
        "| | | | |the|cat|is|black|",
        "|black| | |is|the|cat| | |",
        "|black|and|white|is|the|cat| | |",
    ],
    # CollateX puts w0's "c" against w1's "z". We leave "c" on its own: "c" and "z" are not the
    # same word, and w2 has x y z exactly where w1 has them, so the x y z column stays whole.
    "alignmentTable": ["|a|b| | | |c|d|e|f|", "| | |x|y|z| |d|e| |", "|a|b|x|y|z| | | | |"],
    # "black" is the word all four witnesses share, so it is one column; CollateX splits it to
    # keep w0's word order. Reading down the "black" column shows the agreement at a glance.
    "transposition1": [
        "|the|white|and|black| | |cat|",
        "|the| | |black| | |cat|",
        "|the| | |black|and|white|cat|",
        "|the| | |black|and|green|cat|",
    ],
    # Equivalent to CollateX's table; "very special" of w3 stands under w2's "very special".
    "witnessReorder": [
        "|the|black| | | |cat|",
        "|the|black| |and|white|cat|",
        "|the|black|not|very|special|cat|",
        "|the|black| |very|special|cat|",
    ],
}


@pytest.mark.parametrize("case", sorted(PINNED))
def test_deliberate_differences_are_pinned(case: str) -> None:
    assert _rows(case) == PINNED[case]


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_case_rebuilds_its_witnesses(case: str) -> None:
    witnesses = [load_witness(t, f"w{i}") for i, t in enumerate(CASES[case]["witnesses"])]
    collation = collate(witnesses)
    for w, tokens in enumerate(collation.tokens):
        assert [t for r in collation.alignment.ranks for t in r.cells[w]] == list(tokens)


def test_pretokenised_input_keeps_tokens_and_their_n() -> None:
    (a, b) = read_witnesses([DATA / "pythonport_json-test1.json"])
    collation = collate([a, b])
    assert [t.text for t in collation.tokens[0]][-1] == "dog."  # given tokens are not re-cut
    assert [v.readings for v in collation.variants] == [("quick", ""), ("", "lazy")]


def test_given_n_is_the_normalised_form(tmp_path: Path) -> None:
    data = {
        "witnesses": [
            {"id": "A", "tokens": [{"t": "Colour", "n": "color"}, {"t": "red"}]},
            {"id": "B", "tokens": [{"t": "Color", "n": "color"}, {"t": "red"}]},
        ]
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data))
    collation = collate(read_witnesses([path]))
    assert collation.tokens[0][0].norm == "color" and collation.tokens[0][0].rules == ("given",)
    (variant,) = collation.variants
    assert variant.readings == ("Colour", "Color") and len(collation.alignment.ranks) == 2


def test_collatex_json_output_shape() -> None:
    collation = collate(read_witnesses([DATA / "fixture_base-4w.json"]))
    data = json.loads(render_collatex(collation))
    assert data["witnesses"] == ["doc1", "doc2", "doc3", "doc4"]
    assert len(data["table"]) == 4 and all(len(row) == 3 for row in data["table"])
    cell = data["table"][1][1][0]
    assert set(cell) == {"_sigil", "_token_array_position", "t", "n"} and cell["_sigil"] == "doc2"


def test_darwin_chapter_collates_completely() -> None:
    collation = collate(read_witnesses([DATA / "darwin_origin_ch1_paragraphs_6editions.json"]))
    assert collation.alignment.sigla == ("1859", "1860", "1861", "1866", "1869", "1872")
    for w, tokens in enumerate(collation.tokens):
        assert len(tokens) > 12_000
        assert [t for r in collation.alignment.ranks for t in r.cells[w]] == list(tokens)
    assert len(collation.variants) > 500


def test_darwin_paragraph_one_known_variants() -> None:
    collation = collate(read_witnesses([DATA / "darwin_chapter1_para1.json"]))
    found = {v.readings: v for v in collation.variants}
    heading = (
        "",
        "",
        "",
        "Causes of Variability.",
        "Causes of Variability.",
        "Causes of Variability.",
    )
    assert found[heading].kind is VariantKind.ADDITION  # the heading added in 1866
    look = found[("look to", "look to", "look to", "look to", "compare", "compare")]
    assert look.category is Category.SUBSTANTIVE  # 1869 rewrites "look to" as "compare"
    assert ("have", "have", "have", "have", "had", "had") in found
    assert found[("often", "often", "often", "often", "", "")].kind is VariantKind.OMISSION


def test_cli_reads_collatex_json_and_writes_its_table() -> None:
    code, out, _ = run("compare", str(DATA / "fixture_base-4w.json"), "--format", "collatex-json")
    assert code == 0 and json.loads(out)["witnesses"] == ["doc1", "doc2", "doc3", "doc4"]
    code, out, _ = run("compare", str(DATA / "fixture_base-4w.json"), "--view", "table")
    assert code == 0 and "Alignment table" in out and "X1" in out and "Y4" in out


def test_bad_collatex_input(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"witnesses": [{"content": "x"}]}')
    code, _, err = run("compare", str(path))
    assert code == 3 and "witness 0 has no 'id'" in err


def test_many_witnesses(memo: Collation) -> None:
    texts = [
        f"the {w} cat sat on the mat number {n}"
        for n, w in enumerate(["black"] * 15 + ["white"] * 15)
    ]
    collation = collate([load_witness(t, f"W{i}") for i, t in enumerate(texts)])
    assert len(collation.alignment.sigla) == 30
    colour = next(v for v in collation.variants if "black" in v.readings)
    assert set(colour.readings) == {"black", "white"}


def _spaced_after(tokens: Sequence[Token], k: int) -> bool:
    return k + 1 < len(tokens) and tokens[k + 1].space_before


def _collatex_from_objects(collation: Collation) -> str:
    """The table as dicts built from Rank and Token objects, encoded by ``json.dumps``."""
    table = []
    for w, tokens in enumerate(collation.tokens):
        row: list[list[dict[str, object]] | None] = []
        for rank in collation.alignment.ranks:
            cell = rank.cells[w]
            row.append(
                [
                    {
                        "_sigil": t.siglum,
                        "_token_array_position": t.index,
                        "t": t.text
                        + (
                            " "
                            if t.index + 1 < len(tokens) and tokens[t.index + 1].space_before
                            else ""
                        ),
                        "n": t.norm,
                    }
                    for t in cell
                ]
                or None
            )
        table.append(row)
    data = {"witnesses": list(collation.alignment.sigla), "table": table}
    return json_encodable(json.dumps(data, ensure_ascii=False)) + "\n"


@settings(max_examples=60, deadline=None)
@given(witness_texts('ab "\\\u2028\ud800é.\n\r\t-'))
def test_collatex_json_is_what_json_dumps_gives(texts: list[str]) -> None:
    # written straight from the columns; the same text as the dicts of the objects give
    witnesses = [load_witness(t, f"w{i}\ud800") for i, t in enumerate(texts)]
    collation = collate(witnesses)
    assert render_collatex(collation) == _collatex_from_objects(collation)


def test_collatex_json_of_empty_witnesses() -> None:
    collation = collate([load_witness("", "A"), load_witness("", "B")])
    assert json.loads(render_collatex(collation)) == {"witnesses": ["A", "B"], "table": [[], []]}
    collation = collate([load_witness("", "A"), load_witness("a  b", "B")])
    assert render_collatex(collation) == _collatex_from_objects(collation)


@pytest.mark.parametrize(
    ("ids", "second", "first"), [(["A", "B", "A"], 2, 0), (["A", "A", "A"], 1, 0), ([1, "1"], 1, 0)]
)
def test_duplicate_witness_ids_are_refused(
    tmp_path: Path, ids: list[object], second: int, first: int
) -> None:
    witnesses = [{"id": i, "content": f"text {k}"} for k, i in enumerate(ids)]
    path = tmp_path / "dup.json"
    path.write_text(json.dumps({"witnesses": witnesses}))
    code, out, err = run("compare", str(path))
    assert (code, out) == (3, "")
    assert err == (
        f"Error: {path}: witness {second} has the id '{ids[second]}', as witness {first} does; "
        "give each witness of a collation its own id\n"
    )
