"""Segmentation: a witness -> pages, paragraphs and segments of body or furniture.

Pages break at a form feed and before a page number such as ``-2-``.
Paragraphs are runs of non-blank lines. Page furniture is recognised line by
line with named rules (data, below):

* *strong* rules (page numbers like ``-2-``, archive credits, classification
  marks, declassification stamps) mark a line as furniture wherever it stands;
* *weak* rules (running heads in capitals, datelines, initials, short docket
  lines, bare numbers) count only in the head or foot zone of a page: the
  leading and trailing paragraphs made entirely of furniture-like lines, and
  only when that zone holds at least one line that is more than a docket line.

Consecutive lines of one paragraph with the same classification form one
:class:`~collate.model.Segment`; furniture segments name their rule. Nothing
is dropped: every non-blank line is in exactly one segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from collate._text import visible
from collate.model import Segment, SegmentKind, Witness

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4})"
)


_FLAGS = {re.IGNORECASE: "i", re.MULTILINE: "m", re.DOTALL: "s", re.VERBOSE: "x"}
_LEADING_FLAGS = re.compile(r"^(?:\(\?[aiLmsux]+\))+")  # global inline flags: in .flags too
_GROUP_REFERENCE = re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]|\(\?\(|\(\?P=")


def _scoped(pattern: re.Pattern[str]) -> str:
    """``pattern`` as a group that keeps its flags inside any other pattern."""
    on = "".join(letter for flag, letter in _FLAGS.items() if pattern.flags & flag)
    off = "".join(letter for flag, letter in _FLAGS.items() if not pattern.flags & flag)
    ascii_only = "a" if pattern.flags & re.ASCII else ""
    text = _LEADING_FLAGS.sub("", pattern.pattern, count=1)
    end = "\n" if pattern.flags & re.VERBOSE else ""  # a final comment ends before the group
    return f"(?{ascii_only}{on}{'-' + off if off else ''}:{text}{end})"


@dataclass(frozen=True)
class FurnitureRule:
    """A named pattern that recognises one kind of page furniture in a line.

    The pattern is matched from the start of a line's visible text (as ``re.match`` does),
    with its own flags. The rules of one strength are tried as one pattern, so a rule may not
    name a group or refer to one (``\\1``, ``(?P=name)``, ``(?(1)...)``): those are refused
    here with a ``ValueError``.
    """

    name: str
    pattern: re.Pattern[str]
    strong: bool
    final_digit: bool = False  # matches only lines that end in a digit (others skip it)

    def __post_init__(self) -> None:
        what = f"furniture rule '{self.name}'"
        if not isinstance(self.pattern, re.Pattern) or not isinstance(self.pattern.pattern, str):
            raise ValueError(
                f"{what}: the pattern must be re.compile() of a str, not {self.pattern!r}"
            )
        if self.pattern.groupindex or _GROUP_REFERENCE.search(self.pattern.pattern):
            raise ValueError(
                f"{what}: the rules are tried as one pattern, so a rule's pattern may not name "
                "a group or refer to one (\\1, (?P=name), (?(1)...), or an octal escape such "
                "as \\12): use (?:...) groups, repeat the group's pattern, write \\x0a for \\12"
            )


def _rule(
    name: str, pattern: str, strong: bool, flags: int = 0, final_digit: bool = False
) -> FurnitureRule:
    return FurnitureRule(name, re.compile(pattern, flags), strong, final_digit)


FURNITURE_RULES: tuple[FurnitureRule, ...] = (
    _rule("page-number", r"^[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]$", True),
    _rule("page-number", r"^page\s+\d{1,4}(\s+of\s+\d{1,4})?$", True, re.IGNORECASE),
    _rule(
        "archive-credit",
        r"^(reproduced (from|at|by)|courtesy of|copied from|photocopy from)\b"
        r"|^(container|box|folder|file|reel)\s+\d+\b",
        True,
        re.IGNORECASE,
    ),
    # (apart: looking for "papers" takes two thirds of the time of classifying a body line)
    _rule("archive-credit", r"^.*\bpapers,?\s+\d+$", True, re.IGNORECASE, final_digit=True),
    _rule(
        "classification",
        r"^(TOP SECRET|SECRET|CONFIDENTIAL|RESTRICTED|UNCLASSIFIED|EYES ONLY|PERSONAL AND "
        r"CONFIDENTIAL|FOR OFFICIAL USE ONLY)( [A-Z]+)?\.?$",
        True,
    ),
    _rule(
        "declassification",
        r"^(declassif|retain class|change/classify|with concurrence of|E\.?\s?O\.?\s+\d{4,5}\b"
        r"|authority:?\s+\S*\d|NND\s+\d+|(?-i:[A-Z]{2,}/[A-Z]{2,}\b.*\bby\b))",
        True,
        re.IGNORECASE,
    ),
    _rule("page-number", r"^\d{1,4}$", False),
    _rule("initials", r"^([A-Z]\.\s?){1,4}(\s+(\[\w+\]|([A-Z]\.\s?){1,4}))*$", False),
    _rule("running-head", r"^(?=[^a-z]{2,80}$).*?[A-Z]{2}", False),
    _rule("dateline", rf"^(\S+\s+){{0,4}}{_DATE}\.?$", False),
    _rule("docket", r"^\S+(\s+\S+){0,2}$", False),
)

_PAGE_BREAK_RULES = {"page-number"}


MAX_FURNITURE_LINE = 500  # characters; a longer line is body text (and not searched)
_CLASS_CACHE = 65_536  # distinct lines whose classification is kept for their repeats


_UNKNOWN = "?"  # a weak classification not worked out yet


class _Line:
    """A line: its number, offsets, visible text (whitespace collapsed) and the first strong
    and weak rules that match it. The weak one is worked out only if asked for: only the
    lines of a page's leading and trailing paragraphs ever are (see :func:`_zones`)."""

    __slots__ = ("_weak", "end", "number", "start", "strong", "text")

    def __init__(self, number: int, start: int, end: int, text: str, strong: str | None) -> None:
        self.number, self.start, self.end, self.text, self.strong = number, start, end, text, strong
        self._weak: str | None = _UNKNOWN

    @property
    def weak(self) -> str | None:
        if self._weak == _UNKNOWN:
            self._weak = _weak_rule(self.text)
        return self._weak


