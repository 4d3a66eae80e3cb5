"""Batch store: outcomes -> the SQLite database ``OUTDIR/collate.sqlite``, and back.

Only the coordinating process opens the database; it records each finished document in one
transaction (one commit per document), so an interrupted batch loses no finished document and
never leaves half a row. The schema is in ``schema.py``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from collate.batch.outdir import Output
from collate.batch.schema import transaction
from collate.batch.sources import Document
from collate.batch.status import Rates, Status
from collate.batch.work import Outcome, PairFigures, Recorded
from collate.model import Category

CATEGORIES = tuple(c.value for c in Category)


@dataclass(frozen=True)
class RunInfo:
    """What a run records about itself when it starts."""

    source: str
    layout: str
    options: str  # JSON
    executor: str
    workers: int
    documents: int


@dataclass(frozen=True)
class Stored:
    """What the database holds about a document, for skipping and re-judging it."""

    recorded: Recorded
    status: Status
    message: str | None
    rates: Rates | None


@dataclass(frozen=True)
class Counts:
    """Edit distances and reference lengths of the primary pair (all text, text only)."""

    char_distance: int
    char_total: int
    word_distance: int
    word_total: int
    char_distance_text: int
    char_total_text: int
    word_distance_text: int
    word_total_text: int


@dataclass(frozen=True)
class DocumentRow:
    """One document as the index shows it."""

    name: str
    status: Status
    message: str | None
    sigla: tuple[str, ...]
    base: str | None
    hypothesis: str | None
    variants: int | None
    categories: tuple[int, ...] | None  # in Category order
    rates: Rates | None
    counts: Counts | None
    seconds: float
    outputs: tuple[str | None, str | None, str | None]  # json, html, tei


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def start_run(conn: sqlite3.Connection, info: RunInfo) -> int:
    """Record the start of a run; its id."""
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO runs (started_at, source, layout, options, executor, workers, documents)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                _now(),
                info.source,
                info.layout,
                info.options,
                info.executor,
                info.workers,
                info.documents,
            ),
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def finish_run(conn: sqlite3.Connection, run_id: int, processed: int, skipped: int) -> None:
    """Record the end of a run."""
    with transaction(conn):
        conn.execute(
            "UPDATE runs SET finished_at = ?, processed = ?, skipped = ? WHERE id = ?",
            (_now(), processed, skipped, run_id),
        )


def stored(conn: sqlite3.Connection, name: str) -> Stored | None:
    """What is recorded for the document ``name`` (``None``: nothing)."""
    row = conn.execute(
        "SELECT input_key, json_path, html_path, tei_path, status, message, cer, wer, cer_text,"
        " wer_text FROM documents WHERE name = ?",
        (name,),
    ).fetchone()
    if row is None:
        return None
    outputs = tuple(p for p in row[1:4] if p is not None)
    rates = None if row[6] is None else Rates(*row[6:10])
    return Stored(Recorded(row[0], outputs), Status(row[4]), row[5], rates)


def primary_rates(outcome: Outcome) -> Rates | None:
    """CER and WER of the outcome's primary pair (``None`` without one)."""
    if not outcome.pairs:
        return None
    pair = outcome.pairs[0]
    return Rates(pair.chars.rate, pair.words.rate, pair.chars_text.rate, pair.words_text.rate)


