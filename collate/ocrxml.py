"""Reading OCR XML: PAGE, ALTO and hOCR bytes -> text in reading order.

Part of the reading stage. In: the bytes of a file and its name (for messages). Out: the file's
format (:func:`detect_format`) and its text (:func:`extract_text`): lines joined by a newline,
regions (PAGE TextRegion, ALTO TextBlock, hOCR ocr_carea/ocr_par) separated by a blank line, NFC.

XML is parsed with defusedxml: a DTD that declares entities is refused, never expanded, and
nothing is ever fetched. hOCR that is not well-formed XML is read with the standard library's
``html.parser``, which fetches nothing either. Element names are matched without namespaces.

PAGE text levels: a region's own TextEquiv is taken when it has text, else its TextLines'. The
region level is what a transcriber corrects last and what dinglehopper reads; TextLines are not
always in reading order within a region, nor kept in step with corrections made to the region.

ALTO hyphenation: a String with ``SUBS_TYPE="HypPart1"`` and a ``SUBS_CONTENT`` gives the whole
word once, at the place of its first part; the HYP after it and the String with
``SUBS_TYPE="HypPart2"`` are skipped. Without SUBS_CONTENT both parts are kept and the HYP's
CONTENT is appended to the last word.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator
from enum import Enum
from html.parser import HTMLParser

from defusedxml import (  # type: ignore[import-untyped, unused-ignore]
    DefusedXmlException,
    ElementTree,
    EntitiesForbidden,
)

from collate._safe import printable
from collate._text import head, looks_like_markup
from collate.errors import InputError

_HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_POSITION = re.compile(r": line \d+, column \d+$")
_DECLARED_ENCODING = re.compile(r"<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']{0,40})")
MAX_TAG = 65_536  # characters in one HTML tag; html.parser needs memory and time per attribute
_TAG_START = re.compile(r"</?[A-Za-z]")
_GROUPS = frozenset(
    {"OrderedGroup", "UnorderedGroup", "OrderedGroupIndexed", "UnorderedGroupIndexed"}
)
_REFS = frozenset({"RegionRef", "RegionRefIndexed"})
_HOCR_REGION = frozenset({"ocr_page", "ocr_carea", "ocr_par"})
_HOCR_LINE = frozenset({"ocr_line", "ocrx_line", "ocr_textfloat", "ocr_header", "ocr_caption"})
_HOCR_WORD = frozenset({"ocrx_word"})
_HTML_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


class OcrFormat(Enum):
    """The OCR XML formats collate reads."""

    PAGE = "page"
    ALTO = "alto"
    HOCR = "hocr"

    @property
    def label(self) -> str:
        """The format's name as usually written: PAGE, ALTO, hOCR."""
        return "hOCR" if self is OcrFormat.HOCR else self.name


def detect_format(data: bytes, name: str) -> OcrFormat | None:
    """The OCR format of ``data``, or None when it is not XML or HTML at all (plain text).

    XML or HTML that is none of PAGE, ALTO and hOCR is an error, never read as plain text.
    """
    if not looks_like_markup(data):
        return None
    root = _parse(data, name)
    if root is None:
        if _read_html(data, name).has_page:
            return OcrFormat.HOCR
        raise InputError(_not_hocr(name))
    return _classify(root, name)


def extract_text(data: bytes, name: str, fmt: OcrFormat) -> str:
    """The text of an OCR file of format ``fmt`` in reading order (see the module docstring)."""
    if not looks_like_markup(data):
        raise InputError(f"{name}: not XML or HTML, so not {fmt.label}; read it as plain text")
    root = _parse(data, name)
    if root is None:
        html = _read_html(data, name)
        if not html.has_page:
            raise InputError(_not_hocr(name))
        found, regions = OcrFormat.HOCR, html.regions()
    else:
        found = _classify(root, name)
        regions = _tree_regions(root, found)
    if found is not fmt:
        raise InputError(
            f"{name}: the file is {found.label}, not {fmt.label}; read it as {found.label}"
        )
    text = "\n\n".join(r for r in regions if r)
    if not text.strip():
        raise InputError(f"{name}: the {fmt.label} file has no text; give a file with its text")
    return unicodedata.normalize("NFC", text)


