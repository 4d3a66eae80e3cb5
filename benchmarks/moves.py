"""Recall and precision of collate's transpositions on planted moves in real prose.

Builds a seeded set of two-witness cases from the 1859 text of Darwin's *Origin*, chapter 1
(``tests/data/collatex``, public domain): passages of 400 words where witness B is witness A
with one block of 2 to 30 words cut and pasted elsewhere (near: 3 to 15 words away; far: 150
to 300; forward and backward; half of them with the word next to the landing site changed too,
its punctuation or the word itself; half with a short common word such as "the" inside the
block), and as many negative controls (no change, substitutions and punctuation changes only,
or a phrase left out at one place and an unrelated phrase added at another). Every pair is
collated through the library.

A planted move is **found** when a transposition holds, in each witness, a place that overlaps
the block's words in that witness (moving X past the words Y between the two places is the
same edit as moving Y the other way, so a transposition of Y counts too). **Recall** is the
share of planted moves found; **precision** the share of reported transpositions that find a
planted move no other transposition found before them (any other is a false positive).

    python benchmarks/moves.py
    python benchmarks/moves.py --cases 100 --seed 7 --verbose
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from collate.model import VariantKind
from collate.pipeline import collate
from collate.readers import load_witness
from collate.transpositions import meaningful

DARWIN = Path(__file__).resolve().parent.parent / "tests/data/collatex"
DARWIN_FILE = "darwin_origin_ch1_paragraphs_6editions.json"
PASSAGE = 400  # words of a case's witness A
LENGTHS = (2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)  # block lengths, in turn
SHORT = {"the", "of", "and", "a", "to", "in", "is", "it", "as", "by", "on", "or", "be"}


@dataclass(frozen=True)
class Case:
    """Two witnesses and, for a move, the character spans of the moved words in each (the
    block X, and the words Y it was moved past); ``name`` says how the case was made."""

    name: str
    a: str
    b: str
    spans: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = ()  # (in A, in B), X then Y


def load_words(path: Path = DARWIN / DARWIN_FILE) -> list[str]:
    """The words (split at whitespace) of the 1859 edition, paragraph after paragraph."""
    paragraphs = json.loads(path.read_text(encoding="utf-8"))["paragraphs"]
    texts = [w["content"] for p in paragraphs for w in p["witnesses"] if w["id"] == "1859"]
    return " ".join(texts).split()


def _span(words: Sequence[str], lo: int, hi: int) -> tuple[int, int]:
    """Character offsets of ``words[lo:hi]`` in ``" ".join(words)``."""
    start = sum(len(w) + 1 for w in words[:lo])
    return start, start + sum(len(w) + 1 for w in words[lo:hi]) - 1


def _letters(words: Sequence[str]) -> list[str]:
    return [x.lower() for w in words for x in re.findall(r"\w+", w)]


def _block(rng: random.Random, words: list[str], length: int, short: bool) -> int:
    """A start for a block of ``length`` words that the rule could report (``meaningful``).
    With ``short`` the block holds a short common word inside it (not first or last, but for
    2 words); without, it holds none if it has at most 6 words (longer blocks of prose nearly
    always hold one)."""
    for _ in range(10_000):
        s = rng.randrange(20, len(words) - length - 20)
        block = _letters(words[s : s + length])
        inner = set(block[1:-1] if length > 2 else block)
        plain = length > 6 or not set(block) & SHORT
        if meaningful(block) and (bool(inner & SHORT) if short else plain):
            return s
    raise ValueError(f"no block of {length} words")


def _changed(rng: random.Random, word: str, pool: Sequence[str], punctuation: bool) -> str:
    """``word`` with its punctuation changed, or another word of ``pool``."""
    if punctuation:
        bare = word.rstrip(",.;:")
        return bare + ";" if bare != word else word + ","
    return next(w for w in iter(lambda: rng.choice(pool), None) if w.lower() != word.lower())


def move_case(rng: random.Random, pool: list[str], i: int) -> Case:
    """Case ``i``: one block moved; its length, distance, direction, change at the landing
    site and short inner word follow from ``i``, the places from ``rng``."""
    length = LENGTHS[i % len(LENGTHS)]
    far, forward, short = bool(i // 2 % 2), bool(i % 2), bool(i // 4 % 2)
    change = ("none", "punctuation", "word")[i // 8 % 3]
    start = rng.randrange(len(pool) - PASSAGE)
    a = pool[start : start + PASSAGE]
    gap = rng.randint(150, 300) if far else rng.randint(3, 15)
    while True:
        s = _block(rng, a, length, short)
        j = s + gap if forward else s - gap  # the landing site, as an index of `rest`
        if 1 <= j <= len(a) - length - 1:
            break
    block, rest = a[s : s + length], a[:s] + a[s + length :]
    b = rest[:j] + block + rest[j:]
    if change != "none":  # the word before the block, or after it, at the landing site
        k = j - 1 if i % 3 else j + length
        b[k] = _changed(rng, b[k], a, change == "punctuation")
    y_a = (s + length, j + length) if forward else (j, s)  # the words moved past, in A
    y_b = (s, j) if forward else (j + length, s + length)
    spans = (
        (_span(a, s, s + length), _span(b, j, j + length)),
        (_span(a, *y_a), _span(b, *y_b)),
    )
    name = (
        f"move {length}w {'far' if far else 'near'} {'fwd' if forward else 'back'}"
        f" {'short-inside ' if short else ''}landing-change={change}"
    )
    return Case(name, " ".join(a), " ".join(b), spans)


def control_case(rng: random.Random, pool: list[str], i: int) -> Case:
    """Control ``i``: no change, substitutions and punctuation changes, or a phrase left out
    at one place and an unrelated phrase (from elsewhere in the chapter) added at another."""
    start = rng.randrange(len(pool) - PASSAGE)
    a = pool[start : start + PASSAGE]
    b = list(a)
    how = ("none", "substitutions", "punctuation", "out-and-in")[i % 4]
    if how in ("substitutions", "punctuation"):
        for k in rng.sample(range(len(b)), rng.randint(1, 12)):
            b[k] = _changed(rng, b[k], pool, how == "punctuation")
    elif how == "out-and-in":
        length = rng.randint(3, 12)
        s = rng.randrange(len(b) - length)
        del b[s : s + length]
        other = rng.randrange(len(pool) - length)
        j = rng.randrange(len(b))
        b[j:j] = pool[other : other + rng.randint(3, 12)]
    return Case(f"control {how}", " ".join(a), " ".join(b))


def build_cases(count: int, seed: int = 1) -> list[Case]:
    """``count`` move cases and ``count`` controls, the same for the same seed."""
    pool = load_words()
    rng = random.Random(seed)
    moves = [move_case(rng, pool, i) for i in range(count)]
    return moves + [control_case(rng, pool, i) for i in range(count)]


def _overlaps(start: int, end: int, span: tuple[int, int]) -> bool:
    return start < span[1] and span[0] < end


def score(cases: Sequence[Case]) -> tuple[int, int, int, int, list[str]]:
    """``(found, planted, true positives, reported)`` and a line per case that went wrong."""
    found = planted = true = reported = 0
    wrong = []
    for case in cases:
        collation = collate([load_witness(case.a, "A"), load_witness(case.b, "B")])
        moved = [v for v in collation.variants if v.kind is VariantKind.TRANSPOSITION]
        reported += len(moved)
        hit = False
        for v in moved:
            places = [
                [loc for loc in (v.locations[w], v.moved_locations[w]) if loc.start < loc.end]
                for w in (0, 1)
            ]
            covers = any(
                all(any(_overlaps(p.start, p.end, span[w]) for p in places[w]) for w in (0, 1))
                for span in case.spans
            )
            if covers and not hit:
                hit = True
                true += 1
            else:
                wrong.append(f"false positive in {case.name}: {v.readings[0]!r}")
        planted += bool(case.spans)
        found += hit
        if case.spans and not hit:
            wrong.append(f"missed in {case.name}")
    return found, planted, true, reported, wrong


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=48, help="move cases (and as many controls)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--verbose", action="store_true", help="list the misses and false positives")
    args = p.parse_args(argv)
    cases = build_cases(args.cases, args.seed)
    began = time.perf_counter()
    found, planted, true, reported, wrong = score(cases)
    seconds = time.perf_counter() - began
    print(f"{len(cases)} cases ({planted} planted moves, {len(cases) - planted} controls)")
    print(f"recall    {found / planted:.3f}  ({found} of {planted} moves found)")
    print(f"precision {true / reported if reported else 1:.3f}  ({true} of {reported} reported)")
    print(f"{seconds:.2f} s collating")
    if args.verbose:
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
