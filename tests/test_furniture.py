"""Page furniture decided across witnesses after alignment (collate/furniture.py).

The texts follow the case of issue 19: a Tesseract OCR of Executive Order 9066 (shared data
of the factful/ocr_testing set) takes the order's title, set in capitals at the head of the
page, for a running head, while the transcript has it as text.
"""

from __future__ import annotations

from collate.model import Category, SegmentKind
from tests.conftest import collate_texts

BODY = (
    "Whereas the successful prosecution of the war requires every possible protection "
    "against espionage and against sabotage to national-defense material.\n"
)
TRANSCRIPT = (
    "Executive Order No. 9066\n"
    "AUTHORIZING THE SECRETARY OF WAR TO PRESCRIBE MILITARY AREAS\n\n" + BODY
)
OCR = "AUTHORIZING THE SECRETARY OF WAR TO PRESCRIBE MILITARY\nAREAS\n\n" + BODY


def test_title_that_is_text_in_the_transcript_is_text_in_the_ocr_too() -> None:
    collation = collate_texts(TRANSCRIPT, OCR)
    title = collation.segments[1][0]
    assert title.text.startswith("AUTHORIZING") and title.kind is SegmentKind.BODY
    assert title.furniture is None
    assert not any(collation.tokens[1].furniture)
    for v in collation.variants:
        assert "SECRETARY" not in " ".join(v.readings), v
    assert [(v.category, v.readings) for v in collation.variants] == [
        (Category.SUBSTANTIVE, ("Executive Order No. 9066", ""))
    ]


def test_furniture_with_no_text_elsewhere_stays_furniture() -> None:
    collation = collate_texts(BODY, "DEPARTMENT OF STATE\nWASHINGTON\n\n" + BODY)
    head = collation.segments[1][0]
    assert head.kind is SegmentKind.FURNITURE and head.furniture == "running-head"
    assert [v.category for v in collation.variants] == [Category.FURNITURE]


def test_the_rule_holds_whichever_witness_is_the_base() -> None:
    collation = collate_texts(OCR, TRANSCRIPT)
    assert collation.segments[0][0].kind is SegmentKind.BODY
    assert all(v.category is not Category.FURNITURE for v in collation.variants)
