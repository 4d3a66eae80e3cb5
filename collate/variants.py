"""Variant analysis: an :class:`Alignment` -> classified :class:`Variant` s.

A rank agrees when every witness has the same tokens there, as written.
Each maximal run of disagreeing ranks of one class becomes a variant; the
classes are furniture (every token is page furniture), markup (every token
is an editorial mark, redaction or layout glyph) and text. A furniture run is
also cut wherever the furniture lines it comes from change, so that
unrelated furniture in two witnesses is never reported as one substitution.

``kind`` is relative to the base witness: ``addition`` (the base has
nothing), ``omission`` (the base has something, the others nothing),
``substitution`` otherwise. ``category`` is the strongest difference, tested
in this order, each test on top of the previous ones: markup (differences
only in markup tokens), spacing (the same characters, split differently),
punctuation, case, orthographic (equal once normalised, or word for word
similar), else substantive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from collate.columns import RankTable, as_table
from collate.model import (
    MARKUP_TOKEN_KINDS,
    Alignment,
    Category,
    Location,
    Rank,
    Token,
    TokenKind,
    Variant,
    VariantKind,
)


@dataclass(frozen=True)
class VariantOptions:
    """Base witness (index), context size in tokens, near-match similarity.

    ``has_base=False``: no base; kinds are left out and ``base`` only gives the context.
    """

    base: int = 0
    has_base: bool = True
    context: int = 4
    near_match: float = 0.7


def join(tokens: Iterable[Token]) -> str:
    """Tokens as written, a space wherever the witness had whitespace."""
    parts: list[str] = []
    for token in tokens:
        if parts and token.space_before:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)


def _agrees(rank: Rank) -> bool:
    first = [t.text for t in rank.cells[0]]
    return all([t.text for t in cell] == first for cell in rank.cells[1:])


def _rank_class(rank: Rank) -> str:
    tokens = [t for cell in rank.cells for t in cell]
    if all(t.furniture for t in tokens):
        return "furniture"
    if all(t.kind in MARKUP_TOKEN_KINDS for t in tokens):
        return "markup"
    return "text"


def _signature(rank: Rank) -> tuple[int | None, ...]:
    return tuple(cell[0].segment if cell else None for cell in rank.cells)


def _runs(table: RankTable) -> list[tuple[int, int, str]]:
    """``(first, last, class)`` of each run of disagreeing ranks."""
    runs: list[tuple[int, int, str]] = []
    previous: tuple[int, str, tuple[int | None, ...]] | None = None
    for r in table.disagreeing():
        rank = table[r]
        if previous is not None and previous[0] != r - 1:
            previous = None  # an agreeing rank stood between
        cls, sig = _rank_class(rank), _signature(rank)
        same = previous is not None and previous[1] == cls
        if same and cls == "furniture" and previous is not None and previous[2] != sig:
            same = False
        if same:
            runs[-1] = (runs[-1][0], r, cls)
        else:
            runs.append((r, r, cls))
        previous = (r, cls, sig)
    return runs


def _words(tokens: Sequence[Token]) -> list[Token]:
    return [t for t in tokens if t.kind is not TokenKind.PUNCTUATION]


def _all_equal(values: Sequence[object]) -> bool:
    return all(v == values[0] for v in values[1:])


def _similar(readings: Sequence[Sequence[Token]], threshold: float) -> bool:
    words = [_words(r) for r in readings]
    if not _all_equal([len(w) for w in words]) or not words[0]:
        return False
    return all(
        fuzz.ratio(a.norm, b.norm) >= threshold * 100
        for other in words[1:]
        for a, b in zip(words[0], other, strict=True)
    )


def categorize(readings: Sequence[Sequence[Token]], near_match: float = 0.7) -> Category:
    """The category of a text or markup variant with these readings."""
    text = [[t for t in r if t.kind not in MARKUP_TOKEN_KINDS] for r in readings]
    if _all_equal([[t.text for t in r] for r in text]):
        return Category.MARKUP
    if _all_equal(["".join(t.text for t in r) for r in text]):
        return Category.SPACING
    stripped = ["".join(t.text for t in _words(r)) for r in text]
    if _all_equal(stripped):
        return Category.PUNCTUATION
    if _all_equal([s.lower() for s in stripped]):
        return Category.CASE
    if _all_equal(["".join(t.norm for t in _words(r)) for r in text]):
        return Category.ORTHOGRAPHIC
    if _similar(text, near_match):
        return Category.ORTHOGRAPHIC
    return Category.SUBSTANTIVE


def _kind(readings: Sequence[Sequence[Token]], base: int) -> VariantKind:
    """Addition: the base has nothing; omission: the others have nothing or the base's text."""
    others = [r for w, r in enumerate(readings) if w != base]
    if not readings[base]:
        return VariantKind.ADDITION
    text = [t.text for t in readings[base]]
    if all(not r or [t.text for t in r] == text for r in others):
        return VariantKind.OMISSION
    return VariantKind.SUBSTITUTION


