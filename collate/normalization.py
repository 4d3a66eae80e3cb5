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

from collate.errors import Param, UsageError
from collate.model import TokenColumns
from collate.tokenization import GIVEN


@dataclass(frozen=True)
class Rule:
    """A named transform of a token's normalised form: a pure function of the string.

    ``charwise`` is the rule's promise that it works character by character or within a run of
    like characters, never on the string as a whole: it never changes, removes or adds a NUL
    character and gives the same result on each piece of a NUL-joined string as on the whole.
    Such a rule runs once over many spellings joined by NUL; every other rule (the default)
    runs spelling by spelling, so a rule anchored at the start or end of the string (``^``,
    ``$``) or one that looks at the whole string works as written.
    """

    name: str
    description: str
    apply: Callable[[str], str]
    charwise: bool = False


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
            charwise=True,
        ),
        Rule(
            "whitespace", "drop zero-width characters and soft hyphens", _whitespace, charwise=True
        ),
        Rule(
            "dashes",
            "every dash and hyphen variant, and runs of them, become '-'",
            _dashes,
            charwise=True,
        ),
        Rule("quotes", "curly, low and prime quotes become ' and \"", _quotes, charwise=True),
        Rule("case", "case-insensitive (Unicode case folding)", str.casefold, charwise=True),
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
            f"unknown normalisation rule or preset '{unknown[0]}' for ",
            Param("normalization"),
            f"; presets: {', '.join(PRESETS)}; rules: {', '.join(RULES)}",
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


_SEPARATOR = "\x00"  # between spellings normalised together: no charwise rule changes or joins it


def _apply(rule: Rule, current: list[str], joined: str) -> tuple[list[str], str] | None:
    """``rule`` applied to each of ``current`` (``joined``: them joined by the separator): the
    results and them joined; ``None`` if the separator no longer splits them into as many."""
    if rule.charwise:  # once over all of them
        result = rule.apply(joined)
        if result == joined:  # most rules change nothing in most texts: no split needed
            return current, joined
        after = result.split(_SEPARATOR)
        return (after, result) if len(after) == len(current) else None
    after = [rule.apply(text) for text in current]
    if after == current:
        return current, joined
    result = _SEPARATOR.join(after)
    return (after, result) if result.count(_SEPARATOR) == len(after) - 1 else None


def normalize_all(texts: Sequence[str], rules: Sequence[Rule]) -> list[tuple[str, tuple[str, ...]]]:
    """:func:`normalize_text` of each of ``texts``, the same results: a charwise rule is applied
    once to all of them joined by a separator, any other rule to each in turn; only the texts
    a rule changed are looked at one by one."""
    if _SEPARATOR in "".join(texts):
        return [normalize_text(text, rules) for text in texts]
    forms = list(texts)
    fired: list[list[str]] = [[] for _ in forms]
    todo = list(range(len(forms)))  # the texts the last pass changed: the rest are fixed points
    for _ in range(4):
        changed_in_pass: set[int] = set()
        current = [forms[k] for k in todo]
        joined = _SEPARATOR.join(current)
        for rule in rules:
            applied = _apply(rule, current, joined)
            if applied is None:  # a charwise rule that is not, or a separator made: one by one
                return [normalize_text(text, rules) for text in texts]
            after, result = applied
            if after is current:
                continue
            for n, (before, now) in enumerate(zip(current, after, strict=True)):
                if before == now:
                    continue
                k = todo[n]
                if rule.name not in fired[k]:
                    fired[k].append(rule.name)
                changed_in_pass.add(n)
            current, joined = after, result
        for n in changed_in_pass:
            forms[todo[n]] = current[n]
        if not changed_in_pass:
            break
        todo = [todo[n] for n in sorted(changed_in_pass)]
    return list(zip(forms, map(tuple, fired), strict=True))


def normalize(tokens: TokenColumns, rules: Sequence[Rule]) -> TokenColumns:
    """Tokens with ``norm`` and ``rules`` set from ``rules`` (each spelling worked out once);
    a normalised form the user gave stands."""
    spellings = list(set(tokens.text))
    results = normalize_all(spellings, rules)
    form_of = {s: form for s, (form, _) in zip(spellings, results, strict=True)}
    fired_of = {s: names for s, (_, names) in zip(spellings, results, strict=True)}
    norms = [form_of[t] for t in tokens.text]
    fired = [fired_of[t] for t in tokens.text]
    if (GIVEN,) in tokens.rules:
        for k, given in enumerate(tokens.rules):
            if given == (GIVEN,):
                norms[k], fired[k] = tokens.norm[k], given
    return tokens.with_norms(norms, fired)
