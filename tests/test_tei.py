"""TEI output: valid against TEI P5 tei_all, witnesses declared, variants as in the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from collate.model import Category
from collate.pipeline import Collation
from collate.render.tei import render_tei, xml_id
from collate.variants import select
from tests.conftest import collate_texts

SCHEMA = Path(__file__).parent / "data" / "tei" / "tei_all.rng"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def _parse(collation: Collation) -> etree._Element:
    return etree.fromstring(render_tei(collation, collation.variants).encode("utf-8"))


def _check(doc: etree._Element) -> None:
    """Every witness a document refers to is declared (``test_valid_tei_all`` checks validity)."""
    declared = {w.get(XML_ID) for w in doc.iterfind(".//tei:listWit/tei:witness", NS)}
    for element in doc.iterfind(".//*[@wit]"):
        for ref in element.get("wit").split():
            assert ref.startswith("#") and ref[1:] in declared
    for element in doc.iterfind(".//*[@edRef]"):
        assert element.get("edRef")[1:] in declared


def _omission() -> etree._Element:
    return _parse(
        collate_texts("the black cat sat", "the cat sat", "the black cat sat", "the white cat sat")
    )


def _filtered(memo: Collation) -> etree._Element:
    chosen = select(memo.variants, [Category.SUBSTANTIVE])
    return etree.fromstring(render_tei(memo, chosen).encode("utf-8"))


def _hostile() -> etree._Element:
    return _parse(collate_texts('a <script>x</script> & "q"', "a b"))


_DOCUMENTS: dict[str, Callable[[Collation], etree._Element]] = {
    "memo": _parse,
    "omission": lambda memo: _omission(),
    "filtered": _filtered,
    "hostile": lambda memo: _hostile(),
}


@pytest.mark.slow  # reading tei_all takes about 10 s
@pytest.mark.parametrize("name", _DOCUMENTS)
def test_valid_tei_all(name: str, memo: Collation, tei_all: etree.RelaxNG) -> None:
    assert tei_all.validate(_DOCUMENTS[name](memo)), tei_all.error_log


def test_memo_declares_its_witnesses(memo: Collation) -> None:
    doc = _parse(memo)
    _check(doc)
    variant_encoding = doc.find(".//tei:encodingDesc/tei:variantEncoding", NS)
    assert variant_encoding.get("method") == "parallel-segmentation"
    assert variant_encoding.get("location") == "internal"


def test_memo_apparatus_matches_the_report(memo: Collation) -> None:
    doc = _parse(memo)
    apps = doc.findall(".//tei:app", NS)
    assert [int(a.get("n")) for a in apps] == [v.number for v in memo.variants]
    assert [a.get("type") for a in apps] == [v.category.value for v in memo.variants]
    (have,) = [a for a in apps if a.get("n") == str(_number(memo, ("", "have")))]
    assert have.find("tei:lem", NS).get("wit") == "#scan"
    assert len(have.find("tei:lem", NS)) == 0 and not have.find("tei:lem", NS).text
    assert have.find("tei:rdg", NS).text == "have"


def _number(memo: Collation, readings: tuple[str, str]) -> int:
    return next(v.number for v in memo.variants if v.readings == readings)


def test_memo_encodes_furniture_breaks_and_marks(memo: Collation) -> None:
    doc = _parse(memo)
    assert {fw.get("type") for fw in doc.iterfind(".//tei:fw", NS)} >= {
        "page-number",
        "archive-credit",
        "declassification",
    }
    assert doc.find(".//tei:pb[@n='2']", NS).get("edRef") == "#scan"
    assert doc.find(".//tei:gap[@reason='redacted']", NS) is not None
    (sic_app,) = [a for a in doc.iterfind(".//tei:app", NS) if a.find(".//tei:sic", NS) is not None]
    assert sic_app.get("type") == "markup"


def test_omission_is_an_empty_rdg_and_agreeing_witnesses_share_one() -> None:
    doc = _omission()
    _check(doc)
    (app,) = doc.findall(".//tei:app", NS)
    assert app.find("tei:lem", NS).get("wit") == "#A #C"
    rdgs = {r.get("wit"): r.text for r in app.findall("tei:rdg", NS)}
    assert rdgs == {"#B": None, "#D": "white"}


def test_filtered_selection_keeps_the_base_text(memo: Collation) -> None:
    doc = _filtered(memo)
    _check(doc)
    assert len(doc.findall(".//tei:app", NS)) == 2


def test_sigla_become_valid_ids() -> None:
    assert xml_id("1859") == "w_1859"
    assert xml_id("a b") == "a_b"


def test_hostile_text_is_escaped() -> None:
    doc = _hostile()
    _check(doc)
    assert "<script>" in "".join(doc.itertext())
