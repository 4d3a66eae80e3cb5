"""``collate batch``: the same results serially, on a process pool and on Dask; broken documents
recorded, not fatal; exit codes; the index and ``--report``; thresholds; ``--quiet``."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collate.cli_batch import batch
from tests.batch_archive import Archive, make_folders, make_records

TIMINGS = {
    "read_seconds",
    "collate_seconds",
    "measure_seconds",
    "render_seconds",
    "seconds",
    "worker",
    "recorded_at",
    "run_id",
}
TABLES = ("documents", "inputs", "witnesses", "variant_counts", "fidelity")


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(batch, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def db_rows(outdir: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but ``runs``, without timings, in key order."""
    conn = sqlite3.connect(outdir / "collate.sqlite")
    found = {}
    for table in TABLES:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        kept = ", ".join(c for c in columns if c not in TIMINGS)
        found[table] = conn.execute(f"SELECT {kept} FROM {table} ORDER BY 1, 2").fetchall()
    conn.close()
    return found


def index_json(outdir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((outdir / "index.json").read_text(encoding="utf-8"))
    for document in data["documents"]:
        del document["seconds"]
    return data


def reports(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.glob("*/*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    return make_records(tmp_path_factory.mktemp("batch") / "records", 200)


@pytest.fixture(scope="module")
def serial(archive: Archive, tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("serial") / "out"
    code, out, _ = run(archive.path, "-o", outdir, "--jobs", "1")
    assert code == 1, out  # the broken documents
    return outdir


def test_serial_run_records_every_document(archive: Archive, serial: Path) -> None:
    rows = db_rows(serial)
    names = [row[0] for row in rows["documents"]]
    assert names == archive.all_names
    assert len(names) >= 204
    statuses = {row[0]: row[3] for row in rows["documents"]}
    assert {n for n, s in statuses.items() if s == "failed"} == set(archive.broken)
    assert all(statuses[n] == "ok" for n in archive.names)
    assert len(rows["fidelity"]) == len(archive.names)
    assert len(rows["variant_counts"]) == 7 * len(archive.names)


def test_broken_documents_are_recorded_with_their_error(serial: Path) -> None:
    conn = sqlite3.connect(serial / "collate.sqlite")
    errors = dict(
        conn.execute(
            "SELECT name, error_type || ': ' || message FROM documents WHERE status = 'failed'"
        )
    )
    assert "looks like a binary file" in errors["zz-binary"]
    assert "the file is empty" in errors["zz-empty"]
    assert "not valid utf-8 at byte" in errors["zz-latin1"]
    assert errors["zz-latin1"].endswith(  # the batch command's flag, not the library's keyword
        "give the file's encoding with --encoding (for example --encoding cp1252)"
    )
    assert errors["zz-unsplittable"].startswith("RecordError: ")
    assert all(message.count("\n") == 0 for message in errors.values())
    # a deterministic failure keeps its key (skipped next time); its inputs are recorded
    keys = dict(conn.execute("SELECT name, input_key FROM documents WHERE status = 'failed'"))
    assert all(keys.values())
    assert conn.execute("SELECT count(*) FROM inputs WHERE document = 'zz-binary'").fetchone() == (
        1,
    )


@pytest.mark.slow  # about 5 s: starting a Dask cluster
def test_parallel_and_dask_give_identical_results(
    archive: Archive, serial: Path, tmp_path: Path
) -> None:
    pytest.importorskip("distributed")
    pool, dask = tmp_path / "pool", tmp_path / "dask"
    assert run(archive.path, "-o", pool, "--jobs", "2", "--quiet")[0] == 1
    assert run(archive.path, "-o", dask, "--scheduler", "local", "--jobs", "2", "-q")[0] == 1
    expected = db_rows(serial)
    assert db_rows(pool) == expected
    assert db_rows(dask) == expected
    assert index_json(pool) == index_json(serial) == index_json(dask)
    assert reports(pool) == reports(serial) == reports(dask)


def test_index_files(archive: Archive, serial: Path) -> None:
    data = index_json(serial)
    assert data["schema_version"] == 1
    assert [d["document"] for d in data["documents"]] == archive.all_names
    summary = data["summary"]
    assert (summary["ok"], summary["failed"], summary["flagged"]) == (200, 4, 0)
    assert 0.01 < summary["cer"] < 0.06
    assert summary["variants"]["substantive"] > 0
    csv_lines = (serial / "index.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0].startswith("document,status,message,witnesses,base,hypothesis,variants,")
    assert len(csv_lines) == 1 + len(archive.all_names)
    page = (serial / "index.html").read_text(encoding="utf-8")
    assert "http" not in page.replace('http-equiv="Content-Security-Policy"', "")
    assert "<script>" in page and page.count("<tr class=") == len(archive.all_names)


def test_report_regenerates_the_index_from_the_database(serial: Path) -> None:
    before = {name: (serial / name).read_bytes() for name in ("index.csv", "index.json")}
    for name in ("index.csv", "index.json", "index.html"):
        (serial / name).unlink()
    code, out, _ = run("--report", serial)
    assert code == 1  # the database holds failed documents
    assert "Batch summary" in out and "zz-binary" in out
    assert {name: (serial / name).read_bytes() for name in before} == before
    assert (serial / "index.html").is_file()


def test_report_is_quiet_with_quiet(serial: Path) -> None:
    code, out, err = run("--report", serial, "--quiet")
    assert (code, out, err) == (1, "", "")


def test_summary_lists_the_failed_documents(archive: Archive, tmp_path: Path) -> None:
    code, out, err = run(archive.path, "-o", tmp_path / "out", "--jobs", "1", "--shard", "1/50")
    assert code == 1 and err == ""  # doc-00001, -00051, -00101, -00151 and zz-binary
    assert "Batch summary" in out and "5 (5 processed, 0 skipped)" in out
    assert "Failed and flagged documents" in out and "zz-binary" in out


def test_clean_archive_exits_0_and_quiet_prints_nothing(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 4)
    code, out, err = run(folders.path, "-o", tmp_path / "out", "--quiet", "--jobs", "1")
    assert (code, out, err) == (0, "", "")
    code, out, _ = run(folders.path, "-o", tmp_path / "out", "--jobs", "1")
    assert code == 0 and "4 (0 processed, 4 skipped)" in out


def test_thresholds_flag_documents(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 6)
    out = tmp_path / "out"
    code, _, _ = run(folders.path, "-o", out, "--jobs", "1", "--max-cer", "0.03", "-q")
    assert code == 1
    data = index_json(out)
    flagged = [d for d in data["documents"] if d["status"] == "flagged"]
    assert flagged and all(d["cer"] > 0.03 for d in flagged)
    assert all(d["message"].startswith("CER ") for d in flagged)
    assert all(d["cer"] <= 0.03 for d in data["documents"] if d["status"] == "ok")
    # new thresholds re-judge recorded documents without redoing them
    code, stdout, _ = run(folders.path, "-o", out, "--jobs", "1", "--max-cer", "1")
    assert code == 0 and "0 processed, 6 skipped" in stdout
    assert {d["status"] for d in index_json(out)["documents"]} == {"ok"}
    code, _, _ = run(folders.path, "-o", out, "-j", "1", "--max-wer", "0", "-q")
    assert code == 1
    assert {d["status"] for d in index_json(out)["documents"]} == {"flagged"}


def test_threshold_scope_text(tmp_path: Path) -> None:
    folder = tmp_path / "src" / "memo"
    folder.mkdir(parents=True)
    memo = Path(__file__).resolve().parent.parent / "witnesses" / "harriman-1944-09-23"
    for name in ("scan.txt", "transcript.txt"):
        (folder / name).write_bytes((memo / name).read_bytes())
    args = (tmp_path / "src", "-o", tmp_path / "out", "-j", "1", "--max-cer", "0.01", "-q")
    assert run(*args)[0] == 1  # 8 % with the furniture
    assert run(*args, "--threshold-scope", "text")[0] == 0  # 0.3 % without


def test_three_witnesses_measure_each_against_the_base(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 2, witnesses=3)
    out = tmp_path / "out"
    assert run(folders.path, "-o", out, "-j", "1", "--html", "--tei", "-q")[0] == 0
    conn = sqlite3.connect(out / "collate.sqlite")
    pairs = conn.execute("SELECT document, reference, hypothesis FROM fidelity ORDER BY 1, 3")
    assert [p[1:] for p in pairs][:2] == [
        ("a-transcript", "x-ocr1"),
        ("a-transcript", "x-ocr2"),
    ]
    hypothesis = conn.execute("SELECT DISTINCT hypothesis FROM documents").fetchall()
    assert hypothesis == [("x-ocr1",)]
    for name in ("collation.json", "apparatus.html", "collation.tei.xml"):
        assert (out / "folder-0001" / name).is_file()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = run(tmp_path / "missing", "-o", tmp_path / "out")
    assert code == 2
    assert (
        err
        == f"Error: {tmp_path / 'missing'}: no such file or folder; give a folder or a manifest\n"
    )
    assert run(tmp_path)[2] == "Error: give SOURCE and -o OUTDIR (or --report OUTDIR)\n"
    code, _, err = run("--report", tmp_path)
    assert code == 2 and "no collate.sqlite here" in err
    code, _, err = run(tmp_path, "--report", tmp_path)
    assert err == "Error: --report OUTDIR takes no SOURCE and no other option but --quiet\n"
    folders = make_folders(tmp_path / "src", 1)
    code, _, err = run(folders.path, "-o", folders.path / "out")
    assert code == 2 and "is inside SOURCE" in err
    code, _, err = run(folders.path, "-o", tmp_path / "o", "--shard", "3/2")
    assert err == "Error: --shard 3/2: give K/N with 1 <= K <= N, for example --shard 1/4\n"
    code, _, err = run(folders.path, "-o", tmp_path / "o", "--scheduler", "tcp://x:1", "-j", "2")
    assert code == 2 and "leave out --jobs" in err


def test_mixed_folder_needs_a_layout(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 2)
    (folders.path / "README.txt").write_text("about this archive\n")
    code, _, err = run(folders.path, "-o", tmp_path / "out")
    assert code == 2 and "give --layout folders" in err
    assert run(folders.path, "-o", tmp_path / "out", "--layout", "folders", "-q")[0] == 0


def test_missing_dask_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    folders = make_folders(tmp_path / "src", 1)
    code, _, err = run(folders.path, "-o", tmp_path / "out", "--scheduler", "local")
    assert (code, err) == (2, "Error: --scheduler needs Dask: pip install 'collate[dask]'\n")


def test_shards_partition_the_documents(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 7)
    seen = []
    for k in (1, 2, 3):
        out = tmp_path / f"out{k}"
        assert run(folders.path, "-o", out, "--shard", f"{k}/3", "-j", "1", "-q")[0] == 0
        seen.append([d["document"] for d in index_json(out)["documents"]])
    assert seen[0] == ["folder-0001", "folder-0004", "folder-0007"]
    assert sorted(n for shard in seen for n in shard) == folders.names


def test_reserved_and_odd_names(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 1)
    source = folders.path / "folder-0001"
    for name in ("index.html", '<b>&"x'):
        (folders.path / name).mkdir()
        for f in source.iterdir():
            (folders.path / name / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "out"
    assert run(folders.path, "-o", out, "-j", "1", "--html", "-q")[0] == 1
    statuses = {d["document"]: d["status"] for d in index_json(out)["documents"]}
    assert statuses == {"folder-0001": "ok", "index.html": "failed", '<b>&"x': "ok"}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>" not in page and "&lt;b&gt;&amp;&quot;x" in page
    assert 'href="%3Cb%3E%26%22x/apparatus.html"' in page


def test_xml_in_an_unreadable_encoding_is_an_input_error_not_retried(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 1)
    hostile = Path(__file__).parent / "data" / "hostile"
    witness = folders.path / "folder-0001" / "x-ocr1.txt"
    witness.write_bytes((hostile / "encoding-shift_jis.page.xml").read_bytes())
    out = tmp_path / "out"
    assert run(folders.path, "-o", out, "-j", "1", "-q")[0] == 1
    conn = sqlite3.connect(out / "collate.sqlite")
    ((message, error_type),) = conn.execute("SELECT message, error_type FROM documents")
    conn.close()
    assert error_type == "InputError" and "the XML declaration names encoding" in message
    assert run(folders.path, "-o", out, "-j", "1", "-q")[0] == 1
    conn = sqlite3.connect(out / "collate.sqlite")
    assert conn.execute("SELECT processed, skipped FROM runs ORDER BY id").fetchall()[1] == (0, 1)
    conn.close()


def test_bad_encoding_and_scheduler_address_are_one_line(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 1)
    out = tmp_path / "out"
    for encoding in ("undefined", "rot13"):
        code, _, err = run(folders.path, "-o", out, "--encoding", encoding)
        assert (code, err) == (
            2,
            f"Error: '{encoding}' is not a text encoding; give one such as utf-8 or cp1252 to "
            "--encoding\n",
        )
    assert not out.exists()
    code, _, err = run(folders.path, "-o", out, "--scheduler", "tcp://[::1", "-q")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("Error: --scheduler tcp://[::1: not a scheduler address (")
    assert err.endswith("give tcp://HOST:8786, with an IPv6 host in brackets (tcp://[::1]:8786)\n")


def _damage(database: Path) -> None:
    """Overwrite the start of every page but the first (the header and schema stay)."""
    data = bytearray(database.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    for page in range(1, len(data) // size):
        data[page * size : page * size + 100] = b"\xff" * 100
    database.write_bytes(bytes(data))


def test_a_damaged_database_is_one_error_line(tmp_path: Path) -> None:
    folders = make_folders(tmp_path / "src", 2)
    out = tmp_path / "out"
    assert run(folders.path, "-o", out, "-j", "1", "-q")[0] == 0
    _damage(out / "collate.sqlite")
    damaged = "the database is damaged (database disk image is malformed); move it away"
    for args in ((folders.path, "-o", out, "-j", "1", "-q"), ("--report", out)):
        code, _, err = run(*args)
        assert code == 2 and err.count("\n") == 1, err
        assert err.startswith("Error: ") and damaged in err
    database = out / "collate.sqlite"
    database.write_bytes(b"\x00" * 100 + database.read_bytes()[100:])  # its header overwritten
    for args in ((folders.path, "-o", out, "-j", "1", "-q"), ("--report", out)):
        assert run(*args) == (
            2,
            "",
            f"Error: {database.absolute() if args[0] != '--report' else database}: the database "
            "is damaged (file is not a database); move it away (the next run redoes every "
            "document) or choose another -o\n",
        )
