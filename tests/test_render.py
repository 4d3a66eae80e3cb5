"""Renderers: golden files on the memo, and any text renders.

Set COLLATE_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from collate._safe import json_encodable
from collate.model import Category, Location, Variant, VariantKind
from collate.pipeline import Collation
from collate.render import json as json_render
from collate.render.boxed import GridTable
from collate.render.grid import Grid
from collate.render.json import render_json
from collate.render.terminal import Report
from collate.variants import select
from tests.conftest import ROOT, collate_texts, witness_texts
from tests.oracles import json_document, json_tail

GOLDEN = Path(__file__).parent / "golden"


def _terminal(collation: Collation, width: int = 100) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(Report(collation, collation.variants))
    return buffer.getvalue()


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("COLLATE_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _relative(collation: Collation) -> str:
    return render_json(collation, collation.variants).replace(str(ROOT) + "/", "")


def test_terminal_report_golden(memo: Collation) -> None:
    _check("memo-table.txt", _terminal(memo).replace(str(ROOT) + "/", ""))


def test_json_golden(memo: Collation) -> None:
    _check("memo.json", _relative(memo))


def test_json_counts_match_variants(memo: Collation) -> None:
    data = json.loads(render_json(memo, select(memo.variants, [Category.SUBSTANTIVE])))
    assert data["counts"]["substantive"] == 2 and len(data["variants"]) == 2
    assert sum(data["counts"].values()) == 2


TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=120)


@given(TEXT, TEXT)
@settings(max_examples=80, deadline=None)
def test_every_renderer_accepts_any_text(a: str, b: str) -> None:
    collation = collate_texts(a, b)
    assert "Variants by category" in _terminal(collation, width=60)
    data = json.loads(render_json(collation, collation.variants))
    assert len(data["alignment"]) == len(collation.alignment.ranks)


_TEXT = st.text(st.sampled_from('ab "\\\u2028\ud800é.\n-\x00'), max_size=6)
_NUMBER = st.integers(0, 10**12)
_LOCATION = st.builds(Location, _NUMBER, _NUMBER, _NUMBER, _NUMBER)


@st.composite
def _variants(draw: st.DrawFn) -> Variant:
    sigla = tuple(draw(st.lists(_TEXT, min_size=1, max_size=4, unique=True)))
    n = len(sigla)
    moved = draw(st.none() | st.tuples(_NUMBER, _NUMBER))
    return Variant(
        number=draw(_NUMBER),
        kind=draw(st.none() | st.sampled_from(VariantKind)),
        category=draw(st.sampled_from(Category)),
        sigla=sigla,
        readings=tuple(draw(st.lists(_TEXT, min_size=n, max_size=n))),
        locations=tuple(draw(st.lists(_LOCATION, min_size=n, max_size=n))),
        context_before=draw(_TEXT),
        context_after=draw(_TEXT),
        first_rank=draw(_NUMBER),
        last_rank=draw(_NUMBER),
        moved=moved,
        moved_locations=()
        if moved is None
        else tuple(draw(st.lists(_LOCATION, min_size=n, max_size=n))),
        within=draw(st.none() | _NUMBER),
        contains=tuple(draw(st.lists(_NUMBER, max_size=3))),
        contexts=draw(st.just(()) | st.lists(st.tuples(_TEXT, _TEXT), min_size=n, max_size=n)),
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(_variants(), max_size=5), st.sampled_from([1, 2, 512]))
def test_variants_tail_is_what_json_dumps_gives(variants: list[Variant], chunk: int) -> None:
    saved = json_render._VARIANTS_CHUNK
    try:
        json_render._VARIANTS_CHUNK = chunk
        text = "".join(json_render._tail_pieces(variants))
    finally:
        json_render._VARIANTS_CHUNK = saved
    assert text == json.dumps(json_tail(variants), ensure_ascii=False)


def test_markup_in_witness_text_is_shown_literally() -> None:
    collation = collate_texts("a [bold]x[/bold] <script>", "a y <script>")
    out = _terminal(collation)
    assert "[bold]x[/bold]" in out


@settings(max_examples=60, deadline=None)
@given(witness_texts('ab "\\\u2028\ud800é.\n-'))
def test_json_alignment_text_is_what_json_dumps_gives(texts: list[str]) -> None:
    # render_json writes the alignment table straight from the columns; it must be exactly
    # the text the standard encoder gives for the same document.
    collation = collate_texts(*texts)
    expected = json_encodable(
        json.dumps(json_document(collation, collation.variants), ensure_ascii=False)
    )
    assert render_json(collation, collation.variants) == expected + "\n"
    saved = json_render._CHUNK
    try:  # written a rank at a time, the pieces join to the same text
        json_render._CHUNK = 1
        assert render_json(collation, collation.variants) == expected + "\n"
    finally:
        json_render._CHUNK = saved


@settings(max_examples=80, deadline=None)
@given(TEXT, TEXT)
def test_reading_spans_are_those_text_append_gives(a: str, b: str) -> None:
    # _reading builds the Text whole; the same plain text and spans as appending the pieces
    from rich.text import Text

    from collate._safe import printable
    from collate.render.terminal import STYLES, _reading

    for v in collate_texts(a, b, context=2).variants:
        for w, reading in enumerate(v.readings):
            before, after = v.contexts[w]
            text = Text()
            if before:
                text.append(printable(before), style="dim")
            text.append("[", style="dim")
            text.append(printable(reading), style=STYLES[v.category])
            text.append("]", style="dim")
            if after:
                text.append(printable(after), style="dim")
            built = _reading(v, w)
            assert (built.plain, built.spans) == (text.plain, text.spans)


def _plain(renderable: object, width: int) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=width, color_system=None, highlight=False).print(renderable)
    return buffer.getvalue()


_WORDS = st.lists(
    st.one_of(
        st.text(alphabet="abcdefghij", min_size=1, max_size=40),  # words too long to wrap
        st.text(alphabet="漢字かなアイ", min_size=1, max_size=12),  # two cells a character
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=8),
        st.sampled_from(["[sic]", "--", "e\u0301t\u00e9", "👍🏽", "\u200b", "a\u0300\u0301"]),
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=2, max_size=6), st.integers(16, 200), st.integers(0, 6))
def test_variant_table_is_drawn_as_rich_draws_it(
    texts: list[str], width: int, context: int
) -> None:
    # The variant list is laid out by collate.render.boxed, not by rich's Table (25 times
    # faster); where it fits, the text is exactly what rich's Table gives for the same cells.
    collation = collate_texts(*texts, context=context)
    report = Report(collation, collation.variants)
    table = report._table(report._readings())
    if table.widths(width) is None:  # too narrow: rich's own table
        return
    assert _plain(table, width) == _plain(table.fallback(), width)


def test_variant_table_in_colour_is_the_plain_text_styled(memo: Collation) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system="standard", force_terminal=True)
    console.print(Report(memo, memo.variants))
    coloured = buffer.getvalue()
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == _terminal(memo)
    assert "\x1b[1;31mhave\x1b[0m" in coloured  # the substantive reading, bold red
    assert "\x1b[1m#\x1b[0m" in coloured  # the header, bold


@settings(max_examples=120, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=5), st.integers(10, 200))
def test_alignment_table_is_drawn_as_rich_draws_it(texts: list[str], width: int) -> None:
    # --view table is laid out by collate.render.boxed.GridTable; where it fits, the same
    # text as rich's Table(box=None) for the same cells.
    console = Console(file=io.StringIO(), width=width)
    grid = next(iter(Grid(collate_texts(*texts)).__rich_console__(console, console.options)))
    assert isinstance(grid, GridTable)
    if grid.widths(width) is None:  # too wide: rich's own table, which wraps cells
        return
    assert _plain(grid, width) == _plain(grid.fallback(), width)


def test_alignment_table_in_colour_is_the_plain_text_styled(memo: Collation) -> None:
    plain, coloured = io.StringIO(), io.StringIO()
    Console(file=plain, width=100, color_system=None).print(Grid(memo))
    Console(file=coloured, width=100, color_system="standard", force_terminal=True).print(
        Grid(memo)
    )
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.getvalue()) == plain.getvalue()
    assert "\x1b[1;31mhave" in coloured.getvalue()  # the substantive reading, bold red
    assert "\x1b[3mAlignment table" in coloured.getvalue()  # the title, italic
