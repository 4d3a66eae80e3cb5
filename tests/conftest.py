"""Shared fixtures: the shipped memo witnesses and a tiny collation helper."""

from __future__ import annotations

from pathlib import Path

import pytest

from collate.pipeline import Collation, CollationOptions, collate
from collate.readers import load_witness, read_witnesses

ROOT = Path(__file__).resolve().parent.parent
MEMO = ROOT / "witnesses" / "harriman-1944-09-23"


@pytest.fixture(scope="session")
def memo() -> Collation:
    """The memo collated with the scan as base (the default)."""
    return collate(read_witnesses([MEMO]))


def collate_texts(*texts: str, **options: object) -> Collation:
    """Collate in-memory texts with sigla A, B, C, ..."""
    witnesses = [load_witness(t, chr(ord("A") + i)) for i, t in enumerate(texts)]
    return collate(witnesses, CollationOptions(**options))  # type: ignore[arg-type]
