"""Alignment: token streams of 2..N witnesses -> one :class:`Alignment` of ranks.

Two witnesses are aligned in three passes, each only inside the gaps the
previous one left:

1. body tokens against body tokens, on the normalised form, by a longest
   common subsequence (``_lcs.py``: exact on short stretches, cut at unique
   trigram anchors on long ones); furniture cannot pull
   body text out of place, and a sentence broken by a page break and its
   furniture stays one sentence;
2. the tokens left in each gap, body with body and furniture with furniture;
3. near matches: tokens of the same class whose normalised forms are similar
   (rapidfuzz ratio at least ``near_match``) share a rank, so "Comrnittee"
   stands against "Committee" rather than anywhere nearby. What is left
   between two matches shares ranks position by position when both sides
   have as many tokens of one class (a word for a word: "black"/"white");
   otherwise each token stands in a rank of its own.

More witnesses are aligned each against a pivot witness, and where several
add tokens at the same place, those additions are aligned with one another.
The result does not depend on the order the witnesses are given in: the
pivot is the witness whose words differ least from all the others' (as
multisets; ties broken by content), and the others follow in content order.
Every witness's token stream can be rebuilt exactly from the ranks. This is
the only module that calls rapidfuzz's alignment.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from rapidfuzz import fuzz

from collate._ids import dense_ids
from collate._lcs import lcs_match
from collate.model import NONE, Alignment, TokenColumns

_NEAR_MATCH_CELLS = 40_000


@dataclass(frozen=True)
class AlignmentOptions:
    """``near_match``: similarity (0..1) at which unequal tokens share a rank.

    ``word_for_word``: unequal runs of body text between two matches share ranks position
    by position (two witnesses). The N-way alignment turns it off, so that what several
    witnesses add at one place stays free to be aligned with one another.

    ``exact``: long texts are matched by a minimal edit script of the whole texts, never
    cut at anchors (see ``_lcs.py``): the exact optimum, in memory linear in the length but
    in time growing with the length times the number of edits.
    """

    near_match: float = 0.7
    word_for_word: bool = True
    exact: bool = False


Pair = tuple[int | None, int | None]


@dataclass(frozen=True)
class Side:
    """What the alignment reads of a token stream: normalised forms and furniture flags."""

    norm: Sequence[str]
    furniture: Sequence[int]  # 1: page furniture, 0: body text

    def cut(self, lo: int, hi: int) -> Side:
        return Side(self.norm[lo:hi], self.furniture[lo:hi])


def side(tokens: TokenColumns) -> Side:
    """The columns of ``tokens`` the alignment reads (not copied)."""
    return Side(tokens.norm, tokens.furniture)


def _match(a: Sequence[Hashable], b: Sequence[Hashable], exact: bool = False) -> array[int]:
    """For each position of ``a``, its match in ``b`` (or ``NONE``) in a longest common
    subsequence of the two key sequences."""
    if not a or not b:
        return array("q", [NONE]) * len(a)
    return lcs_match(*dense_ids(a, b), exact)


def _class_keys(s: Side) -> list[tuple[int, str]]:
    return list(zip(s.furniture, s.norm, strict=True))


def _near_pairs(a: Side, b: Side, options: AlignmentOptions) -> list[Pair]:
    """Pairs for a gap: similar tokens together, the rest each on its own."""
    n, m = len(a.norm), len(b.norm)
    if n == 0 or m == 0 or n * m > _NEAR_MATCH_CELLS:
        return _leftover(a, b, list(range(n)), list(range(m)), options)
    cutoff = options.near_match * 100
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if a.furniture[i] == b.furniture[j]:
                sim = fuzz.ratio(a.norm[i], b.norm[j], score_cutoff=cutoff)
                if sim:
                    best = max(best, score[i + 1][j + 1] + sim)
            score[i][j] = best
    pairs: list[Pair] = []
    pending_a: list[int] = []
    pending_b: list[int] = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] == score[i + 1][j]:
            pending_a.append(i)
            i += 1
        elif score[i][j] == score[i][j + 1]:
            pending_b.append(j)
            j += 1
        else:
            pairs.extend(_leftover(a, b, pending_a, pending_b, options))
            pending_a, pending_b = [], []
            pairs.append((i, j))
            i, j = i + 1, j + 1
    pending_a.extend(range(i, n))
    pending_b.extend(range(j, m))
    pairs.extend(_leftover(a, b, pending_a, pending_b, options))
    if options.word_for_word and len(pairs) > max(n, m):  # near matches lengthening a gap yield
        plain = _leftover(a, b, list(range(n)), list(range(m)), options)
        if len(plain) < len(pairs):
            return plain
    return pairs


def _leftover(
    a: Side, b: Side, xs: list[int], ys: list[int], options: AlignmentOptions
) -> list[Pair]:
    """Unmatched tokens between two matches.

    Body text against body text is a substitution read word for word: the tokens share
    ranks position by position, as many as both sides have, and the rest of the longer
    side stands alone after them, so a gap of ``n`` against ``m`` tokens costs
    ``max(n, m)`` edits, as in a Levenshtein alignment. Page furniture only shares ranks
    with furniture, and only run for run of the same length (a running head for a running
    head); a page number never stands against an unrelated line. Otherwise each token
    stands alone. Without ``options.word_for_word`` only equal runs share ranks.
    """
    if (
        options.word_for_word
        and xs
        and ys
        and not any(a.furniture[x] for x in xs)
        and not any(b.furniture[y] for y in ys)
    ):
        k = min(len(xs), len(ys))
        pairs: list[Pair] = [(x, y) for x, y in zip(xs[:k], ys[:k], strict=True)]
        return pairs + [(x, None) for x in xs[k:]] + [(None, y) for y in ys[k:]]
    if len(xs) == len(ys) and all(
        a.furniture[x] == b.furniture[y] for x, y in zip(xs, ys, strict=True)
    ):
        return [(x, y) for x, y in zip(xs, ys, strict=True)]
    return [(x, None) for x in xs] + [(None, y) for y in ys]


def _gap_pairs(a: Side, b: Side, options: AlignmentOptions) -> list[Pair]:
    """Pairs for the gap ``a``/``b``: exact matches by class and form, near matches between."""
    result: list[Pair] = []
    ai = bi = 0
    match = _match(_class_keys(a), _class_keys(b))
    anchors = [(x, y) for x, y in enumerate(match) if y != NONE]
    for ma, mb in [*anchors, (len(a.norm), len(b.norm))]:
        for x, y in _near_pairs(a.cut(ai, ma), b.cut(bi, mb), options):
            result.append((None if x is None else ai + x, None if y is None else bi + y))
        if ma < len(a.norm):
            result.append((ma, mb))
        ai, bi = ma + 1, mb + 1
    return result


def _fill_gap(
    a: Side,
    b: Side,
    span: tuple[int, int, int, int],
    options: AlignmentOptions,
    out: tuple[array[int], array[int]],
) -> None:
    """Append the pairs of the gap ``a[alo:ahi]`` / ``b[blo:bhi]`` to the rows ``out``."""
    alo, ahi, blo, bhi = span
    xs, ys = out
    if alo == ahi or blo == bhi:  # an addition or an omission: nothing to pair
        xs.extend(range(alo, ahi))
        ys.extend(array("q", [NONE]) * (ahi - alo))
        xs.extend(array("q", [NONE]) * (bhi - blo))
        ys.extend(range(blo, bhi))
        return
    if ahi - alo == 1 and bhi - blo == 1:  # a token for a token (the commonest gap)
        if a.furniture[alo] == b.furniture[blo]:  # a match, a near match or word for word
            xs.append(alo)
            ys.append(blo)
        else:  # body text and furniture never share a rank
            xs.extend((alo, NONE))
            ys.extend((NONE, blo))
        return
    for x, y in _gap_pairs(a.cut(alo, ahi), b.cut(blo, bhi), options):
        xs.append(NONE if x is None else alo + x)
        ys.append(NONE if y is None else blo + y)


def align_pair(a: Side, b: Side, options: AlignmentOptions) -> tuple[array[int], array[int]]:
    """The alignment of two token streams as two rows of indexes (``NONE`` = nothing)."""
    # body text is matched; furniture only ever stands in the gaps between matches
    body_a = [i for i, f in enumerate(a.furniture) if not f]
    body_b = [j for j, f in enumerate(b.furniture) if not f]
    match = _match([a.norm[i] for i in body_a], [b.norm[j] for j in body_b], options.exact)
    out = (array("q"), array("q"))
    xs, ys = out
    ai = bi = 0
    for x, y in enumerate(match):
        if y == NONE:
            continue
        x, y = body_a[x], body_b[y]
        if x != ai or y != bi:
            _fill_gap(a, b, (ai, x, bi, y), options, out)
        xs.append(x)
        ys.append(y)
        ai, bi = x + 1, y + 1
    _fill_gap(a, b, (ai, len(a.norm), bi, len(b.norm)), options, out)
    return out


class _Stream(NamedTuple):
    """Tokens ``lo`` to ``hi`` (exclusive) of witness ``w``: what the N-way alignment aligns
    (a whole witness, or what some witnesses add at one place, always a run of tokens)."""

    w: int
    lo: int
    hi: int


def _merge(
    streams: Sequence[_Stream], sides: Sequence[Side], options: AlignmentOptions
) -> list[list[int]]:
    """The ranks of N streams as one row per stream, in the order given: at each rank, the
    index of the stream's token there (its witness's numbering) or ``NONE``; aligned
    against a pivot (``sides``: each witness's whole :class:`Side`)."""
    cut = [sides[s.w].cut(s.lo, s.hi) for s in streams]
    order = canonical_order(cut)
    rows = _star([streams[w] for w in order], [cut[w] for w in order], sides, options)
    back = [order.index(w) for w in range(len(streams))]
    return [rows[back[w]] for w in range(len(streams))]


def _star(
    streams: Sequence[_Stream],
    cut: Sequence[Side],
    sides: Sequence[Side],
    options: AlignmentOptions,
) -> list[list[int]]:
    """:func:`_merge` of the streams (``cut``: their sides), each aligned against the first."""
    base = streams[0]
    n, size = len(streams), base.hi - base.lo
    options = replace(options, word_for_word=False)
    # at[w][i]: the token of stream w paired with base token i; added[w]: the run it adds
    # before base token i, by i
    at: list[list[int]] = [list(range(base.lo, base.hi))] + [[NONE] * size for _ in range(1, n)]
    added: list[dict[int, list[int]]] = [{} for _ in range(n)]
    for w in range(1, n):
        position, lo, row, runs = 0, streams[w].lo, at[w], added[w]
        for x, y in zip(*align_pair(cut[0], cut[w], options), strict=True):
            if x != NONE:
                position = x + 1
                if y != NONE:
                    row[x] = lo + y
            elif y != NONE:
                if position in runs:
                    runs[position][1] = lo + y + 1
                else:
                    runs[position] = [lo + y, lo + y + 1]
    rows: list[list[int]] = [[] for _ in range(n)]
    for i in range(size + 1):
        adders = [w for w in range(n) if i in added[w]]
        if len(adders) == 1:
            w = adders[0]
            first, end = added[w][i]
            for v in range(n):
                rows[v].extend(range(first, end) if v == w else [NONE] * (end - first))
        elif adders:
            gap = [_Stream(streams[w].w, *added[w][i]) for w in adders]
            sub = _merge(gap, sides, options)
            for w, sub_row in zip(adders, sub, strict=True):
                rows[w].extend(sub_row)
            for v in range(n):
                if v not in adders:
                    rows[v].extend([NONE] * len(sub[0]))
        if i < size:
            for v in range(n):
                rows[v].append(at[v][i])
    return rows


def canonical_order(sides: Sequence[Side]) -> list[int]:
    """The order to align in: the pivot first, then the rest by content (order-free)."""
    if len(sides) == 2:  # each is as far from the other: the lesser content is the pivot
        return [0, 1] if list(sides[0].norm) <= list(sides[1].norm) else [1, 0]
    return spread_order(sides)


def spread_order(sides: Sequence[Side]) -> list[int]:
    """:func:`canonical_order` worked out in full: the pivot is the stream with the fewest
    tokens apart from all the others (ties: the lesser content), the rest by content."""
    contents = [tuple(s.norm) for s in sides]
    bags = [Counter(c) for c in contents]
    # the tokens w and v have apart, |w - v| + |v - w| (as multisets), is |w| + |v| less
    # twice what they share: one intersection per pair of streams
    shared = {
        (w, v): (bags[w] & bags[v]).total()
        for w in range(len(bags))
        for v in range(w + 1, len(bags))
    }

    def spread(w: int) -> tuple[int, tuple[str, ...]]:
        others = sum(
            len(contents[w]) + len(contents[v]) - 2 * shared[min(w, v), max(w, v)]
            for v in range(len(bags))
            if v != w
        )
        return others, contents[w]

    pivot = min(range(len(sides)), key=spread)
    rest = sorted((w for w in range(len(sides)) if w != pivot), key=lambda w: contents[w])
    return [pivot, *rest]


def align(tokens: Sequence[TokenColumns], options: AlignmentOptions) -> Alignment:
    """Align the tokens of witnesses (at least one), in any order."""
    columns = tuple(tokens)
    sigla = tuple(c.siglum for c in columns)
    sides = [side(c) for c in columns]
    if len(columns) == 2:
        order = canonical_order(sides)
        rows = align_pair(sides[order[0]], sides[order[1]], options)
        index = rows if order == [0, 1] else rows[::-1]
        return Alignment(sigla, columns, tuple(index))
    if len(columns) == 1:
        only = array("q", range(len(columns[0])))
        return Alignment(sigla, columns, (only,))
    merged = _merge([_Stream(w, 0, len(c)) for w, c in enumerate(columns)], sides, options)
    return Alignment(sigla, columns, tuple(array("q", row) for row in merged))
