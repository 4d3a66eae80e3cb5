"""Batch summary: document rows -> counts by status, variants by category, micro CER/WER.

The micro averages sum the primary pairs' edit distances over their summed reference lengths
(long documents weigh more), as ``collate fidelity --pairs`` does; failed documents have no
figures and are left out of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from collate.batch.status import Status
from collate.batch.store import CATEGORIES, DocumentRow


def _rate(distance: int, total: int) -> float:
    return distance / total if total else float(distance > 0)


@dataclass(frozen=True)
class Summary:
    """Figures over many documents."""

    documents: int
    ok: int
    failed: int
    flagged: int
    variants: tuple[tuple[str, int], ...]  # (category, count), in category order
    char_distance: int
    char_total: int
    word_distance: int
    word_total: int
    char_distance_text: int
    char_total_text: int
    word_distance_text: int
    word_total_text: int

    @property
    def cer(self) -> float:
        """Micro CER over all text."""
        return _rate(self.char_distance, self.char_total)

    @property
    def wer(self) -> float:
        """Micro WER over all text."""
        return _rate(self.word_distance, self.word_total)

    @property
    def cer_text(self) -> float:
        """Micro CER over text only."""
        return _rate(self.char_distance_text, self.char_total_text)

    @property
    def wer_text(self) -> float:
        """Micro WER over text only."""
        return _rate(self.word_distance_text, self.word_total_text)

    def to_dict(self) -> dict[str, object]:
        """The summary as JSON data."""
        return {
            "documents": self.documents,
            "ok": self.ok,
            "failed": self.failed,
            "flagged": self.flagged,
            "variants": dict(self.variants),
            "cer": self.cer,
            "wer": self.wer,
            "cer_text": self.cer_text,
            "wer_text": self.wer_text,
            "char_distance": self.char_distance,
            "char_total": self.char_total,
            "word_distance": self.word_distance,
            "word_total": self.word_total,
        }


def summarize(rows: Iterable[DocumentRow]) -> Summary:
    """The summary of ``rows``."""
    statuses = dict.fromkeys(Status, 0)
    variants = [0] * len(CATEGORIES)
    sums = [0] * 8
    documents = 0
    for row in rows:
        documents += 1
        statuses[row.status] += 1
        for i, n in enumerate(row.categories or ()):
            variants[i] += n
        if row.counts is not None:
            c = row.counts
            values = (
                c.char_distance, c.char_total, c.word_distance, c.word_total,
                c.char_distance_text, c.char_total_text, c.word_distance_text, c.word_total_text,
            )  # fmt: skip
            sums = [a + b for a, b in zip(sums, values, strict=True)]
    return Summary(
        documents,
        statuses[Status.OK],
        statuses[Status.FAILED],
        statuses[Status.FLAGGED],
        tuple(zip(CATEGORIES, variants, strict=True)),
        *sums,
    )
