"""File input and output: bytes in, atomic writes out. The only I/O helpers."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from collate._safe import encodable
from collate.errors import InputError, OutputError, Param, UsageError


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or an :class:`InputError` that says why not."""
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a file")
    if path.is_char_device() or path.is_block_device():
        raise InputError(f"{path}: is a device, not a file; give a file (or a pipe)")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(
            f"{path}: cannot read the file ({error.strerror}); check its permissions"
        ) from None


def _mode(path: Path) -> int:
    """The permissions for ``path``: those of the file it replaces, else the umask's."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _temporary(folder: Path, name: str) -> tuple[int, str]:
    """A new, empty file ``.NAME.RANDOM.tmp`` in ``folder``, open for writing, readable by
    this user only, as :func:`tempfile.mkstemp` makes one, without importing ``tempfile``
    and what it imports (6 ms of every command that writes a file; tests/test_cli.py checks
    that no command imports it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):  # a name taken already: another random one
        tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file")


def write_atomic(path: Path, data: str | Iterable[str]) -> None:
    """Write ``data`` (a text, or pieces of one) as UTF-8 to ``path`` so that it is never
    half-written.

    The text goes to a temporary file in the same folder, which then replaces
    ``path`` in one step; on failure (or an interrupt) the previous file is left as it
    was and the temporary file is removed. A lone surrogate (an undecodable byte of a
    file name) is written as ``\\xNN``: the file is always valid UTF-8.
    """
    pieces = (data,) if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist; create it first")
    try:
        fd, tmp = _temporary(folder, path.name)
    except OSError as error:
        raise OutputError(
            f"{path}: cannot write here ({error.strerror}); choose another ",
            Param("output"),
            " path",
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            for piece in pieces:
                try:  # nothing is written of a piece that fails to encode
                    handle.write(piece)
                except UnicodeEncodeError:
                    handle.write(encodable(piece))
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write the file ({error.strerror})") from None
    except BaseException:  # KeyboardInterrupt, a bug: never leave the temporary file behind
        Path(tmp).unlink(missing_ok=True)
        raise


def refuse_input_as_output(output: Path | None, inputs: Iterable[str | Path | None]) -> None:
    """Raise when ``output`` is one of the input files (it would destroy the input)."""
    if output is None:
        return
    target = output.resolve()
    for item in inputs:
        if item is not None and Path(item).resolve() == target:
            raise UsageError(
                f"{output}: is one of the input files; choose another ", Param("output")
            )


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) or raise an :class:`OutputError`."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder; choose another ", Param("output"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the folder ({error.strerror}); choose another ",
            Param("output"),
        ) from None
