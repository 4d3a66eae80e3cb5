"""The HTML renderer, read as text: structure, escaping, selection, no network references."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from importlib.resources import files

from hypothesis import example, given, settings
from hypothesis import strategies as st

from collate.fidelity import measure_fidelity
from collate.metrics import CountingRules, WordConvention
from collate.model import Category
from collate.pipeline import Collation, collate
from collate.readers import load_witness
from collate.render.html import (
    CSP,
    _packed,
    _script_json,
    _side_by_side,
    _texts,
    entry_parts,
    render_html,
)
from collate.variants import select, starts
from tests.conftest import collate_texts
from tests.oracles import join
from tests.test_fuzz import check_html

DATA = re.compile(r'<script type="application/json" id="data">(.*?)</script>', re.S)


def _pane(page: str, pane_id: str) -> str:
    """The inner HTML of a text pane (panes hold no <div>)."""
    start = page.index(f'id="{pane_id}"')
    start = page.index(">", start) + 1
    return page[start : page.index("</div>", start)]


def _text(inner: str) -> str:
    """What a pane says of the witness: its text without badges, gap marks and page numbers."""
    inner = re.sub(r'<sup class="b">.*?</sup>|<span class="gap">∅</span>', "", inner)
    inner = re.sub(r'<span class="pb"[^>]*>[^<]*</span>', " ", inner)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", inner)).split())


def _entries(page: str) -> dict[int, str]:
    """Apparatus entries by number, as plain text."""
    found = re.findall(r'<li class="e [^"]*" id="e(\d+)"[^>]*>(.*?)</li>', page, re.S)
    return {int(n): " ".join(html.unescape(re.sub(r"<[^>]+>", "", e)).split()) for n, e in found}


def test_every_shown_variant_is_marked_once_per_view(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    for v in memo.variants:
        for pane in ("c0", "c1", "apptext"):
            assert _pane(page, pane).count(f'data-n="{v.number}"') == 1, (pane, v.number)
        assert page.count(f'id="e{v.number}"') == 1
        assert page.count(f'<sup class="b">{v.number}<') == 3  # two columns and the base text
    assert sorted(_entries(page)) == [v.number for v in memo.variants]


def test_columns_hold_each_whole_witness(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    for w, tokens in enumerate(memo.tokens):
        assert _text(_pane(page, f"c{w}")) == " ".join(join(tokens).split())
    base = memo.alignment.sigla.index(memo.base)
    assert _text(_pane(page, "apptext")) == " ".join(join(memo.tokens[base]).split())


def test_breaks_furniture_and_category_marks(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    scan, transcript = _pane(page, "c0"), _pane(page, "c1")
    assert scan.startswith('<span class="pb" role="separator">p. 1</span>')
    assert '<span class="pb" role="separator">p. 2</span>' in scan  # the scan has two pages
    assert "p. 2" not in transcript  # the transcript one
    assert "\n\n" in scan and "\n\n" in transcript  # paragraph breaks are kept
    assert '<span class="fu">Container 174, W.A. Harriman</span>' in _pane(page, "c0")
    assert re.search(
        r'<mark class="v c-substantive"[^>]*><sup class="b">29<span class="l">S<', page
    )
    assert '<span class="gap">∅</span>' in _pane(page, "c0")  # scan has no reading at 29


def test_agreeing_text_is_runs_of_text_not_elements(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    for w, tokens in enumerate(memo.tokens):
        elements = _pane(page, f"c{w}").count("<") // 2
        assert elements < len(tokens) / 4, (elements, len(tokens))


def test_apparatus_entries_in_the_conventional_form(memo: Collation) -> None:
    entries = _entries(render_html(memo, memo.variants))
    assert entries[29].startswith("29 have] add. transcript S substantive, addition, p. 2:")
    assert entries[30].startswith("30 the] om. transcript S substantive, omission, p. 2:")
    assert entries[22].startswith("22 --] - transcript P punctuation, substitution")
    assert entries[12].startswith("12 Retain class'n … as shown] om. transcript")


def test_witnesses_with_one_reading_are_grouped() -> None:
    collation = collate_texts("a b c", "a x c", "a x c", "a c")
    (variant,) = collation.variants
    assert entry_parts(variant, "A") == ("b", [("", "x", ["B", "C"]), ("om.", "", ["D"])])
    collation = collate_texts("a c", "a b c", "a b c", "a d c")
    (variant,) = collation.variants
    assert entry_parts(variant, "A") == ("b", [("add.", "", ["B", "C"]), ("add.", "d", ["D"])])


def test_header_names_witnesses_counts_and_fidelity(memo: Collation) -> None:
    fidelity = measure_fidelity(memo, CountingRules())
    page = render_html(memo, memo.variants, fidelity, title="Harriman & Stalin")
    assert "<title>Harriman &amp; Stalin</title>" in page
    assert "<h1>Harriman &amp; Stalin</h1>" in page
    for w in memo.witnesses:
        assert html.escape(w.label) in page and html.escape(w.path or "") in page
    assert '<output data-shown="furniture">17</output>' in page
    assert '<output id="shown">30</output> of 30 selected variants' in page
    assert f"<td>{fidelity.measures.chars.rate:.2%}</td>" in page
    assert f"<td>{fidelity.text_only.words.rate:.2%}</td>" in page
    assert "Fidelity of" not in render_html(memo, memo.variants)
    assert '<th scope="col">WER (words:tokens)</th>' in page
    unicode = measure_fidelity(memo, CountingRules(words=WordConvention.UNICODE))
    page = render_html(memo, memo.variants, unicode)
    assert '<th scope="col">WER (words:unicode)</th>' in page


def test_self_contained_with_a_strict_policy(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "default-src 'none'" in CSP and "connect-src" not in CSP
    assert '<link rel="icon" href="data:,">' in page
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"@import|url\(|<iframe|<object|<embed|<img|<link rel=.?stylesheet", page)
    assert page.count("<script") == 2 and page.count("<style") == 1


def test_assets_cannot_close_their_elements() -> None:
    for name in ("collate.css", "collate.js", "nesting.css", "nesting.js"):
        text = files("collate.render").joinpath("html_assets", name).read_text(encoding="utf-8")
        assert "</script" not in text.lower() and "</style" not in text.lower()
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text


def test_data_block_is_escaped_json(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    (block,) = DATA.findall(page)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    assert data["sigla"] == ["scan", "transcript"] and data["base"] == "scan"
    assert [v["n"] for v in data["variants"]] == [v.number for v in memo.variants]
    assert data["variants"][28]["readings"] == ["", "have"]


def test_script_json_escapes_what_could_end_the_block() -> None:
    text = _script_json({"s": "</script><!-- & \u2028\u2029"})
    assert text == '{"s":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}'
    assert json.loads(text) == {"s": "</script><!-- & \u2028\u2029"}


def test_hostile_witness_is_only_text() -> None:
    hostile = load_witness('a <script>alert(1)</script> & "q" &amp; </script', "A")
    page = render_html(collate([hostile, load_witness('a b & "q"', "B")]), [])
    assert "<script>alert" not in page and page.lower().count("</script") == 2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&amp;amp;" in page and "&quot;q&quot;" in page
    page = render_html(collate([hostile, load_witness('a b & "q"', "B")]), (), title="<u>T</u>")
    assert "<u>" not in page and "<title>&lt;u&gt;T&lt;/u&gt;</title>" in page
    collation = collate([hostile, load_witness('a b & "q"', "B")])
    page = render_html(collation, collation.variants)
    (block,) = DATA.findall(page)
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in block
    assert json.loads(block)["variants"][0]["readings"][0] == "<script>alert(1)</script>"


def test_a_selection_marks_only_its_variants(memo: Collation) -> None:
    chosen = select(memo.variants, [Category.SUBSTANTIVE])
    page = render_html(memo, chosen)
    assert sorted(_entries(page)) == [29, 30]
    assert set(re.findall(r'<mark class="v [^"]*" id="c0-v(\d+)"', page)) == {"29", "30"}
    assert (
        '<output id="shown">2</output> of 2 selected variants shown (30 in the collation)' in page
    )
    assert [v["n"] for v in json.loads(DATA.findall(page)[0])["variants"]] == [29, 30]
    for w, tokens in enumerate(memo.tokens):  # the others stay, as plain text
        assert _text(_pane(page, f"c{w}")) == " ".join(join(tokens).split())


def test_no_variants() -> None:
    collation = collate_texts("the same text", "the same text")
    page = render_html(collation, collation.variants)
    assert "No variants in the selection." in page and "<mark" not in page


TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80)


@given(TEXT, TEXT)
@example("0;", "0:;")  # a gap between two tokens the witness joins: no space added there
@settings(max_examples=60, deadline=None)
def test_any_text_renders_whole_and_escaped(a: str, b: str) -> None:
    collation = collate_texts(a, b)
    page = render_html(collation, collation.variants)
    for w, tokens in enumerate(collation.tokens):
        assert _text(_pane(page, f"c{w}")) == " ".join(join(tokens).split())
    (block,) = DATA.findall(page)
    assert len(json.loads(block)["variants"]) == len(collation.variants)
    assert page.lower().count("<script") == 2


NESTED = ("a b c d e f g h i j", "a b <x>&amp; d e y g z i j", "a j", "a b g z i j")


class _Marks(HTMLParser):
    """Each variant mark of one pane (by ``id`` prefix), with the mark it lies in."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix, self.open, self.parent = prefix, [0], {}
        self.outer: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "mark":
            return
        found = dict(attrs)
        n = int(found["data-n"] or 0) if (found["id"] or "").startswith(self.prefix) else 0
        if n:
            self.parent[n] = self.open[-1] or None
            if " o " in f" {found['class']} ":
                self.outer.add(n)
        self.open.append(n or self.open[-1])

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open.pop()


