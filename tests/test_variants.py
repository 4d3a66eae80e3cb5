"""Variant analysis: runs, kinds relative to the base, categories."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.model import Category, VariantKind
from collate.variants import _runs, select
from tests.conftest import collate_texts


@pytest.mark.parametrize(
    ("a", "b", "category"),
    [
        ("I explained it", "I have explained it", Category.SUBSTANTIVE),
        ("good -- it", "good -it", Category.PUNCTUATION),
        ("The cat", "the cat", Category.CASE),
        ("the colour", "the color", Category.ORTHOGRAPHIC),
        ("a \ufb01ne day", "a fine day", Category.ORTHOGRAPHIC),
        ("any one here", "anyone here", Category.SPACING),
        ("a question of", "a question [sic] of", Category.MARKUP),
        ("said so.", "stated so.", Category.SUBSTANTIVE),
        ("It is. The", "It is the", Category.CASE),
        ("the national-defense act", "the national\u2014defense act", Category.PUNCTUATION),
        ("the national-defense act", "the national defense act", Category.PUNCTUATION),
        ("see 50 U.S.C. 1801", "see 50 U.S.\u0421. 1801", Category.ORTHOGRAPHIC),
        ("in \u03a4he war", "in The war", Category.ORTHOGRAPHIC),
        ("in 1941 the", "in 1942 the", Category.SUBSTANTIVE),
        ("page 12a here", "page 13a here", Category.SUBSTANTIVE),
    ],
)
def test_categories(a: str, b: str, category: Category) -> None:
    (variant,) = collate_texts(a, b).variants
    assert variant.category is category


def test_kinds_relative_to_the_base() -> None:
    (variant,) = collate_texts("I explained", "I have explained").variants
    assert variant.kind is VariantKind.ADDITION
    (variant,) = collate_texts("I explained", "I have explained", base="B").variants
    assert variant.kind is VariantKind.OMISSION
    (variant,) = collate_texts("I said so", "I stated so").variants
    assert variant.kind is VariantKind.SUBSTITUTION


def test_run_of_disagreement_is_one_variant_with_readings_as_written() -> None:
    (variant,) = collate_texts("he went to Rome today", "he did go to Rome today").variants
    assert variant.readings == ("went", "did go")
    assert variant.context_before == "he"
    assert variant.context_after == "to Rome today"


def test_normalised_match_still_reports_the_written_difference() -> None:
    (variant,) = collate_texts("good \u2014 it", "good -- it").variants
    assert variant.readings == ("\u2014", "--")
    assert variant.category is Category.PUNCTUATION


def test_select_only_and_exclude() -> None:
    variants = collate_texts("The cat sat on -- the mat", "the cat stood on - the mat").variants
    assert {v.category for v in variants} == {
        Category.CASE,
        Category.SUBSTANTIVE,
        Category.PUNCTUATION,
    }
    assert [v.category for v in select(variants, [Category.CASE])] == [Category.CASE]
    kept = select(variants, exclude=[Category.CASE, Category.PUNCTUATION])
    assert [v.category for v in kept] == [Category.SUBSTANTIVE]


def test_empty_witnesses() -> None:
    assert collate_texts("", "").variants == ()
    (variant,) = collate_texts("", "some words").variants
    assert variant.kind is VariantKind.ADDITION and variant.readings == ("", "some words")


def test_omission_by_some_witnesses_only() -> None:
    (variant,) = collate_texts("I have explained", "I explained", "I have explained").variants
    assert variant.kind is VariantKind.OMISSION
    assert variant.readings == ("have", "", "have")


@given(
    st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=40),
    st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=40),
    st.lists(st.sampled_from(["a", "b", "c", "x"]), max_size=40),
)
@settings(max_examples=150, deadline=None)
def test_text_runs_are_runs_of_consecutive_disagreeing_ranks(
    a: list[str], b: list[str], c: list[str]
) -> None:
    """Where no token is furniture or markup, a variant is a maximal run of consecutive
    disagreeing ranks (the shortcut ``_runs`` takes for such tables)."""
    for texts in ((a, b), (a, b, c)):
        alignment = collate_texts(*(" ".join(t) for t in texts)).alignment
        table = alignment
        ranks = table.disagreeing()
        expected: list[tuple[int, int, str]] = []
        for r in ranks:
            if expected and expected[-1][1] == r - 1:
                expected[-1] = (expected[-1][0], r, "text")
            else:
                expected.append((r, r, "text"))
        assert _runs(table) == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 99_999), st.integers(0, 99_999))
def test_numbers_that_differ_are_substantive(a: int, b: int) -> None:
    variants = collate_texts(f"in {a} the", f"in {b} the").variants
    assert [v.category for v in variants] == ([] if a == b else [Category.SUBSTANTIVE])
