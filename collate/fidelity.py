"""Fidelity: a collation of reference and hypothesis -> an explained error report.

The reference (the trusted text) is the base witness of the collation, the
hypothesis the text under test. The report holds the figures of
``metrics.py`` for two scopes — all text, and text with page furniture and
markup (editorial marks, redactions, glyphs) left out — plus where the
errors are: the edit distance of every variant summed by its category, the
most frequent character confusions (in the text-only scope, where OCR errors
show rather than layout), and figures per page of the hypothesis.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, pairwise

from collate.metrics import (
    CountingRules,
    EditCounts,
    bag_of_words,
    character_pieces,
    characters,
    compare_pieces,
    count_graphemes,
    count_id_pieces,
    cuttable,
    distance,
    prepare,
    prepare_all,
)
from collate.model import NONE, Alignment, Category, TokenColumns, TokenKind
from collate.pipeline import Collation

MAX_CONFUSION = 4  # graphemes on either side of a listed confusion
# Long texts are compared piece by piece, cut in the middle of long runs of agreeing ranks
# (see docs/stages/metrics.md#long-texts); texts shorter than this, in code points, never.
EXACT_BELOW = 20_000
RUN = 8  # agreeing ranks a cut stands in the middle of, at least
SPREAD = 4  # ... and at least this many times the ranks of the shorter gap beside them
PIECE = 400  # ranks from one cut to the next, at least
# Where no run of agreement allows a cut for LONGEST tokens (unrelated or badly garbled text),
# the texts are cut anyway, about every STEP tokens: the time of one piece grows with the
# product of its lengths (two unrelated pieces of 15,000 characters: 50 ms; of 120,000: 2.1 s).
LONGEST = 8_000
STEP = 2_000
NEARBY = 200  # tokens after such a place where a cut is looked for


@dataclass(frozen=True)
class Measures:
    """The figures for one scope."""

    chars: EditCounts
    words: EditCounts
    bag_missing: int
    bag_extra: int
    bag_error: float


@dataclass(frozen=True)
class CategoryErrors:
    """Edit distance of the variants of one category."""

    category: Category
    variants: int
    char_distance: int
    word_distance: int


@dataclass(frozen=True)
class PageErrors:
    """Figures for one page of the hypothesis (and the reference text it stands against)."""

    page: int
    chars: EditCounts
    words: EditCounts


@dataclass(frozen=True)
class Fidelity:
    """Everything ``collate fidelity`` reports for one reference/hypothesis pair."""

    reference: str
    hypothesis: str
    rules: tuple[str, ...]
    scope: str
    measures: Measures
    text_only: Measures
    categories: tuple[CategoryErrors, ...]
    confusions: tuple[tuple[str, str, int], ...]
    pages: tuple[PageErrors, ...]
    text_only_warning: str = ""  # why the text-only rates are not to be read plainly

    @property
    def category_edits(self) -> int:
        """The character edits of the categories summed (see :data:`CATEGORY_RULE`)."""
        return sum(c.char_distance for c in self.categories)


# Why the character edits by category need not sum to the headline's.
CATEGORY_RULE = (
    "each variant is measured on its own (its readings, with the space before each token), "
    "while the headline aligns the whole text at once and may share an edit between "
    "neighbouring variants or the spaces beside them"
)


def text_only_warning(all_text: Measures, text_only: Measures) -> str:
    """Why the text-only figures are not a plain rate, or ``""``: the scope keeps less than
    half of the reference's characters, or counts more character edits than all text
    (leaving text out of both sides can only remove edits, unless the two sides left out
    different text)."""
    kept, whole = text_only.chars.reference, all_text.chars.reference
    if 2 * kept < whole:
        return (
            f"text only keeps {kept} of the reference's {whole} characters: furniture and "
            "markup took most of the reference, so its rates measure the little left"
        )
    if text_only.chars.distance > all_text.chars.distance:
        return (
            f"text only counts {text_only.chars.distance} character edits where all text "
            f"counts {all_text.chars.distance}: the two sides left out different text as "
            "furniture or markup"
        )
    return ""


@dataclass(frozen=True)
class _Side:
    """One witness's tokens, ready to measure: each token's text after the space the witness
    had before it (so joining a run of them gives the run as the witness wrote it, up to a
    leading space), and its word under the counting rules as a number shared by both sides (0: not
    a word, or left empty), so that word sequences are compared as ints."""

    columns: TokenColumns
    spaced: list[str]
    words: list[int]


Indexes = Sequence[int]  # token indexes of one witness, ascending: a range or a list


def _side(columns: TokenColumns, rules: CountingRules, ids: dict[str, int]) -> _Side:
    # one string object per spelling with its space, shared by its tokens (not one per token)
    texts = columns.text
    spellings = list(set(texts))
    with_space = {t: " " + t for t in spellings}
    spaced = [
        with_space[t] if space else t for t, space in zip(texts, columns.space_before, strict=True)
    ]
    # each spelling's word under the rules, as its number in ``ids`` (shared by both sides;
    # 0: not a word, or left empty)
    word_id = {
        t: ids.setdefault(w, len(ids))
        for t, w in zip(spellings, prepare_all(spellings, rules), strict=True)
    }
    words = [
        word_id[t] if kind is TokenKind.WORD else 0
        for t, kind in zip(texts, columns.kind, strict=True)
    ]
    return _Side(columns, spaced, words)


def _mask(columns: TokenColumns, furniture: bool, markup: bool) -> bytes | None:
    """1 for each token kept when furniture and/or markup are left out; None: all are."""
    if not (furniture or markup):
        return None
    return bytes(
        [
            not ((furniture and f) or (markup and m))
            for f, m in zip(columns.furniture, columns.markup, strict=True)
        ]
    )


Masks = tuple[bytes | None, bytes | None]


def _masks(columns: Sequence[TokenColumns], furniture: bool, markup: bool) -> Masks:
    return _mask(columns[0], furniture, markup), _mask(columns[1], furniture, markup)


def _counts(masks: Masks, columns: Sequence[TokenColumns]) -> list[int]:
    """The number of tokens each side keeps."""
    return [len(c) if m is None else m.count(1) for m, c in zip(masks, columns, strict=True)]


def _keeps(mask: bytes | None, k: int) -> bool:
    return mask is None or mask[k] == 1


def _kept(size: int, mask: bytes | None) -> Indexes:
    return range(size) if mask is None else list(compress(range(size), mask))


def _joined(side: _Side, indexes: Indexes, lo: int, hi: int) -> str:
    if isinstance(indexes, range):
        return "".join(side.spaced[indexes.start + lo : indexes.start + hi])
    spaced = side.spaced
    return "".join([spaced[i] for i in indexes[lo:hi]])


def _words(side: _Side, indexes: Indexes, lo: int, hi: int) -> list[int]:
    if isinstance(indexes, range):
        return list(filter(None, side.words[indexes.start + lo : indexes.start + hi]))
    words = side.words
    return list(filter(None, [words[i] for i in indexes[lo:hi]]))


def _cut_at(side: _Side, kept: Indexes, start: int, end: int) -> int | None:
    """The first position from ``start`` (before ``end``, within ``NEARBY``) whose token a
    text may be cut before on its own: after whitespace, a letter or digit either side."""
    texts, spaces = side.columns.text, side.columns.space_before
    for i in range(max(start, 1), min(start + NEARBY, end)):
        k = kept[i]
        if spaces[k] and texts[k][:1].isalnum() and texts[kept[i - 1]][-1:].isalnum():
            return i
    return None


def _spread(
    sides: tuple[_Side, _Side], indexes: tuple[Indexes, Indexes], cuts: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``cuts`` with more wherever ``LONGEST`` tokens of a side go by without one: about every
    ``STEP`` tokens, at places proportional in the two sides (where two unrelated texts
    have their optimal alignment, near enough), each moved to the next token that a cut may
    stand before (see :func:`_cut_at`)."""
    ends = (len(indexes[0]), len(indexes[1]))
    spread: list[tuple[int, int]] = []
    for (p0, q0), (p1, q1) in pairwise([(0, 0), *cuts, ends]):
        longest = max(p1 - p0, q1 - q0)
        pieces = -(-longest // STEP) if longest > LONGEST else 1
        last = (p0, q0)
        for j in range(1, pieces):
            p = _cut_at(sides[0], indexes[0], p0 + (p1 - p0) * j // pieces, p1)
            q = _cut_at(sides[1], indexes[1], q0 + (q1 - q0) * j // pieces, q1)
            if p is not None and q is not None and p > last[0] and q > last[1]:
                last = (p, q)
                spread.append(last)
        if (p1, q1) != ends:
            spread.append((p1, q1))
    return spread


def _measure(
    sides: tuple[_Side, _Side],
    indexes: tuple[Indexes, Indexes],
    cuts: Sequence[tuple[int, int]],
    rules: CountingRules,
) -> tuple[Measures, list[tuple[str, str]]]:
    """The figures of two texts, the tokens ``indexes`` of each side; the texts are compared
    piecewise, cut before the token at each pair of positions in ``cuts``, when long enough."""
    if cuttable(rules):
        cuts = _spread(sides, indexes, cuts)
    bounds = [[0, *(c[w] for c in cuts), len(indexes[w])] for w in (0, 1)]
    raw = [[_joined(sides[w], indexes[w], a, b) for a, b in pairwise(bounds[w])] for w in (0, 1)]
    words = [[_words(sides[w], indexes[w], a, b) for a, b in pairwise(bounds[w])] for w in (0, 1)]
    if len(raw[0]) > 1 and (
        not cuttable(rules) or sum(map(len, chain(raw[0], raw[1]))) < EXACT_BELOW
    ):
        raw = [["".join(raw[0])], ["".join(raw[1])]]
        words = [[list(chain.from_iterable(words[0]))], [list(chain.from_iterable(words[1]))]]
    chars, stretches = compare_pieces(character_pieces(raw[0], raw[1], rules))
    word_counts = count_id_pieces(zip(words[0], words[1], strict=True))
    missing, extra, error = bag_of_words(*(list(chain.from_iterable(w)) for w in words))
    return Measures(chars, word_counts, missing, extra, error), stretches


def _confusions(stretches: Iterable[tuple[str, str]], top: int) -> tuple[tuple[str, str, int], ...]:
    counts = Counter(
        (a, b)
        for a, b in stretches
        if count_graphemes(a, MAX_CONFUSION) <= MAX_CONFUSION
        and count_graphemes(b, MAX_CONFUSION) <= MAX_CONFUSION
    )
    return tuple((a, b, n) for (a, b), n in counts.most_common(top))


def _runs(table: Alignment, ref: int, hyp: int) -> list[tuple[int, int]]:
    """``(first, end)`` of each run of at least ``RUN`` ranks where both witnesses have a
    token and the same one as written."""
    same = bytes([not differs for differs in table.differing(ref, hyp)])
    return [m.span() for m in re.finditer(b"\x01{%d,}" % RUN, same)]


def _cut_ranks(
    table: Alignment,
    sides: tuple[int, int],
    runs: Sequence[tuple[int, int]],
    masks: Masks,
) -> list[int]:
    """The ranks the texts are cut before: each near the middle of an agreeing run at least
    ``SPREAD`` times as long as the shorter gap of disagreement beside it, ``PIECE`` ranks
    or more after the previous cut, where both tokens follow whitespace, a letter or digit
    stands either side, and the tokens of the ``RUN // 2`` ranks either side are kept
    (``masks``) alike."""
    rows = (table.rows[sides[0]], table.rows[sides[1]])
    spaces = (table.tokens[sides[0]].space_before, table.tokens[sides[1]].space_before)
    half = RUN // 2

    texts = table.tokens[sides[0]].text

    def fits(r: int) -> bool:
        a, b = rows[0][r], rows[1][r]
        # Letters or digits either side keep a grapheme cluster from spanning the cut (which
        # character_pieces would mend, by joining the pieces again).
        if not (spaces[0][a] and spaces[1][b] and texts[a][:1].isalnum()):
            return False
        if not texts[rows[0][r - 1]][-1:].isalnum():
            return False
        ma, mb = masks
        return (
            _keeps(ma, a)
            and _keeps(mb, b)
            and all(
                _keeps(ma, rows[0][x]) == _keeps(mb, rows[1][x]) for x in range(r - half, r + half)
            )
        )

    cuts: list[int] = []
    for n, (s, e) in enumerate(runs):
        before = runs[n - 1][1] if n else 0
        after = runs[n + 1][0] if n + 1 < len(runs) else len(table)
        if e - s < SPREAD * min(s - before, after - e):
            continue
        middle = (s + e) // 2
        if middle - (cuts[-1] if cuts else 0) < PIECE:
            continue
        around = chain(range(middle, e - half), range(middle - 1, s + half - 1, -1))
        cut = next((r for r in around if fits(r)), None)
        if cut is not None:
            cuts.append(cut)
    return cuts


def _positions(
    table: Alignment, sides: tuple[int, int], ranks: Iterable[int], indexes: tuple[Indexes, Indexes]
) -> list[tuple[int, int]]:
    """The cut ``ranks`` as positions in each side's ``indexes`` (ascending both ways)."""
    found: list[tuple[int, int]] = []
    for r in ranks:
        pair = []
        for w, kept in zip(sides, indexes, strict=True):
            k = table.rows[w][r]
            i = bisect_left(kept, k)
            pair.append(i if 0 < i < len(kept) and kept[i] == k else -1)
        if min(pair) > 0 and (not found or (found[-1][0] < pair[0] and found[-1][1] < pair[1])):
            found.append((pair[0], pair[1]))
    return found


def _categories(
    collation: Collation,
    table: Alignment,
    sides: tuple[_Side, _Side],
    rules: CountingRules,
    whole: Measures | None,
) -> tuple[CategoryErrors, ...]:
    """Errors by category; ``whole``, the figures of all tokens, stands for a variant that
    holds them all (two texts with nothing in common), which is not measured twice."""
    ref, hyp = _sides(collation)
    found: dict[Category, list[int]] = {c: [0, 0, 0] for c in Category}
    sizes = (len(collation.tokens[ref]), len(collation.tokens[hyp]))
    for variant in collation.variants:
        cells = [
            table.token_indexes(w, variant.first_rank, variant.last_rank + 1) for w in (ref, hyp)
        ]
        entry = found[variant.category]
        entry[0] += 1
        if whole is not None and (len(cells[0]), len(cells[1])) == sizes:
            entry[1] += whole.chars.distance
            entry[2] += whole.words.distance
            continue
        texts = [
            characters(prepare(_joined(s, c, 0, len(c)), rules))
            for s, c in zip(sides, cells, strict=True)
        ]
        words = [_words(s, c, 0, len(c)) for s, c in zip(sides, cells, strict=True)]
        entry[1] += distance(*texts)
        entry[2] += distance(*words)
    return tuple(CategoryErrors(c, *found[c]) for c in Category)


def _sides(collation: Collation) -> tuple[int, int]:
    ref = collation.alignment.sigla.index(collation.base)
    return ref, 1 - ref


def _page_spans(table: Alignment, hyp: int, page: int) -> dict[int, list[tuple[int, int]]]:
    """The rank spans of each page: a rank goes to the page of the hypothesis token last
    seen (``page`` before any)."""
    pages = table.tokens[hyp].page
    spans: dict[int, list[tuple[int, int]]] = {}
    start = 0
    for r, k in enumerate(table.rows[hyp]):
        if k != NONE and pages[k] != page:
            if r > start:
                spans.setdefault(page, []).append((start, r))
            page, start = pages[k], r
    if len(table) > start:
        spans.setdefault(page, []).append((start, len(table)))
    return spans


def _pages(
    collation: Collation,
    table: Alignment,
    sides: tuple[_Side, _Side],
    masks: Masks,
    cuts: Sequence[int],
    rules: CountingRules,
    whole: Measures,
) -> tuple[PageErrors, ...]:
    """Figures per page of the hypothesis (see :func:`_page_spans`); only tokens ``masks``
    keep are counted (``whole``: their figures, for a single page)."""
    ref, hyp = _sides(collation)
    hyp_pages = collation.tokens[hyp].page
    page = hyp_pages[0] if hyp_pages else 1
    if len(table) and (not hyp_pages or min(hyp_pages) == max(hyp_pages) == page):
        return (PageErrors(page, whole.chars, whole.words),)
    spans = _page_spans(table, hyp, page)
    if len(spans) == 1:
        return (PageErrors(next(iter(spans)), whole.chars, whole.words),)
    result = []
    for number, ranges in sorted(spans.items()):
        indexes: tuple[list[int], list[int]] = ([], [])
        positions: list[tuple[int, int]] = []
        for lo, hi in ranges:
            bounds = [lo, *cuts[bisect_left(cuts, lo + 1) : bisect_left(cuts, hi)], hi]
            for a, b in pairwise(bounds):
                if a > lo and indexes[0] and indexes[1]:
                    positions.append((len(indexes[0]), len(indexes[1])))
                for kept, w, mask in zip(indexes, (ref, hyp), masks, strict=True):
                    kept.extend(
                        k for k in table.rows[w][a:b] if k != NONE and (mask is None or mask[k])
                    )
        measures, _ = _measure(sides, indexes, positions, rules)
        result.append(PageErrors(number, measures.chars, measures.words))
    return tuple(result)


def measure_fidelity(
    collation: Collation,
    rules: CountingRules,
    exclude: Iterable[Category] = (),
    top: int = 10,
) -> Fidelity:
    """The fidelity report of a two-witness collation whose base is the reference.

    ``exclude`` may hold ``furniture`` and ``markup``: the headline figures then
    leave those tokens out (the report always gives both scopes anyway).
    """
    ref, hyp = _sides(collation)
    drop = set(exclude)
    sigla = collation.alignment.sigla
    table = collation.alignment
    columns = tuple(collation.tokens[w] for w in (ref, hyp))
    ids = {"": 0}  # the words of both sides, numbered
    sides = (_side(columns[0], rules, ids), _side(columns[1], rules, ids))
    # The ranks index the collation's tokens (always, from the pipeline): cut between them.
    same = table.tokens[ref] is columns[0] and table.tokens[hyp] is columns[1]
    runs = _runs(table, ref, hyp) if same and cuttable(rules) else []

    headline = _masks(columns, Category.FURNITURE in drop, Category.MARKUP in drop)
    text = _masks(columns, True, True)

    def measure(masks: Masks) -> tuple[Measures, list[tuple[str, str]], list[int]]:
        indexes = (_kept(len(columns[0]), masks[0]), _kept(len(columns[1]), masks[1]))
        cuts = _cut_ranks(table, (ref, hyp), runs, masks)
        positions = _positions(table, (ref, hyp), cuts, indexes)
        return *_measure(sides, indexes, positions, rules), cuts

    measures, stretches, cuts = measure(headline)
    if _counts(text, columns) != _counts(headline, columns):  # else the same tokens
        text_only, stretches, _ = measure(text)
    else:
        text_only = measures
    if not same:  # the ranks' own tokens, as the table numbers them
        columns = (table.tokens[ref], table.tokens[hyp])
        sides = (_side(columns[0], rules, ids), _side(columns[1], rules, ids))
        headline = _masks(columns, Category.FURNITURE in drop, Category.MARKUP in drop)
    scope = "all text" if not drop else "without " + " and ".join(sorted(c.value for c in drop))
    return Fidelity(
        reference=sigla[ref],
        hypothesis=sigla[hyp],
        rules=rules.names(),
        scope=scope,
        measures=measures,
        text_only=text_only,
        categories=_categories(collation, table, sides, rules, None if drop else measures),
        confusions=_confusions(stretches, top),
        pages=_pages(collation, table, sides, headline, cuts, rules, measures),
        text_only_warning=text_only_warning(
            measures if not drop else measure(_masks(columns, False, False))[0], text_only
        ),
    )
