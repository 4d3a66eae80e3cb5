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
witness is ``<pb n="PAGE" edRef="#SIGLUM"/>``, and where a witness's source gives sections
(TEI ``<div n>``), the start of each is ``<milestone unit="section" n="3.2"
edRef="#SIGLUM"/>``. Built with ElementTree.

Any text makes a well-formed document: a character XML 1.0 forbids (C0 controls other than
tab and line ends, U+FFFE, U+FFFF) becomes ``<g type="control" n="U+0007">\ufffd</g>``
(``type="noncharacter"`` for U+FFFE and U+FFFF), and in an attribute U+FFFD; a file name
that is not valid UTF-8 shows its bytes as ``\\xNN``. Sigla that make the same ``xml:id``
are told apart with ``-2``, ``-3`` ...
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from collate import __version__
from collate._safe import ILLEGAL_XML, encodable
from collate.model import NONE, TokenColumns, TokenKind, Variant, VariantKind
from collate.pipeline import Collation
from collate.variants import starts

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_NCNAME_START = re.compile(r"^[A-Za-z_]")
# Characters kept in an xml:id: ASCII, and letters of common scripts that every edition of
# XML 1.0 allows in names (libxml2, for one, still applies the fourth edition's Unicode 2.0
# tables, which lack the long s U+017F, U+10000 and up, and many later scripts); others become "_".
_NAME_CHAR = re.compile(
    "[-.0-9A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u0131\u0134-\u013e"
    "\u0141-\u0148\u014a-\u017e\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03ce"
    "\u0410-\u044f\u05d0-\u05ea\u0621-\u063a\u0641-\u064a\u3041-\u3094\u30a1-\u30fa"
    "\u4e00-\u9fa5\uac00-\ud7a3]"
)


def _tag(name: str) -> str:
    return f"{{{TEI}}}{name}"


def xml_id(siglum: str) -> str:
    """A valid ``xml:id`` for a siglum (letters, digits, ``_ . -``; a letter first): other
    characters become ``_``, and one that does not start with an ASCII letter or ``_`` gets
    ``w_`` in front."""
    nfc = unicodedata.normalize("NFC", siglum)
    cleaned = "".join(c if _NAME_CHAR.match(c) else "_" for c in nfc)
    return cleaned if _NCNAME_START.match(cleaned) else f"w_{cleaned}"


