"""Terminal rendering (rich): the variant table, counts by category, furniture.

Each witness's reading stands in brackets inside its own context, as the witness writes
it, so the report reads the same without colour; colour only adds the category's hue. Text from the
witnesses and their names is never read as rich markup, and control characters
show as symbols (``␛``), so a witness cannot style or drive the terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cached_property

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Span, Text

from collate._safe import printable
from collate.model import Category, Location, SegmentKind, Variant, Witness
from collate.pipeline import Collation
from collate.render.boxed import BoxedTable, Column

STYLES = {
    Category.SUBSTANTIVE: "bold red",
    Category.ORTHOGRAPHIC: "bold magenta",
    Category.CASE: "bold yellow",
    Category.PUNCTUATION: "bold cyan",
    Category.SPACING: "bold blue",
    Category.MARKUP: "bold green",
    Category.FURNITURE: "dim",
}


def _context(variant: Variant, w: int) -> tuple[str, str]:
    """Witness ``w``'s context as it writes it, with the space it has (or none) next to the
    reading; without per-witness contexts, the base's, set off by spaces."""
    if variant.contexts:
        return variant.contexts[w]
    before = variant.context_before + " " if variant.context_before else ""
    return before, " " + variant.context_after if variant.context_after else ""


def _reading(variant: Variant, w: int) -> Text:
    """Witness ``w``'s reading in brackets inside its own context: the context and the
    brackets dim, the reading in its category's style (a span for each piece, made at once:
    ``printable`` leaves no control character for rich to take out)."""
    before, after = (printable(part) for part in _context(variant, w))
    reading = printable(variant.readings[w])
    a = len(before)  # where "[" stands
    b = a + 1 + len(reading)  # where "]" stands
    spans = [Span(0, a, "dim")] if before else []
    spans.append(Span(a, a + 1, "dim"))
    if reading:
        spans.append(Span(a + 1, b, STYLES[variant.category]))
    spans.append(Span(b, b + 1, "dim"))
    if after:
        spans.append(Span(b + 1, b + 1 + len(after), "dim"))
    return Text(f"{before}[{reading}]{after}", spans=spans)


def _places(variant: Variant, witnesses: Mapping[str, Witness]) -> tuple[list[str], list[str]]:
    """Each witness's section (TEI ``<div n>``: ``§3.2``), page and line at the variant, a page
    as the source names it (TEI ``<pb n>``); and where it moved from or to (none if not)."""

    def place(siglum: str, loc: Location) -> str:
        witness = witnesses.get(siglum)
        if witness is None:
            return f"p{loc.page}:{loc.line}"
        section = witness.section_at(loc.start) if witness.sections else ""
        where = f"p{witness.page_label(loc.page)}:{loc.line}"
        return f"§{section} {where}" if section else where

    at = [place(s, loc) for s, loc in zip(variant.sigla, variant.locations, strict=True)]
    if variant.moved is None:
        return at, []
    moved = zip(variant.sigla, variant.moved_locations, strict=True)
    return at, [place(s, loc) for s, loc in moved]


def _where(variant: Variant, places: tuple[list[str], list[str]], compact: bool) -> Text:
    """The places (:func:`_places`) a line each, after their sigla; ``compact``: without
    the sigla, in column order."""

    def lines_of(shown: list[str]) -> list[str]:
        return shown if compact else [f"{s} {p}" for s, p in zip(variant.sigla, shown, strict=True)]

    lines = lines_of(places[0])
    if variant.moved is not None:
        lines = [*lines, "moved from/to:", *lines_of(places[1])]
    return Text("\n".join(printable(line) for line in lines))


def _number(variant: Variant) -> Text:
    """The variant's number, and how it nests: ``in N`` for a variant inside variant N,
    ``holds K`` for one that holds K variants."""
    lines = [str(variant.number)]
    if variant.within is not None:
        lines.append(f"in {variant.within}")
    if variant.contains:
        lines.append(f"holds {len(variant.contains)}")
    return Text("\n".join(lines))


