"""Matches of two long int sequences, in near-linear time and memory.

Texts of up to ``EXACT_CELLS`` cells get an exact longest common subsequence
from rapidfuzz's ``Indel.opcodes``, which keeps a bit matrix of
``len(a) * len(b) / 8`` bytes (1.6 GB for two 110,000-token texts). Longer
texts are first cut at *anchors*: token trigrams that occur exactly once in each
side, kept in a longest increasing chain so they never cross. Uniqueness is
judged within a *window* of ``WINDOW`` tokens on each side that moves along both
texts from one anchor to the next (a window with no shared unique trigram is
widened until it finds one), so that texts that repeat themselves (a book's
recurring phrases, or the same text twice) still find anchors everywhere;
trigrams unique in the whole of a long text are few or none.

A window is not searched whole: ``PROBES`` trigrams spread over its side of ``a``
are looked up, each the first of a few neighbours that is unique in both windows
*and* confirmed by its surroundings (trigrams ``CHECKS`` tokens away on ``a``'s
side found at about the same distance on ``b``'s), so that a trigram of a moved
block, unique too, is not taken for an anchor. The two sequences are searched as
strings, one character per token id, so that each lookup is one ``str.find``.

The anchors come a few hundred tokens apart. Each stretch between them is solved
by rapidfuzz's ``Levenshtein.opcodes``, whose equal tokens are those of a minimal
edit script (a longest common subsequence of a stretch that long scatters its
matches, splitting one substitution into an omission and an addition: measured,
its alignments cost 0.25 % more edits than the optimum at 100,000 tokens, these
0.00 %). A long stretch with no anchor at all is solved the same way in one
piece (in linear memory) if it shares many trigrams and its edit script has at
most ``MAX_EDITS`` edits (a text that repeats itself throughout), as are texts
of more distinct tokens than there are characters; otherwise (two different
texts, or the same words in another order) it is cut into proportional pieces.
The rule in one sentence: a stretch is aligned in one piece only when that costs
at most ``MAX_EDITS`` times its length, which keeps the time linear where one
piece would take time growing with the product of the lengths.
:func:`lcs_length` counts the tokens in common the same way without aligning them: the
anchors, and the longest common subsequence of each stretch between them.
``exact=True`` aligns long texts by a minimal edit script of the whole texts in
one piece: the optimum those stretches approach, in memory linear in the length
(rapidfuzz's Levenshtein alignment), but in time that grows with the length
times the number of edits.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Callable, Sequence

from rapidfuzz.distance import Indel, Levenshtein

EXACT_CELLS = 40_000_000  # a 5 MB bit matrix
_GRAM = 3
WINDOW = 8192  # tokens each side within which an anchor's trigram must be unique
PROBES = 32  # trigrams looked up per window
_TRIES = 4  # neighbours tried in turn when a probe's trigram is not unique
CHECKS = (-48, -24, 24, 48)  # where a candidate's surroundings are looked for ...
_SLACK = 8  # ... within this many tokens of the same distance on b's side
_CONFIRMED = 2  # how many of the CHECKS must be found
RELATED = 0.2  # the share of trigrams in common below which texts are cut, not aligned
MAX_EDITS = WINDOW  # the most edits of a stretch without anchors that is aligned in one piece
NONE = -1
_CHARACTERS = 0x110000  # token ids that fit in one character of a str


def lcs_match(a: Sequence[int], b: Sequence[int], exact: bool = False) -> array[int]:
    """For each position of ``a``, the position of ``b`` it is matched with, or ``NONE``.

    ``a`` and ``b`` are non-negative ids (as :func:`collate._ids.dense_ids` numbers
    them). One machine integer per token of ``a``: a million-token text needs 8 MB here.
    """
    match = array("q", [NONE]) * len(a)
    if not a or not b:
        return match
    if len(a) * len(b) <= EXACT_CELLS:
        _equal_blocks(Indel.opcodes(a, b), 0, 0, match)
        return match
    if exact:
        _edit_script(a, b, 0, 0, match)
        return match

    def leaf(x: Sequence[int] | str, y: Sequence[int] | str, alo: int, blo: int) -> None:
        _edit_script(x, y, alo, blo, match)

    _anchored(a, b, match, leaf)
    return match


def lcs_length(a: Sequence[int], b: Sequence[int]) -> int:
    """How many tokens ``a`` and ``b`` have in common, in order, in near-linear time.

    The length of a common subsequence: the longest when ``a`` and ``b`` have at most
    ``EXACT_CELLS`` cells; beyond, the anchors of :func:`lcs_match` and, between them, the
    longest common subsequence of each stretch of at most ``EXACT_CELLS`` cells (counted by
    rapidfuzz's bit-parallel Indel distance, without the alignment :func:`lcs_match` makes of
    it), so at least as many tokens as :func:`lcs_match` matches. Ids as for :func:`lcs_match`.
    """
    if not a or not b:
        return 0
    if len(a) * len(b) <= EXACT_CELLS:
        return _exact_length(a, b)
    counted: list[int] = []

    def leaf(x: Sequence[int] | str, y: Sequence[int] | str, alo: int, blo: int) -> None:
        counted.append(_exact_length(x, y))

    match = array("q", [NONE]) * len(a)
    _anchored(a, b, match, leaf)
    return len(match) - match.count(NONE) + sum(counted)


def _exact_length(x: Sequence[int] | str, y: Sequence[int] | str) -> int:
    return (len(x) + len(y) - Indel.distance(x, y)) // 2


_Leaf = Callable[[Sequence[int] | str, Sequence[int] | str, int, int], None]


def _anchored(a: Sequence[int], b: Sequence[int], match: array[int], leaf: _Leaf) -> None:
    """Cut ``a`` and ``b`` (more than ``EXACT_CELLS`` cells) at anchors or into pieces, hand
    each stretch of at most ``EXACT_CELLS`` cells to ``leaf`` (with where it starts in ``a``
    and ``b``) and write the anchors, and the stretches aligned in one piece, into ``match``."""
    if max(max(a), max(b)) >= _CHARACTERS:  # too many distinct tokens for a str
        if _few_edits(a, b):
            _edit_script(a, b, 0, 0, match)
        else:
            for alo, ahi, blo, bhi in _pieces(0, len(a), 0, len(b)):
                leaf(a[alo:ahi], b[blo:bhi], alo, blo)
        return
    sa, sb = "".join(map(chr, a)), "".join(map(chr, b))
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        _solve(sa, sb, alo, ahi, blo, bhi, match, stack, leaf)


def _solve(
    sa: str,
    sb: str,
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    match: array[int],
    stack: list[tuple[int, int, int, int]],
    leaf: _Leaf,
) -> None:
    if alo == ahi or blo == bhi:
        return
    if (ahi - alo) * (bhi - blo) <= EXACT_CELLS:
        leaf(sa[alo:ahi], sb[blo:bhi], alo, blo)
        return
    anchors = _windowed_anchors(sa, sb, alo, ahi, blo, bhi)
    if not anchors and (
        _shared_trigrams(sa[alo:ahi], sb[blo:bhi]) < RELATED
        or not _few_edits(sa[alo:ahi], sb[blo:bhi])
    ):
        # Next to nothing in common (two different texts), or the same words in another
        # order (shuffled blocks): aligning them in one piece would take time growing with
        # the product of their lengths. Cut both sides into proportional pieces instead.
        stack.extend(_pieces(alo, ahi, blo, bhi))
        return
    if not anchors:  # much in common, nothing unique: a text that repeats itself throughout
        _edit_script(sa[alo:ahi], sb[blo:bhi], alo, blo, match)
        return
    for i, j in anchors:
        if i < alo or j < blo:
            continue  # overlaps the previous anchor
        stack.append((alo, i, blo, j))
        match[i : i + _GRAM] = array("q", range(j, j + _GRAM))
        alo, blo = i + _GRAM, j + _GRAM
    stack.append((alo, ahi, blo, bhi))


def _pieces(alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int, int, int]]:
    """The stretch cut into as many proportional pieces on both sides as make each piece at
    most ``EXACT_CELLS`` cells."""
    pieces = math.ceil(math.sqrt((ahi - alo) * (bhi - blo) / EXACT_CELLS))
    return [
        (
            alo + (ahi - alo) * k // pieces,
            alo + (ahi - alo) * (k + 1) // pieces,
            blo + (bhi - blo) * k // pieces,
            blo + (bhi - blo) * (k + 1) // pieces,
        )
        for k in range(pieces)
    ]


def _few_edits(x: Sequence[int] | str, y: Sequence[int] | str) -> bool:
    """Whether a minimal edit script of ``x`` and ``y`` has at most ``MAX_EDITS`` edits: found
    in a band of that width (rapidfuzz stops once the band is exceeded), so in time linear in
    the length; the script then costs at most ``MAX_EDITS`` times the length too."""
    return Levenshtein.distance(x, y, score_cutoff=MAX_EDITS) <= MAX_EDITS


def _shared_trigrams(x: str, y: str) -> float:
    """The share of ``x``'s distinct trigrams that ``y`` has too."""
    grams_x, grams_y = ({t[k : k + _GRAM] for k in range(len(t) - _GRAM + 1)} for t in (x, y))
    return len(grams_x & grams_y) / max(1, len(grams_x))


