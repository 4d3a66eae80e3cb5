"""Hostile input, round two: paths and outputs (docs/robustness.md, "Round two").

Outputs that are devices, named pipes or links; links and manifest paths that lead outside the
folder given; ``-o`` naming an input that is not a witness; ``extract``'s sigla and its
all-or-nothing writes; spreadsheet formulas in CSV cells; named pipes as inputs; files that
cannot be read (as the user ``nobody``, when the tests run as root); ``batch --input-format``.

Anything that could hang (a named pipe) runs the CLI in a subprocess with a timeout.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TIMEOUT = 60
ROOT = os.geteuid() == 0
SECRET = "secretword swordfish\n"
TEXT_A = "The delegation arrived at noon and the talks began at once.\n"
TEXT_B = "The delegatlon arrived at noon and the talks began at once!\n"
HEADER = (
    "**May 1, 1950**\n\n**A Title**\n\n**Citation:**\n\nSomewhere <https://example.org/d/1>.\n\n"
)
AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def collate(
    *args: str | Path,
    cwd: Path | None = None,
    nobody: bool = False,
    stdin: str | None = None,
    file_limit: int | None = None,
) -> Run:
    """The CLI in a subprocess (as ``nobody`` if asked), killed after ``TIMEOUT`` seconds."""

    def limit() -> None:
        if file_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    command = [*(AS_NOBODY if nobody else []), sys.executable, "-m", "collate", *map(str, args)]
    done = subprocess.run(
        command,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=limit if file_limit is not None else None,
        env={**os.environ, "COLUMNS": "120"},
    )
    return Run(done.returncode, done.stdout, done.stderr)


def assert_error(run: Run, code: int, message: str) -> None:
    """Exit ``code`` and exactly one line on stderr, ``Error: ...`` holding ``message``."""
    assert run.code == code, (run.code, run.err)
    assert run.err.count("\n") == 1 and run.err.startswith("Error: "), run.err
    assert message in run.err, run.err
    assert run.out == ""


def assert_ok(run: Run) -> None:
    assert run.code == 0, (run.code, run.err)
    assert "Traceback" not in run.err and "Error" not in run.err


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return a, b


def leftovers(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


# 1. -o that is a named pipe, a device or a link


class PipeReader:
    """Reads a named pipe to its end in a thread."""

    def __init__(self, path: Path) -> None:
        self.data = b""
        self.thread = threading.Thread(target=self._read, args=(path,), daemon=True)
        self.thread.start()

    def _read(self, path: Path) -> None:
        with open(path, "rb") as handle:
            self.data = handle.read()

    def text(self) -> str:
        self.thread.join(TIMEOUT)
        return self.data.decode("utf-8")


def test_output_named_pipe_is_written_through(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    expected = collate("compare", *pair, "--format", "json")
    reader = PipeReader(fifo)
    run = collate("compare", *pair, "--format", "json", "-o", fifo)
    assert_ok(run)
    assert reader.text() == expected.out
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the named pipe was replaced"
    assert leftovers(tmp_path) == []


def test_output_named_pipe_without_reader_is_refused(
    tmp_path: Path, pair: tuple[Path, Path]
) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    run = collate("compare", *pair, "-o", fifo)
    assert_error(run, 5, "out.fifo: a named pipe that nobody reads; start its reader first")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(not ROOT, reason="making a device node needs root")
def test_output_device_is_written_through(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    null = tmp_path / "null"  # a /dev/null of our own: never the real one
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    for fmt in ("json", "csv", "table"):
        assert_ok(collate("compare", *pair, "--format", fmt, "-o", null))
        assert stat.S_ISCHR(null.lstat().st_mode), "the device was replaced by a file"
        assert os.major(null.lstat().st_rdev) == 1 and os.minor(null.lstat().st_rdev) == 3
    assert_ok(collate("fidelity", *pair, "-o", null))
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_output_descriptor_links_are_written_through(
    tmp_path: Path, pair: tuple[Path, Path]
) -> None:
    # A link of our own to /proc/self/fd/1, as /dev/stdout is: never the real /dev/stdout.
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    expected = collate("compare", *pair, "--format", "json")
    run = collate("compare", *pair, "--format", "json", "-o", stdout)  # stdout: a pipe
    assert_ok(run)
    assert run.out == expected.out and stdout.is_symlink()
    log = tmp_path / "log.txt"  # stdout redirected to a file: appended to, never replaced
    with log.open("a", encoding="utf-8") as handle:  # as a shell's >>
        handle.write("before\n")
        handle.flush()
        command = [sys.executable, "-m", "collate", "compare", *map(str, pair), "-o", str(stdout)]
        done = subprocess.run(command, stdout=handle, stderr=subprocess.PIPE, timeout=TIMEOUT)
        handle.write("after\n")
    assert done.returncode == 0, done.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("before\n") and text.endswith("after\n") and "delegatlon" in text
    assert stat.S_ISREG(log.lstat().st_mode) and leftovers(tmp_path) == []


def test_output_link_writes_its_target(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    there = tmp_path / "there"
    there.mkdir()
    target, link = there / "target.json", tmp_path / "link.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    link.symlink_to(target)
    run = collate("compare", *pair, "--format", "json", "-o", link)
    assert_ok(run)
    assert link.is_symlink() and link.readlink() == target
    assert json.loads(target.read_text(encoding="utf-8"))["witnesses"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path, there) == []
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(there / "new.json")
    assert_ok(collate("compare", *pair, "--format", "json", "-o", dangling))
    assert dangling.is_symlink() and (there / "new.json").is_file()


def test_output_loop_of_links(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop.name)
    assert_error(collate("compare", *pair, "-o", loop), 5, f"{loop}: a loop of links")
    assert loop.is_symlink()
    elsewhere = tmp_path.parent / f"{tmp_path.name}-outs"
    elsewhere.mkdir()
    out = elsewhere / "out1"
    out.symlink_to("out2")
    (elsewhere / "out2").symlink_to("out1")
    run = collate("batch", tmp_path, "-o", out, "--layout", "records")
    assert_error(run, 2, f"{out}: cannot create the folder (File exists)")


# 2. Links that lead outside a witness folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every witness folder (our own stand-in for /etc/shadow)."""
    private = tmp_path / "private"
    private.mkdir()
    path = private / "shadow"
    path.write_text(SECRET, encoding="utf-8")
    return path


