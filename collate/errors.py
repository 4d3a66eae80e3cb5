"""Errors the library raises; ``str(error)`` is the one line a user sees.

Every error says what went wrong, where (a path, ``path:line`` or a siglum) and
how to fix it. The library never prints or exits: the CLI turns these errors
into ``Error: ...`` and the exit code carried by the class.

An error about a parameter names it as the caller spelled it: a message is built from text
and :class:`Param` parts, and ``str(error)`` spells each part as the library's keyword
(``near_match=0.0: give a similarity above 0 and at most 1``) while
:meth:`CollateError.message` takes another spelling, which is how the command line names its
flags (``--near-match 0.0: ...``, see ``collate/_flags.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from collate._safe import printable


class _Unset:
    """The value of a :class:`Param` named without one."""

    def __repr__(self) -> str:
        return "UNSET"

    def __reduce__(self) -> str:
        return "UNSET"  # unpickled as this module's one instance


UNSET = _Unset()


class Param(NamedTuple):
    """A parameter named in an error message, with the value given for it (or ``UNSET``).

    A named tuple, not a dataclass: as immutable, and a tenth of the cost to define when
    every command imports this module."""

    name: str  # the library's keyword: near_match, base, normalization, ...
    value: object = UNSET

    def keyword(self) -> str:
        """The library's spelling: ``near_match=0.0``, or ``near_match`` without a value."""
        return self.name if self.value is UNSET else f"{self.name}={self.value!r}"


Spelling = Callable[[Param], str]


def keyword(param: Param) -> str:
    """:meth:`Param.keyword`, as a :data:`Spelling`."""
    return param.keyword()


class CollateError(Exception):
    """Base class of every error a user can see.

    ``str(error)`` is always one line that is safe on a terminal: control characters and line
    ends from file names show as symbols (``␊``, ``␛``), undecodable bytes as ``\\xNN``.
    """

    exit_code: int = 1

    def __init__(self, *parts: str | Param) -> None:
        super().__init__(*parts)
        self.parts = parts

    def message(self, spell: Spelling = keyword) -> str:
        """The message, each :class:`Param` spelled by ``spell`` (the library's keywords by
        default), safe on a terminal."""
        return printable("".join(p if isinstance(p, str) else spell(p) for p in self.parts))

    def params(self) -> tuple[Param, ...]:
        """The parameters the message names."""
        return tuple(p for p in self.parts if isinstance(p, Param))

    def __str__(self) -> str:
        return self.message()


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
