"""File input and output: bytes in, atomic writes out. The only I/O helpers.

Inputs are regular files, or a pipe the shell made (``<(...)``, ``/dev/stdin``): a named pipe
(FIFO) would wait for a writer forever, so it is refused, as are devices. An output that is a
regular file (or missing) is replaced in one step; a character device or a named pipe (an
``-o /dev/stdout``, say) is written through, and a link is followed to the file it names.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from collate._safe import encodable
from collate.errors import InputError, OutputError, Param, UsageError

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _shell_pipe(path: Path, mode: int) -> bool:
    """Whether ``path`` is a pipe without a name in the file system (``/dev/fd/63`` of a
    ``<(...)``, ``/dev/stdin`` of a ``|``): its writer exists, so reading it ends."""
    return stat.S_ISFIFO(mode) and os.path.basename(os.path.realpath(path)).startswith("pipe:")


def _check_input(path: Path, mode: int) -> None:
    """Raise unless ``mode`` is that of a file ``read_bytes`` reads."""
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a directory, expected a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError(f"{path}: is a device, not a file; give a file (or a pipe)")
    if not stat.S_ISREG(mode) and not _shell_pipe(path, mode):
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket or other special file"
        raise InputError(f"{path}: not a regular file ({kind}); give a file")


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, or an :class:`InputError` that says why not.

    The file is checked before it is opened and again after (without waiting: a named pipe
    opens at once), so one swapped in between is refused too.
    """
    try:
        _check_input(path, os.stat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except OSError as error:
        raise InputError(
            f"{path}: cannot read the file ({error.strerror}); check its permissions"
        ) from None
    try:
        _check_input(path, os.fstat(fd).st_mode)
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    except OSError as error:
        raise InputError(
            f"{path}: cannot read the file ({error.strerror}); check its permissions"
        ) from None
    finally:
        if fd >= 0:
            os.close(fd)


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
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):  # a name taken already: another random one
        tmp = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file")


def _write_pieces(fd: int, pieces: Iterable[str]) -> None:
    """Write ``pieces`` as UTF-8 to ``fd`` and close it; a lone surrogate as ``\\xNN``."""
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        for piece in pieces:
            try:  # nothing is written of a piece that fails to encode
                handle.write(piece)
            except UnicodeEncodeError:
                handle.write(encodable(piece))


def _pieces(data: str | Iterable[str]) -> Iterable[str]:
    return (data,) if isinstance(data, str) else data