def linked_folder(tmp_path: Path, secret: Path, how: str) -> Path:
    folder = tmp_path / "witnesses" / how
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    if how == "file":
        (folder / "z.txt").symlink_to(secret)
    else:
        (folder / "sub").symlink_to(secret.parent)
        listed = [{"siglum": "a", "file": "a.txt"}, {"siglum": "z", "file": "sub/shadow"}]
        (folder / "metadata.json").write_text(json.dumps({"witnesses": listed}), encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", ["file", "folder"])
def test_links_out_of_a_witness_folder_are_refused(tmp_path: Path, secret: Path, how: str) -> None:
    folder = linked_folder(tmp_path, secret, how)
    name = "z.txt" if how == "file" else "sub/shadow"
    for fmt in ("table", "json", "csv"):
        run = collate("compare", folder, "--format", fmt)
        assert_error(run, 3, f"{folder / name}: leads outside the folder {folder}")
        assert "give --allow-outside to read it" in run.err and "swordfish" not in run.err
    run = collate("compare", folder, "--format", "json", "--allow-outside")
    assert_ok(run)
    assert "swordfish" in run.out


def test_a_link_loop_in_a_witness_folder_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "loop"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "x.txt").symlink_to("y.txt")
    (folder / "y.txt").symlink_to("x.txt")
    run = collate("compare", folder)
    assert_error(run, 3, f"{folder / 'x.txt'}: cannot read the file (Too many levels of symbolic")


