"""Transpositions: a moved block is one variant linking both places; short words never move."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from collate.model import VariantKind
from collate.render.tei import render_tei
from collate.transpositions import _key, _key_of_blocks
from tests.conftest import collate_texts
from tests.oracles import json_document

A = "the committee met in Moscow on Monday morning to discuss the treaty"
B = "on Monday morning the committee met in Moscow to discuss the treaty"


def test_a_moved_block_is_one_transposition() -> None:
    (variant,) = collate_texts(A, B).variants
    assert variant.kind is VariantKind.TRANSPOSITION
    assert variant.readings == ("on Monday morning", "on Monday morning")
    assert variant.moved is not None
    a_place, b_place = variant.locations
    assert A[a_place.start : a_place.end] == "on Monday morning"
    assert B[b_place.start : b_place.end] == "on Monday morning"


def test_short_common_words_never_make_transpositions() -> None:
    kinds = [
        v.kind
        for v in collate_texts(
            "we went there of the people", "of the we went there people"
        ).variants
    ]
    assert VariantKind.TRANSPOSITION not in kinds
    kinds = [v.kind for v in collate_texts("the cat is black", "black is the cat").variants]
    assert VariantKind.TRANSPOSITION not in kinds


def test_both_places_in_json_and_tei() -> None:
    collation = collate_texts(A, B)
    (variant,) = json_document(collation, collation.variants)["variants"]  # type: ignore[misc]
    assert variant["moved"]["ranks"] == [8, 10]
    doc = etree.fromstring(render_tei(collation, collation.variants).encode())
    apps = doc.findall(".//{http://www.tei-c.org/ns/1.0}app")
    assert [(a.get("type"), a.get("n")) for a in apps] == [("transposition", "1")] * 2


def test_alignment_still_rebuilds_the_witnesses() -> None:
    collation = collate_texts(A, B, A)
    for w, tokens in enumerate(collation.tokens):
        assert [t for r in collation.alignment.ranks for t in r.cells[w]] == list(tokens)


_MOVING = st.lists(
    st.sampled_from(["the", "old", "grey", "mare", "is", "not", "what", "she", "used", "to", "be"]),
    max_size=14,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_MOVING, min_size=2, max_size=3))
def test_the_shortcuts_find_the_keys_the_definition_finds(texts: list[str]) -> None:
    collation = collate_texts(*texts)
    table = collation.alignment
    for variant in collation.variants:
        assert _key(table, variant, 0) == _key_of_blocks(table, variant, 0)
