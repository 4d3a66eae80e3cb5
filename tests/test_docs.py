"""The docs stay true to the code: the CLI reference is current, links resolve, and every
category, normalisation rule, furniture rule, counting rule, JSON key and CSV column is
documented."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from collate.cli import main
from collate.fidelity import measure_fidelity
from collate.metrics import CountingRules
from collate.model import Category
from collate.normalization import PRESETS, RULES
from collate.pipeline import collate
from collate.readers import read_witnesses
from collate.render.fidelity import CSV_FIELDS, Pair, render_json
from collate.segmentation import FURNITURE_RULES
from tests.conftest import script_module
from tests.oracles import json_document

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MEMO = ROOT / "witnesses" / "harriman-1944-09-23"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _cli_reference() -> ModuleType:
    return script_module("scripts/cli_reference.py")


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _local_links(page: Path) -> list[str]:
    """Targets of the page's relative links, without their #fragment."""
    targets = LINK.findall(page.read_text(encoding="utf-8"))
    return [t.split("#")[0] for t in targets if "://" not in t and not t.startswith("#")]


def test_cli_reference_is_current() -> None:
    assert _cli_reference().check(), "docs/cli.md is stale; run: python scripts/cli_reference.py"


def test_cli_reference_has_every_command() -> None:
    page = _page("cli.md")
    assert isinstance(main, click.Group)
    names = main.list_commands(click.Context(main))
    commands = ["collate", *(f"collate {name}" for name in names)]
    assert "collate fidelity" in commands
    missing = [c for c in commands if f"$ {c} --help" not in page]
    assert not missing, f"commands without --help in docs/cli.md: {missing}"


def test_every_page_linked_from_the_index_exists() -> None:
    links = _local_links(DOCS / "index.md")
    assert links, "docs/index.md links to no page"
    missing = [link for link in links if not (DOCS / link).is_file()]
    assert not missing, f"docs/index.md links to missing pages: {missing}"


def test_every_page_is_linked_from_the_index() -> None:
    linked = {(DOCS / link).resolve() for link in _local_links(DOCS / "index.md")}
    pages = {p.resolve() for p in DOCS.rglob("*.md")} - {(DOCS / "index.md").resolve()}
    assert not sorted(pages - linked), "pages missing from docs/index.md"


def test_relative_links_in_every_page_resolve() -> None:
    broken = [
        f"{page.relative_to(DOCS)} -> {link}"
        for page in DOCS.rglob("*.md")
        for link in _local_links(page)
        if link and not (page.parent / link).exists()
    ]
    assert not broken, f"broken links: {broken}"


def test_every_category_is_documented() -> None:
    page = _page("stages/variants.md")
    missing = [c.value for c in Category if f"`{c.value}`" not in page]
    assert not missing, f"categories not in docs/stages/variants.md: {missing}"


def test_every_normalisation_rule_and_preset_is_documented() -> None:
    page = _page("stages/normalization.md")
    missing = [name for name in [*RULES, *PRESETS] if f"`{name}`" not in page]
    assert not missing, f"rules or presets not in docs/stages/normalization.md: {missing}"


def test_every_furniture_rule_is_documented() -> None:
    page = _page("stages/segmentation.md")
    names = {rule.name for rule in FURNITURE_RULES}
    missing = sorted(name for name in names if f"`{name}`" not in page)
    assert not missing, f"furniture rules not in docs/stages/segmentation.md: {missing}"


def test_every_json_key_is_documented() -> None:
    collation = collate(read_witnesses([MEMO]))
    data = json_document(collation, collation.variants)
    witness = data["witnesses"][0]  # type: ignore[index]
    variant = data["variants"][0]  # type: ignore[index]
    keys = {
        *data,
        *data["normalization"],  # type: ignore[misc]
        *witness,
        *witness["furniture"][0],
        *variant,
        *variant["context"],
        *next(iter(variant["locations"].values())),
    }
    page = _page("formats.md")
    missing = sorted(key for key in keys if f"`{key}`" not in page)
    assert not missing, f"JSON keys not in docs/formats.md: {missing}"


def _fidelity_json(many: bool) -> dict[str, Any]:
    """The memo's fidelity JSON (transcript = reference), as one pair or as ``--pairs``."""
    scan, transcript = read_witnesses([MEMO])
    report = measure_fidelity(collate([transcript, scan]), CountingRules())
    pair = Pair("scan.txt", str(MEMO / "transcript.txt"), str(MEMO / "scan.txt"), report)
    data: dict[str, Any] = json.loads(render_json([pair], many))
    return data


