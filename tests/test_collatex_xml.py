"""CollateX XML input: every example of the black cat and Beckett use cases collated, the
XML tokenizer's witnesses with <subst>/<del>/<add>, sigla and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from collate.collatex_xml import examples, is_collatex_xml, read_example
from collate.errors import InputError
from collate.pipeline import CollationOptions, collate
from collate.readers import ReadOptions, read_sources
from collate.tei_reader import Layer, TeiOptions

DATA = Path(__file__).resolve().parent / "data" / "collatex_xml"
BLACKCAT = DATA / "collatex_usecase_examples_blackcat.xml"
BECKETT = DATA / "beckett_stirrings_still_examples.xml"
TOKENIZER = DATA / "xmltokenizer_testwitnesses.xml"


def _count(path: Path) -> int:
    return len(examples(path.read_bytes(), str(path)))


@pytest.mark.parametrize(
    ("path", "k"),
    [(BLACKCAT, k) for k in range(1, _count(BLACKCAT) + 1)]
    + [(BECKETT, k) for k in range(1, _count(BECKETT) + 1)],
)
def test_every_example_is_collated(path: Path, k: int) -> None:
    witnesses = read_sources([path], ReadOptions(example=k))
    assert len(witnesses) >= 2
    collation = collate(tuple(witnesses), CollationOptions())
    alignment = collation.alignment
    for w, tokens in enumerate(alignment.tokens):  # every token of every witness, in order
        assert [k for k in alignment.rows[w] if k >= 0] == list(range(len(tokens)))
    assert [t.siglum for t in alignment.tokens] == [w.siglum for w in witnesses]


def test_first_blackcat_example() -> None:
    witnesses = read_sources([BLACKCAT], ReadOptions(example=1))
    assert [(w.siglum, w.text) for w in witnesses][:2] == [
        ("A", "The black cat"),
        ("B", "The black and white cat"),
    ]
    collation = collate(tuple(witnesses), CollationOptions())
    readings = [v.readings for v in collation.variants]
    assert ("", "and white", "and green", "very special", "not very special") in readings


def test_subst_del_add_inside_witnesses() -> None:
    data = TOKENIZER.read_bytes()
    after = {w.siglum: w.text for w in read_example(data, "t.xml")}
    assert after["Wit1a"] == "bench by the weir"
    assert after["Wit3a"] == "The third attempt."
    assert after["Wit5a"] == "the farthest"
    before = {
        w.siglum: w.text for w in read_example(data, "t.xml", None, TeiOptions(layer=Layer.BEFORE))
    }
    assert before["Wit1a"] == "bench by the lock"
    assert before["Wit3a"] == "The first attempt."
    assert before["Wit5a"] == "the furthest"


def test_app_reads_its_lem_else_its_first_rdg() -> None:
    data = b"<witnesses><wit n='X'>a <app><rdg>b</rdg><lem>c</lem></app> d</wit></witnesses>"
    assert read_example(data, "t.xml")[0].text == "a c d"
    data = b"<witnesses><wit n='X'>a <app><rdg>b</rdg><rdg>c</rdg></app> d</wit></witnesses>"
    assert read_example(data, "t.xml")[0].text == "a b d"


def test_sigla_from_sigil_else_by_position() -> None:
    data = b"<example><witness sigil='W1'>a</witness><witness>b</witness></example>"
    assert [w.siglum for w in read_example(data, "t.xml")] == ["W1", "B"]


def test_detected_by_root_element() -> None:
    assert is_collatex_xml(BLACKCAT.read_bytes())
    assert is_collatex_xml(TOKENIZER.read_bytes())
    assert not is_collatex_xml(b"<TEI/>")


def test_several_examples_need_a_choice() -> None:
    with pytest.raises(InputError) as caught:
        read_example(BLACKCAT.read_bytes(), "b.xml")
    assert str(caught.value) == (
        "b.xml: the file holds 22 CollateX examples; choose one with example (1 to 22)"
    )


def test_an_example_out_of_range_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        read_example(BLACKCAT.read_bytes(), "b.xml", 23)
    assert str(caught.value) == "b.xml: no example 23; the file holds 22, give example from 1 to 22"
