"""Fidelity on OCR ground-truth pairs: other tools' expected figures, with the counting
rules made equal (see tests/data/ocr/PROVENANCE.txt for where the pairs come from)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run

OCR = Path(__file__).parent / "data" / "ocr"


def _figures(*args: str) -> tuple[int, int, int, int]:
    code, out, err = run("fidelity", *args, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    return data["char_distance"], data["char_total"], data["word_distance"], data["word_total"]


def test_fake_ocr_pair_with_the_ligature_counted_as_fi(tmp_path: Path) -> None:
    # dinglehopper folds U+FB01 into "fi"; made equal here by an explicit equivalence.
    equivalences = tmp_path / "eq.txt"
    equivalences.write_text("\ufb01=fi\n", encoding="utf-8")
    gt, ocr = str(OCR / "test-gt.page2018.xml"), str(OCR / "test-fake-ocr.page2018.xml")
    assert _figures(gt, ocr, "--equivalences", str(equivalences)) == (2, 784, 2, 130)
    # Without it, the ligature is one character against two, and is counted.
    assert _figures(gt, ocr)[0] == 4


def test_lorem_ipsum_bad_scan_page_against_alto() -> None:
    gt = str(OCR / "lorem-ipsum-scan-bad.gt.page.xml")
    ocr = str(OCR / "lorem-ipsum-scan-bad.ocr.tesseract.alto.xml")
    assert _figures(gt, ocr) == (8, 591, 7, 100)


@pytest.mark.parametrize("fmt", ["page", "alto"])
def test_wrong_explicit_format_is_an_error(fmt: str) -> None:
    other = (
        "lorem-ipsum-scan-bad.gt.page.xml"
        if fmt == "alto"
        else "lorem-ipsum-scan-bad.ocr.tesseract.alto.xml"
    )
    code, _, err = run("fidelity", str(OCR / other), str(OCR / other), "--input-format", fmt)
    assert code == 2 and err.startswith("Error: ")


def test_ocr_xml_in_compare() -> None:
    code, out, _ = run(
        "compare",
        str(OCR / "lorem-ipsum-scan-bad.gt.page.xml"),
        str(OCR / "lorem-ipsum-scan-bad.ocr.tesseract.alto.xml"),
        "--format",
        "json",
    )
    assert code == 0
    assert [w["format"] for w in json.loads(out)["witnesses"]] == ["page", "alto"]
