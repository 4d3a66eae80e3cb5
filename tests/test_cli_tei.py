"""`collate compare` on TEI transcriptions: detection, the TEI options, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from collate._safe import json_encodable
from collate.cli import main
from collate.pipeline import collate
from collate.readers import read_witnesses
from collate.render.json import render_json
from tests.oracles import json_document

PTA = Path(__file__).resolve().parent / "data" / "tei" / "pta"
SECTIONS = Path(__file__).resolve().parent / "data" / "tei" / "sections"
A, B = str(SECTIONS / "a.xml"), str(SECTIONS / "b.xml")


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
    assert "Ms57 §1 p44r:" in out and "Ms47 §1 p67:" in out
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


def test_sections_in_every_output_that_shows_locations() -> None:
    code, out, _ = run("compare", A, B, "--no-color")
    assert code == 0
    assert "a §2.1 p1r:6" in out and "b §2.2 p12v:8" in out
    data = json.loads(run("compare", A, B, "--format", "json")[1])
    assert data["witnesses"][0]["sections"] == [
        {"start": 7, "id": "1"},
        {"start": 33, "id": "2.1"},
        {"start": 60, "id": "2.2"},
    ]
    first = data["variants"][0]["locations"]
    assert first["a"] == {"page": 1, "line": 6, "section": "2.1", "start": 53, "end": 57}
    html = run("compare", A, B, "--format", "html")[1]
    assert "substitution, § 2.1, p. 1r:6" in html
    assert '"where":[["§ 2.1, p. 1r",6],["§ 2.1, p. 12r",6]]' in html
    tei = run("compare", A, B, "--format", "tei")[1]
    assert '<milestone unit="section" n="2.2" edRef="#b" />' in tei


def test_a_witness_without_sections_has_no_section_field(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("in principio erat verbum\n", encoding="utf-8")
    data = json.loads(run("compare", A, str(tmp_path / "b.txt"), "--format", "json")[1])
    assert "sections" not in data["witnesses"][1]
    assert all("section" not in v["locations"]["b"] for v in data["variants"])
    assert all("section" in v["locations"]["a"] for v in data["variants"])


def test_tei_div_reads_the_divisions_given() -> None:
    code, out, _ = run("compare", A, B, "--tei-div", "2.2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [v["readings"] for v in data["variants"]] == [{"a": "", "b": "illud"}]
    code, out, _ = run("compare", A, B, "--tei-div", "1", "--tei-div", "2.1", "--format", "json")
    assert [v["readings"] for v in json.loads(out)["variants"]] == [{"a": "deum", "b": "dominum"}]


def test_a_division_a_file_lacks_is_one_error_line() -> None:
    code, _, err = run("compare", A, B, "--tei-div", "9")
    assert code == 3
    assert err == (
        f"Error: {A}: --tei-div 9: no such <div>, <ab> or <p> (by @n path or xml:id); its "
        "divisions are 1, 2, 2.1, 2.2\n"
    )
    code, _, err = run("fidelity", A, B, "--tei-div", "9")
    assert code == 2
    assert err.startswith(f"Error: {A}: --tei-div 9: no such <div>")


def test_fidelity_reads_tei_with_the_tei_options() -> None:
    code, out, _ = run("fidelity", A, B, "--format", "json", "--tei-div", "2.2")
    assert code == 0
    assert (json.loads(out)["word_total"], json.loads(out)["word_insertions"]) == (4, 1)
    code, out, _ = run("fidelity", A, B, "--format", "json", "--tei-div", "1")
    assert json.loads(out)["wer"] == 0
    code, _, err = run("fidelity", A, B, "--tei-corrections", "both")
    assert code == 2
    assert err == (
        "Error: --tei-corrections both makes two witnesses of each TEI file; fidelity measures "
        "one text against one reference: give after or before\n"
    )


def test_batch_reads_tei_with_the_tei_options_and_header_labels(tmp_path: Path) -> None:
    for name in ("a.xml", "b.xml"):
        (tmp_path / name).write_bytes((SECTIONS / name).read_bytes())
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("document,siglum,path\nsermo,A,a.xml\nsermo,B,b.xml\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["batch", str(manifest), "-o", str(out), "-j", "1", "-q", "--force"]
    code, _, _ = run(*args, "--tei-div", "2.2")
    assert code == 0
    data = json.loads((out / "sermo" / "collation.json").read_text(encoding="utf-8"))
    labels = [w["label"] for w in data["witnesses"]]
    assert labels == [
        "Roma, Biblioteca Apostolica Vaticana, Vat. gr. 1",
        "Firenze, Biblioteca Laurenziana, Plut. 4.1",
    ]
    assert [v["readings"] for v in data["variants"]] == [{"A": "", "B": "illud"}]
    code, _, _ = run(*args, "--tei-corrections", "both", "--tei-div", "9")
    assert code == 1  # the document fails; the batch goes on


SIGLA = Path(__file__).resolve().parent / "data" / "tei" / "sigla"


def test_compare_takes_the_sigla_the_headers_name() -> None:
    files = [str(SIGLA / f"{n}.xml") for n in ("abbr", "idno", "altidentifier", "edition")]
    code, out, _ = run("compare", *files, "--format", "json")
    assert code == 0
    assert [w["siglum"] for w in json.loads(out)["witnesses"]] == ["V", "F 2", "Π", "edition"]
    code, out, _ = run("compare", *files[:2], "--no-color")
    assert out.startswith("Collation of V (") and "│ F 2 p1:1 │" in out


def test_both_layers_of_a_header_siglum() -> None:
    code, out, _ = run(
        "compare", str(SIGLA / "corrected.xml"), "--tei-corrections", "both", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert [w["siglum"] for w in data["witnesses"]] == ["O", "O (a.c.)"]
    assert [v["readings"] for v in data["variants"]] == [{"O": "deum", "O (a.c.)": "dominum"}]


def _tei_with_siglum(path: Path, siglum: str) -> Path:
    header = f'<teiHeader><abbr type="siglum">{siglum}</abbr></teiHeader>'
    body = "<text><body><p>the sum is 1000 dollars</p></body></text>"
    path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{header}{body}</TEI>')
    return path


def test_a_hostile_header_siglum_is_handled_as_one_from_a_file_name(tmp_path: Path) -> None:
    (tmp_path / "A.txt").write_text("the sum is 1000 dollars\n")
    hidden = _tei_with_siglum(tmp_path / "h.xml", "A&#x200B;")
    code, out, err = run("compare", str(tmp_path / "A.txt"), str(hidden))
    assert code == 0 and "A\\u200b" in out and "\u200b" not in out
    assert err == (
        "Warning: sigla 'A' and 'A\\u200b' (U+200B) look alike (invisible characters, or "
        "letters of another script); rename one of them\n"
    )
    hostile = _tei_with_siglum(tmp_path / "b.xml", "B&#x202E;&#x9B;[red]x")
    (tmp_path / "c.txt").write_text("the sum is 0001 dollars\n")
    args = ["compare", str(hostile), str(tmp_path / "c.txt")]
    code, out, _ = run(*args, "--no-color")
    assert code == 0 and out.startswith("Collation of B\\u202e\\x9b[red]x (")
    assert "\u202e" not in out and "\x9b" not in out
    data = json.loads(run(*args, "--format", "json")[1])
    assert data["witnesses"][0]["siglum"] == "B\u202e\x9b[red]x"
    html = run(*args, "--format", "html")[1]
    assert "\u202e" not in html and "<bdi>B\\u202e" in html


def test_fidelity_takes_header_sigla_and_names_a_clash(tmp_path: Path) -> None:
    code, out, _ = run(
        "fidelity", str(SIGLA / "abbr.xml"), str(SIGLA / "idno.xml"), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["reference"]["siglum"], data["hypothesis"]["siglum"]) == ("V", "F 2")
    copy = tmp_path / "copy.xml"
    copy.write_bytes((SIGLA / "abbr.xml").read_bytes())
    code, out, _ = run("fidelity", str(SIGLA / "abbr.xml"), str(copy), "--format", "json")
    assert code == 0
    data = json.loads(out)
    sigla = (data["reference"]["siglum"], data["hypothesis"]["siglum"])
    assert sigla == ("reference", "hypothesis")


def test_batch_takes_the_manifest_siglum_else_the_header(tmp_path: Path) -> None:
    source = tmp_path / "docs"
    (source / "sermo").mkdir(parents=True)
    for name in ("abbr", "idno"):  # TEI in *.txt files: a folder without metadata.json
        (source / "sermo" / f"{name}.txt").write_bytes((SIGLA / f"{name}.xml").read_bytes())
    out = tmp_path / "out"
    code, _, _ = run("batch", str(source), "-o", str(out), "-j", "1", "-q")
    assert code == 0
    data = json.loads((out / "sermo" / "collation.json").read_text(encoding="utf-8"))
    assert [w["siglum"] for w in data["witnesses"]] == ["V", "F 2"]
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "document,siglum,path\nsermo,A,docs/sermo/abbr.txt\nsermo,B,docs/sermo/idno.txt\n",
        encoding="utf-8",
    )
    code, _, _ = run("batch", str(manifest), "-o", str(tmp_path / "out2"), "-j", "1", "-q")
    assert code == 0
    data = json.loads((tmp_path / "out2" / "sermo" / "collation.json").read_text("utf-8"))
    assert [w["siglum"] for w in data["witnesses"]] == ["A", "B"]


def test_json_with_sections_is_what_json_dumps_gives(tmp_path: Path) -> None:
    # the JSON is written as text straight from the variants; with sections (one witness
    # with them, one without) it is exactly the standard encoder's text of the document
    (tmp_path / "c.txt").write_text("in principio erat verbum\n", encoding="utf-8")
    witnesses = read_witnesses([Path(A), Path(B), tmp_path / "c.txt"])
    collation = collate(witnesses)
    expected = json.dumps(json_document(collation, collation.variants), ensure_ascii=False)
    assert render_json(collation, collation.variants) == json_encodable(expected) + "\n"