# Parsing and classification


def _parse(data: bytes, name: str) -> ET.Element | None:
    """The XML tree; None for HTML that is not well-formed XML."""
    try:
        root: ET.Element = ElementTree.fromstring(data)
    except EntitiesForbidden as error:
        raise InputError(
            f"{name}: refuses XML entity declarations (<!ENTITY {error.name}> in the DOCTYPE "
            "could expand without limit or read other files); remove them from the file"
        ) from None
    except DefusedXmlException as error:
        raise InputError(
            f"{name}: refuses XML that refers to outside resources ({error}); remove the reference"
        ) from None
    except (ValueError, LookupError) as error:
        # expat reads only single-byte codecs besides UTF-8 and UTF-16: a multi-byte one
        # (shift_jis, utf-32, utf-7) is a ValueError, an unknown or non-text codec (rot13,
        # base64) a LookupError.
        found = _DECLARED_ENCODING.search(head(data))
        declared = printable(found.group(1)) if found else str(error)
        raise InputError(
            f"{name}: the XML declaration names encoding '{declared}', which collate cannot "
            "read XML in (it reads UTF-8, UTF-16 and single-byte codecs); save the file as UTF-8"
        ) from None
    except ET.ParseError as error:
        if _HTML_START.search(head(data)):
            return None
        line, column = error.position
        reason = _POSITION.sub("", str(error))
        raise InputError(
            f"{name}: malformed XML at line {line}, column {column + 1} ({reason}); "
            "fix the file (it starts like XML, so it is not read as plain text)"
        ) from None
    return root


def parse_xml(data: bytes, name: str) -> ET.Element | None:
    """The XML tree of ``data``, parsed safely (no entities, nothing fetched); None for HTML
    that is not well-formed XML. Malformed XML is an :class:`InputError`."""
    return _parse(data, name)


def _tree_regions(root: ET.Element, fmt: OcrFormat) -> list[str]:
    if fmt is OcrFormat.PAGE:
        return _page_regions(root)
    if fmt is OcrFormat.ALTO:
        return _alto_regions(root)
    return _hocr_regions(root)


def _split(tag: str) -> tuple[str, str]:
    """The namespace and local name of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _local(element: ET.Element) -> str:
    return _split(element.tag)[1] if isinstance(element.tag, str) else ""


def _classify(root: ET.Element, name: str) -> OcrFormat:
    namespace, local = _split(root.tag)
    if local == "PcGts" and "primaresearch.org/PAGE/" in namespace:
        return OcrFormat.PAGE
    if local == "alto" and (not namespace or "alto" in namespace.lower()):
        return OcrFormat.ALTO
    if local.lower() == "html":
        if any("ocr_page" in e.get("class", "").split() for e in root.iter()):
            return OcrFormat.HOCR
        raise InputError(_not_hocr(name))
    raise InputError(
        f"{name}: XML with root element <{root.tag}> is not TEI, PAGE, ALTO or hOCR; "
        "give a plain-text file or one of those formats"
    )


def _not_hocr(name: str) -> str:
    return (
        f"{name}: HTML without an element of class ocr_page is not hOCR; "
        "give a plain-text file or a PAGE, ALTO or hOCR file"
    )


# PAGE


def _page_regions(root: ET.Element) -> list[str]:
    """Region texts: in ReadingOrder, then the regions it leaves out in document order."""
    regions = [e for e in root.iter() if _local(e) == "TextRegion"]
    by_id = {r.get("id", ""): r for r in reversed(regions)}
    ordered = [by_id[ref] for ref in _reading_order(root) if ref in by_id]
    ordered += regions
    seen: set[int] = set()
    texts = []
    for region in ordered:
        if id(region) not in seen:
            seen.add(id(region))
            texts.append(_region_text(region))
    return texts


def _reading_order(root: ET.Element) -> list[str]:
    """The region ids of the first ReadingOrder's groups, flattened."""
    order = next((e for e in root.iter() if _local(e) == "ReadingOrder"), None)
    if order is None:
        return []
    ids: list[str] = []
    stack = list(reversed(_members(order)))
    while stack:
        node = stack.pop()
        if node.get("regionRef"):
            ids.append(node.get("regionRef", ""))
        if _local(node) in _GROUPS:
            stack.extend(reversed(_members(node)))
    return ids


