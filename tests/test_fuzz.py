"""Fuzzing the whole pipeline: random Unicode witnesses, random edits between them.

For 2 to 4 witnesses made of random text and random edits of it, ``collate`` runs end to end,
then every renderer and ``measure_fidelity``. Nothing may raise but a documented
:class:`CollateError`; the alignment rebuilds every witness's token stream and the tokens hold
every character of the text (nothing lost); the figures stay in their documented ranges; TEI
parses with lxml, JSON round-trips, HTML has no markup but its own. Random bytes read as files
raise nothing but :class:`InputError`.

A short run is part of the test suite. For a long one::

    COLLATE_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py

(see docs/robustness.md).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree
from rich.console import Console

from collate._text import visible
from collate.errors import CollateError, InputError
from collate.fidelity import Fidelity, measure_fidelity
from collate.metrics import CountingRules, EditCounts
from collate.model import Category, MarkupFormat, Witness
from collate.pipeline import Collation, CollationOptions, collate
from collate.readers import ReadOptions, SourceFormat, load_witness, read_witness
from collate.render.collatex import render_collatex
from collate.render.fidelity import Pair, render_csv
from collate.render.fidelity import render_json as render_fidelity_json
from collate.render.fidelity_report import FidelityReport
from collate.render.grid import Grid
from collate.render.html import render_html
from collate.render.json import render_json
from collate.render.table import render_table
from collate.render.tei import render_tei
from collate.render.terminal import Report
from collate.variants import select

EXAMPLES = int(os.environ.get("COLLATE_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that reach every stage: words, punctuation runs, markup and Markdown, page furniture,
# page breaks, RTL text with points, combining marks, emoji sequences, controls, noncharacters.
PIECES = [
    "the", "The", "THE", "cat", "sat", "People's", "6-30-Bk", "Comrnittee", "Committee",
    "--", "...", ",", ".", "“", "”", "’", "**", "~~", "__", "\\_", "# ", "[sic]", "[illegible]",
    "██████", "□", "•", "-2-", "Page 3", "SECRET", "DECLASSIFIED", "September 23, 1944",
    "\f", "\n", "\n\n", " ", "\t", "\u00ad", "\u200b", "שָׁלוֹם", "مَرْحَبًا", "नमस्ते",
    "e\u0301", "\u0301\u0302", "👩🏿\u200d🚀", "👍🏽", "🇺🇦", "ﬁ", "ſ", "＜script＞",
    "<script>", '"><img src=x onerror=alert(1)>', "&amp;", "javascript:", "\u2028", "\u2029",
    "\x00", "\x01", "\x1b[31m", "\x7f", "\x85", "\ufffe", "\uffff", "\U0010fffd",
]  # fmt: skip
# Any character a decoded file can hold (surrogates cannot come out of a strict decoder).
CHARS = st.characters(blacklist_categories=["Cs"])
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(CHARS, max_size=6)), max_size=40).map(
    "".join
)
# Sigla come from file names and metadata.json: rich markup, HTML, ids that clash once cleaned.
HOSTILE_SIGLA = ["[/]", "[bold]x", "<script>", "a b", "a_b", "\r", "\x1b[31m", "\U00010080", "ſ"]
SIGLUM = st.one_of(st.sampled_from(HOSTILE_SIGLA), st.text(CHARS, min_size=1, max_size=8))

# Characters no HTML view or terminal may pass on raw: bidi controls and invisible characters.
HIDDEN = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@st.composite
def edited(draw: st.DrawFn, base: str) -> str:
    """``base`` with a few random insertions, deletions and substitutions."""
    text = base
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 12)))
        text = text[:start] + draw(st.one_of(st.just(""), TEXT)) + text[end:]
    return text


@st.composite
def witnesses(draw: st.DrawFn) -> list[Witness]:
    base = draw(TEXT)
    count = draw(st.integers(2, 4))
    texts = [base] + [draw(edited(base)) for _ in range(count - 1)]
    sigla: list[str] = []
    for siglum in draw(st.lists(SIGLUM, min_size=count, max_size=count)):
        while siglum in sigla:
            siglum += "'"
        sigla.append(siglum)
    markup = draw(st.sampled_from([None, MarkupFormat.PLAIN, MarkupFormat.MARKDOWN]))
    return [
        load_witness(text, siglum, path=f"{siglum}.txt", markup=markup)
        for text, siglum in zip(texts, sigla, strict=True)
    ]


OPTIONS = st.builds(
    CollationOptions,
    normalization=st.sampled_from(["default", "none", "case,dashes", "compatibility"]),
    no_base=st.booleans(),
    near_match=st.floats(0.05, 1.0),
)


def visible_characters(witness: Witness) -> str:
    """Every character of the witness that is neither markup nor whitespace."""
    return "".join(visible(witness.text, witness.markup, 0, len(witness.text)).text.split())


def _check_alignment(collation: Collation) -> None:
    for w, tokens in enumerate(collation.tokens):
        rebuilt = [t for rank in collation.alignment.ranks for t in rank.cells[w]]
        assert rebuilt == list(tokens), "the alignment must rebuild every token stream"
        witness = collation.witnesses[w]
        assert "".join(t.text for t in tokens) == visible_characters(witness), "text lost"
        for token in tokens:
            assert 0 <= token.start < token.end <= len(witness.text)


def _check_counts(counts: EditCounts) -> None:
    assert counts.distance == counts.substitutions + counts.insertions + counts.deletions
    assert min(counts.distance, counts.reference, counts.hypothesis) >= 0
    assert abs(counts.reference - counts.hypothesis) <= counts.distance
    assert counts.distance <= max(counts.reference, counts.hypothesis)
    assert counts.rate >= 0 and counts.accuracy == 1 - counts.rate
    if counts.reference == 0:
        assert counts.rate == (0.0 if counts.hypothesis == 0 else 1.0)


def _check_fidelity(fidelity: Fidelity) -> None:
    for measures in (fidelity.measures, fidelity.text_only):
        _check_counts(measures.chars)
        _check_counts(measures.words)
        assert measures.bag_error >= 0
        if measures.words.reference == 0:
            assert measures.bag_error in (0.0, 1.0)
    for page in fidelity.pages:
        _check_counts(page.chars)
        _check_counts(page.words)
    for category in fidelity.categories:
        assert min(category.variants, category.char_distance, category.word_distance) >= 0


class _Tags(HTMLParser):
    """Every start tag of an HTML page, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def check_html(page: str, scripts: int | None = 2) -> None:
    """The page holds only its own markup: its scripts (``scripts`` of them, unless None), no
    event handlers, no ``javascript:`` and no elements that load or link anything."""
    parser = _Tags()
    parser.feed(page)
    parser.close()
    names = [tag for tag, _ in parser.tags]
    if scripts is not None:
        assert names.count("script") == scripts
        assert "a" not in names
    assert {"img", "iframe", "object", "embed", "form", "base", "svg"}.isdisjoint(names)
    for _, attrs in parser.tags:
        for name, value in attrs:
            assert not name.startswith("on"), name
            assert "javascript:" not in (value or "").lower()
    page.encode("utf-8")
    assert not HIDDEN.search(page), "a bidi control or invisible character is not shown"