def _cell_tokens(ranks: Sequence[Rank], w: int) -> list[Token]:
    return [t for rank in ranks for t in rank.cells[w]]


def _location(table: RankTable, first: int, last: int, w: int) -> Location:
    tokens = table.tokens[w]
    inside = table.token_indexes(w, first, last + 1)
    if inside:
        start, end = tokens[inside[0]], tokens[inside[-1]]
        return Location(start.page, start.line, start.start, end.end)
    after = table.token_indexes(w, last + 1, last + 40)
    if after:
        token = tokens[after[0]]
        return Location(token.page, token.line, token.start, token.start)
    before = table.token_indexes(w, max(0, first - 40), first)
    if before:
        token = tokens[before[-1]]
        return Location(token.page, token.line, token.end, token.end)
    return Location(1, 1, 0, 0)


def _nearest(
    table: RankTable, w: int, indexes: Iterable[int], size: int, body_only: bool
) -> list[Token]:
    """The first ``size`` of witness ``w``'s tokens ``indexes``, furniture left out if asked."""
    kept: list[Token] = []
    for k in indexes:
        token = table.tokens[w][k]
        if not (body_only and token.furniture):
            kept.append(token)
            if len(kept) == size:
                break
    return kept


def _context(
    table: RankTable, first: int, last: int, base: int, size: int, body_only: bool
) -> tuple[str, str]:
    """``size`` base tokens each side; body text only, unless the variant is furniture."""
    span = size * 8
    before = table.token_indexes(base, max(0, first - span), first)
    after = table.token_indexes(base, last + 1, last + 1 + span)
    return (
        join(_nearest(table, base, reversed(before), size, body_only)[::-1]),
        join(_nearest(table, base, after, size, body_only)),
    )


def find_variants(alignment: Alignment, options: VariantOptions) -> tuple[Variant, ...]:
    """Every variant of the alignment, numbered from 1 in rank order."""
    variants: list[Variant] = []
    n = len(alignment.sigla)
    table = as_table(alignment.ranks)
    for first, last, cls in _runs(table):
        ranks = table[first : last + 1]
        readings = [_cell_tokens(ranks, w) for w in range(n)]
        category = (
            Category.FURNITURE if cls == "furniture" else categorize(readings, options.near_match)
        )
        before, after = _context(
            table, first, last, options.base, options.context, cls != "furniture"
        )
        variants.append(
            Variant(
                number=len(variants) + 1,
                kind=_kind(readings, options.base) if options.has_base else None,
                category=category,
                sigla=alignment.sigla,
                readings=tuple(join(r) for r in readings),
                locations=tuple(_location(table, first, last, w) for w in range(n)),
                context_before=before,
                context_after=after,
                first_rank=first,
                last_rank=last,
            )
        )
    return tuple(variants)


def places(variants: Iterable[Variant]) -> dict[int, tuple[Variant, int, int]]:
    """Each place a variant stands at, by its first rank: ``(variant, first, last)``.

    A transposition stands at two places; every other variant at one.
    """
    found: dict[int, tuple[Variant, int, int]] = {}
    for v in variants:
        found[v.first_rank] = (v, v.first_rank, v.last_rank)
        if v.moved is not None:
            found[v.moved[0]] = (v, v.moved[0], v.moved[1])
    return found


def select(
    variants: Iterable[Variant], only: Iterable[Category] = (), exclude: Iterable[Category] = ()
) -> tuple[Variant, ...]:
    """The variants in ``only`` (all when empty) and not in ``exclude``."""
    keep, drop = set(only), set(exclude)
    return tuple(v for v in variants if (not keep or v.category in keep) and v.category not in drop)
