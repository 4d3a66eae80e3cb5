"""Normalisation: tokens -> tokens with a normalised form (``norm``).

Rules are data: small named string transforms, grouped into presets. The
original text is never changed; each token records which rules changed its
``norm``. Alignment matches on ``norm``; variants report the text as written.
Applying the rules is idempotent: they run until the form stops changing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from collate.columns import TokenColumns
from collate.errors import UsageError
from collate.tokenization import GIVEN


@dataclass(frozen=True)
class Rule:
    """A named transform of a token's normalised form."""

    name: str
    description: str
    apply: Callable[[str], str]


_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_DASH_RUN = re.compile("-{2,}")
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]|''")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def _dashes(text: str) -> str:
    return _DASH_RUN.sub("-", _DASHES.sub("-", text))


def _quotes(text: str) -> str:
    return _DOUBLE_QUOTES.sub('"', _SINGLE_QUOTES.sub("'", text))


def _whitespace(text: str) -> str:
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "compatibility",
            "Unicode compatibility forms (NFKC): ligatures, long s, full-width letters",
            lambda text: unicodedata.normalize("NFKC", text),
        ),
        Rule("whitespace", "drop zero-width characters and soft hyphens", _whitespace),
        Rule("dashes", "every dash and hyphen variant, and runs of them, become '-'", _dashes),
        Rule("quotes", "curly, low and prime quotes become ' and \"", _quotes),
        Rule("case", "case-insensitive (Unicode case folding)", str.casefold),
    )
}

PRESETS: dict[str, tuple[str, ...]] = {
    "default": ("compatibility", "whitespace", "dashes", "quotes", "case"),
    "none": (),
}


def resolve(spec: str) -> tuple[Rule, ...]:
    """Rules from a preset name or a comma-separated list of rule names."""
    names = PRESETS.get(spec)
    if names is None:
        names = tuple(name.strip() for name in spec.split(",") if name.strip())
    unknown = [name for name in names if name not in RULES]
    if unknown:
        raise UsageError(
            f"unknown normalisation rule or preset '{unknown[0]}' for --normalize; "
            f"presets: {', '.join(PRESETS)}; rules: {', '.join(RULES)}"
        )
    return tuple(RULES[name] for name in names)


def normalize_text(text: str, rules: Sequence[Rule]) -> tuple[str, tuple[str, ...]]:
    """``text``'s normalised form and the names of the rules that changed it."""
    fired: list[str] = []
    form = text
    for _ in range(4):
        before = form
        for rule in rules:
            changed = rule.apply(form)
            if changed != form:
                form = changed
                if rule.name not in fired:
                    fired.append(rule.name)
        if form == before:
            break
    return form, tuple(fired)


def normalize(tokens: TokenColumns, rules: Sequence[Rule]) -> TokenColumns:
    """Tokens with ``norm`` and ``rules`` set from ``rules`` (each spelling worked out once)."""
    cache = {text: normalize_text(text, rules) for text in set(tokens.text)}
    norms: list[str] = []
    fired: list[tuple[str, ...]] = []
    for text, norm, given in zip(tokens.text, tokens.norm, tokens.rules, strict=True):
        if given == (GIVEN,):  # the user's own normalised form stands
            norms.append(norm)
            fired.append(given)
        else:
            form, names = cache[text]
            norms.append(form)
            fired.append(names)
    return tokens.with_norms(norms, fired)
