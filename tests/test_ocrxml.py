"""OCR XML: format detection, PAGE/ALTO/hOCR text in reading order, safety, errors."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from collate.errors import InputError
from collate.ocrxml import OcrFormat, detect_format, extract_text

DATA = Path(__file__).resolve().parent / "data" / "ocr"
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"


def read(name: str) -> str:
    """The text of fixture ``name`` (the format detected from the file)."""
    data = (DATA / name).read_bytes()
    fmt = detect_format(data, name)
    assert fmt is not None
    return extract_text(data, name, fmt)


def collapse(text: str) -> str:
    return " ".join(text.split())


def page(body: str) -> bytes:
    return f'<PcGts xmlns="{PAGE_NS}"><Page>{body}</Page></PcGts>'.encode()


def alto(blocks: str) -> bytes:
    layout = f"<Layout><Page><PrintSpace>{blocks}</PrintSpace></Page></Layout>"
    return f'<alto xmlns="{ALTO_NS}">{layout}</alto>'.encode()


# Detection


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("test-gt.page2018.xml", OcrFormat.PAGE),
        ("lorem-ipsum-scan-bad.gt.page.xml", OcrFormat.PAGE),
        ("reading-order.page.xml", OcrFormat.PAGE),
        ("lorem-ipsum-scan-bad.ocr.tesseract.alto.xml", OcrFormat.ALTO),
        ("tiny.hocr.xhtml", OcrFormat.HOCR),
        ("tiny-broken.hocr.html", OcrFormat.HOCR),
    ],
)
def test_detects_fixture_formats(name: str, fmt: OcrFormat) -> None:
    assert detect_format((DATA / name).read_bytes(), name) is fmt


@pytest.mark.parametrize(
    "data",
    [b"", b"Lorem ipsum\n", b"  \n", "\ufeffText".encode(), b"< 3 is less", b"<3 hearts"],
)
def test_plain_text_is_not_ocr_xml(data: bytes) -> None:
    assert detect_format(data, "memo.txt") is None


def test_detects_alto_in_any_namespace_or_none() -> None:
    for root in ("<alto>", '<alto xmlns="http://schema.ccs-gmbh.com/ALTO">'):
        assert detect_format(f"{root}<Layout/></alto>".encode(), "a.xml") is OcrFormat.ALTO


def test_detects_page_of_any_version_and_utf16() -> None:
    old = b'<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2010-03-19"/>'
    assert detect_format(old, "p.xml") is OcrFormat.PAGE
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>\n<alto/>'.encode("utf-16")
    assert detect_format(utf16, "a.xml") is OcrFormat.ALTO


def test_unknown_xml_root_is_an_error() -> None:
    with pytest.raises(InputError) as error:
        detect_format(b"<?xml version='1.0'?>\n<root><a/></root>", "f.xml")
    assert str(error.value) == (
        "f.xml: XML with root element <root> is not TEI, PAGE, ALTO or hOCR; "
        "give a plain-text file or one of those formats"
    )


def test_pcgts_outside_the_page_namespace_is_an_error() -> None:
    with pytest.raises(InputError, match=r"<\{http://example.org/\}PcGts> is not TEI, PAGE"):
        detect_format(b'<PcGts xmlns="http://example.org/"/>', "f.xml")


@pytest.mark.parametrize(
    "data",
    [
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body><p>hi</p></body></html>',
        b"<!DOCTYPE html><html><body><p class=x>hi<br></body></html>",
    ],
)
def test_html_without_ocr_page_is_not_hocr(data: bytes) -> None:
    for call in (
        lambda: detect_format(data, "f.html"),
        lambda: extract_text(data, "f.html", OcrFormat.HOCR),
    ):
        with pytest.raises(
            InputError, match=r"^f\.html: HTML without an element of class ocr_page"
        ):
            call()


# Fixtures from dinglehopper


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("test-gt.page2018.xml", "test-gt.extracted.txt"),
        ("test-fake-ocr.page2018.xml", "test-fake-ocr.extracted.txt"),
        ("lorem-ipsum-scan-bad.gt.page.xml", "lorem-ipsum-scan-bad.gt.extracted.txt"),
        (
            "lorem-ipsum-scan-bad.ocr.tesseract.alto.xml",
            "lorem-ipsum-scan-bad.ocr.tesseract.extracted.txt",
        ),
    ],
)
def test_fixture_text_matches_the_shared_extraction(name: str, expected: str) -> None:
    text = read(name)
    assert collapse(text) == collapse((DATA / expected).read_text(encoding="utf-8"))


def test_lorem_pair_has_the_expected_lengths() -> None:
    assert len(collapse(read("lorem-ipsum-scan-bad.gt.page.xml"))) == 591
    assert len(collapse(read("lorem-ipsum-scan-bad.ocr.tesseract.alto.xml"))) == 594


def test_alto_lines_keep_their_breaks() -> None:
    text = read("lorem-ipsum-scan-bad.ocr.tesseract.alto.xml")
    assert text.split("\n")[0].endswith("sed diam nonu yy eirmod tempor invidunt")
    assert len(text.split("\n")) == 7


def test_page_regions_are_separated_by_a_blank_line() -> None:
    text = read("test-gt.page2018.xml")
    assert text.count("\n\n") == 1
    first, second = text.split("\n\n")
    assert first.endswith("an a\uf4f9em. —") and second.startswith("Hartkopf mußte")


def test_fake_ocr_differs_from_gt_by_its_region_text() -> None:
    gt, ocr = read("test-gt.page2018.xml"), read("test-fake-ocr.page2018.xml")
    assert "Ver\u017fpro" in gt and "Verfpro" in ocr
    assert "Augenbli" in gt and "Augembli" in ocr


# PAGE


def test_page_reading_order_is_honoured() -> None:
    assert read("reading-order.page.xml") == (
        "third in the file, first in reading order\n\n"
        "second line one\nsecond line two\n\n"
        "first in the file, last in reading order\n\n"
        "not in the reading order: comes last"
    )


def test_page_without_reading_order_uses_document_order_of_nested_regions() -> None:
    data = page(
        '<TextRegion id="a"><TextEquiv><Unicode>A</Unicode></TextEquiv>'
        '<TextRegion id="b"><TextEquiv><Unicode>B</Unicode></TextEquiv></TextRegion>'
        '</TextRegion><TextRegion id="c"><TextEquiv><Unicode>C</Unicode></TextEquiv></TextRegion>'
    )
    assert extract_text(data, "p.xml", OcrFormat.PAGE) == "A\n\nB\n\nC"


def test_page_region_text_is_preferred_to_its_lines() -> None:
    data = page(
        '<TextRegion id="a"><TextLine id="l"><TextEquiv><Unicode>line</Unicode></TextEquiv>'
        "</TextLine><TextEquiv><Unicode>region</Unicode></TextEquiv></TextRegion>"
    )
    assert extract_text(data, "p.xml", OcrFormat.PAGE) == "region"


def test_page_regions_without_text_are_skipped_and_text_is_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "café")
    data = page(
        '<TextRegion id="a"><TextEquiv><Unicode> </Unicode></TextEquiv></TextRegion>'
        f'<TextRegion id="b"><TextEquiv><Unicode>{nfd}</Unicode></TextEquiv></TextRegion>'
    )
    assert extract_text(data, "p.xml", OcrFormat.PAGE) == "café"


def test_page_without_any_text_is_an_error() -> None:
    with pytest.raises(InputError, match=r"^p\.xml: the PAGE file has no text"):
        extract_text(page('<TextRegion id="a"/>'), "p.xml", OcrFormat.PAGE)


# ALTO


def test_alto_hyphenation_and_composed_blocks() -> None:
    data = alto(
        "<ComposedBlock><TextBlock><TextLine>"
        '<String CONTENT="A"/><SP/>'
        '<String CONTENT="Ge" SUBS_TYPE="HypPart1" SUBS_CONTENT="Gebäude"/><HYP CONTENT="-"/>'
        "</TextLine><TextLine>"
        '<String CONTENT="bäude" SUBS_TYPE="HypPart2" SUBS_CONTENT="Gebäude"/><SP/>'
        '<String CONTENT="steht"/>'
        "</TextLine></TextBlock></ComposedBlock>"
        '<TextBlock><TextLine><String CONTENT="Ab"/><HYP CONTENT="-"/></TextLine>'
        '<TextLine><String CONTENT="satz"/></TextLine><TextLine/></TextBlock>'
    )
    assert extract_text(data, "a.xml", OcrFormat.ALTO) == "A Gebäude\nsteht\n\nAb-\nsatz"


# hOCR


def test_hocr_xhtml_words_lines_and_regions() -> None:
    assert read("tiny.hocr.xhtml") == "The quick brown\n\nfox jumps\nover cats&dogs."


def test_hocr_html_that_is_not_xml() -> None:
    assert (
        read("tiny-broken.hocr.html") == "Grüße aus Köln\n\nZweiter Absatz\nKopfzeile ohne Wörter"
    )


def test_xhtml_with_html_entities_is_read_as_html() -> None:
    data = (
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><body><div class="ocr_page">'
        b'<span class="ocr_line"><span class="ocrx_word">a&nbsp;b</span></span>'
        b"</div></body></html>"
    )
    assert detect_format(data, "h.html") is OcrFormat.HOCR
    assert extract_text(data, "h.html", OcrFormat.HOCR) == "a b"


# Safety and errors

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE alto [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<alto><Layout><TextBlock><TextLine><String CONTENT="&lol3;"/></TextLine></TextBlock></Layout></alto>
"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE alto [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<alto><Layout><TextBlock><TextLine><String CONTENT="&x;"/></TextLine></TextBlock></Layout></alto>
"""


