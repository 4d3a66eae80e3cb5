"""Reference implementations the tests check the library against: plain, slow, obviously
right versions of what the library computes another way (or only as a part of more)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from collate._lcs import NONE, lcs_match
from collate.metrics import EditCounts, compare_pieces
from collate.model import Category, Token, Variant
from collate.pipeline import Collation
from collate.render.json import _head, _variant


def json_tail(variants: Sequence[Variant]) -> dict[str, object]:
    """The ``variants`` and ``counts`` members of the JSON document."""
    counts = Counter(v.category for v in variants)
    return {
        "variants": [_variant(v) for v in variants],
        "counts": {c.value: counts[c] for c in Category},
    }


def json_document(collation: Collation, variants: Sequence[Variant]) -> dict[str, object]:
    """The JSON document as plain data (``render_json`` writes it as text in pieces);
    ``variants`` may be a filtered selection."""
    sigla = collation.alignment.sigla
    alignment = [
        {s: [t.text for t in cell] for s, cell in zip(sigla, rank.cells, strict=True)}
        for rank in collation.alignment.ranks
    ]
    return {**_head(collation), "alignment": alignment, **json_tail(variants)}


def lcs_pairs(a: Sequence[int], b: Sequence[int], exact: bool = False) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``a[i] == b[j]`` of :func:`lcs_match`'s common
    subsequence, in order."""
    return [(i, j) for i, j in enumerate(lcs_match(a, b, exact)) if j != NONE]


def compare_units(
    reference: Sequence[str], hypothesis: Sequence[str]
) -> tuple[EditCounts, list[tuple[str, str]]]:
    """:func:`compare_pieces` of the two sequences whole, as one pair of pieces."""
    return compare_pieces([(reference, hypothesis)])


def edit_counts(reference: Sequence[str], hypothesis: Sequence[str]) -> EditCounts:
    """Levenshtein distance and operation counts between two sequences of units."""
    return compare_units(reference, hypothesis)[0]


def join(tokens: Iterable[Token]) -> str:
    """Tokens as written, a space wherever the witness had whitespace."""
    parts: list[str] = []
    for token in tokens:
        if parts and token.space_before:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)