def _marks(page: str, prefix: str) -> _Marks:
    parser = _Marks(prefix)
    parser.feed(page)
    return parser


def _columns(collation: Collation) -> str:
    """The side-by-side columns of every witness (a page of three or more witnesses writes
    them with its script; the columns of the two-witness page come from the same code)."""
    columns, _ = _texts(collation, starts(collation.variants))
    return "".join(_side_by_side(collation, columns))


def test_an_outer_mark_holds_the_marks_inside_it() -> None:
    collation = collate_texts(*NESTED)
    full = render_html(collation, collation.variants)
    check_html(full)
    page = _columns(collation) + full
    within = {v.number: v.within for v in collation.variants}
    for prefix in ("c0-v", "c1-v", "c2-v", "c3-v", "a-v"):
        marks = _marks(page, prefix)
        assert marks.parent == within, prefix
        assert marks.outer == {1, 3}
    for w, text in enumerate(NESTED):
        assert _text(_pane(page, f"c{w}")) == text
    assert "&lt;x&gt;&amp;amp;" in _pane(page, "c1") and "<x>" not in full
    entries = _entries(page)
    assert entries[1].endswith("holds 5") and entries[3].endswith("in 1, holds 3")
    assert entries[4].endswith("in 3") and "holds" not in entries[4]
    (block,) = DATA.findall(page)
    data = {v["n"]: v for v in json.loads(block)["variants"]}
    assert data[1]["contains"] == [2, 3, 7, 8, 9] and "within" not in data[1]
    assert data[4]["within"] == 3 and "contains" not in data[4]
    assert "mark.v.o" in page and "MutationObserver" in page


