"""Each witness's context of a variant: its own text around its own reading, as written.

The context of witness ``w`` is up to ``size`` of ``w``'s tokens each side of its reading
(body text only, unless the variant is furniture; looked for within ``size * 8`` ranks), and
the text between them taken from the witness as written, whitespace collapsed to one space.
Tokens that do not stand next to each other in the witness (furniture left out between
them) are joined by one space. An empty reading stands right after the witness's last token
before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from collate.model import Alignment, Category, TokenColumns, Variant, Witness
from collate.variants import nearest_tokens

_SPACE = re.compile(r"\s+")


def _between(text: str, column: TokenColumns, a: int, b: int) -> str:
    """What stands between token ``a`` and token ``b`` (``a < b``) of the witness: the
    text as written when they are neighbours, else one space."""
    if b != a + 1:
        return " "
    return _SPACE.sub(" ", text[column.end[a] : column.start[b]])


def _run(text: str, column: TokenColumns, indexes: Sequence[int]) -> str:
    """The tokens ``indexes`` (ascending) with what stands between them."""
    if not indexes:
        return ""
    parts = [text[column.start[indexes[0]] : column.end[indexes[0]]]]
    for a, b in pairwise(indexes):
        parts.append(_between(text, column, a, b))
        parts.append(text[column.start[b] : column.end[b]])
    return "".join(parts)


def witness_context(
    table: Alignment, variant: Variant, w: int, text: str, size: int
) -> tuple[str, str]:
    """Witness ``w``'s context ``(before, after)`` of ``variant`` (``text``: its text)."""
    first, last = variant.first_rank, variant.last_rank
    column = table.tokens[w]
    body_only = variant.category is not Category.FURNITURE
    inside = table.token_indexes(w, first, last + 1)
    before = nearest_tokens(table, w, first, size, body_only, backwards=True)[::-1]
    after = nearest_tokens(table, w, last + 1, size, body_only, backwards=False)
    left, right = _run(text, column, before), _run(text, column, after)
    if inside:
        if before:
            left += _between(text, column, before[-1], inside[0])
        if after:
            right = _between(text, column, inside[-1], after[0]) + right
        return left, right
    # an empty reading stands right after the witness's last token before it
    previous = table.token_indexes(w, max(0, first - size * 8), first)
    if after and previous:
        right = _between(text, column, previous[-1], after[0]) + right
    return left, right


def with_contexts(
    table: Alignment, variants: Sequence[Variant], witnesses: Sequence[Witness], size: int
) -> tuple[Variant, ...]:
    """The variants, each with every witness's own context (see the module's docstring)."""
    if size == 0:
        return tuple(variants)
    texts = [w.text for w in witnesses]
    return tuple(
        replace(
            v,
            contexts=tuple(witness_context(table, v, w, texts[w], size) for w in range(len(texts))),
        )
        for v in variants
    )
