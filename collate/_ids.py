"""Dense integer ids for the items of two sequences, for comparing them as ints."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence


def dense_ids(a: Sequence[Hashable], b: Sequence[Hashable]) -> tuple[list[int], list[int]]:
    """Each item of ``a`` and ``b`` as an int, equal items as equal ints, numbered from 0 in
    the order they first appear in ``a``, then ``b``."""
    distinct = dict.fromkeys(itertools.chain(a, b))  # in order of first appearance
    numbers = {item: n for n, item in enumerate(distinct)}
    return [numbers[x] for x in a], [numbers[x] for x in b]
