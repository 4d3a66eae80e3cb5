"""collate._gc: the collector is off inside the block and back as it was after it; a library
call leaves it alone unless asked, the CLI pauses it."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from click.testing import CliRunner

from collate import pipeline
from collate._gc import paused_gc
from collate.cli import main
from collate.pipeline import CollationOptions, collate
from collate.readers import load_witness
from tests.conftest import MEMO


def test_paused_inside_and_restored_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it off for the outer one
        raise RuntimeError
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collate_leaves_the_collector_on() -> None:
    collate([load_witness("a b c", "A"), load_witness("a x c", "B")])
    assert gc.isenabled()


def _spy_gc_during_alignment(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the collector is on when the pipeline aligns, once per alignment."""
    seen: list[bool] = []
    align = pipeline.align

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return align(*args, **kwargs)

    monkeypatch.setattr(pipeline, "align", spy)
    return seen


def test_a_library_call_leaves_the_collector_on_throughout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _spy_gc_during_alignment(monkeypatch)
    collate([load_witness("a b c", "A"), load_witness("a x c", "B")])
    assert seen == [True] and gc.isenabled()


def test_the_caller_may_pause_the_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy_gc_during_alignment(monkeypatch)
    witnesses = [load_witness("a b c", "A"), load_witness("a x c", "B")]
    collate(witnesses, CollationOptions(pause_gc=True))
    assert seen == [False] and gc.isenabled()


def test_the_cli_pauses_the_collector_around_a_command(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy_gc_during_alignment(monkeypatch)
    result = CliRunner().invoke(main, ["compare", str(MEMO), "--format", "json"])
    assert result.exit_code == 0
    assert seen == [False] and gc.isenabled()
