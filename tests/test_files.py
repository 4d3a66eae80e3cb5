"""Atomic writes: a failed write never damages the previous output."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collate._safe import spreadsheet_cell
from collate.errors import InputError, OutputError
from collate.files import read_bytes, write_atomic, write_files


def test_write_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_atomic(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert list(tmp_path.iterdir()) == [target]


def test_failed_replace_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def fail(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match=r"out\.txt: cannot write the file"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist; create it first"):
        write_atomic(tmp_path / "no" / "out.txt", "x")


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_bytes(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        read_bytes(tmp_path / "x")


def test_permissions_follow_the_umask_or_the_old_file(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.txt"
        write_atomic(fresh, "x")
        assert fresh.stat().st_mode & 0o777 == 0o644
        old = tmp_path / "old.txt"
        old.write_text("x")
        old.chmod(0o640)
        write_atomic(old, "y")
        assert old.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)


class _FailingHandle:
    """A file handle whose write fails part way, as on a full disk or a lost connection."""

    def __init__(self, handle: object, error: BaseException) -> None:
        self.handle, self.error = handle, error

    def __enter__(self) -> _FailingHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # type: ignore[attr-defined]

    def write(self, data: str) -> int:
        self.handle.write(data[: len(data) // 2])  # type: ignore[attr-defined]
        raise self.error


@pytest.mark.parametrize(
    "error", [OSError(28, "No space left on device"), KeyboardInterrupt(), UnicodeError("bug")]
)
def test_failed_write_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    target = tmp_path / "out.html"
    target.write_text("old")
    fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FailingHandle(fdopen(*a, **k), error))
    with pytest.raises(OutputError if isinstance(error, OSError) else type(error)):
        write_atomic(target, "new " * 1000)
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_written_text_is_always_utf8(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "caf\udce9 \ud800 ok")  # lone surrogates from a file name
    assert target.read_bytes().decode("utf-8") == "caf\\xe9 \\ud800 ok"


def test_pieces_are_written_in_order(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, iter(["[1, ", "2", ", \udce9]\n"]))
    assert target.read_text(encoding="utf-8") == "[1, 2, \\xe9]\n"


def test_pieces_that_fail_halfway_keep_the_old_file_and_no_temp(tmp_path: Path) -> None:
    """A renderer that raises after some pieces were written leaves nothing behind."""
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "new, half"
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        write_atomic(target, pieces())
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_temporary_name_in_use_is_never_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file is new and beside the output; a name another
    file has is passed over, and that file is left as it was."""
    draws = iter([b"\x00" * 6, b"\x00" * 6, b"\x01" * 6])
    monkeypatch.setattr(os, "urandom", lambda n: next(draws))
    taken = tmp_path / ".out.txt.000000000000.tmp"
    taken.write_text("someone else's")
    seen: list[tuple[str, int]] = []
    replace = os.replace

    def watched(src: str, dst: Path) -> None:
        seen.append((src, os.stat(src).st_mode & 0o777))
        replace(src, dst)

    monkeypatch.setattr(os, "replace", watched)
    write_atomic(tmp_path / "out.txt", "new")
    assert seen == [(str(tmp_path / ".out.txt.010101010101.tmp"), _umask_mode())]
    assert taken.read_text() == "someone else's"
    assert (tmp_path / "out.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [taken.name, "out.txt"]


def _umask_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def test_no_free_temporary_name_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "urandom", lambda n: b"\x00" * n)
    (tmp_path / ".out.txt.000000000000.tmp").write_text("taken")
    with pytest.raises(OutputError, match=r"out.txt: cannot write here \(no free name"):
        write_atomic(tmp_path / "out.txt", "new")
    assert not (tmp_path / "out.txt").exists()


def test_write_files_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("old a")
    second.write_text("old b")
    pieces_written = []

    def fail_second(pieces: Iterator[str]) -> Iterator[str]:
        for piece in pieces:
            if piece == "new b":
                raise OSError(27, "File too large")
            pieces_written.append(piece)
            yield piece

    from collate import files

    real = files._pieces
    monkeypatch.setattr(files, "_pieces", lambda data: fail_second(iter(real(data))))
    with pytest.raises(OutputError, match=r"b\.txt: cannot write the file \(File too large\)"):
        write_files([(first, "new a"), (second, "new b")])
    assert pieces_written == ["new a"]  # the first was written, to a temporary file only
    assert (first.read_text(), second.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
    monkeypatch.undo()
    write_files([(first, "new a"), (second, "new b")])
    assert (first.read_text(), second.read_text()) == ("new a", "new b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_read_bytes_refuses_a_named_pipe_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"fifo: not a regular file \(a named pipe\); give a file"):
        read_bytes(fifo)


@given(st.text(max_size=12))
def test_spreadsheet_cell_property(text: str) -> None:
    cell = spreadsheet_cell(text)
    assert cell in (text, "'" + text)
    dangerous = text.startswith(("=", "+", "-", "@", "\t", "\r"))
    signs_only = bool(text) and set(text) <= set("=+-@")
    assert (cell != text) == (dangerous and not signs_only)
    assert spreadsheet_cell(cell) == cell  # neutralising twice changes nothing
