"""Batch status: a document's figures and the thresholds -> ok, failed or flagged.

A document that could not be processed is ``failed``; one whose CER or WER is above
``--max-cer``/``--max-wer`` is ``flagged``, with the reason; any other is ``ok``. The thresholds
apply to the figures of the primary pair (the base against the first other witness), over all
text or over text only (page furniture and markup left out), as ``--threshold-scope`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    """What became of a document."""

    OK = "ok"
    FAILED = "failed"
    FLAGGED = "flagged"


class Scope(Enum):
    """Which figures the thresholds apply to."""

    ALL = "all"
    TEXT = "text"


@dataclass(frozen=True)
class Thresholds:
    """``--max-cer``, ``--max-wer`` (fractions; ``None``: no threshold) and their scope."""

    max_cer: float | None = None
    max_wer: float | None = None
    scope: Scope = Scope.ALL


@dataclass(frozen=True)
class Rates:
    """The primary pair's CER and WER, all text and text only."""

    cer: float
    wer: float
    cer_text: float
    wer_text: float


def judge(thresholds: Thresholds, rates: Rates | None) -> tuple[Status, str | None]:
    """The status of a processed document and why it is flagged (``None`` when ok).

    A document without figures (it has no pair to measure) is ok.
    """
    if rates is None:
        return Status.OK, None
    text = thresholds.scope is Scope.TEXT
    cer, wer = (rates.cer_text, rates.wer_text) if text else (rates.cer, rates.wer)
    prefix = "text-only " if text else ""
    reasons = []
    if thresholds.max_cer is not None and cer > thresholds.max_cer:
        reasons.append(f"{prefix}CER {cer:.4f} > --max-cer {thresholds.max_cer}")
    if thresholds.max_wer is not None and wer > thresholds.max_wer:
        reasons.append(f"{prefix}WER {wer:.4f} > --max-wer {thresholds.max_wer}")
    if reasons:
        return Status.FLAGGED, "; ".join(reasons)
    return Status.OK, None
