"""The CLI: exit codes, exact error lines, outputs, atomic writes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from collate import cli
from collate.cli import main
from tests.conftest import MEMO, ROOT

RECORD = MEMO / "record.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compare_folder_prints_the_table() -> None:
    code, out, _ = run("compare", str(MEMO), "--only", "substantive")
    assert code == 0
    assert "[have]" in out and "[the]" in out and "substantive" in out
    assert "Variants by category" in out and "Page furniture" in out


def test_compare_files_json_to_stdout() -> None:
    code, out, _ = run(
        "compare", str(MEMO / "scan.txt"), str(MEMO / "transcript.txt"), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert [w["siglum"] for w in data["witnesses"]] == ["scan", "transcript"]
    readings = [v["readings"] for v in data["variants"] if v["category"] == "substantive"]
    assert readings == [{"scan": "", "transcript": "have"}, {"scan": "the", "transcript": ""}]
    assert all(set(rank) == {"scan", "transcript"} for rank in data["alignment"])


def test_no_colour_when_not_a_terminal() -> None:
    _, out, _ = run("compare", str(MEMO))
    assert "\x1b[" not in out


def test_color_can_be_forced() -> None:
    _, out, _ = run("compare", str(MEMO), "--color")
    assert "\x1b[" in out


def test_a_witness_against_itself_has_no_variants() -> None:
    code, out, _ = run("compare", str(MEMO / "scan.txt"), str(MEMO / "scan.txt"))
    assert code == 0
    assert "scan-2" in out and "No variants: the witnesses agree." in out


def test_json_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, err = run("compare", str(MEMO), "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["base"] == "scan"
    assert f"Wrote {target}" in err


def test_failed_write_leaves_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous")
    code, _, _ = run("compare", str(MEMO), "--base", "nobody", "-o", str(target))
    assert code == 2 and target.read_text() == "previous"
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    ("setup", "code", "message"),
    [
        (
            lambda d: [str(d / "missing.txt"), str(d / "b.txt")],
            3,
            "missing.txt: no such file; check the path",
        ),
        (lambda d: [str(d / "empty")], 3, "empty: no witnesses in this folder"),
        (lambda d: [str(d / "bin.txt"), str(d / "b.txt")], 3, "bin.txt: looks like a binary file"),
        (lambda d: [str(d / "zero.txt"), str(d / "b.txt")], 3, "zero.txt: the file is empty"),
        (
            lambda d: [str(d / "latin.txt"), str(d / "b.txt")],
            3,
            "latin.txt: not valid utf-8 at byte 3",
        ),
        (lambda d: [str(d / "b.txt")], 3, "collation needs at least two"),
    ],
)
def test_bad_input_gives_one_error_line(tmp_path: Path, setup, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "empty").mkdir()
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x00\x00")
    (tmp_path / "zero.txt").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes("abcé".encode("latin-1"))
    (tmp_path / "b.txt").write_text("some text")
    exit_code, out, err = run("compare", *setup(tmp_path))
    assert exit_code == code
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert "Traceback" not in err


def test_other_encoding_with_option(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("café noir".encode("latin-1"))
    (tmp_path / "b.txt").write_bytes("cafe noir".encode("latin-1"))
    code, out, _ = run("compare", str(tmp_path), "--encoding", "latin-1")
    assert code == 0 and "café" in out


def test_usage_errors_exit_2() -> None:
    assert run("compare", str(MEMO), "--normalize", "cse")[0] == 2
    assert run("compare", str(MEMO), "--near-match", "0")[0] == 2
    assert run("compare", str(MEMO), "--only", "nonsense")[0] == 2
    code, _, err = run("compare", str(MEMO), "--base", "nobody")
    assert code == 2 and err.strip() == (
        "Error: --base nobody: no witness has that siglum; choose one of scan, transcript"
    )


def test_help_with_h() -> None:
    code, out, _ = run("compare", "-h")
    assert code == 0 and "Usage:" in out


def test_extract_makes_the_shipped_folder(tmp_path: Path) -> None:
    out_dir = tmp_path / "memo"
    code, _, err = run("extract", str(RECORD), "-o", str(out_dir))
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "metadata.json",
        "record.txt",
        "scan.txt",
        "transcript.txt",
    ]
    for name in ("scan.txt", "transcript.txt", "metadata.json", "record.txt"):
        assert (out_dir / name).read_bytes() == (MEMO / name).read_bytes(), name
    assert "Transcript - English (record lines 80-101)" in err


def test_extract_refuses_a_plain_text(tmp_path: Path) -> None:
    code, _, err = run("extract", str(MEMO / "transcript.txt"), "-o", str(tmp_path / "x"))
    assert code == 4
    assert err.startswith("Error: ") and "not an archive record" in err
    assert not (tmp_path / "x").exists()


def test_readme_commands_mention_the_shipped_witnesses() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "collate compare witnesses/harriman-1944-09-23" in readme
    assert "pytest" in readme


def test_extract_output_errors_exit_5(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("extract", str(RECORD), "-o", str(blocker))
    assert (
        code == 5
        and err.strip() == f"Error: {blocker}: exists and is not a folder; choose another -o"
    )
    code, _, err = run("extract", str(RECORD), "-o", str(blocker / "sub"))
    assert code == 5 and "cannot create the folder" in err
    assert blocker.read_text() == "x"


def test_output_equal_to_an_input_is_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two")
    b.write_text("one three")
    code, _, err = run("compare", str(a), str(b), "--format", "json", "-o", str(b))
    assert code == 2 and err.strip() == f"Error: {b}: is one of the input files; choose another -o"
    assert b.read_text() == "one three"
    code, _, _ = run("fidelity", str(a), str(b), "-o", str(a))
    assert code == 2 and a.read_text() == "one two"


def test_exact_alignment_option_reaches_the_aligner(lcs_calls: list[bool]) -> None:
    calls = lcs_calls
    scan, transcript = str(MEMO / "scan.txt"), str(MEMO / "transcript.txt")
    assert run("compare", scan, transcript, "--format", "json")[0] == 0
    assert calls[0] is False
    calls.clear()
    exact = run("compare", scan, transcript, "--format", "json", "--exact-alignment")
    assert exact[0] == 0 and calls[0] is True


def test_the_memo_loads_only_what_it_needs() -> None:
    """The command people run most (plain-text witnesses, a table on the terminal) does not
    load the XML readers, the file writer's temporary files, the HTML or TEI renderers."""
    code = (
        "import sys; from collate.cli import main\n"
        f"main(['compare', {str(MEMO)!r}], standalone_mode=False)\n"
        "print(' '.join(m for m in sys.modules if m in (\n"
        "    'collate.ocrxml', 'tempfile', 'xml.etree.ElementTree', 'html.parser',\n"
        "    'collate.render.html', 'collate.render.tei', 'regex')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "Variants" in done.stdout or "variants" in done.stdout
    assert done.stdout.splitlines()[-1].strip() == ""


@pytest.mark.parametrize(
    ("encoding", "code", "message"),
    [
        ("undefined", 2, "'undefined' is not a text encoding; give one such as utf-8 or cp1252"),
        ("rot13", 2, "'rot13' is not a text encoding; give one such as utf-8 or cp1252"),
        ("base64", 2, "'base64' is not a text encoding; give one such as utf-8 or cp1252"),
        ("nosuch", 2, "unknown encoding 'nosuch' for --encoding"),
        ("punycode", 3, "a.txt: not valid punycode ("),
    ],
)
def test_an_encoding_that_cannot_decode_is_one_error_line(
    tmp_path: Path, encoding: str, code: int, message: str
) -> None:
    (tmp_path / "a.txt").write_text("some text, with spaces\n")
    record = tmp_path / "a.txt"
    for args in (
        ("compare", str(record), str(record)),
        ("extract", str(record), "-o", str(tmp_path / "out")),
        ("fidelity", str(record), str(record)),
    ):
        exit_code, out, err = run(*args, "--encoding", encoding)
        expected = 2 if args[0] == "fidelity" else code  # fidelity exits 2 for every error
        assert (exit_code, out) == (expected, ""), args
        assert err.count("\n") == 1 and err.startswith("Error: ") and message in err, args


def test_view_table_draws_a_gap_unlike_a_dash_and_honours_only(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one - two three\n", encoding="utf-8")
    b.write_text("one two four three\n", encoding="utf-8")
    code, out, _ = run("compare", str(a), str(b), "--view", "table")
    assert code == 0
    rows = [line.split() for line in out.splitlines()[2:]]
    assert ["2", "-", "\u2205", "1"] in rows  # a's "-" token, b's gap
    assert ["4", "\u2205", "four", "2"] in rows
    code, out, _ = run("compare", str(a), str(b), "--view", "table", "--only", "substantive")
    ranks = [line.split()[0] for line in out.splitlines()[2:]]
    assert code == 0 and ranks == ["4"]  # only variant 2's rank; "-" is punctuation


def test_table_rank_is_the_json_rank_plus_one() -> None:
    data = json.loads(run("compare", str(MEMO), "--format", "json", "--only", "substantive")[1])
    first = data["variants"][0]["ranks"][0]
    out = run("compare", str(MEMO), "--view", "table", "--only", "substantive")[1]
    row = out.splitlines()[2].split()
    assert row[0] == str(first + 1) and row[-1] == str(data["variants"][0]["number"])


def test_html_to_a_terminal_asks_for_o(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    code, out, err = run("compare", str(MEMO), "--format", "html")
    assert code == 2 and out == ""
    assert err == "Error: --format html writes a whole web page; give -o FILE, or redirect stdout\n"
    monkeypatch.setattr(cli, "_on_terminal", lambda: False)
    code, out, _ = run("compare", str(MEMO), "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")


def test_readings_get_the_room_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run("compare", str(MEMO), "--only", "substantive")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("│ 29 │"))
    cells = row.split("│")[1:-1]
    assert len(row) == 80 and [len(cells[2]), len(cells[3])] == [25, 25]
    assert "kind" in out and "substantive" in out and "addition" in out
    monkeypatch.setenv("COLUMNS", "120")  # wide enough: a column each, sigla in "where"
    out = run("compare", str(MEMO), "--only", "substantive")[1]
    assert "│ scan p2:54 " in out and "┃ category" in out