def check_tei(document: str) -> etree._Element:
    """The document parses (huge_tree: libxml2 refuses text nodes over 10 MB without it)."""
    root = etree.fromstring(document.encode("utf-8"), etree.XMLParser(huge_tree=True))
    ids = [e.get("{http://www.w3.org/XML/1998/namespace}id") for e in root.iter()]
    declared = [i for i in ids if i is not None]
    assert len(declared) == len(set(declared)), "xml:id values must be distinct"
    for element in root.iter():
        for ref in [*(element.get("wit") or "").split(), element.get("edRef") or "#x"]:
            assert ref.startswith("#")
    return root


def _terminal(renderable: object) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(renderable)
    out = buffer.getvalue()
    assert "\x1b" not in out, "a witness must not reach the terminal as an escape sequence"
    return out


def render_everything(collation: Collation) -> None:
    variants = collation.variants
    _terminal(Report(collation, variants))
    _terminal(Grid(collation))
    data = json.loads(render_json(collation, variants))
    assert len(data["alignment"]) == len(collation.alignment.ranks)
    assert [v["number"] for v in data["variants"]] == [v.number for v in variants]
    for got, variant in zip(data["variants"], variants, strict=True):
        assert list(got["readings"].values()) == list(variant.readings)
    assert json.loads(render_collatex(collation))["witnesses"] == list(collation.alignment.sigla)
    for delimiter in (",", "\t"):
        rows = list(
            csv.reader(io.StringIO(render_table(collation, delimiter)), delimiter=delimiter)
        )
        assert len(rows) == len(collation.alignment.ranks) + 1
    check_tei(render_tei(collation, variants, "title <&> \x01"))
    check_tei(render_tei(collation, select(variants, [Category.SUBSTANTIVE])))
    if len(collation.witnesses) == 2:
        fidelity = measure_fidelity(collation, CountingRules())
        _check_fidelity(fidelity)
        check_html(render_html(collation, variants, fidelity, "<script>alert(1)</script>"))
    else:
        check_html(render_html(collation, variants))


