"""The text a TEI body is read into: words, breaks and marks -> text, page names, sections.

Part of the reading stage, used by ``tei_reader.py``, which walks the XML and calls a
:class:`TextWriter` for each event. Out: the text (before NFC), the name of each page and the
sections, each as the offset in that text where it begins and its id.
"""

from __future__ import annotations

import re

_SEPARATORS = ("", " ", "\n", "\n\n")  # by break level: none, space, line, block


class TextWriter:
    """Builds the text from words, breaks and marks.

    A run of breaks between two words becomes the strongest of them (space < line < block),
    with a form feed when a page break is among them. A break with ``break="no"`` and a mark
    that comes inside a word wait for the end of that word. While ``muted`` (outside the
    divisions a user selects), words, marks and line breaks are left out; page breaks still
    name the page the next word read stands on. ``section`` is the id of the section the
    next word belongs to; a word whose section differs from the one before begins a section.
    """

    SPACE, LINE, BLOCK = 1, 2, 3

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0  # characters in ``parts``
        self.level = 0  # the strongest break since the last word
        self.page: str | None = None  # a page break since the last word, with its name
        self.held_level = 0  # breaks waiting for the end of the current word
        self.held_page: str | None = None
        self.held_marks: list[str] = []
        self.joining = False  # after break="no": whitespace is not a word boundary
        self.in_word = False
        self.pages: list[str] = []
        self.muted = False
        self.section = ""
        self.sections: list[tuple[int, str]] = []  # (offset, id) where a section begins

    def text(self, text: str) -> None:
        if self.muted:
            return
        for piece in re.split(r"(\s+)", text):
            if not piece:
                continue
            if piece.isspace():
                if not self.joining:
                    self._end_word(self.SPACE)
            else:
                self._word(piece)

    def _resume(self, joined: bool) -> bool:
        """Whether a break with ``break="no"`` continues a word: the word just written, when
        only whitespace (indentation) stands between it and the break."""
        if joined and not self.in_word and self.level == self.SPACE and self.page is None:
            self.in_word, self.level = bool(self.parts), 0
        return joined and self.in_word

    def line_break(self, joined: bool) -> None:
        if self.muted:
            return
        if self._resume(joined):
            self.held_level = max(self.held_level, self.LINE)
            self.joining = True
        else:
            self._end_word(self.LINE)

    def page_break(self, name: str, joined: bool) -> None:
        if self._resume(joined):
            self.held_level = max(self.held_level, self.LINE)
            self.held_page = name
            self.joining = True
        else:
            self._end_word(self.LINE)
            self.page = name

    def block(self) -> None:
        self._end_word(self.BLOCK)

    def mark(self, mark: str) -> None:
        if self.muted:
            return
        if self.in_word and not self.level:
            self.held_marks.append(mark)
        else:
            self._word(mark)
            self._end_word(self.SPACE)

    def finish(self) -> tuple[str, tuple[str, ...]]:
        self._end_word(0)
        if not self.pages:
            self.pages.append(self.page or "")
        return "".join(self.parts), tuple(self.pages)

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _word(self, piece: str) -> None:
        if self.parts:
            if self.page is not None:
                self._put(_SEPARATORS[max(self.level, self.LINE)] + "\f")
                self.pages.append(self.page)
            else:
                self._put(_SEPARATORS[self.level])
        else:
            self.pages.append(self.page or "")
        if self.section != (self.sections[-1][1] if self.sections else ""):
            self.sections.append((self.length, self.section))
        self._put(piece)
        self.level, self.page = 0, None
        self.in_word, self.joining = True, False

    def _end_word(self, level: int) -> None:
        if self.in_word:
            self.in_word = False
            for mark in self.held_marks:
                self._put(" " + mark)
            self.held_marks = []
            self.level = max(self.level, self.held_level)
            if self.held_page is not None:
                self.page = self.held_page
            self.held_level, self.held_page = 0, None
        self.level = max(self.level, level)
