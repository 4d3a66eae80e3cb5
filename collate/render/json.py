"""JSON rendering of a collation (``--format json``); schema in docs/formats.md."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from json.encoder import encode_basestring
from types import MappingProxyType

from collate import __version__
from collate._safe import json_encodable
from collate.model import Category, Location, Segment, SegmentKind, Variant, Witness
from collate.pipeline import Collation

SCHEMA_VERSION = 1
_CHUNK = 65_536  # ranks written at a time
_VARIANTS_CHUNK = 512  # variants written at a time
# json.dumps(value, ensure_ascii=False), with one encoder for every call
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_UNSECTIONED: Mapping[str, Witness] = MappingProxyType({})  # no witness gives sections


def _furniture(segments: Sequence[Segment]) -> list[dict[str, object]]:
    return [
        {
            "page": s.page,
            "first_line": s.first_line,
            "last_line": s.last_line,
            "rule": s.furniture,
            "text": s.text,
        }
        for s in segments
        if s.kind is SegmentKind.FURNITURE
    ]


def _groups(variant: Variant) -> list[dict[str, object]]:
    """The witnesses that share each reading, in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for siglum, reading in zip(variant.sigla, variant.readings, strict=True):
        groups.setdefault(reading, []).append(siglum)
    return [{"reading": r, "witnesses": s} for r, s in groups.items()]


def _locations(
    sigla: Sequence[str], locations: Sequence[Location], sectioned: Mapping[str, Witness]
) -> dict[str, object]:
    """Each witness's location; ``section`` for a witness of ``sectioned`` (those whose
    source gives sections)."""
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
    variant: Variant, sectioned: Mapping[str, Witness] = _UNSECTIONED
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


def _variant(
    variant: Variant, sectioned: Mapping[str, Witness] = _UNSECTIONED
) -> dict[str, object]:
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


def _sections(witness: Witness) -> list[dict[str, object]]:
    return [{"start": s.start, "id": s.id} for s in witness.sections]


def _head(collation: Collation) -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": f"collate {__version__}",
        "base": collation.base if collation.has_base else None,
        "normalization": {"preset": collation.normalization, "rules": list(collation.rules)},
        "witnesses": [
            {
                "siglum": w.siglum,
                "path": w.path,
                "label": w.label,
                "format": w.source_format,
                "markup": w.markup_format.value,
                "tokens": len(tokens),
                "furniture": _furniture(segments),
                **({"page_names": list(w.page_names)} if w.page_names else {}),
                **({"sections": _sections(w)} if w.sections else {}),
            }
            for w, tokens, segments in zip(
                collation.witnesses, collation.tokens, collation.segments, strict=True
            )
        ],
    }


def _alignment_parts(collation: Collation) -> Iterator[str]:
    """The items of the ``alignment`` array (one object per rank, a list of token texts per
    siglum) as pieces of JSON text joined with ``", "``, in pieces of ``_CHUNK`` ranks so that
    no list of a million small strings, nor the whole text, is ever held. Each cell is the
    JSON text of its spelling, encoded once per spelling, and each rank's text is joined from
    those cells: a dict per rank walked by ``json.dumps`` takes ten times as long (44 % of
    compare on the 100k pair, benchmarks/speed.py). Lone surrogates are written as JSON
    escapes (in each cell and key, so the rows are written as they are)."""
    table = collation.alignment
    # each spelling as a one-token cell; NONE (-1) picks the "[]" put last
    encoded = {t: json_encodable("[" + _ENCODE(t) + "]") for t in table.spellings}
    cells = [[*table.spelled(w, encoded), "[]"] for w in range(len(table.rows))]
    keys = _keys(collation.alignment.sigla)
    for lo in range(0, len(table), _CHUNK):
        rows = [row[lo : lo + _CHUNK] for row in table.rows]
        if len(keys) == 2:
            # '{"a": X, "b": Y}, {"a": ...' by two joins, without a join per rank
            # (10 % of compare on the 100k pair, benchmarks/speed.py)
            first, second = cells
            left, middle = "{" + keys[0], ", " + keys[1]
            pairs = zip(
                map(first.__getitem__, rows[0]), map(second.__getitem__, rows[1]), strict=True
            )
            part = left + ("}, " + left).join(map(middle.join, pairs)) + "}"
        else:
            part = ", ".join(
                [
                    "{"
                    + ", ".join(
                        key + column[k] for key, column, k in zip(keys, cells, rank, strict=True)
                    )
                    + "}"
                    for rank in zip(*rows, strict=True)
                ]
            )
        yield part


