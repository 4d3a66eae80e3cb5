"""What the benchmark scripts share: the peer virtualenv and small formatting helpers.

The scripts run as ``python benchmarks/NAME.py``, so this module is importable as ``_harness``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import psutil


def ensure_peer_venv(venv: Path, modules: Sequence[str], packages: Sequence[str]) -> Path:
    """The python of ``venv`` that imports ``modules``; ``packages`` pip-installed if missing.

    The peers live in their own virtualenv so that the project's stays as it installs.
    """
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import " + ", ".join(modules)]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print(f"Setting up {venv} with {', '.join(packages)} (needs PyPI) ...", flush=True)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = [str(python), "-m", "pip", "install", "-q", *packages]
    done = subprocess.run(install, capture_output=True, text=True)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.splitlines()[-10:])
        raise SystemExit(f"pip install into {venv} failed:\n{tail}")
    return python


def compile_bytecode(python: Path, code: str | None = None) -> None:
    """Compile collate's modules as ``pip install`` does (those found in the folder ``code``
    when given): an editable install or a checkout run with PYTHONDONTWRITEBYTECODE set would
    otherwise compile the modules the CLI imports lazily inside the timed part, every run
    (the peers' packages are installed compiled)."""
    script = (
        "import collate, compileall, os; "
        "compileall.compile_dir(os.path.dirname(collate.__file__), quiet=1)"
    )
    env = dict(os.environ, PYTHONPATH=code) if code else None
    # -P: the collate the timed runs import (they run in a folder of their own), not one
    # in the current folder
    subprocess.run([str(python), "-P", "-c", script], check=True, env=env)


def package_version(python: Path, name: str) -> str:
    """The installed version of ``name`` in the environment of ``python`` (``?`` if none)."""
    code = f"import importlib.metadata as m; print(m.version({name!r}))"
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return done.stdout.strip() or "?"


def num(value: float | None, fmt: str) -> str:
    """``value`` formatted, or ``-`` when it was not measured."""
    return "-" if value is None else format(value, fmt)


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of ``process`` and all its descendants, now."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue
    return total


def wait_sampling(child: subprocess.Popen[str], timeout: float, every: float = 0.02) -> int | None:
    """Wait for ``child``, sampling its process tree's memory every ``every`` seconds; the
    largest total in bytes (a peak between samples can be missed), or None on timeout
    (the child is then still running). A thread of its own blocks until the child ends, so
    this returns as soon as it does: the caller's clock stops with the child, not up to
    ``every`` later."""
    ended = threading.Event()

    def reap() -> None:
        child.wait()
        ended.set()

    threading.Thread(target=reap, daemon=True).start()
    deadline = time.perf_counter() + timeout
    handle = psutil.Process(child.pid)
    peak = 0
    while not ended.is_set():
        if time.perf_counter() > deadline:
            return None
        with contextlib.suppress(psutil.Error):
            peak = max(peak, tree_rss(handle))
        ended.wait(every)
    return peak
