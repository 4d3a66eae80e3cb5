"""Each witness's own context of a variant (collate/contexts.py), in every renderer."""

from __future__ import annotations

import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from collate.contexts import _SPACE
from collate.model import Category
from collate.render.html import render_html
from collate.render.json import render_json
from collate.render.terminal import Report
from tests import oracles
from tests.conftest import collate_texts

A = "It was the age of wisdom, it was the colour of folly. The end."
B = "It was the age of wisdom, it was the color of whim. The end."


def _only(collation_text: str, reading: str) -> list[str]:
    return [line for line in collation_text.splitlines() if reading in line]


def test_each_witness_reads_in_its_own_context() -> None:
    collation = collate_texts(A, B)
    folly = next(v for v in collation.variants if v.readings == ("folly", "whim"))
    assert folly.contexts == (
        ("was the colour of ", ". The end."),
        ("was the color of ", ". The end."),
    )
    assert folly.context_before == "was the colour of"  # the base's, as before


def test_context_keeps_the_witness_spacing_and_collapses_whitespace() -> None:
    collation = collate_texts('he said on Monday."\nThen', 'he said on Monday,\n\n  ."\nThen')
    comma = next(v for v in collation.variants if v.readings == ("", ","))
    assert comma.contexts[0] == ("he said on Monday", '." Then')
    assert comma.contexts[1] == ("he said on Monday", ' ." Then')


@given(st.text(st.sampled_from("a \t\n\r\x0b\x0c\x85\xa0\u2003\u3000"), max_size=20))
def test_whitespace_runs_collapse_to_one_space(text: str) -> None:
    assert _SPACE.sub(" ", text) == re.sub(r"\s+", " ", text)


def test_terminal_and_json_and_html_give_each_witness_its_context() -> None:
    collation = collate_texts(A, B)
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(Report(collation, collation.variants))
    row = _only(buffer.getvalue(), "[folly]")[0]
    assert "was the colour of [folly]. The end." in row
    assert "was the color of [whim]. The end." in row
    document = json.loads(render_json(collation, collation.variants))
    folly = next(v for v in document["variants"] if v["readings"]["A"] == "folly")
    assert folly["contexts"] == {
        "A": {"before": "was the colour of ", "after": ". The end."},
        "B": {"before": "was the color of ", "after": ". The end."},
    }
    assert folly["context"] == {"before": "was the colour of", "after": ". The end."}
    assert '["was the color of ","' in render_html(collation, collation.variants)


@settings(max_examples=60, deadline=None)
@given(st.text("ab .,\n", max_size=30), st.text("ab .,\n", max_size=30))
def test_a_context_is_the_witness_text_around_its_reading(a: str, b: str) -> None:
    collation = collate_texts(a, b)
    squeezed = [" ".join(t.split()) for t in (a, b)]
    for v in collation.variants:
        for w, (before, after) in enumerate(v.contexts):
            around = f"{before}{v.readings[w]}{after}"
            assert " ".join(around.split()) in squeezed[w]


_WORDS = st.sampled_from(["a", "b", "c", "the", "dog", ",", ".", "x-y", "n\x00ul"])
_GAPS = st.sampled_from([" ", "  ", "\n", " \n\t "])


@st.composite
def _witness_texts(draw: st.DrawFn) -> list[str]:
    texts = []
    for _ in range(draw(st.integers(2, 4))):
        words = draw(st.lists(_WORDS, max_size=25))
        gaps = draw(st.lists(_GAPS, min_size=len(words), max_size=len(words)))
        texts.append("".join(g + w for g, w in zip(gaps, words, strict=True)))
    return texts


@settings(max_examples=80, deadline=None)
@given(_witness_texts(), st.integers(1, 5))
def test_contexts_match_the_definition_walked_rank_by_rank(texts: list[str], size: int) -> None:
    collation = collate_texts(*texts, context=size)
    table = collation.alignment
    for v in collation.variants:
        body_only = v.category is not Category.FURNITURE
        expected = tuple(
            oracles.witness_context(
                table, v.first_rank, v.last_rank, body_only, w, witness.text, size
            )
            for w, witness in enumerate(collation.witnesses)
        )
        assert v.contexts == expected
