"""`collate fidelity`: figures, gate exit codes, pairs, outputs and errors."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from collate.fidelity import Measures, text_only_warning
from collate.metrics import EditCounts
from tests.conftest import MEMO
from tests.test_cli import run

SCAN, TRANSCRIPT = str(MEMO / "scan.txt"), str(MEMO / "transcript.txt")


def test_json_fields() -> None:
    code, out, _ = run("fidelity", TRANSCRIPT, SCAN, "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in ("cer", "wer", "char_distance", "char_total", "word_distance", "word_total"):
        assert key in data
    assert data["cer"] == data["char_distance"] / data["char_total"]
    assert data["rules"] == ["nfc", "whitespace-collapsed", "grapheme-clusters"]
    assert data["text_only"]["word_distance"] == 2
    categories = {c["category"]: c for c in data["categories"]}
    assert categories["furniture"]["char_distance"] > 300
    assert [p["page"] for p in data["pages"]] == [1, 2]


def test_terminal_report_names_rules_and_scopes() -> None:
    code, out, _ = run("fidelity", TRANSCRIPT, SCAN, "--ignore-case")
    assert code == 0
    assert "Counting rules: nfc, whitespace-collapsed, grapheme-clusters, ignore-case" in out
    assert "text only (no furniture, markup)" in out
    assert "Where the errors are" in out and "Per page of scan" in out


def test_gate() -> None:
    assert run("fidelity", TRANSCRIPT, SCAN, "--max-cer", "0.5")[0] == 0
    code, _, err = run("fidelity", TRANSCRIPT, SCAN, "--max-cer", "0.02")
    assert code == 1 and "Gate failed: CER 0.0897 > --max-cer 0.02" in err
    args = ("--exclude", "furniture", "--exclude", "markup", "--max-cer", "0.01")
    assert run("fidelity", TRANSCRIPT, SCAN, *args)[0] == 0
    assert run("fidelity", TRANSCRIPT, SCAN, "--max-wer", "0.001")[0] == 1


def test_input_and_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = run("fidelity", str(tmp_path / "nope.txt"), SCAN)
    assert code == 2 and err.startswith("Error: ") and "no such file" in err
    bad = tmp_path / "eq.txt"
    bad.write_text("# comment\nſ s\n")
    code, _, err = run("fidelity", TRANSCRIPT, SCAN, "--equivalences", str(bad))
    assert code == 2 and f"{bad}:2: expected 'a=b'" in err
    assert run("fidelity", TRANSCRIPT, SCAN, "--format", "nope")[0] == 2


def test_equivalences_file(tmp_path: Path) -> None:
    (tmp_path / "ref.txt").write_text("was it so")
    (tmp_path / "hyp.txt").write_text("waſ it ſo")
    eq = tmp_path / "eq.txt"
    eq.write_text("ſ=s\n")
    plain = json.loads(
        run("fidelity", str(tmp_path / "ref.txt"), str(tmp_path / "hyp.txt"), "--format", "json")[1]
    )
    folded = json.loads(
        run(
            "fidelity",
            str(tmp_path / "ref.txt"),
            str(tmp_path / "hyp.txt"),
            "--format",
            "json",
            "--equivalences",
            str(eq),
        )[1]
    )
    assert plain["char_distance"] == 2 and folded["char_distance"] == 0
    assert "equivalence:ſ=s" in folded["rules"]


def test_empty_reference_is_defined(tmp_path: Path) -> None:
    (tmp_path / "ref.txt").write_text("")
    (tmp_path / "hyp.txt").write_text("Not important")
    code, out, _ = run(
        "fidelity", str(tmp_path / "ref.txt"), str(tmp_path / "hyp.txt"), "--format", "json"
    )
    assert code == 0 and json.loads(out)["cer"] == 1.0 and json.loads(out)["char_total"] == 0


def _pairs(tmp_path: Path) -> tuple[Path, Path]:
    ref, hyp = tmp_path / "gt", tmp_path / "ocr"
    ref.mkdir()
    hyp.mkdir()
    (ref / "a.txt").write_text("This is a test.")
    (hyp / "a.txt").write_text("Tis is a test.")
    (ref / "b.gt.txt").write_text("Another test.")
    (hyp / "b.ocr.txt").write_text("AnÖther test.")
    (ref / "c.txt").write_text("unmatched")
    return ref, hyp


def test_pairs_micro_and_macro(tmp_path: Path) -> None:
    ref, hyp = _pairs(tmp_path)
    code, out, _ = run("fidelity", "--pairs", str(ref), str(hyp), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [p["name"] for p in data["pairs"]] == ["a.txt", "b.gt.txt"]
    totals = data["totals"]
    assert totals["char_distance"] == 2 and totals["char_total"] == 28
    assert totals["cer"] == 2 / 28
    assert totals["macro_cer"] == (1 / 15 + 1 / 13) / 2


def test_pairs_table_and_csv(tmp_path: Path) -> None:
    ref, hyp = _pairs(tmp_path)
    code, out, _ = run("fidelity", "--pairs", str(ref), str(hyp))
    assert code == 0 and "total (micro)" in out and "mean (macro)" in out
    target = tmp_path / "out.csv"
    code, _, _ = run(
        "fidelity", "--pairs", str(ref), str(hyp), "--format", "csv", "-o", str(target)
    )
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [r["name"] for r in rows] == ["a.txt", "b.gt.txt", "TOTAL (micro)"]
    assert rows[-1]["char_distance"] == "2"


def test_pairs_without_matches(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "a.txt").write_text("a")
    code, _, err = run("fidelity", "--pairs", str(tmp_path / "x"), str(tmp_path / "y"))
    assert code == 2 and "no file matches" in err


def test_unmatched_pair_files_are_reported(tmp_path: Path) -> None:
    ref, hyp = _pairs(tmp_path)
    code, _, err = run("fidelity", "--pairs", str(ref), str(hyp))
    assert code == 0 and f"Skipped {ref / 'c.txt'}: no file of the other folder matches it" in err


def test_thresholds_must_not_be_negative() -> None:
    assert run("fidelity", TRANSCRIPT, SCAN, "--max-cer", "-1")[0] == 2


def test_exact_gives_the_same_distances_on_a_long_pair(tmp_path: Path) -> None:
    from tests.test_fidelity import _long_pair

    ref, hyp = tmp_path / "ref.txt", tmp_path / "hyp.txt"
    for path, text in zip((ref, hyp), _long_pair(3), strict=True):
        path.write_text(text, encoding="utf-8")
    figures = []
    for extra in ((), ("--exact",)):
        code, out, err = run("fidelity", str(ref), str(hyp), "--format", "json", *extra)
        assert code == 0, err
        data = json.loads(out)
        figures.append((data["char_distance"], data["word_distance"], data["char_total"]))
    assert figures[0] == figures[1]
    assert figures[0][2] > 20_000  # long enough to be compared piecewise by default


def test_html_header_gives_the_figure_fidelity_gives_with_the_same_roles() -> None:
    # one pair, one figure: the memo's HTML names reference and hypothesis, and its CER is
    # the CER of `collate fidelity REFERENCE HYPOTHESIS` with those roles
    code, page, _ = run("compare", str(MEMO), "--format", "html")
    assert code == 0
    caption = page[page.index('<table class="fid"><caption>') :]
    caption = caption[: caption.index("</caption>")]
    assert "reference scan, hypothesis transcript" in caption
    assert "<code>collate fidelity scan transcript</code>" in caption
    _, out, _ = run("fidelity", SCAN, TRANSCRIPT, "--format", "json")
    assert f"<td>{json.loads(out)['cer']:.2%}</td>" in page
    _, other, _ = run("fidelity", TRANSCRIPT, SCAN, "--format", "json")
    assert json.loads(other)["cer"] != json.loads(out)["cer"]  # why the caption says the order


ARCHIVAL = Path(__file__).parent / "data" / "archival"


def test_categories_state_why_they_do_not_sum_to_the_headline() -> None:
    code, out, _ = run("fidelity", TRANSCRIPT, SCAN)
    assert code == 0
    assert re.search(r"│ total +│ +30 │ +451 │", out)
    said = " ".join(out.split())
    assert "The categories sum to 451 character edits where the headline counts 420:" in said
    assert "each variant is measured on its own" in said


def test_text_only_rates_of_a_reference_mostly_furniture_carry_a_warning() -> None:
    receipt = ARCHIVAL / "rikers_commissary_receipt"
    args = ("fidelity", str(receipt / "transcript.txt"), str(receipt / "ocr_tesseract.txt"))
    code, out, _ = run(*args, "--format", "json")
    assert code == 0
    text_only = json.loads(out)["text_only"]
    assert text_only["cer"] > 1  # the rate the warning stands for
    assert text_only["warning"].startswith(
        f"text only keeps {text_only['char_total']} of the reference's 857 characters"
    )
    _, table, _ = run(*args)
    assert "(!) text only keeps 71 of the reference's 857" in " ".join(table.split())
    assert re.search(r"│ CER +│ +25\.32 % │ +1069\.01 % \(!\) │", table)
    _, memo, _ = run("fidelity", TRANSCRIPT, SCAN, "--format", "json")
    assert "warning" not in json.loads(memo)["text_only"]


def test_text_only_with_more_edits_than_all_text_carries_a_warning() -> None:
    def measures(distance: int, reference: int) -> Measures:
        chars = EditCounts(distance, distance, 0, 0, reference, reference)
        return Measures(chars, chars, 0, 0, 0.0)

    assert text_only_warning(measures(13, 1609), measures(13, 1593)) == ""
    assert "left out different text" in text_only_warning(measures(13, 1609), measures(111, 1487))
    assert "keeps 44 of the reference's 857" in text_only_warning(measures(9, 857), measures(1, 44))


def test_eo9981_text_only_agrees_with_all_text_once_furniture_is_decided_across() -> None:
    # ABBYY's OCR of EO 9981 and the transcript leave out the same text: before furniture was
    # decided across witnesses, text only counted 111 edits against 13 for all text
    eo = ARCHIVAL / "eo9981_armed_services_1948"
    code, out, _ = run(
        "fidelity", str(eo / "transcript.txt"), str(eo / "ocr_abbyy.txt"), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["char_distance"], data["text_only"]["char_distance"]) == (13, 13)
    assert "warning" not in data["text_only"]
