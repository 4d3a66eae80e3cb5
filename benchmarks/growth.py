"""Growth of time and memory on hostile shapes: inputs that once took quadratic time.

Each shape is generated at growing sizes (seeded, in a temporary folder) and run through the
CLI in a subprocess of its own, which reports the seconds spent in ``collate.cli.main`` (imports
left out) and its own peak resident memory (``VmHWM`` of ``/proc/self/status``, which starts
afresh at ``exec``; ``ru_maxrss`` elsewhere). For each shape the script prints one
row per size and the growth exponent fitted to the times (the slope of log time against log
size, by least squares): 1 is linear, 2 quadratic; n log n over a size range of 8 fits about 1.1.

Shapes (``SIZE`` is the number that doubles):

- ``shuffled``: two witnesses of the same ``SIZE`` tokens in 10-word blocks, the second with the
  blocks shuffled (``collate compare --format json``).
- ``lacuna-moves``: three witnesses of ``SIZE`` words, one without the first half, two with
  blocks moved far (``SIZE / 1000`` and ``SIZE / 500``) (``collate compare --format json``).
- ``long-short``: a witness of ``SIZE`` tokens (the memo's scan repeated) against the memo's
  transcript (``collate compare --format json``).
- ``alto-hyp``: an ALTO line of one ``String`` followed by a chain of ``SIZE`` ``HYP`` elements,
  against a short text (``collate compare --format json``).
- ``record``: an archive record of ``SIZE`` short paragraphs, repeated ones among them, in two
  witnesses (``collate extract``).
- ``witnesses``: a CollateX JSON file of ``SIZE`` tiny witnesses, variants of one sentence
  (``collate compare --format json``).

Where the command writes its result to standard output, the script also prints its size and
the exponent fitted against it: a result that itself grows faster than the input (the JSON of
N witnesses has a reading and a context of each witness for each variant, and more witnesses
bring more variants) takes time in proportion to what is written.

Run ``python benchmarks/growth.py`` for every shape at its default sizes, ``--shapes`` and
``--scale`` to choose (``--scale 0.5`` halves every size).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
MEMO = ROOT / "witnesses" / "harriman-1944-09-23"
T = TypeVar("T")

DRIVER = """
import contextlib, io, json, os, resource, sys, time
from collate.cli import main
args = json.loads(sys.argv[1])
class Sink(io.TextIOBase):  # counts what the command writes to standard output
    written = 0
    def write(self, text):
        self.written += len(text)
        return len(text)
sink = Sink()
start = time.perf_counter()
with contextlib.redirect_stdout(sink):
    try:
        main(args, standalone_mode=False)
        code = 0
    except SystemExit as stop:
        code = stop.code or 0
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # the process's own high-water mark (ru_maxrss keeps the parent's size at the fork)
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
except (OSError, StopIteration):
    pass
print(json.dumps({"seconds": seconds, "peak_mb": peak, "code": code, "output": sink.written}))
"""

Maker = Callable[[Path, int], list[str]]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    """``size`` made-up words of 2 to 9 letters."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(size)]


def moved_blocks(rng: random.Random, words: list[T], moves: int, size: int = 10) -> list[T]:
    """A copy of ``words`` with ``moves`` blocks of ``size`` words (or tokens), one after the
    other, each taken from anywhere and put back anywhere."""
    out = list(words)
    for _ in range(moves):
        start = rng.randrange(len(out) - size)
        block = out[start : start + size]
        del out[start : start + size]
        where = rng.randrange(len(out))
        out[where:where] = block
    return out


