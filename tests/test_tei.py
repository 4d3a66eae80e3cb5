"""TEI output: valid against TEI P5 tei_all, witnesses declared, variants as in the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from collate.api import collate as collate_paths
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


def _nested() -> etree._Element:
    """Two outer variants, one inside the other: C has nothing from b to i, D from c to f."""
    return _parse(collate_texts("a b c d e f g h i j", "a b x d e y g z i j", "a j", "a b g z i j"))


def _sections() -> etree._Element:
    """Two TEI witnesses with sections (``<milestone unit="section">``) and named pages."""
    folder = Path(__file__).parent / "data" / "tei" / "sections"
    return _parse(collate_paths([folder / "a.xml", folder / "b.xml"]))


_DOCUMENTS: dict[str, Callable[[Collation], etree._Element]] = {
    "memo": _parse,
    "omission": lambda memo: _omission(),
    "filtered": _filtered,
    "hostile": lambda memo: _hostile(),
    "nested": lambda memo: _nested(),
    "sections": lambda memo: _sections(),
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


def _witness_text(element: etree._Element, ref: str) -> str:
    """The text of the witness ``ref`` (``#A``) read back from a TEI element: at each
    ``<app>`` the reading that names it."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{{{NS['tei']}}}app":
            (reading,) = [r for r in child if ref in r.get("wit").split()]
            parts.append(_witness_text(reading, ref))
        else:
            parts.append(_witness_text(child, ref))
        parts.append(child.tail or "")
    return "".join(parts)


def _rebuilt(doc: etree._Element, ref: str) -> str:
    """A witness's text, its paragraphs (``<ab>``) joined by a space."""
    text = " ".join(_witness_text(ab, ref) for ab in doc.iterfind(".//tei:body//tei:ab", NS))
    return " ".join(text.split())


def test_nested_variants_are_apps_inside_the_outer_reading() -> None:
    doc = _nested()
    _check(doc)
    body = doc.find(".//tei:body", NS)
    (outer,) = body.findall("tei:div/tei:ab/tei:app", NS)[:1]
    assert outer.get("n") == "1"
    lem, rdg = list(outer)
    assert (lem.get("wit"), rdg.get("wit"), len(rdg), rdg.text) == ("#A #B #D", "#C", 0, None)
    (inner,) = [a for a in lem.findall("tei:app", NS) if a.find("tei:lem/tei:app", NS) is not None]
    assert [r.get("wit") for r in inner] == ["#A #B", "#D"] and not len(inner[1])
    for app in inner.iterfind("tei:lem/tei:app", NS):  # only the witnesses of the reading
        assert {w for r in app for w in r.get("wit").split()} == {"#A", "#B"}


def test_every_witness_rebuilds_from_nested_tei() -> None:
    texts = ("a b c d e f g h i j", "a b x d e y g z i j", "a j", "a b g z i j")
    doc = _parse(collate_texts(*texts))
    assert [_rebuilt(doc, f"#{s}") for s in "ABCD"] == list(texts)


def test_every_variant_is_one_app_nested_as_reported() -> None:
    collation = collate_texts("a b c d e f g h i j", "a b x d e y g z i j", "a j", "a b g z i j")
    doc = _parse(collation)
    apps = doc.findall(".//tei:app", NS)
    assert [int(a.get("n")) for a in apps] == [v.number for v in collation.variants]
    for app in apps:
        around = [int(a.get("n")) for a in app.iterancestors(f"{{{NS['tei']}}}app")]
        variant = collation.variants[int(app.get("n")) - 1]
        assert (around[0] if around else None) == variant.within


# words only: where witnesses space a token differently (``f,`` and ``f ,``) the space before
# an <app> is shared by all its readings
WORDS = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=10).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, min_size=2, max_size=5), st.booleans())
def test_every_witness_rebuilds_from_the_tei(texts: list[str], filtered: bool) -> None:
    """Each witness's text reads back from the TEI, nested variants or not, and whether
    or not the outer variants are shown (a selection may leave them out)."""
    collation = collate_texts(*texts)
    variants = collation.variants
    if filtered:
        variants = tuple(v for v in variants if not v.contains)
    doc = etree.fromstring(render_tei(collation, variants).encode("utf-8"))
    sigla = collation.alignment.sigla
    for siglum, text in zip(sigla, texts, strict=True):
        assert _rebuilt(doc, f"#{xml_id(siglum)}") == " ".join(text.split())