@pytest.mark.parametrize(("data", "entity"), [(BOMB, "lol"), (EXTERNAL, "x")])
def test_entity_declarations_are_refused(data: bytes, entity: str) -> None:
    for call in (
        lambda: detect_format(data, "evil.xml"),
        lambda: extract_text(data, "evil.xml", OcrFormat.ALTO),
    ):
        with pytest.raises(InputError) as error:
            call()
        message = str(error.value)
        assert message.startswith(f"evil.xml: refuses XML entity declarations (<!ENTITY {entity}>")
        assert "lollol" not in message and "root:" not in message


def test_entity_declarations_in_html_are_refused() -> None:
    data = b'<!DOCTYPE html [<!ENTITY x "y">]><html><body class="ocr_page">&x;</body></html>'
    with pytest.raises(InputError, match="refuses XML entity declarations"):
        detect_format(data, "evil.html")


def test_malformed_xml_names_line_and_column() -> None:
    with pytest.raises(InputError) as error:
        detect_format(b"<alto>\n  <Layout>\n  </Layot>\n</alto>\n", "bad.xml")
    assert str(error.value) == (
        "bad.xml: malformed XML at line 3, column 5 (mismatched tag); "
        "fix the file (it starts like XML, so it is not read as plain text)"
    )


def test_extract_checks_the_format() -> None:
    data = (DATA / "lorem-ipsum-scan-bad.ocr.tesseract.alto.xml").read_bytes()
    with pytest.raises(InputError) as error:
        extract_text(data, "a.xml", OcrFormat.PAGE)
    assert str(error.value) == "a.xml: the file is ALTO, not PAGE; read it as ALTO"
    with pytest.raises(InputError, match=r"^t\.txt: not XML or HTML, so not hOCR"):
        extract_text(b"plain text", "t.txt", OcrFormat.HOCR)
