"""CollateX's alignment-table JSON (``--format collatex-json``).

The shape CollateX's Python package writes for ``output="json"``:
``{"witnesses": [sigla], "table": [row per witness]}``, where a row has one
cell per rank: ``null`` where the witness has nothing, else the list of its
tokens there, each ``{"_sigil", "_token_array_position", "t", "n"}`` with
``t`` the text as written (followed by a space where the witness had
whitespace after it) and ``n`` the normalised form. Scripts written for
CollateX's table read it unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from collate._safe import json_encodable
from collate.model import TokenColumns
from collate.pipeline import Collation

# json.dumps(value, ensure_ascii=False), with one encoder for every call
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _encoded(strings: Iterable[str]) -> dict[str, str]:
    """Each distinct string as JSON text, encoded once."""
    return {s: _dumps(s) for s in set(strings)}


def _cells(tokens: TokenColumns) -> list[str]:
    """Each token's cell as JSON text (the same text ``json.dumps`` gives for
    ``[{"_sigil": ..., "_token_array_position": ..., "t": ..., "n": ...}]``), by index."""
    texts = _encoded(tokens.text)
    # "t" with the space a following token's whitespace adds: the text's JSON, a space inside
    spaced = {t: e[:-1] + ' "' for t, e in texts.items()}
    norms = _encoded(tokens.norm)
    head = '[{"_sigil": ' + _dumps(tokens.siglum) + ', "_token_array_position": '
    following = tokens.space_before[1:] + b"\0" if len(tokens) else b""
    return [
        f'{head}{k}, "t": {(spaced if space else texts)[t]}, "n": {norms[n]}}}]'
        for k, (t, n, space) in enumerate(zip(tokens.text, tokens.norm, following, strict=True))
    ]


def render_collatex(collation: Collation) -> str:
    """The alignment as CollateX alignment-table JSON.

    Written from the rank table's columns, each spelling encoded once: the same text
    ``json.dumps`` gives for the table as dicts, for which a dict per cell takes twice as
    long (+0.4 s, a quarter of ``compare --format collatex-json`` on the 100k pair)."""
    table = collation.alignment
    witnesses = _dumps(list(collation.alignment.sigla))
    # the long rows are copied once, into the text: no "[" + row + "]" or "+" of them
    pieces = ['{"witnesses": ' + witnesses + ', "table": [']
    for w, tokens in enumerate(table.tokens):
        pieces += [", [" if w else "[", ", ".join(table.at_ranks(w, _cells(tokens), "null")), "]"]
    pieces.append("]}\n")
    return json_encodable("".join(pieces))
