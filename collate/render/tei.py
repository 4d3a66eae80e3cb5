"""TEI rendering: a complete TEI P5 document in parallel segmentation.

The header names the witnesses in ``sourceDesc/listWit`` (``xml:id`` from the
sigla) and declares ``variantEncoding method="parallel-segmentation"
location="internal"``. The text follows the base witness (the first one when
there is no base) paragraph by paragraph, one ``<ab>`` each. Every variant
is an ``<app type="CATEGORY">`` with the base reading in ``<lem>`` and the
other readings in ``<rdg>`` s, witnesses with the same reading grouped in one
``@wit``; a witness with nothing there has an empty ``<rdg>``. Page furniture
is ``<fw type="RULE">``, redactions ``<gap reason="redacted"/>``, ``[sic]``
``<sic/>``, ``[unclear]`` ``<unclear/>``, other editorial marks
``<gap reason="...">`` and layout glyphs ``<g>``; a page break in any
witness is ``<pb n="PAGE" edRef="#SIGLUM"/>``. Built with ElementTree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from collate import __version__
from collate.model import Token, TokenKind, Variant, VariantKind
from collate.pipeline import Collation
from collate.variants import places

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_NCNAME_START = re.compile(r"^[A-Za-z_]")
_NOT_NCNAME = re.compile(r"[^\w.\-]")


def _tag(name: str) -> str:
    return f"{{{TEI}}}{name}"


def xml_id(siglum: str) -> str:
    """A valid ``xml:id`` for a siglum (letters, digits, ``_ . -``; a letter first)."""
    cleaned = _NOT_NCNAME.sub("_", siglum)
    return cleaned if _NCNAME_START.match(cleaned) else f"w_{cleaned}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), attrs)
    if text is not None:
        element.text = text
    return element


def _append_text(parent: ET.Element, text: str) -> None:
    """Add text after the last child of ``parent`` (or as its text)."""
    if len(parent):
        last = parent[len(parent) - 1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_EDITORIAL = {"sic": "sic", "unclear": "unclear"}


def _token(parent: ET.Element, token: Token, first: bool) -> None:
    if token.space_before and not first:
        _append_text(parent, " ")
    if token.kind is TokenKind.REDACTION:
        _sub(parent, "gap", reason="redacted", extent=f"{len(token.text)} characters")
    elif token.kind is TokenKind.EDITORIAL:
        word = token.text.strip("[]").split()[0].lower().rstrip(".:")
        if word in _EDITORIAL:
            _sub(parent, _EDITORIAL[word])
        else:
            _sub(parent, "gap", reason=token.text.strip("[]"))
    elif token.kind is TokenKind.GLYPH:
        _sub(parent, "g", token.text)
    else:
        _append_text(parent, token.text)


RuleOf = Callable[[Token], str]


def _tokens(parent: ET.Element, tokens: Sequence[Token], rule_of: RuleOf, leading: bool) -> None:
    """Tokens into ``parent``; each run of furniture from one segment wrapped in ``<fw>``.

    A run continues an ``<fw>`` that ends ``parent`` when it comes from the same segment.
    """
    for i, token in enumerate(tokens):
        first = i == 0 and not leading
        if not token.furniture:
            _token(parent, token, first)
            continue
        last = parent[len(parent) - 1] if len(parent) else None
        same = (
            last is not None
            and last.tag == _tag("fw")
            and not last.tail
            and last.get("key") == f"{token.siglum} {token.segment}"
        )
        if same and last is not None:
            _token(last, token, False)
            continue
        if token.space_before and not first:
            _append_text(parent, " ")
        fw = _sub(parent, "fw", type=rule_of(token), key=f"{token.siglum} {token.segment}")
        _token(fw, token, True)


class _Writer:
    """Walks the ranks, writing agreed text, apparatus entries and page breaks."""

    def __init__(self, collation: Collation, div: ET.Element) -> None:
        self.sigla = collation.alignment.sigla
        self.base = self.sigla.index(collation.base)
        self.has_base = collation.has_base
        self.segments = collation.segments
        self.div = div
        self.block: ET.Element | None = None
        self.paragraph: int | None = None
        self.pages = [0] * len(self.sigla)

    def rule_of(self, token: Token) -> str:
        return self.segments[self.sigla.index(token.siglum)][token.segment].furniture or "furniture"

    def _start(self, cells: Sequence[Sequence[Token]]) -> ET.Element:
        """The block to write into: a new ``<ab>`` where the base starts a paragraph."""
        base = cells[self.base]
        paragraph = self.segments[self.base][base[0].segment].paragraph if base else None
        if self.block is None or (paragraph is not None and paragraph != self.paragraph):
            self.block = _sub(self.div, "ab")
            self.paragraph = paragraph if paragraph is not None else self.paragraph
        for w, cell in enumerate(cells):
            if cell and cell[0].page != self.pages[w]:
                if self.pages[w]:
                    if len(self.block) or self.block.text:
                        _append_text(self.block, " ")
                    _sub(self.block, "pb", n=str(cell[0].page), edRef=f"#{xml_id(self.sigla[w])}")
                self.pages[w] = cell[0].page
        return self.block

    def agreed(self, cells: Sequence[Sequence[Token]]) -> None:
        block = self._start(cells)
        tokens = cells[self.base] or next(c for c in cells if c)
        _tokens(block, tokens, self.rule_of, leading=len(block) > 0 or bool(block.text))

    def variant(self, variant: Variant, cells: Sequence[Sequence[Token]]) -> None:
        block = self._start(cells)
        if (len(block) or block.text) and any(c and c[0].space_before for c in cells):
            _append_text(block, " ")
        moved = variant.kind is VariantKind.TRANSPOSITION
        kind = "transposition" if moved else variant.category.value
        app = _sub(block, "app", type=kind, n=str(variant.number))
        groups: dict[tuple[str, ...], list[int]] = {}
        for w, cell in enumerate(cells):
            groups.setdefault(tuple(t.text for t in cell), []).append(w)
        for key, members in sorted(groups.items(), key=lambda kv: self.base not in kv[1]):
            wit = " ".join(f"#{xml_id(self.sigla[w])}" for w in members)
            lemma = self.has_base and self.base in members
            reading = _sub(app, "lem" if lemma else "rdg", wit=wit)
            if key:
                _tokens(reading, cells[members[0]], self.rule_of, leading=False)


def _header(root: ET.Element, collation: Collation, title: str) -> None:
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", title)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "p", f"Collation generated by collate {__version__}.")
    source = _sub(file_desc, "sourceDesc")
    list_wit = _sub(source, "listWit")
    for witness in collation.witnesses:
        entry = _sub(list_wit, "witness", witness.label or witness.siglum)
        entry.set(XML_ID, xml_id(witness.siglum))
        if witness.path:
            _sub(entry, "idno", witness.path, type="path")
    encoding = _sub(header, "encodingDesc")
    _sub(encoding, "variantEncoding", method="parallel-segmentation", location="internal")


def render_tei(collation: Collation, variants: Sequence[Variant], title: str = "") -> str:
    """The TEI document as text. ``variants`` may be a filtered selection: ranks of
    variants left out are written as the base witness's text."""
    ET.register_namespace("", TEI)
    root = ET.Element(_tag("TEI"))
    sigla = collation.alignment.sigla
    _header(root, collation, title or "Collation of " + ", ".join(sigla))
    text = _sub(root, "text")
    body = _sub(text, "body")
    div = _sub(body, "div")
    writer = _Writer(collation, div)
    ranks = collation.alignment.ranks
    starts = places(variants)
    r = 0
    while r < len(ranks):
        if r not in starts:
            writer.agreed(ranks[r].cells)
            r += 1
            continue
        variant, first, last = starts[r]
        span = ranks[first : last + 1]
        cells = [[t for rank in span for t in rank.cells[w]] for w in range(len(sigla))]
        writer.variant(variant, cells)
        r = last + 1
    if writer.block is None:
        _sub(div, "ab")
    for fw in root.iter(_tag("fw")):
        fw.attrib.pop("key", None)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
