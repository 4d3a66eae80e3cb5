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
    no list of a million small strings, nor the whole text, is ever held. Each member (a
    siglum's key and its cell, the JSON text of its spelling) is made once per spelling, and
    the ranks are joined from the members by joins over whole columns, without Python code
    per rank: a dict per rank walked by ``json.dumps`` takes ten times as long (44 % of
    compare on the 100k pair, benchmarks/speed.py). Lone surrogates are written as JSON
    escapes (in each cell and key, so the rows are written as they are)."""
    table = collation.alignment
    # each spelling as a one-token cell; NONE (-1) picks the "[]" put last
    encoded = {t: json_encodable("[" + _ENCODE(t) + "]") for t in table.spellings}
    members = []
    for w, key in enumerate(_keys(table.sigla)):
        member = {t: key + encoded[t] for t in set(table.texts(w))}
        members.append([*table.spelled(w, member), key + "[]"])
    for lo in range(0, len(table), _CHUNK):
        columns = [
            map(column.__getitem__, row[lo : lo + _CHUNK])
            for column, row in zip(members, table.rows, strict=True)
        ]
        yield "{" + "}, {".join(map(", ".join, zip(*columns, strict=True))) + "}"


def _location_texts(
    keys: Sequence[str], locations: Sequence[Location], sections: Sequence[Witness | None]
) -> str:
    """Each witness's location as JSON text; ``section`` for a witness whose source gives
    sections (``sections``: the witness, else None)."""
    return (
        "{"
        + ", ".join(
            [
                f'{key}{{"page": {loc.page}, "line": {loc.line}, '
                + (
                    ""
                    if witness is None
                    else f'"section": {encode_basestring(witness.section_at(loc.start))}, '
                )
                + f'"start": {loc.start}, "end": {loc.end}}}'
                for key, loc, witness in zip(keys, locations, sections, strict=True)
            ]
        )
        + "}"
    )


def _variant_text(variant: Variant, keys: Sequence[str], sections: Sequence[Witness | None]) -> str:
    """A variant as JSON text (``keys``: each siglum encoded, with ``": "``; ``sections``:
    each witness whose source gives sections, else None), written straight from the variant:
    a dict per variant walked by the encoder takes 2.7 times as long (0.42 s against 0.16 s
    for the 33,671 variants of the 1M-token pair, 6 % of ``compare``). The members, in
    order: number, kind, groups (the witnesses sharing each reading, in order of first
    appearance), category, readings, context (the base's), contexts (each witness's own),
    ranks, moved (a transposition's other place, else null), locations, and within and
    contains only where there is one."""
    enc = encode_basestring
    groups: dict[str, list[str]] = {}
    for siglum, reading in zip(variant.sigla, variant.readings, strict=True):
        groups.setdefault(reading, []).append(enc(siglum))
    contexts = variant.contexts or (("", ""),) * len(keys)
    moved = (
        "null"
        if variant.moved is None
        else f'{{"ranks": [{variant.moved[0]}, {variant.moved[1]}], '
        f'"locations": {_location_texts(keys, variant.moved_locations, sections)}}}'
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
        f'"locations": {_location_texts(keys, variant.locations, sections)}{nesting}}}'
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
    sections = {sigla: [sectioned.get(s) for s in sigla] for sigla in keys}
    yield '{"variants": ['
    for lo in range(0, len(variants), _VARIANTS_CHUNK):
        chunk = variants[lo : lo + _VARIANTS_CHUNK]
        part = ", ".join([_variant_text(v, keys[v.sigla], sections[v.sigla]) for v in chunk])
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
