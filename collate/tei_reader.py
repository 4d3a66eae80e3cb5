"""Reading TEI P5 transcriptions: the bytes of a TEI file -> the text of its ``<text>/<body>``.

Part of the reading stage. In: the bytes of a file, its name (for messages) and
:class:`TeiOptions`. Out: a :class:`TeiText`: the text (lines joined by a newline, blocks by a
blank line, pages begun by a form feed, NFC), the name of each page (``<pb n>``) and the
witness's label and siglum from the TEI header. The mapping, element by element, is the table in
docs/stages/reading.md; in short:

* ``<lb/>``, ``<cb/>`` end a line, ``<pb/>`` a page; with ``break="no"`` the word runs on and
  the break follows the word;
* ``<choice>`` reads ``expan``/``corr``/``reg`` (or, with :attr:`Choice.ORIGINAL`,
  ``abbr``/``sic``/``orig``), ``<app>`` its ``<lem>`` (else its first ``<rdg>``);
* ``<add>``/``<del>`` read the text after correction (or before: :attr:`Layer.BEFORE`);
  ``<restore>`` reads the deleted text it restores;
* ``<gap>``, ``<space>`` become the markup tokens ``[gap]`` and ``[blank]``; ``<unclear>``,
  ``<damage>``, ``<supplied>`` put ``[unclear]``, ``[damaged]``, ``[supplied]`` before their
  text, or after the word when they start inside one, so a word is never cut apart;
* ``<note>``, ``<figure>``, ``<fw>``, ``<metamark>`` and the header are left out; every other
  element gives its text (``<hi>``, ``<seg>``, ``<w>``, ``<g>``, whose empty form gives its
  glyph's character);
* the header gives the label (``<msIdentifier>``, else ``<title>``) and the siglum: the first
  ``<abbr type="siglum">``, ``<idno type="siglum">`` or ``<altIdentifier type="siglum">``'s
  ``<idno>`` outside a ``<listWit>`` (the witnesses an edition cites);
* ``<div>``, ``<ab>`` and ``<p>`` make sections (``3.2`` from nested ``@n``, else an
  ``xml:id``), and :attr:`TeiOptions.divs` reads only the divisions it names (see
  ``tei_sections.py``); the writer (``_tei_text.py``) records where each section begins.

XML is parsed as the OCR readers parse it (defusedxml: no entities, nothing fetched). The tree
is walked without recursion, so any depth of nesting is read. Whitespace-only text is
indentation, left out, inside ``<choice>``, ``<subst>`` and ``<app>`` and at the start or end
of an element; elsewhere a run of whitespace is one word boundary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from collate._tei_text import TextWriter
from collate.errors import InputError
from collate.model import Section
from collate.tei_sections import Place, Sections

if TYPE_CHECKING:  # the XML parsers load only when a markup file is read
    import xml.etree.ElementTree as ET

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_ROOTS = frozenset({"TEI", "teiCorpus"})
_HEAD = 65_536  # bytes searched for the first element
_FIRST_ELEMENT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_PROLOG = re.compile(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.DOTALL)

_SKIPPED = frozenset(
    {"note", "figure", "fw", "metamark", "teiHeader", "facsimile", "interp", "interpGrp"}
)
_ELEMENT_ONLY = frozenset({"choice", "subst", "app"})
_BLOCKS = frozenset(
    {"p", "ab", "head", "div", "lg", "list", "item", "table", "row", "quote", "sp", "opener"}
)
_LINES = frozenset({"l", "cell", "closer", "trailer", "byline", "dateline", "signed"})
_EMPTY_MARKS = {"gap": "[gap]", "space": "[blank]"}
_TEXT_MARKS = {"unclear": "[unclear]", "damage": "[damaged]", "supplied": "[supplied]"}
_EDITED = ("expan", "corr", "reg")
_ORIGINAL = ("abbr", "sic", "orig")


class Choice(Enum):
    """Which reading of a ``<choice>`` is taken."""

    EDITED = "edited"  # expan, corr, reg
    ORIGINAL = "original"  # abbr, sic, orig


class Layer(Enum):
    """Which text of a corrected passage is taken (``<add>``, ``<del>``, ``<subst>``)."""

    AFTER = "after"  # the text after correction: additions read, deletions not
    BEFORE = "before"  # the text before correction (ante correctionem)


@dataclass(frozen=True)
class TeiOptions:
    """How a TEI transcription is read: which ``<choice>`` reading, which correction layer,
    and which divisions (``divs``: ids or ``xml:id`` s, see ``tei_sections.py``; empty: the
    whole body)."""

    choice: Choice = Choice.EDITED
    layer: Layer = Layer.AFTER
    divs: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeiText:
    """The text read from a TEI file: ``page_names[i]`` names page ``i + 1`` (``""``: no name);
    ``label`` is the manuscript or title the header gives (``""``: none); ``sections`` are the
    sections of the text, by offset in ``text``; ``siglum`` is the siglum the header names
    (``""``: none)."""

    text: str
    page_names: tuple[str, ...]
    label: str
    sections: tuple[Section, ...] = ()
    siglum: str = ""


def first_element(data: bytes) -> str:
    """The local name of the first element of ``data``, after the XML declaration, comments
    and a DOCTYPE (``""``: none in the first 64 KB)."""
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    start = data[:_HEAD].decode(encoding, "ignore")  # room for a long comment or DOCTYPE
    found = _FIRST_ELEMENT.search(_PROLOG.sub("", start))
    return found.group(1) if found is not None else ""


def is_tei(data: bytes) -> bool:
    """Whether the first element of ``data`` is ``<TEI>`` or ``<teiCorpus>``, in any namespace
    prefix."""
    return first_element(data) in _ROOTS


def read_tei(data: bytes, name: str, options: TeiOptions | None = None) -> TeiText:
    """The text of a TEI file's ``<text>/<body>`` (see the module docstring)."""
    from collate.ocrxml import parse_xml  # XML parsers: loaded for markup files only

    options = options or TeiOptions()
    root = parse_xml(data, name)
    if root is None or _local(root) not in _ROOTS:
        found = "HTML" if root is None else f"XML with root element <{_local(root)}>"
        raise InputError(f"{name}: {found} is not TEI; give a TEI file (root element <TEI>)")
    bodies = [e for e in root.iter() if _local(e) == "body"]
    if not bodies:
        raise InputError(f"{name}: the TEI file has no <text>/<body>; give a file with its text")
    glyphs = _glyphs(root)
    writer = TextWriter()
    sections = Sections(options.divs)
    for body in bodies:
        writer.block()
        _walk(body, options, glyphs, writer, sections)
    sections.check(name)
    text, pages = writer.finish()
    if not text.strip():
        raise InputError(f"{name}: the TEI file has no text in its <body>; give one with text")
    nfc = unicodedata.normalize("NFC", text)
    header = _header(root)
    sections_read = _nfc_sections(text, writer.sections)
    return TeiText(nfc, pages, _label(header), sections_read, _siglum(header))


