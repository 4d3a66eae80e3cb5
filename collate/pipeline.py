"""The pipeline: the only module that knows the stage order.

witnesses -> segment -> tokenize -> normalize -> align (again, when furniture is body text
in another witness) -> find variants (variation units)
-> merge transpositions -> nest long omissions -> each witness's context.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass

from collate._gc import paused_gc
from collate._parallel import available_cores, map_items
from collate.alignment import AlignmentOptions, align
from collate.errors import Param, UsageError
from collate.furniture import reconcile
from collate.model import Alignment, Segment, TokenColumns, Variant, Witness
from collate.nesting import nest
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
    """What the user chose: normalisation preset or rules, base siglum, thresholds.

    ``jobs`` and ``pause_gc`` touch the process, so they are off unless asked for: by default
    a collation runs in the caller's process alone with the garbage collector as the caller
    has it. ``jobs=0`` prepares long witnesses (:data:`PARALLEL_CHARS` in all) and aligns three
    or more of them against the pivot on every core, ``jobs=N`` in up to N processes (this one
    and forked children); ``pause_gc=True`` turns
    the cyclic garbage collector off while the collation runs (see ``collate/_gc.py``) and
    back as it was after it. The command line asks for both.
    """

    normalization: str = "default"
    base: str | None = None
    no_base: bool = False
    near_match: float = 0.7
    context: int = 4
    jobs: int = 1  # processes for long witnesses: 1 for this one only, 0 for every core
    exact: bool = False  # align long texts without cutting them at anchors (AlignmentOptions)
    pause_gc: bool = False  # the cyclic garbage collector off during the collation


@dataclass(frozen=True)
class Collation:
    """Everything the stages produced, for renderers to read."""

    witnesses: tuple[Witness, ...]
    segments: tuple[tuple[Segment, ...], ...]
    alignment: Alignment  # the witnesses' tokens (as columns) and how they align
    variants: tuple[Variant, ...]
    base: str  # the base witness, or with has_base False the witness that gives context
    normalization: str
    rules: tuple[str, ...]
    has_base: bool = True

    @property
    def tokens(self) -> tuple[TokenColumns, ...]:
        """Each witness's tokens, in witness order."""
        return self.alignment.tokens

    def __repr__(self) -> str:
        sigla = ", ".join(w.siglum for w in self.witnesses)
        base = f"base {self.base}" if self.has_base else "no base"
        return (
            f"<Collation of {len(self.witnesses)} witnesses ({sigla}); {base}; "
            f"{len(self.alignment)} ranks, {len(self.variants)} variants>"
        )

    def _repr_html_(self) -> str:
        """The self-contained HTML apparatus in a sandboxed frame: how a notebook shows a
        collation. The renderer is imported here, on display, since renderers come after
        the pipeline."""
        from html import escape

        from collate.render.formats import render

        return (
            f'<iframe sandbox="allow-scripts" srcdoc="{escape(render(self, "html"))}" '
            'style="width: 100%; height: 36em; border: 0"></iframe>'
        )


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
            Param("base", base), f": no witness has that siglum; choose one of {', '.join(sigla)}"
        )
    return sigla.index(base)


def collate(witnesses: Sequence[Witness], options: CollationOptions | None = None) -> Collation:
    """Collate the witnesses (at least one) end to end."""
    options = options or CollationOptions()
    with paused_gc() if options.pause_gc else nullcontext():
        return _collate(witnesses, options)


def _collate(witnesses: Sequence[Witness], options: CollationOptions) -> Collation:
    if not 0.0 < options.near_match <= 1.0:
        raise UsageError(
            Param("near_match", options.near_match), ": give a similarity above 0 and at most 1"
        )
    rules = resolve(options.normalization)
    if options.no_base and options.base is not None:
        raise UsageError(
            Param("base"), " and ", Param("no_base"), " exclude each other; give one of them"
        )
    base = _base_index(witnesses, options.base)
    jobs = available_cores(options.jobs)
    if sum(len(w.text) for w in witnesses) < PARALLEL_CHARS:
        jobs = 1
    prepared = map_items(_prepare, [(w, options.normalization) for w in witnesses], jobs)
    segments = tuple(segs for segs, _ in prepared)
    tokens = tuple(toks for _, toks in prepared)
    sigla = tuple(w.siglum for w in witnesses)
    alignment_options = AlignmentOptions(
        near_match=options.near_match, exact=options.exact, jobs=jobs
    )
    alignment = align(tokens, alignment_options)
    reconciled = reconcile(alignment, segments)
    if reconciled is not None:  # furniture that is body text elsewhere: aligned as body text
        tokens, segments = reconciled
        alignment = align(tokens, alignment_options)
    variant_options = VariantOptions(
        base=base,
        has_base=not options.no_base,
        context=options.context,
        near_match=options.near_match,
        texts=tuple(w.text for w in witnesses),
    )
    variants = find_variants(alignment, variant_options)
    variants = find_transpositions(alignment, variants, variant_options)
    variants = nest(alignment, variants, variant_options)
    return Collation(
        witnesses=tuple(witnesses),
        segments=segments,
        alignment=alignment,
        variants=variants,
        base=sigla[base],
        normalization=options.normalization,
        rules=tuple(rule.name for rule in rules),
        has_base=not options.no_base,
    )
