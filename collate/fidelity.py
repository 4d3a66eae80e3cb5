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

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from collate.metrics import (
    CountingRules,
    EditCounts,
    bag_of_words,
    characters,
    compare_units,
    count_graphemes,
    prepare,
)
from collate.model import MARKUP_TOKEN_KINDS, Category, Token, TokenKind
from collate.pipeline import Collation
from collate.variants import join

MAX_CONFUSION = 4  # graphemes on either side of a listed confusion


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


def _text_only(token: Token) -> bool:
    return not token.furniture and token.kind not in MARKUP_TOKEN_KINDS


def _units(tokens: Sequence[Token], rules: CountingRules) -> tuple[Sequence[str], list[str]]:
    """Graphemes of the joined text and the word tokens, under the counting rules."""
    chars = characters(prepare(join(tokens), rules))
    words = [prepare(t.text, rules) for t in tokens if t.kind is TokenKind.WORD]
    return chars, [w for w in words if w]


def _measure(
    ref: Sequence[Token], hyp: Sequence[Token], rules: CountingRules
) -> tuple[Measures, list[tuple[str, str]]]:
    ref_chars, ref_words = _units(ref, rules)
    hyp_chars, hyp_words = _units(hyp, rules)
    chars, stretches = compare_units(ref_chars, hyp_chars)
    words = compare_units(ref_words, hyp_words)[0]
    missing, extra, error = bag_of_words(ref_words, hyp_words)
    return Measures(chars, words, missing, extra, error), stretches


def _confusions(stretches: Iterable[tuple[str, str]], top: int) -> tuple[tuple[str, str, int], ...]:
    counts = Counter(
        (a, b)
        for a, b in stretches
        if count_graphemes(a, MAX_CONFUSION) <= MAX_CONFUSION
        and count_graphemes(b, MAX_CONFUSION) <= MAX_CONFUSION
    )
    return tuple((a, b, n) for (a, b), n in counts.most_common(top))


def _categories(
    collation: Collation, rules: CountingRules, whole: Measures | None
) -> tuple[CategoryErrors, ...]:
    """Errors by category; ``whole``, the figures of all tokens, stands for a variant that
    holds them all (two texts with nothing in common), which is not measured twice."""
    ref, hyp = _sides(collation)
    found: dict[Category, list[int]] = {c: [0, 0, 0] for c in Category}
    ranks = collation.alignment.ranks
    sizes = (len(collation.tokens[ref]), len(collation.tokens[hyp]))
    for variant in collation.variants:
        cells = ranks[variant.first_rank : variant.last_rank + 1]
        ref_cells = [t for r in cells for t in r.cells[ref]]
        hyp_cells = [t for r in cells for t in r.cells[hyp]]
        if whole is not None and (len(ref_cells), len(hyp_cells)) == sizes:
            measures = whole
        else:
            measures, _ = _measure(ref_cells, hyp_cells, rules)
        entry = found[variant.category]
        entry[0] += 1
        entry[1] += measures.chars.distance
        entry[2] += measures.words.distance
    return tuple(CategoryErrors(c, *found[c]) for c in Category)


def _sides(collation: Collation) -> tuple[int, int]:
    ref = collation.alignment.sigla.index(collation.base)
    return ref, 1 - ref


def _pages(
    collation: Collation, rules: CountingRules, keep: Callable[[Token], bool], whole: Measures
) -> tuple[PageErrors, ...]:
    """Ranks go to the page of the hypothesis token last seen (the first page before any);
    only tokens ``keep`` accepts are counted (``whole``: their figures, for a single page)."""
    ref, hyp = _sides(collation)
    hyp_tokens = collation.tokens[hyp]
    page = hyp_tokens[0].page if hyp_tokens else 1
    split: dict[int, tuple[list[Token], list[Token]]] = {}
    for rank in collation.alignment.ranks:
        if rank.cells[hyp]:
            page = rank.cells[hyp][0].page
        sides = split.setdefault(page, ([], []))
        sides[0].extend(t for t in rank.cells[ref] if keep(t))
        sides[1].extend(t for t in rank.cells[hyp] if keep(t))
    if len(split) == 1:
        return (PageErrors(page, whole.chars, whole.words),)
    result = []
    for number, (ref_tokens, hyp_tokens_on_page) in sorted(split.items()):
        measures, _ = _measure(ref_tokens, hyp_tokens_on_page, rules)
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

    def keep(t: Token) -> bool:
        return not (
            (Category.FURNITURE in drop and t.furniture)
            or (Category.MARKUP in drop and t.kind in MARKUP_TOKEN_KINDS)
        )

    ref_tokens, hyp_tokens = collation.tokens[ref], collation.tokens[hyp]
    kept = ([t for t in ref_tokens if keep(t)], [t for t in hyp_tokens if keep(t)])
    measures, stretches = _measure(*kept, rules)
    text = ([t for t in ref_tokens if _text_only(t)], [t for t in hyp_tokens if _text_only(t)])
    if (len(text[0]), len(text[1])) != (len(kept[0]), len(kept[1])):  # else the same tokens
        text_only, stretches = _measure(*text, rules)
    else:
        text_only = measures
    scope = "all text" if not drop else "without " + " and ".join(sorted(c.value for c in drop))
    return Fidelity(
        reference=collation.alignment.sigla[ref],
        hypothesis=collation.alignment.sigla[hyp],
        rules=rules.names(),
        scope=scope,
        measures=measures,
        text_only=text_only,
        categories=_categories(collation, rules, None if drop else measures),
        confusions=_confusions(stretches, top),
        pages=_pages(collation, rules, keep, measures),
    )
