"""Rendering of fidelity reports as JSON data and CSV rows (the terminal report is in
:mod:`collate.render.fidelity_report`, apart from these so that they load without rich).

Only reads :class:`~collate.fidelity.Fidelity` results.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

from collate import __version__
from collate._safe import encodable, json_encodable, spreadsheet_cell
from collate.fidelity import Fidelity, Measures
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
        "text_only": {
            **_measures_dict(f.text_only),
            **({"warning": f.text_only_warning} if f.text_only_warning else {}),
        },
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
                spreadsheet_cell(p.name),
                spreadsheet_cell(p.reference_path),
                spreadsheet_cell(p.hypothesis_path),
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
