"""Reading and collating many TEI transcriptions: ``collate compare`` on N files of ~20,000 words.

Builds N TEI files from the manuscript transcriptions in FOLDER (``*-Ms*.xml``, by default
the six of De incarnatione in /work/shared/data/editions/pta_de_incarnatione): file k is
transcription k mod 6 with seeded edits in its text (about 2 % of words replaced by another
word of the text, 1 % deleted), its markup kept. Then times, each in a subprocess of its own,
reading the N files (``read_witnesses``) and the whole ``collate compare --format json``.

    python benchmarks/tei_speed.py [--files 50] [--folder FOLDER]
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path("/work/shared/data/editions/pta_de_incarnatione")
_TEXT = re.compile(r">([^<]+)<")
_BODY = re.compile(rb"<body[\s>]")


def edited(xml: str, seed: int) -> str:
    """``xml`` with seeded word edits in the text between tags after ``<body>``."""
    rng = random.Random(seed)
    start = xml.index("<body")
    words = re.findall(r"\w+", xml[start:])

    def change(match: re.Match[str]) -> str:
        def word(w: re.Match[str]) -> str:
            roll = rng.random()
            if roll < 0.02:
                return rng.choice(words)
            return "" if roll < 0.03 else w.group(0)

        return ">" + re.sub(r"\w+", word, match.group(1)) + "<"

    return xml[:start] + _TEXT.sub(change, xml[start:])


def build(folder: Path, count: int, out: Path) -> list[Path]:
    sources = sorted(folder.glob("*-Ms*.xml"))
    if not sources:
        raise SystemExit(f"{folder}: no *-Ms*.xml transcriptions")
    paths = []
    for k in range(count):
        source = sources[k % len(sources)]
        path = out / f"w{k + 1:02d}.xml"
        path.write_text(edited(source.read_text(encoding="utf-8"), k), encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--folder", type=Path, default=DEFAULT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tei-speed-") as tmp:
        paths = build(args.folder, args.files, Path(tmp))
        read = (
            "import sys; from pathlib import Path; from collate.readers import read_witnesses; "
            "w = read_witnesses([Path(p) for p in sys.argv[1:]]); "
            "print(sum(len(x.text.split()) for x in w) // len(w))"
        )
        words = subprocess.run(
            [sys.executable, "-c", read, *map(str, paths)], capture_output=True, text=True
        ).stdout.strip()
        reading = timed([sys.executable, "-c", read, *map(str, paths)])
        out = str(Path(tmp) / "result.json")
        whole = timed(
            [
                sys.executable,
                "-m",
                "collate",
                "compare",
                *map(str, paths),
                "--format",
                "json",
                "-o",
                out,
            ]
        )
    print(f"{args.files} TEI files, {words} words each on average")
    print(f"read:            {reading:6.1f} s")
    print(f"read + collate:  {whole:6.1f} s (collate compare --format json)")


if __name__ == "__main__":
    main()
