"""Shared fixtures: the shipped memo witnesses and a tiny collation helper."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import strategies as st

from collate.pipeline import Collation, CollationOptions, collate
from collate.readers import load_witness, read_witnesses

ROOT = Path(__file__).resolve().parent.parent
MEMO = ROOT / "witnesses" / "harriman-1944-09-23"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; the browser tests never `playwright install`
# how every Chromium here starts: headless, no sandbox, nothing fetched in the background
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)


def launch_chromium(playwright: Any, profile: Path | str, **options: Any) -> Any:
    """A Chromium context on the fresh ``profile`` folder with :data:`CHROMIUM_ARGS`
    (``options``: Playwright's, such as the viewport); used by the browser tests and
    ``benchmarks/page_timing.py``."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        args=list(CHROMIUM_ARGS),
        headless=True,
        **options,
    )


def script_module(path: str) -> ModuleType:
    """The script at ``path`` (from the repository's root, such as ``benchmarks/moves.py``)
    as a module, loaded once and kept in ``sys.modules`` (dataclasses look their module up
    there) under a name made from the path."""
    name = "script_" + path.removesuffix(".py").replace("/", "_")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / path)
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def missing_browser(chromium: Path = CHROMIUM) -> str | None:
    """Why the browser tests cannot run on this machine, or ``None`` if they can."""
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install playwright)"
    return None if chromium.exists() else f"no Chromium at {chromium} (apt-get install chromium)"


def require_browser(missing: str | None) -> None:
    """Skip a browser test that cannot run here; fail it under ``CI=true``, where all must run."""
    if missing:
        if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
            pytest.fail(f"browser tests cannot run: {missing}")
        pytest.skip(missing)


BROWSER_NEEDS = (
    "the browser tests need playwright (pip install -e '.[dev]') and Debian's Chromium at "
    f"{CHROMIUM} (apt-get install chromium); under CI=true they fail instead of skipping"
)


def browser_skip_summary(reasons: list[str], missing: str | None) -> str | None:
    """The line that says how many browser tests were skipped and why, given the reasons of
    every skipped test; None when none was skipped for a missing browser."""
    if missing is None:
        return None
    skipped = sum(reason.endswith(missing) for reason in reasons)
    return f"{skipped} browser tests skipped: {missing}; {BROWSER_NEEDS}" if skipped else None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say so, whatever the -r options, when browser tests were skipped: never silently."""
    reasons = [
        str(report.longrepr[2])
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    ]
    line = browser_skip_summary(reasons, missing_browser())
    if line:
        terminalreporter.write_line(line, yellow=True, bold=True)


@pytest.fixture(scope="session")
def memo() -> Collation:
    """The memo collated with the scan as base (the default)."""
    return collate(read_witnesses([MEMO]))


def witness_texts(characters: str) -> st.SearchStrategy[list[str]]:
    """One to four short witness texts made of ``characters`` (for renderer properties)."""
    return st.lists(
        st.text(alphabet=st.sampled_from(characters), max_size=24), min_size=1, max_size=4
    )


def collate_texts(*texts: str, **options: object) -> Collation:
    """Collate in-memory texts with sigla A, B, C, ..."""
    witnesses = [load_witness(t, chr(ord("A") + i)) for i, t in enumerate(texts)]
    return collate(witnesses, CollationOptions(**options))  # type: ignore[arg-type]


@pytest.fixture
def lcs_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The ``exact`` argument of each call the alignment makes to ``lcs_match``, in order."""
    from collate import alignment

    calls: list[bool] = []
    real = alignment.lcs_match

    def spy(a: list[int], b: list[int], exact: bool = False) -> Any:
        calls.append(exact)
        return real(a, b, exact)

    monkeypatch.setattr(alignment, "lcs_match", spy)
    return calls
