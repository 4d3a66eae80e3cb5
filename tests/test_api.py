"""The public API: ``import collate`` and what docs/api.md shows."""

from __future__ import annotations

import doctest
import gc
import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

import collate
from collate.errors import UsageError

ROOT = Path(__file__).resolve().parent.parent
MEMO = ROOT / "witnesses" / "harriman-1944-09-23"


def test_docs_api_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    failures, tried = doctest.testfile(
        str(ROOT / "docs" / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried > 10 and failures == 0


def test_the_public_names_are_few_and_all_resolve() -> None:
    assert len(collate.__all__) <= 10
    for name in collate.__all__:
        assert getattr(collate, name) is not None
    with pytest.raises(AttributeError):
        _ = collate.no_such_name  # type: ignore[attr-defined]


def test_the_issue_one_liner_works_and_leaves_gc_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The quick brown fox.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The quick browne fox.\n", encoding="utf-8")
    code = (
        "import collate, gc; r = collate.collate(['a.txt', 'b.txt']); "
        "print(collate.render_as(r, 'json')[:80]); print(gc.isenabled())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    first, second = done.stdout.splitlines()
    assert first.startswith('{"schema_version": 1, "generator": "collate ')
    assert second == "True"


def test_importing_collate_loads_no_stage() -> None:
    code = "import sys, collate; print(sorted(m for m in sys.modules if m.startswith('collate')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['collate']"


def test_collate_takes_paths_folders_and_witnesses_alike() -> None:
    from_folder = collate.collate([MEMO])
    from_files = collate.collate([str(MEMO / "scan.txt"), MEMO / "transcript.txt"])
    witnesses = collate.read_witnesses([MEMO])
    from_objects = collate.collate(list(witnesses))
    texts = [collate.render_as(r, "json") for r in (from_folder, from_objects)]
    assert texts[0] == texts[1]
    assert [v.readings for v in from_files.variants] == [v.readings for v in from_folder.variants]
    assert gc.isenabled()


def test_a_repeated_siglum_is_made_distinct() -> None:
    a = collate.Witness("A", "one two")
    witnesses = collate.read_witnesses([a, a])
    assert [w.siglum for w in witnesses] == ["A", "A-2"]


def test_one_path_instead_of_a_list_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match=r"^sources: give a list of witnesses or paths"):
        collate.collate(str(MEMO))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"^sources: no witness given"):
        collate.collate([])


def test_measure_gives_the_figures_the_command_gives() -> None:
    report = collate.measure(MEMO / "transcript.txt", MEMO / "scan.txt")
    done = subprocess.run(
        [sys.executable, "-m", "collate", "fidelity", str(MEMO / "transcript.txt"),
         str(MEMO / "scan.txt"), "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = json.loads(done.stdout)
    chars, words = report.measures.chars, report.measures.words
    assert (chars.distance, chars.reference) == (figures["char_distance"], figures["char_total"])
    assert words.distance / words.reference == figures["wer"]
    with pytest.raises(UsageError, match="give one witness each"):
        collate.measure(MEMO, MEMO / "scan.txt")


def test_render_as_refuses_an_unknown_format() -> None:
    result = collate.collate([collate.Witness("A", "a b"), collate.Witness("B", "a c")])
    with pytest.raises(UsageError, match="format_name='docx': no such format"):
        collate.render_as(result, "docx")


def test_a_collation_shows_itself_in_a_notebook() -> None:
    result = collate.collate([collate.Witness("A", "a <b> c"), collate.Witness("B", "a d c")])
    shown = result._repr_html_()
    assert shown.startswith('<iframe sandbox="allow-scripts" srcdoc="')
    page = html.unescape(shown.split('srcdoc="', 1)[1].split('" style=', 1)[0])
    assert page == collate.render_as(result, "html")
    assert repr(result) == "<Collation of 2 witnesses (A, B); base A; 5 ranks, 1 variants>"
