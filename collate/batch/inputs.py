"""Batch inputs: a :class:`~collate.batch.sources.Document` -> its input files, their
checksums, and its witnesses.

The inputs of a document are the files its results depend on: a witness folder's
``metadata.json`` (when it has one) and the witness files it lists, else its ``*.txt`` files; a
record file; the files a manifest lists. Each is hashed (SHA-256) *before* it is read, so a file
changed while a batch runs is never recorded with the checksum of its new bytes and old results.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from collate.batch.sources import Document, Layout
from collate.errors import InputError
from collate.files import read_bytes
from collate.model import Witness
from collate.readers import (
    METADATA_FILE,
    ReadOptions,
    collection_title,
    decode,
    folder_files,
    load_witness,
    read_layers,
    read_witnesses,
)
from collate.records import split_record


@dataclass(frozen=True)
class Checksum:
    """An input file: its path, SHA-256 (hex) and size in bytes."""

    path: str
    sha256: str
    size: int


def input_files(document: Document) -> tuple[Path, ...]:
    """The files the document is read from, in a fixed order."""
    if document.layout is Layout.RECORDS:
        return (Path(document.source),)
    if document.layout is Layout.MANIFEST:
        return tuple(Path(e.path) for e in document.entries)
    folder = Path(document.source)
    meta = folder / METADATA_FILE
    if not os.path.lexists(meta):
        return tuple(folder_files(folder))
    try:
        listed = json.loads(read_bytes(meta).decode("utf-8"))["witnesses"]
        return (meta, *(folder / str(w["file"]) for w in listed))
    except (InputError, ValueError, KeyError, TypeError):
        return (meta,)  # reading the folder reports what is wrong with it


def checksum(path: Path) -> tuple[Checksum, bytes]:
    """The checksum of ``path`` and the bytes it was computed from."""
    data = read_bytes(path)
    return Checksum(str(path), hashlib.sha256(data).hexdigest(), len(data)), data


def read_document(
    document: Document, record: bytes | None, options: ReadOptions
) -> tuple[tuple[Witness, ...], str]:
    """The document's witnesses and title; ``record`` holds a record's bytes (as hashed)."""
    if document.layout is Layout.FOLDERS:
        folder = Path(document.source)
        return read_witnesses([folder], options), collection_title([folder])
    if document.layout is Layout.MANIFEST:
        witnesses = tuple(
            w
            for e in document.entries
            for w in read_layers(Path(e.path), e.siglum, e.label, options)
        )
        if len(witnesses) < 2:
            raise InputError(
                f"{document.source}: document {document.name!r} lists only one witness; "
                "collation needs at least two"
            )
        return witnesses, document.title
    assert record is not None
    text = decode(record, document.source, options.encoding)
    if not text.strip():
        raise InputError(f"{document.source}: the file is empty; give an archive record")
    parsed = split_record(text, document.source)
    witnesses = tuple(
        load_witness(
            part.text, part.siglum, path=document.source, label=part.label, markup=options.markup
        )
        for part in parsed.parts
    )
    return witnesses, parsed.title
