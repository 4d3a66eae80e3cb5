"""Metrics: the documented counting rules, against other tools' expected values and an
independent implementation."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.metrics import (
    CountingRules,
    EditCounts,
    _may_join,
    _patterns,
    bag_of_words,
    character_pieces,
    characters,
    compare_pieces,
    count_graphemes,
    cuttable,
    graphemes,
    prepare,
    prepare_all,
)
from tests.oracles import compare_units, edit_counts


def cer(reference: str, hypothesis: str) -> float:
    rules = CountingRules()
    return edit_counts(
        graphemes(prepare(reference, rules)), graphemes(prepare(hypothesis, rules))
    ).rate


# Unit expectations from dinglehopper's test suite (see tests/data/ocr/PROVENANCE.txt).
@pytest.mark.parametrize(
    ("reference", "hypothesis", "expected"),
    [
        ("a", "a", 0),
        ("a", "b", 1),
        ("Foo", "Bar", 1),
        ("Foo", "", 1),
        ("", "", 0),
        ("Foo", "Food", 1 / 3),
        ("Fnord", "Food", 2 / 5),
        ("Müll", "Mull", 1 / 4),
        ("Abstand", "Sand", 4 / 7),
        ("AAAAA", "AAAAB", 0.2),
    ],
)
def test_cer_matches_dinglehopper_unit_cases(
    reference: str, hypothesis: str, expected: float
) -> None:
    assert cer(reference, hypothesis) == pytest.approx(expected)


def test_grapheme_clusters_count_as_one_character() -> None:
    # "Schlyñ" vs "Schlym̃": m + combining tilde is one grapheme, so one substitution in six.
    assert cer("Schlyñ", "Schlym\u0303") == pytest.approx(1 / 6)
    decomposed = unicodedata.normalize("NFD", "Müll")
    assert cer("Müll", decomposed) == 0  # NFC first


def test_whitespace_runs_are_one_space() -> None:
    assert prepare("  a\n\n b\t c  ", CountingRules()) == "a b c"
    assert cer("a b", "a \n  b") == 0


def test_empty_reference_is_defined() -> None:
    assert edit_counts([], []).rate == 0.0
    assert edit_counts([], ["x"]).rate == 1.0
    assert bag_of_words([], ["x"]) == (0, 1, 1.0)


def test_operation_counts() -> None:
    counts = edit_counts(list("Fnord"), list("Food"))
    assert counts == EditCounts(2, 1, 0, 1, 5, 4)
    assert counts.accuracy == pytest.approx(0.6)


def test_stretches_join_adjacent_edits() -> None:
    _, stretches = compare_units(list("modern"), list("rnodem"))
    assert stretches == [("m", "rn"), ("rn", "m")]


def test_optional_rules() -> None:
    rules = CountingRules(ignore_case=True, ignore_punctuation=True, equivalences=(("ſ", "s"),))
    assert prepare("Waſ it, “so”?", rules) == "was it so"
    assert rules.names() == (
        "nfc",
        "whitespace-collapsed",
        "grapheme-clusters",
        "ignore-case",
        "ignore-punctuation",
        "equivalence:ſ=s",
    )


def test_bag_of_words_ignores_order() -> None:
    assert bag_of_words(["a", "b", "c"], ["c", "b", "a"]) == (0, 0, 0.0)
    assert bag_of_words(["a", "b", "c"], ["a", "b", "x"]) == (1, 1, 1 / 3)


def _reference_distance(a: list[str], b: list[str]) -> int:
    """Textbook dynamic programming, independent of rapidfuzz."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _documented_rule(text: str) -> list[str]:
    collapsed = " ".join(unicodedata.normalize("NFC", text).split())
    return regex.findall(r"\X", collapsed)


TEXT = st.text(
    alphabet=st.sampled_from(list("ab cé\u0301\u0303\n\t.,-ſﬁ")) | st.characters(), max_size=40
)


@given(TEXT, TEXT)
@settings(max_examples=300, deadline=None)
def test_cer_equals_the_documented_rule(reference: str, hypothesis: str) -> None:
    rules = CountingRules()
    counts = edit_counts(
        graphemes(prepare(reference, rules)), graphemes(prepare(hypothesis, rules))
    )
    expected = _reference_distance(_documented_rule(reference), _documented_rule(hypothesis))
    assert counts.distance == expected
    assert counts.reference == len(_documented_rule(reference))
    assert counts.substitutions + counts.insertions + counts.deletions == counts.distance


def test_whitespace_is_pythons_unicode_whitespace() -> None:
    assert prepare("a\u00a0b\u2028c\x1cd\u3000e", CountingRules()) == "a b c d e"


def test_pieces_sum_counts_and_join_stretches_across_a_cut() -> None:
    counts, stretches = compare_pieces([("ab", "ax"), ("cd", "yd"), ("", ""), ("e", "e")])
    assert counts == EditCounts(2, 2, 0, 0, 5, 5)
    assert stretches == [("bc", "xy")]  # one run of edits, as in the whole "abcde"/"axyde"
    assert compare_pieces([("ab", "ax"), ("cd", "yd")]) == compare_units("abcd", "axyd")


def _units(pieces: list[tuple[Sequence[str], Sequence[str]]], side: int) -> list[str]:
    return [u for pair in pieces for u in pair[side]]


