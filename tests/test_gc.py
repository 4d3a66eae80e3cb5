"""collate._gc: the collector is off inside the block and back as it was after it."""

from __future__ import annotations

import gc

import pytest

from collate._gc import paused_gc
from collate.pipeline import collate
from collate.readers import load_witness


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
