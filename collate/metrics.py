"""Metrics: reference and hypothesis text -> edit counts, CER, WER and friends.

The counting rules, stated once here and printed in every report:

* both texts are NFC; every run of whitespace (line breaks included) counts
  as one space; leading and trailing whitespace is ignored;
* characters are Unicode extended grapheme clusters (``m`` plus a combining
  tilde is one character);
* words are the tokenizer's word tokens (punctuation, editorial marks,
  redactions and glyphs are not words);
* an error rate is the edit (Levenshtein) distance divided by the length of
  the reference; with an empty reference it is 0 when the hypothesis is empty
  too and 1 otherwise, never infinite or NaN;
* accuracy is ``1 - rate`` (below zero when the hypothesis adds more than the
  reference holds);
* the bag-of-words error ignores order: ``max(missing, extra) / reference
  words``, where *missing* counts reference words the hypothesis lacks and
  *extra* hypothesis words the reference lacks (as multisets).

Optional rules, applied to both texts before counting: character
equivalences (a user's own, such as long s = s), ignore case (``str.lower``:
ß, long s and ligatures stay as they are), ignore punctuation (every Unicode
punctuation character removed).

Long texts may be compared piece by piece (:func:`compare_pieces`, with
:func:`character_pieces` cutting the prepared text exactly where the raw text
was cut): the counts are those of one valid alignment of the whole, so never
below the exact Levenshtein figures, and equal to them when every cut lies on
an optimal path. ``CountingRules(exact=True)`` asks for one piece.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz.distance import Levenshtein, Opcode

from collate._ids import dense_ids

if TYPE_CHECKING:
    import regex


class _Patterns(NamedTuple):
    grapheme: regex.Pattern[str]
    # Characters that can join a neighbour into one grapheme cluster; a text without any has
    # one cluster per code point and is compared as a string, without a list of clusters.
    joining: regex.Pattern[str]
    punctuation: regex.Pattern[str]
    # A space is a cluster of its own unless a Prepend character stands before it, or an
    # Extend, ZWJ or SpacingMark character after it (UAX #29, GB9, GB9a, GB9b).
    joins_next: regex.Pattern[str]
    joins_previous: regex.Pattern[str]


@functools.cache
def _patterns() -> _Patterns:
    """The patterns that need Unicode properties ``re`` lacks: the ``regex`` module (about
    15 ms to load, so loaded only for a text that may need it; see :func:`_may_join`)."""
    import regex

    return _Patterns(
        grapheme=regex.compile(r"\X"),
        joining=regex.compile(
            r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}"
            r"\p{GCB=Regional_Indicator}\p{GCB=L}\p{GCB=V}\p{GCB=T}\p{GCB=LV}\p{GCB=LVT}\r]"
        ),
        punctuation=regex.compile(r"\p{P}+"),
        joins_next=regex.compile(r"\p{GCB=Prepend}"),
        joins_previous=regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]"),
    )


# The general categories of every character that may join a neighbour into one grapheme
# cluster (Extend, ZWJ, SpacingMark, Prepend, Regional_Indicator and Hangul jamo and
# syllables): marks, format characters, modifier letters and symbols, other letters and
# symbols; and unassigned and private-use code points, whose properties a newer Unicode may
# set. Wider than needed (CJK letters are "Lo"), never narrower.
_MAY_JOIN = frozenset({"Mn", "Mc", "Me", "Cf", "Lm", "Sk", "Lo", "So", "Cn", "Co"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _joins(text: str) -> bool:
    """Whether ``text`` holds a character that joins a neighbour into one grapheme cluster."""
    return _may_join(text) and _patterns().joining.search(text) is not None


def _may_join(text: str) -> bool:
    """False when no character of ``text`` can join another into one grapheme cluster
    (each distinct non-ASCII character tested once); True when one may."""
    if "\r" in text:
        return True
    if text.isascii():
        return False
    return any(unicodedata.category(c) in _MAY_JOIN for c in set(_NON_ASCII.findall(text)))


@dataclass(frozen=True)
class CountingRules:
    """Optional counting rules; the defaults are the documented default."""

    ignore_case: bool = False
    ignore_punctuation: bool = False
    equivalences: tuple[tuple[str, str], ...] = ()
    exact: bool = False  # compare long texts in one piece, never piecewise (slower)

    def names(self) -> tuple[str, ...]:
        """The rules in force, as printed in reports and recorded in JSON."""
        names = ["nfc", "whitespace-collapsed", "grapheme-clusters"]
        if self.ignore_case:
            names.append("ignore-case")
        if self.ignore_punctuation:
            names.append("ignore-punctuation")
        names.extend(f"equivalence:{a}={b}" for a, b in self.equivalences)
        return tuple(names)


@dataclass(frozen=True)
class EditCounts:
    """Levenshtein distance between two sequences, with its operations."""

    distance: int
    substitutions: int
    insertions: int
    deletions: int
    reference: int
    hypothesis: int

    @property
    def rate(self) -> float:
        """Distance over reference length; 0 or 1 for an empty reference."""
        if self.reference == 0:
            return 0.0 if self.hypothesis == 0 else 1.0
        return self.distance / self.reference

    @property
    def accuracy(self) -> float:
        """``1 - rate``."""
        return 1.0 - self.rate


def prepare(text: str, rules: CountingRules) -> str:
    """``text`` under the counting rules: NFC, rules applied, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text)
    for source, target in rules.equivalences:
        text = text.replace(source, target)
    if rules.ignore_case:
        text = text.lower()
    if rules.ignore_punctuation:
        text = _patterns().punctuation.sub("", text)
    return " ".join(text.split())


