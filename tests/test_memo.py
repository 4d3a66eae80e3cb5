"""The real case: the 1944 Harriman memo, scan-derived text against transcript."""

from __future__ import annotations

from collate.model import Category, VariantKind
from collate.pipeline import Collation
from collate.variants import select

BODY = {Category.SUBSTANTIVE, Category.ORTHOGRAPHIC, Category.CASE, Category.PUNCTUATION}


def _body(memo: Collation) -> list[tuple[str, str, VariantKind, Category]]:
    return [(v.readings[0], v.readings[1], v.kind, v.category) for v in select(memo.variants, BODY)]


def test_body_variants_are_exactly_the_known_ones(memo: Collation) -> None:
    assert _body(memo) == [
        ("--", "-", VariantKind.SUBSTITUTION, Category.PUNCTUATION),
        ("--", "-", VariantKind.SUBSTITUTION, Category.PUNCTUATION),
        ("", "have", VariantKind.ADDITION, Category.SUBSTANTIVE),
        ("the", "", VariantKind.OMISSION, Category.SUBSTANTIVE),
    ]


def test_substantive_variants_carry_their_context(memo: Collation) -> None:
    have, the = select(memo.variants, [Category.SUBSTANTIVE])
    assert have.context_before.endswith("I") and have.context_after.startswith("explained")
    assert the.context_before.endswith("the invading of")
    assert the.context_after.startswith("Japanese islands")
    assert "good" in select(memo.variants, [Category.PUNCTUATION])[0].context_before


def test_locations_point_at_the_readings(memo: Collation) -> None:
    scan, transcript = memo.witnesses
    (the,) = [v for v in memo.variants if v.readings == ("the", "")]
    loc = the.locations[0]
    assert scan.text[loc.start : loc.end] == "the"
    assert loc.page == 2
    assert scan.text.splitlines()[loc.line - 1].count("invading of the Japanese") == 1
    (have,) = [v for v in memo.variants if v.readings == ("", "have")]
    assert transcript.text[have.locations[1].start : have.locations[1].end] == "have"


def test_sic_is_markup(memo: Collation) -> None:
    sic = [v for v in memo.variants if v.readings[1] == "[sic]"]
    assert len(sic) == 1
    assert sic[0].category is Category.MARKUP and sic[0].kind is VariantKind.ADDITION


def test_headers_stamps_glyphs_and_furniture_are_never_substantive(memo: Collation) -> None:
    for variant in memo.variants:
        if variant.category is Category.SUBSTANTIVE:
            assert variant.readings in {("", "have"), ("the", "")}
    kinds = {v.readings[1]: v.category for v in memo.variants if not v.readings[0]}
    assert kinds["□"] is Category.MARKUP
    assert kinds["THE AMBASSADOR"] is Category.FURNITURE
    assert kinds["Conversation. ██████████"] is Category.FURNITURE
    omitted = {v.readings[0]: v.category for v in memo.variants if not v.readings[1]}
    assert omitted["-2-"] is Category.FURNITURE
    assert omitted["M.H. [unclear] E.H.C."] is Category.FURNITURE
    assert any(r.startswith("Reproduced from the Collections") for r in omitted)
    assert all(c is Category.FURNITURE for r, c in omitted.items() if r.startswith("Reproduced"))


def test_no_variant_pairs_unrelated_words(memo: Collation) -> None:
    for variant in memo.variants:
        scan, transcript = variant.readings
        if scan and transcript:
            assert variant.category is Category.PUNCTUATION, variant
    joined = [" ".join(v.readings) for v in memo.variants]
    assert not any("shown" in j and "Conversation" in j for j in joined)


def test_sentence_across_the_page_break_aligns(memo: Collation) -> None:
    ranks = memo.alignment.ranks
    words = [([t.text for t in rank.cells[0]], [t.text for t in rank.cells[1]]) for rank in ranks]
    decided = words.index((["decided"], ["decided"]))
    be = max(i for i in range(decided) if words[i] == (["be"], ["be"]))
    between = ranks[be + 1 : decided]
    assert between, "the page break's furniture stands between 'be' and 'decided'"
    assert all(not rank.cells[1] and all(t.furniture for t in rank.cells[0]) for rank in between)


def test_furniture_is_kept_and_reported(memo: Collation) -> None:
    scan_segments = memo.segments[0]
    rules = {s.furniture for s in scan_segments if s.furniture}
    assert {"page-number", "archive-credit", "classification", "declassification"} <= rules
    assert {"initials", "running-head"} <= rules
    furniture_tokens = [t for t in memo.tokens[0] if t.furniture]
    assert {"Reproduced", "TOP", "Declassify"} <= {t.text for t in furniture_tokens}


def test_alignment_rebuilds_both_witnesses(memo: Collation) -> None:
    for w, tokens in enumerate(memo.tokens):
        rebuilt = [t for rank in memo.alignment.ranks for t in rank.cells[w]]
        assert rebuilt == list(tokens)


def test_transcript_as_base_turns_additions_into_omissions(memo: Collation) -> None:
    from collate.pipeline import CollationOptions, collate

    flipped = collate(memo.witnesses, CollationOptions(base="transcript"))
    kinds = {v.readings: v.kind for v in select(flipped.variants, [Category.SUBSTANTIVE])}
    assert kinds == {("", "have"): VariantKind.OMISSION, ("the", ""): VariantKind.ADDITION}
