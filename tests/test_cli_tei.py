"""`collate compare` on TEI transcriptions: detection, the TEI options, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from collate.cli import main

PTA = Path(__file__).resolve().parent / "data" / "tei" / "pta"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_two_manuscripts_collate_from_their_tei_files() -> None:
    code, out, _ = run("compare", str(PTA / "Ms47.xml"), str(PTA / "Ms57.xml"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    witnesses = {w["siglum"]: w for w in data["witnesses"]}
    assert set(witnesses) == {"Ms47", "Ms57"}
    assert data["variants"]


def test_both_correction_layers_are_two_witnesses() -> None:
    code, out, _ = run(
        "compare", str(PTA / "Ms57.xml"), "--tei-corrections", "both", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert [w["siglum"] for w in data["witnesses"]] == ["Ms57", "Ms57 (a.c.)"]
    readings = [v["readings"] for v in data["variants"]]
    # the heading's <del>περὶ</del> is read only before correction
    assert {"Ms57": "", "Ms57 (a.c.)": "περὶ"} in readings


def test_original_choice_reads_the_abbreviation(tmp_path: Path) -> None:
    body = "<p>χάριτι <choice><expan>θεοῦ</expan><abbr>θῦ</abbr></choice></p>"
    tei = f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>'
    (tmp_path / "a.xml").write_text(tei, encoding="utf-8")
    (tmp_path / "b.txt").write_text("χάριτι θεοῦ\n", encoding="utf-8")
    args = ["compare", str(tmp_path / "a.xml"), str(tmp_path / "b.txt"), "--format", "json"]
    assert json.loads(run(*args)[1])["variants"] == []
    code, out, _ = run(*args, "--tei-choice", "original")
    assert code == 0
    assert json.loads(out)["variants"]


def test_a_tei_file_without_a_body_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    code, _, err = run("compare", str(tmp_path / "a.xml"), str(PTA / "Ms47.xml"))
    assert code == 3
    assert err == (
        f"Error: {tmp_path / 'a.xml'}: the TEI file has no <text>/<body>; give a file with its "
        "text\n"
    )


def test_input_format_tei_refuses_other_xml(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<alto><x/></alto>")
    code, _, err = run(
        "compare", "--input-format", "tei", str(tmp_path / "a.xml"), str(PTA / "Ms47.xml")
    )
    assert code == 3
    assert err == (
        f"Error: {tmp_path / 'a.xml'}: XML with root element <alto> is not TEI; give a TEI file "
        "(root element <TEI>)\n"
    )


def test_page_names_in_every_output_that_shows_pages() -> None:
    args = ["compare", str(PTA / "Ms57.xml"), str(PTA / "Ms47.xml"), "--no-color"]
    code, out, _ = run(*args)
    assert code == 0
    assert "Ms57 p44r:" in out and "Ms47 p67:" in out
    data = json.loads(run(*args, "--format", "json")[1])
    names = {w["siglum"]: w.get("page_names") for w in data["witnesses"]}
    assert names == {"Ms57": ["44r", "44v"], "Ms47": ["67"]}
    html = run(*args, "--format", "html")[1]
    assert '<span class="pb" role="separator">p. 44v</span>' in html
    assert "p. 44r:" in html
    tei = run(*args, "--format", "tei")[1]
    assert 'n="44v"' in tei


def test_a_page_number_line_in_tei_does_not_break_the_page(tmp_path: Path) -> None:
    body = "<pb n='7'/><p>one two</p><p>- 2 -</p><p>three four</p>"
    tei = f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>'
    (tmp_path / "a.xml").write_text(tei, encoding="utf-8")
    (tmp_path / "b.txt").write_text("one two - 2 - three five\n", encoding="utf-8")
    data = json.loads(
        run("compare", str(tmp_path / "a.xml"), str(tmp_path / "b.txt"), "--format", "json")[1]
    )
    assert {v["locations"]["a"]["page"] for v in data["variants"]} == {1}
