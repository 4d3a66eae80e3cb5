"""How closely the TEI reader's text of each manuscript agrees with the edition's apparatus.

    python benchmarks/tei_agreement.py [FOLDER]

FOLDER (default: /work/shared/data/editions/pta_de_incarnatione) holds manuscript
transcriptions ``*-Ms<siglum>.xml`` and ``gold_alignment.tsv``, a column per witness rebuilt
from the edition's apparatus (see /work/shared/tools/README.md). For each manuscript the TEI
file is read with collate's reader and both texts are cut into words without accents, case,
punctuation and markup tokens (``[gap]``); the agreement is the number of words in the longest
common matching of the two word sequences (difflib) over the longer sequence's length.
"""

from __future__ import annotations

import csv
import difflib
import re
import sys
import unicodedata
from pathlib import Path

from collate.tei_reader import read_tei

DEFAULT = Path("/work/shared/data/editions/pta_de_incarnatione")
_WORD = re.compile(r"\[[^\]]*\]|[^\W_]+")


def words(text: str) -> list[str]:
    """The words of ``text``: NFD without combining marks, case-folded, markup tokens left out."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).casefold()
    return [w for w in _WORD.findall(plain) if not w.startswith("[")]


def gold_texts(table: Path) -> dict[str, str]:
    """Each witness's text: its column's cells joined by spaces."""
    with table.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    sigla = rows[0]
    return {
        s: " ".join(r[j] for r in rows[1:] if j < len(r) and r[j].strip())
        for j, s in enumerate(sigla)
    }


def agreement(ours: list[str], gold: list[str]) -> float:
    matcher = difflib.SequenceMatcher(None, ours, gold, autojunk=False)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return same / max(len(ours), len(gold), 1)


def main(folder: Path) -> None:
    gold = gold_texts(folder / "gold_alignment.tsv")
    print(f"{'manuscript':<12} {'words read':>10} {'gold words':>10} {'agreement':>9}")
    for path in sorted(folder.glob("*-Ms*.xml")):
        siglum = path.stem.rpartition("-Ms")[2]
        if siglum not in gold:
            continue
        ours = words(read_tei(path.read_bytes(), str(path)).text)
        theirs = words(gold[siglum])
        print(f"{siglum:<12} {len(ours):>10} {len(theirs):>10} {agreement(ours, theirs):>9.4f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
