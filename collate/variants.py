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
punctuation (equal without punctuation tokens and the hyphens inside words),
case, orthographic (equal once normalised, or word for word similar, with
Cyrillic and Greek look-alikes read as the Latin letter; words whose digits
differ are never similar), else substantive. docs/stages/variants.md has
the rules as a table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from rapidfuzz import fuzz

from collate._spans import consecutive
from collate.contexts import context_indexes, contexts_of
from collate.lookalike import latinized
from collate.model import (
    MARKUP_TOKEN_KINDS,
    NONE,
    Alignment,
    Category,
    Location,
    TokenColumns,
    TokenKind,
    Variant,
    VariantKind,
)

T = TypeVar("T")


@dataclass(frozen=True)
class VariantOptions:
    """Base witness (index), context size in tokens, near-match similarity.

    ``has_base=False``: no base; kinds are left out and ``base`` only gives the context.
    """

    base: int = 0
    has_base: bool = True
    context: int = 4
    near_match: float = 0.7
    # the witnesses' texts, in the alignment's order, for each witness's own context as
    # written (no such contexts without them)
    texts: tuple[str, ...] = ()


def _rank_class(table: Alignment, r: int) -> tuple[str, tuple[int | None, ...]]:
    """The class of rank ``r`` and its signature (each witness's segment there)."""
    columns = table.tokens
    cells = [row[r] for row in table.rows]
    present = [(w, k) for w, k in enumerate(cells) if k != NONE]
    signature = tuple(columns[w].segment[k] if k != NONE else None for w, k in enumerate(cells))
    if all(columns[w].furniture[k] for w, k in present):
        return "furniture", signature
    if all(columns[w].markup[k] for w, k in present):
        return "markup", signature
    return "text", signature


def _runs(table: Alignment) -> list[tuple[int, int, str]]:
    """``(first, last, class)`` of each run of disagreeing ranks."""
    ranks = table.disagreeing()
    runs: list[tuple[int, int, str]] = []
    if not any(c.any_furniture or 1 in c.markup for c in table.tokens):
        # every rank is text, so no rank's class needs working out (12 % of compare on the
        # 100k pair, benchmarks/speed.py): runs of consecutive ranks
        return [(first, end - 1, "text") for first, end in consecutive(ranks)]
    previous: tuple[int, str, tuple[int | None, ...]] | None = None
    for r in ranks:
        if previous is not None and previous[0] != r - 1:
            previous = None  # an agreeing rank stood between
        cls, sig = _rank_class(table, r)
        same = previous is not None and previous[1] == cls
        if same and cls == "furniture" and previous is not None and previous[2] != sig:
            same = False
        if same:
            runs[-1] = (runs[-1][0], r, cls)
        else:
            runs.append((r, r, cls))
        previous = (r, cls, sig)
    return runs


def _split(
    table: Alignment, texts: Sequence[Sequence[str | None]], first: int, last: int
) -> list[tuple[int, int]]:
    """The variation units of the disagreeing ranks ``first`` to ``last``: the run is cut
    before a rank wherever two witnesses share a token there and differed at the last rank of
    the unit where either had one, or differ there and shared a token at that rank (ranks
    where both have none do not count). ``texts``: each witness's token texts followed by
    ``None``, which ``NONE`` (-1) picks. With two witnesses a run is never cut."""
    if len(table.tokens) < 3 or first == last:
        return [(first, last)]
    units: list[tuple[int, int]] = []
    start = first
    seen: list[tuple[int, str] | None] = [None] * len(texts)  # each witness's last token
    for r in range(first, last + 1):
        here = [text[row[r]] for text, row in zip(texts, table.rows, strict=True)]
        if r > start and _parted(seen, here):
            units.append((start, r - 1))
            start = r
            seen = [None] * len(texts)
        for w, text in enumerate(here):
            if text is not None:
                seen[w] = (r, text)
    units.append((start, last))
    return units


