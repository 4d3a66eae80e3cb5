"""Invisible differences: bidi controls and invisible characters are shown (terminal, HTML,
error messages) and kept (JSON, TEI); sigla a reader cannot tell apart get a warning."""

from __future__ import annotations

import io
import itertools
import json
import time
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from rich.console import Console

from collate._safe import printable, revealed
from collate.lookalike import lookalike_sigla, skeleton
from collate.pipeline import Collation, collate
from collate.readers import load_witness
from collate.render.html import render_html
from collate.render.json import render_json
from collate.render.tei import render_tei
from collate.render.terminal import Report
from tests.test_cli import run

RLO = "\u202e"
ZWSP = "\u200b"
CYRILLIC_A = "\u0410"
HIDDEN = [RLO, "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", ZWSP, "\u2060"]
HIDDEN += ["\u2064", "\ufeff"]


def test_bidi_controls_and_invisible_characters_are_escaped() -> None:
    for char in HIDDEN:
        assert revealed(f"a{char}b") == f"a\\u{ord(char):04x}b"
        assert printable(f"a{char}b") == f"a\\u{ord(char):04x}b"
    assert revealed(RLO + "0001") == "\\u202e0001"


def test_joiners_inside_a_sequence_and_variation_selectors_are_kept() -> None:
    for text in ("\U0001f469\u200d\U0001f680", "\u0645\u200c\u06cc", "\u2764\ufe0f", "x\ufe0e"):
        assert revealed(text) == text and printable(text) == text
    assert revealed("A\u200d") == "A\\u200d" and revealed("\u200c b") == "\\u200c b"
    assert revealed("\ufe0f") == "\ufe0f"  # a variation selector alone is not shown either


@given(st.text())
def test_visible_changes_only_what_it_escapes(text: str) -> None:
    shown = revealed(text)
    assert shown == text or "\\u" in shown
    for char in HIDDEN:
        assert char not in shown


def test_skeletons_of_lookalike_sigla() -> None:
    assert skeleton("A" + ZWSP) == skeleton(CYRILLIC_A) == skeleton("\u0391") == "A"
    assert skeleton("B" + RLO) == "B"
    assert lookalike_sigla(["A", "A" + ZWSP, CYRILLIC_A, "B"]) == [
        ("A", "A" + ZWSP),
        ("A", CYRILLIC_A),
        ("A" + ZWSP, CYRILLIC_A),
    ]
    assert lookalike_sigla(["A", "B", "a", "scan", "transcript"]) == []


def test_compare_warns_about_lookalike_sigla(tmp_path: Path) -> None:
    folder = tmp_path
    for name in ("A", "A" + ZWSP, CYRILLIC_A):
        (folder / f"{name}.txt").write_text("the sum is 1000 dollars\n")
    code, out, err = run("compare", *(str(folder / f"{n}.txt") for n in ("A", "A" + ZWSP)))
    assert code == 0 and "A\\u200b" in out and ZWSP not in out
    assert err == (
        "Warning: sigla 'A' and 'A\\u200b' (U+200B) look alike (invisible characters, or "
        "letters of another script); rename one of them\n"
    )
    code, _, err = run("compare", str(folder / "A.txt"), str(folder / f"{CYRILLIC_A}.txt"))
    assert code == 0 and f"'{CYRILLIC_A}' (U+0410) look alike" in err


def _override_collation() -> Collation:
    return collate(
        [
            load_witness("the sum is 1000 dollars", "A"),
            load_witness(f"the sum is {RLO}0001 dollars", "B" + RLO),
        ]
    )


def test_terminal_and_html_show_the_override_json_and_tei_keep_it() -> None:
    collation = _override_collation()
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(Report(collation, collation.variants))
    report = buffer.getvalue()
    assert RLO not in report and "\\u202e0001" in report and "B\\u202e" in report
    html = render_html(collation, collation.variants)
    assert RLO not in html and "\\u202e0001" in html and "<bdi>B\\u202e</bdi>" in html
    data = json.loads(render_json(collation, collation.variants))
    assert data["witnesses"][1]["siglum"] == "B" + RLO
    assert RLO + "0001" in json.dumps(data, ensure_ascii=False)
    tei = etree.fromstring(render_tei(collation, collation.variants).encode())
    assert RLO + "0001" in "".join(tei.itertext())


@given(st.lists(st.text(alphabet="A\u0410\u0391Ba\u200b1", min_size=1, max_size=3), max_size=12))
def test_lookalike_pairs_are_every_pair_with_one_skeleton(sigla: list[str]) -> None:
    shapes = [skeleton(s) for s in sigla]
    every_pair = [
        (sigla[i], sigla[j])
        for i, j in itertools.combinations(range(len(sigla)), 2)
        if sigla[i] != sigla[j] and shapes[i] == shapes[j]
    ]
    assert lookalike_sigla(sigla) == every_pair


def test_lookalike_sigla_of_many_witnesses_in_linear_time() -> None:
    sigla = [f"w{n}" for n in range(50_000)] + ["w1\u200b"]
    started = time.perf_counter()
    assert lookalike_sigla(sigla) == [("w1", "w1\u200b")]
    assert time.perf_counter() - started < 5  # every pair compared took minutes