def _first_of(rules: list[FurnitureRule]) -> re.Pattern[str]:
    """One pattern for ``rules``, each with its own flags: its alternatives are tried in order
    at the line's start, so the group that matched names the first rule that matches, as
    matching each in turn would."""
    return re.compile(
        "|".join(f"(?P<_{k}>{_scoped(rule.pattern)})" for k, rule in enumerate(rules))
    )


_Rules = tuple[list[FurnitureRule], re.Pattern[str]]  # rules and :func:`_first_of` them


def _rules(strong: bool, final_digit: bool) -> _Rules:
    """The rules of one strength, leaving out those for lines that end in a digit unless
    ``final_digit``."""
    rules = [
        r for r in FURNITURE_RULES if r.strong == strong and (final_digit or not r.final_digit)
    ]
    return rules, _first_of(rules)


_STRONG, _STRONG_UNLESS_DIGIT = _rules(True, True), _rules(True, False)
_WEAK, _WEAK_UNLESS_DIGIT = _rules(False, True), _rules(False, False)


def _first_rule(rules: _Rules, unless_digit: _Rules, text: str) -> str | None:
    """The name of the first of ``rules`` that matches the line (``unless_digit``: those
    that can, for a line that does not end in a digit); a line longer than
    ``MAX_FURNITURE_LINE`` is body text."""
    if len(text) > MAX_FURNITURE_LINE:
        return None
    # isdigit holds for every character "\d" matches; "$" matches before a final newline
    listed, pattern = rules if text[-1:].isdigit() or text.endswith("\n") else unless_digit
    found = pattern.match(text)
    return listed[int(found.lastgroup[1:])].name if found and found.lastgroup else None


def _strong_rule(text: str) -> str | None:
    return _first_rule(_STRONG, _STRONG_UNLESS_DIGIT, text)


def _weak_rule(text: str) -> str | None:
    return _first_rule(_WEAK, _WEAK_UNLESS_DIGIT, text)


def _classify(text: str) -> tuple[str | None, str | None]:
    """The names of the first strong and the first weak rule that match the line."""
    return _strong_rule(text), _weak_rule(text)


