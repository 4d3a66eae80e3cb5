"""Sections of a TEI body: the id of each ``<div>``, ``<ab>`` and ``<p>``, and the divisions a
user selects.

Part of the reading stage, used by ``tei_reader.py`` as it walks a body. The id of a section
is its ``@n`` path, the ``@n`` of each enclosing ``<div>``, ``<ab>`` and ``<p>`` that has one,
outermost first, joined by ``.`` (``<div n="3"><div n="2">`` is ``3.2``, as an edition cites
it); where none has an ``@n``, it is the ``xml:id`` of the nearest one that has an id; else
there is none (``""``). An ``@n`` that is a URI (``urn:cts:...``: EpiDoc's ``<div
type="edition">`` names the whole text so) is not a section number and is left out. A
selection names divisions by their id or their ``xml:id``; the text read is that of the
outermost elements named, in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from collate.errors import InputError, Param

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

SECTION_ELEMENTS = frozenset({"div", "ab", "p"})
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LISTED = 20  # ids named in the message for a selection that is not in the file


@dataclass(frozen=True)
class Place:
    """Where the walk of a body stands: the ``@n`` path and the nearest ``xml:id`` of the
    enclosing sections, the id they give, and whether a selected division encloses it."""

    path: tuple[str, ...] = ()
    xml_id: str = ""
    id: str = ""
    selected: bool = False


class Sections:
    """The sections met in a walk: the id of each place, and which of the ``wanted``
    divisions (empty: the whole body) were found."""

    def __init__(self, wanted: tuple[str, ...] = ()) -> None:
        self.wanted = wanted
        self.found: set[str] = set()
        self.known: dict[str, None] = {}  # every name a division can be selected by, in order

    def enter(self, place: Place, element: ET.Element, kind: str) -> Place:
        """The place inside ``element`` (of local name ``kind``), inside ``place``."""
        if kind not in SECTION_ELEMENTS:
            return place
        n = " ".join((element.get("n") or "").split())
        numbered = bool(n) and not _URI.match(n)
        path = (*place.path, n) if numbered else place.path
        own_id = element.get(XML_ID, "")
        xml_id = own_id or place.xml_id
        names = [name for name in (".".join(path) if numbered else "", own_id) if name]
        for name in names:
            self.known.setdefault(name)
        hits = [name for name in names if name in self.wanted]
        self.found.update(hits)
        return Place(path, xml_id, ".".join(path) or xml_id, place.selected or bool(hits))

    def muted(self, place: Place) -> bool:
        """Whether the text at ``place`` is left out: a selection is given and no division of
        it encloses the place."""
        return bool(self.wanted) and not place.selected

    def check(self, name: str) -> None:
        """Raise for the first wanted division that the file ``name`` does not have."""
        missing = next((w for w in self.wanted if w not in self.found), None)
        if missing is None:
            return
        known = list(self.known)
        if not known:
            has = "it has no <div>, <ab> or <p> with an @n or xml:id"
        else:
            more = f" and {len(known) - _LISTED} more" if len(known) > _LISTED else ""
            has = f"its divisions are {', '.join(known[:_LISTED])}{more}"
        raise InputError(
            f"{name}: ",
            Param("divs", missing),
            f": no such <div>, <ab> or <p> (by @n path or xml:id); {has}",
        )
