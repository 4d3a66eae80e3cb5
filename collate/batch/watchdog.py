"""Workers that end with their coordinator.

A worker process of :class:`~collate.batch.executors.Processes` runs :func:`watch_coordinator`
when it starts. If the coordinating process dies without stopping its pool (``kill -9``, or a
signal its handlers cannot turn into an orderly stop), the worker exits too instead of waiting
forever for work, and with the last worker the ``multiprocessing`` resource tracker ends. On
Linux ``prctl(PR_SET_PDEATHSIG)`` sends the worker SIGKILL the moment its parent dies; on every
platform a daemon thread checks once a second whether the worker's parent is still the
coordinator and ends the worker when it is not.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def watch_coordinator(coordinator: int) -> None:
    """End this process when ``coordinator`` (its parent's pid) is no longer its parent."""
    if sys.platform.startswith("linux"):
        _die_with_parent()
    if os.getppid() != coordinator:  # died before the watch began
        os._exit(1)
    thread = threading.Thread(
        target=_poll, args=(coordinator,), name="collate-watchdog", daemon=True
    )
    thread.start()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies; nothing where that fails."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _poll(coordinator: int) -> None:
    while os.getppid() == coordinator:
        time.sleep(POLL_SECONDS)
    os._exit(1)  # orphaned: the coordinator records nothing more, so nothing is lost
