"""Dense integer ids for the items of two sequences, so that C code compares ints."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence


def dense_ids(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[list[int], list[int]]:
    """Each item of ``a`` and ``b`` as an int, equal items as equal ints, numbered from 0 in
    the order they first appear in ``a``, then ``b`` (all of it in C)."""
    numbers = dict(zip(dict.fromkeys(itertools.chain(a, b)), itertools.count()))
    return list(map(numbers.__getitem__, a)), list(map(numbers.__getitem__, b))