def _parted(seen: Sequence[tuple[int, str] | None], here: Sequence[str | None]) -> bool:
    """Whether two witnesses that last had the same token (``seen``: the rank and text of each
    one's last token in the unit) differ ``here`` (a text, or ``None`` for no token), or two
    that share a token here last had different ones (or only one of them had one)."""
    reading_of: dict[tuple[int, str], str | None] = {}
    last_of: dict[str, tuple[int, str] | None] = {}
    for last, text in zip(seen, here, strict=True):
        if last is not None and reading_of.setdefault(last, text) != text:
            return True
        if text is not None and last_of.setdefault(text, last) != last:
            return True
    return False


class Reading(NamedTuple):
    """A witness's tokens at a variant, read off its columns: texts as written, kinds and
    normalised forms."""

    texts: tuple[str, ...]
    kinds: tuple[TokenKind, ...]
    norms: tuple[str, ...]


def _reading(column: TokenColumns, inside: range) -> Reading:
    """The reading of the tokens ``inside`` (consecutive) of ``column``."""
    i, j = inside.start, inside.stop
    return Reading(tuple(column.text[i:j]), tuple(column.kind[i:j]), tuple(column.norm[i:j]))


def _all_equal(values: Sequence[object]) -> bool:
    return not values or values.count(values[0]) == len(values)


_INNER_HYPHENS = str.maketrans("", "", "-\u2010\u2011")  # the hyphens a word holds


def _digits(word: str) -> str:
    return "".join(filter(str.isdigit, word))


def _similar(words: Sequence[Sequence[str]], threshold: float) -> bool:
    """Whether the readings' words (normalised) are near matches word for word; two words
    whose digits differ (``1941`` / ``1942``) never are."""
    if not _all_equal([len(w) for w in words]) or not words[0]:
        return False
    return all(
        _digits(a) == _digits(b) and fuzz.ratio(a, b) >= threshold * 100
        for other in words[1:]
        for a, b in zip(words[0], other, strict=True)
    )


def categorize(readings: Sequence[Reading], near_match: float = 0.7) -> Category:
    """The category of a text or markup variant with these readings."""
    texts: list[Sequence[str]] = []  # each reading's text tokens (markup left out)
    joined: list[str] = []  # those tokens joined
    stripped: list[str] = []  # its words (punctuation and inner hyphens left out), joined
    norms: list[Sequence[str]] = []  # their normalised forms
    # every test below asks whether all readings are alike, or alike to the first one: the
    # distinct readings decide (with many witnesses, mostly two or three of them)
    for r in dict.fromkeys(readings):
        text, kinds, norm = r.texts, r.kinds, r.norms
        if not MARKUP_TOKEN_KINDS.isdisjoint(kinds):
            kept = [k for k, kind in enumerate(kinds) if kind not in MARKUP_TOKEN_KINDS]
            text, kinds, norm = (
                tuple([text[k] for k in kept]),
                tuple([kinds[k] for k in kept]),
                tuple([norm[k] for k in kept]),
            )
        texts.append(text)
        joined.append("".join(text))
        if TokenKind.PUNCTUATION in kinds:
            wordy = [kind is not TokenKind.PUNCTUATION for kind in kinds]
            stripped.append("".join([t for t, keep in zip(text, wordy, strict=True) if keep]))
            norms.append(tuple([n for n, keep in zip(norm, wordy, strict=True) if keep]))
        else:
            stripped.append(joined[-1])
            norms.append(norm)
        stripped[-1] = stripped[-1].translate(_INNER_HYPHENS)
    if _all_equal(texts):
        return Category.MARKUP
    if _all_equal(joined):
        return Category.SPACING
    if _all_equal(stripped):
        return Category.PUNCTUATION
    if _all_equal(list(map(str.lower, stripped))):
        return Category.CASE
    # Cyrillic and Greek look-alikes of Latin letters (U.S.C. with a Cyrillic U+0421) read as the
    # Latin letter: an encoding difference a reader cannot see, so orthographic
    if _all_equal(list(map(latinized, stripped))):
        return Category.ORTHOGRAPHIC
    norms = [list(map(latinized, n)) for n in norms]
    if _all_equal(list(map("".join, norms))):
        return Category.ORTHOGRAPHIC
    if _similar(norms, near_match):
        return Category.ORTHOGRAPHIC
    return Category.SUBSTANTIVE