def _edit_script(
    x: Sequence[int] | str, y: Sequence[int] | str, alo: int, blo: int, match: array[int]
) -> None:
    """Match ``x`` (at ``alo`` in ``a``) and ``y`` (at ``blo`` in ``b``) by the equal tokens
    of a minimal edit script: rapidfuzz's Levenshtein alignment, in linear memory. Not just
    any longest common subsequence, which on a stretch of hundreds of tokens scatters its
    matches, splitting what is one substitution into an omission and an addition."""
    _equal_blocks(Levenshtein.opcodes(x, y, score_hint=64), alo, blo, match)


def _equal_blocks(ops: object, alo: int, blo: int, match: array[int]) -> None:
    for op in ops:  # type: ignore[attr-defined]
        if op.tag == "equal":
            start = alo + op.src_start
            match[start : alo + op.src_end] = array(
                "q", range(blo + op.dest_start, blo + op.dest_end)
            )


def _windowed_anchors(
    sa: str, sb: str, alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Anchors for the stretch, found window by window from its start."""
    anchors: list[tuple[int, int]] = []
    i, j, size = alo, blo, WINDOW
    while i < ahi and j < bhi:
        wa, wb = min(ahi, i + size), min(bhi, j + size)
        chain = _anchors(sa, sb, i, wa, j, wb)
        if wa == ahi and wb == bhi:
            anchors.extend(chain)
            break
        # Near a window's end a trigram may look unique only because its repeat lies
        # beyond: keep the anchors of the first three quarters, and move on from the last.
        limit_a, limit_b = i + size * 3 // 4, j + size * 3 // 4
        kept = [(x, y) for x, y in chain if x < limit_a and y < limit_b]
        if not kept:
            size *= 2  # nothing shared nearby (a long addition, a moved block): look further
            continue
        anchors.extend(kept)
        i, j, size = kept[-1][0] + _GRAM, kept[-1][1] + _GRAM, WINDOW
    return anchors


def _anchors(sa: str, sb: str, alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int]]:
    """Confirmed trigrams unique in both windows, as the longest chain increasing in both."""
    last = ahi - _GRAM  # the last place a trigram of the window starts
    if last < alo:
        return []
    candidates: list[tuple[int, int]] = []
    for start in range(alo, last + 1, max(1, (ahi - alo) // PROBES)):
        for p in range(start, min(start + _TRIES, last + 1)):
            q = _unique_in_both(sa, sb, p, alo, ahi, blo, bhi)
            if q != NONE and _confirmed(sa, sb, p, q):
                candidates.append((p, q))
                break
    return _increasing_chain(candidates)


def _unique_in_both(sa: str, sb: str, p: int, alo: int, ahi: int, blo: int, bhi: int) -> int:
    """Where in ``sb[blo:bhi]`` the trigram at ``p`` stands, if it occurs once there and
    once in ``sa[alo:ahi]``; else ``NONE``."""
    gram = sa[p : p + _GRAM]
    if sa.find(gram, alo, p + _GRAM - 1) != -1 or sa.find(gram, p + 1, ahi) != -1:
        return NONE
    q = sb.find(gram, blo, bhi)
    if q == -1 or sb.find(gram, q + 1, bhi) != -1:
        return NONE
    return q


def _confirmed(sa: str, sb: str, p: int, q: int) -> bool:
    """Whether enough trigrams around ``p`` are found around ``q`` at about the same distance:
    an anchor's neighbourhood agrees, a moved block's does not."""
    found = 0
    for d in CHECKS:
        x = p + d
        if 0 <= x <= len(sa) - _GRAM:
            y = max(0, q + d - _SLACK)
            found += sb.find(sa[x : x + _GRAM], y, q + d + _SLACK + _GRAM) != -1
    return found >= _CONFIRMED


def _increasing_chain(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of ``candidates`` (in increasing order of their first place) whose
    second places increase too (patience sorting)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(candidates)
    for n, (_, j) in enumerate(candidates):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k] = j
            tail_index[k] = n
        previous[n] = tail_index[k - 1] if k else -1
    chain: list[tuple[int, int]] = []
    n = tail_index[-1] if tail_index else -1
    while n >= 0:
        chain.append(candidates[n])
        n = previous[n]
    chain.reverse()
    return chain