def test_a_page_without_nesting_has_no_nesting_assets(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    assert "mark.v.o" not in page and "MutationObserver" not in page and " o c-" not in page
    outer_left_out = collate_texts(*NESTED)
    inner = [v for v in outer_left_out.variants if not v.contains]
    assert "mark.v.o" not in render_html(outer_left_out, inner)


@given(
    st.lists(st.lists(st.sampled_from("abcdef"), max_size=10).map(" ".join), min_size=3, max_size=5)
)
@settings(max_examples=60, deadline=None)
def test_nested_marks_keep_every_witness_whole(texts: list[str]) -> None:
    collation = collate_texts(*texts)
    page = _columns(collation)
    within = {v.number: v.within for v in collation.variants}
    for w, text in enumerate(texts):
        assert _text(_pane(page, f"c{w}")) == text
        assert _marks(page, f"c{w}-v").parent == within


# Three or more witnesses: the page opens on the apparatus; the script builds the other views


def _many(page: str) -> dict[str, object]:
    (block,) = DATA.findall(page)
    return json.loads(block)["many"]  # type: ignore[no-any-return]


def test_a_page_of_three_witnesses_opens_on_the_apparatus_and_escapes_everything() -> None:
    witnesses = [
        load_witness("a <q>c</q> & d", "<i>A</i>"),
        load_witness("a <script>x</script> d", "B&amp;"),
        load_witness("a c d \u2028", "C\u202e"),
    ]
    collation = collate(witnesses)
    page = render_html(collation, collation.variants)
    check_html(page)
    assert '<main data-view="app">' in page and 'id="c0"' not in page
    assert "<q>" not in page and "<i>A</i>" not in page and "<script>x" not in page
    assert "&lt;i&gt;A&lt;/i&gt;" in page and "B&amp;amp;" in page
    assert (
        "the choice of base, the table" in page
        and "tab-table" in page
        and "<bdi>C\\u202e</bdi>" in page
    )
    many = _many(page)
    assert many["places"] and all(isinstance(s, str) for s in many["stretches"])  # type: ignore[union-attr]


def test_a_two_witness_page_has_none_of_the_many_witness_views(memo: Collation) -> None:
    page = render_html(memo, memo.variants)
    assert "tab-table" not in page and "histogram" not in page and "the choice of base" not in page
    assert '<main data-view="sbs">' in page


@given(
    st.lists(st.lists(st.sampled_from("abcdef"), max_size=10).map(" ".join), min_size=3, max_size=5)
)
@settings(max_examples=60, deadline=None)
def test_stretches_and_the_base_readings_of_the_places_make_the_base_text(
    texts: list[str],
) -> None:
    """What the table and side by side are built from: the shared stretches between the
    outermost places and each place's reading give back the base text, and so does any
    witness's readings (every witness reads the stretches)."""
    collation = collate_texts(*texts)
    many = _many(render_html(collation, collation.variants))
    readings = {v.number: v.readings for v in collation.variants}
    stretches, places = many["stretches"], many["places"]
    for w, text in enumerate(texts):
        pieces = [stretches[0]]  # type: ignore[index]
        for k, n in enumerate(places):  # type: ignore[arg-type]
            pieces += [readings[n][w], stretches[k + 1]]  # type: ignore[index]
        assert " ".join(" ".join(pieces).split()) == text


def _unpacked(field: list[object], count: int) -> list[object]:
    """A packed field as many-data.js unpacks it: one value per witness."""
    values, codes = field[0], field[1] if len(field) > 1 else None
    assert isinstance(values, list)
    if codes is None:
        return [values[0]] * count
    if isinstance(codes, str):
        return [values[ord(c) - 48] for c in codes]
    assert isinstance(codes, list)
    return [values[k] for k in codes]


@given(
    st.lists(
        st.lists(st.sampled_from(["a", "b", "<c>", "d\u2028", "e\\"]), max_size=8).map(" ".join),
        min_size=3,
        max_size=6,
    )
)
@settings(max_examples=60, deadline=None)
def test_a_page_of_many_witnesses_packs_every_witness_s_reading_context_and_place(
    texts: list[str],
) -> None:
    collation = collate_texts(*texts)
    (block,) = DATA.findall(render_html(collation, collation.variants))
    variants = json.loads(block)["variants"]
    count = len(texts)
    for packed, v in zip(variants, collation.variants, strict=True):
        assert _unpacked(packed["readings"], count) == list(v.readings)
        places = [[loc.page, loc.line] for loc in v.locations]
        assert _unpacked(packed["where"], count) == places
        assert len(_unpacked(packed["contexts"], count)) == count


def test_a_field_of_more_values_than_characters_is_packed_as_indices() -> None:
    values = [f"r{k}" for k in range(0xD800)]
    packed = _packed(values)
    assert isinstance(packed[1], list) and _unpacked(packed, len(values)) == values
    few = _packed(["x", "y", "x"])
    assert few == [["x", "y"], "010"] and _packed(["z", "z"]) == [["z"]]


def test_a_page_of_many_witnesses_reads_its_data_once_through_many_data_js() -> None:
    collation = collate_texts("a b c", "a x c", "a b d")
    page = render_html(collation, collation.variants)
    assert page.count("JSON.parse(") == 1 and "collateData()" in page
    assert page.index("const collateData") < page.index("filters, navigation, scroll sync")