_WHITESPACE = re.compile(r"\s")  # what str.split() splits at: str.isspace() characters


def prepare_all(texts: Sequence[str], rules: CountingRules) -> list[str]:
    """``[prepare(t, rules) for t in texts]``, at once where that is plain: under rules that
    only normalise (NFC) and collapse whitespace, texts that are already NFC and hold no
    whitespace are their own prepared form, and all of them are tested joined by a NUL (a
    starter: NFC neither composes nor reorders across it, so the joined text is NFC exactly
    when each text is)."""
    if not (rules.equivalences or rules.ignore_case or rules.ignore_punctuation):
        joined = "\x00".join(texts)
        if unicodedata.is_normalized("NFC", joined) and not _WHITESPACE.search(joined):
            return list(texts)
    return [prepare(t, rules) for t in texts]


def graphemes(text: str) -> list[str]:
    """The extended grapheme clusters of ``text``."""
    return _patterns().grapheme.findall(text)


def characters(text: str) -> Sequence[str]:
    """The characters (grapheme clusters) of ``text`` as units for :func:`compare_pieces`:
    ``text`` itself when each code point is a cluster of its own (the common case, and fast
    on long texts), else the list of clusters."""
    return text if text.isascii() or not _joins(text) else graphemes(text)


def count_graphemes(text: str, limit: int) -> int:
    """The number of grapheme clusters of ``text``, counting no further than ``limit + 1``."""
    if not _joins(text):  # a cluster a code point
        return min(len(text), limit + 1)
    count = 0
    for _ in _patterns().grapheme.finditer(text):
        count += 1
        if count > limit:
            break
    return count


def cuttable(rules: CountingRules) -> bool:
    """Whether :func:`prepare` of a text cut before whitespace is the prepared pieces joined
    by single spaces: NFC, lower-casing (final sigma included), punctuation removal and
    whitespace collapsing never reach across a space; an equivalence could, if its source
    held whitespace (or were empty)."""
    return not rules.exact and all(
        a and not any(c.isspace() for c in a) for a, _ in rules.equivalences
    )


def character_pieces(
    reference: Sequence[str], hypothesis: Sequence[str], rules: CountingRules
) -> list[tuple[Sequence[str], Sequence[str]]]:
    """The characters of two texts given as raw pieces, as pairs for :func:`compare_pieces`.

    Both sides have as many pieces, and every piece but a side's first starts with
    whitespace (with :func:`cuttable` rules). Each side's units, concatenated, are exactly
    ``characters(prepare("".join(side), rules))``: a piece is prepared on its own and, after
    the first non-empty one, opens with the space it stood after; where that space would not
    be a grapheme cluster of its own, the piece is joined to the one before, on both sides.
    """
    texts: list[tuple[str, str]] = []
    last = ["", ""]  # each side's last prepared character so far
    holder = [0, 0]  # ... and the piece of ``texts`` that holds it
    for ref_raw, hyp_raw in zip(reference, hypothesis, strict=True):
        pair = [prepare(ref_raw, rules), prepare(hyp_raw, rules)]
        first = len(texts)  # the pieces from here on make one with this pair
        for side, text in enumerate(pair):
            if text and last[side]:
                pair[side] = " " + text
                if (_may_join(last[side]) and _patterns().joins_next.match(last[side])) or (
                    _may_join(text[:1]) and _patterns().joins_previous.match(text)
                ):
                    first = min(first, holder[side])
        merged = [*texts[first:], (pair[0], pair[1])]
        del texts[first:]
        texts.append(("".join(m[0] for m in merged), "".join(m[1] for m in merged)))
        for side, text in enumerate(pair):
            if text:
                last[side], holder[side] = text[-1], first
            else:
                holder[side] = min(holder[side], first)
    return [(characters(a), characters(b)) for a, b in texts]


