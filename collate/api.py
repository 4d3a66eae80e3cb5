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
from collate.readers import ReadOptions
from collate.readers import read_witnesses as _read_witnesses

Source = Witness | str | PathLike[str]


def read_witnesses(
    sources: Sequence[Source], options: ReadOptions | None = None
) -> tuple[Witness, ...]:
    """The witnesses of ``sources``: each a :class:`Witness` (kept as it is), a witness file,
    a folder of witnesses or a CollateX JSON file, read by ``options``; sigla come out
    distinct."""
    if isinstance(sources, str | PathLike):
        raise UsageError(
            f"{Param('sources')}: give a list of witnesses or paths, not one path "
            f"({sources!s}); a folder is given as [folder]"
        )
    witnesses: list[Witness] = []
    for source in sources:
        if isinstance(source, Witness):
            witnesses.append(source)
        else:
            witnesses.extend(_read_witnesses([Path(source)], options))
    sigla = [w.siglum for w in witnesses]
    repeated = sorted({s for s in sigla if sigla.count(s) > 1})
    if repeated:
        raise UsageError(
            f"{Param('sources')}: two witnesses have the siglum {repeated[0]}; "
            "give each witness a siglum of its own"
        )
    return tuple(witnesses)


def collate(
    sources: Sequence[Source],
    options: CollationOptions | None = None,
    read: ReadOptions | None = None,
) -> Collation:
    """Collate the witnesses of ``sources`` (see :func:`read_witnesses`) end to end."""
    return _collate(read_witnesses(sources, read), options)


def fidelity(
    reference: Source,
    hypothesis: Source,
    rules: CountingRules | None = None,
    read: ReadOptions | None = None,
) -> Fidelity:
    """How faithful ``hypothesis`` (e.g. OCR) is to ``reference`` (e.g. a transcript): CER,
    WER and where the errors are, counted by ``rules``."""
    witnesses = read_witnesses([reference, hypothesis], read)
    if len(witnesses) != 2:
        raise UsageError(
            f"{Param('reference')}, {Param('hypothesis')}: give one witness each "
            f"({len(witnesses)} read)"
        )
    collation = _collate(witnesses, CollationOptions(context=0))
    return measure_fidelity(collation, rules or CountingRules())


def render_as(
    result: Collation,
    format_name: str,
    *,
    variants: Sequence[Variant] | None = None,
    title: str = "",
) -> str:
    """``result`` as text in the output format ``format_name`` (``json``, ``html``,
    ``tei``, ``csv``, ``tsv``, ``collatex-json``); ``variants`` marks a selection of the
    variants (default: all)."""
    from collate.render.formats import render

    return render(result, format_name, variants=variants, title=title)