def _lines(witness: Witness) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    text, markup = witness.text, witness.markup
    classes: dict[str, str | None] = {"": None}  # lines repeat
    for number, raw in enumerate(text.split("\n"), start=1):
        end = start + len(raw)
        shown = " ".join((visible(text, markup, start, end).text if markup else raw).split())
        if shown in classes:
            strong = classes[shown]
        else:
            strong = _strong_rule(shown)
            if len(classes) < _CLASS_CACHE:
                classes[shown] = strong
        lines.append(_Line(number, start, end, shown, strong))
        start = end + 1
    return lines


def _paragraphs(lines: list[_Line], text: str) -> list[tuple[bool, list[_Line]]]:
    """Paragraphs, each with whether a form feed stood before or in its first line."""
    paragraphs: list[tuple[bool, list[_Line]]] = []
    current: list[_Line] = []
    feed = False
    feeds = "\f" in text
    for line in lines:
        has_feed = feeds and "\f" in text[line.start : line.end]
        if has_feed or not line.text:
            current = []  # a blank line ends a paragraph; a form feed ends it and the page
            feed = feed or has_feed
        if not line.text:
            continue
        if not current:
            paragraphs.append((feed, current))
            feed = False
        current.append(line)
    return paragraphs


def _pages(
    paragraphs: list[tuple[bool, list[_Line]]], feeds_only: bool = False
) -> list[list[list[_Line]]]:
    """Paragraphs by page: a page breaks at a form feed and, unless ``feeds_only`` (the source
    names its pages, as TEI ``<pb n>`` does), before a page-number line."""
    pages: list[list[list[_Line]]] = [[]]
    for feed, paragraph in paragraphs:
        breaks = feed or (not feeds_only and paragraph[0].strong in _PAGE_BREAK_RULES)
        if breaks and any(pages[-1]):
            pages.append([])
        pages[-1].append(paragraph)
    return pages


def _furniture_like(paragraph: list[_Line]) -> bool:
    return all(line.strong or line.weak for line in paragraph)


def _zone_counts(zone: list[list[_Line]]) -> bool:
    return any(line.strong or line.weak != "docket" for p in zone for line in p)


def _zones(page: list[list[_Line]]) -> set[int]:
    """Indexes of the page's paragraphs in its furniture head and foot zones."""
    head: list[int] = []
    for i, paragraph in enumerate(page):
        if not _furniture_like(paragraph):
            break
        head.append(i)
    foot: list[int] = []
    for i in range(len(page) - 1, len(head) - 1, -1):
        if not _furniture_like(page[i]):
            break
        foot.append(i)
    chosen: set[int] = set()
    for zone in (head, foot):
        if zone and _zone_counts([page[i] for i in zone]):
            chosen.update(zone)
    return chosen


def segment(witness: Witness) -> tuple[Segment, ...]:
    """The witness's segments in document order."""
    pages = _pages(_paragraphs(_lines(witness), witness.text), bool(witness.page_names))
    segments: list[Segment] = []
    paragraph_number = 0
    for page_number, page in enumerate(pages, start=1):
        zone = _zones(page)
        for i, paragraph in enumerate(page):
            paragraph_number += 1
            runs: list[tuple[str | None, list[_Line]]] = []
            for line in paragraph:
                rule = line.strong or (line.weak if i in zone else None)
                if runs and runs[-1][0] == rule:
                    runs[-1][1].append(line)
                else:
                    runs.append((rule, [line]))
            for rule, run in runs:
                segments.append(
                    Segment(
                        siglum=witness.siglum,
                        index=len(segments),
                        kind=SegmentKind.BODY if rule is None else SegmentKind.FURNITURE,
                        page=page_number,
                        paragraph=paragraph_number,
                        start=run[0].start,
                        end=run[-1].end,
                        first_line=run[0].number,
                        last_line=run[-1].number,
                        text="\n".join(line.text for line in run),
                        furniture=rule,
                        # its last character: text, where a page's first line begins
                        # with a form feed before its section does
                        section=witness.section_at(max(run[0].start, run[-1].end - 1)),
                    )
                )
    return tuple(segments)
