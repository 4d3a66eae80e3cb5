"""Sigla that look alike (reading stage, a check on its result).

Two sigla that differ only by invisible characters (``A`` and ``A`` + U+200B) or by letters
of another script drawn the same (Latin ``A``, Cyrillic U+0410, Greek U+0391) are distinct to
collate but not to a reader of its reports. A siglum's *skeleton* drops the invisible
characters and variation selectors, applies NFKC and replaces each Cyrillic or Greek letter
that looks like a Latin one by that letter; sigla with the same skeleton look alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import combinations

# Invisible characters (the zero-width ones, bidi controls, U+2060-2064, U+FEFF) and the
# variation selectors, none of which a reader sees.
_UNSEEN = re.compile(
    "[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufe00-\ufe0f\ufeff\U000e0100-\U000e01ef]"
)
# Cyrillic and Greek letters drawn like a Latin letter in common fonts.
_LATIN = str.maketrans(
    # Cyrillic A B E S I J K M H O P C T Y X a e i j o p c y x s d h l q w Y, then Greek
    "\u0410\u0412\u0415\u0405\u0406\u0408\u041a\u041c"  # ABESIJKM
    "\u041d\u041e\u0420\u0421\u0422\u0423\u0425\u0430"  # HOPCTYXa
    "\u0435\u0456\u0458\u043e\u0440\u0441\u0443\u0445"  # eijopcyx
    "\u0455\u0501\u04bb\u04cf\u051b\u051d\u04ae"  # sdhlqwY
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c"  # ABEZHIKM
    "\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u03bf"  # NOPTYXo
    "\u03bd\u03f3",  # vj
    "ABESIJKMHOPCTYXaeijopcyxsdhlqwYABEZHIKMNOPTYXovj",
)


def latinized(text: str) -> str:
    """``text`` with each Cyrillic or Greek letter drawn like a Latin one replaced by it."""
    return text.translate(_LATIN)


def skeleton(siglum: str) -> str:
    """What a reader sees of ``siglum``: see the module docstring."""
    return unicodedata.normalize("NFKC", _UNSEEN.sub("", siglum)).translate(_LATIN)


def lookalike_sigla(sigla: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs of distinct ``sigla`` that look alike, in the order given."""
    alike: dict[str, list[int]] = {}  # the positions of the sigla with each skeleton
    for i, siglum in enumerate(sigla):
        alike.setdefault(skeleton(siglum), []).append(i)
    pairs = [
        (i, j)
        for group in alike.values()
        for i, j in combinations(group, 2)
        if sigla[i] != sigla[j]
    ]
    return [(sigla[i], sigla[j]) for i, j in sorted(pairs)]


def describe(siglum: str) -> str:
    """``siglum`` quoted, with the code points of its characters beyond ASCII:
    ``'\\u0410'`` shows as ``'A' (U+0410)`` with a Cyrillic A."""
    others = [f"U+{ord(c):04X}" for c in siglum if not c.isascii()]
    return repr(siglum) + (f" ({' '.join(others)})" if others else "")
