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

from collate._safe import json_encodable
from collate.model import Token
from collate.pipeline import Collation


def _token(token: Token, following: Token | None) -> dict[str, object]:
    spaced = following is not None and following.space_before
    return {
        "_sigil": token.siglum,
        "_token_array_position": token.index,
        "t": token.text + (" " if spaced else ""),
        "n": token.norm,
    }


def render_collatex(collation: Collation) -> str:
    """The alignment as CollateX alignment-table JSON."""
    table = []
    for w, tokens in enumerate(collation.tokens):
        row: list[list[dict[str, object]] | None] = []
        for rank in collation.alignment.ranks:
            cell = rank.cells[w]
            if not cell:
                row.append(None)
                continue
            row.append(
                [
                    _token(t, tokens[t.index + 1] if t.index + 1 < len(tokens) else None)
                    for t in cell
                ]
            )
        table.append(row)
    data = {"witnesses": list(collation.alignment.sigla), "table": table}
    return json_encodable(json.dumps(data, ensure_ascii=False)) + "\n"
