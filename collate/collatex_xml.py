"""CollateX XML input: ``<examples><example><witness sigil="A">...`` -> witnesses (reading).

In: the bytes of a file, its name (for messages), which example to read and how TEI markup
is read. Out: the witnesses of one example. The shape is that of CollateX's example files (the
black cat and Beckett use cases); ``<witnesses><wit n="...">`` (CollateX's XML tokenizer
tests) is one example. A witness's siglum is its ``sigil`` (or ``n``) attribute, else ``A``,
``B``, ``C``... by position; its text is read as a TEI body is (``tei_reader.py``), so
``<subst>``, ``<del>``, ``<add>`` inside a witness follow the same rules and options. An
``<app>`` reads its ``<lem>``, else its first ``<rdg>``. XML is parsed safely, as for TEI.
"""

from __future__ import annotations

import string
import xml.etree.ElementTree as ET

from collate.errors import InputError, Param
from collate.model import Witness
from collate.tei_reader import TeiOptions, element_text, first_element

_ROOTS = frozenset({"examples", "example", "witnesses"})
_WITNESSES = frozenset({"witness", "wit"})


def is_collatex_xml(data: bytes) -> bool:
    """Whether the first element of ``data`` is ``<examples>``, ``<example>`` or
    ``<witnesses>``."""
    return first_element(data) in _ROOTS


def examples(data: bytes, name: str) -> list[ET.Element]:
    """The ``<example>`` elements of a CollateX XML file (the root, when it is the only one)."""
    from collate.ocrxml import parse_xml  # XML parsers: loaded for markup files only

    root = parse_xml(data, name)
    if root is None or root.tag not in _ROOTS:
        found = "HTML" if root is None else f"XML with root element <{root.tag}>"
        raise InputError(f"{name}: {found} is not CollateX XML; give <examples> of <witness>es")
    if root.tag == "examples":
        return [e for e in root if e.tag == "example"]
    return [root]


def read_example(
    data: bytes, name: str, number: int | None = None, options: TeiOptions | None = None
) -> list[Witness]:
    """The witnesses of example ``number`` (from 1; None: the file must hold one example)."""
    found = examples(data, name)
    if not found:
        raise InputError(f"{name}: the CollateX XML file holds no <example>; give one")
    if number is None and len(found) > 1:
        raise InputError(
            f"{name}: the file holds {len(found)} CollateX examples; choose one with ",
            Param("example"),
            f" (1 to {len(found)})",
        )
    k = number or 1
    if not 1 <= k <= len(found):
        raise InputError(
            f"{name}: no example {k}; the file holds {len(found)}, give ",
            Param("example"),
            f" from 1 to {len(found)}",
        )
    witnesses = [w for w in found[k - 1].iter() if w.tag in _WITNESSES]
    return [
        Witness(
            _siglum(w, i),
            element_text(w, options),
            path=name,
            label=_siglum(w, i),
            source_format="collatex-xml",
        )
        for i, w in enumerate(witnesses)
    ]


def _siglum(witness: ET.Element, index: int) -> str:
    given = witness.get("sigil") or witness.get("n")
    if given:
        return given
    letters = string.ascii_uppercase
    return letters[index % 26] + (str(index // 26 + 1) if index >= 26 else "")
