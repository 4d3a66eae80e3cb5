"""CollateX compatibility: its JSON input -> witnesses (reading stage).

CollateX takes ``{"witnesses": [{"id": "A", "content": "..."}, ...]}``, or
witnesses already cut into tokens: ``{"id": "A", "tokens": [{"t": "The ",
"n": "the"}, ...]}``. Plain ``content`` is read like any text. Given tokens
are kept as they are: the witness text is their ``t`` joined (a space put
between two tokens when the first does not end in whitespace), each token
spans its own ``t`` without surrounding whitespace, and its ``n`` (when
given) is its normalised form, used as it is instead of the normalisation
rules. A file of several collations, ``{"paragraphs": [{"witnesses": ...},
...]}`` (as in the Darwin data set), is read as one text per witness id,
the paragraphs in order, separated by blank lines. Two witnesses of one
collation with the same id are an error, never merged.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from typing import Any

from collate.errors import InputError
from collate.model import GivenToken, Witness


def is_collatex(data: object) -> bool:
    """Whether decoded JSON looks like CollateX input."""
    return isinstance(data, dict) and ("witnesses" in data or "paragraphs" in data)


def _tokens_text(tokens: list[Any], where: str) -> tuple[str, tuple[GivenToken, ...]]:
    parts: list[str] = []
    given: list[GivenToken] = []
    length = 0
    for k, token in enumerate(tokens):
        if not isinstance(token, dict) or not isinstance(token.get("t"), str):
            raise InputError(f"{where}: token {k} has no string 't'; each token needs its text")
        t = unicodedata.normalize("NFC", token["t"])
        n = token.get("n")
        if parts and not parts[-1][-1:].isspace() and not t[:1].isspace():
            parts.append(" ")
            length += 1
        core = t.strip()
        start = length + (len(t) - len(t.lstrip()))
        if core:
            norm = unicodedata.normalize("NFC", n) if isinstance(n, str) and n else None
            given.append(GivenToken(start, start + len(core), norm))
        parts.append(t)
        length += len(t)
    return "".join(parts), tuple(given)


def _witness(entry: object, name: str, k: int) -> tuple[str, str, tuple[GivenToken, ...]]:
    where = f"{name}: witness {k}"
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str | int):
        raise InputError(f"{where} has no 'id'; give each witness an id")
    siglum = str(entry["id"])
    if isinstance(entry.get("tokens"), list):
        text, given = _tokens_text(entry["tokens"], f"{where} ({siglum})")
        return siglum, text, given
    if isinstance(entry.get("content"), str):
        return siglum, unicodedata.normalize("NFC", entry["content"]), ()
    raise InputError(f"{where} ({siglum}) has neither 'content' nor 'tokens'")


def _collations(data: dict[str, Any], name: str) -> list[list[object]]:
    if "paragraphs" in data:
        paragraphs = data["paragraphs"]
        if not isinstance(paragraphs, list):
            raise InputError(f"{name}: 'paragraphs' must be a list of collations")
        return [p.get("witnesses", []) if isinstance(p, dict) else [] for p in paragraphs]
    if not isinstance(data["witnesses"], list):
        raise InputError(f"{name}: 'witnesses' must be a list")
    return [data["witnesses"]]


def read_collatex(text: str, name: str) -> tuple[Witness, ...]:
    """The witnesses of a CollateX JSON document (already decoded)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # RecursionError: nested too deeply
        reason = "nested too deeply" if isinstance(error, RecursionError) else error
        raise InputError(f"{name}: not valid JSON ({reason}); fix the file") from None
    if not is_collatex(data):
        raise InputError(f"{name}: JSON without 'witnesses'; not a CollateX input")
    texts: dict[str, list[str]] = {}
    lengths: dict[str, int] = {}  # characters so far of each witness's text, separators included
    given: dict[str, list[GivenToken]] = {}
    tokenized: dict[str, set[bool]] = {}
    for collation in _collations(data, name):
        seen: dict[str, int] = {}  # siglum -> its witness number in this collation
        for k, entry in enumerate(collation):
            siglum, body, tokens = _witness(entry, name, k)
            if siglum in seen:
                raise InputError(
                    f"{name}: witness {k} has the id {siglum!r}, as witness {seen[siglum]} "
                    "does; give each witness of a collation its own id"
                )
            seen[siglum] = k
            tokenized.setdefault(siglum, set()).add(isinstance(entry, dict) and "tokens" in entry)
            if len(tokenized[siglum]) > 1:
                raise InputError(
                    f"{name}: witness {siglum} has 'tokens' in one place and 'content' in "
                    "another; give it the same way throughout"
                )
            offset = lengths.get(siglum, 0)
            texts.setdefault(siglum, []).append(body)
            lengths[siglum] = offset + len(body) + 2
            given.setdefault(siglum, []).extend(
                replace(t, start=t.start + offset, end=t.end + offset) for t in tokens
            )
    if not texts:
        raise InputError(f"{name}: the CollateX input lists no witnesses")
    return tuple(
        Witness(
            siglum,
            "\n\n".join(parts),
            path=name,
            label=siglum,
            source_format="collatex-json",
            given=tuple(given[siglum]),
        )
        for siglum, parts in texts.items()
    )
