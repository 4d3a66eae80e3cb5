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

from collate.model import Alignment, TokenColumns

# the runs of whitespace other than a lone space (those that start with another whitespace
# character, or with a space and more): each becomes one space, as every run does (a lone
# space is left, which saves the work of replacing it by itself)
_SPACE = re.compile(r"[^\S ]\s*| \s+")


def _collapsed(text: str, a: int, b: int) -> str:
    """``text[a:b]``, each run of whitespace one space."""
    piece = text[a:b]
    return piece if piece == " " else _SPACE.sub(" ", piece)


def _between(text: str, column: TokenColumns, a: int, b: int) -> str:
    """What stands between token ``a`` and token ``b`` (``a < b``) of the witness: the
    text as written when they are neighbours, else one space."""
    if b != a + 1:
        return " "
    return _collapsed(text, column.end[a], column.start[b])


def _run(text: str, column: TokenColumns, indexes: Sequence[int]) -> str:
    """The tokens ``indexes`` (ascending) with what stands between them: each stretch of
    neighbouring tokens as the witness writes it, whitespace collapsed, stretches joined by
    one space."""
    if not indexes:
        return ""
    start, end = column.start, column.end
    if indexes[-1] - indexes[0] == len(indexes) - 1:  # one stretch: the commonest case
        return _collapsed(text, start[indexes[0]], end[indexes[-1]])
    stretches = []
    first = previous = indexes[0]
    for k in indexes[1:]:
        if k != previous + 1:
            stretches.append(_collapsed(text, start[first], end[previous]))
            first = k
        previous = k
    stretches.append(_collapsed(text, start[first], end[previous]))
    return " ".join(stretches)


def context_indexes(
    column: TokenColumns, window: tuple[int, int, int, int], size: int, body_only: bool
) -> tuple[Sequence[int], Sequence[int]]:
    """The context's tokens in a witness's ``window`` ``(lo, i, j, hi)`` (see
    :meth:`Alignment.window`): up to ``size`` of them nearest before ``i`` and after ``j``,
    page furniture left out if ``body_only``."""
    lo, i, j, hi = window
    if body_only and column.any_furniture:
        furniture = column.furniture
        before = [k for k in range(lo, i) if not furniture[k]][-size:]
        return before, [k for k in range(j, hi) if not furniture[k]][:size]
    return range(max(lo, i - size), i), range(j, min(hi, j + size))


def witness_context(
    table: Alignment, first: int, last: int, body_only: bool, w: int, text: str, size: int
) -> tuple[str, str]:
    """Witness ``w``'s context ``(before, after)`` of the variant at ranks ``first`` to
    ``last`` (``text``: its text; ``body_only``: furniture left out)."""
    column = table.tokens[w]
    window = table.window(w, first, last, size * 8)
    lo, i, j, _ = window
    before, after = context_indexes(column, window, size, body_only)
    left, right = _run(text, column, before), _run(text, column, after)
    if i < j:
        if before:
            left += _between(text, column, before[-1], i)
        if after:
            right = _between(text, column, j - 1, after[0]) + right
        return left, right
    # an empty reading stands right after the witness's last token before it
    if after and lo < i:
        right = _between(text, column, i - 1, after[0]) + right
    return left, right


def contexts_of(
    table: Alignment,
    spans: Sequence[tuple[int, int, bool]],
    texts: Sequence[str],
    size: int,
    inside: Sequence[Sequence[range]] | None = None,
) -> list[tuple[tuple[str, str], ...]]:
    """Every witness's context of each variant ``(first rank, last rank, furniture)`` in
    ``spans`` (``texts``: the witnesses' texts, in the alignment's order; ``inside``: each
    witness's tokens at each span, when known from :meth:`Alignment.token_ranges`); none
    when ``size`` is 0."""
    if size == 0 or not spans or not texts:
        return [()] * len(spans)
    each = [
        _contexts(table, spans, w, text, size, None if inside is None else inside[w])
        for w, text in enumerate(texts)
    ]
    return list(zip(*each, strict=True))


def _contexts(
    table: Alignment,
    spans: Sequence[tuple[int, int, bool]],
    w: int,
    text: str,
    size: int,
    inside: Sequence[range] | None,
) -> list[tuple[str, str]]:
    """Witness ``w``'s context of each variant in ``spans``. A witness without furniture
    (the commonest case) has two pieces of text for each: its tokens before and the text
    between them and the reading; the text between the reading (or the token before an empty
    one) and the tokens after, and those. They are cut out of its text and collapsed
    together (joined by a NUL, which no whitespace run crosses; one by one if the text holds
    a NUL)."""
    if table.tokens[w].any_furniture:
        return [
            witness_context(table, first, last, not furniture, w, text, size)
            for first, last, furniture in spans
        ]
    column = table.tokens[w]
    start, end, around = column.start, column.end, table.around
    pieces: list[str] = []
    for k, (first, last, _) in enumerate(spans):
        # its reading: tokens i to j; its tokens before b to i, after j to a
        b, i, j, a = around(w, first, last, size, size * 8, None if inside is None else inside[k])
        # its tokens before, with the text up to its reading (none before an empty one)
        left = text[start[b] : start[i] if i < j else end[i - 1]] if b < i else ""
        # the text after its reading (or after the token before an empty one, if that is
        # within reach) and its tokens after
        right = ""
        if j < a:
            right = text[end[j - 1] if i < j or b < i else start[j] : end[a - 1]]
        pieces += (left, right)
    flat = _SPACE.sub(" ", "\0".join(pieces)).split("\0")
    if len(flat) != len(pieces):  # a NUL in the witness's text: each piece on its own
        flat = [_SPACE.sub(" ", piece) for piece in pieces]
    return list(zip(flat[0::2], flat[1::2], strict=True))
