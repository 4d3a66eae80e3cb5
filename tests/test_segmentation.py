"""Segmentation: pages, paragraphs, page furniture by named rules."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collate.model import SegmentKind
from collate.readers import load_witness
from collate.segmentation import FURNITURE_RULES, FurnitureRule, _classify, _first_of, segment

LETTER = """\
DEPARTMENT OF STATE
TOP SECRET

Memorandum. March 3, 1950.

The Secretary saw the Ambassador this morning and the
talk went on for an hour about the treaty and its terms.

Reproduced from the Collections of the Library

-2-

and so the meeting ended with nothing settled at all, which the
Ambassador regretted.
"""


def _rules(text: str) -> list[tuple[int, str | None, str]]:
    return [(s.page, s.furniture, s.text) for s in segment(load_witness(text, "A"))]


def test_head_zone_running_head_classification_dateline() -> None:
    rules = _rules(LETTER)
    assert rules[:3] == [
        (1, "running-head", "DEPARTMENT OF STATE"),
        (1, "classification", "TOP SECRET"),
        (1, "dateline", "Memorandum. March 3, 1950."),
    ]


def test_page_number_starts_a_page_and_credit_is_furniture() -> None:
    rules = _rules(LETTER)
    assert (1, "archive-credit", "Reproduced from the Collections of the Library") in rules
    assert (2, "page-number", "-2-") in rules
    assert rules[-1][:2] == (2, None)


def test_body_is_never_dropped() -> None:
    segments = segment(load_witness(LETTER, "A"))
    lines = [n for s in segments for n in range(s.first_line, s.last_line + 1)]
    non_blank = [i for i, line in enumerate(LETTER.splitlines(), 1) if line.strip()]
    assert lines == non_blank


def test_short_body_lines_alone_are_not_furniture() -> None:
    poem = "Roses are red\nviolets blue\n\nsugar is sweet\n"
    assert all(s.kind is SegmentKind.BODY for s in segment(load_witness(poem, "A")))


def test_strong_rules_apply_mid_page() -> None:
    text = "A long line of body text that goes on and on.\nTOP SECRET\nMore body text here.\n"
    assert [s.furniture for s in segment(load_witness(text, "A"))] == [
        None,
        "classification",
        None,
    ]


def test_lowercase_top_secret_in_prose_is_body() -> None:
    text = "It was top secret at the time, he said.\n"
    assert segment(load_witness(text, "A"))[0].kind is SegmentKind.BODY


def test_form_feed_breaks_pages() -> None:
    for text in ("one here\n\ftwo here\n", "one here\n\f\ntwo here\n", "one\n\n\f\n\ntwo\n"):
        assert [s.page for s in segment(load_witness(text, "A"))] == [1, 2], text


def test_empty_witness_has_no_segments() -> None:
    assert segment(load_witness("", "A")) == ()


def test_strong_rules_do_not_catch_body_lines_that_mention_them() -> None:
    text = (
        "The file was declassified in 1990, with concurrence of the State Department.\n"
        "He kept the Harriman papers, 25 boxes in all, at home.\n"
    )
    assert [s.kind for s in segment(load_witness(text, "A"))] == [SegmentKind.BODY]


# The furniture patterns as first written; the rules were rewritten to fail sooner on body
# lines (a whole-line check before the search for two capitals; the search for "papers" a
# rule of its own, tried only on lines that end in a digit), and must recognise exactly the
# same lines.
_FIRST_WRITTEN = {
    "running-head": re.compile(r"^(?=.*[A-Z]{2})[^a-z]{2,80}$"),
    "archive-credit": re.compile(
        r"^(reproduced (from|at|by)|courtesy of|copied from|photocopy from)\b"
        r"|^(container|box|folder|file|reel)\s+\d+\b|\bpapers,?\s+\d+$",
        re.IGNORECASE,
    ),
}
_LINE_PIECES = st.sampled_from(
    ["A", "B", "Z", "a", "x", " ", "1", "44", ",", ".", "-", "papers", "Papers", "PAPERS",
     "box", "Box", "courtesy of", "Courtesy Of", "TOP", "é", "É", "ß", "\u00a0"]
)  # fmt: skip


@given(st.lists(_LINE_PIECES, max_size=30).map("".join))
def test_rewritten_furniture_rules_match_the_same_lines(line: str) -> None:
    for name, first_written in _FIRST_WRITTEN.items():
        first = first_written.search(line) is not None
        rules = [rule for rule in FURNITURE_RULES if rule.name == name]  # one or more
        assert any(rule.pattern.search(line) for rule in rules) == first, (name, line)
        for rule in rules:
            if rule.final_digit and rule.pattern.search(line):
                assert line[-1:].isdigit(), (name, line)


def _classified_rule_by_rule(line: str) -> tuple[str | None, str | None]:
    strong = weak = None
    for rule in FURNITURE_RULES:
        if rule.pattern.search(line):
            if rule.strong and strong is None:
                strong = rule.name
            elif not rule.strong and weak is None:
                weak = rule.name
    return strong, weak


_CLASSIFIED_LINES = st.one_of(
    st.lists(_LINE_PIECES, max_size=30).map("".join),
    st.sampled_from(
        ["- 2 -", "Page 3 of 9", "DECLASSIFIED", "E.O. 12958", "SECRET", "TOP SECRET EYES",
         "12", "H.S.T.", "J. D. [sic]", "MEMORANDUM FOR THE PRESIDENT", "June 13, 1871.",
         "Washington, May 3, 1944", "file copy", "Truman Papers, 44", "Truman Papers, 44\n",
         "NND 7302 by", "AB/CD by x"]
    ),
)  # fmt: skip


@given(_CLASSIFIED_LINES)
def test_one_pattern_per_strength_finds_the_first_rule_that_matches(line: str) -> None:
    assert _classify(line) == _classified_rule_by_rule(line)


def _first_rule_of(rules: list[FurnitureRule], line: str) -> str | None:
    found = _first_of(rules).match(line)
    return rules[int(found.lastgroup[1:])].name if found and found.lastgroup else None


_VERBOSE = FurnitureRule(
    "folio",
    re.compile(
        r"""
        ^ folio \s+ \d+   # a folio number
        [rv] $            # recto or verso""",
        re.VERBOSE | re.IGNORECASE,
    ),
    strong=True,
)