def _members(group: ET.Element) -> list[ET.Element]:
    """A group's region refs and subgroups, by ``index`` where they have one."""
    members = [c for c in group if _local(c) in _GROUPS | _REFS]
    return sorted(members, key=_index_key)


def _index_key(element: ET.Element) -> tuple[int, int]:
    """Sorts by the ``index`` attribute; elements without one after, in document order."""
    try:
        return (0, int(element.get("index", "")))
    except ValueError:
        return (1, 0)


def _region_text(region: ET.Element) -> str:
    """The region's own text, else the text of its lines (see the module docstring)."""
    lines = [_text_equiv(c) for c in region if _local(c) == "TextLine"]
    return _text_equiv(region) or "\n".join(line for line in lines if line)


def _text_equiv(element: ET.Element) -> str:
    """The Unicode of the TextEquiv child with the lowest index (or the first one)."""
    equivs = [c for c in element if _local(c) == "TextEquiv"]
    if not equivs:
        return ""
    best = min(equivs, key=_index_key)
    unicode = next((c for c in best if _local(c) == "Unicode"), None)
    text = (unicode.text or "") if unicode is not None else ""
    return text if text.strip() else ""


# ALTO


def _alto_regions(root: ET.Element) -> list[str]:
    """Block texts in document order, including blocks inside ComposedBlock; each line is
    in its nearest TextBlock. One walk without recursion: blocks may be nested deeply."""
    blocks: list[list[str]] = []
    joined = False  # the last word was a HypPart1's SUBS_CONTENT: skip its HYP and HypPart2
    stack: list[tuple[Iterator[ET.Element], int]] = [(iter(root), -1)]
    while stack:
        children, block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        kind = _local(child)
        if kind == "TextBlock":
            blocks.append([])
            stack.append((iter(child), len(blocks) - 1))
        elif kind == "TextLine":
            if block >= 0:
                words, joined = _alto_words(child, joined)
                if words:
                    blocks[block].append(" ".join(words))
        else:
            stack.append((iter(child), block))
    return ["\n".join(lines) for lines in blocks]


def _alto_words(line: ET.Element, joined: bool) -> tuple[list[str], bool]:
    words: list[list[str]] = []  # each word's parts: a String's text and the HYPs after it
    for item in line:
        kind = _local(item)
        if kind == "HYP":
            if not joined and words:
                words[-1].append(item.get("CONTENT", ""))  # joined once, in linear time
            continue
        if kind != "String":
            continue
        subs = item.get("SUBS_TYPE")
        if joined and subs == "HypPart2":
            joined = False
            continue
        joined = subs == "HypPart1" and bool(item.get("SUBS_CONTENT"))
        word = item.get("SUBS_CONTENT" if joined else "CONTENT", "")
        if word:
            words.append([word])
    return ["".join(parts) for parts in words], joined


# hOCR