def _kind(readings: Sequence[Reading], base: int) -> VariantKind:
    """Addition: the base has nothing; omission: the others have nothing or the base's text."""
    others = [r for w, r in enumerate(readings) if w != base]
    if not readings[base].texts:
        return VariantKind.ADDITION
    text = readings[base].texts
    if all(not r.texts or r.texts == text for r in others):
        return VariantKind.OMISSION
    return VariantKind.SUBSTITUTION


def location(table: Alignment, first: int, last: int, w: int, inside: Sequence[int]) -> Location:
    """Where witness ``w``'s tokens ``inside`` (ranks ``first`` to ``last``) stand, or the gap
    where it has none."""
    column = table.tokens[w]
    if inside:
        k, e = inside[0], inside[-1]
        return Location(column.page[k], column.line[k], column.start[k], column.end[e])
    row = table.rows[w]  # the nearest token after the gap (mostly the next rank's), or before
    k = next((k for k in row[last + 1 : last + 40] if k != NONE), NONE)
    if k != NONE:
        return Location(column.page[k], column.line[k], column.start[k], column.start[k])
    k = next((k for k in reversed(row[max(0, first - 40) : first]) if k != NONE), NONE)
    if k != NONE:
        return Location(column.page[k], column.line[k], column.end[k], column.end[k])
    return Location(1, 1, 0, 0)


def joined_text(column: TokenColumns, indexes: Sequence[int]) -> str:
    """:func:`join` of the tokens ``indexes`` of ``column``, read off the columns."""
    if len(indexes) < 2:  # the commonest readings: one token, or none
        return column.text[indexes[0]] if indexes else ""
    texts, spaces = column.text, column.space_before
    parts = [texts[indexes[0]]]
    for k in indexes[1:]:
        if spaces[k]:
            parts.append(" ")
        parts.append(texts[k])
    return "".join(parts)


def _context(
    table: Alignment,
    span: tuple[int, int, bool],
    base: int,
    size: int,
    inside: range | None = None,
) -> tuple[str, str]:
    """Up to ``size`` of the base's tokens each side of the ``span`` (``(first, last,
    furniture)`` ranks; ``inside``: the base's tokens there, when known), within ``size * 8``
    ranks (furniture left out unless the span is furniture), joined."""
    if size == 0:
        return "", ""
    first, last, furniture = span
    column = table.tokens[base]
    before: Sequence[int]
    after: Sequence[int]
    if furniture or not column.any_furniture:
        b, i, j, a = table.around(base, first, last, size, size * 8, inside)
        before, after = range(b, i), range(j, a)
    else:
        window = table.window(base, first, last, size * 8)
        before, after = context_indexes(column, window, size, body_only=True)
    return joined_text(column, before), joined_text(column, after)


def _by_variant(values: Sequence[Sequence[T]]) -> list[tuple[T, ...]]:
    """Each variant's values in witness order, from each witness's values in variant order."""
    return list(zip(*values, strict=True))


