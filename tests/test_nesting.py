"""Variation units and nested variants: the units of many witnesses, long omissions."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import collate
from collate.model import NONE, Alignment, Variant, VariantKind
from collate.nesting import _drawable
from tests.conftest import collate_texts

ROOT = Path(__file__).resolve().parent.parent
DARWIN = ROOT / "tests" / "data" / "collatex" / "darwin_origin_ch1_paragraphs_6editions.json"

Unit = frozenset[tuple[str, int]]


def _gold(lacunose: int | None = None) -> tuple[list[str], list[list[str]]]:
    """A gold table built from real prose (Darwin's 1859 chapter 1, first paragraphs): five
    witnesses copied from it word by word, each with seeded substitutions (a word from
    elsewhere in the text) and omissions, one row per word; witness ``lacunose`` has nothing
    over the middle half."""
    data = json.loads(DARWIN.read_text(encoding="utf-8"))
    words: list[str] = []
    for paragraph in data["paragraphs"]:
        words += next(
            (w["content"] for w in paragraph["witnesses"] if w["id"] == "1859"), ""
        ).split()
        if len(words) > 500:
            break
    sigla = ["A", "B", "C", "D", "E"]
    rng = random.Random(17)
    rows = []
    for word in words:
        row = []
        for _ in sigla:
            roll = rng.random()
            row.append(rng.choice(words) if roll < 0.04 else "" if roll < 0.06 else word)
        rows.append(row)
    if lacunose is not None:
        for row in rows[len(rows) // 4 : 3 * len(rows) // 4]:
            row[lacunose] = ""
    return sigla, rows


def _texts(sigla: list[str], rows: list[list[str]]) -> tuple[list[str], list[list[range]]]:
    """Each witness's text (its cells joined by spaces) and each cell's character range."""
    texts, spans = [], []
    for w in range(len(sigla)):
        parts, ranges, at = [], [], 0
        for row in rows:
            cell = " ".join(row[w].split())
            if cell:
                at += bool(parts)
                parts.append(cell)
                ranges.append(range(at, at + len(cell)))
                at += len(cell)
            else:
                ranges.append(range(at, at))
        texts.append(" ".join(parts))
        spans.append(ranges)
    return texts, spans


def _runs(
    flags: list[int], shared: list[bool], spans: list[list[range]], x: int, y: int
) -> list[Unit]:
    """Runs of places with a flag, ended by shared text: each as the set of character positions
    it covers in witnesses x and y."""
    units: list[Unit] = []
    current: set[tuple[str, int]] = set()
    for k, flag in enumerate(flags):
        if flag:
            current |= {("x", i) for i in spans[x][k]} | {("y", i) for i in spans[y][k]}
        elif shared[k] and current:
            units.append(frozenset(current))
            current = set()
    if current:
        units.append(frozenset(current))
    return units


def _result_units(
    alignment: Alignment, variants: tuple[Variant, ...], x: int, y: int
) -> list[Unit]:
    """The pair's units read off the variants (each taken whole where the pair's readings
    differ; a rank belongs to the last variant listed that covers it), as the project's
    unit_agreement.py reads them."""
    of_rank: dict[int, Variant] = {}
    for v in variants:
        for r in range(v.first_rank, v.last_rank + 1):
            of_rank[r] = v
    spans: list[list[range]] = [[], []]
    shared, flags = [], []
    for r in range(len(alignment)):
        cells = []
        for side, w in enumerate((x, y)):
            k = alignment.rows[w][r]
            column = alignment.tokens[w]
            spans[side].append(range(column.start[k], column.end[k]) if k != NONE else range(0))
            cells.append(column.text[k] if k != NONE else "")
        v = of_rank.get(r)
        flags.append(v is not None and v.readings[x] != v.readings[y])
        shared.append(bool(cells[0] or cells[1]))
    return _runs(flags, shared, spans, 0, 1)


def _f1(found: list[list[Unit]], gold: list[list[Unit]]) -> float:
    def hit(unit: Unit, others: list[Unit]) -> bool:
        return any(len(unit & o) / len(unit | o) >= 0.5 for o in others)

    right = sum(hit(u, g) for f, g in zip(found, gold, strict=True) for u in f)
    seen = sum(hit(u, f) for f, g in zip(found, gold, strict=True) for u in g)
    precision = right / max(1, sum(map(len, found)))
    recall = seen / max(1, sum(map(len, gold)))
    return 2 * precision * recall / max(precision + recall, 1e-9)


def _lacunose() -> tuple[list[str], list[list[str]], list[list[range]], collate.Collation]:
    sigla, rows = _gold(lacunose=4)
    texts, spans = _texts(sigla, rows)
    result = collate.collate([collate.Witness(s, t) for s, t in zip(sigla, texts, strict=True)])
    return sigla, rows, spans, result


def test_a_lacuna_is_one_variant() -> None:
    *_, result = _lacunose()
    lacuna = [v for v in result.variants if v.contains and not v.readings[4] and v.within is None]
    assert len(lacuna) == 1
    (outer,) = lacuna
    assert outer.kind is VariantKind.OMISSION
    inner = [v for v in result.variants if v.within == outer.number]
    assert inner and all(
        outer.first_rank <= v.first_rank <= v.last_rank <= outer.last_rank for v in inner
    )


def test_a_lacuna_holds_the_units_inside_and_they_are_found() -> None:
    sigla, rows, spans, result = _lacunose()
    e = 4
    lacuna = [v for v in result.variants if v.contains and not v.readings[e]]
    held = {n for v in lacuna for n in v.contains}
    middle = range(len(rows) // 4 + 10, 3 * len(rows) // 4 - 10)  # gold rows well inside
    assert lacuna and all(not v.readings[e] for v in result.variants if v.number in held)
    assert len(held) >= len(middle) // 10
    found, gold = [], []
    others = [w for w in range(len(sigla)) if w != e]
    for x, y in itertools.combinations(others, 2):
        differ = [" ".join(r[x].split()) != " ".join(r[y].split()) for r in rows]
        shared = [bool(r[x].strip() or r[y].strip()) for r in rows]
        gold.append(_runs([int(d) for d in differ], shared, spans, x, y))
        found.append(_result_units(result.alignment, result.variants, x, y))
    assert _f1(found, gold) >= 0.9


def test_two_witnesses_are_never_cut_or_nested() -> None:
    result = collate.collate([ROOT / "witnesses" / "harriman-1944-09-23"])
    assert len(result.variants) == 30
    assert all(v.within is None and not v.contains for v in result.variants)


def test_separate_places_of_several_witnesses_are_separate_variants() -> None:
    result = collate_texts("a b c d e", "a x c d e", "a b c y e")
    assert [v.readings for v in result.variants] == [("b", "x", "b"), ("d", "d", "y")]
    chained = collate_texts("a b c d e", "a x y d e", "a b y z e")
    # b/x/b, then c/y/y, then d/d/z: each pair's differences are separate places
    assert [v.readings for v in chained.variants] == [
        ("b", "x", "b"),
        ("c", "y", "y"),
        ("d", "d", "z"),
    ]


def test_an_omission_over_several_units_holds_them() -> None:
    result = collate_texts("a b c d e f g h", "a b x d e y g h", "a h")
    outer = result.variants[0]
    assert outer.readings == ("b c d e f g", "b x d e y g", "")
    assert outer.kind is VariantKind.OMISSION and outer.within is None
    inner = result.variants[1:]
    assert outer.contains == tuple(v.number for v in inner)
    assert all(v.within == outer.number for v in inner)
    assert [v.readings for v in inner] == [
        ("b", "b", ""),
        ("c", "x", ""),
        ("d e", "d e", ""),
        ("f", "y", ""),
        ("g", "g", ""),
    ]
    # inside the omission a difference among the witnesses that have text is judged on them
    assert [v.category.value for v in inner] == ["substantive"] * 5
    spelled = collate_texts("a b color d e f", "a b colour d e f", "a f", "a b color d e f")
    colour = next(v for v in spelled.variants if v.readings[1] == "colour")
    assert colour.within is not None and colour.category.value == "orthographic"


TEXTS = st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f"]), max_size=10).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXTS, min_size=3, max_size=5))
def test_units_are_bounded_by_text_the_witnesses_share(texts: list[str]) -> None:
    """Every disagreeing rank is in exactly one unit; inside a unit no two witnesses that
    differ there share a token; an outer variant holds contiguous units where the witnesses
    it is about have nothing."""
    result = collate_texts(*texts)
    table = result.alignment
    units = [v for v in result.variants if not v.contains and v.moved is None]
    covered = sorted(r for v in units for r in range(v.first_rank, v.last_rank + 1))
    moved = {
        r
        for v in result.variants
        if v.moved is not None
        for lo, hi in ((v.first_rank, v.last_rank), v.moved)
        for r in range(lo, hi + 1)
    }
    assert sorted(set(covered) | moved) == sorted(set(table.disagreeing()) | moved)
    assert len(covered) == len(set(covered))
    for v in units:
        ranks = range(v.first_rank, v.last_rank + 1)
        for x, y in itertools.combinations(range(len(texts)), 2):
            cells = [
                (table.texts(x)[a] if a != NONE else None, table.texts(y)[b] if b != NONE else None)
                for a, b in ((table.rows[x][r], table.rows[y][r]) for r in ranks)
            ]
            shares = any(a is not None and a == b for a, b in cells)
            differs = any(a != b for a, b in cells)
            assert not (shares and differs)
    numbers = {v.number: v for v in result.variants}
    for outer in (v for v in result.variants if v.contains):
        held = [numbers[n] for n in outer.contains]
        assert all(
            outer.first_rank <= v.first_rank and v.last_rank <= outer.last_rank for v in held
        )
        empty = [w for w in range(len(texts)) if not outer.readings[w]]
        assert empty and all(not v.readings[w] for v in held for w in empty)
        assert all(v.within == outer.number for v in held)


def test_json_says_which_variants_nest() -> None:
    result = collate_texts("a b c d e f g h", "a b x d e y g h", "a h")
    data = json.loads(collate.render_as(result, "json"))
    outer, *inner = data["variants"]
    assert outer["contains"] == [v["number"] for v in inner] and "within" not in outer
    assert all(v["within"] == outer["number"] and "contains" not in v for v in inner)
    two = json.loads(collate.render_as(collate_texts("a b c", "a x c"), "json"))
    assert all("within" not in v and "contains" not in v for v in two["variants"])


@settings(max_examples=300, deadline=None)
@given(st.sets(st.tuples(st.integers(0, 30), st.integers(1, 12)), max_size=25))
def test_drawable_spans_are_those_that_cross_none_kept_before(
    shapes: set[tuple[int, int]],
) -> None:
    # the spans taken longest (then earliest) first, each kept unless it overlaps one kept
    # before without one holding the other: looked for in sorted starts and ends, the same as
    # comparing it with every span kept
    spans: dict[tuple[int, int], set[int]] = {(lo, lo + size): {1} for lo, size in shapes}
    kept: list[tuple[int, int]] = []
    for lo, hi in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(hi < a or lo > b or (a <= lo and hi <= b) for a, b in kept):
            kept.append((lo, hi))
    assert _drawable(spans) == kept
