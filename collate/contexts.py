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
    """The tokens ``indexes`` (ascending) with what stands between them: each stretch of
    neighbouring tokens as the witness writes it, whitespace collapsed, stretches joined by
    one space."""
    if not indexes:
        return ""
    stretches = []
    first = previous = indexes[0]
    for k in indexes[1:]:
        if k != previous + 1:
            stretches.append(_written(text, column, first, previous))
            first = k
        previous = k
    stretches.append(_written(text, column, first, previous))
    return " ".join(stretches)


def _written(text: str, column: TokenColumns, first: int, last: int) -> str:
    """Tokens ``first`` to ``last`` and what stands between them, as written, each run of
    whitespace one space."""
    return _SPACE.sub(" ", text[column.start[first] : column.end[last]])


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
