"""The registry of output formats: one entry per format, used by the library, the CLI and
batch; renderers imported only when their format is rendered."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from collate.batch.outdir import Output
from collate.cli import compare, main
from collate.errors import UsageError
from collate.fidelity import measure_fidelity
from collate.metrics import CountingRules
from collate.model import Category
from collate.pipeline import Collation
from collate.render import FORMATS, render, render_pieces
from collate.render.collatex import render_collatex
from collate.render.html import render_html
from collate.render.json import render_json
from collate.render.table import render_table
from collate.render.tei import render_tei
from collate.variants import select
from tests.conftest import MEMO, ROOT, collate_texts, witness_texts


def test_each_format_renders_what_its_renderer_does(memo: Collation) -> None:
    chosen = select(memo.variants, [Category.SUBSTANTIVE], [])
    figures = measure_fidelity(memo, CountingRules())  # two witnesses: HTML shows the figures
    expected = {
        "json": render_json(memo, chosen),
        "html": render_html(memo, chosen, figures, "Memo"),
        "tei": render_tei(memo, chosen, "Memo"),
        "csv": render_table(memo, ","),
        "tsv": render_table(memo, "\t"),
        "collatex-json": render_collatex(memo),
    }
    assert list(FORMATS) == list(expected)
    for name, text in expected.items():
        assert render(memo, name, variants=chosen, title="Memo") == text, name
        assert "".join(render_pieces(memo, name, variants=chosen, title="Memo")) == text, name


def test_defaults_mark_every_variant_with_the_renderer_s_title(memo: Collation) -> None:
    assert render(memo, "tei") == render_tei(memo, memo.variants)
    assert render(memo, "json") == render_json(memo, memo.variants)


def test_html_figures_given_by_the_caller(memo: Collation) -> None:
    figures = measure_fidelity(memo, CountingRules(ignore_case=True))
    page = render(memo, "html", fidelity=figures)
    assert page == render_html(memo, memo.variants, figures)
    assert page != render(memo, "html")


def test_html_of_three_witnesses_has_no_figures() -> None:
    three = collate_texts("a b c", "a x c", "a b d")
    assert render(three, "html") == render_html(three, three.variants, None)


def test_an_unknown_format_names_the_known_ones_before_rendering(memo: Collation) -> None:
    known = "json, html, tei, csv, tsv, collatex-json"
    with pytest.raises(UsageError) as error:
        render_pieces(memo, "docx")  # raised by the call, not by the first piece
    assert str(error.value) == f"format_name='docx': no such format; choose one of {known}"
    with pytest.raises(UsageError):
        render(memo, "")


def test_records_are_frozen() -> None:
    with pytest.raises(AttributeError):
        FORMATS["json"].suffix = ".txt"  # type: ignore[misc]


def test_the_cli_offers_the_terminal_table_and_every_format() -> None:
    option = next(p for p in compare.params if p.name == "fmt")
    assert list(option.type.choices) == ["table", *FORMATS]  # type: ignore[attr-defined]
    help_text = CliRunner().invoke(main, ["compare", "--help"]).stdout
    assert all(f.description.split()[-1] in help_text for f in FORMATS.values())


def test_batch_outputs_are_registry_formats() -> None:
    for output in Output:
        assert output.file_name.endswith(FORMATS[output.value].suffix)
    assert [o.file_name for o in Output] == [
        "collation.json",
        "apparatus.html",
        "collation.tei.xml",
    ]


def _renderers_loaded(code: str) -> list[str]:
    script = (
        f"import sys\n{code}\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('collate.render.'))))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return run.stdout.split()


def test_renderers_are_imported_only_when_their_format_is_rendered() -> None:
    assert _renderers_loaded("import collate.cli") == ["collate.render.formats"]
    loaded = _renderers_loaded(
        "from collate.pipeline import collate\n"
        "from pathlib import Path\n"
        "from collate.readers import read_witnesses\n"
        "from collate.render import render\n"
        f"render(collate(read_witnesses([Path({str(MEMO)!r})])), 'csv')"
    )
    assert loaded == ["collate.render.formats", "collate.render.table"]


@settings(max_examples=25, deadline=None)
@given(witness_texts("ab ,.\n\u00e9\u017f"))
def test_every_format_renders_any_text(texts: list[str]) -> None:
    collation = collate_texts(*texts)
    for name in FORMATS:
        assert render(collation, name) == "".join(render_pieces(collation, name))


def test_the_python_example_of_the_formats_page_runs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    monkeypatch.chdir(ROOT)
    exec(compile(example, "docs/formats.md", "exec"), {})
    assert json.loads(capsys.readouterr().out)["schema_version"] == 1
