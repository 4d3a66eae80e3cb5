"""The batch output folder (OUTDIR): what lives where.

::

    OUTDIR/collate.sqlite         the database (written by the coordinating process only)
    OUTDIR/collate.lock           held by the running batch, with its process id
    OUTDIR/index.csv|json|html    the index, generated from the database
    OUTDIR/<document>/            one folder per document: collation.json, and with --html and
                                  --tei apparatus.html and collation.tei.xml

Every file is written atomically (``files.write_atomic``): a temporary ``.<name>.*.tmp`` next
to it, then a rename. Paths recorded in the database are relative to OUTDIR.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from collate.render.formats import FORMATS

DATABASE = "collate.sqlite"
LOCK = "collate.lock"
INDEX_FILES = ("index.csv", "index.json", "index.html")
RESERVED = frozenset(
    name.casefold()
    for name in (
        DATABASE,
        *(DATABASE + s for s in ("-wal", "-shm", "-journal")),
        LOCK,
        *INDEX_FILES,
    )
)


class Output(Enum):
    """A report written for a document: the name of its format in the registry
    (``collate/render/formats.py``). The database has a column for each (``schema.py``)."""

    JSON = "json"
    HTML = "html"
    TEI = "tei"

    @property
    def file_name(self) -> str:
        """``collation.json``, ``apparatus.html``, ``collation.tei.xml``: the format's suffix."""
        return ("apparatus" if self is Output.HTML else "collation") + FORMATS[self.value].suffix


def is_reserved(name: str) -> bool:
    """Whether a document of this name would clash with OUTDIR's own files."""
    return name.casefold() in RESERVED


def relative(document: str, output: Output) -> str:
    """The path of a document's output, relative to OUTDIR (as recorded)."""
    return f"{document}/{output.file_name}"


def remove_leftovers(folder: Path, outputs: Iterable[Output]) -> None:
    """Remove the temporary files an interrupted write of ``outputs`` left in ``folder``."""
    for output in outputs:
        for tmp in folder.glob(f".{output.file_name}.*.tmp"):
            tmp.unlink(missing_ok=True)


def remove_outputs(outdir: Path, document: str, keep: Iterable[str]) -> None:
    """Remove the document's outputs that are not in ``keep`` (relative paths): those of an
    earlier run with other options, or of a document that now fails."""
    if is_reserved(document):
        return
    kept = set(keep)
    for output in Output:
        path = relative(document, output)
        if path not in kept:
            with contextlib.suppress(OSError):  # the database no longer points to it anyway
                (outdir / path).unlink(missing_ok=True)
