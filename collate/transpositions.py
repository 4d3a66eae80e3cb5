"""Transpositions: variants -> variants where a moved block is reported once.

After alignment, a block of words that a witness has in another place than
the base shows as two variants: the base has it where the witness has
nothing, and further on the witness has it where the base has nothing. When
both hold the same words (by normalised form), for the same witnesses, and
the block is long enough to mean something, the two become one variant of
kind ``transposition`` at the first place, whose ``moved`` gives the rank
range (and ``moved_locations`` the locations) of the second.

A block is long enough with at least ``MIN_WORDS`` words, ``MIN_LETTERS``
letters in all and one word of at least ``MIN_LONGEST`` letters, so that
short common words ("of the", "it is") never make a transposition. The
alignment itself is left as it is, so every witness still rebuilds from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from collate.model import Alignment, Category, TokenKind, Variant, VariantKind

MIN_WORDS = 2
MIN_LETTERS = 8
MIN_LONGEST = 4

Key = tuple[tuple[str, ...], frozenset[int], str]


def meaningful(words: Sequence[str]) -> bool:
    """Whether a block with these words (normalised) is long enough to be reported as moved."""
    return (
        len(words) >= MIN_WORDS
        and sum(len(w) for w in words) >= MIN_LETTERS
        and max(len(w) for w in words) >= MIN_LONGEST
    )


def _blocks(table: Alignment, variant: Variant) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each witness's tokens at the variant, as normalised forms, and its words among them."""
    blocks = []
    for w, column in enumerate(table.tokens):
        inside = table.token_indexes(w, variant.first_rank, variant.last_rank + 1)
        norms = tuple(column.norm[k] for k in inside)
        words = [column.norm[k] for k in inside if column.kind[k] is TokenKind.WORD]
        blocks.append((norms, words))
    return blocks


def _key(table: Alignment, variant: Variant, base: int) -> Key | None:
    """``(block, movers, side)``: ``side`` is ``out`` where the movers lack the base's block
    and ``in`` where they have a block the base lacks; None for other variants."""
    if all(variant.readings):  # every witness has something here: nobody moved it away
        return None
    if variant.last_rank - variant.first_rank + 1 < MIN_WORDS:  # a token a rank: too short
        return None
    return _key_of_blocks(table, variant, base)


def _key_of_blocks(table: Alignment, variant: Variant, base: int) -> Key | None:
    """:func:`_key` by its definition, from every witness's block (its shortcuts agree)."""
    if variant.category in (Category.FURNITURE, Category.MARKUP):
        return None
    blocks = _blocks(table, variant)
    base_block, base_words = blocks[base]
    if base_block:
        movers = frozenset(w for w, (b, _) in enumerate(blocks) if not b)
        rest_agree = all(not b or b == base_block for b, _ in blocks)
        if movers and rest_agree and meaningful(base_words):
            return base_block, movers, "out"
        return None
    movers = frozenset(w for w, (b, _) in enumerate(blocks) if b)
    found = {blocks[w][0] for w in movers}
    if len(found) == 1 and meaningful(blocks[min(movers)][1]):
        return found.pop(), movers, "in"
    return None


def find_transpositions(
    alignment: Alignment, variants: Sequence[Variant], base: int
) -> tuple[Variant, ...]:
    """The variants with each moved block merged into one ``transposition``, renumbered."""
    table = alignment
    keys = [_key(table, v, base) for v in variants]
    open_: dict[tuple[tuple[str, ...], frozenset[int]], list[int]] = {}
    partner: dict[int, int] = {}
    for i, key in enumerate(keys):
        if key is None:
            continue
        block, movers, side = key
        other = "in" if side == "out" else "out"
        waiting = open_.get((block, movers), [])
        match = next((j for j in waiting if keys[j] and keys[j][2] == other), None)  # type: ignore[index]
        if match is not None:
            waiting.remove(match)
            partner[match] = i
        else:
            open_.setdefault((block, movers), []).append(i)
    result: list[Variant] = []
    seconds = set(partner.values())
    for i, variant in enumerate(variants):
        if i in seconds:
            continue
        if i in partner:
            variant = _merge(alignment, variant, variants[partner[i]])
        if variant.number != len(result) + 1:
            variant = replace(variant, number=len(result) + 1)
        result.append(variant)
    return tuple(result)


def _merge(alignment: Alignment, first: Variant, second: Variant) -> Variant:
    n = len(alignment.sigla)
    readings = tuple(a or b for a, b in zip(first.readings, second.readings, strict=True))
    locations = tuple(
        first.locations[w] if first.readings[w] else second.locations[w] for w in range(n)
    )
    moved_locations = tuple(
        second.locations[w] if first.readings[w] else first.locations[w] for w in range(n)
    )
    return replace(
        first,
        kind=VariantKind.TRANSPOSITION,
        category=Category.SUBSTANTIVE,
        readings=readings,
        locations=locations,
        moved=(second.first_rank, second.last_rank),
        moved_locations=moved_locations,
    )