def test_a_verbose_rule_keeps_its_flags_among_the_others() -> None:
    rules = [*(rule for rule in FURNITURE_RULES if rule.strong), _VERBOSE]
    for line, name in [
        ("Folio 12r", "folio"),
        ("folio 3v", "folio"),
        ("folio 12", None),
        ("Page 12", "page-number"),
        ("SECRET", "classification"),
    ]:
        assert _first_rule_of(rules, line) == name, line


@pytest.mark.parametrize(
    ("pattern", "flags", "line", "matches"),
    [
        (r"^a.b$", re.DOTALL, "a\nb", True),
        (r"^a.b$", 0, "a\nb", False),
        (r"^x\n^y$", re.MULTILINE, "x\ny", True),
        (r"^\w+$", re.ASCII, "café", False),
        (r"^\w+$", 0, "café", True),
        (r"(?i)^abc$", 0, "ABC", True),
        (r"(?x) ^ a b c $", 0, "abc", True),
        (r"^CAPS$", 0, "caps", False),
    ],
)
def test_each_rule_keeps_its_own_flags(pattern: str, flags: int, line: str, matches: bool) -> None:
    rule = FurnitureRule("mine", re.compile(pattern, flags), strong=True)
    ignoring_case = FurnitureRule("other", re.compile(r"^zzz$", re.IGNORECASE), strong=True)
    assert (rule.pattern.match(line) is not None) == matches
    assert _first_rule_of([ignoring_case, rule], line) == ("mine" if matches else None)


@pytest.mark.parametrize(
    "pattern",
    [r"^(a)\1$", r"^(?P<word>\w+) (?P=word)$", r"^(a)?(?(1)b|c)$", r"^(?P<x>a)$", r"^[\12]$"],
)
def test_a_rule_that_names_or_refers_to_a_group_is_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match=r"^furniture rule 'mine': the rules are tried as one"):
        FurnitureRule("mine", re.compile(pattern), strong=False)


def test_a_rule_whose_pattern_is_not_a_compiled_str_pattern_is_refused() -> None:
    with pytest.raises(ValueError, match=r"must be re\.compile"):
        FurnitureRule("mine", re.compile(rb"^a$"), strong=False)  # type: ignore[arg-type]


@given(_CLASSIFIED_LINES)
def test_built_in_rules_match_where_they_search(line: str) -> None:
    for rule in FURNITURE_RULES:
        assert (rule.pattern.match(line) is None) == (rule.pattern.search(line) is None)
