"""Batch sources: SOURCE -> the documents to collate, in name order.

A SOURCE is one of three layouts (:class:`Layout`):

* ``folders``: a folder of witness folders, each read like ``collate compare DIR`` (its
  ``metadata.json``, else every ``*.txt`` file); the document's name is the folder's name;
* ``records``: a folder of archive records (files that ``collate extract`` splits); the
  document's name is the file's name without its extension (the whole name when two records
  would share it);
* ``manifest``: a ``.csv`` or ``.json`` file listing each document's witness files.

Entries whose names start with ``.`` are left out. No document is read here: a
:class:`Document` names its files, and ``work.py`` reads them, so a bad document fails alone.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from collate.errors import Param, UsageError
from collate.files import read_bytes
from collate.readers import decode, folder_entries, inside, is_inside

MANIFEST_COLUMNS = ("document", "siglum", "path", "label")


class Layout(Enum):
    """How SOURCE holds its documents."""

    FOLDERS = "folders"
    RECORDS = "records"
    MANIFEST = "manifest"


@dataclass(frozen=True)
class Entry:
    """A witness file listed in a manifest."""

    siglum: str
    path: str
    label: str = ""


@dataclass(frozen=True)
class Document:
    """One document of a batch: its name, where it comes from and (manifests) its witnesses."""

    name: str
    layout: Layout
    source: str  # the witness folder, the record file or the manifest
    entries: tuple[Entry, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count``: every ``count``-th document from the ``index``-th."""

    index: int
    count: int


def parse_shard(text: str) -> Shard:
    """``"K/N"`` -> :class:`Shard`, with ``1 <= K <= N``."""
    k, sep, n = text.partition("/")
    if sep and k.strip().isdigit() and n.strip().isdigit() and 1 <= int(k) <= int(n):
        return Shard(int(k), int(n))
    raise UsageError(
        Param("shard", text), ": give K/N with 1 <= K <= N, for example ", Param("shard", "1/4")
    )


def select_shard(documents: Sequence[Document], shard: Shard | None) -> tuple[Document, ...]:
    """The documents of ``shard`` (all when ``None``), in the order given."""
    if shard is None:
        return tuple(documents)
    return tuple(documents[shard.index - 1 :: shard.count])


def discover(
    source: Path, layout: Layout | None = None, allow_outside: bool = False
) -> tuple[Document, ...]:
    """The documents of ``source`` in name order; ``layout=None`` detects it.

    Unless ``allow_outside``, every file is in ``source`` (the manifest's folder, for a
    manifest) once links are followed: a link or a manifest path leading out is refused.
    """
    try:
        os.lstat(source)
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file or folder; give a folder or a manifest") from None
    except OSError as error:
        raise UsageError(
            f"{source}: cannot read it ({error.strerror}); check its permissions"
        ) from None
    if not os.path.isdir(source) or layout is Layout.MANIFEST:
        return _manifest(source, allow_outside)
    listed = [p for p in folder_entries(source) if not p.name.startswith(".")]
    entries = sorted(inside(source, p, allow_outside) for p in listed)
    folders = [p for p in entries if os.path.isdir(p)]
    files = [p for p in entries if not os.path.isdir(p)]  # a pipe or a device fails as a document
    if layout is None:
        if folders and files:
            raise UsageError(
                f"{source}: holds both folders and files; give ",
                Param("layout", "folders"),
                " (witness folders) or ",
                Param("layout", "records"),
                " (record files)",
            )
        layout = Layout.FOLDERS if folders else Layout.RECORDS
    found = folders if layout is Layout.FOLDERS else files
    for path in found:
        _check_utf8(path)
    if not found:
        what = "witness folders" if layout is Layout.FOLDERS else "record files"
        raise UsageError(f"{source}: no documents found (looked for {what})")
    if layout is Layout.FOLDERS:
        return tuple(Document(p.name, layout, str(p)) for p in found)
    return _records(found)


def _check_utf8(path: Path) -> None:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(
            f"{path.parent}: the name {path.name!r} is not valid UTF-8; rename it"
        ) from None