def _location_texts(keys: Sequence[str], locations: Sequence[Location]) -> str:
    """:func:`_locations` of witnesses without sections, as JSON text."""
    return (
        "{"
        + ", ".join(
            [
                f'{key}{{"page": {loc.page}, "line": {loc.line}, '
                f'"start": {loc.start}, "end": {loc.end}}}'
                for key, loc in zip(keys, locations, strict=True)
            ]
        )
        + "}"
    )


def _variant_text(variant: Variant, keys: Sequence[str]) -> str:
    """``_ENCODE(_variant(variant))`` for witnesses without sections, written straight from
    the variant (``keys``: each siglum encoded, with ``": "``): a dict per variant walked by
    the encoder takes 2.7 times as long (0.42 s against 0.16 s for the 33,671 variants of
    the 1M-token pair, 6 % of ``compare``)."""
    enc = encode_basestring
    groups: dict[str, list[str]] = {}
    for siglum, reading in zip(variant.sigla, variant.readings, strict=True):
        groups.setdefault(reading, []).append(enc(siglum))
    contexts = variant.contexts or (("", ""),) * len(keys)
    moved = (
        "null"
        if variant.moved is None
        else f'{{"ranks": [{variant.moved[0]}, {variant.moved[1]}], '
        f'"locations": {_location_texts(keys, variant.moved_locations)}}}'
    )
    nesting = "" if variant.within is None else f', "within": {variant.within}'
    if variant.contains:
        nesting += f', "contains": [{", ".join(map(str, variant.contains))}]'
    return (
        f'{{"number": {variant.number}, '
        f'"kind": {enc(variant.kind.value) if variant.kind else "null"}, "groups": ['
        + ", ".join(
            [f'{{"reading": {enc(r)}, "witnesses": [{", ".join(s)}]}}' for r, s in groups.items()]
        )
        + f'], "category": {enc(variant.category.value)}, "readings": {{'
        + ", ".join([k + enc(r) for k, r in zip(keys, variant.readings, strict=True)])
        + f'}}, "context": {{"before": {enc(variant.context_before)}, '
        f'"after": {enc(variant.context_after)}}}, "contexts": {{'
        + ", ".join(
            [
                f'{k}{{"before": {enc(before)}, "after": {enc(after)}}}'
                for k, (before, after) in zip(keys, contexts, strict=True)
            ]
        )
        + f'}}, "ranks": [{variant.first_rank}, {variant.last_rank}], "moved": {moved}, '
        f'"locations": {_location_texts(keys, variant.locations)}{nesting}}}'
    )


def _tail_pieces(
    variants: Sequence[Variant], sectioned: Mapping[str, Witness] = _UNSECTIONED
) -> Iterator[str]:
    """The ``variants`` and ``counts`` members of the document, as an object's JSON text
    in pieces of ``_VARIANTS_CHUNK`` variants (a long collation's variants are never held
    as text all at once)."""
    keys = {
        sigla: [encode_basestring(s) + ": " for s in sigla] for sigla in {v.sigla for v in variants}
    }
    yield '{"variants": ['
    for lo in range(0, len(variants), _VARIANTS_CHUNK):
        chunk = variants[lo : lo + _VARIANTS_CHUNK]
        if sectioned:
            part = _ENCODE([_variant(v, sectioned) for v in chunk])[1:-1]
        else:
            part = ", ".join([_variant_text(v, keys[v.sigla]) for v in chunk])
        yield part if lo == 0 else ", " + part
    counts = Counter(v.category for v in variants)
    yield "], " + json.dumps({"counts": {c.value: counts[c] for c in Category}})[1:]


def _keys(sigla: Sequence[str]) -> list[str]:
    """Each siglum as an object key, followed by ``": "``."""
    return [json_encodable(_ENCODE(s)) + ": " for s in sigla]


def render_json_pieces(collation: Collation, variants: Sequence[Variant]) -> Iterator[str]:
    """:func:`render_json`'s text in pieces, to be written one after the other (a long
    collation's JSON is never held whole)."""
    # on one line, without indentation (see render_json)
    head = _ENCODE(_head(collation))
    yield json_encodable(head[:-1] + ', "alignment": [')
    for k, part in enumerate(_alignment_parts(collation)):
        yield part if k == 0 else ", " + part
    sectioned = {w.siglum: w for w in collation.witnesses if w.sections}
    for k, part in enumerate(_tail_pieces(variants, sectioned)):
        yield json_encodable(("], " + part[1:]) if k == 0 else part)
    yield "\n"


def render_json(collation: Collation, variants: Sequence[Variant]) -> str:
    """The JSON text on one line, UTF-8 characters kept as they are, ending in a newline
    (pipe it through ``jq`` or ``python -m json.tool`` to read it)."""
    return "".join(render_json_pieces(collation, variants))
