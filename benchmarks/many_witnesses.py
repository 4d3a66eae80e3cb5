"""A many-witness tradition for the HTML page: Darwin's chapter with seeded edits.

Builds ``count`` witnesses from the 1859 text of *On the Origin of Species*, chapter 1
(tests/data/collatex, from CollateX's examples), repeated to about ``words`` words; each
witness copies an earlier one (a random exemplar, so readings are shared the way copies
share them) and changes about one word in a hundred (substitute, omit, add or swap a word).
Seeded, so the same arguments give the same witnesses. Run as a script it writes the page:

    python benchmarks/many_witnesses.py 45 19000 /tmp/many.html
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from collate.model import Witness

DARWIN = (
    Path(__file__).resolve().parent.parent
    / "tests/data/collatex/darwin_origin_ch1_paragraphs_6editions.json"
)
EDIT_RATE = 0.01  # changes per word copied
SPARE = ("the", "a", "very", "much", "species", "plants", "varieties", "often", "great")


def darwin_words() -> list[str]:
    """The words of the 1859 edition of chapter 1, paragraph by paragraph."""
    data = json.loads(DARWIN.read_text(encoding="utf-8"))
    words: list[str] = []
    for paragraph in data["paragraphs"]:
        for witness in paragraph["witnesses"]:
            if witness["id"] == "1859":
                words.extend(witness["content"].split())
    return words


def _copy(words: list[str], rng: random.Random) -> list[str]:
    out: list[str] = []
    k = 0
    while k < len(words):
        roll = rng.random()
        if roll >= EDIT_RATE:
            out.append(words[k])
        else:
            edit = rng.randrange(4)
            if edit == 0:
                out.append(rng.choice(SPARE))
            elif edit == 2:
                out.extend((words[k], rng.choice(SPARE)))
            elif edit == 3 and k + 1 < len(words):
                out.extend((words[k + 1], words[k]))
                k += 1
        k += 1
    return out


def tradition(count: int, words: int, seed: int = 1859) -> list[Witness]:
    """``count`` witnesses of about ``words`` words each."""
    rng = random.Random(seed)
    source = darwin_words()
    archetype = (source * (words // len(source) + 1))[:words]
    texts = [archetype]
    for _ in range(count - 1):
        texts.append(_copy(texts[rng.randrange(len(texts))], rng))
    return [Witness(f"W{i + 1:02d}", " ".join(t)) for i, t in enumerate(texts)]


def main() -> None:
    from collate.pipeline import collate
    from collate.render.html import render_html

    count, words, out = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    started = time.perf_counter()
    collation = collate(tradition(count, words))
    collated = time.perf_counter()
    out.write_text(render_html(collation, collation.variants), encoding="utf-8")
    print(
        f"{count} witnesses, {len(collation.variants)} variants: collated in "
        f"{collated - started:.1f} s, rendered in {time.perf_counter() - collated:.1f} s, "
        f"{out.stat().st_size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
