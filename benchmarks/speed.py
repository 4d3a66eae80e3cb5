"""Speed, memory and alignment quality of ``collate compare`` and ``collate fidelity``.

Builds two-witness pairs of a given size (tokens) from real prose, the human-corrected
column of the Chronicling America newspaper file and the 1859 text of Darwin's *Origin*,
chapter 1 (both in ``../shared/data``), repeated to size, with seeded word substitutions,
insertions, deletions and a few moved blocks. Each tool then runs in a subprocess of its
own (seconds after imports and the child's own ``ru_maxrss``), next to a floor (reading
both files and one regular expression) and other aligners: difflib, rapidfuzz,
dinglehopper and CollateX. For ``collate compare`` it also scores the alignment: its edit
cost against the minimum under the same cost model (a Levenshtein distance on the same
tokens).

    python benchmarks/speed.py
    python benchmarks/speed.py --tokens 1000000 --tools compare floor rapidfuzz
    python benchmarks/speed.py --tokens 2000 --tools compare floor collatex --json out.json

See ``benchmarks/README.md`` for how to read the output.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _harness import compile_bytecode, ensure_peer_venv, num, package_version, wait_sampling
from rapidfuzz.distance import Levenshtein

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared/data"
NEWSPAPERS = SHARED / "newspapers/dataset3_chroniclingamerica_allArticles.txt"
DARWIN = SHARED / "collatex/darwin_origin_ch1_paragraphs_6editions.json"
SEPARATOR = "||@@||"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
# Own Python (the project's venv) or the peer venv.
TOOLS = ("floor", "compare", "fidelity", "difflib", "rapidfuzz", "dinglehopper", "collatex")
PEER_TOOLS = ("dinglehopper", "collatex")
PEER_MODULES = ("dinglehopper", "collatex", "Levenshtein", "rapidfuzz")
PEER_PACKAGES = ("dinglehopper", "collatex", "python-Levenshtein", "rapidfuzz")
TOKEN_RE = r"\w+|[^\w\s]"
WORDS_PER_LINE = 12
BLOCK = 20  # words in a moved block
RESULT_MARK = "BENCH-RESULT "

# The measuring driver: ``python -c DRIVER SPEC_JSON`` in the tool's interpreter. It
# prints one JSON line: the seconds spent after imports, its own peak RSS (taken before
# anything is summarised) and a summary of the tool's output.
DRIVER = textwrap.dedent(
    """
    import json, re, resource, sys, time

    t_start = time.perf_counter()
    spec = json.loads(sys.argv[1])
    tool, (path_a, path_b), out_path = spec["tool"], spec["files"], spec["out"]
    if spec.get("memory_limit"):  # bytes of address space: MemoryError, not the OOM killer
        limit = int(spec["memory_limit"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    TOKEN = re.compile(spec["token_re"])


    def read(path):
        with open(path, encoding="utf-8") as f:
            return f.read()


    def tokens(path):
        return TOKEN.findall(read(path))


    def as_ints(a, b):
        ids = {}
        return [ids.setdefault(t, len(ids)) for t in a], [ids.setdefault(t, len(ids)) for t in b]


    def summary(_):
        return {}


    if tool == "floor":
        def run():
            return len(tokens(path_a)), len(tokens(path_b))

        def summary(out):
            return {"tokens": list(out)}

    elif tool in ("compare", "fidelity"):
        import contextlib, io
        from collate.cli import main

        def run():
            with contextlib.redirect_stdout(io.StringIO()):
                args = [tool, path_a, path_b, "--format", "json", "-o", out_path]
                main(args, standalone_mode=False)

        if tool == "compare":
            def summary(_):
                return {"out": out_path}  # scored by the benchmark script, see score()
        else:
            def summary(_):
                with open(out_path, encoding="utf-8") as f:
                    data = json.load(f)
                return {k: data.get(k) for k in ("cer", "wer")}

    elif tool == "difflib":
        import difflib

        def run():
            a, b = tokens(path_a), tokens(path_b)
            matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
            return matcher.get_opcodes()

        def summary(out):
            return {"opcodes": len(out)}

    elif tool == "rapidfuzz":
        from rapidfuzz.distance import Levenshtein

        def run():
            a, b = as_ints(tokens(path_a), tokens(path_b))
            return Levenshtein.opcodes(a, b)

        def summary(out):
            return {"opcodes": len(out)}

    elif tool == "dinglehopper":
        from dinglehopper import character_error_rate_n

        def collapsed(path):
            return re.sub(r"\\s+", " ", read(path)).strip()

        def run():
            return character_error_rate_n(collapsed(path_a), collapsed(path_b))

        def summary(out):
            return {"cer": out[0]}

    elif tool == "collatex":
        from collatex import Collation, collate

        def run():
            collation = Collation()
            collation.add_plain_witness("A", read(path_a))
            collation.add_plain_witness("B", read(path_b))
            return collate(collation, output="json", segmentation=False)

    else:
        raise SystemExit(f"unknown tool {tool}")

    t_imported = time.perf_counter()
    try:
        out = run()
    except MemoryError:
        print("BENCH-MEMORY", flush=True)
        raise SystemExit(3)
    t_done = time.perf_counter()
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # the largest worker process the tool started and waited for (collate prepares long
    # witnesses on the second core), 0 when it started none
    workers_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = {
        "import_seconds": t_imported - t_start,
        "compute_seconds": t_done - t_imported,
        "maxrss_kb": maxrss_kb,
        "workers_maxrss_kb": workers_kb,
        "result": summary(out),
    }
    print("BENCH-RESULT " + json.dumps(report), flush=True)
    """
)


# ---------------------------------------------------------------- the pairs


def load_words() -> list[str]:
    """Newspaper prose (human-corrected column), then Darwin's 1859 chapter 1, as words."""
    words: list[str] = []
    with NEWSPAPERS.open(encoding="utf-8") as f:
        for raw in f:
            fields = raw.rstrip("\n").split(SEPARATOR)
            if len(fields) == 3:  # article headers (*$*OVERPROOF*$* ...) have one field
                words.extend(fields[1].split())
    data = json.loads(DARWIN.read_text(encoding="utf-8"))
    for paragraph in data["paragraphs"]:
        for witness in paragraph["witnesses"]:
            if witness["id"] == "1859":
                words.extend(witness["content"].split())
    return words


def build_base(pool: list[str], size: int) -> list[str]:
    """Words of ``pool``, repeated from the start, until there are ``size`` tokens."""
    token = re.compile(TOKEN_RE)
    counts = [len(token.findall(w)) for w in pool]
    out: list[str] = []
    total = 0
    while total < size:
        for word, count in zip(pool, counts, strict=True):
            out.append(word)
            total += count
            if total >= size:
                break
    return out


def _mutate(word: str, rng: random.Random) -> str:
    """A one-character change (an OCR-like or typing error)."""
    i = rng.randrange(len(word))
    return word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :]


def edit(base: list[str], seed: int, rate: float) -> tuple[list[str], dict[str, int]]:
    """A copy of ``base`` with substitutions, insertions, deletions and moved blocks."""
    rng = random.Random(seed)
    out: list[str] = []
    made = {"substitutions": 0, "insertions": 0, "deletions": 0, "moves": 0}
    for word in base:
        r = rng.random()
        if r < rate / 2:  # substitution: a changed word or another word of the text
            out.append(_mutate(word, rng) if rng.random() < 0.5 else rng.choice(base))
            made["substitutions"] += 1
        elif r < rate * 3 / 4:
            made["deletions"] += 1
        elif r < rate:
            out.extend((word, rng.choice(base)))
            made["insertions"] += 1
        else:
            out.append(word)
    moves = max(2, len(base) // 50_000)
    for _ in range(moves):
        if len(out) < 4 * BLOCK:
            break
        start = rng.randrange(len(out) - BLOCK)
        block = out[start : start + BLOCK]
        del out[start : start + BLOCK]
        where = rng.randrange(len(out))
        out[where:where] = block
        made["moves"] += 1
    return out, made


def write_words(path: Path, words: list[str]) -> None:
    lines = (" ".join(words[i : i + WORDS_PER_LINE]) for i in range(0, len(words), WORDS_PER_LINE))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_pair(folder: Path, pool: list[str], size: int, seed: int, rate: float) -> list[Path]:
    where = folder / str(size)
    where.mkdir(parents=True, exist_ok=True)
    base = build_base(pool, size)
    edited, made = edit(base, seed + size, rate)
    a, b = where / "a.txt", where / "b.txt"
    write_words(a, base)
    write_words(b, edited)
    shown = ", ".join(f"{v:,} {k}" for k, v in made.items())
    print(f"\n{size:,} tokens: {len(base):,} / {len(edited):,} words; {shown}", flush=True)
    return [a, b]


# ---------------------------------------------------------------- the peer venv


# ---------------------------------------------------------------- measuring


@dataclass
class Run:
    """One measurement of one tool on one pair."""

    size: int
    tool: str
    wall: float | None = None  # None: timed out or failed (see note)
    compute: float | None = None
    peak_mb: float | None = None
    workers_mb: float = 0.0  # the largest worker process's own peak
    tree_mb: float | None = None  # the tool and its workers together (sampled)
    result: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    repeats: int = 1  # wall and compute: the median of this many runs; memory: the largest


def score(out_path: str) -> dict[str, Any]:
    """The edit cost of collate's alignment in its JSON ``out_path``, and the optimum.

    Every rank whose token lists differ costs the longer list's length (min substitutions,
    then insertions or deletions for the rest). The optimum under the same costs is the
    Levenshtein distance of the two token sequences read off the alignment.
    """
    with open(out_path, encoding="utf-8") as f:
        data = json.load(f)
    sa, sb = [w["siglum"] for w in data["witnesses"]]
    seq_a: list[str] = []
    seq_b: list[str] = []
    cost = within = ranks = differing = 0
    for rank in data["alignment"]:
        ta, tb = rank.get(sa) or [], rank.get(sb) or []
        seq_a.extend(ta)
        seq_b.extend(tb)
        ranks += 1
        if ta != tb:
            differing += 1
            cost += max(len(ta), len(tb))
            within += Levenshtein.distance(ta, tb)
    del data
    ids: dict[str, int] = {}
    ia = [ids.setdefault(t, len(ids)) for t in seq_a]
    ib = [ids.setdefault(t, len(ids)) for t in seq_b]
    optimum = Levenshtein.distance(ia, ib, score_hint=cost)  # exact, faster with the hint
    return {
        "tokens": [len(seq_a), len(seq_b)],
        "ranks": ranks,
        "differing_ranks": differing,
        "cost": cost,
        "cost_within_ranks": within,
        "optimum": optimum,
    }


def scored(out_path: str) -> dict[str, Any]:
    """:func:`score` in a process of its own, after the compare child has ended: neither its
    time nor its memory counts as collate's, and the benchmark's own process stays small (a
    child started from it reports at least the parent's size as its ``ru_maxrss``)."""
    done = subprocess.run(
        [sys.executable, __file__, "--score", out_path], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def measure(
    python: Path,
    tool: str,
    size: int,
    files: list[Path],
    timeout: float,
    memory_limit: int,
    score_alignment: bool = True,
) -> Run:
    folder = files[0].parent
    spec = {
        "tool": tool,
        "files": [str(f) for f in files],
        "out": str(folder / f"{tool}-out.json"),
        "memory_limit": memory_limit,
        "token_re": TOKEN_RE,
    }
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        start = time.perf_counter()
        child = subprocess.Popen(
            [str(python), "-c", DRIVER, json.dumps(spec)],
            stdout=out_file,
            stderr=err_file,
            text=True,
            start_new_session=True,  # its own process group, so a timeout kills it all
            cwd=folder,  # not benchmarks/, where collatex.py would shadow the collatex package
        )
        tree = wait_sampling(child, timeout, every=0.05)
        if tree is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return Run(size, tool, note=f"> {timeout:g} s")
        wall = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    for line in out.splitlines():
        if line.startswith(RESULT_MARK):
            report = json.loads(line[len(RESULT_MARK) :])
            return Run(
                size,
                tool,
                wall=wall,
                compute=float(report["compute_seconds"]),
                peak_mb=float(report["maxrss_kb"]) / 1024,  # Linux: kilobytes
                workers_mb=float(report.get("workers_maxrss_kb", 0)) / 1024,
                tree_mb=tree / 2**20,
                result=(
                    scored(spec["out"])
                    if tool == "compare" and score_alignment
                    else dict(report["result"])
                ),
            )
    if "BENCH-MEMORY" in out.splitlines():
        return Run(size, tool, note=f"out of memory (limit {memory_limit / 2**30:g} GiB)")
    last = (err.strip().splitlines() or ["no output"])[-1]
    return Run(size, tool, note=f"failed (exit {child.returncode}): {last[:120]}")


def combined(runs: list[Run]) -> Run:
    """Several runs of one tool on one pair as one: the median wall and compute times, the
    largest memory figures, the last run's result (the alignment is scored once)."""
    if len(runs) == 1:
        return runs[0]
    last = runs[-1]
    return Run(
        last.size,
        last.tool,
        wall=statistics.median(r.wall for r in runs if r.wall is not None),
        compute=statistics.median(r.compute for r in runs if r.compute is not None),
        peak_mb=max(r.peak_mb or 0.0 for r in runs),
        workers_mb=max(r.workers_mb for r in runs),
        tree_mb=max(r.tree_mb or 0.0 for r in runs),
        result=last.result,
        repeats=len(runs),
    )


def measure_size(
    size: int,
    files: list[Path],
    tools: list[tuple[str, Path]],
    args: argparse.Namespace,
    memory_limit: int,
) -> list[Run]:
    """Every tool on one pair, ``args.repeat`` rounds of one run each, in turn (a busy or noisy
    machine varies a lot over time: each tool's median then draws on the same stretches of
    it). A tool that fails or runs out of time is not run again."""
    done: dict[str, list[Run]] = {tool: [] for tool, _ in tools}
    failed: dict[str, Run] = {}
    for round_ in range(args.repeat):
        for tool, python in tools:
            if tool in failed:
                continue
            last_round = round_ == args.repeat - 1
            run = measure(python, tool, size, files, args.timeout, memory_limit, last_round)
            if run.wall is None:
                failed[tool] = run
            else:
                done[tool].append(run)
            if round_ == 0 or run.wall is None:
                shown = f"{run.wall:.2f} s" if run.wall is not None else run.note
                print(f"  {tool}: {shown}", flush=True)
    return [failed.get(tool) or combined(done[tool]) for tool, _ in tools]


# ---------------------------------------------------------------- output


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or not b:
        return "-"
    return f"{a / b:.1f}x"


def _short(note: str) -> str:
    if note.startswith(">"):
        return note
    return "no memory" if note.startswith("out of memory") else note.split(" ")[0]


def _quality(result: dict[str, Any]) -> str:
    if "optimum" not in result:
        return ""
    cost, best = result["cost"], result["optimum"]
    extra = (cost - best) / best * 100 if best else 0.0
    return f"{cost:,} vs {best:,} (+{extra:.3f} %)"


def print_table(runs: list[Run]) -> None:
    head = ("tokens", "tool", "wall s", "compute s", "peak MB", "tree MB", "x floor")
    head += ("wall x floor", "collate cost vs optimum")
    floors = {r.size: r for r in runs if r.tool == "floor"}
    rows = []
    for r in runs:
        floor = floors.get(r.size)
        rows.append(
            (
                f"{r.size:,}",
                r.tool,
                num(r.wall, ".2f") if r.wall is not None else _short(r.note),
                num(r.compute, ".3f"),
                num(r.peak_mb, ".0f"),
                num(r.tree_mb, ".0f"),
                _ratio(r.compute, floor.compute if floor else None),
                _ratio(r.wall, floor.wall if floor else None),
                _quality(r.result),
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    left = {1, 8}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(head))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
    for r in runs:
        if r.note:
            print(f"  note: {r.size:,}, {r.tool}: {r.note}")
    repeats = {r.repeats for r in runs if r.wall is not None}
    if repeats != {1}:
        print(f"  times: the median of {', '.join(map(str, sorted(repeats)))} runs each")
    print_peer_ratios(runs)


PEERS = (("compare", "collatex"), ("fidelity", "dinglehopper"), ("compare", "difflib"))


def print_peer_ratios(runs: list[Run]) -> None:
    """How many times faster collate ran than each peer that finished the same pair."""
    done = {(r.size, r.tool): r for r in runs if r.wall is not None}
    for ours, peer in PEERS:
        for size in sorted({r.size for r in runs}):
            a, b = done.get((size, ours)), done.get((size, peer))
            if a is None or b is None or not a.compute or not a.wall:
                continue
            assert b.compute is not None and b.wall is not None
            print(
                f"  {size:,} tokens: {ours} {b.compute / a.compute:.1f}x faster than {peer} "
                f"(compute), {b.wall / a.wall:.1f}x (wall)"
            )


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--tokens",
        type=int,
        nargs="+",
        default=list(DEFAULT_SIZES),
        help="pair sizes, in tokens of the first witness (default: %(default)s)",
    )
    p.add_argument(
        "--tools", nargs="+", choices=TOOLS, default=list(TOOLS), help="tools to measure"
    )
    p.add_argument("--timeout", type=float, default=120, help="seconds per measurement")
    p.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs per measurement: times are their median (default: %(default)s)",
    )
    p.add_argument(
        "--memory-limit",
        type=float,
        default=12,
        help="GiB of address space per measurement, 0 for none (default: %(default)s)",
    )
    p.add_argument("--rate", type=float, default=0.04, help="chance of an edit at each word")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--venv", type=Path, default=Path("/tmp/bench-venv"), help="peer venv")
    p.add_argument("--json", type=Path, metavar="OUT", help="also write the runs as JSON")
    p.add_argument("--keep", action="store_true", help="keep the pair files and say where")
    p.add_argument("--score", metavar="JSON", help=argparse.SUPPRESS)  # see scored()
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.score:
        print(json.dumps(score(args.score)))
        return 0
    for path in (NEWSPAPERS, DARWIN):
        if not path.is_file():
            print(f"error: missing {path} (../shared/data next to the repo)", file=sys.stderr)
            return 2
    own_python = Path(sys.executable)
    wants_peer = any(t in PEER_TOOLS for t in args.tools)
    peer_python = ensure_peer_venv(args.venv, PEER_MODULES, PEER_PACKAGES) if wants_peer else None
    memory_limit = int(args.memory_limit * 2**30)
    compile_bytecode(own_python)

    versions = [f"collate {package_version(own_python, 'collate')}"]
    versions.append(f"rapidfuzz {package_version(own_python, 'rapidfuzz')}")
    if peer_python is not None:
        versions += [f"{p} {package_version(peer_python, p)}" for p in PEER_TOOLS]
    print(
        f"Python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} CPUs; "
        + ", ".join(versions)
    )
    print(f"timeout {args.timeout:g} s; memory limit {args.memory_limit:g} GiB; rate {args.rate}")

    pool = load_words()
    folder = Path(tempfile.mkdtemp(prefix="collate-bench-speed-"))
    runs: list[Run] = []
    given_up: set[str] = set()
    try:
        for size in sorted(args.tokens):
            # in a process of its own: the benchmark's process stays small (see scored())
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as ex:
                files = ex.submit(write_pair, folder, pool, size, args.seed, args.rate).result()
            tools: list[tuple[str, Path]] = []
            for tool in args.tools:
                python = peer_python if tool in PEER_TOOLS else own_python
                assert python is not None
                tools.append((tool, python))
            measured = measure_size(
                size, files, [(t, p) for t, p in tools if t not in given_up], args, memory_limit
            )
            by_tool = {r.tool: r for r in measured}
            for tool, _ in tools:
                run = by_tool.get(tool) or Run(
                    size, tool, note="skipped after a smaller size failed"
                )
                runs.append(run)
                if run.wall is None:
                    given_up.add(tool)
        print()
        print_table(runs)
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in runs], indent=1) + "\n")
            print(f"\nWritten: {args.json}")
    finally:
        if args.keep:
            print(f"\nPair files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
