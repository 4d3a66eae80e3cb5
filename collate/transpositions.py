"""Transpositions: variants -> variants where a moved block is reported once.

After alignment, a block of words that a witness has in another place than the base shows
at two **places**: one where the base has it and the witness (the **mover**) has nothing,
and one where the mover has it and the base has nothing. A place is a maximal run of ranks
of text variants (not furniture or markup) where the base, with the witnesses that agree
with it, holds the same tokens and one set of movers none (side OUT), or the reverse (IN).
It runs over agreeing ranks whose tokens are all short (fewer than ``MIN_LONGEST``
characters), since a short common word of the block ("the") is often matched by the
alignment elsewhere.

**Rule**: a moved block is a ``meaningful`` maximal run of tokens (by normalised form) that
an OUT and an IN place of the same movers both hold, and that is tied to the two places: a
word of it (of at least ``MIN_LONGEST`` letters) occurs in no witness between them, or the
block is all one of the places holds and occurs nowhere else in any witness. Longer blocks
are taken first, then nearer ones, each rank in one block at most. A block becomes one
variant of kind ``transposition`` at the first of its places, whose ``moved`` gives the rank
range (and ``moved_locations`` the locations) of the second; what else the variants at the
two places hold stays a variant of its own (a changed word next to where the block landed).

A block is meaningful with at least ``MIN_WORDS`` words, ``MIN_LETTERS`` letters in all and
one word of at least ``MIN_LONGEST`` letters, so that short common words ("of the", "it is")
never make a transposition. The alignment itself is left as it is, so every witness still
rebuilds from it.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from collate.model import NONE, Alignment, Category, Location, TokenKind, Variant, VariantKind
from collate.variants import VariantOptions, joined_text, location, variant_at

MIN_WORDS = 2
MIN_LETTERS = 8
MIN_LONGEST = 4

# making a witness's index of words costs about as much as this many direct searches over
# all its tokens (244 against 10 ns a token, measured on the 1M-token benchmark witness)
_INDEX_COST = 25

OUT, IN = "out", "in"  # the base holds the block, the movers nothing; the reverse


def meaningful(words: Sequence[str]) -> bool:
    """Whether a block with these words (normalised) is long enough to be reported as moved."""
    return (
        len(words) >= MIN_WORDS
        and sum(len(w) for w in words) >= MIN_LETTERS
        and max(len(w) for w in words) >= MIN_LONGEST
    )


@dataclass(frozen=True)
class Place:
    """Ranks ``first`` to ``last`` where the base holds ``norms`` (a token a rank) and
    ``movers`` nothing (``side`` OUT), or the movers hold them and the base nothing (IN)."""

    side: str
    movers: frozenset[int]
    first: int
    last: int
    norms: tuple[str, ...]
    is_word: tuple[bool, ...]  # whether each token is a word (not punctuation)


@dataclass(frozen=True)
class Block:
    """A moved block: at ranks ``out`` the base has it, at ranks ``in_`` the movers."""

    movers: frozenset[int]
    out: tuple[int, int]
    in_: tuple[int, int]


def _short_agreement(table: Alignment, lo: int, hi: int) -> bool:
    """Whether ranks ``lo`` to ``hi`` (exclusive) hold only short tokens, in every witness."""
    for row, column in zip(table.rows, table.tokens, strict=True):
        for r in range(lo, hi):  # mostly stops at the first rank: a long word
            if row[r] == NONE or len(column.norm[row[r]]) >= MIN_LONGEST:
                return False
    return True


def find_places(table: Alignment, variants: Sequence[Variant], base: int) -> list[Place]:
    """Every place of the variants (text variants only) that holds two tokens or more, in
    rank order."""
    columns = [column.norm for column in table.tokens]
    sides: dict[tuple[int, ...], tuple[str, frozenset[int]]] = {}  # by the absent witnesses
    spans: list[tuple[int, int, tuple[str, frozenset[int]]]] = []  # (first, last, side)
    open_ = False  # whether the last span can still grow
    for variant in variants:
        if variant.category in (Category.FURNITURE, Category.MARKUP):
            open_ = False
            continue
        first = variant.first_rank
        if first == variant.last_rank and all(variant.readings):  # a token each: no place
            open_ = False
            continue
        cells_at = zip(*(row[first : variant.last_rank + 1] for row in table.rows), strict=True)
        for r, cells in enumerate(cells_at, first):
            if NONE not in cells:  # every witness has a token: not a place
                open_ = False
                continue
            present = [(w, k) for w, k in enumerate(cells) if k != NONE]
            norm = columns[present[0][0]][present[0][1]]
            if any(columns[w][k] != norm for w, k in present[1:]):
                open_ = False
                continue
            absent = tuple(w for w, k in enumerate(cells) if k == NONE)
            side = sides.get(absent)
            if side is None:
                movers = frozenset((w for w, _ in present) if base in absent else absent)
                side = sides[absent] = (IN if base in absent else OUT, movers)
            if open_ and side == spans[-1][2]:
                start, last, _ = spans[-1]
                if last + 1 == r or _short_agreement(table, last + 1, r):
                    spans[-1] = (start, r, side)
                    continue
            spans.append((r, r, side))
            open_ = True
    places = []
    for first, last, (which, movers) in spans:
        if first == last:  # one token: never a block
            continue
        holder = base if which == OUT else min(movers)
        column, indexes = table.tokens[holder], table.rows[holder][first : last + 1]
        norms = tuple(column.norm[k] for k in indexes)
        is_word = tuple(column.kind[k] is TokenKind.WORD for k in indexes)
        places.append(Place(which, movers, first, last, norms, is_word))
    return places


Run = tuple[int, int, int, int, int, int]  # -length, distance, OUT place, IN place, starts


def shared_runs(places: Sequence[Place]) -> set[Run]:
    """The meaningful maximal runs of tokens that an OUT place and an IN place of the same
    movers both hold, as ``(-length, distance, OUT place, IN place, start in each)``. A
    meaningful run holds two tokens or more, one of them a word of ``MIN_LONGEST`` letters:
    it holds that word and a neighbour, so the places are matched by such pairs of tokens
    (many moves would make matching by single words quadratic: far more places share a
    word than a pair)."""
    at: dict[tuple[frozenset[int], str, str], list[tuple[int, int]]] = {}
    for j, q in enumerate(places):
        if q.side == IN:
            for b, (one, two) in enumerate(pairwise(q.norms)):
                if len(one) >= MIN_LONGEST or len(two) >= MIN_LONGEST:
                    at.setdefault((q.movers, one, two), []).append((j, b))
    found: set[Run] = set()
    for i, p in enumerate(places):
        if p.side != OUT:
            continue
        for a0, (one, two) in enumerate(pairwise(p.norms)):
            if len(one) < MIN_LONGEST and len(two) < MIN_LONGEST:
                continue
            # where the pair before is matched too and is itself such a pair, the run was
            # found from there: each run is walked once, not once for each pair in it
            before = a0 and (len(p.norms[a0 - 1]) >= MIN_LONGEST or len(one) >= MIN_LONGEST)
            for j, b0 in at.get((p.movers, one, two), ()):
                q, a, b = places[j], a0, b0
                if before and b0 and p.norms[a0 - 1] == q.norms[b0 - 1]:
                    continue
                while a and b and p.norms[a - 1] == q.norms[b - 1]:
                    a, b = a - 1, b - 1
                size = a0 - a + 2
                while (
                    a + size < len(p.norms)
                    and b + size < len(q.norms)
                    and p.norms[a + size] == q.norms[b + size]
                ):
                    size += 1
                words = [
                    n
                    for n, w in zip(p.norms[a : a + size], p.is_word[a : a + size], strict=True)
                    if w
                ]
                if meaningful(words):
                    found.add((-size, abs(q.first + b - p.first - a), i, j, a, b))
    return found


def match_blocks(table: Alignment, places: Sequence[Place]) -> list[Block]:
    """The moved blocks: the :func:`shared_runs` of the places that are tied to them (see the
    module's rule); longer first, then nearer, each rank in one block at most."""
    found = shared_runs(places)
    taken: set[int] = set()
    blocks = []
    searches = [_Search(column.norm) for column in table.tokens]
    ranks = [_Ranks(row, len(column)) for row, column in zip(table.rows, table.tokens, strict=True)]
    witnesses = list(zip(searches, ranks, strict=True))
    for negative, _, i, j, a, b in sorted(found):
        out = range(places[i].first + a, places[i].first + a - negative)
        in_ = range(places[j].first + b, places[j].first + b - negative)
        if not (taken.isdisjoint(out) and taken.isdisjoint(in_)):
            continue
        block = Block(places[i].movers, (out[0], out[-1]), (in_[0], in_[-1]))
        norms = places[i].norms[a : a - negative]
        whole = -negative in (len(places[i].norms), len(places[j].norms))
        if _tied(block, norms, witnesses) or (whole and _unique(table, block, norms, searches)):
            taken.update(out, in_)
            blocks.append(block)
    return blocks


def find_transpositions(
    alignment: Alignment, variants: Sequence[Variant], options: VariantOptions
) -> tuple[Variant, ...]:
    """The variants with each moved block made one ``transposition``, in rank order (their
    numbers are given by :func:`collate.nesting.nest`)."""
    table = alignment
    blocks = match_blocks(table, find_places(table, variants, options.base))
    if not blocks:
        return tuple(variants)
    covered = sorted(span for b in blocks for span in (b.out, b.in_))
    result = [_transposition(table, b, options) for b in blocks]
    for variant in variants:
        result.extend(_rest(table, variant, covered, options))
    result.sort(key=lambda v: v.first_rank)
    return tuple(result)


def _rest(
    table: Alignment, variant: Variant, covered: list[tuple[int, int]], options: VariantOptions
) -> list[Variant]:
    """``variant``, or what is left of it outside the blocks' ``covered`` rank ranges (sorted
    and disjoint), each run a variant of its own."""
    first, last = variant.first_rank, variant.last_rank
    inside = []
    for a, b in covered[max(0, bisect.bisect_left(covered, (first, first)) - 1) :]:
        if a > last:
            break
        if b >= first:
            inside.append((a, b))
    if not inside:
        return [variant]
    rest, r = [], first
    for a, b in inside:
        if r < a:
            rest.append((r, a - 1))
        r = max(r, b + 1)
    if r <= last:
        rest.append((r, last))
    return [variant_at(table, a, b, options) for a, b in rest]


def _transposition(table: Alignment, block: Block, options: VariantOptions) -> Variant:
    """The transposition of ``block``: at its first place, ``moved`` its second; each
    witness's reading is the block where it has it (the movers at ``in_``, the rest at
    ``out``), and its location there, ``moved_locations`` the other place (its gap)."""
    first, second = sorted((block.out, block.in_))
    n = len(table.tokens)
    holds = [block.in_ if w in block.movers else block.out for w in range(n)]
    at = [table.token_indexes(w, holds[w][0], holds[w][1] + 1) for w in range(n)]

    def gap_or_block(place: tuple[int, int], w: int) -> Location:
        return location(table, place[0], place[1], w, at[w] if holds[w] == place else [])

    variant = variant_at(table, first[0], first[1], options)
    return replace(
        variant,
        kind=VariantKind.TRANSPOSITION,
        category=Category.SUBSTANTIVE,
        readings=tuple(map(joined_text, table.tokens, at)),
        locations=tuple(gap_or_block(holds[w], w) for w in range(n)),
        moved=second,
        moved_locations=tuple(
            gap_or_block(second if holds[w] == first else first, w) for w in range(n)
        ),
    )


class _Ranks:
    """Which of one witness's tokens stand at a range of ranks: found by walking its row out
    from the range's ends over the ranks where it has none, until the walks have gone over as
    many ranks as the row has; from then on by bisection in the ranks of its tokens (listed
    once, in one walk over the row), so that a witness with a long lacuna does not walk it
    again for every block checked."""

    def __init__(self, row: array[int], size: int) -> None:
        self.row = row
        self.size = size  # the witness's tokens
        self.budget = len(row)  # ranks the walks may still go over
        self.ranks: list[int] | None = None  # the rank of each token, once listed

    def between(self, lo: int, hi: int) -> tuple[int, int]:
        """The range of token indexes the witness has at ranks ``lo`` to ``hi`` (exclusive)."""
        if self.ranks is not None:
            return bisect.bisect_left(self.ranks, lo), bisect.bisect_left(self.ranks, hi)
        row, end = self.row, len(self.row)
        before = lo - 1
        while before >= 0 and row[before] == NONE:
            before -= 1
        after = hi
        while after < end and row[after] == NONE:
            after += 1
        self.budget -= (lo - 1 - before) + (after - hi)
        if self.budget < 0:
            self.ranks = [r for r, k in enumerate(row) if k != NONE]
        return row[before] + 1 if before >= 0 else 0, row[after] if after < end else self.size


class _Search:
    """Where words of ``MIN_LONGEST`` letters or more (the only ones asked about) stand in one
    witness's tokens (normalised forms): searched for directly until the searches have gone
    over the witness ``_INDEX_COST`` times, then looked up in an index of those words'
    places, made once. Checking many blocks moved far (each search goes over the tokens
    between two places) so costs time in proportion to the witness's length and the number
    of blocks, not to their product, and never more than twice what the better of the two
    ways would have cost; with few blocks the index is never made."""

    def __init__(self, norms: list[str]) -> None:
        self.norms = norms
        self.budget = _INDEX_COST * len(norms)  # tokens the direct searches may still go over
        self.index: dict[str, list[int]] | None = None

    def _spend(self, searched: int) -> None:
        """Count ``searched`` tokens gone over directly; past the budget, make the index."""
        self.budget -= searched
        if self.budget < 0 and self.index is None:
            index: dict[str, list[int]] = {}
            for k, norm in enumerate(self.norms):
                if len(norm) >= MIN_LONGEST:
                    index.setdefault(norm, []).append(k)
            self.index = index

    def holds(self, word: str, start: int, end: int) -> bool:
        """Whether a token from ``start`` to ``end`` (exclusive) is ``word``."""
        if self.index is not None:
            places = self.index.get(word, [])
            k = bisect.bisect_left(places, start)
            return k < len(places) and places[k] < end
        try:
            found = self.norms.index(word, start, end)
        except ValueError:
            self._spend(max(0, min(end, len(self.norms)) - start))
            return False
        self._spend(found + 1 - start)
        return True

    def places(self, word: str) -> Iterator[int]:
        """Every token that is ``word``, in order, each searched for when it is asked for."""
        if self.index is not None:
            yield from self.index.get(word, [])
            return
        k = -1
        while True:
            try:
                found = self.norms.index(word, k + 1)
            except ValueError:  # none after the last one found
                self._spend(len(self.norms) - k - 1)
                return
            self._spend(found - k)
            k = found
            yield k


def _tied(block: Block, norms: Sequence[str], witnesses: Sequence[tuple[_Search, _Ranks]]) -> bool:
    """Whether some word of the block (of at least ``MIN_LONGEST`` letters) occurs in no
    witness between the block's two places, which ties the two places to each other."""
    lo = min(block.out[1], block.in_[1]) + 1
    hi = max(block.out[0], block.in_[0])
    spans = [(search, *ranks.between(lo, hi)) for search, ranks in witnesses]
    return any(
        not any(search.holds(word, start, end) for search, start, end in spans)
        for word in dict.fromkeys(n for n in norms if len(n) >= MIN_LONGEST)
    )


def _unique(
    table: Alignment, block: Block, norms: Sequence[str], searches: Sequence[_Search]
) -> bool:
    """Whether no witness has the block's tokens ``norms`` anywhere but at its own place."""
    size = len(norms)
    key = max(range(size), key=lambda n: len(norms[n]))  # the longest: found the fewest times
    for w, (row, column) in enumerate(zip(table.rows, table.tokens, strict=True)):
        own = row[(block.in_ if w in block.movers else block.out)[0]]
        values = column.norm
        for k in searches[w].places(norms[key]):
            start = k - key
            if start != own and values[start : start + size] == list(norms):
                return False
    return True