def _kind_category(variant: Variant, compact: bool) -> list[Text]:
    """The kind and the category (in its style): two cells, or one of two lines."""
    kind, category = variant.kind.value if variant.kind else "-", variant.category.value
    style = STYLES[variant.category]
    if not compact:
        return [Text(kind), Text(category, style=style)]
    below = len(kind) + 1  # where the category starts
    return [Text(f"{kind}\n{category}", spans=[Span(below, below + len(category), style)])]


def _format(source: str, markup: str) -> str:
    return markup if source == "text" else source


class Report:
    """The terminal report of a collation and a selection of its variants."""

    def __init__(self, collation: Collation, variants: Sequence[Variant]) -> None:
        self.collation = collation
        self.variants = variants

    def _header(self) -> Text:
        c = self.collation
        names = ", ".join(
            f"{w.siglum} ({w.path or 'text'}, {_format(w.source_format, w.markup_format.value)})"
            for w in c.witnesses
        )
        rules = ", ".join(c.rules) or "none"
        first = printable(f"Collation of {names}")
        second = printable(
            f"base: {c.base if c.has_base else 'none'}; "
            f"normalisation: {c.normalization} ({rules}); "
            f"{len(self.variants)} of {len(c.variants)} variants shown"
        )
        return Text(f"{first}\n{second}")

    def _table(self, readings: Sequence[Sequence[Text]], compact: bool = False) -> BoxedTable:
        """The variant list (``readings``: each variant's reading cells); ``compact``: kind
        and category in one column and locations without sigla, so that the readings get the
        room on a narrow terminal."""
        sigla = self.collation.alignment.sigla
        columns = [
            Column(Text("#"), right=True),
            Column(Text("where")),
            *(Column(Text(printable(s)), text=True) for s in sigla),
            *(
                [Column(Text("kind\ncategory"))]
                if compact
                else [Column(Text("kind")), Column(Text("category"))]
            ),
        ]
        rows = [
            [_number(v), _where(v, places, compact), *cells, *_kind_category(v, compact)]
            for v, places, cells in zip(self.variants, self._places, readings, strict=True)
        ]
        return BoxedTable(columns, rows)

    @cached_property
    def _places(self) -> list[tuple[list[str], list[str]]]:
        """Each variant's places (:func:`_places`), found once for either layout."""
        witnesses = {w.siglum: w for w in self.collation.witnesses}
        return [_places(v, witnesses) for v in self.variants]

    def _readings(self) -> list[list[Text]]:
        """Each variant's reading cells, a witness each."""
        return [[_reading(v, w) for w in range(len(v.readings))] for v in self.variants]

    def _fitted(self, width: int) -> BoxedTable:
        """The variant list, compact when its readings would get less room than the other
        columns together (the reading cells made once for both)."""
        readings = self._readings()
        table = self._table(readings)
        widths = table.widths(width)
        if widths is None:
            return self._table(readings, compact=True)
        text = sum(w for w, c in zip(widths, table.columns, strict=True) if c.text)
        return self._table(readings, compact=True) if text < sum(widths) - text else table

    def _counts(self) -> Table:
        counts = Counter(v.category for v in self.variants)
        table = Table(title="Variants by category", title_justify="left")
        table.add_column("category")
        table.add_column("variants", justify="right")
        for category in Category:
            table.add_row(category.value, str(counts[category]))
        table.add_row("total", str(len(self.variants)), style="bold")
        return table

    def _furniture(self) -> Text:
        lines = ["Page furniture (kept apart from the text):"]
        for witness, segments in zip(
            self.collation.witnesses, self.collation.segments, strict=True
        ):
            rules = Counter(s.furniture for s in segments if s.kind is SegmentKind.FURNITURE)
            detail = ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items(), key=str))
            lines.append(
                f"  {printable(witness.siglum)}: {sum(rules.values())} segments "
                f"({detail or 'none'})"
            )
        return Text("\n".join(lines))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts: list[Text | Table | BoxedTable] = [self._header()]
        if self.variants:
            parts.append(self._fitted(options.max_width))
        elif self.collation.variants:
            parts.append(Text("No variants in the selected categories."))
        else:
            parts.append(Text("No variants: the witnesses agree."))
        parts += [self._counts(), self._furniture()]
        yield Group(*parts)