def record(
    conn: sqlite3.Connection,
    run_id: int,
    document: Document,
    outcome: Outcome,
    status: Status,
    message: str | None,
    options: str,
) -> None:
    """Replace the rows of the document with those of ``outcome``, in one transaction."""
    name = outcome.name
    rates = primary_rates(outcome)
    outputs = {Path(p).name: p for p in outcome.outputs}
    t = outcome.timings
    with transaction(conn):
        conn.execute("DELETE FROM documents WHERE name = ?", (name,))
        conn.execute(
            f"INSERT INTO documents VALUES ({', '.join('?' * 27)})",
            (
                name, document.layout.value, document.source, status.value, message,
                outcome.error_type, len(outcome.witnesses), outcome.base,
                outcome.pairs[0].hypothesis if outcome.pairs else None,
                sum(n for _, n in outcome.variants) if outcome.witnesses else None,
                *((rates.cer, rates.wer, rates.cer_text, rates.wer_text) if rates else [None] * 4),
                *(outputs.get(o.file_name) for o in Output), outcome.key, options,
                t.read, t.collate, t.measure, t.render, t.total,
                outcome.worker, run_id, _now(),
            ),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO inputs VALUES (?, ?, ?, ?, ?)",
            [(name, i, c.path, c.sha256, c.size) for i, c in enumerate(outcome.inputs)],
        )
        conn.executemany(
            "INSERT INTO witnesses VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (name, i, w.siglum, w.label, w.path, w.format, w.markup, w.tokens)
                for i, w in enumerate(outcome.witnesses)
            ],
        )
        conn.executemany(
            "INSERT INTO variant_counts VALUES (?, ?, ?)",
            [(name, c.value, n) for c, n in outcome.variants],
        )
        conn.executemany(
            f"INSERT INTO fidelity VALUES ({', '.join('?' * 15)})",
            [(name, *_pair_values(p)) for p in outcome.pairs],
        )


def _pair_values(pair: PairFigures) -> tuple[object, ...]:
    scopes = (pair.chars, pair.words, pair.chars_text, pair.words_text)
    return (
        pair.reference,
        pair.hypothesis,
        *(counts.rate for counts in scopes),
        *(value for counts in scopes for value in (counts.distance, counts.reference)),
    )


def set_status(conn: sqlite3.Connection, name: str, status: Status, message: str | None) -> None:
    """Change a document's status (re-judged against other thresholds)."""
    with transaction(conn):
        conn.execute(
            "UPDATE documents SET status = ?, message = ? WHERE name = ?",
            (status.value, message, name),
        )


_ROWS = f"""
SELECT d.name, d.status, d.message, d.base, d.hypothesis, d.variants,
    {
    ", ".join(
        "(SELECT variants FROM variant_counts c WHERE c.document = d.name AND c.category = ?)"
        for _ in CATEGORIES
    )
},
    d.cer, d.wer, d.cer_text, d.wer_text,
    f.char_distance, f.char_total, f.word_distance, f.word_total,
    f.char_distance_text, f.char_total_text, f.word_distance_text, f.word_total_text,
    d.seconds, d.json_path, d.html_path, d.tei_path
FROM documents d LEFT JOIN fidelity f ON f.document = d.name AND f.hypothesis = d.hypothesis
ORDER BY d.name
"""


def rows(conn: sqlite3.Connection) -> Iterator[DocumentRow]:
    """Every recorded document, in name order."""
    sigla = _sigla(conn)
    pending: tuple[str, tuple[str, ...]] | None = next(sigla, None)
    n = len(CATEGORIES)
    for row in conn.execute(_ROWS, CATEGORIES):
        name = row[0]
        while pending is not None and pending[0] < name:
            pending = next(sigla, None)
        found = pending[1] if pending is not None and pending[0] == name else ()
        at = 6 + n  # after the category counts
        yield DocumentRow(
            name=name,
            status=Status(row[1]),
            message=row[2],
            sigla=found,
            base=row[3],
            hypothesis=row[4],
            variants=row[5],
            categories=None if row[5] is None else tuple(row[6:at]),
            rates=None if row[at] is None else Rates(*row[at : at + 4]),
            counts=None if row[at + 4] is None else Counts(*row[at + 4 : at + 12]),
            seconds=row[at + 12],
            outputs=(row[at + 13], row[at + 14], row[at + 15]),
        )


def _sigla(conn: sqlite3.Connection) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(document, its sigla in order) for every document with witnesses, in name order."""
    current: str | None = None
    found: list[str] = []
    for document, siglum in conn.execute(
        "SELECT document, siglum FROM witnesses ORDER BY document, position"
    ):
        if document != current:
            if current is not None:
                yield current, tuple(found)
            current, found = document, []
        found.append(siglum)
    if current is not None:
        yield current, tuple(found)
