"""Fidelity reports: the memo, scopes, categories, pages, the rule end to end, and the
piecewise comparison of long texts against the exact one."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from collate import fidelity
from collate.fidelity import Fidelity, measure_fidelity
from collate.metrics import CountingRules, EditCounts, compare_pieces, graphemes, prepare
from collate.model import Category, MarkupFormat
from collate.pipeline import Collation, collate
from collate.readers import load_witness, read_witness
from tests.conftest import MEMO, collate_texts
from tests.oracles import join
from tests.test_fidelity_ocr import OCR
from tests.test_metrics import _reference_distance


def _memo_fidelity(memo: Collation, **kw: object):  # type: ignore[no-untyped-def]
    scan, transcript = memo.witnesses
    return measure_fidelity(collate([transcript, scan]), CountingRules(), **kw)  # type: ignore[arg-type]


def test_memo_whole_text_and_text_only(memo: Collation) -> None:
    report = _memo_fidelity(memo)
    assert report.reference == "transcript" and report.hypothesis == "scan"
    assert report.measures.chars.rate > 0.05  # letterhead, stamps and furniture
    assert report.text_only.chars.rate < 0.005  # the text itself is close
    assert report.text_only.words.distance == 2  # "have" and "the"
    assert report.text_only.words.reference == 773


def test_memo_breakdown_shows_furniture_dominates(memo: Collation) -> None:
    report = _memo_fidelity(memo)
    by = {c.category: c for c in report.categories}
    total = sum(c.char_distance for c in report.categories)
    assert by[Category.FURNITURE].char_distance / total > 0.9
    assert by[Category.SUBSTANTIVE].word_distance == 2
    assert by[Category.PUNCTUATION].variants == 2


def test_memo_pages_of_the_scan(memo: Collation) -> None:
    pages = _memo_fidelity(memo).pages
    assert [p.page for p in pages] == [1, 2]
    assert pages[0].chars.rate > pages[1].chars.rate  # page 1 holds the letterhead and stamps
    assert (
        sum(p.chars.reference for p in pages) >= _memo_fidelity(memo).measures.chars.reference - 1
    )


def test_exclusion_changes_the_headline(memo: Collation) -> None:
    report = _memo_fidelity(memo, exclude=[Category.FURNITURE, Category.MARKUP])
    assert report.scope == "without furniture and markup"
    assert report.measures == report.text_only


def test_confusions_count_repeats(memo: Collation) -> None:
    confusions = _memo_fidelity(memo).confusions
    assert confusions[0][2] >= confusions[-1][2]


def _rule(text: str) -> list[str]:
    return regex.findall(r"\X", " ".join(unicodedata.normalize("NFC", text).split()))


TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60)


@given(TEXT, TEXT)
@settings(max_examples=150, deadline=None)
def test_default_figures_equal_the_documented_rule(reference: str, hypothesis: str) -> None:
    witnesses = [
        load_witness(reference, "ref", markup=MarkupFormat.PLAIN),
        load_witness(hypothesis, "hyp", markup=MarkupFormat.PLAIN),
    ]
    report = measure_fidelity(collate(witnesses), CountingRules())
    expected = _reference_distance(_rule(reference), _rule(hypothesis))
    assert report.measures.chars.distance == expected
    assert report.measures.chars.reference == len(_rule(reference))


def test_pages_follow_the_headline_scope(memo: Collation) -> None:
    report = _memo_fidelity(memo, exclude=[Category.FURNITURE, Category.MARKUP])
    assert sum(p.chars.distance for p in report.pages) < 20


def test_ignore_case_does_not_fold_long_s_or_sharp_s() -> None:
    from collate.metrics import prepare

    assert prepare("Straße Waſ ﬁne", CountingRules(ignore_case=True)) == "straße waſ ﬁne"


VOCABULARY = (  # noqa: SIM905 (a list of 64 words, one per line, reads worse)
    "the of and to in a is that it was for on are as with his they at be this from have or by "
    "one had not but what all were when we there can an your which their said if do will each "
    "Müll naïve m\u0303ore ſchön ﬁne Straße café œuvre 1944 People's 6-30-Bk , . ; : ( ) « » —"
).split()
TYPOS = (("m", "rn"), ("e", "c"), ("l", "1"), ("o", "0"), ("ü", "u\u0308"), ("h", "li"))


def _long_pair(seed: int, words: int = 5000, pages: int = 4) -> tuple[str, str]:
    """A reference of ``words`` random words on ``pages`` numbered pages, and a hypothesis
    with seeded OCR-like edits: letter confusions, lost and extra words, a moved block."""
    rng = random.Random(seed)
    ref = [rng.choice(VOCABULARY) for _ in range(words)]
    hyp: list[str] = []
    for word in ref:
        roll = rng.random()
        if roll < 0.02:
            continue
        if roll < 0.04:
            hyp.append(rng.choice(VOCABULARY))
        elif roll < 0.08:
            a, b = rng.choice(TYPOS)
            word = word.replace(a, b, 1)
        hyp.append(word)
    at = len(hyp) // 3
    hyp[at : at + 20], hyp[at + 200 : at + 200] = [], hyp[at : at + 20]

    def text(tokens: list[str]) -> str:
        size = -(-len(tokens) // pages)
        parts = []
        for page in range(pages):
            lines = tokens[page * size : (page + 1) * size]
            body = "\n".join(" ".join(lines[i : i + 12]) for i in range(0, len(lines), 12))
            parts.append(f"- {page + 1} -\n\n{body}")
        return "\n\f\n".join(parts)

    return text(ref), text(hyp)


def _counts(counts: EditCounts) -> tuple[int, int, int]:
    return counts.distance, counts.reference, counts.hypothesis


def _figures(report: Fidelity) -> tuple[object, ...]:
    """Every distance and length; not the confusions, nor how a distance splits into
    substitutions, insertions and deletions, which equally cheap alignments may show
    differently."""
    return (
        [_counts(m.chars) + _counts(m.words) for m in (report.measures, report.text_only)],
        [(m.bag_missing, m.bag_extra, m.bag_error) for m in (report.measures, report.text_only)],
        report.categories,
        [(p.page, _counts(p.chars), _counts(p.words)) for p in report.pages],
    )


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[Sequence[str], Sequence[str]]]]:
    """The pieces of every character comparison ``measure_fidelity`` makes."""
    calls: list[list[tuple[Sequence[str], Sequence[str]]]] = []

    def spy(pieces: Iterable[tuple[Sequence[str], Sequence[str]]]):  # type: ignore[no-untyped-def]
        listed = list(pieces)
        calls.append(listed)
        return compare_pieces(listed)

    monkeypatch.setattr(fidelity, "compare_pieces", spy)
    return calls


@pytest.mark.parametrize("seed", [1, 2])
def test_piecewise_figures_equal_the_exact_ones_on_a_long_pair(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    collation = collate_texts(*_long_pair(seed))
    calls = _spy(monkeypatch)
    rules = CountingRules(ignore_case=True, equivalences=(("ſ", "s"),))
    for exclude in ([], [Category.FURNITURE]):
        for counting in (CountingRules(), rules):
            calls.clear()
            piecewise = measure_fidelity(collation, counting, exclude)
            assert max(len(pieces) for pieces in calls) > 5  # it was cut
            exact = measure_fidelity(collation, replace(counting, exact=True), exclude)
            assert _figures(piecewise) == _figures(exact)
            assert len(piecewise.pages) == 4
            assert piecewise.text_only.chars.distance > 500


def _forced(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut wherever the rules allow, whatever the length."""
    monkeypatch.setattr(fidelity, "EXACT_BELOW", 0)
    monkeypatch.setattr(fidelity, "PIECE", 1)


