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
# Characters that change how text around them is shown, or show nothing: the bidi controls
# (embeddings, overrides, isolates, LRM, RLM, ALM), which can make "0001" look like "1000";
# the zero-width space, word joiner and invisible operators (U+2060-2064), and U+FEFF. The
# joiners U+200C and U+200D only where a space or the end of the text is next to them:
# between two characters they join or part them (emoji sequences, Persian, Indic scripts).
# Variation selectors are never shown: they belong to the character before them.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE_CHARS = f"{_BIDI}\u200b\u2060-\u2064\ufeff"
_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]|(?<!\\S)[\u200c\u200d]|[\u200c\u200d](?!\\S)")
_UNSAFE = re.compile(f"{_CONTROL.pattern}|{_INVISIBLE.pattern}")
# One character class holding every character the two patterns above may match: a text
# without any of them (nearly every text) is passed over by one quick search.
_MAYBE_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}\\u200c\\u200d]")
_MAYBE_UNSAFE = re.compile(f"{_CONTROL.pattern}|{_MAYBE_INVISIBLE.pattern}")


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
    """``text`` safe on a terminal and on one line, every character in it seen: C0 controls
    (line ends too) and DEL as control pictures (``␛``, ``␊``); C1 controls, U+2028, U+2029,
    lone surrogates, bidi controls and invisible characters (see :func:`revealed`) as
    ``\\x9b``, ``\\u2028``, ``\\u202e``."""
    if _MAYBE_UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: _shown(m.group()), text)


def revealed(text: str) -> str:
    """``text`` with bidi controls (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C) and
    invisible characters (U+200B, U+2060-2064, U+FEFF; U+200C and U+200D next to a space or
    an end) written as escapes (``\\u202e``), so that two texts that differ never look alike
    and no text reorders what is shown after it."""
    if _MAYBE_INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(lambda m: _escaped(m.group()), text)


# The first characters that make a spreadsheet take a cell for a formula (tab and CR too, which
# some spreadsheets skip before looking for one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNS_ONLY = re.compile(r"[=+\-@]+")  # "-", "--", "+": nothing a formula could compute or call


def spreadsheet_cell(text: str) -> str:
    """``text`` for a CSV or TSV cell: one that starts with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return gets a leading ``'``, so that a spreadsheet shows it as text instead
    of running it as a formula (``=HYPERLINK(...)``); a cell made only of those four signs (a
    dash, ``--``) and any other text are returned as they are."""
    if text.startswith(_FORMULA_START) and _SIGNS_ONLY.fullmatch(text) is None:
        return "'" + text
    return text
