"""The output formats of a collation, in one registry: a format is one :class:`Format` entry.

``collate compare --format`` offers every entry (and the terminal views), ``collate batch``
writes its reports through it, and a Python caller renders with :func:`render` (the whole
text) or :func:`render_pieces` (the text in pieces, to write one after the other: a long
collation's output is never held whole). Adding a format is adding an entry to
:data:`FORMATS`; the renderer's module is imported only when the format is rendered, so a
command loads only what it needs.

The terminal views (the variant list and the alignment table, ``--format table`` with
``--view``) are not formats here: they are rich renderables laid out for a terminal's width
and colours, which the command line prints (``collate/render/terminal.py``,
``collate/render/grid.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from collate.errors import Param, UsageError

if TYPE_CHECKING:
    from collate.fidelity import Fidelity
    from collate.model import Variant
    from collate.pipeline import Collation


# Named tuples, not dataclasses: as immutable, and a tenth of the cost to define when a
# command starts.


class Context(NamedTuple):
    """What a renderer may use besides the collation and the variants it marks."""

    title: str = ""  # empty: the renderer's own ("Collation of A / B")
    fidelity: Fidelity | None = None  # for HTML: figures measured already, else measured there


Renderer = Callable[["Collation", "Sequence[Variant]", Context], Iterable[str]]


class Format(NamedTuple):
    """An output format: its name, what it is, the suffix of its files and its renderer."""

    name: str
    description: str
    suffix: str
    renderer: Renderer


def _json(collation: Collation, variants: Sequence[Variant], context: Context) -> Iterable[str]:
    from collate.render.json import render_json_pieces

    return render_json_pieces(collation, variants)


def _html(collation: Collation, variants: Sequence[Variant], context: Context) -> Iterable[str]:
    from collate.render.html import render_html_pieces

    fidelity = context.fidelity
    if fidelity is None and len(collation.witnesses) == 2:  # the second measured by the first
        from collate.fidelity import measure_fidelity
        from collate.metrics import CountingRules

        fidelity = measure_fidelity(collation, CountingRules())
    return render_html_pieces(collation, variants, fidelity, context.title)


def _tei(collation: Collation, variants: Sequence[Variant], context: Context) -> Iterable[str]:
    from collate.render.tei import render_tei

    return (render_tei(collation, variants, context.title),)


def _table(delimiter: str) -> Renderer:
    def table(collation: Collation, variants: Sequence[Variant], context: Context) -> Iterable[str]:
        from collate.render.table import render_table

        return (render_table(collation, delimiter),)

    return table


def _collatex(collation: Collation, variants: Sequence[Variant], context: Context) -> Iterable[str]:
    from collate.render.collatex import render_collatex

    return (render_collatex(collation),)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "the whole collation as JSON", ".json", _json),
        Format("html", "self-contained HTML apparatus", ".html", _html),
        Format("tei", "TEI P5 document", ".tei.xml", _tei),
        Format("csv", "the alignment table as CSV", ".csv", _table(",")),
        Format("tsv", "the alignment table as TSV", ".tsv", _table("\t")),
        Format("collatex-json", "CollateX's alignment-table JSON", ".collatex.json", _collatex),
    )
}


def get_format(name: str) -> Format:
    """The format called ``name``; a :class:`UsageError` naming the known ones if none is."""
    found = FORMATS.get(name)
    if found is None:
        raise UsageError(
            Param("format_name", name), f": no such format; choose one of {', '.join(FORMATS)}"
        )
    return found


def render_pieces(
    collation: Collation,
    format_name: str,
    *,
    variants: Sequence[Variant] | None = None,
    title: str | None = None,
    fidelity: Fidelity | None = None,
) -> Iterator[str]:
    """The collation in format ``format_name``, in pieces to be written one after the other.

    ``variants`` is the selection to mark (default: all of the collation's), ``title`` the
    document's title (default: one made of the sigla); ``fidelity`` gives HTML figures
    measured under other counting rules (default: for two witnesses, the second measured
    against the first with the default rules). Raises :class:`UsageError` for an unknown
    format before rendering anything.
    """
    found = get_format(format_name)
    marked = collation.variants if variants is None else variants
    return iter(found.renderer(collation, marked, Context(title or "", fidelity)))


def render(
    collation: Collation,
    format_name: str,
    *,
    variants: Sequence[Variant] | None = None,
    title: str | None = None,
    fidelity: Fidelity | None = None,
) -> str:
    """The collation in format ``format_name`` as one string (see :func:`render_pieces`)."""
    pieces = render_pieces(
        collation, format_name, variants=variants, title=title, fidelity=fidelity
    )
    return "".join(pieces)