def _folder(path: Path, shown: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if not os.path.isdir(folder):
        raise OutputError(f"{shown}: the folder {folder} does not exist; create it first")
    return folder


def _fill_temporary(path: Path, shown: Path, data: str | Iterable[str]) -> str:
    """A temporary file next to ``path`` holding ``data``, with ``path``'s permissions."""
    try:
        fd, tmp = _temporary(_folder(path, shown), path.name)
    except OSError as error:
        raise OutputError(
            f"{shown}: cannot write here ({error.strerror}); choose another -o path"
        ) from None
    try:
        _write_pieces(fd, _pieces(data))
        os.chmod(tmp, _mode(path))
    except OSError as error:  # a full disk, a file too large
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{shown}: cannot write the file ({error.strerror})") from None
    except BaseException:  # KeyboardInterrupt, a bug: never leave the temporary file behind
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _write_through(path: Path, shown: Path, data: str | Iterable[str]) -> None:
    """Write into the character device or named pipe ``path`` (a pipe needs its reader), or
    append to the regular file open as a descriptor (``/dev/stdout`` redirected to a file)."""
    flags = os.O_WRONLY | os.O_APPEND | _NONBLOCK | _CLOEXEC | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:
            raise OutputError(
                f"{shown}: a named pipe that nobody reads; start its reader first, "
                "or choose another -o"
            ) from None
        raise OutputError(f"{shown}: cannot write the file ({error.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISREG(mode)):
            raise OutputError(f"{shown}: changed while being opened; write again")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    try:
        _write_pieces(fd, _pieces(data))
    except OSError as error:
        raise OutputError(f"{shown}: cannot write the file ({error.strerror})") from None


def _descriptor_link(path: Path) -> bool:
    """Whether ``path`` is, or leads through links to, an open file descriptor's link
    (``/dev/stdout`` -> ``/proc/self/fd/1``, ``/dev/fd/3``): the file open there is written,
    never replaced (renaming over it would cut the process off from its own output)."""
    current = os.path.abspath(path)
    for _ in range(40):  # as many links as the kernel follows
        if current.startswith(("/proc/", "/dev/fd/")):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.join(os.path.dirname(current), os.readlink(current))
        current = os.path.abspath(current)
    return False


def write_atomic(path: Path, data: str | Iterable[str]) -> None:
    """Write ``data`` (a text, or pieces of one) as UTF-8 to ``path`` so that it is never
    half-written.

    The text goes to a temporary file in the same folder, which then replaces
    ``path`` in one step; on failure (or an interrupt) the previous file is left as it
    was and the temporary file is removed. A lone surrogate (an undecodable byte of a
    file name) is written as ``\\xNN``: the file is always valid UTF-8.

    A link is followed: the file it names is replaced (the temporary file goes into that
    file's folder) and the link stays. A character device or a named pipe is written through,
    never replaced, as is a file open as a descriptor (``/dev/stdout``, ``/dev/fd/3``: it is
    appended to); a block device or a socket is refused.
    """
    try:
        mode: int | None = os.stat(path).st_mode  # through links, /dev/stdout's included
    except OSError:
        mode = None
    if mode is not None and (
        stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or (stat.S_ISREG(mode) and _descriptor_link(path))
    ):
        _write_through(path, path, data)
        return
    if mode is not None and (stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)):
        raise OutputError(f"{path}: not a regular file (a block device or a socket); choose a file")
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    if os.path.islink(target):  # realpath stops where the links go round in a loop
        raise OutputError(f"{path}: a loop of links; choose another ", Param("output"))
    tmp = _fill_temporary(target, path, data)
    try:
        os.replace(tmp, target)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write the file ({error.strerror})") from None


def write_files(files: Sequence[tuple[Path, str]]) -> None:
    """Write every one of ``files`` (path, text) or none of them.

    Each text goes to a temporary file next to its path; only when all are written do they
    replace their paths, one rename each (renames need no disk space). A failure before that
    removes the temporary files and leaves every previous file as it was. A path that exists
    and is not a regular file (a link, a pipe, a device, a folder) is refused, not replaced.
    """
    for path, _ in files:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        except OSError as error:
            raise OutputError(f"{path}: cannot write the file ({error.strerror})") from None
        if not stat.S_ISREG(mode):
            raise OutputError(
                f"{path}: exists and is not a regular file; remove it or choose another -o"
            )
    temporary: list[str] = []
    try:
        for path, text in files:
            temporary.append(_fill_temporary(path, path, text))
        for (path, _), tmp in zip(files, temporary, strict=True):
            os.replace(tmp, path)
    except OSError as error:
        raise OutputError(f"{path}: cannot write the file ({error.strerror})") from None
    finally:
        for tmp in temporary:
            Path(tmp).unlink(missing_ok=True)


def refuse_input_as_output(output: Path | None, inputs: Iterable[str | Path | None]) -> None:
    """Raise when ``output`` is one of the input files (it would destroy the input)."""
    if output is None:
        return
    target = os.path.realpath(output)  # Path.resolve raises on a loop of links
    for item in inputs:
        if item is not None and os.path.realpath(item) == target:
            raise UsageError(
                f"{output}: is one of the input files; choose another ", Param("output")
            )


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) or raise an :class:`OutputError`."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise OutputError(f"{folder}: exists and is not a folder; choose another ", Param("output"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the folder ({error.strerror}); choose another ",
            Param("output"),
        ) from None
