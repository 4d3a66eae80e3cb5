"""SIGTERM and SIGHUP handled like Ctrl-C, for the command line.

``kill PID``, a closed terminal or a job scheduler's stop then unwind the command as Ctrl-C
does: a write in progress removes its temporary file (``files.write_atomic``), a batch stops
its workers, keeps what it recorded and exits 130. Only signals whose handler is the default
are taken over (a SIGHUP ignored under ``nohup`` stays ignored), only in the main thread, and
the previous handlers come back when the block ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

_NAMES = ("SIGTERM", "SIGHUP")  # SIGHUP does not exist on Windows


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`KeyboardInterrupt`."""
    previous: dict[signal.Signals, object] = {}
    if threading.current_thread() is threading.main_thread():
        for name in _NAMES:
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is signal.SIG_DFL:
                previous[number] = signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
