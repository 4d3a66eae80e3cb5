"""Batch sources: layouts, record names, manifests (CSV and JSON) and their errors, shards."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from collate.batch.sources import (
    Document,
    Entry,
    Layout,
    Shard,
    discover,
    parse_shard,
    select_shard,
)
from collate.errors import UsageError
from tests.batch_archive import make_folders, make_manifest, make_records
from tests.test_batch import index_json, run


def test_folders_and_records_are_detected(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "f", 2)
    found = discover(folders.path)
    assert [(d.name, d.layout) for d in found] == [
        ("folder-0001", Layout.FOLDERS),
        ("folder-0002", Layout.FOLDERS),
    ]
    records = make_records(tmp_path / "r", 2, broken=False)
    (records.path / ".hidden.txt").write_text("ignored")
    assert [d.name for d in discover(records.path)] == ["doc-00001", "doc-00002"]


def test_records_sharing_a_stem_keep_their_whole_names(tmp_path: Path) -> None:
    for name in ("a.txt", "a.md", "b.txt"):
        (tmp_path / name).write_text("x")
    assert [d.name for d in discover(tmp_path)] == ["a.md", "a.txt", "b"]


def test_record_names_stay_distinct(tmp_path: Path) -> None:
    for name in ("a.txt", "a.md", "a.txt.bak"):
        (tmp_path / name).write_text("x")
    assert [d.name for d in discover(tmp_path)] == ["a.md", "a.txt", "a.txt.bak"]


def test_a_name_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text("x")
    with pytest.raises(UsageError, match="is not valid UTF-8; rename it"):
        discover(tmp_path)


def test_csv_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(
        "document,siglum,path,label\nd1,gt,files/d1.gt.txt,Transcript\nd2,gt,/abs/d2.txt,\n"
        "d1,ocr,files/d1.ocr.txt,OCR\n",
        encoding="utf-8",
    )
    found = discover(manifest, allow_outside=True)  # /abs/d2.txt is outside tmp_path
    assert found[0] == Document(
        "d1",
        Layout.MANIFEST,
        str(manifest),
        (
            Entry("gt", str(tmp_path / "files/d1.gt.txt"), "Transcript"),
            Entry("ocr", str(tmp_path / "files/d1.ocr.txt"), "OCR"),
        ),
    )
    assert found[1].entries == (Entry("gt", "/abs/d2.txt"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("doc,siglum,path\n", "expected the columns document,siglum,path"),
        ("document,siglum,path,extra\n", "expected the columns document,siglum,path"),
        ("document,siglum,path\nd1,,a.txt\n", "m.csv:2: give a document, a siglum and a path"),
        ("document,siglum,path\nd1,a,a.txt,x\n", "m.csv:2: give a document, a siglum and a path"),
        ("document,siglum,path\nd1,a,a.txt\nd1,a,b.txt\n", "m.csv:3: document 'd1' lists siglum"),
        ("document,siglum,path\n../up,a,a.txt\n", "m.csv:2: '../up' cannot name a document"),
        ("document,siglum,path\n.hidden,a,a.txt\n", "cannot name a document"),
        ("document,siglum,path\n", "the manifest lists no documents"),
    ],
)
def test_bad_csv_manifests(tmp_path: Path, text: str, message: str) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(".", r"\.")):
        discover(manifest)


def test_json_manifest_and_its_errors(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    data = {
        "documents": [
            {
                "id": "d1",
                "title": "One",
                "witnesses": [{"siglum": "a", "path": "a.txt"}, {"siglum": "b", "path": "b.txt"}],
            }
        ]
    }
    manifest.write_text(json.dumps(data), encoding="utf-8")
    (document,) = discover(manifest)
    assert document.title == "One" and [e.siglum for e in document.entries] == ["a", "b"]
    bad: object
    for bad in ({"docs": []}, {"documents": [{"id": 1, "witnesses": []}]}, [1]):
        manifest.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(UsageError, match="expected"):
            discover(manifest)
    manifest.write_text("{", encoding="utf-8")
    with pytest.raises(UsageError, match="not a manifest"):
        discover(manifest)


def test_other_files_are_not_manifests(tmp_path: Path) -> None:
    other = tmp_path / "list.txt"
    other.write_text("x")
    with pytest.raises(UsageError, match=r"not a manifest \(a \.csv or \.json file\)"):
        discover(other)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no documents found"):
        discover(tmp_path / "empty")


def test_shards() -> None:
    documents = [Document(str(i), Layout.FOLDERS, "") for i in range(10)]
    assert [d.name for d in select_shard(documents, Shard(2, 4))] == ["1", "5", "9"]
    assert parse_shard("1/1") == Shard(1, 1)
    for bad in ("0/3", "4/3", "a/b", "3", "-1/2"):
        with pytest.raises(UsageError):
            parse_shard(bad)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_manifest_batches(tmp_path: Path, fmt: str) -> None:
    manifest, archive = make_manifest(tmp_path, 3, fmt)
    (archive.path / "m-002.ocr.txt").unlink()  # one witness file missing: that document fails
    outdir = tmp_path / "out"
    code, _, _ = run(manifest, "-o", outdir, "-j", "1", "-q")
    assert code == 1
    documents = {d["document"]: d for d in index_json(outdir)["documents"]}
    assert documents["m-001"]["witnesses"] == "gt ocr"
    assert documents["m-002"]["status"] == "failed"
    assert "m-002.ocr.txt: no such file" in documents["m-002"]["message"]
    conn = sqlite3.connect(outdir / "collate.sqlite")
    key = conn.execute("SELECT input_key FROM documents WHERE name = 'm-002'").fetchone()
    assert key == (None,)  # an input it could not read: retried on the next run
    bad = tmp_path / f"bad.{fmt}"
    bad.write_text("document,path\n" if fmt == "csv" else "[]", encoding="utf-8")
    code, _, err = run(bad, "-o", outdir)
    assert code == 2 and err.startswith(f"Error: {bad}")