def xml_ids(sigla: Sequence[str]) -> dict[str, str]:
    """The ``xml:id`` of each siglum, distinct: a repeated one gets ``-2``, ``-3`` ..."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for siglum in sigla:
        base = candidate = xml_id(siglum)
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids[siglum] = candidate
    return ids


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), attrs)
    if text is not None:
        element.text = text
    return element


def _place_text(parent: ET.Element, text: str) -> None:
    """Add text after the last child of ``parent`` (or as its text)."""
    if len(parent):
        last = parent[len(parent) - 1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class _Tree:
    """Builds elements and the text between them; text added to an element waits in a list
    until a child follows it or the tree is finished (adding to ``tail`` one token at a time
    would copy the text again for every token: quadratic on long texts)."""

    def __init__(self) -> None:
        self.pending: dict[ET.Element, list[str]] = {}

    def sub(
        self, parent: ET.Element, name: str, text: str | None = None, **attrs: str
    ) -> ET.Element:
        self._flush(parent)
        return _sub(parent, name, text, **attrs)

    def text(self, parent: ET.Element, text: str) -> None:
        """Add text at the end of ``parent``."""
        self.pending.setdefault(parent, []).append(text)

    def has_content(self, parent: ET.Element) -> bool:
        return len(parent) > 0 or bool(parent.text) or parent in self.pending

    def ends_in_text(self, parent: ET.Element) -> bool:
        """Whether text follows the last child of ``parent`` (which has children)."""
        return bool(parent[len(parent) - 1].tail) or parent in self.pending

    def _flush(self, parent: ET.Element) -> None:
        chunks = self.pending.pop(parent, None)
        if chunks:
            _place_text(parent, "".join(chunks))

    def finish(self, root: ET.Element) -> None:
        """Place the waiting text and make every character one XML 1.0 allows."""
        for parent in list(self.pending):
            self._flush(parent)
        for element in list(root.iter()):
            for key, value in element.attrib.items():
                element.set(key, ILLEGAL_XML.sub("\ufffd", encodable(value)))
            children: list[ET.Element] = []
            changed = False
            if element.text:
                element.text, marks = _legal(element.text)
                children.extend(marks)
                changed = bool(marks)
            for child in element:
                children.append(child)
                if child.tail:
                    child.tail, marks = _legal(child.tail)
                    children.extend(marks)
                    changed = changed or bool(marks)
            if changed:
                element[:] = children


def _legal(text: str) -> tuple[str, list[ET.Element]]:
    """``text`` up to the first character XML 1.0 forbids, and a ``<g>`` naming each such
    character with the text after it as its tail."""
    text = encodable(text)
    parts = ILLEGAL_XML.split(text)
    if len(parts) == 1:
        return text, []
    marks = []
    for match, tail in zip(ILLEGAL_XML.finditer(text), parts[1:], strict=True):
        code = ord(match.group())
        kind = "noncharacter" if code > 0xFFFD else "control"
        g = ET.Element(_tag("g"), type=kind, n=f"U+{code:04X}")
        g.text, g.tail = "\ufffd", tail
        marks.append(g)
    return parts[0], marks


_EDITORIAL = {"sic": "sic", "unclear": "unclear"}


def _token(tree: _Tree, parent: ET.Element, columns: TokenColumns, k: int, first: bool) -> None:
    if columns.space_before[k] and not first:
        tree.text(parent, " ")
    kind, text = columns.kind[k], columns.text[k]
    if kind is TokenKind.REDACTION:
        tree.sub(parent, "gap", reason="redacted", extent=f"{len(text)} characters")
    elif kind is TokenKind.EDITORIAL:
        word = text.strip("[]").split()[0].lower().rstrip(".:")
        if word in _EDITORIAL:
            tree.sub(parent, _EDITORIAL[word])
        else:
            tree.sub(parent, "gap", reason=text.strip("[]"))
    elif kind is TokenKind.GLYPH:
        tree.sub(parent, "g", text)
    else:
        tree.text(parent, text)


class _Writer:
    """Walks the ranks, writing agreed text, apparatus entries and page breaks; reads the
    tokens from the rank table's columns by index (no token objects)."""

    def __init__(
        self,
        collation: Collation,
        variants: Sequence[Variant],
        div: ET.Element,
        tree: _Tree,
    ):
        self.tree = tree
        self.ids = xml_ids([w.siglum for w in collation.witnesses])
        self.sigla = collation.alignment.sigla
        self.base = self.sigla.index(collation.base)
        self.has_base = collation.has_base
        self.columns = collation.alignment.tokens
        self.page_labels = [w.page_label for w in collation.witnesses]
        self.section_at = [w.section_at if w.sections else None for w in collation.witnesses]
        self.sections = [""] * len(self.sigla)  # the section each witness is in
        self.rows = collation.alignment.rows
        self.paragraphs = [[s.paragraph for s in segments] for segments in collation.segments]
        self.rules = [
            [s.furniture or "furniture" for s in collation.segments[self.sigla.index(c.siglum)]]
            for c in self.columns
        ]
        self.div = div
        self.block: ET.Element | None = None
        self.paragraph: int | None = None
        self.pages = [0] * len(self.sigla)
        self.starts = starts(variants)
        self.open: set[int] = set()  # the outer variants being written

    def _start(self, cells: Sequence[Sequence[int]]) -> ET.Element:
        """The block to write into: a new ``<ab>`` where the base starts a paragraph."""
        base = cells[self.base]
        paragraph = (
            self.paragraphs[self.base][self.columns[self.base].segment[base[0]]] if base else None
        )
        tree = self.tree
        if self.block is None or (paragraph is not None and paragraph != self.paragraph):
            self.block = tree.sub(self.div, "ab")
            self.paragraph = paragraph if paragraph is not None else self.paragraph
        for w, cell in enumerate(cells):
            page = self.columns[w].page[cell[0]] if cell else 0
            if cell and page != self.pages[w]:
                if self.pages[w]:
                    if tree.has_content(self.block):
                        tree.text(self.block, " ")
                    edition = f"#{self.ids[self.sigla[w]]}"
                    tree.sub(self.block, "pb", n=self.page_labels[w](page), edRef=edition)
                self.pages[w] = page
            section_at = self.section_at[w]
            if cell and section_at is not None:
                self._section(w, section_at(self.columns[w].start[cell[0]]))
        return self.block

    def _section(self, w: int, section: str) -> None:
        """A ``<milestone>`` where witness ``w`` enters another section."""
        if section and section != self.sections[w] and self.block is not None:
            if self.tree.has_content(self.block):
                self.tree.text(self.block, " ")
            edition = f"#{self.ids[self.sigla[w]]}"
            self.tree.sub(self.block, "milestone", unit="section", n=section, edRef=edition)
        self.sections[w] = section

    def _tokens(self, parent: ET.Element, w: int, tokens: Sequence[int], leading: bool) -> None:
        """Witness ``w``'s tokens into ``parent``; each run of furniture from one segment
        wrapped in ``<fw>``. A run continues an ``<fw>`` that ends ``parent`` when it comes
        from the same segment."""
        tree, columns = self.tree, self.columns[w]
        for i, k in enumerate(tokens):
            first = i == 0 and not leading
            if not columns.furniture[k]:
                _token(tree, parent, columns, k, first)
                continue
            key = f"{columns.siglum} {columns.segment[k]}"
            last = parent[len(parent) - 1] if len(parent) else None
            same = (
                last is not None
                and last.tag == _tag("fw")
                and not tree.ends_in_text(parent)
                and last.get("key") == key
            )
            if same and last is not None:
                _token(tree, last, columns, k, False)
                continue
            if columns.space_before[k] and not first:
                tree.text(parent, " ")
            fw = tree.sub(parent, "fw", type=self.rules[w][columns.segment[k]], key=key)
            _token(tree, fw, columns, k, True)

    def walk(self, parent: ET.Element | None, members: Sequence[int], lo: int, hi: int) -> None:
        """Ranks ``lo`` to ``hi`` of the witnesses ``members``: into the current block when
        ``parent`` is None, else into the reading ``parent`` (of an outer variant)."""
        r = lo
        while r <= hi:
            place = self._place(r, hi)
            if place is None:
                self.agreed(r, parent, members)
                r += 1
                continue
            variant, first, last = place
            self.variant(variant, first, last, parent, members)
            r = last + 1

    def _place(self, r: int, hi: int) -> tuple[Variant, int, int] | None:
        """The variant place to write at rank ``r`` inside ranks up to ``hi``: the outermost
        outer variant not yet open, else the last place listed there."""
        fitting = [p for p in self.starts.get(r, ()) if p[2] <= hi and p[0].number not in self.open]
        outer = [p for p in fitting if p[0].contains]
        return outer[0] if outer else fitting[-1] if fitting else None

    def agreed(self, r: int, parent: ET.Element | None, members: Sequence[int]) -> None:
        """Rank ``r``, where the witnesses agree (or their variant is not shown): the base's
        token when it is among ``members`` and has one, else the first member's."""
        cells = [(k,) if (k := row[r]) != NONE else () for row in self.rows]
        container = self._start(cells) if parent is None else parent
        w = self.base if self.base in members and cells[self.base] else None
        w = next((m for m in members if cells[m]), None) if w is None else w
        if w is not None:
            self._tokens(container, w, cells[w], leading=self.tree.has_content(container))

    def variant(
        self,
        variant: Variant,
        first: int,
        last: int,
        parent: ET.Element | None = None,
        members: Sequence[int] = (),
    ) -> None:
        """An ``<app>`` for ``variant`` over ranks ``first`` to ``last``, with the readings of
        ``members`` (every witness when empty). An outer variant has one reading for the
        members that have text, holding the variants inside it, and one empty ``<rdg>`` for
        those that have nothing."""
        members = members or range(len(self.rows))
        table = zip(self.columns, self.rows, strict=True)
        cells = [[k for k in row[first : last + 1] if k != NONE] for _, row in table]
        container = self._start(cells) if parent is None else parent
        spaced = any(cells[w] and self.columns[w].space_before[cells[w][0]] for w in members)
        if self.tree.has_content(container) and spaced:
            self.tree.text(container, " ")
        moved = variant.kind is VariantKind.TRANSPOSITION
        kind = "transposition" if moved else variant.category.value
        app = self.tree.sub(container, "app", type=kind, n=str(variant.number))
        groups: dict[tuple[str, ...], list[int]] = {}
        for w in members:
            text = self.columns[w].text
            key = tuple(text[k] for k in cells[w])
            groups.setdefault(("outer",) if variant.contains and key else key, []).append(w)
        for key, group in sorted(groups.items(), key=lambda kv: self.base not in kv[1]):
            wit = " ".join(f"#{self.ids[self.sigla[w]]}" for w in group)
            lemma = self.has_base and self.base in group
            reading = self.tree.sub(app, "lem" if lemma else "rdg", wit=wit)
            if key and variant.contains:
                self.open.add(variant.number)
                self.walk(reading, group, first, last)
                self.open.discard(variant.number)
            elif key:
                self._tokens(reading, group[0], cells[group[0]], leading=False)


def _header(root: ET.Element, collation: Collation, title: str) -> None:
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", title)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "p", f"Collation generated by collate {__version__}.")
    source = _sub(file_desc, "sourceDesc")
    list_wit = _sub(source, "listWit")
    ids = xml_ids([w.siglum for w in collation.witnesses])
    for witness in collation.witnesses:
        entry = _sub(list_wit, "witness", witness.label or witness.siglum)
        entry.set(XML_ID, ids[witness.siglum])
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
    tree = _Tree()
    writer = _Writer(collation, variants, div, tree)
    writer.walk(None, range(len(sigla)), 0, len(collation.alignment) - 1)
    if writer.block is None:
        _sub(div, "ab")
    tree.finish(root)
    for fw in root.iter(_tag("fw")):
        fw.attrib.pop("key", None)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
