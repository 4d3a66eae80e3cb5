"""Small text helpers shared by the stages: lines, visible text, date patterns, markup."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from collate.model import Span

_MARKUP_START = re.compile(r"<[?!A-Za-z_]")


def head(data: bytes) -> str:
    """The start of ``data`` as text, enough to tell markup from plain text."""
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    return data[:4096].decode(encoding, "ignore").lstrip("\ufeff \t\r\n")


def looks_like_markup(data: bytes) -> bool:
    """Whether ``data`` starts like XML or HTML (after any BOM and whitespace)."""
    return _MARKUP_START.match(head(data)) is not None


@dataclass(frozen=True)
class Visible:
    """Text with markup removed, and the way back to the original offsets.

    ``pieces`` holds ``(visible_start, original_start)`` of each unbroken run.
    """

    text: str
    pieces: tuple[tuple[int, int], ...]

    def original(self, index: int) -> int:
        """The original offset of visible character ``index``."""
        pieces = self.pieces
        if len(pieces) == 1:
            return pieces[0][1] + index - pieces[0][0]
        k = bisect.bisect_right(pieces, (index, float("inf"))) - 1
        vis_start, orig_start = pieces[k]
        return orig_start + index - vis_start


def visible(text: str, markup: tuple[Span, ...], start: int, end: int) -> Visible:
    """The characters of ``text[start:end]`` that are not markup."""
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    k = bisect.bisect_left(markup, start + 1, key=lambda span: span.end)
    pos, length = start, 0
    while pos < end:
        if k < len(markup) and markup[k].start < end:
            run_end = max(pos, min(markup[k].start, end))
            next_pos = max(pos, markup[k].end)
            k += 1
        else:
            run_end = next_pos = end
        if run_end > pos:
            pieces.append((length, pos))
            parts.append(text[pos:run_end])
            length += run_end - pos
        pos = next_pos
    if not pieces:
        pieces.append((0, start))
    return Visible("".join(parts), tuple(pieces))


def line_starts(text: str) -> tuple[int, ...]:
    """Offsets at which each line of ``text`` starts (line 1 first)."""
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return tuple(starts)


def line_of(starts: tuple[int, ...], offset: int) -> int:
    """The 1-based line number of character ``offset``."""
    return bisect.bisect_right(starts, offset)
