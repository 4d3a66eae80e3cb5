"""Text that is safe to show or write: control characters, lone surrogates, XML's limits.

Witness text may hold any character a file can encode, and file names (decoded by Python with
``surrogateescape``) and ``metadata.json`` strings may hold lone surrogates, which no UTF-8
output can encode. Renderers and error messages use these helpers so that every output stays
writable and well-formed, and a terminal never receives an escape sequence from a witness.
"""

from __future__ import annotations

import re

# Characters XML 1.0 forbids: C0 controls but tab, LF and CR; U+FFFE and U+FFFF; surrogates.
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls and DEL: a terminal may act on them (ESC starts an escape sequence); the
# line and paragraph separators end a line for many programs (and for str.splitlines).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escaped(char: str) -> str:
    """A surrogate as the byte it stands for (``\\xe9``) or as ``\\udXXX``; a C1 control as
    ``\\x9b``."""
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFF:
        return f"\\u{code:04x}"
    return f"\\x{code:02x}"


def encodable(text: str) -> str:
    """``text`` with each lone surrogate written as the byte it stands for (``\\xe9``)."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda m: _escaped(m.group()), text)


def json_encodable(json_text: str) -> str:
    """JSON text whose lone surrogates are written as JSON escapes (``\\udce9``): still valid
    JSON, encodable as UTF-8, and ``json.loads`` gives the same strings back."""
    if _SURROGATE.search(json_text) is None:
        return json_text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def _shown(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␀ ␇ ␊ ␛ ...
    if code == 0x7F:
        return "\u2421"  # ␡
    return _escaped(char)


def printable(text: str) -> str:
    """``text`` safe on a terminal and on one line: C0 controls (line ends too) and DEL as
    control pictures (``␛``, ``␊``), C1 controls, U+2028, U+2029 and lone surrogates as
    ``\\x9b``, ``\\u2028``."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: _shown(m.group()), text)
