"""A lacuna is one place: stray stretches of matches inside text one witness lacks."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from collate.alignment import AlignmentOptions, Side, _close_lacunae, _gather, align_pair
from collate.model import NONE
from tests.conftest import collate_texts

N_WAY = replace(AlignmentOptions(), word_for_word=False)


def _side(text: str) -> Side:
    words = text.split()
    return Side(words, bytes(len(words)))


def _pairs(a: str, b: str) -> list[tuple[str, str]]:
    sa, sb = _side(a), _side(b)
    rows = align_pair(sa, sb, N_WAY)
    _gather(rows, (sa, sb))
    xs, ys = _close_lacunae(rows, (sa, sb), N_WAY)
    return [
        (sa.norm[x] if x != NONE else "", sb.norm[y] if y != NONE else "")
        for x, y in zip(xs, ys, strict=True)
    ]


PIVOT = "p q r the s t u v w x y z k l m n o"


def test_a_stray_word_inside_a_lacuna_joins_its_end() -> None:
    # the witness lacks "j ... o" and has "the new" for "r the"; its "new" matched the
    # pivot's inside the lacuna
    pairs = _pairs("a b c r the j k l m new s t u v w x y z n o f g", "a b c the new f g")
    assert pairs[3:6] == [("r", ""), ("the", "the"), ("j", "new")]
    assert pairs[6:-2] == [
        (x, "") for x in ["k", "l", "m", "new", "s", "t", "u", "v", "w", "x", "y", "z", "n", "o"]
    ]
    assert pairs[-2:] == [("f", "f"), ("g", "g")]


def test_a_stretch_of_at_least_half_the_text_around_it_stays() -> None:
    # two omissions of 4 words with 2 shared words between them: an editor's two omissions
    pairs = _pairs("a b c d e f g h i j k l", "a f g l")
    assert ("f", "f") in pairs and ("g", "g") in pairs
    assert pairs.index(("f", "f")) == 5


def test_a_stray_word_without_a_match_at_either_end_stands_at_the_nearer() -> None:
    pairs = _pairs("a b c d e f g h i j k l m n", "a g n")
    assert ("g", "g") not in pairs
    assert pairs[:2] == [("a", "a"), ("b", "g")]


def test_the_lacuna_of_several_witnesses_is_one_variant() -> None:
    full = "a b c d e f g h i j k l m n o the q r s t u v w x y z"
    result = collate_texts(full, full, "a b c d the z")
    lacking = [r for r, k in enumerate(result.alignment.rows[2]) if k == NONE]
    assert lacking == list(range(4, 24))  # "the" stands against "y", next to "z"


WORDS = st.lists(st.sampled_from(["a", "b", "c", "the", "d"]), min_size=0, max_size=30)


@settings(max_examples=300, deadline=None)
@given(WORDS, WORDS, st.integers(0, 30), st.integers(0, 30))
def test_every_token_stays_once_and_in_order(
    pivot: list[str], extra: list[str], lo: int, hi: int
) -> None:
    """With a witness cut from the pivot (a lacuna) and words of its own, each side's indexes
    appear in order exactly once after stray stretches are released."""
    lo, hi = sorted((lo, hi))
    witness = pivot[:lo] + extra[: len(extra) // 2] + pivot[hi:] + extra[len(extra) // 2 :]
    sa, sb = _side(" ".join(pivot)), _side(" ".join(witness))
    rows = align_pair(sa, sb, N_WAY)
    _gather(rows, (sa, sb))
    xs, ys = _close_lacunae(rows, (sa, sb), N_WAY)
    assert [x for x in xs if x != NONE] == list(range(len(pivot)))
    assert [y for y in ys if y != NONE] == list(range(len(witness)))
    assert all(x != NONE or y != NONE for x, y in zip(xs, ys, strict=True))


@settings(max_examples=100, deadline=None)
@given(st.lists(WORDS.map(" ".join), min_size=3, max_size=5))
def test_every_witness_rebuilds_from_the_alignment(texts: list[str]) -> None:
    result = collate_texts(*texts)
    for w, row in enumerate(result.alignment.rows):
        assert [k for k in row if k != NONE] == list(range(len(texts[w].split())))
