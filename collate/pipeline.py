"""The pipeline: the only module that knows the stage order.

witnesses -> segment -> tokenize -> normalize -> align -> find variants
-> merge transpositions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from collate._gc import paused_gc
from collate._parallel import available_cores, map_items
from collate.alignment import AlignmentOptions, align
from collate.columns import TokenColumns
from collate.errors import UsageError
from collate.model import Alignment, Segment, Token, Variant, Witness
from collate.normalization import normalize, resolve
from collate.segmentation import segment
from collate.tokenization import tokenize
from collate.transpositions import find_transpositions
from collate.variants import VariantOptions, find_variants

# Witnesses shorter than this in all (about 8,000 words) are prepared in this process: below
# it, forking a child and shipping its tokens back cost about what they save.
PARALLEL_CHARS = 50_000


@dataclass(frozen=True)
class CollationOptions:
    """What the user chose: normalisation preset or rules, base siglum, thresholds."""

    normalization: str = "default"
    base: str | None = None
    no_base: bool = False
    near_match: float = 0.7
    context: int = 4
    jobs: int = 0  # processes for long witnesses: 0 for every core, 1 for this one only
    exact: bool = False  # align long texts without cutting them at anchors (AlignmentOptions)


@dataclass(frozen=True)
class Collation:
    """Everything the stages produced, for renderers to read."""

    witnesses: tuple[Witness, ...]
    segments: tuple[tuple[Segment, ...], ...]
    tokens: tuple[Sequence[Token], ...]
    alignment: Alignment
    variants: tuple[Variant, ...]
    base: str  # the base witness, or with has_base False the witness that gives context
    normalization: str
    rules: tuple[str, ...]
    has_base: bool = True


def _prepare(item: tuple[Witness, str]) -> tuple[tuple[Segment, ...], TokenColumns]:
    """One witness segmented, tokenized and normalised (a unit of work for another core)."""
    witness, normalization = item
    segments = segment(witness)
    return segments, normalize(tokenize(witness, segments), resolve(normalization))


def _base_index(witnesses: Sequence[Witness], base: str | None) -> int:
    if base is None:
        return 0
    sigla = [w.siglum for w in witnesses]
    if base not in sigla:
        raise UsageError(
            f"--base {base}: no witness has that siglum; choose one of {', '.join(sigla)}"
        )
    return sigla.index(base)


def collate(witnesses: Sequence[Witness], options: CollationOptions | None = None) -> Collation:
    """Collate the witnesses (at least one) end to end."""
    with paused_gc():
        return _collate(witnesses, options)


def _collate(witnesses: Sequence[Witness], options: CollationOptions | None) -> Collation:
    options = options or CollationOptions()
    if not 0.0 < options.near_match <= 1.0:
        raise UsageError(
            f"--near-match {options.near_match}: give a similarity above 0 and at most 1"
        )
    rules = resolve(options.normalization)
    if options.no_base and options.base is not None:
        raise UsageError("--base and --no-base exclude each other; give one of them")
    base = _base_index(witnesses, options.base)
    jobs = available_cores(options.jobs)
    if sum(len(w.text) for w in witnesses) < PARALLEL_CHARS:
        jobs = 1
    prepared = map_items(_prepare, [(w, options.normalization) for w in witnesses], jobs)
    segments = tuple(segs for segs, _ in prepared)
    tokens = tuple(toks for _, toks in prepared)
    sigla = tuple(w.siglum for w in witnesses)
    alignment = align(
        tokens, sigla, AlignmentOptions(near_match=options.near_match, exact=options.exact)
    )
    variant_options = VariantOptions(
        base=base,
        has_base=not options.no_base,
        context=options.context,
        near_match=options.near_match,
    )
    variants = find_variants(alignment, variant_options)
    variants = find_transpositions(alignment, variants, variant_options)
    return Collation(
        witnesses=tuple(witnesses),
        segments=segments,
        tokens=tokens,
        alignment=alignment,
        variants=variants,
        base=sigla[base],
        normalization=options.normalization,
        rules=tuple(rule.name for rule in rules),
        has_base=not options.no_base,
    )