def _comparable(
    reference: Sequence[Hashable], hypothesis: Sequence[Hashable]
) -> tuple[Sequence[Hashable], Sequence[Hashable]]:
    """Two strings as they are (compared code point by code point), else unit ids."""
    if isinstance(reference, str) and isinstance(hypothesis, str):
        return reference, hypothesis
    return dense_ids(reference, hypothesis)


def distance(reference: Sequence[Hashable], hypothesis: Sequence[Hashable]) -> int:
    """The Levenshtein distance between two sequences of units."""
    return int(Levenshtein.distance(*_comparable(reference, hypothesis)))


def compare_pieces(
    pieces: Iterable[tuple[Sequence[str], Sequence[str]]],
) -> tuple[EditCounts, list[tuple[str, str]]]:
    """Edit counts between the concatenated sides, and each edited stretch (a run of
    adjacent edits) as ``(reference text, hypothesis text)`` in order (``("m", "rn")``),
    worked out one pair of pieces at a time: the counts summed, the stretches in order
    (edits either side of a cut make one stretch). Two strings are compared code point by
    code point (see :func:`characters`).

    The alignment is each pair's optimal one, put end to end: a valid alignment of the
    whole, so its distance is never below the whole's and equal when an optimal path of
    the whole passes through every cut."""
    found = [0, 0, 0]  # substitutions, insertions, deletions
    lengths = [0, 0]
    stretches: list[tuple[str, str]] = []
    joined = False  # whether the previous opcode was an edit too
    for reference, hypothesis in pieces:
        a, b = _comparable(reference, hypothesis)
        lengths[0] += len(a)
        lengths[1] += len(b)
        # A small hint selects rapidfuzz's banded search, which widens the band as needed.
        for op in Levenshtein.opcodes(a, b, score_hint=64):
            if op.tag == "equal":
                joined = False
                continue
            _add(found, op)
            piece = (
                "".join(reference[op.src_start : op.src_end]),
                "".join(hypothesis[op.dest_start : op.dest_end]),
            )
            if joined:
                previous = stretches[-1]
                stretches[-1] = (previous[0] + piece[0], previous[1] + piece[1])
            else:
                stretches.append(piece)
            joined = True
    counts = EditCounts(sum(found), *found, *lengths)
    return counts, stretches


def _add(found: list[int], op: Opcode) -> None:
    """Count an edit opcode into ``[substitutions, insertions, deletions]``."""
    n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
    found[0] += min(n, m)
    found[1] += max(m - n, 0)
    found[2] += max(n - m, 0)


def count_id_pieces(pieces: Iterable[tuple[Sequence[int], Sequence[int]]]) -> EditCounts:
    """The counts of :func:`compare_pieces` for pieces of unit ids (equal units as equal
    ints, such as a text's words numbered once for both sides), compared as they are."""
    found = [0, 0, 0]  # substitutions, insertions, deletions
    lengths = [0, 0]
    for a, b in pieces:
        lengths[0] += len(a)
        lengths[1] += len(b)
        for op in Levenshtein.opcodes(a, b, score_hint=64):
            if op.tag != "equal":
                _add(found, op)
    return EditCounts(sum(found), *found, *lengths)


def bag_of_words(
    reference: Sequence[Hashable], hypothesis: Sequence[Hashable]
) -> tuple[int, int, float]:
    """``(missing, extra, error)`` of the word multisets, ignoring order."""
    ref, hyp = Counter(reference), Counter(hypothesis)
    missing = sum((ref - hyp).values())
    extra = sum((hyp - ref).values())
    if not reference:
        return missing, extra, 0.0 if not hypothesis else 1.0
    return missing, extra, max(missing, extra) / len(reference)
