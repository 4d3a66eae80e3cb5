"""``collate batch`` is resumable and safe: a killed run leaves no partial output and a rerun
finishes the rest without recording anything twice; unchanged documents are skipped by
checksum and options, changed ones redone, ``--force`` redoes all."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.batch_archive import make_folders, make_records
from tests.test_batch import run

OWN_FILES = {"collate.sqlite", "collate.sqlite-wal", "collate.sqlite-shm", "collate.lock"}
OUTPUTS = {"collation.json", "apparatus.html", "collation.tei.xml"}


def recorded(outdir: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{outdir / 'collate.sqlite'}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:  # not created yet
        return 0


def runs(outdir: Path) -> list[tuple[int | None, int | None]]:
    conn = sqlite3.connect(outdir / "collate.sqlite")
    found = conn.execute("SELECT processed, skipped FROM runs ORDER BY id").fetchall()
    conn.close()
    return found


def stamps(outdir: Path) -> dict[str, tuple[int, str]]:
    conn = sqlite3.connect(outdir / "collate.sqlite")
    found = {
        n: (r, t) for n, r, t in conn.execute("SELECT name, run_id, recorded_at FROM documents")
    }
    conn.close()
    return found


def check_consistent(outdir: Path) -> None:
    """Every visible file is ours and whole; every recorded output exists."""
    for path in outdir.rglob("*"):
        if path.is_dir() or path.name.startswith("."):
            continue  # a hidden .<name>.*.tmp left by a killed write is never taken for output
        relative = path.relative_to(outdir)
        if len(relative.parts) == 1:
            assert path.name in OWN_FILES | {"index.csv", "index.json", "index.html"}, path
        else:
            assert len(relative.parts) == 2 and path.name in OUTPUTS, path
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
    conn = sqlite3.connect(outdir / "collate.sqlite")
    for row in conn.execute("SELECT json_path, html_path FROM documents WHERE status != 'failed'"):
        assert all((outdir / p).is_file() for p in row if p is not None), row
    conn.close()


@pytest.mark.slow  # 5-10 s
def test_a_killed_batch_is_finished_by_a_rerun(tmp_path: Path) -> None:
    archive = make_records(tmp_path / "src", 500, words=(60, 120), broken=False)
    outdir = tmp_path / "out"
    command = "from collate.cli_batch import batch; batch()"
    args = [str(archive.path), "-o", str(outdir), "--jobs", "2", "--html", "--quiet"]
    process = subprocess.Popen([sys.executable, "-c", command, *args], start_new_session=True)
    deadline = time.monotonic() + 60
    try:
        while recorded(outdir) < 40 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    before = stamps(outdir)
    assert 40 <= len(before) < 500, "the batch was not killed midway"
    check_consistent(outdir)

    code, _, _ = run(*args)
    assert code == 0
    after = stamps(outdir)
    assert sorted(after) == archive.all_names
    assert all(after[name] == stamp for name, stamp in before.items())  # not redone
    assert runs(outdir)[1] == (500 - len(before), len(before))
    check_consistent(outdir)

    assert run(*args)[0] == 0
    assert runs(outdir)[2] == (0, 500)
    assert run(*args, "--force")[0] == 0
    assert runs(outdir)[3] == (500, 0)
    check_consistent(outdir)


def test_ctrl_c_exits_130_and_keeps_what_is_done(tmp_path: Path) -> None:
    archive = make_records(tmp_path / "src", 300, words=(60, 120), broken=False)
    outdir = tmp_path / "out"
    command = "from collate.cli_batch import batch; batch()"
    args = [str(archive.path), "-o", str(outdir), "--jobs", "1"]
    process = subprocess.Popen(
        [sys.executable, "-c", command, *args],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while recorded(outdir) < 20 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.endswith(
        "Interrupted: the finished documents are recorded; run the same command to finish\n"
    )
    assert out == ""
    done = recorded(outdir)
    assert 20 <= done < 300
    assert runs(outdir) == [(None, None)]  # the run is not finished
    check_consistent(outdir)


def test_only_a_changed_document_is_redone(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 5)
    outdir = tmp_path / "out"
    assert run(folders.path, "-o", outdir, "-j", "1", "-q")[0] == 0
    before = stamps(outdir)
    changed = folders.path / "folder-0003" / "x-ocr1.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "An added line.\n")
    assert run(folders.path, "-o", outdir, "-j", "1", "-q")[0] == 0
    assert runs(outdir)[1] == (1, 4)
    after = stamps(outdir)
    assert [n for n in after if after[n] != before[n]] == ["folder-0003"]
    conn = sqlite3.connect(outdir / "collate.sqlite")
    data = (folders.path / "folder-0003" / "x-ocr1.txt").read_bytes()
    sums = dict(conn.execute("SELECT path, sha256 FROM inputs WHERE document = 'folder-0003'"))
    assert sums[str(changed)] == __import__("hashlib").sha256(data).hexdigest()


def test_other_options_redo_and_stale_outputs_go(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 3)
    outdir = tmp_path / "out"
    assert run(folders.path, "-o", outdir, "-j", "1", "--html", "-q")[0] == 0
    assert (outdir / "folder-0001" / "apparatus.html").is_file()
    assert run(folders.path, "-o", outdir, "-j", "1", "-q")[0] == 0
    assert runs(outdir)[1] == (3, 0)
    assert not (outdir / "folder-0001" / "apparatus.html").exists()
    assert run(folders.path, "-o", outdir, "-j", "1", "--normalize", "none", "-q")[0] == 0
    assert runs(outdir)[2] == (3, 0)


def test_a_deleted_output_or_a_fixed_input_is_redone(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 3)
    broken = folders.path / "folder-0002" / "x-ocr1.txt"
    text = broken.read_bytes()
    broken.write_bytes(b"\x00\x01binary")
    outdir = tmp_path / "out"
    assert run(folders.path, "-o", outdir, "-j", "1", "-q")[0] == 1
    assert run(folders.path, "-o", outdir, "-j", "1", "-q")[0] == 1  # same bytes: skipped
    assert runs(outdir)[1] == (0, 3)
    broken.write_bytes(text)
    (outdir / "folder-0001" / "collation.json").unlink()
    assert run(folders.path, "-o", outdir, "-j", "1", "-q")[0] == 0
    assert runs(outdir)[2] == (2, 1)


def test_leftover_temporary_files_are_removed(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 1)
    leftover = tmp_path / "out" / "folder-0001" / ".collation.json.abc123.tmp"
    leftover.parent.mkdir(parents=True)
    leftover.write_text('{"half": ')
    assert run(folders.path, "-o", tmp_path / "out", "-j", "1", "-q")[0] == 0
    assert not leftover.exists()
