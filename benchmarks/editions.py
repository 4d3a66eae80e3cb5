"""Several witnesses of one long text: ``collate compare`` with 3 to N witnesses.

Builds N witnesses of the same text (the prose and the seeded edits of ``speed.py``: a base
text and N-1 edited copies, each with its own seed) and times the whole command, in a
subprocess of its own, for the JSON output and for the terminal's variant list (written to a
file): wall seconds and the largest resident memory of the command and its children
(sampled); with ``--repeat N``, the median wall of N runs and the largest memory. ``--code
PATH`` runs the collate found at PATH (another checkout) instead, to compare two versions on
the same files in one run.

    python benchmarks/editions.py --witnesses 3 6 --tokens 20000 100000
    python benchmarks/editions.py --witnesses 6 --tokens 100000 --code /tmp/old-checkout
    python benchmarks/editions.py --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import compile_bytecode, num, wait_sampling
from speed import build_base, edit, load_words, write_words

FORMATS = {"json": ["--format", "json"], "terminal": []}


def write_witnesses(
    folder: Path, pool: list[str], size: int, count: int, rate: float
) -> list[Path]:
    """``count`` witnesses of about ``size`` tokens: the base text and edited copies."""
    base = build_base(pool, size)
    paths = [folder / "w0.txt"]
    write_words(paths[0], base)
    for seed in range(1, count):
        words, _ = edit(base, seed, rate)
        paths.append(folder / f"w{seed}.txt")
        write_words(paths[-1], words)
    return paths


def run(paths: list[Path], fmt: str, code: str | None, timeout: float) -> tuple[float, int] | None:
    """Wall seconds and peak tree bytes of ``collate compare PATHS``, None past ``timeout``."""
    out = paths[0].parent / f"out-{fmt}"
    command = [sys.executable, "-m", "collate", "compare", *map(str, paths), *FORMATS[fmt]]
    env = dict(os.environ, PYTHONPATH=code) if code else None
    start = time.perf_counter()
    child = subprocess.Popen(
        [*command, "-o", str(out)],
        env=env,
        cwd=paths[0].parent,  # not this folder, whose collate would come first on the path
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    tree = wait_sampling(child, timeout, every=0.05)
    if tree is None:
        child.kill()
        child.wait()
        return None
    if child.returncode != 0:
        raise SystemExit(f"collate compare failed (exit {child.returncode}) on {paths[0].parent}")
    return time.perf_counter() - start, tree


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--witnesses", type=int, nargs="+", default=[3, 6])
    p.add_argument("--tokens", type=int, nargs="+", default=[20_000, 100_000])
    p.add_argument("--rate", type=float, default=0.04, help="chance of an edit at each word")
    p.add_argument("--timeout", type=float, default=300.0)
    p.add_argument("--code", help="run the collate package found in this folder")
    p.add_argument("--repeat", type=int, default=1, help="runs of each command (median wall)")
    args = p.parse_args(argv)
    pool = load_words()
    compile_bytecode(Path(sys.executable), args.code)
    print(f"{'witnesses':>9}  {'tokens':>9}  {'output':<8}  {'wall s':>7}  {'tree MB':>7}")
    for count in args.witnesses:
        for size in args.tokens:
            with tempfile.TemporaryDirectory(prefix="collate-editions-") as folder:
                paths = write_witnesses(Path(folder), pool, size, count, args.rate)
                for fmt in FORMATS:
                    runs = []
                    for _ in range(args.repeat):
                        found = run(paths, fmt, args.code, args.timeout)
                        if found is None:  # past the timeout: not tried again
                            break
                        runs.append(found)
                    wall = statistics.median(w for w, _ in runs) if runs else None
                    mb = max(tree for _, tree in runs) / 2**20 if runs else None
                    print(f"{count:>9}  {size:>9,}  {fmt:<8}  {num(wall, '.3f'):>7}  "
                          f"{num(mb, '.0f'):>7}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
