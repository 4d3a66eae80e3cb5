"""Page furniture decided across witnesses, after alignment.

Segmentation tells page furniture from body text in each witness on its own, so an OCR that
takes a document's title for a running head would make the title an omission in a transcript
that has it as text. The rule, applied once the witnesses are aligned: a furniture segment is
body text when more than half of its words (normalised, in order) stand as body text of
another witness, unmatched by this one, within the same stretch of disagreeing ranks. The
witnesses are then aligned again with those segments as body text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from collate._lcs import NONE, lcs_match
from collate._spans import consecutive
from collate.model import Alignment, Segment, SegmentKind, TokenColumns, TokenKind


def _words(column: TokenColumns, indexes: Sequence[int]) -> list[str]:
    return [column.norm[k] for k in indexes if column.kind[k] is TokenKind.WORD]


def _unmatched_words(table: Alignment, w: int, v: int, first: int, end: int) -> list[str]:
    """The words of witness ``v``'s body text at ranks ``first`` to ``end`` where witness
    ``w`` has no token."""
    other, row = table.tokens[v], table.rows[w]
    indexes = [
        k
        for r, k in enumerate(table.rows[v][first:end], start=first)
        if k != NONE and not other.furniture[k] and row[r] == NONE
    ]
    return _words(other, indexes)


def _body_elsewhere(table: Alignment, w: int, first: int, end: int) -> set[int]:
    """The segments of witness ``w`` that are furniture at ranks ``first`` to ``end`` and
    whose words are body text of another witness there (see the module's docstring)."""
    column = table.tokens[w]
    by_segment: dict[int, list[int]] = {}
    for k in table.token_indexes(w, first, end):
        if column.furniture[k]:
            by_segment.setdefault(column.segment[k], []).append(k)
    if not by_segment:
        return set()
    theirs = [
        (words, set(words))
        for words in (
            _unmatched_words(table, w, v, first, end) for v in range(len(table.tokens)) if v != w
        )
    ]
    found: set[int] = set()
    for segment, indexes in by_segment.items():
        words = _words(column, indexes)
        for other, known in theirs:
            if _mostly_in(words, other, known):
                found.add(segment)
                break
    return found


def _mostly_in(words: list[str], other: list[str], known: set[str]) -> bool:
    """Whether more than half of ``words`` stand in ``other`` (whose set is ``known``) in
    the same order."""
    if not words or 2 * sum(1 for t in words if t in known) <= len(words):
        return False  # too few of them there at all (a quick test before the exact one)
    ids: dict[str, int] = {}
    a = [ids.setdefault(t, len(ids)) for t in words]
    b = [ids.setdefault(t, len(ids)) for t in other]
    return 2 * sum(1 for j in lcs_match(a, b) if j != NONE) > len(words)


def reconcile(
    table: Alignment, segments: Sequence[Sequence[Segment]]
) -> tuple[tuple[TokenColumns, ...], tuple[tuple[Segment, ...], ...]] | None:
    """Each witness's tokens and segments with the furniture segments that are body text
    elsewhere made body text, or ``None`` when there are none."""
    if not any(column.any_furniture for column in table.tokens):
        return None
    flipped: list[set[int]] = [set() for _ in table.tokens]
    for first, end in consecutive(table.disagreeing()):  # each run of disagreeing ranks
        for w, column in enumerate(table.tokens):
            if column.any_furniture:
                flipped[w] |= _body_elsewhere(table, w, first, end)
    if not any(flipped):
        return None
    tokens = tuple(
        replace(
            column,
            furniture=bytes(
                f and s not in chosen for f, s in zip(column.furniture, column.segment, strict=True)
            ),
        )
        if chosen
        else column
        for column, chosen in zip(table.tokens, flipped, strict=True)
    )
    kept = tuple(
        tuple(
            replace(s, kind=SegmentKind.BODY, furniture=None) if s.index in chosen else s
            for s in segs
        )
        for segs, chosen in zip(segments, flipped, strict=True)
    )
    return tokens, kept
