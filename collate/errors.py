"""Errors the library raises; ``str(error)`` is the one line a user sees.

Every error says what went wrong, where (a path, ``path:line`` or a siglum) and
how to fix it. The library never prints or exits: the CLI turns these errors
into ``Error: ...`` and the exit code carried by the class.
"""

from __future__ import annotations

from collate._safe import printable


class CollateError(Exception):
    """Base class of every error a user can see.

    ``str(error)`` is always one line that is safe on a terminal: control characters and line
    ends from file names show as symbols (``␊``, ``␛``), undecodable bytes as ``\\xNN``.
    """

    exit_code: int = 1

    def __str__(self) -> str:
        return printable(super().__str__())


class UsageError(CollateError):
    """An option or argument that cannot be honoured (exit 2)."""

    exit_code = 2


class InputError(CollateError):
    """A witness or record that cannot be read (exit 3)."""

    exit_code = 3


class RecordError(CollateError):
    """An archive record that cannot be split into witnesses (exit 4)."""

    exit_code = 4


class OutputError(CollateError):
    """An output that cannot be written (exit 5)."""

    exit_code = 5
