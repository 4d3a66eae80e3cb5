"""Benchmark ``collate batch``: documents per second and peak memory, serial, on a local
process pool and on a Dask LocalCluster.

Generates an archive of small records (``tests/batch_archive.py``: passages of the
repository's own prose with seeded OCR-like edits, so every machine gets the same archive),
then runs ``collate batch SOURCE -o OUTDIR --quiet`` in a subprocess for each mode:

* ``--jobs 1`` (in the coordinating process),
* ``--jobs 2`` (a ``ProcessPoolExecutor``),
* ``--scheduler local --jobs 2`` (a Dask ``LocalCluster`` of 2 worker processes),
* ``--jobs 2`` again on the finished OUTDIR (every document skipped by checksum).

Each run's wall time covers the whole command: interpreter start, discovery, starting the
workers, the work and the index. Peak memory is the largest total resident set of the run's
process tree (the command and all its worker processes), sampled every 50 ms with psutil, and
the coordinating process's own ``ru_maxrss``. Then the databases are compared: every mode
must record the same rows (timings left out).

    python benchmarks/batch.py                      # 10,000 documents
    python benchmarks/batch.py --documents 1000 --keep
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _harness import wait_sampling

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.batch_archive import make_records  # noqa: E402

DRIVER = (
    "import resource, sys\n"
    "from collate.cli_batch import batch\n"
    "try:\n"
    "    batch.main(sys.argv[1:], prog_name='collate batch')\n"
    "except SystemExit as done:\n"
    "    code = done.code\n"
    "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
TIMINGS = {
    "read_seconds",
    "collate_seconds",
    "measure_seconds",
    "render_seconds",
    "seconds",
    "worker",
    "recorded_at",
    "run_id",
}


@dataclass(frozen=True)
class Mode:
    name: str
    args: tuple[str, ...]
    outdir: str  # several modes may share one OUTDIR (the rerun)


MODES = (
    Mode("--jobs 1", ("--jobs", "1"), "serial"),
    Mode("--jobs 2", ("--jobs", "2"), "pool"),
    Mode("--scheduler local --jobs 2", ("--scheduler", "local", "--jobs", "2"), "dask"),
    Mode("--jobs 2, rerun (all skipped)", ("--jobs", "2"), "pool"),
)


@dataclass(frozen=True)
class Result:
    mode: Mode
    seconds: float
    peak_tree_mb: float
    coordinator_mb: float
    exit_code: int


def measure(mode: Mode, source: Path, work: Path) -> Result:
    outdir = work / mode.outdir
    command = [sys.executable, "-c", DRIVER, str(source), "-o", str(outdir), "--quiet", *mode.args]
    start = time.perf_counter()
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    peak = wait_sampling(child, timeout=float("inf"), every=0.05) or 0
    seconds = time.perf_counter() - start
    stderr = child.stderr.read() if child.stderr else ""
    lines = [line for line in stderr.splitlines() if line.startswith("MAXRSS ")]
    if not lines:
        raise SystemExit(f"{mode.name}: the run failed:\n{stderr}")
    coordinator_kb = int(lines[-1].split()[1])
    return Result(mode, seconds, peak / 2**20, coordinator_kb / 1024, child.returncode)


def rows(outdir: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(outdir / "collate.sqlite")
    found = {}
    for table in ("documents", "inputs", "witnesses", "variant_counts", "fidelity"):
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        kept = ", ".join(c for c in columns if c not in TIMINGS)
        found[table] = conn.execute(f"SELECT {kept} FROM {table} ORDER BY 1, 2").fetchall()
    conn.close()
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--words", type=int, nargs=2, default=(30, 80), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the archive and the OUTDIRs")
    options = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="collate-batch-bench-"))
    source = work / "records"
    started = time.perf_counter()
    make_records(source, options.documents, options.seed, tuple(options.words), broken=False)
    size = sum(p.stat().st_size for p in source.iterdir()) / 2**20
    print(
        f"{options.documents:,} records ({options.words[0]}-{options.words[1]} words per "
        f"witness, {size:.1f} MB) generated in {time.perf_counter() - started:.1f} s in {work}"
    )
    print(
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores, load average before: "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    results = []
    for mode in MODES:
        print(f"running {mode.name} ...", file=sys.stderr, flush=True)
        results.append(measure(mode, source, work))
    print()
    header = f"{'mode':<30} {'wall s':>8} {'docs/s':>8} {'peak MB (tree)':>15} {'coord. MB':>10}"
    print(header)
    print("-" * len(header))
    for r in results:
        rate = options.documents / r.seconds
        print(
            f"{r.mode.name:<30} {r.seconds:>8.1f} {rate:>8.1f} {r.peak_tree_mb:>15.0f} "
            f"{r.coordinator_mb:>10.0f}"
        )
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    serial = rows(work / "serial")
    same = all(rows(work / name) == serial for name in ("pool", "dask"))
    codes = {r.exit_code for r in results}
    print(f"identical database rows in every mode (timings left out): {'yes' if same else 'NO'}")
    print(f"exit codes: {sorted(codes)}")
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same and codes == {0} else 1


if __name__ == "__main__":
    sys.exit(main())