@given(witnesses(), OPTIONS, st.data())
@FUZZ
def test_the_pipeline_takes_any_text(
    texts: list[Witness], options: CollationOptions, data: st.DataObject
) -> None:
    sigla = [None] if options.no_base else [None, *(w.siglum for w in texts)]
    base = data.draw(st.sampled_from(sigla))
    options = CollationOptions(options.normalization, base, options.no_base, options.near_match)
    collation = collate(texts, options)
    _check_alignment(collation)
    render_everything(collation)


@given(witnesses(), st.booleans(), st.booleans(), st.data())
@FUZZ
def test_fidelity_figures_stay_in_range(
    texts: list[Witness], ignore_case: bool, ignore_punctuation: bool, data: st.DataObject
) -> None:
    reference, hypothesis = texts[0], texts[1]
    equivalences = data.draw(
        st.lists(st.tuples(st.text(CHARS, min_size=1, max_size=2), st.text(CHARS, max_size=2)))
    )
    rules = CountingRules(ignore_case, ignore_punctuation, tuple(equivalences))
    exclude = data.draw(st.sets(st.sampled_from([Category.FURNITURE, Category.MARKUP])))
    collation = collate([reference, hypothesis])
    fidelity = measure_fidelity(collation, rules, exclude)
    _check_fidelity(fidelity)
    pair = Pair("p<1>", reference.path or "", hypothesis.path or "", fidelity)
    assert (
        json.loads(render_fidelity_json([pair], many=False))["cer"] == fidelity.measures.chars.rate
    )
    json.loads(render_fidelity_json([pair, pair], many=True))
    assert len(list(csv.reader(io.StringIO(render_csv([pair]))))) == 3
    _terminal(FidelityReport(pair))


@given(TEXT)
@FUZZ
def test_empty_reference_rates_are_zero_or_one(hypothesis: str) -> None:
    reference = load_witness("", "ref")
    collation = collate([reference, load_witness(hypothesis, "hyp")])
    fidelity = measure_fidelity(collation, CountingRules())
    for counts in (fidelity.measures.chars, fidelity.measures.words):
        assert counts.reference == 0 and counts.rate in (0.0, 1.0)
        assert counts.rate == (1.0 if counts.hypothesis else 0.0)


XML_PIECES = [
    '<?xml version="1.0"?>', "<!DOCTYPE x>", '<!DOCTYPE x [<!ENTITY e "v">]>', "&e;", "&amp;",
    "&#0;", "&#x1F600;", "<alto>", "</alto>", "<TextBlock>", "<TextLine>", '<String CONTENT="a"/>',
    '<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">',
    "</PcGts>", "<TextRegion>", "<TextEquiv><Unicode>", "</Unicode></TextEquiv>", "<html>",
    '<div class="ocr_page">', '<span class="ocr_line">', '<span class="ocrx_word">', "</span>",
    "<br>", "<!--", "-->", "<![CDATA[", "]]>", "<", ">", "\x00", "\xff", "\ufeff",
]  # fmt: skip
FILE_BYTES = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(st.sampled_from(XML_PIECES), st.text(CHARS, max_size=5)), max_size=30).map(
        lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
    ),
)


@given(FILE_BYTES, st.sampled_from([None, "text", "page", "alto", "hocr"]))
@settings(parent=FUZZ, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_file_reads_or_gives_an_input_error(
    tmp_path: Path, data: bytes, source: str | None
) -> None:
    path = tmp_path / "witness.xml"
    path.write_bytes(data)
    options = ReadOptions(source=None if source is None else SourceFormat(source), allow_empty=True)
    try:
        witness = read_witness(path, options=options)
    except InputError as error:
        assert "\n" not in str(error)
        return
    assume(witness.text.strip())
    collation = collate([witness, load_witness("some text", "other")])
    _check_alignment(collation)
    render_everything(collation)


def test_only_documented_errors_escape() -> None:
    """The fuzz tests above let only CollateError through; this names the contract."""
    with pytest.raises(CollateError):
        collate([load_witness("a", "A"), load_witness("b", "B")], CollationOptions(base="C"))
