"""Reference implementations the tests check the library against: plain, slow, obviously
right versions of what the library computes another way (or only as a part of more)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from collate._lcs import NONE, lcs_match
from collate.metrics import EditCounts, compare_pieces
from collate.model import Alignment, Category, Location, Token, Variant, Witness
from collate.pipeline import Collation
from collate.render.json import _head


def json_tail(
    variants: Sequence[Variant], sectioned: Mapping[str, Witness] | None = None
) -> dict[str, object]:
    """The ``variants`` and ``counts`` members of the JSON document (``sectioned``: the
    witnesses whose source gives sections, by siglum)."""
    counts = Counter(v.category for v in variants)
    return {
        "variants": [_variant(v, sectioned) for v in variants],
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
    sectioned = {w.siglum: w for w in collation.witnesses if w.sections}
    return {**_head(collation), "alignment": alignment, **json_tail(variants, sectioned)}


# A variant as the JSON document has it, as plain data (render/json.py writes the same as
# text straight from the variant).


def _groups(variant: Variant) -> list[dict[str, object]]:
    """The witnesses that share each reading, in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for siglum, reading in zip(variant.sigla, variant.readings, strict=True):
        groups.setdefault(reading, []).append(siglum)
    return [{"reading": r, "witnesses": s} for r, s in groups.items()]


def _locations(
    sigla: Sequence[str], locations: Sequence[Location], sectioned: Mapping[str, Witness] | None
) -> dict[str, object]:
    """Each witness's location; ``section`` for a witness of ``sectioned`` (those whose
    source gives sections)."""
    sectioned = sectioned or {}
    return {
        siglum: {"page": loc.page, "line": loc.line, "start": loc.start, "end": loc.end}
        if siglum not in sectioned
        else {
            "page": loc.page,
            "line": loc.line,
            "section": sectioned[siglum].section_at(loc.start),
            "start": loc.start,
            "end": loc.end,
        }
        for siglum, loc in zip(sigla, locations, strict=True)
    }


def _moved(
    variant: Variant, sectioned: Mapping[str, Witness] | None = None
) -> dict[str, object] | None:
    """A transposition's other place; None for every other variant."""
    if variant.moved is None:
        return None
    return {
        "ranks": list(variant.moved),
        "locations": _locations(variant.sigla, variant.moved_locations, sectioned),
    }


def _contexts(variant: Variant) -> dict[str, dict[str, str]]:
    """Each witness's own context, as it writes it (empty in a variant made without)."""
    contexts = variant.contexts or (("", ""),) * len(variant.sigla)
    return {
        siglum: {"before": before, "after": after}
        for siglum, (before, after) in zip(variant.sigla, contexts, strict=True)
    }


def _variant(variant: Variant, sectioned: Mapping[str, Witness] | None = None) -> dict[str, object]:
    return {
        "number": variant.number,
        "kind": variant.kind.value if variant.kind else None,
        "groups": _groups(variant),
        "category": variant.category.value,
        "readings": dict(zip(variant.sigla, variant.readings, strict=True)),
        "context": {"before": variant.context_before, "after": variant.context_after},
        "contexts": _contexts(variant),
        "ranks": [variant.first_rank, variant.last_rank],
        "moved": _moved(variant, sectioned),
        "locations": _locations(variant.sigla, variant.locations, sectioned),
        **_nesting(variant),
    }


def _nesting(variant: Variant) -> dict[str, object]:
    """``within`` (the number of the variant it lies in) and ``contains`` (the numbers of
    those lying in it), each only where there is one."""
    nesting: dict[str, object] = {}
    if variant.within is not None:
        nesting["within"] = variant.within
    if variant.contains:
        nesting["contains"] = list(variant.contains)
    return nesting


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


def witness_context(
    table: Alignment, first: int, last: int, body_only: bool, w: int, text: str, size: int
) -> tuple[str, str]:
    """Witness ``w``'s context of the variant at ranks ``first`` to ``last``, by the definition
    in collate/contexts.py, walking the ranks: up to ``size`` of its tokens each side within
    ``size * 8`` ranks (furniture left out if ``body_only``); each stretch of neighbouring
    tokens as written, whitespace collapsed, stretches joined by one space."""
    column, row = table.tokens[w], table.rows[w]

    def tokens_at(ranks: Iterable[int], body: bool) -> list[int]:
        found = [row[r] for r in ranks if row[r] != NONE]
        return [k for k in found if not (body and column.furniture[k])]

    def between(a: int, b: int) -> str:
        return re.sub(r"\s+", " ", text[column.end[a] : column.start[b]]) if b == a + 1 else " "

    def written(indexes: Sequence[int]) -> str:
        stretches: list[list[int]] = []
        for k in indexes:
            if stretches and stretches[-1][-1] + 1 == k:
                stretches[-1].append(k)
            else:
                stretches.append([k])
        return " ".join(
            re.sub(r"\s+", " ", text[column.start[s[0]] : column.end[s[-1]]]) for s in stretches
        )

    window = range(max(0, first - size * 8), first)
    before = tokens_at(window, body_only)[-size:]
    after = tokens_at(range(last + 1, min(len(row), last + 1 + size * 8)), body_only)[:size]
    inside = tokens_at(range(first, last + 1), False)
    left, right = written(before), written(after)
    if before and inside:
        left += between(before[-1], inside[0])
    # the reading's last token, or for an empty reading the witness's last token before it
    previous = inside[-1:] or tokens_at(window, False)[-1:]
    if after and previous:
        right = between(previous[0], after[0]) + right
    return left, right