def _nfc_sections(text: str, starts: list[tuple[int, str]]) -> tuple[Section, ...]:
    """The sections beginning at ``starts`` (offsets in ``text``), by offset in the NFC text.
    A section begins at a word after a block break, where NFC of the parts is NFC of the
    whole."""
    sections, offset, last = [], 0, 0
    for start, section in starts:
        offset += len(unicodedata.normalize("NFC", text[last:start]))
        sections.append(Section(offset, section))
        last = start
    return tuple(sections)


def element_text(element: ET.Element, options: TeiOptions | None = None) -> str:
    """The text of one element read by the rules of a TEI body (CollateX XML witnesses)."""
    writer = TextWriter()
    _walk(element, options or TeiOptions(), {}, writer, Sections())
    return unicodedata.normalize("NFC", writer.finish()[0])


# The walk


def _local(element: ET.Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rpartition("}")[2]


def _chosen(choice: ET.Element, options: TeiOptions) -> ET.Element | None:
    """The child of a ``<choice>`` (or ``<app>``) that is read: the preferred kind (for an
    ``<app>``, its ``<lem>``), else the first child."""
    wanted: tuple[str, ...] = _EDITED if options.choice is Choice.EDITED else _ORIGINAL
    if _local(choice) != "choice":
        wanted = ("lem",)
    children = [c for c in choice if _local(c)]
    return next((c for c in children if _local(c) in wanted), children[0] if children else None)


def _is_read(element: ET.Element, options: TeiOptions, restored: bool) -> bool:
    """Whether an element's text is part of the witness's text."""
    kind = _local(element)
    if kind in _SKIPPED or not kind:
        return False
    if kind == "del":
        return restored or options.layer is Layer.BEFORE
    if kind == "add":
        return options.layer is Layer.AFTER
    return True


def _walk(
    body: ET.Element,
    options: TeiOptions,
    glyphs: dict[str, str],
    out: TextWriter,
    sections: Sections,
) -> None:
    """Feed ``body``'s content to ``out`` in document order, without recursion, telling it
    the section of each place and whether the place is read (``sections``)."""
    # Each frame: an element, its children still to read, whether it is inside <restore>,
    # the place inside it.
    start = Place()
    stack: list[tuple[ET.Element, Iterator[ET.Element], bool, Place]] = [
        (body, iter(body), False, start)
    ]
    out.muted, out.section = sections.muted(start), start.id
    _text(body.text, body, out, first=True)
    while stack:
        element, children, restored, place = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            _close(element, out)
            if stack:
                parent, outer = stack[-1][0], stack[-1][3]
                out.muted, out.section = sections.muted(outer), outer.id
                last = len(parent) > 0 and parent[-1] is element
                _text(element.tail, parent, out, last=last)
            continue
        if not _is_read(child, options, restored):
            last = child is element[-1]
            _text(child.tail, element, out, last=last)
            continue
        kind = _local(child)
        inner: list[ET.Element] = list(child)
        if kind in ("choice", "app", "rdgGrp"):
            picked = _chosen(child, options)
            inner = [] if picked is None else [picked]
        inside = sections.enter(place, child, kind)
        out.muted, out.section = sections.muted(inside), inside.id
        _open(child, glyphs, out)
        if kind not in ("choice", "app", "rdgGrp"):
            _text(child.text, child, out, first=True, last=not len(child))
        stack.append((child, iter(inner), restored or kind == "restore", inside))


def _text(
    text: str | None, parent: ET.Element, out: TextWriter, first: bool = False, last: bool = False
) -> None:
    """Text inside ``parent``; whitespace-only text is indentation where the module says."""
    if not text:
        return
    if not text.strip() and (first or last or _local(parent) in _ELEMENT_ONLY):
        return
    out.text(text)


def _open(element: ET.Element, glyphs: dict[str, str], out: TextWriter) -> None:
    kind = _local(element)
    joined = element.get("break") == "no"
    if kind in ("lb", "cb"):
        out.line_break(joined)
    elif kind == "pb":
        out.page_break(element.get("n", ""), joined)
    elif kind in _BLOCKS:
        out.block()
    elif kind in _LINES:
        out.line_break(False)
    elif kind in _EMPTY_MARKS:
        out.mark(_EMPTY_MARKS[kind])
    elif kind in _TEXT_MARKS:
        out.mark(_TEXT_MARKS[kind])
    elif kind == "g" and not element.text and not len(element):
        out.text(glyphs.get(element.get("ref", "").removeprefix("#"), ""))


def _close(element: ET.Element, out: TextWriter) -> None:
    kind = _local(element)
    if kind in _BLOCKS:
        out.block()
    elif kind in _LINES:
        out.line_break(False)


def _glyphs(root: ET.Element) -> dict[str, str]:
    """The character of each ``<glyph>``/``<char>`` of the header's ``<charDecl>``, by
    ``xml:id``: its standard ``<mapping>``, else its first mapping with text."""
    found: dict[str, str] = {}
    for element in root.iter():
        if _local(element) in ("glyph", "char") and element.get(_XML_ID):
            mappings = [m for m in element if _local(m) == "mapping" and (m.text or "").strip()]
            mappings.sort(key=lambda m: m.get("type") != "standard")
            if mappings:
                found[element.get(_XML_ID, "")] = (mappings[0].text or "").strip()
    return found


def _header(root: ET.Element) -> ET.Element | None:
    return next((e for e in root.iter() if _local(e) == "teiHeader"), None)


def _collapsed(element: ET.Element) -> str:
    """The text of ``element`` with each run of whitespace made one space."""
    return " ".join("".join(element.itertext()).split())


def _label(header: ET.Element | None) -> str:
    """``settlement, repository, idno`` of the header's ``<msIdentifier>`` (an ``<idno>``
    that is a siglum left out), else its first ``<title>`` (whitespace runs made one
    space)."""
    if header is None:
        return ""
    ms = next((e for e in header.iter() if _local(e) == "msIdentifier"), None)
    if ms is not None:
        parts = [
            _collapsed(c)
            for c in ms
            if _local(c) in ("settlement", "repository", "collection", "idno")
            and c.get("type") != "siglum"
        ]
        label = ", ".join(p for p in parts if p)
        if label:
            return label
    title = next((e for e in header.iter() if _local(e) == "title"), None)
    return _collapsed(title) if title is not None else ""


def _siglum(header: ET.Element | None) -> str:
    """The siglum the header names (``""``: none): the first ``<abbr type="siglum">``,
    ``<idno type="siglum">`` or ``<idno>`` of an ``<altIdentifier type="siglum">`` that is
    not empty, whitespace runs made one space. A ``<listWit>`` is passed over: it lists the
    witnesses an edition cites, not the file itself."""
    if header is None:
        return ""
    listed = {id(e) for w in header.iter() if _local(w) == "listWit" for e in w.iter()}
    for element in header.iter():
        if element.get("type") != "siglum" or id(element) in listed:
            continue
        kind = _local(element)
        if kind == "altIdentifier":
            named = [_collapsed(c) for c in element if _local(c) == "idno"]
        else:
            named = [_collapsed(element)] if kind in ("abbr", "idno") else []
        siglum = next((n for n in named if n), "")
        if siglum:
            return siglum
    return ""
