"""Errors: messages name the library's parameters; the commands name their flags."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from collate._flags import flag
from collate.cli import main
from collate.errors import UNSET, CollateError, Param, UsageError
from collate.normalization import resolve
from collate.readers import decode
from tests.conftest import MEMO, ROOT, collate_texts


def _cli_error(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stderr


def test_near_match_named_as_keyword_by_the_library_and_as_flag_by_the_cli() -> None:
    with pytest.raises(UsageError) as error:
        collate_texts("a", "b", near_match=0.0)
    assert str(error.value) == "near_match=0.0: give a similarity above 0 and at most 1"
    assert error.value.params() == (Param("near_match", 0.0),)
    assert _cli_error("compare", str(MEMO), "--near-match", "0") == (
        2,
        "Error: --near-match 0.0: give a similarity above 0 and at most 1\n",
    )


def test_base_errors_in_both_spellings() -> None:
    with pytest.raises(UsageError) as error:
        collate_texts("a", "b", base="nobody")
    assert str(error.value) == "base='nobody': no witness has that siglum; choose one of A, B"
    with pytest.raises(UsageError) as error:
        collate_texts("a", "b", base="A", no_base=True)
    assert str(error.value) == "base and no_base exclude each other; give one of them"
    assert _cli_error("compare", str(MEMO), "--base", "scan", "--no-base") == (
        2,
        "Error: --base and --no-base exclude each other; give one of them\n",
    )


def test_normalization_named_as_the_option_it_is() -> None:
    with pytest.raises(UsageError) as error:
        resolve("cse")
    assert str(error.value).startswith(
        "unknown normalisation rule or preset 'cse' for normalization; presets: default, none"
    )
    code, err = _cli_error("compare", str(MEMO), "--normalize", "cse")
    assert code == 2
    assert err.startswith("Error: unknown normalisation rule or preset 'cse' for --normalize; ")


def test_unknown_encoding() -> None:
    with pytest.raises(UsageError) as error:
        decode(b"x", "f", "klingon")
    assert str(error.value) == "unknown encoding 'klingon' for encoding"
    assert error.value.message(flag) == "unknown encoding 'klingon' for --encoding"


def test_flag_spelling() -> None:
    assert flag(Param("near_match", 0.7)) == "--near-match 0.7"
    assert flag(Param("no_base")) == "--no-base"
    assert flag(Param("normalization", "x")) == "--normalize x"
    assert Param("base").keyword() == "base" and Param("base").value is UNSET


def test_plain_message_and_pickling_keep_the_parts() -> None:
    assert str(UsageError("no parameter here")) == "no parameter here"
    error = pickle.loads(pickle.dumps(UsageError(Param("base"), " and ", Param("no_base", True))))
    assert error.message(flag) == "--base and --no-base True"
    assert str(error) == "base and no_base=True"


def test_message_stays_one_safe_line() -> None:
    error = CollateError(Param("base", "a\nb"), ": x")
    assert str(error) == "base='a\\nb': x"
    assert error.message(flag) == "--base a␊b: x"


def _raised_flags(path: Path) -> list[str]:
    """String constants starting with ``--`` (a flag) inside the file's raise statements."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise):
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Constant)
                    and isinstance(sub.value, str)
                    and "--" in sub.value
                ):
                    found.append(f"{path.name}:{sub.lineno}: {sub.value}")
    return found


def test_library_errors_name_no_flags() -> None:
    library = [
        p for p in (ROOT / "collate").rglob("*.py") if not p.name.startswith(("cli", "_flags"))
    ]
    assert [hit for path in library for hit in _raised_flags(path)] == []
