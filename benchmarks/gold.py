"""Alignment quality of ``collate compare`` against gold alignments of several witnesses.

For every development edition: the gold table (the Patristic Text Archive editions' TEI
apparatus through ``tei_apparatus_table.py``; Darwin's six editions from CollateX's expected
alignment, cut where every edition has a space), the witness texts the table implies
(``gold_agreement.py texts``), ``collate compare --format json`` on them, and both scorers of
``../shared/tools``: token alignment agreement on all gold rows and on variant rows
(``gold_agreement.py score``) and the F1 of the alignment's own variation units
(``unit_agreement.py --from alignment``). Prints one row per edition. ``--code PATH`` runs the
collate found at PATH (another checkout) instead, to compare two versions.

    python benchmarks/gold.py
    python benchmarks/gold.py --code /tmp/old-checkout
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = Path("/work/shared")
JSON = ("--format", "json")
UNITS = ("--from", "alignment")


def tei_gold(edition: Path, out: Path, tools: Path) -> None:
    """The gold table of a TEI edition with a parallel-segmentation apparatus."""
    script = tools / "tei_apparatus_table.py"
    subprocess.run(
        [sys.executable, str(script), str(edition), str(out)], check=True, capture_output=True
    )


def darwin_gold(aligned: Path, out: Path) -> None:
    """The gold table of CollateX's aligned Darwin: the padded strings of the six editions
    cut at every column where all of them have a space, one row per piece."""
    text = aligned.read_text(encoding="utf-8")
    table: dict[str, str] = ast.literal_eval(text[text.index("aligned\n") + len("aligned\n") :])
    sigla = list(table)
    width = max(len(v) for v in table.values())
    padded = [table[s].ljust(width) for s in sigla]
    cuts = [c for c in range(width) if all(p[c] == " " for p in padded)]
    rows = []
    for lo, hi in zip([-1, *cuts], [*cuts, width], strict=True):
        cells = [" ".join(p[lo + 1 : hi].split()) for p in padded]
        if any(cells):
            rows.append(cells)
    lines = ["\t".join(sigla), *("\t".join(r) for r in rows)]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def editions(shared: Path) -> list[tuple[str, Path | None, Path | None]]:
    """(name, TEI edition or None, CollateX aligned file or None) for each development set."""
    found: list[tuple[str, Path | None, Path | None]] = []
    for folder in sorted((shared / "data/editions").iterdir()):
        if folder.is_dir():
            found.extend((folder.name, e, None) for e in sorted(folder.glob("*pta-grc1.xml")))
    darwin = shared / "data/collatex/darwin_ch1_para1_aligned_6editions.txt"
    if darwin.exists():
        found.append(("darwin_ch1_para1", None, darwin))
    return found


def measure(
    name: str, edition: Path | None, aligned: Path | None, shared: Path, code: str | None
) -> dict[str, str]:
    """The scores of one development set (all strings, as the scorers print them)."""
    tools = shared / "tools"
    with tempfile.TemporaryDirectory(prefix=f"gold-{name}-") as tmp:
        work = Path(tmp)
        gold, texts, result = work / "gold.tsv", work / "texts", work / "result.json"
        texts.mkdir()
        if edition is not None:
            tei_gold(edition, gold, tools)
        elif aligned is not None:
            darwin_gold(aligned, gold)
        py = sys.executable
        subprocess.run(
            [py, str(tools / "gold_agreement.py"), "texts", str(gold), str(texts)],
            check=True,
            capture_output=True,
        )
        witnesses = sorted(texts.glob("*.txt"))
        env = dict(os.environ, PYTHONPATH=code) if code else None
        start = time.perf_counter()
        subprocess.run(
            [py, "-m", "collate", "compare", *map(str, witnesses), *JSON, "-o", str(result)],
            check=True,
            env=env,
            cwd=work,  # not this folder, whose collate would come first on the path
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        tokens = subprocess.run(
            [py, str(tools / "gold_agreement.py"), "score", str(gold), str(texts), str(result)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        units = subprocess.run(
            [py, str(tools / "unit_agreement.py"), str(gold), str(texts), str(result), *UNITS],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    f1 = units.split()[2]  # precision, recall, F1, units per gold unit
    return {
        "set": name,
        "witnesses": str(len(witnesses)),
        "all rows": tokens[0],
        "variant rows": tokens[1],
        "unit F1": f1,
        "seconds": f"{seconds:.1f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data root")
    parser.add_argument("--code", help="run the collate package found in this folder")
    args = parser.parse_args()
    rows = [measure(n, e, a, args.shared, args.code) for n, e, a in editions(args.shared)]
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if h == "set" else "---:" for h in header) + "|")
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |")


if __name__ == "__main__":
    main()
