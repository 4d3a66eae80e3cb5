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
A word that stands against a different word of the pivot joins the same word
that another witness, with a word of its own there, adds beside it; and where
words only one side has part two stretches of pairs, the shorter stretch moves
across to join the longer when the same words stand there.
A stretch of pairs with more than twice its length of text that one side lacks on
each side of it is not an anchor: a lacuna is one place.
The result does not depend on the order the witnesses are given in: the
pivot is the witness whose words differ least from all the others' (as
multisets; ties broken by content), and the others follow in content order.
Every witness's token stream can be rebuilt exactly from the ranks. This is
the only module that calls rapidfuzz's alignment.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from array import array
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from rapidfuzz import fuzz

from collate._ids import dense_ids
from collate._lcs import lcs_match
from collate._parallel import map_items
from collate._spans import consecutive
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

    ``jobs``: the N-way alignment aligns the witnesses against the pivot in up to this many
    processes (this one and forked children; see ``_parallel.py``), with the same result.
    """

    near_match: float = 0.7
    word_for_word: bool = True
    exact: bool = False
    jobs: int = 1  # processes for the N-way alignment's pairs against the pivot


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
    if 1 not in a.furniture and 1 not in b.furniture:  # furniture flags are 0 or 1
        return _align_body(a, b, options)
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


def _align_body(a: Side, b: Side, options: AlignmentOptions) -> tuple[array[int], array[int]]:
    """:func:`align_pair` of two streams of body text only: each run of consecutive matches
    is copied whole, as a slice of 0, 1, 2, ... (a loop over the matches takes a fifth
    longer: 0.85 s against 0.69 s for the 1M-token pair, 4 % of ``compare``)."""
    match = _match(a.norm, b.norm, options.exact)
    out = (array("q"), array("q"))
    xs, ys = out
    count = array("q", range(max(len(a.norm), len(b.norm))))
    ai = bi = 0
    for x, end, y in _matched_runs(match):
        if x != ai or y != bi:
            _fill_gap(a, b, (ai, x, bi, y), options, out)
        xs += count[x:end]
        ys += count[y : y + end - x]
        ai, bi = end, y + end - x
    _fill_gap(a, b, (ai, len(a.norm), bi, len(b.norm)), options, out)
    return out


def _matched_runs(match: array[int]) -> Iterator[tuple[int, int, int]]:
    """The runs of ``match`` (for each position, its match or ``NONE``; the matches
    ascending) where consecutive positions match consecutive ones: ``(first, end, first
    match)`` for each, in order. Where the runs break is found in C (a position whose match
    is not one more than the one before), so the loop in Python is per run, not per token."""
    size = len(match)
    if not size:
        return
    after = map(operator.add, match, itertools.repeat(1))  # what continues a run
    breaks = itertools.compress(
        range(1, size), map(operator.ne, itertools.islice(match, 1, None), after)
    )
    for first, end in itertools.pairwise(itertools.chain((0,), breaks, (size,))):
        y = match[first]
        if y == NONE:  # unmatched, and alone in its piece unless 0 is matched after it
            first += 1
            if first == end:
                continue
            y = match[first]
        yield first, end, y


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
    back = [0] * len(order)  # where each stream stands in the order
    for place, w in enumerate(order):
        back[w] = place
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
    pairs = map_items(lambda w: _against(cut[0], cut[w], options), range(1, n), options.jobs)
    options = replace(options, jobs=1)  # what the streams add is aligned in this process
    for w, (xs, ys) in enumerate(pairs, start=1):
        lo, row = streams[w].lo, at[w]
        for first, end in _stretches(xs, ys):  # paired: consecutive tokens on both sides
            x, y = xs[first], ys[first]
            row[x : x + end - first] = range(lo + y, lo + y + end - first)
        for first, end in consecutive(_positions(xs)):  # a run the stream adds
            before = xs[first - 1] + 1 if first else 0  # the base token it stands before
            added[w][before] = [lo + ys[first], lo + ys[end - 1] + 1]
    _join_additions([sides[s.w].norm for s in streams], base.lo, at, added)
    # the base's ranks, with what the streams add before base token i (or at the end)
    # inserted before rank i
    rows: list[list[int]] = [[] for _ in range(n)]
    done = 0  # the base tokens whose ranks are in the rows
    for i in sorted(set().union(*added)):
        for v in range(n):
            rows[v].extend(at[v][done:i])
        done = i
        adders = [w for w in range(n) if i in added[w]]
        if len(adders) == 1:
            w = adders[0]
            first, end = added[w][i]
            for v in range(n):
                rows[v].extend(range(first, end) if v == w else [NONE] * (end - first))
        else:
            gap = [_Stream(streams[w].w, *added[w][i]) for w in adders]
            sub = _merge(gap, sides, options)
            for w, sub_row in zip(adders, sub, strict=True):
                rows[w].extend(sub_row)
            for v in range(n):
                if v not in adders:
                    rows[v].extend([NONE] * len(sub[0]))
    for v in range(n):
        rows[v].extend(at[v][done:size])
    return rows


def _against(pivot: Side, other: Side, options: AlignmentOptions) -> tuple[array[int], array[int]]:
    """The pair rows of a stream against the pivot, its words kept together and its lacunae
    closed."""
    pair = align_pair(pivot, other, options)
    _gather(pair, (pivot, other))
    return _close_lacunae(pair, (pivot, other), options)


def _join_additions(
    norms: Sequence[Sequence[str]],
    lo: int,
    at: list[list[int]],
    added: list[dict[int, list[int]]],
) -> None:
    """Where a stream's word stands against a different word of the pivot (stream 0) and
    another stream that has a token at that pivot token adds the same word right before or
    after it, the word leaves the pivot's rank and joins the additions there, so that it is
    aligned with its equal. In place: ``at[w][i]``, stream w's token at pivot token
    ``lo + i``; ``added[w][i]``, the run it adds before it. The streams are taken in order,
    each seeing the words that earlier ones moved into their additions."""
    words: dict[int, set[str]] = {}  # the words the streams add before pivot token i
    for w, runs in enumerate(added):
        for i, (first, end) in runs.items():
            words.setdefault(i, set()).update(norms[w][first:end])
    if not words:
        return
    pivot = norms[0][lo : lo + len(at[0])]
    # the pivot tokens with additions right before or after them: nothing moves elsewhere
    places = sorted({i for j in words for i in (j - 1, j) if 0 <= i < len(pivot)})
    adders = _Adders([{i: row[i] != NONE for i in places} for row in at])
    for w, runs in enumerate(added):
        for i, (first, end) in runs.items():
            adders.add(w, i, norms[w][first:end])
    for w in range(1, len(at)):
        row, runs, norm = at[w], added[w], norms[w]
        if not norm:
            continue
        for i in places:
            k = row[i]
            if k == NONE or norm[k] == pivot[i]:
                continue
            before = norm[k] in words.get(i, ()) and adders.others(w, i, i, norm[k])
            after = norm[k] in words.get(i + 1, ()) and adders.others(w, i + 1, i, norm[k])
            if before or after:
                row[i] = NONE
            if before:  # the run before pivot token i now ends with token k
                end = runs.setdefault(i, [k, k])[1]
                runs[i][1] = k + 1
                adders.add(w, i, norm[end : k + 1])
            elif after:  # the run before pivot token i + 1 now starts with token k
                first = runs.setdefault(i + 1, [k + 1, k + 1])[0]
                runs[i + 1][0] = k
                adders.add(w, i + 1, norm[k:first])


class _Adders:
    """Which streams add which word before which pivot token, and how many of them have a
    token of their own at each pivot token (``holds[v][t]``, as the alignment first put it,
    kept for the tokens next to an addition, the only ones asked about): the question
    :func:`_join_additions` asks of every other stream, answered by a count."""

    def __init__(self, holds: list[dict[int, bool]]) -> None:
        self.holds = holds
        self.streams: dict[tuple[int, str], set[int]] = {}  # (before token, word) -> streams
        self.holding: Counter[tuple[int, str, int]] = Counter()  # ... and a token held

    def add(self, v: int, place: int, words: Iterable[str]) -> None:
        """Stream ``v`` adds ``words`` before pivot token ``place``."""
        holds = self.holds[v]
        for word in words:
            streams = self.streams.setdefault((place, word), set())
            if v in streams:
                continue
            streams.add(v)
            for t in (place - 1, place):  # the tokens a question about ``place`` names
                if holds.get(t, False):
                    self.holding[place, word, t] += 1

    def others(self, w: int, place: int, t: int, word: str) -> bool:
        """Whether a stream other than ``w`` adds ``word`` before pivot token ``place`` and
        has a token of its own at pivot token ``t``."""
        own = w in self.streams.get((place, word), ()) and self.holds[w].get(t, False)
        return self.holding[place, word, t] > own


def canonical_order(sides: Sequence[Side]) -> list[int]:
    """The order to align in: the pivot first, then the rest by content (order-free)."""
    if len(sides) == 2:  # each is as far from the other: the lesser content is the pivot
        return [0, 1] if list(sides[0].norm) <= list(sides[1].norm) else [1, 0]
    return spread_order(sides)


def spread_order(sides: Sequence[Side]) -> list[int]:
    """:func:`canonical_order` worked out in full: the pivot is the stream with the fewest
    tokens apart from all the others (ties: the lesser content), the rest by content."""
    contents = [tuple(s.norm) for s in sides]
    spreads = token_spreads(contents)
    pivot = min(range(len(sides)), key=lambda w: (spreads[w], contents[w]))
    rest = sorted((w for w in range(len(sides)) if w != pivot), key=lambda w: contents[w])
    return [pivot, *rest]


def _stretches(xs: array[int], ys: array[int]) -> list[tuple[int, int]]:
    """The maximal stretches ``(first, end)`` of pair positions where both sides have a
    token (matches, near matches and substitutions), in order. Found from the positions
    where one side has none."""
    stretches: list[tuple[int, int]] = []
    first = 0  # where the current stretch begins
    for k in sorted(_positions(xs) + _positions(ys)):
        if k > first:
            stretches.append((first, k))
        first = k + 1
    if first < len(xs):
        stretches.append((first, len(xs)))
    return stretches


def _positions(row: array[int]) -> list[int]:
    """The positions of ``row`` that hold ``NONE``, in order, each found by the array's own
    search from the one before (a few in a long row, mostly)."""
    found: list[int] = []
    try:
        while True:
            found.append(row.index(NONE, found[-1] + 1 if found else 0))
    except ValueError:  # none after the last one found
        return found


def _slide(
    rows: tuple[array[int], array[int]],
    norms: tuple[Side, Side],
    span: tuple[int, int, int],
    right: bool,
) -> bool:
    """Move the stretch of pairs ``rows[:][first:end]`` across the one-sided gap that follows
    (``right``) or precedes it, which holds ``length`` tokens of one side only, if the same
    words (of the same class, body or furniture) stand at the gap's other end; whether it
    moved."""
    first, end, length = span
    gap = slice(end, end + length) if right else slice(first - length, first)
    lone = 0 if rows[0][gap].count(NONE) == length else 1  # the side without tokens there
    held = 1 - lone
    k = end - first
    step = length if right else -length
    here, there = norms[held], norms[lone]
    # from the gap's side, where a stretch that cannot move mostly fails first
    for p in range(end - 1, first - 1, -1) if right else range(first, end):
        x, y = rows[held][p] + step, rows[lone][p]
        if here.norm[x] != there.norm[y] or here.furniture[x] != there.furniture[y]:
            return False
    partners = rows[lone][first:end]
    lo = first if right else first - length
    held_run = range(rows[held][lo], rows[held][lo] + k + length)
    if right:
        rows[held][lo : lo + k + length] = array("q", held_run)
        rows[lone][lo : lo + k + length] = array("q", [NONE] * length) + partners
    else:
        rows[held][lo : lo + k + length] = array("q", held_run)
        rows[lone][lo : lo + k + length] = partners + array("q", [NONE] * length)
    return True


def _gather(rows: tuple[array[int], array[int]], sides: tuple[Side, Side]) -> None:
    """Keep each witness's words together: where two stretches of pairs are parted only by
    words one side has, and the same words stand at the other end of them, the shorter
    stretch moves across to join the longer (an omission of the first 80 words leaves the
    witness's first "the" with the others' 80th, not their first). In place."""
    xs, ys = rows
    stretches = _stretches(xs, ys)
    if len(stretches) < 2:
        return
    first, end = stretches[0]
    for lo, hi in stretches[1:]:
        length = lo - end
        one_sided = xs[end:lo].count(NONE) in (0, length)
        if one_sided and end - first <= hi - lo and _slide(rows, sides, (first, end, length), True):
            first, end = first + length, hi
        elif one_sided and end - first > hi - lo and _slide(rows, sides, (lo, hi, length), False):
            end = end + hi - lo
        else:
            first, end = lo, hi


def _stray(rows: tuple[array[int], array[int]], stretches: list[tuple[int, int]]) -> list[int]:
    """For each stretch of pairs, the side (0 or 1) that lacks the text around it if it is
    stray, else -1. A stretch is stray where one side has nothing on both sides of it over
    more than twice as many pair positions as the stretch holds; a stray stretch's positions
    count as lacking text when its neighbours are judged (sweeps until none is found)."""
    found = [-1] * len(stretches)
    gaps: list[tuple[int, int]] = []  # (positions, the side that has no token there or -1)
    ends = [0, *(end for _, end in stretches)]
    for first, end in zip(ends, [*(lo for lo, _ in stretches), len(rows[0])], strict=True):
        lacking = [s for s, row in enumerate(rows) if row[first:end].count(NONE) == end - first]
        gaps.append((end - first, lacking[0] if lacking and end > first else -1))
    kept = list(range(len(stretches)))  # the stretches not found stray, in order
    changed = True
    while changed:
        changed = False
        i = 0
        while i < len(kept):
            lo, hi = stretches[kept[i]]
            (before, lone), (after, other) = gaps[i], gaps[i + 1]
            if lone >= 0 and lone == other and min(before, after) > 2 * (hi - lo):
                found[kept.pop(i)] = lone
                gaps[i : i + 2] = [(before + hi - lo + after, lone)]
                changed = True
            else:
                i += 1
    return found


def _close_lacunae(
    rows: tuple[array[int], array[int]], sides: tuple[Side, Side], options: AlignmentOptions
) -> tuple[array[int], array[int]]:
    """A lacuna is one place: a stretch of pairs with more than twice its length of text that
    one side lacks on each side of it is not an anchor (:func:`_stray`). The lacking side's
    tokens in a run of such stretches are aligned again with as many tokens of the other side
    at one end of the lacuna, the end where they match more (the nearer on a tie); the rest
    of the lacuna is then the other side's alone. Returns the rows (new ones where a lacuna
    closed)."""
    stretches = _stretches(*rows)
    stray = _stray(rows, stretches)
    if all(lone < 0 for lone in stray):
        return rows
    out = (array("q"), array("q"))
    done = 0  # the pair positions up to here are in out
    s = 0
    while s < len(stretches):
        lone = stray[s]
        if lone < 0:
            s += 1
            continue
        last = s
        while last + 1 < len(stretches) and stray[last + 1] == lone:
            last += 1
        lo = stretches[s - 1][1] if s else 0
        hi = stretches[last + 1][0] if last + 1 < len(stretches) else len(rows[0])
        placed = _realign(rows, sides, (lo, hi, lone), options, (stretches[s], stretches[last]))
        for row, done_row, new in zip(out, rows, placed, strict=True):
            row += done_row[done:lo]
            row += new
        done = hi
        s = last + 1
    for row, done_row in zip(out, rows, strict=True):
        row += done_row[done:]
    return out


def _realign(
    rows: tuple[array[int], array[int]],
    sides: tuple[Side, Side],
    span: tuple[int, int, int],
    options: AlignmentOptions,
    stray: tuple[tuple[int, int], tuple[int, int]],
) -> tuple[array[int], array[int]]:
    """The pairs of the lacuna ``rows[:][lo:hi]`` (``lone``: the side that lacks text there
    but for its stray stretches, ``stray``: the first and last of them) with the lone side's
    tokens aligned at one end of it."""
    lo, hi, lone = span
    held = 1 - lone
    run = [k for k in rows[lone][lo:hi] if k != NONE]
    text = rows[held][lo:hi]  # every position of a lacuna holds a token of this side
    size = min(len(run), len(text))
    ends = [(text[0], text[0] + size), (text[-1] + 1 - size, text[-1] + 1)]
    best: tuple[int, int, tuple[array[int], array[int]]] | None = None
    near = [stray[0][0] - lo, hi - stray[1][1]]  # how far the stray stretches are from each end
    for end in (0, 1) if near[0] <= near[1] else (1, 0):
        first, last = ends[end]
        pieces = [sides[held].cut(first, last), sides[lone].cut(run[0], run[-1] + 1)]
        a, b = pieces if held == 0 else pieces[::-1]
        pairs = align_pair(a, b, options)
        matched = sum(
            x != NONE and y != NONE and a.norm[x] == b.norm[y] for x, y in zip(*pairs, strict=True)
        )
        if best is None or matched > best[0]:
            best = (matched, end, pairs)
    assert best is not None
    _, end, pairs = best
    starts = (ends[end][0], run[0]) if held == 0 else (run[0], ends[end][0])
    moved = [
        array("q", (NONE if k == NONE else k + start for k in row))
        for row, start in zip(pairs, starts, strict=True)
    ]
    rest = [k for k in text if not ends[end][0] <= k < ends[end][1]]
    alone = [array("q", rest), array("q", [NONE] * len(rest))]
    alone = alone if held == 0 else alone[::-1]
    first_part, second_part = (moved, alone) if end == 0 else (alone, moved)
    return (first_part[0] + second_part[0], first_part[1] + second_part[1])


def token_spreads(contents: Sequence[Sequence[str]]) -> list[int]:
    """For each stream w, the tokens it and each other stream v have apart, summed over v.

    The tokens w and v have apart, |w - v| + |v - w| (as multisets), is |w| + |v| less twice
    what they share, so the sum is (N - 2)|w| + T - 2 S(w), with T the tokens of all streams and
    S(w) what w shares with the others: for each token t that w has c times, the sum over the
    other streams of min(c, their count of t). That sum is read from t's counts sorted, with
    their running totals, by one binary search: time near-linear in the tokens, not in the
    pairs of streams.
    """
    bags = [Counter(c) for c in contents]
    counts: dict[str, list[int]] = {}
    for bag in bags:
        for token, count in bag.items():
            counts.setdefault(token, []).append(count)
    totals: dict[str, tuple[list[int], list[int]]] = {}
    for token, found in counts.items():
        found.sort()
        totals[token] = (found, list(itertools.accumulate(found, initial=0)))
    everything, n = sum(len(c) for c in contents), len(contents)
    spreads = []
    for content, bag in zip(contents, bags, strict=True):
        shared = 0
        for token, count in bag.items():
            found, running = totals[token]
            below = bisect.bisect_right(found, count)  # streams with at most `count` of token
            shared += running[below] + count * (len(found) - below) - count  # less w's own
        spreads.append((n - 2) * len(content) + everything - 2 * shared)
    return spreads


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