def _write_words(path: Path, words: Sequence[str], per_line: int = 12) -> None:
    lines = (" ".join(words[i : i + per_line]) for i in range(0, len(words), per_line))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_shuffled(folder: Path, size: int) -> list[str]:
    """Two witnesses of the same 10-word blocks, the second's shuffled."""
    rng = random.Random(size)
    pool = vocabulary(rng, 5000)
    blocks = [rng.choices(pool, k=10) for _ in range(size // 10)]
    a, b = folder / "a.txt", folder / "b.txt"
    _write_words(a, [w for block in blocks for w in block])
    rng.shuffle(blocks)
    _write_words(b, [w for block in blocks for w in block])
    return ["compare", str(a), str(b), "--format", "json"]


def make_lacuna_moves(folder: Path, size: int) -> list[str]:
    """Three witnesses of ``size`` words: a text, the same without its first half and with a
    10-word block moved far for every 1,000 words, and the whole with one for every 500."""
    rng = random.Random(size)
    text = rng.choices(vocabulary(rng, 5000), k=size)
    paths = [folder / "a.txt", folder / "b.txt", folder / "c.txt"]
    _write_words(paths[0], text)
    _write_words(paths[1], moved_blocks(rng, text[size // 2 :], size // 1000))
    _write_words(paths[2], moved_blocks(rng, text, size // 500))
    return ["compare", *map(str, paths), "--format", "json"]


def make_long_short(folder: Path, size: int) -> list[str]:
    """A witness of ``size`` tokens (the memo's scan over and over) against the memo."""
    scan = (MEMO / "scan.txt").read_text(encoding="utf-8").split()
    words = (scan * (size // len(scan) + 1))[:size]
    long = folder / "long.txt"
    _write_words(long, words)
    return ["compare", str(long), str(MEMO / "transcript.txt"), "--format", "json"]


def make_alto_hyp(folder: Path, size: int) -> list[str]:
    """An ALTO page of one line: a ``String`` and a chain of ``size`` ``HYP`` elements, each
    a short word (all of them one word, as ALTO's hyphenation rule reads them)."""
    lines = ['<TextLine ID="l1"><String CONTENT="ab"/>' + '<HYP CONTENT="w\u00f6rd-"/>' * size]
    lines.append("</TextLine>")
    alto = folder / "page.xml"
    alto.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace>'
        '<TextBlock ID="b1">'
        + "".join(lines)
        + "</TextBlock></PrintSpace></Page></Layout></alto>\n",
        encoding="utf-8",
    )
    other = folder / "other.txt"
    other.write_text("A few words on the other side.\n", encoding="utf-8")
    return ["compare", str(alto), str(other), "--format", "json"]


def make_record(folder: Path, size: int) -> list[str]:
    """An archive record whose two witnesses are ``size // 2`` short paragraphs each, drawn
    from a few dozen that repeat; the second is the first with three words in ten changed."""
    rng = random.Random(size)
    pool = vocabulary(rng, 300)
    stock = [" ".join(rng.choices(pool, k=rng.randint(2, 5))) for _ in range(40)]
    first = [rng.choice(stock) for _ in range(size // 2)]
    second = [
        " ".join(w if rng.random() > 0.3 else rng.choice(pool) for w in p.split()) for p in first
    ]
    head = "**A record**\n\n**Contents:**\n\nOriginal Scan\nTranscript\n\n"
    record = folder / "record.txt"
    record.write_text(head + "\n\n".join(first + second) + "\n", encoding="utf-8")
    return ["extract", str(record), "-o", str(folder / "out")]


def make_witnesses(folder: Path, size: int) -> list[str]:
    """A CollateX JSON file of ``size`` tiny witnesses, each a copy of one six-word sentence
    with a word now and then replaced (from a few readings per place) or left out."""
    rng = random.Random(size)
    readings = [vocabulary(rng, 4) for _ in range(6)]
    witnesses = []
    for n in range(size):
        words = [r[0] if rng.random() < 0.7 else rng.choice(r) for r in readings]
        words = [w for w in words if rng.random() > 0.05]
        witnesses.append({"id": f"w{n}", "content": " ".join(words)})
    path = folder / "witnesses.json"
    path.write_text(json.dumps({"witnesses": witnesses}), encoding="utf-8")
    return ["compare", str(path), "--format", "json"]


SHAPES: dict[str, tuple[Maker, tuple[int, ...]]] = {
    "shuffled": (make_shuffled, (50_000, 100_000, 200_000, 400_000)),
    "lacuna-moves": (make_lacuna_moves, (50_000, 100_000, 200_000, 400_000)),
    "long-short": (make_long_short, (1_250_000, 2_500_000, 5_000_000, 10_000_000)),
    "alto-hyp": (make_alto_hyp, (20_000, 40_000, 80_000, 160_000)),
    "record": (make_record, (2_500, 5_000, 10_000, 20_000)),
    "witnesses": (make_witnesses, (1_000, 3_000, 10_000, 20_000)),
}


def run(args: list[str], timeout: float, folder: Path) -> dict[str, float] | None:
    """The driver's figures for ``collate ARGS`` run in ``folder`` (so that ``PYTHONPATH``
    chooses the collate measured, not the working directory), or None when it timed out or
    failed."""
    command = [sys.executable, "-c", DRIVER, json.dumps(args)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=folder)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0 or not done.stdout.strip():
        print(done.stderr[-400:], file=sys.stderr)
        return None
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """The least-squares slope of log(seconds) against log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(t, 1e-3)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    return num / sum((x - mx) ** 2 for x in xs)


def measure(shape: str, scale: float, timeout: float) -> None:
    make, sizes = SHAPES[shape]
    measured: list[tuple[int, float, int]] = []
    print(f"\n{shape}\n{'size':>12} {'seconds':>9} {'peak MB':>9} {'exit':>5} {'output MB':>10}")
    for size in (max(10, round(s * scale)) for s in sizes):
        with tempfile.TemporaryDirectory(prefix="collate-growth-") as tmp:
            figures = run(make(Path(tmp), size), timeout, Path(tmp))
        if figures is None:
            print(f"{size:>12,} {'> ' + str(int(timeout)):>9} {'-':>9} {'-':>5}", flush=True)
            break
        seconds, peak, output = figures["seconds"], figures["peak_mb"], int(figures["output"])
        print(
            f"{size:>12,} {seconds:>9.2f} {peak:>9.0f} {figures['code']:>5} {output / 1e6:>10.1f}",
            flush=True,
        )
        measured.append((size, seconds, output))
    if len(measured) >= 2:
        times = [t for _, t, _ in measured]
        fitted = exponent([s for s, _, _ in measured], times)
        print(f"fitted growth exponent: {fitted:.2f}")
        if all(o for _, _, o in measured):  # the command writes its result to standard output
            against = exponent([o for _, _, o in measured], times)
            print(f"fitted growth exponent against the output's size: {against:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", nargs="+", choices=sorted(SHAPES), default=list(SHAPES))
    parser.add_argument("--scale", type=float, default=1.0, help="factor on every size")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    options = parser.parse_args()
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}")
    for shape in options.shapes:
        measure(shape, options.scale, options.timeout)


if __name__ == "__main__":
    main()
