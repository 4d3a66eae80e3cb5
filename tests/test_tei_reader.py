"""TEI transcriptions: one test per rule of the mapping (docs/stages/reading.md), safety,
errors, and the property that the tokens rebuild the text read."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate._safe import ILLEGAL_XML
from collate.errors import InputError
from collate.model import Section, TokenKind
from collate.readers import (
    ReadOptions,
    SourceFormat,
    read_sources,
    read_witness,
    read_witnesses,
    source_format,
    with_tei,
)
from collate.segmentation import segment
from collate.tei_reader import Choice, Layer, TeiOptions, is_tei, read_tei
from collate.tokenization import tokenize

DATA = Path(__file__).resolve().parent / "data" / "tei"
SIGLA = DATA / "sigla"
NS = "http://www.tei-c.org/ns/1.0"


def tei(body: str) -> bytes:
    return f'<TEI xmlns="{NS}"><text><body>{body}</body></text></TEI>'.encode()


def text(body: str, options: TeiOptions | None = None) -> str:
    return read_tei(tei(body), "t.xml", options).text


ORIGINAL = TeiOptions(choice=Choice.ORIGINAL)
BEFORE = TeiOptions(layer=Layer.BEFORE)


# Detection and structure


def test_detected_by_root_element() -> None:
    assert source_format(tei("<p>a</p>"), "t.xml") is SourceFormat.TEI
    prefixed = b'<?xml version="1.0"?>\n<!-- c --><tei:TEI xmlns:tei="x"><tei:text/></tei:TEI>'
    assert is_tei(prefixed)
    assert not is_tei(b"<alto><TEI/></alto>")
    long_prolog = b"<?xml version='1.0'?>\n<!--" + b"x" * 10_000 + b"-->\n" + tei("<p>a</p>")
    assert is_tei(long_prolog)


def test_only_the_body_is_read() -> None:
    data = (
        f'<TEI xmlns="{NS}"><teiHeader><title>Header</title></teiHeader>'
        "<text><front>Front</front><body><p>body text</p></body></text></TEI>"
    ).encode()
    assert read_tei(data, "t.xml").text == "body text"


def test_blocks_are_paragraphs() -> None:
    assert text("<div><head>Title</head><p>one</p><p>two</p></div>") == "Title\n\none\n\ntwo"


def test_indentation_inside_elements_is_not_a_space() -> None:
    body = (
        "<p>ἐν<choice>\n  <expan>ανθρωπ</expan>\n  <abbr>\n <hi>αν</hi>\n </abbr>\n"
        "</choice>ήσεως</p>"
    )
    assert text(body) == "ἐνανθρωπήσεως"
    assert text(body, ORIGINAL) == "ἐνανήσεως"


# Lines and pages


def test_lb_ends_a_line() -> None:
    assert text("<p>one two<lb/>three <lb/> four</p>") == "one two\nthree\nfour"


def test_cb_ends_a_line() -> None:
    assert text("<p>one<cb n='b'/>two</p>") == "one\ntwo"


def test_lb_break_no_joins_the_word_and_the_line_follows_it() -> None:
    assert text("<p>alexan\n   <lb break='no'/>\n  dreias peri</p>") == "alexandreias\nperi"


def test_pb_begins_a_page_named_by_n() -> None:
    read = read_tei(tei("<pb n='12r'/><p>one</p><pb n='12v'/><p>two</p>"), "t.xml")
    assert read.text == "one\n\n\ftwo"
    assert read.page_names == ("12r", "12v")


def test_pages_without_text_are_not_pages() -> None:
    read = read_tei(tei("<p>one</p><pb n='1'/><pb n='2'/><p>two</p><pb n='3'/>"), "t.xml")
    assert read.page_names == ("", "2")


def test_word_split_by_lb_break_no_across_a_page_break() -> None:
    body = "<p>de<lb break='no'/><pb n='2' break='no'/>us erat</p>"
    read = read_tei(tei(body), "t.xml")
    assert read.text == "deus\n\ferat"
    assert read.page_names == ("", "2")
    witness = read_witness(_write(tei(body)))
    tokens = tokenize(witness, segment(witness))
    assert [(t.text, t.page) for t in tokens] == [("deus", 1), ("erat", 2)]


# <choice>


def test_choice_abbr_expan() -> None:
    body = "<p><choice><abbr>dns</abbr><expan>dominus</expan></choice> est</p>"
    assert text(body) == "dominus est"
    assert text(body, ORIGINAL) == "dns est"


def test_choice_sic_corr() -> None:
    body = "<p><choice><sic>verbvm</sic><corr>verbum</corr></choice></p>"
    assert text(body) == "verbum"
    assert text(body, ORIGINAL) == "verbvm"


def test_choice_orig_reg() -> None:
    body = "<p><choice><orig>vnus</orig><reg>unus</reg></choice></p>"
    assert text(body) == "unus"
    assert text(body, ORIGINAL) == "vnus"


def test_choice_without_the_preferred_reading_takes_its_first() -> None:
    assert text("<p><choice><unclear>a</unclear><unclear>o</unclear></choice>x</p>") == (
        "[unclear] ax"
    )


def test_subst_nested_in_choice() -> None:
    body = (
        "<p>in <choice><sic>princ<subst><del>e</del><add>i</add></subst>pio</sic>"
        "<corr>principio</corr></choice></p>"
    )
    assert text(body) == "in principio"
    assert text(body, ORIGINAL) == "in principio"
    assert text(body, TeiOptions(Choice.ORIGINAL, Layer.BEFORE)) == "in princepio"


# Corrections


def test_add_read_after_correction_only() -> None:
    body = "<p>διαλαβόν<add place='margin'>τες</add> περὶ</p>"
    assert text(body) == "διαλαβόντες περὶ"
    assert text(body, BEFORE) == "διαλαβόν περὶ"


def test_del_read_before_correction_only() -> None:
    body = "<p>one <del>two</del> three</p>"
    assert text(body) == "one three"
    assert text(body, BEFORE) == "one two three"


def test_subst() -> None:
    body = "<p>θρησκεί<subst>\n <del>ας</del>\n <add>αν</add>\n</subst></p>"
    assert text(body) == "θρησκείαν"
    assert text(body, BEFORE) == "θρησκείας"


def test_restore_reads_the_deleted_text() -> None:
    body = "<p>one <restore><del>two</del></restore> three</p>"
    assert text(body) == "one two three"
    assert text(body, BEFORE) == "one two three"


def test_both_layers_make_two_witnesses(tmp_path: Path) -> None:
    path = _write(tei("<p>one <subst><del>two</del><add>too</add></subst></p>"), tmp_path)
    witnesses = read_sources([path], ReadOptions(both_layers=True))
    assert [(w.siglum, w.text) for w in witnesses] == [("t", "one too"), ("t (a.c.)", "one two")]


# Markers


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>one <gap reason='illegible' quantity='3'/> two</p>", "one [gap] two"),
        ("<p>one<space quantity='2'/>two</p>", "onetwo [blank]"),
        ("<p>one <space/>two</p>", "one [blank] two"),
        ("<p>one <unclear>two</unclear> three</p>", "one [unclear] two three"),
        ("<p>one <damage>two</damage></p>", "one [damaged] two"),
        ("<p>one <supplied>two</supplied></p>", "one [supplied] two"),
    ],
)
def test_markers_are_markup_tokens(body: str, expected: str) -> None:
    assert text(body) == expected
    witness = read_witness(_write(tei(body)))
    kinds = [t.kind for t in tokenize(witness, segment(witness))]
    assert TokenKind.EDITORIAL in kinds


def test_marker_inside_a_word_follows_the_word() -> None:
    assert text("<p>δα<unclear>β</unclear>ὶδ λέγει</p>") == "δαβὶδ [unclear] λέγει"


# Left out, and read as text


@pytest.mark.parametrize("element", ["note", "figure", "fw"])
def test_note_figure_fw_are_left_out(element: str) -> None:
    assert text(f"<p>one <{element}>aside</{element}>two</p>") == "one two"


@pytest.mark.parametrize("element", ["hi", "seg", "w", "g", "num", "title"])
def test_inline_elements_give_their_text(element: str) -> None:
    assert text(f"<p>one <{element}>tw</{element}>o three</p>") == "one two three"


def test_g_gives_the_declared_glyph() -> None:
    read = read_witness(DATA / "header.xml")
    assert "verbum & verbum" in read.text


def test_empty_g_without_a_glyph_is_left_out() -> None:
    assert text("<p><g type='diple'/>one</p>") == "one"


def test_comments_and_processing_instructions_are_left_out() -> None:
    assert text("<p>on<!-- c -->e <?pi x?>two</p>") == "one two"


def test_deep_nesting_is_read() -> None:
    assert text("<hi>" * 5000 + "deep" + "</hi>" * 5000) == "deep"


# Header


def test_label_from_msidentifier_and_pages_from_a_file() -> None:
    witness = read_witness(DATA / "header.xml")
    assert witness.label == "Bochum, Bibliotheca Exempli, gr. 1"
    assert witness.source_format == "tei"
    assert witness.page_names == ("1r", "1v")
    assert witness.text.endswith("deus\n\ferat verbum")


def test_label_from_title_without_msidentifier() -> None:
    data = f'<TEI xmlns="{NS}"><teiHeader><title>De re</title></teiHeader>'
    data += "<text><body><p>a</p></body></text></TEI>"
    assert read_tei(data.encode(), "t.xml").label == "De re"


def header(inside: str) -> bytes:
    body = "<text><body><p>a</p></body></text>"
    return f'<TEI xmlns="{NS}"><teiHeader>{inside}</teiHeader>{body}</TEI>'.encode()


@pytest.mark.parametrize(
    ("name", "siglum", "label"),
    [
        ("abbr", "V", "Sermo de verbo"),
        ("idno", "F 2", "Firenze, Biblioteca Laurenziana, Plut. 4.1"),
        ("altidentifier", "Π", "Paris, Bibliothèque nationale de France, gr. 475"),
    ],
)
def test_siglum_from_the_header(name: str, siglum: str, label: str) -> None:
    witness = read_witness(SIGLA / f"{name}.xml")
    assert (witness.siglum, witness.label) == (siglum, label)


def test_siglum_is_the_stem_without_one_in_the_header() -> None:
    assert read_witness(DATA / "header.xml").siglum == "header"
    assert read_tei(tei("<p>a</p>"), "t.xml").siglum == ""


def test_a_list_of_witnesses_names_no_siglum_of_the_file() -> None:
    witness = read_witness(SIGLA / "edition.xml")
    assert (witness.siglum, witness.label) == ("edition", "Sermo de verbo: editio")


def test_the_first_siglum_in_document_order_that_is_not_empty() -> None:
    data = header(
        '<abbr type="siglum"/><idno type="siglum">\n </idno><title>t</title>'
        '<idno type="siglum">B</idno><abbr type="siglum">A</abbr><abbr>C</abbr>'
    )
    assert read_tei(data, "t.xml").siglum == "B"
    assert read_tei(header('<idno type="shelfmark">x</idno>'), "t.xml").siglum == ""
    data = header('<altIdentifier type="siglum"><idno/><idno> Z  1 </idno></altIdentifier>')
    assert read_tei(data, "t.xml").siglum == "Z 1"
    assert read_tei(tei("<p><abbr type='siglum'>X</abbr></p>"), "t.xml").siglum == ""


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff")))
def test_any_header_siglum_is_read_whitespace_collapsed(siglum: str) -> None:
    legal = "".join(c for c in siglum if not ILLEGAL_XML.match(c))
    data = header(f'<abbr type="siglum">{escape(legal)}</abbr>')
    assert read_tei(data, "t.xml").siglum == " ".join(legal.split())


def test_a_given_siglum_comes_before_the_header(tmp_path: Path) -> None:
    assert read_witness(SIGLA / "abbr.xml", "A").siglum == "A"
    for name in ("abbr.xml", "idno.xml"):
        (tmp_path / name).write_bytes((SIGLA / name).read_bytes())
    listed = [{"siglum": "L", "file": "abbr.xml"}, {"siglum": "M", "file": "idno.xml"}]
    (tmp_path / "metadata.json").write_text(json.dumps({"witnesses": listed}))
    assert [w.siglum for w in read_witnesses([tmp_path])] == ["L", "M"]


def test_two_files_naming_one_siglum_are_told_apart(tmp_path: Path) -> None:
    copy = tmp_path / "copy.xml"
    copy.write_bytes((SIGLA / "abbr.xml").read_bytes())
    sigla = [w.siglum for w in read_witnesses([SIGLA / "abbr.xml", copy])]
    assert sigla == ["V", "V-2"]


def test_both_layers_take_the_header_siglum() -> None:
    options = with_tei(ReadOptions(), "edited", "both")
    witnesses = read_sources([SIGLA / "corrected.xml"], options)
    assert [(w.siglum, w.label) for w in witnesses] == [
        ("O", "Oxford, Bodleian Library"),
        ("O (a.c.)", "Oxford, Bodleian Library (a.c.)"),
    ]
    assert witnesses[1].text.endswith("apud dominum")


# Errors and safety


def test_no_body_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        read_tei(f'<TEI xmlns="{NS}"><teiHeader/></TEI>'.encode(), "t.xml")
    assert str(caught.value) == (
        "t.xml: the TEI file has no <text>/<body>; give a file with its text"
    )


def test_empty_body_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        read_tei(tei("<p><note>x</note></p>"), "t.xml")
    assert str(caught.value) == "t.xml: the TEI file has no text in its <body>; give one with text"


def test_other_root_given_as_tei_is_an_error() -> None:
    with pytest.raises(InputError) as caught:
        read_tei(b"<alto><x/></alto>", "t.xml")
    assert str(caught.value) == (
        "t.xml: XML with root element <alto> is not TEI; give a TEI file (root element <TEI>)"
    )


def test_entities_are_refused() -> None:
    data = b'<!DOCTYPE TEI [<!ENTITY e "boom">]><TEI><text><body>&e;</body></text></TEI>'
    assert is_tei(data)
    with pytest.raises(InputError, match="refuses XML entity declarations"):
        read_tei(data, "t.xml")


def test_external_entity_is_refused() -> None:
    data = b'<!DOCTYPE TEI [<!ENTITY e SYSTEM "file:///etc/passwd">]><TEI>&e;</TEI>'
    with pytest.raises(InputError):
        read_tei(data, "t.xml")


# Sections and the divisions read


def test_section_ids_are_the_n_path_of_nested_divs() -> None:
    read = read_tei((DATA / "sections" / "a.xml").read_bytes(), "a.xml")
    ids = [(s.id, read.text[s.start : s.start + 9]) for s in read.sections]
    assert ids == [("1", "in princi"), ("2.1", "et verbum"), ("2.2", "et deus e")]


def test_an_n_that_is_a_uri_is_not_a_section_number() -> None:
    read = read_tei(tei("<div n='urn:cts:x:y'><head>t</head><div n='4'><p>a</p></div></div>"), "t")
    assert read.sections == (Section(3, "4"),)


def test_ab_and_p_without_n_are_named_by_xml_id() -> None:
    read = read_tei((DATA / "sections" / "ab.xml").read_bytes(), "ab.xml")
    assert [(s.start, s.id) for s in read.sections] == [(0, "frag-a"), (26, "frag-b"), (52, "")]


def test_the_n_path_wins_over_the_nearest_xml_id() -> None:
    body = "<div n='3' xml:id='d3'><p xml:id='q' n='2'>a</p><p xml:id='r'>b</p></div>"
    assert [s.id for s in read_tei(tei(body), "t").sections] == ["3.2", "3"]


def test_section_starts_are_offsets_in_the_nfc_text() -> None:
    read = read_tei(tei("<p n='1'>e\u0301e\u0301 a</p><p n='2'>b</p>"), "t")
    assert read.text == "éé a\n\nb"
    assert read.sections == (Section(0, "1"), Section(6, "2"))


def test_segments_keep_their_section(tmp_path: Path) -> None:
    witness = read_witness(_write((DATA / "sections" / "a.xml").read_bytes(), tmp_path))
    body = [s.section for s in segment(witness) if s.text.strip()]
    assert body == ["", "1", "2.1", "2.2"]


def test_one_division_is_read_by_its_n_path() -> None:
    read = read_tei((DATA / "sections" / "a.xml").read_bytes(), "a.xml", TeiOptions(divs=("2.2",)))
    assert (read.text, read.page_names) == ("et deus erat verbum", ("1v",))
    assert read.sections == (Section(0, "2.2"),)


def test_two_divisions_are_read_in_document_order_by_n_path_or_xml_id() -> None:
    data = (DATA / "sections" / "ab.xml").read_bytes()
    read = read_tei(data, "ab.xml", TeiOptions(divs=("frag-b", "frag-a")))
    assert read.text == "in principio erat verbum\n\net verbum erat apud deum"
    read = read_tei((DATA / "sections" / "a.xml").read_bytes(), "a", TeiOptions(divs=("2", "1")))
    assert read.text.startswith("in principio") and read.text.endswith("et deus erat verbum")
    assert read.page_names == ("1r", "1v")


def test_a_division_inside_another_selected_one_is_read_once() -> None:
    read = read_tei((DATA / "sections" / "a.xml").read_bytes(), "a", TeiOptions(divs=("2", "2.1")))
    assert read.text.count("et verbum erat") == 1


def test_a_division_the_file_lacks_is_an_error() -> None:
    data = (DATA / "sections" / "a.xml").read_bytes()
    with pytest.raises(InputError) as caught:
        read_tei(data, "a.xml", TeiOptions(divs=("1", "3")))
    assert str(caught.value) == (
        "a.xml: divs='3': no such <div>, <ab> or <p> (by @n path or xml:id); its divisions "
        "are 1, 2, 2.1, 2.2"
    )
    with pytest.raises(InputError, match=r"it has no <div>, <ab> or <p> with an @n or xml:id$"):
        read_tei(tei("<p>a</p>"), "t.xml", TeiOptions(divs=("1",)))


# The property


_PIECES = st.sampled_from(
    [
        "a",
        "βὶδ",
        " ",
        "\n  ",
        ",",
        "<lb/>",
        "<lb break='no'/>",
        "<pb n='2'/>",
        "<pb n='3' break='no'/>",
        "<cb/>",
        "<gap/>",
        "<space/>",
        "<unclear>u</unclear>",
        "<supplied>s</supplied>",
        "<damage>d</damage>",
        "<choice><abbr>x</abbr><expan>xy</expan></choice>",
        "<choice><sic>p<subst><del>q</del><add>r</add></subst></sic><corr>pr</corr></choice>",
        "<del>z</del>",
        "<add>w</add>",
        "<note>n</note>",
        "<hi>h</hi>",
        "</p><p>",
        "</p><p n='7'>",
    ]
)


@given(st.lists(_PIECES, max_size=30), st.sampled_from(list(Choice)), st.sampled_from(list(Layer)))
@settings(max_examples=200, deadline=None)
def test_tokens_rebuild_the_text_read(pieces: list[str], choice: Choice, layer: Layer) -> None:
    """Any TEI witness the reader accepts rebuilds, token by token, into its text."""
    data = tei("<p>" + "".join(pieces) + "</p>")
    try:
        read = read_tei(data, "t.xml", TeiOptions(choice, layer))
    except InputError:
        return
    witness = read_witness(_write(data), options=ReadOptions(tei=TeiOptions(choice, layer)))
    assert witness.text == read.text
    tokens = tokenize(witness, segment(witness))
    rebuilt = "".join((" " if t.space_before and t.index else "") + t.text for t in tokens)
    assert rebuilt == " ".join(read.text.split())
    assert max((t.page for t in tokens), default=1) == len(read.page_names)
    starts = {t.start for t in tokens}
    assert all(s.start in starts for s in read.sections)  # a section begins at a token


def _write(data: bytes, folder: Path | None = None) -> Path:
    """``data`` in a file ``t.xml`` (a fresh temporary folder unless given)."""
    import tempfile

    base = folder or Path(tempfile.mkdtemp(prefix="teiin-"))
    path = base / "t.xml"
    path.write_bytes(data)
    return path
