"""Rendering of fidelity reports: the terminal report of one pair or of many.

Only reads :class:`~collate.fidelity.Fidelity` results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from collate._safe import printable
from collate.fidelity import CATEGORY_RULE, Fidelity, Measures
from collate.metrics import EditCounts
from collate.render.fidelity import Pair, totals


def _rules_title(rules: Sequence[str]) -> Text:
    """The title naming the counting rules (equivalences are the user's: shown as text)."""
    return Text(printable(f"Counting rules: {', '.join(rules)}"))


def _pct(value: float) -> str:
    return f"{value * 100:.2f} %"


def _edits(counts: EditCounts) -> str:
    return f"{counts.distance} ({counts.substitutions}/{counts.insertions}/{counts.deletions})"


FIGURES: tuple[tuple[str, Callable[[Measures], str]], ...] = (
    ("CER", lambda m: _pct(m.chars.rate)),
    ("WER", lambda m: _pct(m.words.rate)),
    ("character accuracy", lambda m: _pct(m.chars.accuracy)),
    ("word accuracy", lambda m: _pct(m.words.accuracy)),
    ("bag-of-words error", lambda m: _pct(m.bag_error)),
    ("character edits (S/I/D)", lambda m: _edits(m.chars)),
    ("word edits (S/I/D)", lambda m: _edits(m.words)),
    ("characters (ref/hyp)", lambda m: f"{m.chars.reference}/{m.chars.hypothesis}"),
    ("words (ref/hyp)", lambda m: f"{m.words.reference}/{m.words.hypothesis}"),
)


def _figures(f: Fidelity) -> Table:
    table = Table(title=_rules_title(f.rules), title_justify="left")
    table.add_column("figure")
    table.add_column(f.scope, justify="right")
    table.add_column("text only (no furniture, markup)", justify="right")
    mark = " (!)" if f.text_only_warning else ""
    for label, pick in FIGURES:
        table.add_row(label, pick(f.measures), pick(f.text_only) + mark)
    if f.text_only_warning:
        table.caption = Text(printable(f"(!) {f.text_only_warning}"), style="bold")
        table.caption_justify = "left"
    return table


def _categories(f: Fidelity) -> Table:
    total = sum(c.char_distance for c in f.categories) or 1
    table = Table(title="Where the errors are (variants by category)", title_justify="left")
    for name in ("category", "variants", "char edits", "share", "word edits"):
        table.add_column(name, justify="left" if name == "category" else "right")
    for c in f.categories:
        table.add_row(
            c.category.value,
            str(c.variants),
            str(c.char_distance),
            _pct(c.char_distance / total),
            str(c.word_distance),
        )
    table.add_row("total", str(sum(c.variants for c in f.categories)), str(f.category_edits))
    if f.category_edits != f.measures.chars.distance:
        table.caption = Text(
            f"The categories sum to {f.category_edits} character edits where the headline "
            f"counts {f.measures.chars.distance}: {CATEGORY_RULE}."
        )
        table.caption_justify = "left"
    return table


def _confusions(f: Fidelity) -> Table:
    table = Table(title="Most frequent character confusions", title_justify="left")
    table.add_column("reference")
    table.add_column("hypothesis")
    table.add_column("count", justify="right")
    for a, b, n in f.confusions:
        table.add_row(Text(repr(a)), Text(repr(b)), str(n))
    return table


def _pages(f: Fidelity) -> Table:
    table = Table(title=Text(printable(f"Per page of {f.hypothesis}")), title_justify="left")
    for name in ("page", "reference chars", "char edits", "CER", "WER"):
        table.add_column(name, justify="right")
    for p in f.pages:
        table.add_row(
            str(p.page),
            str(p.chars.reference),
            str(p.chars.distance),
            _pct(p.chars.rate),
            _pct(p.words.rate),
        )
    return table


class FidelityReport:
    """The terminal report of one pair."""

    def __init__(self, pair: Pair) -> None:
        self.pair = pair

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        f, p = self.pair.fidelity, self.pair
        head = Text(
            printable(f"Reference:  {f.reference} ({p.reference_path})")
            + "\n"
            + printable(f"Hypothesis: {f.hypothesis} ({p.hypothesis_path})")
        )
        yield Group(head, _figures(f), _categories(f), _confusions(f), _pages(f))


class PairsReport:
    """The terminal report of many pairs: a row each and the totals."""

    def __init__(self, pairs: Sequence[Pair]) -> None:
        self.pairs = pairs

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        rules = self.pairs[0].fidelity.rules if self.pairs else ()
        table = Table(title=_rules_title(rules), title_justify="left")
        for name in ("pair", "ref chars", "CER", "WER", "text-only CER", "bag-of-words"):
            table.add_column(name, justify="left" if name == "pair" else "right")
        for p in self.pairs:
            m, t = p.fidelity.measures, p.fidelity.text_only
            table.add_row(
                Text(printable(p.name)),
                str(m.chars.reference),
                _pct(m.chars.rate),
                _pct(m.words.rate),
                _pct(t.chars.rate) + (" (!)" if p.fidelity.text_only_warning else ""),
                _pct(m.bag_error),
            )
        s = totals(self.pairs)
        table.add_row(
            "total (micro)", str(s.char_total), _pct(s.cer), _pct(s.wer), "", "", style="bold"
        )
        table.add_row("mean (macro)", "", _pct(s.macro_cer), _pct(s.macro_wer), "", "")
        yield table
