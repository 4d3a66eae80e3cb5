"""The batch database: its SQLite schema (documented in docs/batch.md), and opening it.

``PRAGMA user_version`` holds the schema's version. The database uses a WAL journal
(``synchronous = NORMAL``: a crash never corrupts it, at worst the last commits are lost) and
enforces foreign keys, so a document's rows go with it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from collate.batch.outdir import DATABASE
from collate.errors import OutputError, Param, UsageError

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    source TEXT NOT NULL,
    layout TEXT NOT NULL,
    options TEXT NOT NULL,
    executor TEXT NOT NULL,
    workers INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    processed INTEGER,
    skipped INTEGER
);
CREATE TABLE documents (
    name TEXT PRIMARY KEY,
    layout TEXT NOT NULL CHECK (layout IN ('folders', 'records', 'manifest')),
    source TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'flagged')),
    message TEXT,
    error_type TEXT,
    witness_count INTEGER NOT NULL,
    base TEXT,
    hypothesis TEXT,
    variants INTEGER,
    cer REAL,
    wer REAL,
    cer_text REAL,
    wer_text REAL,
    json_path TEXT,
    html_path TEXT,
    tei_path TEXT,
    input_key TEXT,
    options TEXT NOT NULL,
    read_seconds REAL NOT NULL,
    collate_seconds REAL NOT NULL,
    measure_seconds REAL NOT NULL,
    render_seconds REAL NOT NULL,
    seconds REAL NOT NULL,
    worker TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX documents_status ON documents (status);
CREATE TABLE inputs (
    document TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (document, position)
) WITHOUT ROWID;
CREATE TABLE witnesses (
    document TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    siglum TEXT NOT NULL,
    label TEXT NOT NULL,
    path TEXT,
    format TEXT NOT NULL,
    markup TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    PRIMARY KEY (document, position)
) WITHOUT ROWID;
CREATE TABLE variant_counts (
    document TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
    category TEXT NOT NULL,
    variants INTEGER NOT NULL,
    PRIMARY KEY (document, category)
) WITHOUT ROWID;
CREATE TABLE fidelity (
    document TEXT NOT NULL REFERENCES documents (name) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    hypothesis TEXT NOT NULL,
    cer REAL NOT NULL,
    wer REAL NOT NULL,
    cer_text REAL NOT NULL,
    wer_text REAL NOT NULL,
    char_distance INTEGER NOT NULL,
    char_total INTEGER NOT NULL,
    word_distance INTEGER NOT NULL,
    word_total INTEGER NOT NULL,
    char_distance_text INTEGER NOT NULL,
    char_total_text INTEGER NOT NULL,
    word_distance_text INTEGER NOT NULL,
    word_total_text INTEGER NOT NULL,
    PRIMARY KEY (document, hypothesis)
) WITHOUT ROWID;
"""


def open_store(outdir: Path, create: bool = True) -> sqlite3.Connection:
    """The database of ``outdir``, created when missing (when ``create``)."""
    path = outdir / DATABASE
    if not create and not path.is_file():
        raise UsageError(
            f"{outdir}: no {DATABASE} here; run 'collate batch SOURCE -o {outdir}' first"
        )
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise OutputError(f"{path}: made by a newer collate; upgrade collate")
        if version == 0 and tables:
            raise OutputError(
                f"{path}: not a collate batch database; choose another ", Param("outdir")
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if version == 0:
            conn.executescript(f"BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
    except sqlite3.OperationalError as error:
        raise OutputError(
            f"{path}: cannot use the database ({error}); choose another ", Param("outdir")
        ) from None
    except sqlite3.Error as error:  # damaged, or not a database at all
        raise _failure(path, error) from None
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction: committed when the block ends, rolled back when it raises.

    A database that cannot be written (locked by another batch, a full disk) raises an
    :class:`OutputError`.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise _failure(Path(DATABASE), error) from None


@contextmanager
def database_errors(path: Path) -> Iterator[None]:
    """Turn an SQLite error raised in the block (a damaged page met while reading or writing)
    into an :class:`OutputError` naming ``path``."""
    try:
        yield
    except sqlite3.Error as error:
        raise _failure(path, error) from None


def _failure(path: Path, error: sqlite3.Error) -> OutputError:
    """The error for ``path``: damaged (corrupt, not a database) or not writable (locked, full
    disk, read-only)."""
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        return OutputError(
            f"{path}: the database is damaged ({error}); move it away (the next run redoes "
            "every document) or choose another -o"
        )
    return OutputError(
        f"{path}: cannot write the database ({error}); is another collate batch using "
        "this OUTDIR, or the disk full?"
    )
