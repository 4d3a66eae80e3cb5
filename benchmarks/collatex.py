"""Benchmark ``collate compare`` against CollateX (the Python package) on Darwin's chapter 1.

Builds witnesses from the six editions of *On the Origin of Species*, chapter 1
(``../shared/data/collatex/darwin_origin_ch1_paragraphs_6editions.json``), then measures
each tool in a subprocess of its own: seconds, peak memory (the child's own
``ru_maxrss``) and, as information, how many alignment columns vary. CollateX runs from a
separate venv (``/tmp/bench-venv`` by default, created with pip when something is missing)
so the project's venv stays clean.

    python benchmarks/collatex.py
    python benchmarks/collatex.py --cases 2x2000 4x2000 --tools collate collatex
    python benchmarks/collatex.py --cases 6xfull --tools collate --profile

A case is ``KxN``: the first N words of K editions (``KxFULL``: the whole chapter).
See ``benchmarks/README.md`` for how to read the output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _harness import ensure_peer_venv, num, package_version

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared/data/collatex/darwin_origin_ch1_paragraphs_6editions.json"
TOOLS = ("collate", "collatex")
# CollateX 2.3 imports Levenshtein (near_matching.py) without declaring it.
PEER_PACKAGES = ("collatex", "python-Levenshtein")
PEER_MODULES = ("collatex", "Levenshtein", "networkx", "prettytable")
# Editions in the order cases take them: K witnesses are the first K of this list, put
# back in date order. 2 -> 1859, 1872; 4 -> 1859, 1860, 1866, 1872; 6 -> all.
EDITION_PREFERENCE = ("1859", "1872", "1860", "1866", "1861", "1869")
DEFAULT_CASES = ("2x2000", "4x2000", "2x3000", "2x5000", "2x10000", "6xfull")
RESULT_MARK = "BENCH-RESULT "
PROGRESS_MARK = "BENCH-PROGRESS "

# The measuring driver: run as ``python -c DRIVER SPEC_JSON`` in the tool's own
# interpreter. It prints one JSON line: a summary of the tool's output, the seconds spent
# after imports, and the process's own peak RSS, taken before the output is summarised.
# CollateX also prints a progress line around each witness it aligns, so a run that is
# killed at the time limit still says how far it got.
DRIVER = textwrap.dedent(
    """
    import json, resource, sys, time

    t_start = time.perf_counter()
    spec = json.loads(sys.argv[1])
    tool, files = spec["tool"], spec["files"]
    if spec.get("memory_limit"):  # bytes of address space: MemoryError, not the OOM killer
        limit = int(spec["memory_limit"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


    def varying(columns):
        # columns: one tuple of token texts per witness; a gap is ().
        return sum(1 for column in columns if len(set(column)) > 1)


    if tool == "collate":
        import contextlib, io
        from collate.cli import main

        def run():
            with contextlib.redirect_stdout(io.StringIO()):
                args = ["compare", *files, "--format", "json", "-o", spec["out"]]
                main(args, standalone_mode=False)

        def summary(_):
            with open(spec["out"], encoding="utf-8") as f:
                data = json.load(f)
            sigla = [w["siglum"] for w in data["witnesses"]]
            columns = [tuple(tuple(col[s]) for s in sigla) for col in data["alignment"]]
            return {
                "tokens": [w["tokens"] for w in data["witnesses"]],
                "columns": len(columns),
                "varying": varying(columns),
                "variants": len(data["variants"]),
            }

    elif tool == "collatex":
        import os
        from collatex import Collation, collate
        from collatex.edit_graph_aligner import EditGraphAligner

        fill = EditGraphAligner.fill_needleman_wunsch_table
        step = [1]

        def progress(**fields):
            fields["seconds"] = round(time.perf_counter() - t_imported, 2)
            print("BENCH-PROGRESS " + json.dumps(fields), flush=True)

        def fill_and_tell(self, ranks, tokens, cube):
            step[0] += 1
            shape = {"witness": step[0], "of": len(files), "rows": len(tokens), "cols": len(ranks)}
            progress(event="start", **shape)
            result = fill(self, ranks, tokens, cube)
            progress(event="done", **shape)
            return result

        EditGraphAligner.fill_needleman_wunsch_table = fill_and_tell

        def run():
            collation = Collation()
            for path in files:
                sigil = os.path.splitext(os.path.basename(path))[0]
                with open(path, encoding="utf-8") as f:
                    collation.add_plain_witness(sigil, f.read())
            return collate(collation, output="json", segmentation=False)

        def summary(out):
            table = json.loads(out)["table"]
            def text(cell):
                return tuple(token["n"] for token in cell) if cell else ()
            columns = list(zip(*([text(cell) for cell in row] for row in table)))
            return {
                "tokens": [sum(len(cell) for cell in row if cell) for row in table],
                "columns": len(columns),
                "varying": varying(columns),
            }

    else:
        raise SystemExit(f"unknown tool {tool}")

    t_imported = time.perf_counter()
    try:
        if spec.get("profile"):
            import cProfile
            profiler = cProfile.Profile()
            out = profiler.runcall(run)
            profiler.dump_stats(spec["profile"])
        else:
            out = run()
    except MemoryError:
        print("BENCH-MEMORY", flush=True)
        raise SystemExit(3)
    t_done = time.perf_counter()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "result": summary(out),
        "import_seconds": t_imported - t_start,
        "compute_seconds": t_done - t_imported,
        "maxrss_kb": maxrss_kb,
    }
    print("BENCH-RESULT " + json.dumps(report), flush=True)
    """
)


# ---------------------------------------------------------------- the witnesses


@dataclass(frozen=True)
class Case:
    """K editions, each cut at ``words`` whitespace-separated words (None: the whole text)."""

    name: str
    editions: tuple[str, ...]
    words: int | None


def parse_case(text: str) -> Case:
    match = re.fullmatch(r"([2-6])x(\d+|full)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: expected KxN or Kxfull, K from 2 to 6")
    count, size = int(match[1]), match[2]
    editions = tuple(sorted(EDITION_PREFERENCE[:count]))
    words = None if size == "full" else int(size)
    if words is not None and words < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: N must be at least 1")
    return Case(f"{count}x{size}", editions, words)


def load_editions(path: Path) -> dict[str, list[str]]:
    """Edition -> its paragraphs in chapter order (not every paragraph is in every edition)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    editions: dict[str, list[str]] = {}
    for paragraph in data["paragraphs"]:
        for witness in paragraph["witnesses"]:
            text = " ".join(witness["content"].split())
            if text:
                editions.setdefault(witness["id"], []).append(text)
    missing = [e for e in EDITION_PREFERENCE if e not in editions]
    if missing:
        raise SystemExit(f"{path}: no paragraphs for edition(s) {', '.join(missing)}")
    return editions


def cut(paragraphs: list[str], words: int | None) -> list[str]:
    """The paragraphs, cut after ``words`` words in all."""
    if words is None:
        return paragraphs
    out: list[str] = []
    count = 0
    for paragraph in paragraphs:
        take = paragraph.split(" ")[: words - count]
        out.append(" ".join(take))
        count += len(take)
        if count >= words:
            break
    return out


def write_case(folder: Path, case: Case, editions: dict[str, list[str]]) -> list[Path]:
    """``folder/<case>/<edition>.txt``, paragraphs separated by a blank line."""
    where = folder / case.name
    where.mkdir(parents=True, exist_ok=True)
    files = []
    for edition in case.editions:
        path = where / f"{edition}.txt"
        path.write_text("\n\n".join(cut(editions[edition], case.words)) + "\n", encoding="utf-8")
        files.append(path)
    return files


# ---------------------------------------------------------------- the peer venv


# ---------------------------------------------------------------- measuring


@dataclass
class Run:
    """One measurement of one tool on one case."""

    case: Case
    tool: str
    wall: float | None = None  # None: timed out or failed (see note)
    compute: float | None = None
    peak_mb: float | None = None
    result: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    limit: float | None = None  # the time limit it hit, for "> N s" and ratios


def _progress_note(out: str) -> str:
    """How far CollateX got, from the progress lines of a killed or failed child."""
    lines = [
        json.loads(x[len(PROGRESS_MARK) :]) for x in out.splitlines() if x.startswith(PROGRESS_MARK)
    ]
    if not lines:
        return "before its first alignment table"
    last = lines[-1]
    done = sum(1 for x in lines if x["event"] == "done")
    merged = f"{done + 1} of {last['of']} witnesses in the graph"
    if last["event"] == "done":
        return f"{merged} (witness {last['witness']} at {last['seconds']:.0f} s)"
    return (
        f"{merged}; in the {last['rows']:,} x {last['cols']:,} table for witness "
        f"{last['witness']} (started at {last['seconds']:.0f} s)"
    )


def measure(
    python: Path,
    tool: str,
    case: Case,
    files: list[Path],
    timeout: float,
    memory_limit: int,
    profile: Path | None = None,
) -> Run:
    folder = files[0].parent
    spec = {
        "tool": tool,
        "files": [str(f) for f in files],
        "out": str(folder / f"{tool}-out.json"),
        "memory_limit": memory_limit,
        "profile": str(profile) if profile else "",
    }
    start = time.perf_counter()
    child = subprocess.Popen(
        [str(python), "-c", DRIVER, json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a timeout kills it all
        cwd=folder,  # not benchmarks/, where this file would shadow the collatex package
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        note = f"> {timeout:g} s"
        if tool == "collatex":
            note += f"; {_progress_note(out)}"
        return Run(case, tool, note=note, limit=timeout)
    wall = time.perf_counter() - start
    for line in out.splitlines():
        if line.startswith(RESULT_MARK):
            report = json.loads(line[len(RESULT_MARK) :])
            return Run(
                case,
                tool,
                wall=wall,
                compute=float(report["compute_seconds"]),
                peak_mb=float(report["maxrss_kb"]) / 1024,  # Linux: kilobytes
                result=dict(report["result"]),
            )
    if "BENCH-MEMORY" in out.splitlines():
        note = f"out of memory (limit {memory_limit / 2**30:g} GiB) after {wall:.0f} s"
        if tool == "collatex":
            note += f"; {_progress_note(out)}"
        return Run(case, tool, note=note)
    last = (err.strip().splitlines() or ["no output"])[-1]
    return Run(case, tool, note=f"failed (exit {child.returncode}): {last[:120]}")


# ---------------------------------------------------------------- output


def _time_ratio(mine: Run, other: Run | None) -> str:
    """collate's compute time over CollateX's; a bound when CollateX hit the limit."""
    if other is None or mine.compute is None:
        return "-"
    if other.compute:
        return f"{mine.compute / other.compute:.4f}x"
    if other.limit:  # CollateX took more than the limit, so the ratio is below this
        return f"< {mine.compute / other.limit:.4f}x"
    return "-"


def _mem_ratio(mine: Run, other: Run | None) -> str:
    if other is None or mine.peak_mb is None or not other.peak_mb:
        return "-"
    return f"{mine.peak_mb / other.peak_mb:.3f}x"


def _short(note: str) -> str:
    if note.startswith(">"):
        return note.split(";")[0]
    return "no memory" if note.startswith("out of memory") else note.split(" ")[0]


def print_table(runs: list[Run]) -> None:
    head = (
        "case",
        "tool",
        "wall s",
        "compute s",
        "peak MB",
        "tokens",
        "columns",
        "varying",
        "variants",
        "time c/X",
        "mem c/X",
    )
    others = {r.case.name: r for r in runs if r.tool == "collatex"}
    rows = []
    for r in runs:
        res = r.result
        own = r.tool == "collate"
        other = others.get(r.case.name)
        rows.append(
            (
                r.case.name,
                r.tool,
                num(r.wall, ".2f") if r.wall is not None else _short(r.note),
                num(r.compute, ".2f"),
                num(r.peak_mb, ".0f"),
                f"{sum(res['tokens']):,}" if "tokens" in res else "-",
                f"{res['columns']:,}" if "columns" in res else "-",
                f"{res['varying']:,}" if "varying" in res else "-",
                f"{res['variants']:,}" if "variants" in res else "",
                _time_ratio(r, other) if own else "",
                _mem_ratio(r, other) if own else "",
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    left = {0, 1}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    print(line(head))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    for r in runs:
        if r.note:
            print(f"  note: {r.case.name}, {r.tool}: {r.note}")


def print_profile(stats_file: Path, top: int, case: Case) -> None:
    import pstats

    for key in ("tottime", "cumulative"):
        print(f"\ncProfile of collate compare on {case.name}, top {top} by {key}:")
        stats = pstats.Stats(str(stats_file), stream=sys.stdout)
        stats.strip_dirs().sort_stats(key).print_stats(top)


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--cases",
        type=parse_case,
        nargs="+",
        default=[parse_case(c) for c in DEFAULT_CASES],
        metavar="KxN",
        help="witness sets: the first N words of K editions, or Kxfull "
        f"(default: {' '.join(DEFAULT_CASES)})",
    )
    p.add_argument(
        "--tools", nargs="+", choices=TOOLS, default=list(TOOLS), help="tools to measure"
    )
    p.add_argument("--timeout", type=float, default=300, help="seconds per measurement")
    p.add_argument(
        "--memory-limit",
        type=float,
        default=10,
        help="GiB of address space per measurement, 0 for none (default: %(default)s); "
        "past it the tool fails with MemoryError instead of pushing the machine to swap "
        "or the OOM killer",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the Darwin JSON file")
    p.add_argument("--venv", type=Path, default=Path("/tmp/bench-venv"), help="venv for CollateX")
    p.add_argument("--keep", action="store_true", help="keep the witness files and say where")
    p.add_argument(
        "--profile",
        action="store_true",
        help="also run collate once under cProfile on each case and print the top functions",
    )
    p.add_argument("--profile-top", type=int, default=20, help="functions shown by --profile")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.data.is_file():
        print(
            f"error: the Darwin data is missing: {args.data}\n"
            "This benchmark reads shared/data/collatex (a sibling of the repository). "
            "Check out shared/ next to the repo or pass --data PATH to a file of the same "
            'shape: {"paragraphs": [{"witnesses": [{"id": "1859", "content": "..."}]}]}.',
            file=sys.stderr,
        )
        return 2
    own_python = Path(sys.executable)
    probe = subprocess.run([str(own_python), "-c", "import collate"], capture_output=True)
    if "collate" in args.tools and probe.returncode != 0:
        print(
            f"error: {own_python} cannot import collate; run this with the project's venv",
            file=sys.stderr,
        )
        return 2
    peer_python = (
        ensure_peer_venv(args.venv, PEER_MODULES, PEER_PACKAGES)
        if "collatex" in args.tools
        else None
    )
    memory_limit = int(args.memory_limit * 2**30)

    versions = [f"collate {package_version(own_python, 'collate')}"]
    if peer_python is not None:
        versions += [f"{p} {package_version(peer_python, p)}" for p in PEER_PACKAGES[:1]]
        versions += [f"{p} {package_version(peer_python, p)}" for p in PEER_MODULES[1:]]
    print(
        f"Python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} CPUs; "
        + ", ".join(versions)
    )
    limit = f"{args.memory_limit:g} GiB" if memory_limit else "none"
    print(f"Data: {args.data.name}; timeout {args.timeout:g} s; memory limit {limit}")

    editions = load_editions(args.data)
    folder = Path(tempfile.mkdtemp(prefix="collate-bench-collatex-"))
    runs: list[Run] = []
    try:
        for case in args.cases:
            files = write_case(folder, case, editions)
            words = [len(f.read_text(encoding="utf-8").split()) for f in files]
            shown = ", ".join(f"{f.stem} {w:,}" for f, w in zip(files, words, strict=True))
            print(f"\n{case.name}: words per witness: {shown}; measuring ...", flush=True)
            for tool in args.tools:
                python = own_python if tool == "collate" else peer_python
                assert python is not None
                run = measure(python, tool, case, files, args.timeout, memory_limit)
                runs.append(run)
                shown = f"{run.wall:.2f} s" if run.wall is not None else run.note
                print(f"  {tool}: {shown}", flush=True)
            if args.profile and "collate" in args.tools:
                stats = files[0].parent / "collate.prof"
                got = measure(
                    own_python, "collate", case, files, args.timeout * 3, memory_limit, stats
                )
                if got.note:
                    print(f"  profile: {got.note}")
                else:
                    print_profile(stats, args.profile_top, case)
        print()
        print_table(runs)
    finally:
        if args.keep:
            print(f"\nWitness files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