def _records(files: Sequence[Path]) -> tuple[Document, ...]:
    stems = [f.stem or f.name for f in files]
    seen = Counter(stems)
    names = [s if seen[s] == 1 else f.name for s, f in zip(stems, files, strict=True)]
    if len(set(names)) < len(names):  # a stem equal to another file's name
        names = [f.name for f in files]
    documents = [Document(n, Layout.RECORDS, str(f)) for n, f in zip(names, files, strict=True)]
    return tuple(sorted(documents, key=lambda d: d.name))


def _manifest(path: Path, allow_outside: bool) -> tuple[Document, ...]:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise UsageError(
            f"{path}: not a manifest (a .csv or .json file); give a folder or a manifest"
        )
    text = decode(read_bytes(path), str(path))  # an InputError: batch exits 2 for every error
    rows = _csv_rows(text, path) if suffix == ".csv" else _json_rows(text, path)
    documents: dict[str, list[Entry]] = {}
    titles: dict[str, str] = {}
    for where, name, entry, title in rows:
        _check_name(name, f"{path}:{where}")
        if not allow_outside:
            _check_entry(path, where, entry.path)
        entries = documents.setdefault(name, [])
        if any(e.siglum == entry.siglum for e in entries):
            raise UsageError(
                f"{path}:{where}: document {name!r} lists siglum {entry.siglum!r} twice; "
                "give each witness its own siglum"
            )
        entries.append(entry)
        titles.setdefault(name, title)
    if not documents:
        raise UsageError(f"{path}: the manifest lists no documents")
    folder = path.parent
    return tuple(
        Document(
            name,
            Layout.MANIFEST,
            str(path),
            tuple(Entry(e.siglum, str(folder / e.path), e.label) for e in entries),
            titles[name],
        )
        for name, entries in sorted(documents.items())
    )


_Row = tuple[str, str, Entry, str]  # where (line or item), document, witness, title


def _csv_rows(text: str, path: Path) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    unknown = [c for c in columns if c not in MANIFEST_COLUMNS]
    missing = [c for c in MANIFEST_COLUMNS[:3] if c not in columns]
    if unknown or missing:
        raise UsageError(
            f"{path}:1: expected the columns document,siglum,path (and optionally label), "
            f"found {','.join(columns) or 'none'}"
        )
    rows: list[_Row] = []
    for row in reader:
        where = str(reader.line_num)
        values = {k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS}
        if None in row or not all(values[k] for k in MANIFEST_COLUMNS[:3]):
            raise UsageError(f"{path}:{where}: give a document, a siglum and a path on every row")
        entry = Entry(values["siglum"], values["path"], values["label"])
        rows.append((where, values["document"], entry, ""))
    return rows


def _json_rows(text: str, path: Path) -> list[_Row]:
    shape = 'expected {"documents": [{"id": ..., "witnesses": [{"siglum": ..., "path": ...}]}]}'
    try:
        data = json.loads(text)
        items = data["documents"]
        if not isinstance(items, list):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise UsageError(f"{path}: not a manifest; {shape}") from None
    rows: list[_Row] = []
    for i, item in enumerate(items, start=1):
        where = f"documents[{i}]"
        try:
            name, title = item["id"], item.get("title", "")
            witnesses = item["witnesses"]
            listed = [(w["siglum"], w["path"], w.get("label", "")) for w in witnesses]
        except (KeyError, TypeError, AttributeError):
            raise UsageError(f"{path}: {where}: {shape}") from None
        values = [name, title, *(v for w in listed for v in w)]
        if not all(isinstance(v, str) for v in values) or not listed:
            raise UsageError(f"{path}: {where}: {shape} (strings, at least one witness)")
        rows.extend((where, name, Entry(*w), title) for w in listed)
    return rows


def _check_entry(manifest: Path, where: str, name: str) -> None:
    """Refuse a witness path that leads outside the manifest's folder."""
    folder = manifest.parent
    if not is_inside(folder, folder / name):
        raise UsageError(
            f"{manifest}:{where}: the witness file '{name}' is outside the manifest's folder "
            f"{folder}; move it there, or give ",
            Param("allow_outside"),
            " to read it",
        )


def _check_name(name: str, where: str) -> None:
    """A document name becomes a folder of OUTDIR: one plain path component."""
    if (
        not name
        or name.startswith(".")
        or any(c in name for c in "/\\\x00")
        or name != name.strip()
    ):
        raise UsageError(
            f"{where}: {name!r} cannot name a document (it names a folder of the output: no "
            "slashes, no leading dot or spaces)"
        )
