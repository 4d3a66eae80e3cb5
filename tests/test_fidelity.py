"""Fidelity reports: the memo, scopes, categories, pages, and the rule end to end."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.fidelity import measure_fidelity
from collate.metrics import CountingRules
from collate.model import Category, MarkupFormat
from collate.pipeline import Collation, collate
from collate.readers import load_witness
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