def _whole(text: str, rules: CountingRules) -> list[str]:
    return graphemes(prepare(text, rules))


@pytest.mark.parametrize(
    ("reference", "hypothesis"),
    [
        (["a b", " c d"], ["a b", " c x"]),  # a plain cut
        (["a", " \u0301b"], ["a", " \u0301b"]),  # a combining mark joins the space before it
        (["\u0600", " b"], ["a", " b"]),  # a Prepend character joins the space after it
        (["e", " \u0301"], ["e", " x"]),  # NFC never composes across the space
        (["a \n\t", "  b  "], ["a", " b"]),  # whitespace runs across a cut are one space
        (["!?", " b"], ["a", " b"]),  # a piece left empty adds no space
        (["", " "], ["", ""]),  # empty sides
        (["ΟΔΟΣ", " Α"], ["οδος", " α"]),  # final sigma: the space ends the word on both sides
    ],
)
def test_character_pieces_concatenate_to_the_whole(
    reference: list[str], hypothesis: list[str]
) -> None:
    for rules in (CountingRules(), CountingRules(ignore_case=True, ignore_punctuation=True)):
        pieces = character_pieces(reference, hypothesis, rules)
        assert _units(pieces, 0) == _whole("".join(reference), rules)
        assert _units(pieces, 1) == _whole("".join(hypothesis), rules)
        counts = compare_pieces(pieces)[0]
        whole = edit_counts(_whole("".join(reference), rules), _whole("".join(hypothesis), rules))
        assert counts.distance >= whole.distance
        assert (counts.reference, counts.hypothesis) == (whole.reference, whole.hypothesis)


def test_a_cluster_across_a_cut_merges_the_pieces() -> None:
    pieces = character_pieces(["a", " \u0301b"], ["a", " c"], CountingRules())
    assert len(pieces) == 1 and list(pieces[0][0]) == ["a", " \u0301", "b"]


PIECE_TEXT = st.text(alphabet=st.sampled_from(list("ab ΣσΑ.,\u0301\u0303\u0600\u200d\n\t-ſ")))


@given(st.lists(st.tuples(PIECE_TEXT, PIECE_TEXT), max_size=6), st.booleans(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_character_pieces_are_the_whole_text_cut(
    pairs: list[tuple[str, str]], ignore_case: bool, ignore_punctuation: bool
) -> None:
    rules = CountingRules(ignore_case, ignore_punctuation, (("ſ", "s"), ("-", "")))
    assert cuttable(rules)
    # Every piece but the first starts with whitespace, as a cut before a spaced token does.
    reference = [a if i == 0 else " " + a for i, (a, _) in enumerate(pairs)]
    hypothesis = [b if i == 0 else "\n" + b for i, (_, b) in enumerate(pairs)]
    pieces = character_pieces(reference, hypothesis, rules)
    assert _units(pieces, 0) == _whole("".join(reference), rules)
    assert _units(pieces, 1) == _whole("".join(hypothesis), rules)
    exact = _reference_distance(
        _whole("".join(reference), rules), _whole("".join(hypothesis), rules)
    )
    assert compare_pieces(pieces)[0].distance >= exact


def test_cuttable_rules() -> None:
    assert cuttable(CountingRules(ignore_case=True, equivalences=(("ſ", "s"),)))
    assert not cuttable(CountingRules(exact=True))
    assert not cuttable(CountingRules(equivalences=(("a b", "x"),)))  # could match across a cut
    assert not cuttable(CountingRules(equivalences=(("", "x"),)))


def test_every_character_that_may_join_a_cluster_is_caught_without_regex() -> None:
    """``_may_join`` (stdlib only) is never narrower than the joining pattern (``regex``),
    tested on every code point."""
    joining = _patterns().joining
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    joiners = joining.findall(every)
    assert joiners and all(_may_join(c) for c in joiners)
    assert not _may_join("plain ASCII, Latin-1 é and a dash \u2014 and \u201cquotes\u201d")


_CLUSTER_TEXT = st.lists(
    st.sampled_from(
        ["a", " ", "\r", "\n", "é", "e\u0301", "\u200d", "\U0001f44d", "\U0001f3fd", "\u1100",
         "\u1161", "\uac00", "\U0001f1e6", "\u0600", "\u0e33", "\u2014", "x"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(_CLUSTER_TEXT)
def test_clusters_are_those_of_the_grapheme_pattern(text: str) -> None:
    clusters = _patterns().grapheme.findall(text)
    found = characters(text)
    if not text.isascii():
        assert list(found) == clusters
    for limit in (0, 2, 5, 20):
        assert count_graphemes(text, limit) == min(len(clusters), limit + 1)


_PREPARED_TEXT = st.text(
    alphabet=st.sampled_from(list("aZ é\u0301\u00e9\t\n\x00.\u2014ſ\u00a0")), max_size=6
)


@given(
    st.lists(_PREPARED_TEXT, max_size=8),
    st.booleans(),
    st.booleans(),
)
def test_prepare_all_is_prepare_of_each(texts: list[str], case: bool, punctuation: bool) -> None:
    for rules in (
        CountingRules(ignore_case=case, ignore_punctuation=punctuation),
        CountingRules(equivalences=(("ſ", "s"),)),
    ):
        assert prepare_all(texts, rules) == [prepare(t, rules) for t in texts]
