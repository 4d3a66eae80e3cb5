"""Tests of collate.records: splitting an archive record into its witnesses."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collate import _lcs, records
from collate.errors import RecordError
from collate.records import Record, record_metadata, split_record

DATA = Path(__file__).parent / "data" / "records"
SEED = DATA / "harriman-1944-09-23.txt"
SOURCE = "https://digitalarchive.wilsoncenter.org/document/220029"
CITATION = (
    "\"The President's and the Prime Minister's Message to Marshal Stalin regarding the Quebec"
    ' Decisions", September 23, 1944, Wilson Center Digital Archive, Container 174, W. Averell'
    " Harriman Papers, Manuscript Division, Library of Congress, Washington, D.C. " + SOURCE
)
HEADER = (
    "**May 1, 1950**\n\n**A Title**\n\n**Citation:**\n\nSomewhere <https://example.org/d/1>.\n\n"
)
TWO = "**Contents:**\n\nOriginal Scan\nTranscript - English\n\n"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_record() -> Record:
    return split_record(seed_text(), "harriman.txt")


def variant_text() -> str:
    """A record with other labels, another heading and three copies of a short document."""
    copies = [
        "MEMORANDUM FOR THE RECORD\nMoscow, 2 May 1950\n\nThe delegation arrived at noon.\n\n"
        "Moscow\n\nTalks began at once and lasted until the evening.\n",
        "MEMORANDUM FOR THE RECORD  \nMoscow, 2 May 1950\n\nThe delegation arrived at noon.\n\n"
        "Talks began at once and lasted until the evening.\n",
        "**MEMORANDUM FOR THE RECORD**\n\nThe delegatlon arrived at noon.\n\n"
        "Talks began at once and lasted untll the evening.\n",
    ]
    header = (
        "\ufeff**1950-05-02**\n\n**Memorandum  \nof a Visit**\n\n**Reference:**\n\nFile 12/3\n\n"
        "**Keywords:**\n\nvisit, delegation\n\n**CONTENTS:**\n\n"
        "Carbon Copy  \nTranscript - English  \nTranscript - Russian\n\n"
        "Moscow\n\n"  # a line that later repeats after a blank line: not a heading
    )
    return header + "\n".join(copies)


# -- the seed record -----------------------------------------------------------------------------


def test_seed_splits_into_scan_and_transcript() -> None:
    scan, transcript = seed_record().parts
    assert (scan.siglum, scan.label, scan.first_line, scan.last_line) == (
        "scan",
        "Original Scan",
        25,
        78,
    )
    assert (transcript.siglum, transcript.label) == ("transcript", "Transcript - English")
    assert (transcript.first_line, transcript.last_line) == (80, 101)
    assert scan.text.startswith("Container 174")
    assert "\n-2-\n" in scan.text
    assert transcript.text.startswith("THE AMBASSADOR")
    assert scan.text.endswith("with the Russians.\n")
    assert transcript.text.endswith("with the Russians.\n")


def test_seed_header() -> None:
    record = seed_record()
    assert record.title == (
        "The President's and the Prime Minister's Message to Marshal Stalin regarding the Quebec"
        " Decisions"
    )
    assert record.date == "September 23, 1944"
    assert record.citation == CITATION
    assert record.source == SOURCE
    assert record.summary == (
        "Stalin, Kerr, and Harriman discuss plans for fighting in the Far East and the Pacific."
    )
    assert record.original_language == "English"
    assert record.contents == ("Original Scan", "Transcript - English")
    assert [label for label, _ in record.fields] == [
        "Citation",
        "Summary",
        "Original Language",
        "Contents",
    ]


def test_seed_metadata() -> None:
    text = seed_text()
    metadata = record_metadata(seed_record(), "harriman-1944-09-23.txt")
    assert metadata == {
        "schema_version": 1,
        "title": seed_record().title,
        "date": "September 23, 1944",
        "citation": CITATION,
        "source": SOURCE,
        "summary": seed_record().summary,
        "original_language": "English",
        "contents": ["Original Scan", "Transcript - English"],
        "record": "harriman-1944-09-23.txt",
        "witnesses": [
            {
                "siglum": "scan",
                "label": "Original Scan",
                "file": "scan.txt",
                "record_lines": [25, 78],
                "record_offsets": [text.index("Container 174, W.A."), text.rindex("\n\nTHE") + 1],
            },
            {
                "siglum": "transcript",
                "label": "Transcript - English",
                "file": "transcript.txt",
                "record_lines": [80, 101],
                "record_offsets": [text.rindex("THE AMBASSADOR"), len(text)],
            },
        ],
    }


def test_bom_is_skipped_and_counted_in_offsets() -> None:
    plain = seed_record()
    with_bom = split_record("\ufeff" + seed_text(), "harriman.txt")
    assert with_bom.title == plain.title
    for a, b in zip(plain.parts, with_bom.parts, strict=True):
        assert (b.first_line, b.last_line, b.text) == (a.first_line, a.last_line, a.text)
        assert (b.start, b.end) == (a.start + 1, a.end + 1)


# -- structure, not strings ----------------------------------------------------------------------


def test_variant_record_splits_by_structure() -> None:
    record = split_record(variant_text(), "variant.txt")
    assert record.date == "1950-05-02"
    assert record.title == "Memorandum of a Visit"
    assert record.fields[:2] == (("Reference", "File 12/3"), ("Keywords", "visit, delegation"))
    assert (record.citation, record.source, record.summary) == ("", "", "")
    assert record.contents == ("Carbon Copy", "Transcript - English", "Transcript - Russian")
    sigla = [part.siglum for part in record.parts]
    assert sigla == ["copy", "transcript-english", "transcript-russian"]
    first, second, third = (part.text for part in record.parts)
    assert first.startswith("Moscow\n\nMEMORANDUM FOR THE RECORD\n")
    assert first.endswith("lasted until the evening.\n")
    assert second.startswith("MEMORANDUM FOR THE RECORD  \nMoscow, 2 May 1950\n")
    assert third.startswith("**MEMORANDUM FOR THE RECORD**\n")
    assert third.endswith("untll the evening.\n")


def test_sigla_fall_back_to_unique_slugs() -> None:
    text = (
        HEADER + "**Contents:**\n\nScan\nScan\n\nHEADING\nsome words here\n\n"
        "HEADING\nsome words here\n"
    )
    assert [part.siglum for part in split_record(text, "x").parts] == ["scan-1", "scan-2"]


# -- errors --------------------------------------------------------------------------------------


def error(text: str, name: str) -> str:
    with pytest.raises(RecordError) as caught:
        split_record(text, name)
    assert caught.value.exit_code == 4
    return str(caught.value)


def test_plain_text_is_not_a_record() -> None:
    assert error("Just a witness.\n\n**Present:** nobody.\n", "plain.txt") == (
        "plain.txt: not an archive record: found no bold field labels such as **Citation:** or"
        " **Contents:** on a line of their own; pass the witness files to 'collate compare'"
        " directly instead"
    )


def test_header_without_contents() -> None:
    text = HEADER + "**Summary:**\n\nShort.\n\nBody text.\n"
    assert error(text, "r.txt") == (
        "r.txt: the record header has no **Contents:** field listing its witnesses (found"
        " **Citation:**, **Summary:**); add the Contents list, or split the record by hand into"
        " one file per witness"
    )


@pytest.mark.parametrize(
    ("contents", "listed"),
    [("Original Scan\n\nBody text.\n", "1 witness (Original Scan)"), ("", "no witnesses")],
)
def test_contents_with_fewer_than_two_items(contents: str, listed: str) -> None:
    text = HEADER + "**Contents:**\n\n" + contents
    assert error(text, "r.txt") == (
        f"r.txt:9: the **Contents:** field lists {listed}, but collating needs at least 2; list"
        " each witness on its own line under **Contents:**, or pass the witness files to"
        " 'collate compare' directly"
    )


def test_empty_body() -> None:
    assert error(HEADER + TWO + "\n  \n", "r.txt") == (
        "r.txt:9: the record has no text after its **Contents:** list, where the texts of its 2"
        " witnesses (Original Scan, Transcript - English) should follow; check that the record"
        " was saved whole"
    )


def test_body_without_repeated_heading() -> None:
    text = HEADER + TWO + "ALPHA\nthe scan text\n\nBETA\nthe scan text\n"
    assert error(text, "r.txt") == (
        "r.txt: cannot split the record into its 2 witnesses (Original Scan, Transcript -"
        " English): looked for a heading of the transcript that repeats a line of the scan text"
        " (a line after a blank line, markup ignored) and found none; split the record by hand"
        " into one file per witness"
    )


def test_too_few_headings_for_three_witnesses() -> None:
    text = HEADER + "**Contents:**\n\nScan\nTranscript\nTranslation\n\nA\nb\n\nA\nb\n"
    assert error(text, "r.txt") == (
        "r.txt: cannot split the record into its 3 witnesses (Scan, Transcript, Translation):"
        " looked for headings opening the transcript and translation witnesses, each repeating"
        " a line of the text before (a line after a blank line, markup ignored) and found only"
        " 1; split the record by hand into one file per witness"
    )


def test_unconvincing_split() -> None:
    text = HEADER + TWO + "ALPHA\none two three four five six\n\nALPHA\nseven eight nine ten\n"
    assert error(text, "r.txt") == (
        "r.txt: cannot split the record into its 2 witnesses (Original Scan, Transcript -"
        " English): the best split, at line 17 ('ALPHA'), leaves witnesses only 17% alike (at"
        " least 50% needed); split the record by hand into one file per witness"
    )


# -- parts are slices of the record --------------------------------------------------------------


def assert_parts_are_slices(text: str, record: Record) -> None:
    for part in record.parts:
        exact = text[part.start : part.end]
        assert part.text in (exact, exact + "\n")
        assert part.text == exact or (part.end == len(text) and not text.endswith("\n"))
        lines = text.split("\n")[part.first_line - 1 : part.last_line]
        assert part.text == "\n".join(lines).removeprefix("\ufeff") + "\n"


@pytest.mark.parametrize(
    "text",
    [seed_text(), seed_text() + "\n", "\ufeff" + seed_text(), variant_text()],
    ids=["seed", "seed-final-newline", "seed-bom", "variant"],
)
def test_parts_are_slices(text: str) -> None:
    assert_parts_are_slices(text, split_record(text, "r.txt"))


words = st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "Omega", "x1"]), min_size=1)
lines = st.lists(words.map(" ".join), min_size=1, max_size=3)
paragraphs = st.lists(lines.map("\n".join), min_size=1, max_size=4)


@given(paragraphs, st.booleans(), st.booleans())
def test_copies_split_at_the_repeated_heading(
    document: list[str], bom: bool, final_newline: bool
) -> None:
    copy = "\n\n".join(document)
    text = ("\ufeff" if bom else "") + HEADER + TWO + copy + "\n\n" + copy
    text += "\n" if final_newline else ""
    record = split_record(text, "r.txt")
    first, second = record.parts
    assert first.text == second.text == copy + "\n"
    assert second.first_line == first.last_line + 2
    assert_parts_are_slices(text, record)


# A record of many short repeated paragraphs: every paragraph a candidate split


def _repeated_record(paragraphs: int, seed: int, change: float = 0.3) -> str:
    """Two witnesses of ``paragraphs // 2`` short paragraphs drawn from a few dozen, the second
    the first with ``change`` of its words replaced."""
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(300)]
    stock = [" ".join(rng.choices(vocabulary, k=rng.randint(2, 5))) for _ in range(40)]
    first = [rng.choice(stock) for _ in range(paragraphs // 2)]
    second = [
        " ".join(w if rng.random() > change else rng.choice(vocabulary) for w in p.split())
        for p in first
    ]
    head = "**A record**\n\n**Contents:**\n\nOriginal Scan\nTranscript\n\n"
    return head + "\n\n".join(first + second) + "\n"


def _split_or_error(text: str) -> object:
    try:
        return [(p.first_line, p.last_line) for p in split_record(text, "r").parts]
    except RecordError as error:
        return str(error)


@given(st.integers(4, 80), st.integers(0, 10_000), st.sampled_from([0.05, 0.3, 0.5, 0.7]))
def test_measured_neighbours_give_the_split_every_split_gives(
    paragraphs: int, seed: int, change: float
) -> None:
    text = _repeated_record(paragraphs, seed, change)
    found = _split_or_error(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(records._Nearby, "may_reach", lambda *_: True)
        assert _split_or_error(text) == found


def test_many_repeated_paragraphs_are_split_with_few_comparisons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """5,000 paragraphs, nearly all of them candidate splits: a few dozen comparisons, not one
    per candidate near the middle (about 900)."""
    text = _repeated_record(5000, 1)
    compared: list[int] = []
    real_length = records.lcs_length

    def length(a: list[int], b: list[int]) -> int:
        compared.append(len(a) + len(b))
        return real_length(a, b)

    monkeypatch.setattr(records, "lcs_length", length)
    start = time.perf_counter()
    parts = split_record(text, "r").parts
    assert [(p.first_line, p.last_line) for p in parts] == [(8, 5004), (5006, 10006)]
    assert len(compared) <= 60, len(compared)
    assert time.perf_counter() - start < 5  # about 0.15 s measured; 20 s before


def test_no_comparison_grows_with_the_square_of_the_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """20,000 paragraphs, two halves of 33,000 words: no longest common subsequence is
    counted over more than ``EXACT_CELLS`` word pairs (the two halves whole are a billion);
    each comparison counts the stretches between anchors."""
    text = _repeated_record(20_000, 1)
    cells: list[int] = []
    real_distance = _lcs.Indel.distance

    def distance(a: Sequence[int], b: Sequence[int], **kwargs: Any) -> int:
        cells.append(len(a) * len(b))
        return int(real_distance(a, b, **kwargs))

    monkeypatch.setattr(_lcs.Indel, "distance", distance)
    start = time.perf_counter()
    parts = split_record(text, "r").parts
    assert [(p.first_line, p.last_line) for p in parts] == [(8, 20006), (20008, 40006)]
    assert cells and max(cells) <= _lcs.EXACT_CELLS, max(cells)
    assert time.perf_counter() - start < 10  # about 0.5 s measured


def test_a_tie_in_the_least_similarity_goes_to_the_higher_total() -> None:
    """Both splits leave the scan and transcript 67 % alike; the second leaves the transcript
    and translation 75 % alike rather than 67 %, and wins."""
    body = "H\n\nd e d\n\nH\n\nH\n\nd a e\n\nH\n\nd e a\n"
    text = "**A record**\n\n**Contents:**\n\nScan\nTranscript\nTranslation\n\n" + body
    parts = split_record(text, "r").parts
    assert [(p.first_line, p.last_line) for p in parts] == [(9, 13), (15, 17), (19, 21)]
