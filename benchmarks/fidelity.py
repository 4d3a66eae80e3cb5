"""Benchmark ``collate fidelity`` against dinglehopper and jiwer on long text pairs.

Builds reference/hypothesis pairs of a given size from real newspaper prose (the
human-corrected column of the Chronicling America data in ``../shared``), puts
seeded OCR-like errors into the hypothesis, then measures each tool in a
subprocess of its own: wall time, peak memory (the child's own ``ru_maxrss``),
CER and WER. dinglehopper and jiwer run from a separate venv (``/tmp/bench-venv``
by default, created with pip when missing) so the project's venv stays clean.

    python benchmarks/fidelity.py
    python benchmarks/fidelity.py --words 10000 --tools collate jiwer --repeat 3
    python benchmarks/fidelity.py --words 100000 --tools collate --profile

See ``benchmarks/README.md`` for how to read the output.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import statistics
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
DEFAULT_DATA = (
    REPO_ROOT.parent / "shared/data/newspapers/dataset3_chroniclingamerica_allArticles.txt"
)
SEPARATOR = "||@@||"
DEFAULT_SIZES = (10_000, 100_000, 200_000)
TOOLS = ("collate", "dinglehopper", "jiwer")
PEER_PACKAGES = ("dinglehopper", "jiwer", "rapidfuzz")
RESULT_MARK = "BENCH-RESULT "

# OCR confusions, reference -> hypothesis (classic shapes that OCR engines mix up).
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("rn", "m"),
    ("m", "rn"),
    ("e", "c"),
    ("c", "e"),
    ("l", "1"),
    ("1", "l"),
    ("I", "l"),
    ("l", "I"),
    ("O", "0"),
    ("0", "O"),
    ("o", "0"),
    ("h", "b"),
    ("b", "h"),
    ("u", "n"),
    ("n", "u"),
    ("a", "o"),
    ("cl", "d"),
    ("d", "cl"),
    ("w", "vv"),
    ("i", "l"),
    ("t", "f"),
    ("f", "t"),
    ("S", "5"),
    ("B", "8"),
    ("ri", "n"),
    ("li", "h"),
    ("ni", "m"),
    ("y", "v"),
    ("g", "q"),
    ("E", "F"),
    (",", "."),
    (".", ","),
    ("'", "`"),
)
NOISE = ".,'`-^~:;|ilrn"  # specks and thin strokes that OCR reads into the text

# The measuring driver: run as ``python -c DRIVER TOOL REFERENCE HYPOTHESIS [PROFILE]``
# in the tool's own interpreter. It reports one JSON line: the tool's figures,
# the seconds spent after imports, and the process's own peak RSS.
DRIVER = textwrap.dedent(
    """
    import json, resource, sys, time

    t_start = time.perf_counter()
    tool, ref_path, hyp_path = sys.argv[1:4]
    profile_out = sys.argv[4] if len(sys.argv) > 4 else ""


    def collapsed(path):
        import re
        with open(path, encoding="utf-8") as f:
            return re.sub(r"\\s+", " ", f.read()).strip()


    if tool == "collate":
        import io, contextlib
        from collate.cli import main

        def run():
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                main(["fidelity", ref_path, hyp_path, "--format", "json"], standalone_mode=False)
            data = json.loads(out.getvalue())
            keys = ("cer", "wer", "char_distance", "char_total", "word_distance", "word_total")
            return {k: data[k] for k in keys}

    elif tool == "dinglehopper":
        from dinglehopper import character_error_rate_n, word_error_rate_n

        def run():
            ref, hyp = collapsed(ref_path), collapsed(hyp_path)
            cer, n_chars = character_error_rate_n(ref, hyp)
            result = {"cer": cer, "char_total": n_chars}
            try:
                wer, n_words = word_error_rate_n(ref, hyp)
            except Exception as error:  # multimethod >= 2 finds str ambiguous (str, Iterable)
                # The same computation as dinglehopper's (str, str) method, through its
                # word-list method: words of the NFC text (UAX #29), then Levenshtein.
                from dinglehopper.word_error_rate import words_normalized

                result["note"] = f"word_error_rate_n(str, str) raised {type(error).__name__}"
                wer, n_words = word_error_rate_n(
                    list(words_normalized(ref)), list(words_normalized(hyp))
                )
            return {**result, "wer": wer, "word_total": n_words}

    elif tool == "jiwer":
        import jiwer

        def run():
            ref, hyp = collapsed(ref_path), collapsed(hyp_path)
            return {"cer": jiwer.cer(ref, hyp), "wer": jiwer.wer(ref, hyp)}

    elif tool == "check":
        # The documented rule, independently of collate: NFC, whitespace collapsed,
        # extended grapheme clusters, plain Levenshtein distance.
        import unicodedata
        import regex
        from rapidfuzz.distance import Levenshtein

        def run():
            ids = {}
            def units(path):
                text = unicodedata.normalize("NFC", collapsed(path))
                return [ids.setdefault(g, len(ids)) for g in regex.findall(r"\\X", text)]
            ref, hyp = units(ref_path), units(hyp_path)
            distance = Levenshtein.distance(ref, hyp)
            return {"cer": distance / len(ref) if ref else float(bool(hyp)),
                    "char_distance": distance, "char_total": len(ref)}

    else:
        raise SystemExit(f"unknown tool {tool}")

    t_imported = time.perf_counter()
    if profile_out:
        import cProfile
        profiler = cProfile.Profile()
        result = profiler.runcall(run)
        profiler.dump_stats(profile_out)
    else:
        result = run()
    t_done = time.perf_counter()
    report = {
        "result": result,
        "import_seconds": t_imported - t_start,
        "compute_seconds": t_done - t_imported,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print("BENCH-RESULT " + json.dumps(report), flush=True)
    """
)


# ---------------------------------------------------------------- the pairs


def load_prose(path: Path) -> list[str]:
    """The human-corrected column of the newspaper file, one line of prose each."""
    lines = []
    with path.open(encoding="utf-8") as f:
        for raw in f:
            fields = raw.rstrip("\n").split(SEPARATOR)
            if len(fields) != 3:  # article headers (*$*OVERPROOF*$* ...) have one field
                continue
            text = " ".join(fields[1].split())
            if text:
                lines.append(text)
    if not lines:
        raise SystemExit(f"{path}: no 'raw||@@||corrected||@@||auto' lines found")
    return lines


def build_reference(prose: list[str], words: int) -> list[str]:
    """Lines of prose, repeated from the start as needed, cut at ``words`` words."""
    out: list[str] = []
    count = 0
    while count < words:
        for line in prose:
            tokens = line.split(" ")
            take = tokens[: words - count]
            out.append(" ".join(take))
            count += len(take)
            if count >= words:
                break
    return out


def _corrupt_word(word: str, rng: random.Random, rate: float) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        if rng.random() < rate:
            op = rng.random()
            if op < 0.6:  # an OCR confusion where one fits, else a random substitution
                fits = [(a, b) for a, b in CONFUSIONS if word.startswith(a, i)]
                if fits:
                    a, b = rng.choice(fits)
                    out.append(b)
                    i += len(a)
                else:
                    out.append(rng.choice("abcdefghijklmnopqrstuvwxyz"))
                    i += 1
                continue
            if op < 0.8:  # deletion
                i += 1
                continue
            out.append(rng.choice(NOISE))  # insertion before this character
        out.append(word[i])
        i += 1
    return "".join(out)


def corrupt(lines: list[str], seed: int, rate: float) -> list[str]:
    """OCR-like errors: confusions, deletions, insertions, split and merged words."""
    rng = random.Random(seed)
    result = []
    for line in lines:
        words: list[str] = []
        for word in line.split(" "):
            word = _corrupt_word(word, rng, rate)
            if len(word) >= 4 and rng.random() < rate / 4:  # a split word
                cut = rng.randrange(1, len(word) - 1)
                words.extend((word[:cut], word[cut:]))
            elif words and rng.random() < rate / 4:  # merged with the previous word
                words[-1] += word
            else:
                words.append(word)
        result.append(" ".join(w for w in words if w))
    return result


def write_pair(folder: Path, prose: list[str], words: int, seed: int, rate: float) -> Path:
    """``folder/<words>/reference.txt`` and ``hypothesis.txt``; returns the pair's folder."""
    pair = folder / str(words)
    pair.mkdir(parents=True, exist_ok=True)
    reference = build_reference(prose, words)
    (pair / "reference.txt").write_text("\n".join(reference) + "\n", encoding="utf-8")
    hypothesis = corrupt(reference, seed + words, rate)
    (pair / "hypothesis.txt").write_text("\n".join(hypothesis) + "\n", encoding="utf-8")
    return pair


# ---------------------------------------------------------------- the peer venv


# ---------------------------------------------------------------- measuring


@dataclass
class Run:
    """One measurement of one tool on one pair (the median of ``--repeat`` runs)."""

    words: int
    tool: str
    wall: float | None = None  # None: timed out or failed (see note)
    compute: float | None = None
    peak_mb: float | None = None
    result: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Child:
    """What one driver process reported, and the wall time around it."""

    wall: float
    compute: float
    peak_mb: float
    result: dict[str, Any]


def measure_once(
    python: Path, tool: str, pair: Path, timeout: float, profile: Path | None = None
) -> Child | str:
    """The driver's report, or a note saying why there is none."""
    args = [str(python), "-c", DRIVER, tool, str(pair / "reference.txt")]
    args.append(str(pair / "hypothesis.txt"))
    if profile is not None:
        args.append(str(profile))
    start = time.perf_counter()
    child = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a timeout kills it all
        cwd=pair,
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return f"> {timeout:g} s"
    wall = time.perf_counter() - start
    for line in out.splitlines():
        if line.startswith(RESULT_MARK):
            report = json.loads(line[len(RESULT_MARK) :])
            return Child(
                wall=wall,
                compute=float(report["compute_seconds"]),
                peak_mb=float(report["maxrss_kb"]) / 1024,  # Linux: kilobytes
                result=dict(report["result"]),
            )
    last = (err.strip().splitlines() or ["no output"])[-1]
    return f"failed (exit {child.returncode}): {last[:120]}"


def measure(python: Path, tool: str, words: int, pair: Path, timeout: float, repeat: int) -> Run:
    children: list[Child] = []
    for _ in range(repeat):
        got = measure_once(python, tool, pair, timeout)
        if isinstance(got, str):
            return Run(words, tool, note=got)
        children.append(got)
    return Run(
        words,
        tool,
        wall=statistics.median(c.wall for c in children),
        compute=statistics.median(c.compute for c in children),
        peak_mb=max(c.peak_mb for c in children),
        result=children[-1].result,
    )


# ---------------------------------------------------------------- output


def _ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def _short(note: str) -> str:
    return note if note.startswith(">") else note.split(" ")[0]


def print_table(runs: list[Run]) -> None:
    head = (
        "words",
        "tool",
        "wall s",
        "compute s",
        "peak MB",
        "CER",
        "WER",
        "time/collate",
        "mem/collate",
    )
    rows = []
    base = {r.words: r for r in runs if r.tool == "collate"}
    for r in runs:
        ref = base.get(r.words)
        own = r.tool == "collate"
        rows.append(
            (
                f"{r.words:,}",
                r.tool,
                num(r.wall, ".2f") if r.wall is not None else _short(r.note),
                num(r.compute, ".2f"),
                num(r.peak_mb, ".0f"),
                num(r.result.get("cer"), ".4%"),
                num(r.result.get("wer"), ".4%"),
                "" if own else _ratio(r.wall, ref.wall if ref else None),
                "" if own else _ratio(r.peak_mb, ref.peak_mb if ref else None),
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
        note = r.note or str(r.result.get("note", ""))
        if note and not note.startswith(">"):
            print(f"  note: {r.words:,} words, {r.tool}: {note}")


def _spread(values: list[float]) -> str:
    if len(values) < 2:
        return ""
    gap = max(values) - min(values)
    if gap < 1e-12:
        return "  -> all agree"
    return f"  -> differ by up to {gap * 100:.4f} percentage points"


def print_agreement(runs: list[Run], checks: dict[int, Run]) -> None:
    print()
    print("Agreement (each tool counts its own way; see benchmarks/README.md):")
    for words in sorted({r.words for r in runs}):
        mine = [r for r in runs if r.words == words and r.result]
        print(f"  {words:,} words per witness")
        for key, name in (("cer", "CER"), ("wer", "WER")):
            values = [float(r.result[key]) for r in mine]
            shown = ", ".join(f"{r.tool} {v:.4%}" for r, v in zip(mine, values, strict=True))
            print(f"    {name}: {shown or '-'}{_spread(values)}")
        for key, name in (("char_total", "characters"), ("word_total", "words")):
            counted = [f"{r.tool} {int(r.result[key]):,}" for r in mine if key in r.result]
            if counted:
                print(f"    reference {name}: {', '.join(counted)}")
        check, collate = checks.get(words), next((r for r in mine if r.tool == "collate"), None)
        if check is None or collate is None:
            continue
        label = (
            "    collate CER = plain grapheme Levenshtein (rapidfuzz; NFC, whitespace collapsed)"
        )
        if not check.result:
            print(f"{label}: check {check.note}")
            continue
        c, k = collate.result, check.result
        same = (c["char_distance"], c["char_total"]) == (k["char_distance"], k["char_total"])
        print(
            f"{label}: {'yes' if same else 'NO'}: collate {int(c['char_distance']):,}/"
            f"{int(c['char_total']):,}, check {int(k['char_distance']):,}/"
            f"{int(k['char_total']):,} (check took {num(check.compute, '.2f')} s)"
        )


def print_profile(stats_file: Path, top: int) -> None:
    import pstats

    for key in ("tottime", "cumulative"):
        print(f"\ncProfile of collate fidelity, top {top} by {key}:")
        stats = pstats.Stats(str(stats_file), stream=sys.stdout)
        stats.strip_dirs().sort_stats(key).print_stats(top)


# ---------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--words",
        type=int,
        nargs="+",
        default=list(DEFAULT_SIZES),
        help="words per witness, one pair each (default: %(default)s)",
    )
    p.add_argument(
        "--tools", nargs="+", choices=TOOLS, default=list(TOOLS), help="tools to measure"
    )
    p.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    p.add_argument("--timeout", type=float, default=300, help="seconds per measurement")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the newspaper file")
    p.add_argument("--seed", type=int, default=1, help="seed of the OCR-like errors")
    p.add_argument(
        "--error-rate",
        type=float,
        default=0.03,
        help="chance of an edit at each character of the hypothesis (default: %(default)s)",
    )
    p.add_argument("--venv", type=Path, default=Path("/tmp/bench-venv"), help="venv for the peers")
    p.add_argument("--keep", action="store_true", help="keep the pair files and say where")
    p.add_argument(
        "--profile",
        action="store_true",
        help="also run collate once under cProfile on each pair and print the top functions",
    )
    p.add_argument("--profile-top", type=int, default=20, help="functions shown by --profile")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.data.is_file():
        print(
            f"error: the newspaper data is missing: {args.data}\n"
            "This benchmark reads the human-corrected prose of shared/data/newspapers "
            "(a sibling of the repository). Check out shared/ next to the repo or pass "
            "--data PATH to a file of 'raw||@@||corrected||@@||auto' lines.",
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
    peers = [t for t in args.tools if t != "collate"]
    peer_python = (
        ensure_peer_venv(args.venv, ("dinglehopper", "jiwer", "rapidfuzz"), PEER_PACKAGES)
        if peers
        else None
    )

    versions = [f"collate {package_version(own_python, 'collate')}"]
    if peer_python is not None:
        versions += [f"{t} {package_version(peer_python, t)}" for t in peers]
    print(
        f"Python {sys.version.split()[0]} on {platform.machine()}, {os.cpu_count()} CPUs; "
        + ", ".join(versions)
    )
    print(
        f"Data: {args.data.name}, human-corrected column; seed {args.seed}, "
        f"error rate {args.error_rate}; timeout {args.timeout:g} s; repeat {args.repeat}"
    )

    prose = load_prose(args.data)
    folder = Path(tempfile.mkdtemp(prefix="collate-bench-"))
    runs: list[Run] = []
    checks: dict[int, Run] = {}
    timed_out: set[str] = set()
    try:
        for words in args.words:
            pair = write_pair(folder, prose, words, args.seed, args.error_rate)
            size = sum(p.stat().st_size for p in pair.glob("*.txt")) / 2**20
            print(f"\n{words:,} words: pair written ({size:.1f} MB); measuring ...", flush=True)
            if "collate" in args.tools:
                checks[words] = measure(own_python, "check", words, pair, args.timeout, 1)
            for tool in args.tools:
                if tool in timed_out:
                    runs.append(Run(words, tool, note="skipped (timed out on a smaller pair)"))
                    continue
                python = own_python if tool == "collate" else peer_python
                assert python is not None
                run = measure(python, tool, words, pair, args.timeout, args.repeat)
                if run.note.startswith(">"):
                    timed_out.add(tool)
                runs.append(run)
                shown = f"{run.wall:.2f} s" if run.wall is not None else run.note
                print(f"  {tool}: {shown}", flush=True)
            if args.profile and "collate" in args.tools:
                stats = pair / "collate.prof"
                got = measure_once(own_python, "collate", pair, args.timeout * 3, stats)
                if isinstance(got, str):
                    print(f"  profile: {got}")
                else:
                    print_profile(stats, args.profile_top)
        print()
        print_table(runs)
        print_agreement(runs, checks)
    finally:
        if args.keep:
            print(f"\nPair files kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