class _HocrCollector:
    """Collects hOCR lines and regions from start, end and data events."""

    def __init__(self) -> None:
        self.has_page = False
        self._regions: list[list[str]] = [[]]
        self._open: list[tuple[str, str]] = []  # (tag, role) of the open elements
        # How many open elements have each tag and each role: end tags and text are handled
        # without walking the open elements, which may be nested 100,000 deep.
        self._tags: Counter[str] = Counter()
        self._roles: Counter[str] = Counter()
        self._words: list[str] = []
        self._line: list[str] = []  # text of the open line outside words
        self._word: list[str] | None = None

    def start(self, tag: str, classes: Iterable[str]) -> None:
        names = set(classes)
        self.has_page = self.has_page or "ocr_page" in names
        if tag in _HTML_VOID:
            return
        role = ""
        if names & _HOCR_WORD:
            role = "word"
            self._end_word()
            self._word = []
        elif names & _HOCR_LINE:
            role = "line"
            self._end_line()
        elif names & _HOCR_REGION:
            role = "region"
            self._end_region()
        self._open.append((tag, role))
        self._tags[tag] += 1
        self._roles[role] += 1

    def end(self, tag: str) -> None:
        if not self._tags[tag]:
            return
        while self._open:
            open_tag, role = self._open.pop()
            self._tags[open_tag] -= 1
            self._roles[role] -= 1
            if role == "word":
                self._end_word()
            elif role == "line":
                self._end_line()
            elif role == "region":
                self._end_region()
            if open_tag == tag:
                return

    def data(self, text: str) -> None:
        if self._word is not None:
            self._word.append(text)
        elif self._roles["line"]:
            self._line.append(text)

    def regions(self) -> list[str]:
        self._end_region()
        return ["\n".join(lines) for lines in self._regions if lines]

    def _end_word(self) -> None:
        if self._word is not None:
            word = " ".join("".join(self._word).split())
            if word:
                self._words.append(word)
            self._word = None

    def _end_line(self) -> None:
        self._end_word()
        line = " ".join(self._words) or " ".join("".join(self._line).split())
        if line:
            self._regions[-1].append(line)
        self._words, self._line = [], []

    def _end_region(self) -> None:
        self._end_line()
        if self._regions[-1]:
            self._regions.append([])


class _HocrHtmlParser(HTMLParser):
    """Feeds HTML events to a collector; never fetches anything."""

    def __init__(self, collector: _HocrCollector) -> None:
        super().__init__(convert_charrefs=True)
        self.collector = collector

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = " ".join(v or "" for k, v in attrs if k == "class").split()
        self.collector.start(tag, classes)

    def handle_endtag(self, tag: str) -> None:
        self.collector.end(tag)

    def handle_data(self, data: str) -> None:
        self.collector.data(data)


def _long_tag(text: str) -> int | None:
    """The offset of the first tag start followed by more than ``MAX_TAG`` characters
    without a ``>`` (a tag html.parser would need minutes and gigabytes for), or None."""
    start = 0
    for piece in text.split(">"):
        end = start + len(piece)
        if len(piece) > MAX_TAG:
            found = _TAG_START.search(text, start, end - MAX_TAG)
            if found is not None:
                return found.start()
        start = end + 1
    return None


def _read_html(data: bytes, name: str) -> _HocrCollector:
    """The hOCR of HTML that is not well-formed XML; HTML must be UTF-8."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not valid utf-8 at byte {error.start}; save the HTML file as UTF-8"
        ) from None
    long_tag = _long_tag(text)
    if long_tag is not None:
        line = text.count("\n", 0, long_tag) + 1
        raise InputError(
            f"{name}: an HTML tag at line {line} runs on for more than {MAX_TAG:,} characters "
            "without a '>'; this is not hOCR (fix or remove the tag)"
        )
    # Whatever starts with '<' after the last '>' can never be a complete tag (a browser drops
    # it); html.parser would rescan the rest of the file for every '<' in it: quadratic.
    last = text.rfind(">")
    cut = text.find("<", last + 1)
    collector = _HocrCollector()
    parser = _HocrHtmlParser(collector)
    parser.feed(text if cut < 0 else text[:cut])
    parser.close()
    return collector


def _hocr_regions(root: ET.Element) -> list[str]:
    """Region texts of well-formed (X)HTML, walked in document order without recursion."""
    collector = _HocrCollector()
    _start(collector, root)
    stack = [(root, iter(root))]
    while stack:
        element, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            collector.end(_local(element).lower())
            if stack and element.tail:
                collector.data(element.tail)
        else:
            _start(collector, child)
            stack.append((child, iter(child)))
    return collector.regions()


def _start(collector: _HocrCollector, element: ET.Element) -> None:
    collector.start(_local(element).lower(), element.get("class", "").split())
    if element.text:
        collector.data(element.text)
