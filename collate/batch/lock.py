"""The OUTDIR lock: one batch (or ``--report``) at a time writes an output folder.

The lock is an ``fcntl.flock`` on ``OUTDIR/collate.lock``, held while the run lasts; the
holder writes its process id into the file so that a second run can say who holds it. The
operating system releases the lock when the holder exits, however it exits (``kill -9``
too), so a stale lock file never blocks a later run. Where ``fcntl`` does not exist
(Windows) no lock is taken.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from collate.batch.outdir import LOCK
from collate.errors import UsageError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


@contextmanager
def locked(outdir: Path) -> Iterator[None]:
    """Hold the lock of ``outdir`` for the block; refuse when another process holds it."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    path = outdir / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise UsageError(
            f"{path}: cannot open the lock file ({error.strerror}); make OUTDIR writable"
        ) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise UsageError(
                f"{outdir}: another collate batch ({_holder(fd)}) is using this OUTDIR; "
                "wait for it to finish or choose another -o"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # releases the lock; the file stays for the next run


def _holder(fd: int) -> str:
    """``process 1234`` from the lock file, or ``a process`` when it holds no id yet."""
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return f"process {text}" if text.isdigit() else "a process"