def test_every_fidelity_json_key_is_documented() -> None:
    single = _fidelity_json(many=False)
    pairs = _fidelity_json(many=True)
    keys = {
        *single,
        *single["reference"],
        *single["text_only"],
        *single["categories"][0],
        *single["confusions"][0],
        *single["pages"][0],
        *pairs,
        *pairs["totals"],
    }
    assert {"cer", "wer", "text_only", "macro_cer"} <= keys
    page = _page("formats.md")
    missing = sorted(key for key in keys if f"`{key}`" not in page)
    assert not missing, f"fidelity JSON keys not in docs/formats.md: {missing}"


def test_every_fidelity_csv_column_is_documented() -> None:
    page = _page("formats.md")
    missing = [column for column in CSV_FIELDS if f"`{column}`" not in page]
    assert not missing, f"fidelity CSV columns not in docs/formats.md: {missing}"


def test_every_counting_rule_is_documented() -> None:
    names = CountingRules(ignore_case=True, ignore_punctuation=True, equivalences=(("a", "b"),))
    page = _page("stages/metrics.md")
    missing = [
        name
        for name in names.names()
        if f"`{name}`" not in page or f"`{name.split(':')[0]}" not in page
    ]
    assert not missing, f"counting rules not in docs/stages/metrics.md: {missing}"


ERROR_CLASSES = {"CollateError", "UsageError", "InputError", "RecordError", "OutputError"}
# collate batch's own errors are listed in docs/batch.md rather than docs/cli.md.
BATCH = ("collate/batch/", "collate/cli_batch.py")


def _error_messages() -> list[tuple[str, str]]:
    """``(where, fixed text)`` of every message the library raises: the longest literal part of
    each ``...Error(f"...")`` (a function that builds one is followed to its ``return``)."""
    found = []
    for path in sorted((ROOT / "collate").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            t.id: a.value
            for a in tree.body
            if isinstance(a, ast.Assign) and isinstance(a.value, ast.Constant | ast.Tuple)
            for t in a.targets
            if isinstance(t, ast.Name)
        }
        builders = {
            f.name: r.value
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef)
            for r in ast.walk(f)
            if isinstance(r, ast.Return) and isinstance(r.value, ast.JoinedStr)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ERROR_CLASSES
                and node.args
            ):
                continue
            parts = []  # the fixed text of every part (Param parts name a parameter)
            for message in node.args:
                if isinstance(message, ast.Starred):
                    message = message.value
                if isinstance(message, ast.Call) and isinstance(message.func, ast.Name):
                    message = builders.get(message.func.id, message)
                if isinstance(message, ast.Name):
                    message = constants.get(message.id, message)
                pieces = message.elts if isinstance(message, ast.Tuple) else [message]
                for piece in pieces:
                    if isinstance(piece, ast.Constant):
                        parts.append(piece)
                    elif isinstance(piece, ast.JoinedStr):
                        parts += [v for v in piece.values if isinstance(v, ast.Constant)]
            assert parts, f"{where}:{node.lineno}: a message without fixed text"
            text = max((str(p.value) for p in parts), key=len)
            found.append((f"{where}:{node.lineno}", " ".join(text.split()).strip(" :;(")))
    return found


def test_every_error_message_is_documented() -> None:
    """Every message a user can see is listed in the CLI reference, with its exit code."""
    reference = " ".join(_page("cli.md").split())
    batch = " ".join(_page("batch.md").split())
    missing = [
        f"{where}: {text!r}"
        for where, text in _error_messages()
        if text not in (batch if where.startswith(BATCH) else reference)
    ]
    assert not missing, "add these to docs/cli.md (or docs/batch.md):\n" + "\n".join(missing)


def _doc_examples() -> ModuleType:
    return script_module("scripts/doc_examples.py")


def test_doc_examples_are_read_with_continuations_heredocs_and_json_blocks() -> None:
    page = [
        "```console",
        "$ printf 'a' > a.txt",
        "$ python -c '",
        "print(1)'",
        "1",
        "$ cat > b.txt <<'EOF'",
        "b",
        "EOF",
        "$ collate x \\",
        "    | jq .",
        "```",
        "",
        "```json",
        "{}",
        "```",
        "```console",
        "$ collate --help",
        "Usage",
        "```",
    ]
    found = _doc_examples().examples(page)
    assert [e.command for e in found] == [
        "printf 'a' > a.txt",
        "python -c '\nprint(1)'",
        "cat > b.txt <<'EOF'\nb\nEOF",
        "collate x \\\n    | jq .",
    ]
    assert [e.shown for e in found] == [[], ["1"], [], ["{}"]]


def test_every_shell_example_shows_its_real_output() -> None:
    """Every command in a console block of README.md and docs/ runs, and prints what the page
    shows (scripts/doc_examples.py rewrites them)."""
    examples = _doc_examples()
    stale = [line for page in examples.PAGES for line in examples.update(page, True)]
    assert not stale, f"stale examples {stale}; run: python scripts/doc_examples.py"