def variants_at(
    table: Alignment,
    spans: Sequence[tuple[int, int, bool]],
    options: VariantOptions,
    among: Sequence[int] | None = None,
    inside: Sequence[Sequence[range]] | None = None,
) -> list[Variant]:
    """The variants at ``spans`` (``(first, last, furniture)`` ranks), numbered from 1 in
    order: furniture for a run of page furniture; ``among`` the witnesses whose readings
    decide the category (all when ``None``); ``inside``: each witness's tokens at each span,
    when known from :meth:`Alignment.token_ranges`. The work goes witness by witness, over
    all spans at once."""
    n = len(table.sigla)
    columns = table.tokens
    ranges: Sequence[Sequence[range]]
    if inside is None:  # empty ranges that stand nowhere: the contexts look for the tokens
        ranges = [[table.token_indexes(w, f, la + 1) for f, la, _ in spans] for w in range(n)]
        base_ranges: Sequence[range | None] = [None] * len(spans)
    else:
        ranges, base_ranges = inside, inside[options.base]
    readings = _by_variant([[joined_text(columns[w], r) for r in ranges[w]] for w in range(n)])
    locations = _by_variant(
        [
            [location(table, f, la, w, r) for (f, la, _), r in zip(spans, ranges[w], strict=True)]
            for w in range(n)
        ]
    )
    contexts = contexts_of(table, spans, options.texts, options.context, inside)
    deciding = range(n) if among is None else among
    variants = []
    for k, span in enumerate(spans):
        first, last, furniture = span
        tokens = [_reading(columns[w], ranges[w][k]) for w in range(n)]
        if furniture:
            category = Category.FURNITURE
        else:
            category = categorize([tokens[w] for w in deciding], options.near_match)
        before, after = _context(table, span, options.base, options.context, base_ranges[k])
        variants.append(
            Variant(
                number=k + 1,
                kind=_kind(tokens, options.base) if options.has_base else None,
                category=category,
                sigla=table.sigla,
                readings=readings[k],
                locations=locations[k],
                context_before=before,
                context_after=after,
                first_rank=first,
                last_rank=last,
                contexts=contexts[k],
            )
        )
    return variants


def variant_at(
    table: Alignment,
    first: int,
    last: int,
    options: VariantOptions,
    furniture: bool = False,
    among: Sequence[int] | None = None,
) -> Variant:
    """The variant at ranks ``first`` to ``last`` (see :func:`variants_at`)."""
    return variants_at(table, [(first, last, furniture)], options, among)[0]


def category_among(
    table: Alignment, first: int, last: int, among: Sequence[int], near_match: float
) -> Category:
    """The category of ranks ``first`` to ``last`` by the readings of the witnesses ``among``."""
    columns = table.tokens
    readings = [_reading(columns[w], table.token_indexes(w, first, last + 1)) for w in among]
    return categorize(readings, near_match)


def find_variants(alignment: Alignment, options: VariantOptions) -> tuple[Variant, ...]:
    """Every variation unit of the alignment, numbered from 1 in rank order."""
    units = _runs(alignment)
    if len(alignment.tokens) > 2:
        texts = [[*column.text, None] for column in alignment.tokens]
        units = [
            (f, la, cls)
            for first, last, cls in units
            for f, la in _split(alignment, texts, first, last)
        ]
    spans = [(first, last, cls == "furniture") for first, last, cls in units]
    ranks = [(first, last) for first, last, _ in spans]
    inside = [alignment.token_ranges(w, ranks) for w in range(len(alignment.tokens))]
    return tuple(variants_at(alignment, spans, options, inside=inside))


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


def starts(variants: Iterable[Variant]) -> dict[int, list[tuple[Variant, int, int]]]:
    """Every place a variant stands at, by its first rank: ``(variant, first, last)``, in the
    order listed (an outer variant before the variants inside it that start where it does)."""
    found: dict[int, list[tuple[Variant, int, int]]] = {}
    for v in variants:
        found.setdefault(v.first_rank, []).append((v, v.first_rank, v.last_rank))
        if v.moved is not None:
            found.setdefault(v.moved[0], []).append((v, v.moved[0], v.moved[1]))
    return found


def select(
    variants: Iterable[Variant], only: Iterable[Category] = (), exclude: Iterable[Category] = ()
) -> tuple[Variant, ...]:
    """The variants in ``only`` (all when empty) and not in ``exclude``."""
    keep, drop = set(only), set(exclude)
    return tuple(v for v in variants if (not keep or v.category in keep) and v.category not in drop)