def test_unrelated_texts_are_cut_anyway_close_to_the_exact_figures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two texts with no long run of agreement (no natural cut) are still compared in pieces
    of bounded length (a whole piece costs the product of the lengths), within 2 % of the
    exact figures and never below them."""
    rng = random.Random(7)
    reference, hypothesis = (" ".join(rng.choices(VOCABULARY, k=3000)) for _ in range(2))
    collation = collate_texts(reference, hypothesis)
    exact = measure_fidelity(collation, CountingRules(exact=True))
    calls = _spy(monkeypatch)
    assert max(len(call) for call in calls or [[]]) <= 1  # no cut at the usual sizes
    monkeypatch.setattr(fidelity, "LONGEST", 800)  # scaled down tenfold, as is the text
    monkeypatch.setattr(fidelity, "STEP", 200)
    monkeypatch.setattr(fidelity, "NEARBY", 20)
    calls.clear()
    report = measure_fidelity(collation, CountingRules())
    pieces = calls[0]
    assert len(pieces) >= 10
    assert max(len(a) + len(b) for a, b in pieces) < 2 * 300 * 8  # tokens x characters
    for piecewise, whole in ((report.measures.chars, exact.measures.chars),
                             (report.measures.words, exact.measures.words)):  # fmt: skip
        assert (piecewise.reference, piecewise.hypothesis) == (whole.reference, whole.hypothesis)
        assert whole.distance <= piecewise.distance <= whole.distance * 1.02


@pytest.mark.parametrize(
    ("reference", "hypothesis"),
    [
        (MEMO / "transcript.txt", MEMO / "scan.txt"),
        (
            OCR / "lorem-ipsum-scan-bad.gt.page.xml",
            OCR / "lorem-ipsum-scan-bad.ocr.tesseract.alto.xml",
        ),
        (OCR / "test-gt.page2018.xml", OCR / "test-fake-ocr.page2018.xml"),
    ],
)
def test_cut_everywhere_the_shipped_pairs_keep_their_figures(
    reference: Path, hypothesis: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collation = collate([read_witness(reference), read_witness(hypothesis)])
    exact = measure_fidelity(collation, CountingRules(exact=True))
    _forced(monkeypatch)
    calls = _spy(monkeypatch)
    assert _figures(measure_fidelity(collation, CountingRules())) == _figures(exact)
    assert max(len(pieces) for pieces in calls) > 1


def test_pieces_concatenate_to_the_prepared_whole_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tokens that open with a combining mark or a joiner, Prepend characters, whitespace runs
    # and capital sigmas around the cuts.
    words = "x \u0301b y\u200d ΟΔΟΣ \u0600q w ſ m\u0303 a  \n b".split(" ")  # noqa: SIM905
    text = " ".join(words[i % len(words)] for i in range(400))
    collation = collate_texts(text, text.replace("w", "vv").replace("  ", " "))
    _forced(monkeypatch)
    calls = _spy(monkeypatch)
    for rules in (CountingRules(), CountingRules(ignore_case=True, ignore_punctuation=True)):
        calls.clear()
        measure_fidelity(collation, rules)
        pieces = calls[0]  # the characters of the headline scope
        for side, witness in enumerate(collation.tokens):
            whole = graphemes(prepare(join(witness), rules))
            assert [u for pair in pieces for u in pair[side]] == whole
        assert len(pieces) > 10


@pytest.mark.parametrize(
    ("reference", "hypothesis", "pieces"),
    [
        ("alpha beta gamma " * 40, "one two three four " * 30, 1),  # no agreeing run
        ("alpha beta gamma " * 40, "alpha beta gamma " * 40, 2),  # all agreeing: one cut a run
        ("alpha beta gamma " * 40, "", 1),  # an empty side
        ("", "", 1),
    ],
)
def test_cut_edge_cases(
    reference: str, hypothesis: str, pieces: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    collation = collate_texts(reference, hypothesis)
    exact = measure_fidelity(collation, CountingRules(exact=True))
    _forced(monkeypatch)
    calls = _spy(monkeypatch)
    assert _figures(measure_fidelity(collation, CountingRules())) == _figures(exact)
    assert max(len(call) for call in calls) == pieces
    expected = _reference_distance(_rule(reference), _rule(hypothesis))
    assert exact.measures.chars.distance == expected
