"""Nesting: variation units -> the same units plus one variant for each long omission.

A witness that has nothing over two or more consecutive variation units (contiguous ranks,
none of them page furniture or a transposition) has one variant spanning them: its omission,
or the others' addition. That variant ``contains`` the units, and each of them lies
``within`` it, keeping its own readings and groups. Inside, a unit where the witnesses that
have text differ among themselves is categorised by their readings alone (the omission is
the outer variant's business); a unit where they all agree is a piece of the omission and is
categorised as a whole. Two such spans that overlap without one holding the other cannot
both be drawn as nested places: the longer (then the earlier) is kept.

With two witnesses no two units are contiguous, so nothing is added.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from itertools import pairwise

from collate.model import Alignment, Category, Variant, VariantKind
from collate.variants import VariantOptions, category_among, variant_at


def _spans(variants: Sequence[Variant]) -> dict[tuple[int, int], set[int]]:
    """Each span of two or more contiguous units where some witness has nothing (as
    ``(first unit, last unit)`` indexes), with the witnesses that have nothing there."""
    spans: dict[tuple[int, int], set[int]] = {}
    # the units an omission can span (text, not moved), and whether each follows the one
    # before it without a rank between
    open_ = [v.moved is None and v.category is not Category.FURNITURE for v in variants]
    joined = [False] + [a.last_rank + 1 == b.first_rank for a, b in pairwise(variants)]
    for w in range(len(variants[0].sigla) if variants else 0):
        empty = [i for i, v in enumerate(variants) if not v.readings[w] and open_[i]]
        start = previous = -2  # the run of empty units being followed
        for i in [*empty, len(variants) + 1]:  # past the end: ends the last run
            if i == previous + 1 and joined[i]:
                previous = i
                continue
            if previous - start >= 1:
                spans.setdefault((start, previous), set()).add(w)
            start = previous = i
    return spans


def _drawable(spans: dict[tuple[int, int], set[int]]) -> list[tuple[int, int]]:
    """The spans that nest with one another: the longer (then the earlier) kept where two
    overlap without one holding the other. Taken longest first, a span crosses one kept
    before it (which is as long or longer) exactly when one of those starts inside it after
    its first unit or ends inside it before its last: two searches in the sorted starts and
    ends, not a look at every span kept."""
    kept: list[tuple[int, int]] = []
    starts: list[int] = []
    ends: list[int] = []
    for lo, hi in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if bisect_right(starts, hi) > bisect_right(starts, lo):  # one starts in (lo, hi]
            continue
        if bisect_left(ends, hi) > bisect_left(ends, lo):  # one ends in [lo, hi)
            continue
        kept.append((lo, hi))
        insort(starts, lo)
        insort(ends, hi)
    return kept


def nest(
    alignment: Alignment, variants: Sequence[Variant], options: VariantOptions
) -> tuple[Variant, ...]:
    """The units with an outer variant for each long omission, numbered in rank order
    (an outer variant before the units it contains), ``within`` and ``contains`` set."""
    spans = _spans(variants)
    if not spans:
        return _linked([(v, None) for v in variants])
    outer = sorted(_drawable(spans), key=lambda s: (s[0], s[0] - s[1]))
    absent: list[set[int]] = [set() for _ in variants]  # witnesses whose omission holds it
    for lo, hi in outer:
        for i in range(lo, hi + 1):
            absent[i] |= spans[(lo, hi)]
    units = [_recategorized(alignment, v, absent[i], options) for i, v in enumerate(variants)]
    outers = [_omission(alignment, variants, span, spans[span], options) for span in outer]
    # in rank order, each outer variant just before the first unit it holds
    entries: list[tuple[Variant, tuple[int, int] | None]] = []
    waiting = deque(zip(outer, outers, strict=True))
    for i, unit in enumerate(units):
        while waiting and waiting[0][0][0] == i:
            span, variant = waiting.popleft()
            entries.append((variant, span))
        entries.append((unit, None))
    return _linked(entries)


def _omission(
    alignment: Alignment,
    variants: Sequence[Variant],
    span: tuple[int, int],
    absent: set[int],
    options: VariantOptions,
) -> Variant:
    """The outer variant of the witnesses ``absent`` over the units ``span``: an omission
    (an addition where the base is among them), categorised by the base's reading (or, where
    it has none, the first witness's that has text) against theirs."""
    first, last = variants[span[0]].first_rank, variants[span[1]].last_rank
    present = [w for w in range(len(alignment.sigla)) if w not in absent]
    witness = options.base if options.base in present else present[0]
    variant = variant_at(alignment, first, last, options, among=[witness, min(absent)])
    if not options.has_base:
        return variant
    kind = VariantKind.ADDITION if options.base in absent else VariantKind.OMISSION
    return replace(variant, kind=kind)


def _recategorized(
    alignment: Alignment, unit: Variant, absent: set[int], options: VariantOptions
) -> Variant:
    """A unit inside an omission, categorised by the witnesses that have text there when
    they differ among themselves."""
    if not absent or unit.moved is not None or unit.category is Category.FURNITURE:
        return unit
    present = [w for w in range(len(unit.sigla)) if w not in absent]
    if len({unit.readings[w] for w in present}) < 2:
        return unit
    category = category_among(
        alignment, unit.first_rank, unit.last_rank, present, options.near_match
    )
    return replace(unit, category=category)


def _linked(entries: Sequence[tuple[Variant, tuple[int, int] | None]]) -> tuple[Variant, ...]:
    """The variants numbered from 1 (entry ``i`` is number ``i + 1``), each outer variant's
    ``contains`` and each unit's ``within`` (the innermost outer variant holding it) filled
    in."""
    parent: dict[int, int] = {}  # entry index -> entry index of the innermost outer one
    open_: list[tuple[int, int]] = []  # (entry index, last rank) of the outer ones around
    for i, (v, span) in enumerate(entries):
        while open_ and open_[-1][1] < v.first_rank:
            open_.pop()
        if open_:
            parent[i] = open_[-1][0]
        if span is not None:
            open_.append((i, v.last_rank))
    children: dict[int, list[int]] = {}
    for child, outer in parent.items():
        children.setdefault(outer, []).append(child + 1)
    linked = []
    for i, (v, _) in enumerate(entries):
        within = parent[i] + 1 if i in parent else None
        contains = tuple(children.get(i, ()))
        if (v.number, v.within, v.contains) != (i + 1, within, contains):
            v = replace(v, number=i + 1, within=within, contains=contains)
        linked.append(v)
    return tuple(linked)
