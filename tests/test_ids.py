"""collate._ids: dense integer ids for two sequences."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from collate._ids import dense_ids

ITEMS = st.lists(st.sampled_from(["a", "b", "c", "", "é", "a b"]), max_size=20)


@given(ITEMS, ITEMS)
def test_equal_items_get_equal_ids_numbered_by_first_appearance(a: list[str], b: list[str]) -> None:
    ka, kb = dense_ids(a, b)
    items, ids = a + b, ka + kb
    assert len(ka) == len(a) and len(kb) == len(b)
    for x, i in zip(items, ids, strict=True):
        for y, j in zip(items, ids, strict=True):
            assert (x == y) == (i == j)
    first = list(dict.fromkeys(ids))
    assert first == list(range(len(first)))


def test_example() -> None:
    assert dense_ids(["the", "cat", "the"], ["a", "cat"]) == ([0, 1, 0], [2, 1])