def test_batch_does_not_publish_files_linked_from_outside(tmp_path: Path, secret: Path) -> None:
    linked_folder(tmp_path, secret, "file")
    linked_folder(tmp_path, secret, "folder")
    out = tmp_path / "out"
    run = collate("batch", tmp_path / "witnesses", "-o", out, "-j", "1", "--html", "--tei")
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    published = [p.read_bytes() for p in out.rglob("*") if p.is_file()]
    assert not any(b"swordfish" in data for data in published)
    with (out / "index.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["status"] for r in rows] == ["failed", "failed"]
    assert all("leads outside the folder" in r["message"] for r in rows)


def test_batch_refuses_documents_linked_from_outside(tmp_path: Path, secret: Path) -> None:
    source = tmp_path / "records"
    source.mkdir()
    (source / "doc.txt").symlink_to(secret)
    run = collate("batch", source, "-o", tmp_path / "out")
    assert_error(run, 2, f"{source / 'doc.txt'}: leads outside the folder {source}")


# 3. -o naming an input that is not a witness file


@pytest.mark.parametrize("fmt", ["table", "json", "html", "tei", "csv", "tsv", "collatex-json"])
def test_output_over_metadata_is_refused(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    listed = [{"siglum": "a", "file": "a.txt"}, {"siglum": "b", "file": "b.txt"}]
    meta = folder / "metadata.json"
    meta.write_text(json.dumps({"witnesses": listed}), encoding="utf-8")
    before = meta.read_bytes()
    run = collate("compare", folder, "--format", fmt, "-o", meta)
    assert_error(run, 2, f"{meta}: is one of the input files; choose another -o")
    assert meta.read_bytes() == before


def test_output_over_equivalences_is_refused(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    eq = tmp_path / "eq.txt"
    eq.write_text("ſ=s\n", encoding="utf-8")
    for fmt in ("table", "json", "csv"):
        run = collate("fidelity", *pair, "--equivalences", eq, "--format", fmt, "-o", eq)
        assert_error(run, 2, "eq.txt: is one of the input files; choose another -o")
        assert eq.read_text(encoding="utf-8") == "ſ=s\n"


# 4. extract: sigla that name its own files; all or nothing


def record(second: str, words: str = "") -> str:
    """A record of two witnesses (the second listed as ``second``), each ending in ``words``."""
    body = (
        f"MEMORANDUM FOR THE RECORD\n\nThe delegation arrived at noon and talks began.{words}\n\n"
        f"MEMORANDUM FOR THE RECORD\n\nThe delegatlon arrived at noon and talks began.{words}\n"
    )
    return HEADER + f"**Contents:**\n\nOriginal Scan\n{second}\n\n" + body


def test_extract_never_overwrites_its_record_copy(tmp_path: Path) -> None:
    source, out = tmp_path / "rec.md", tmp_path / "out"
    text = record("Archive Record")
    source.write_text(text, encoding="utf-8")
    run = collate("extract", source, "-o", out)
    assert run.code == 0, run.err
    assert "Note: siglum 'record' is 'record-2': record.txt holds the record" in run.err
    assert (out / "record.txt").read_text(encoding="utf-8") == text
    meta = json.loads((out / "metadata.json").read_text(encoding="utf-8"))
    assert [w["file"] for w in meta["witnesses"]] == ["scan.txt", "record-2.txt"]
    assert meta["record"] == "record.txt"
    assert "delegatlon" in (out / "record-2.txt").read_text(encoding="utf-8")
    assert_ok(collate("compare", out))


def test_a_failed_extract_leaves_the_previous_one(tmp_path: Path) -> None:
    source, out = tmp_path / "rec.md", tmp_path / "out"
    source.write_text(record("Transcript"), encoding="utf-8")
    assert collate("extract", source, "-o", out).code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bigger = record("Transcript", " and more" * 400)
    source.write_text(bigger, encoding="utf-8")
    limit = len(bigger.encode()) - 100  # each witness fits, the record copy does not
    run = collate("extract", source, "-o", out, file_limit=limit)
    assert_error(run, 5, "cannot write the file (File too large)")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert collate("extract", source, "-o", out).code == 0
    assert (out / "record.txt").read_text(encoding="utf-8") == bigger


def test_extract_refuses_special_files_among_its_outputs(tmp_path: Path) -> None:
    source, out = tmp_path / "rec.md", tmp_path / "out"
    source.write_text(record("Transcript"), encoding="utf-8")
    out.mkdir()
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep\n", encoding="utf-8")
    (out / "scan.txt").symlink_to(elsewhere)
    run = collate("extract", source, "-o", out)
    assert_error(run, 5, f"{out / 'scan.txt'}: exists and is not a regular file")
    assert elsewhere.read_text(encoding="utf-8") == "keep\n"
    assert sorted(p.name for p in out.iterdir()) == ["scan.txt"]


# 5. Manifests: paths inside the manifest's folder


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("where", ["absolute", "parent", "link"])
def test_manifest_paths_outside_its_folder(
    tmp_path: Path, secret: Path, fmt: str, where: str
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "a.txt").write_text(TEXT_A, encoding="utf-8")
    if where == "link":
        (source / "z.txt").symlink_to(secret)
    path = {"absolute": str(secret), "parent": "../private/shadow", "link": "z.txt"}[where]
    manifest = source / f"m.{fmt}"
    if fmt == "csv":
        manifest.write_text(f"document,siglum,path\nd,a,a.txt\nd,z,{path}\n", encoding="utf-8")
        at = "m.csv:3"
    else:
        listed = [{"siglum": "a", "path": "a.txt"}, {"siglum": "z", "path": path}]
        manifest.write_text(json.dumps({"documents": [{"id": "d", "witnesses": listed}]}))
        at = "m.json:documents[1]"
    out = tmp_path / "out"
    run = collate("batch", manifest, "-o", out)
    assert_error(
        run, 2, f"{at}: the witness file '{path}' is outside the manifest's folder {source}"
    )
    assert "give --allow-outside to read it" in run.err
    assert not out.exists()
    run = collate("batch", manifest, "-o", out, "--allow-outside", "-j", "1")
    assert run.code == 0, run.err
    assert "swordfish" in (out / "d" / "collation.json").read_text(encoding="utf-8")


# 6. CSV cells that a spreadsheet takes for formulas

FORMULAS = ["=1+2", "=HYPERLINK(x)", "+a", "-b", "@c", "\td"]


def cells(text: str, delimiter: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield from row


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_formula_cells_start_with_a_quote(tmp_path: Path, fmt: str) -> None:
    paths = []
    for i, name in enumerate(FORMULAS):
        path = tmp_path / f"{name}.txt"
        path.write_text(f"=SUM(A{i}) -{i} -- @x {TEXT_A}", encoding="utf-8")
        paths.append(path)
    run = collate("compare", *paths, "--format", fmt)
    assert_ok(run)
    delimiter = "," if fmt == "csv" else "\t"
    header = next(csv.reader(io.StringIO(run.out, newline=""), delimiter=delimiter))
    assert header == ["rank", *(f"'{name}" for name in FORMULAS)]
    found = list(cells(run.out, delimiter))
    assert "=" in found and "--" in found  # signs alone compute nothing: kept as they are
    assert not [c for c in found if re.match("[-=+@\t\r].*[^-=+@]", c)]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+a", "'+a"),
        ("-2-", "'-2-"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\t", "'\t"),
        ("-", "-"),
        ("--", "--"),
        ("+", "+"),
        ("a=1", "a=1"),
        ("", ""),
        ("'=1", "'=1"),
    ],
)
def test_spreadsheet_cell(cell: str, written: str) -> None:
    from collate._safe import spreadsheet_cell

    assert spreadsheet_cell(cell) == written


def test_formula_document_names_in_the_batch_index(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for name in ("=HYPERLINK(x)", "plain"):
        folder = source / name
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
        (folder / "-b.txt").write_text(TEXT_B, encoding="utf-8")
    out = tmp_path / "out"
    assert collate("batch", source, "-o", out, "-j", "1").code == 0
    with (out / "index.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["document"] for r in rows] == ["'=HYPERLINK(x)", "plain"]
    assert [r["witnesses"] for r in rows] == ["'-b a", "'-b a"]
    assert [(r["base"], r["hypothesis"]) for r in rows] == [("'-b", "a"), ("'-b", "a")]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["documents"][0]["document"] == "=HYPERLINK(x)"  # JSON keeps the name


def test_fidelity_csv_quotes_formula_names(tmp_path: Path) -> None:
    ref, hyp = tmp_path / "=ref.txt", tmp_path / "@hyp.txt"
    ref.write_text(TEXT_A, encoding="utf-8")
    hyp.write_text(TEXT_B, encoding="utf-8")
    run = collate("fidelity", ref.name, hyp.name, "--format", "csv", cwd=tmp_path)
    assert_ok(run)
    row = list(csv.reader(io.StringIO(run.out, newline="")))[1]
    assert row[:3] == ["'@hyp.txt", "'=ref.txt", "'@hyp.txt"]


# 7. Named pipes as inputs: refused at once, never waited on


def named_pipe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def test_named_pipe_witness(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    fifo = named_pipe(tmp_path / "w.txt.fifo")
    message = f"{fifo}: not a regular file (a named pipe); give a file"
    assert_error(collate("compare", fifo, pair[1]), 3, message)
    assert_error(collate("fidelity", pair[0], fifo), 2, message)
    assert_error(collate("fidelity", fifo, pair[1]), 2, message)
    assert_error(collate("extract", fifo, "-o", tmp_path / "o"), 3, message)


def test_named_pipe_in_a_witness_folder(tmp_path: Path) -> None:
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    fifo = named_pipe(folder / "b.txt")
    assert_error(collate("compare", folder), 3, f"{fifo}: not a regular file (a named pipe)")
    fifo.unlink()
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    meta = named_pipe(folder / "metadata.json")
    assert_error(collate("compare", folder), 3, f"{meta}: not a regular file (a named pipe)")
    run = collate("batch", tmp_path, "-o", tmp_path.parent / f"{tmp_path.name}-out", "-j", "1")
    assert run.code == 1 and "Traceback" not in run.err


def test_named_pipe_manifest_and_equivalences(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    manifest = named_pipe(tmp_path / "fifo" / "m.csv")
    run = collate("batch", manifest, "-o", tmp_path / "out")
    assert_error(run, 2, f"{manifest}: not a regular file (a named pipe)")
    eq = named_pipe(tmp_path / "fifo" / "eq.txt")
    run = collate("fidelity", *pair, "--equivalences", eq)
    assert_error(run, 2, f"{eq}: not a regular file (a named pipe)")


def test_pipes_from_the_shell_are_still_read(pair: tuple[Path, Path]) -> None:
    run = collate("compare", "/dev/stdin", pair[1], "--format", "json", stdin=TEXT_A)
    assert_ok(run)
    assert json.loads(run.out)["witnesses"][0]["siglum"] == "stdin"


# 8. Files that cannot be read: one documented line, not click's usage error


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder that ``nobody`` may enter and write, outside root's private tmp_path."""
    if not ROOT:
        pytest.skip("running as nobody needs root")
    folder = Path(tempfile.mkdtemp(prefix="collate-nobody-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def locked(path: Path, text: str = TEXT_A) -> Path:
    """A file only root may read."""
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def readable(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    return path


UNREADABLE = "cannot read the file (Permission denied); check its permissions"


def test_unreadable_files_as_nobody(shared: Path) -> None:
    secret = locked(shared / "locked.txt")
    other = readable(shared / "other.txt", TEXT_B)
    for args in (["compare", secret, other], ["compare", other, secret]):
        for fmt in ("table", "json"):
            run = collate(*args, "--format", fmt, nobody=True)
            assert_error(run, 3, f"{secret}: {UNREADABLE}")
    assert_error(collate("fidelity", secret, other, nobody=True), 2, f"{secret}: {UNREADABLE}")
    assert_error(collate("fidelity", other, secret, nobody=True), 2, f"{secret}: {UNREADABLE}")
    run = collate("fidelity", other, other, "--equivalences", secret, nobody=True)
    assert_error(run, 2, f"{secret}: {UNREADABLE}")
    run = collate("extract", secret, "-o", shared / "out", nobody=True)
    assert_error(run, 3, f"{secret}: {UNREADABLE}")
    manifest = locked(shared / "m.csv", f"document,siglum,path\nd,a,{other.name}\n")
    run = collate("batch", manifest, "-o", shared / "out", nobody=True)
    assert_error(run, 2, f"{manifest}: {UNREADABLE}")


def test_unreadable_folders_as_nobody(shared: Path) -> None:
    folder = shared / "doc"
    folder.mkdir()
    readable(folder / "a.txt", TEXT_A)
    readable(folder / "b.txt", TEXT_B)
    folder.chmod(0o711)  # enter, not list
    other = readable(shared / "other.txt", TEXT_B)
    message = f"{folder}: cannot read the folder (Permission denied); check its permissions"
    assert_error(collate("compare", folder, other, nobody=True), 3, message)
    run = collate("fidelity", folder, folder, "--pairs", nobody=True)
    assert_error(run, 2, message)
    run = collate("batch", folder, "-o", shared / "out", nobody=True)
    assert_error(run, 2, message)


def test_paths_under_a_closed_folder_as_nobody(shared: Path) -> None:
    closed = shared / "closed"
    closed.mkdir(mode=0o700)  # nobody can neither list nor enter it
    inner = readable(closed / "a.txt", TEXT_A)
    other = readable(shared / "other.txt", TEXT_B)
    run = collate("compare", inner, other, nobody=True)
    assert_error(run, 3, f"{inner}: {UNREADABLE}")
    run = collate("compare", other, other, "-o", closed / "x.json", nobody=True)
    assert_error(run, 5, f"{closed / 'x.json'}: cannot write here (Permission denied)")
    run = collate("batch", closed / "m.csv", "-o", shared / "out", nobody=True)
    assert_error(run, 2, f"{closed / 'm.csv'}: cannot read it (Permission denied)")


def test_write_only_output_as_nobody(shared: Path) -> None:
    a, b = readable(shared / "a.txt", TEXT_A), readable(shared / "b.txt", TEXT_B)
    out = shared / "out.json"
    out.write_text("old\n", encoding="utf-8")
    os.chown(out, 65534, 65534)
    out.chmod(0o200)
    assert_ok(collate("compare", a, b, "--format", "json", "-o", out, nobody=True))
    out.chmod(0o600)
    assert json.loads(out.read_text(encoding="utf-8"))["witnesses"]


# 9. batch --input-format


@pytest.mark.parametrize("start", ["<https://example.org/a>", "<p>"])
def test_batch_input_format_text(tmp_path: Path, start: str) -> None:
    folder = tmp_path / "source" / "doc"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(f"{start} {TEXT_A}", encoding="utf-8")
    (folder / "b.txt").write_text(f"{start} {TEXT_B}", encoding="utf-8")
    run = collate("batch", tmp_path / "source", "-o", tmp_path / "out", "-j", "1")
    assert run.code == 1, run.err  # read as XML, and malformed
    run = collate(
        "batch", tmp_path / "source", "-o", tmp_path / "out", "-j", "1", "--input-format", "text"
    )
    assert run.code == 0, run.err
    data = json.loads((tmp_path / "out" / "doc" / "collation.json").read_text(encoding="utf-8"))
    assert [w["format"] for w in data["witnesses"]] == ["text", "text"]


def test_new_batch_options_keep_recorded_keys() -> None:
    from collate.batch.work import WorkOptions

    assert WorkOptions().to_json() == (
        '{"base":null,"encoding":"utf-8","html":false,"ignore_case":false,'
        '"ignore_punctuation":false,"near_match":0.7,"normalization":"default","tei":false}'
    )
    assert '"input_format":"text"' in WorkOptions(input_format="text").to_json()
