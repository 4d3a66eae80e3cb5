"""The public entry points, for Python callers: read, collate, measure, render.

Each takes witnesses as :class:`Witness` objects or as paths (files, folders of witnesses,
CollateX JSON), runs the pipeline and returns its result; none of them prints, exits, forks
a process or touches the garbage collector unless its options ask for it. ``import collate``
gives these names (see ``collate/__init__.py`` and docs/api.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path

from collate.errors import Param, UsageError
from collate.fidelity import Fidelity, measure_fidelity
from collate.metrics import CountingRules
from collate.model import Variant, Witness
from collate.pipeline import Collation, CollationOptions
from collate.pipeline import collate as _collate
from collate.readers import ReadOptions, distinct_sigla, read_sources
from collate.render.formats import render

Source = Witness | str | PathLike[str]


def read_witnesses(
    sources: Sequence[Source], options: ReadOptions | None = None
) -> tuple[Witness, ...]:
    """The witnesses of ``sources``: each a :class:`Witness` (kept as it is), a witness file,
    a folder of witnesses or a CollateX JSON file, read by ``options``. A siglum given twice
    gets ``-2``, ``-3``, ... as on the command line."""
    if isinstance(sources, str | PathLike):
        raise UsageError(
            Param("sources"),
            f": give a list of witnesses or paths, not one path ({sources!s}); "
            "a folder is given as [folder]",
        )
    witnesses: list[Witness] = []
    for source in sources:
        if isinstance(source, Witness):
            witnesses.append(source)
        else:
            witnesses.extend(read_sources([Path(source)], options))
    return distinct_sigla(witnesses)


def collate(
    sources: Sequence[Source],
    options: CollationOptions | None = None,
    read: ReadOptions | None = None,
) -> Collation:
    """Collate the witnesses of ``sources`` (see :func:`read_witnesses`) end to end."""
    witnesses = read_witnesses(sources, read)
    if not witnesses:
        raise UsageError(Param("sources"), ": no witness given; give at least one")
    return _collate(witnesses, options)


def measure(
    reference: Source,
    hypothesis: Source,
    rules: CountingRules | None = None,
    read: ReadOptions | None = None,
) -> Fidelity:
    """How faithful ``hypothesis`` (e.g. OCR) is to ``reference`` (e.g. a transcript): CER,
    WER and where the errors are, counted by ``rules`` (default: as ``collate fidelity``)."""
    pair = read_witnesses([reference, hypothesis], read)
    if len(pair) != 2:
        raise UsageError(
            Param("reference"),
            ", ",
            Param("hypothesis"),
            f": give one witness each, not a folder or a collection ({len(pair)} read)",
        )
    collation = _collate(pair, CollationOptions(context=0))
    return measure_fidelity(collation, rules or CountingRules())


def render_as(
    result: Collation,
    format_name: str,
    *,
    variants: Sequence[Variant] | None = None,
    title: str | None = None,
) -> str:
    """``result`` as text in the output format ``format_name`` (``json``, ``html``,
    ``tei``, ``csv``, ``tsv``, ``collatex-json``: see ``collate.render.FORMATS``);
    ``variants`` marks a selection of the variants (default: all), ``title`` titles the
    document (default: one made of the sigla)."""
    return render(result, format_name, variants=variants, title=title)
