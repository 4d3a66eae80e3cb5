"""Batch on the terminal: the progress bar (stderr) and the summary of a run (rich renderables).

Only reads results: a :class:`~collate.batch.summary.Summary`, the documents listed as
problems, and the counts the runner reports as documents finish.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from collate._safe import printable
from collate.batch.runner import Done
from collate.batch.store import DocumentRow
from collate.batch.summary import Summary


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- docs/s" if speed is None else f"{speed:.1f} docs/s")


def progress_bar(console: Console, disable: bool) -> Progress:
    """A bar with counts, rate and ETA (removed when done)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        RateColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[counts]}"),
        console=console,
        transient=True,
        disable=disable,
    )


class Tally:
    """Counts of finished documents, shown next to the bar."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, done: Done) -> str:
        """Count ``done``; the text to show."""
        self.counts[done.status.value] += 1
        if done.skipped:
            self.counts["skipped"] += 1
        return self.text()

    def text(self) -> str:
        """``N failed N flagged N skipped``, the counts that are not 0."""
        names = ("failed", "flagged", "skipped")
        return " ".join(f"{self.counts[name]} {name}" for name in names if self.counts[name])


def _percent(value: float) -> str:
    return f"{value:.2%}"


@dataclass(frozen=True)
class SummaryReport:
    """The summary table of a run (or of a whole database), then its problem documents."""

    summary: Summary
    problems: Sequence[DocumentRow]
    processed: int | None = None  # None: a report of the database, not of a run
    skipped: int | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        s = self.summary
        table = Table(title="Batch summary", show_header=False, title_justify="left")
        table.add_column("what")
        table.add_column("value", justify="right")
        documents = str(s.documents)
        if self.processed is not None:
            documents += f" ({self.processed} processed, {self.skipped} skipped)"
        table.add_row("documents", documents)
        for name, count in (("ok", s.ok), ("failed", s.failed), ("flagged", s.flagged)):
            table.add_row(name, str(count))
        for category, count in s.variants:
            table.add_row(f"variants: {category}", str(count))
        table.add_row("CER (micro)", f"{_percent(s.cer)} (text only {_percent(s.cer_text)})")
        table.add_row("WER (micro)", f"{_percent(s.wer)} (text only {_percent(s.wer_text)})")
        parts: list[Table | Text] = [table]
        if self.problems:
            listed = Table(title="Failed and flagged documents", title_justify="left")
            for column in ("document", "status", "message"):
                listed.add_column(column, overflow="fold")
            for row in self.problems:
                listed.add_row(
                    Text(printable(row.name)), row.status.value, Text(printable(row.message or ""))
                )
            parts.append(listed)
            more = s.failed + s.flagged - len(self.problems)
            if more > 0:
                parts.append(Text(f"... and {more} more: see index.html or the database"))
        yield Group(*parts)
