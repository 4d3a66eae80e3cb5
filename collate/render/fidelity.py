"""Rendering of fidelity reports: the terminal report, JSON data and CSV rows.

Only reads :class:`~collate.fidelity.Fidelity` results.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from collate import __version__
from collate._safe import encodable, json_encodable, printable
from collate.fidelity import Fidelity, Measures
from collate.metrics import EditCounts
from collate.render.table import write_rows

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Pair:
    """One measured pair: its name, file paths and report."""

    name: str
    reference_path: str
    hypothesis_path: str
    fidelity: Fidelity


@dataclass(frozen=True)
class Totals:
    """Figures over many pairs: micro (summed) and macro (mean) averages."""

    pairs: int
    char_distance: int
    char_total: int
    word_distance: int
    word_total: int
    cer: float
    wer: float
    macro_cer: float
    macro_wer: float


def totals(pairs: Sequence[Pair]) -> Totals:
    """Micro averages (summed distances over summed lengths) and macro means."""
    chars = [p.fidelity.measures.chars for p in pairs]
    words = [p.fidelity.measures.words for p in pairs]
    char_total = sum(c.reference for c in chars)
    word_total = sum(w.reference for w in words)
    char_distance = sum(c.distance for c in chars)
    word_distance = sum(w.distance for w in words)
    n = max(len(pairs), 1)
    return Totals(
        pairs=len(pairs),
        char_distance=char_distance,
        char_total=char_total,
        word_distance=word_distance,
        word_total=word_total,
        cer=char_distance / char_total if char_total else float(char_distance > 0),
        wer=word_distance / word_total if word_total else float(word_distance > 0),
        macro_cer=sum(c.rate for c in chars) / n,
        macro_wer=sum(w.rate for w in words) / n,
    )


def _measures_dict(m: Measures) -> dict[str, object]:
    return {
        "cer": m.chars.rate,
        "wer": m.words.rate,
        "char_accuracy": m.chars.accuracy,
        "word_accuracy": m.words.accuracy,
        "char_distance": m.chars.distance,
        "char_total": m.chars.reference,
        "char_hypothesis_total": m.chars.hypothesis,
        "char_substitutions": m.chars.substitutions,
        "char_insertions": m.chars.insertions,
        "char_deletions": m.chars.deletions,
        "word_distance": m.words.distance,
        "word_total": m.words.reference,
        "word_hypothesis_total": m.words.hypothesis,
        "word_substitutions": m.words.substitutions,
        "word_insertions": m.words.insertions,
        "word_deletions": m.words.deletions,
        "bag_of_words_error": m.bag_error,
        "bag_of_words_missing": m.bag_missing,
        "bag_of_words_extra": m.bag_extra,
    }


def fidelity_dict(pair: Pair) -> dict[str, object]:
    """One pair's report as plain data: the headline figures at the top level."""
    f = pair.fidelity
    return {
        "name": pair.name,
        "reference": {"siglum": f.reference, "path": pair.reference_path},
        "hypothesis": {"siglum": f.hypothesis, "path": pair.hypothesis_path},
        "rules": list(f.rules),
        "scope": f.scope,
        **_measures_dict(f.measures),
        "text_only": _measures_dict(f.text_only),
        "categories": [
            {
                "category": c.category.value,
                "variants": c.variants,
                "char_distance": c.char_distance,
                "word_distance": c.word_distance,
            }
            for c in f.categories
        ],
        "confusions": [{"reference": a, "hypothesis": b, "count": n} for a, b, n in f.confusions],
        "pages": [
            {
                "page": p.page,
                "cer": p.chars.rate,
                "wer": p.words.rate,
                "char_distance": p.chars.distance,
                "char_total": p.chars.reference,
                "word_distance": p.words.distance,
                "word_total": p.words.reference,
            }
            for p in f.pages
        ],
    }


def render_json(pairs: Sequence[Pair], many: bool) -> str:
    """JSON: one report object, or ``{"pairs": [...], "totals": {...}}`` for many pairs."""
    header: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"collate {__version__}",
    }
    if many:
        data = {**header, "pairs": [fidelity_dict(p) for p in pairs]}
        data["totals"] = totals(pairs).__dict__
    else:
        data = {**header, **fidelity_dict(pairs[0])}
    return json_encodable(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


CSV_FIELDS = (
    "name",
    "reference",
    "hypothesis",
    "cer",
    "wer",
    "char_distance",
    "char_total",
    "word_distance",
    "word_total",
    "text_only_cer",
    "text_only_wer",
    "bag_of_words_error",
)


def render_csv(pairs: Sequence[Pair]) -> str:
    """CSV: one row per pair, then a ``TOTAL (micro)`` row."""
    out = io.StringIO()
    rows: list[Sequence[object]] = [CSV_FIELDS]
    for p in pairs:
        m, t = p.fidelity.measures, p.fidelity.text_only
        rows.append(
            [
                p.name,
                p.reference_path,
                p.hypothesis_path,
                f"{m.chars.rate:.6f}",
                f"{m.words.rate:.6f}",
                m.chars.distance,
                m.chars.reference,
                m.words.distance,
                m.words.reference,
                f"{t.chars.rate:.6f}",
                f"{t.words.rate:.6f}",
                f"{m.bag_error:.6f}",
            ]
        )
    s = totals(pairs)
    rows.append(
        [
            "TOTAL (micro)",
            "",
            "",
            f"{s.cer:.6f}",
            f"{s.wer:.6f}",
            s.char_distance,
            s.char_total,
            s.word_distance,
            s.word_total,
            "",
            "",
            "",
        ]
    )
    write_rows(out, rows)
    return encodable(out.getvalue())


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
    for label, pick in FIGURES:
        table.add_row(label, pick(f.measures), pick(f.text_only))
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
                _pct(t.chars.rate),
                _pct(m.bag_error),
            )
        s = totals(self.pairs)
        table.add_row(
            "total (micro)", str(s.char_total), _pct(s.cer), _pct(s.wer), "", "", style="bold"
        )
        table.add_row("mean (macro)", "", _pct(s.macro_cer), _pct(s.macro_wer), "", "")
        yield table
