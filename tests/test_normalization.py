"""Normalisation: named rules, presets, what fired, idempotence."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collate.errors import UsageError
from collate.normalization import (
    PRESETS,
    RULES,
    Rule,
    normalize_all,
    normalize_text,
    resolve,
)


@pytest.mark.parametrize(
    ("text", "norm", "fired"),
    [
        ("The", "the", ("case",)),
        ("--", "-", ("dashes",)),
        ("\u2014", "-", ("dashes",)),
        ("\u2019", "'", ("quotes",)),
        ("\u201cgood", '"good', ("quotes",)),
        ("\ufb01ne", "fine", ("compatibility",)),
        ("\u017fun", "sun", ("compatibility",)),
        ("soft\u00adhyphen", "softhyphen", ("whitespace",)),
        ("plain", "plain", ()),
    ],
)
def test_default_rules(text: str, norm: str, fired: tuple[str, ...]) -> None:
    assert normalize_text(text, resolve("default")) == (norm, fired)


def test_none_preset_changes_nothing() -> None:
    assert normalize_text("The\u2014", resolve("none")) == ("The\u2014", ())


def test_rules_by_name() -> None:
    assert [r.name for r in resolve("case, dashes")] == ["case", "dashes"]
    assert normalize_text("The --", resolve("case"))[0] == "the --"


def test_unknown_rule_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown normalisation rule or preset 'cse'"):
        resolve("cse")


def test_presets_name_only_known_rules() -> None:
    assert all(name in RULES for names in PRESETS.values() for name in names)


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    rules = resolve("default")
    once, _ = normalize_text(text, rules)
    assert normalize_text(once, rules)[0] == once


_SPELLINGS = st.lists(
    st.sampled_from(
        ["a", "B", "ß", "ſ", "ﬁ", "Ａ", "-", "\u2014", "\u2010", "'", "\u2019", "\u201c", "`", "´",
         "\u00ad", "\u200b", "e\u0301", "\u0301", "İ", " ", "\t", "\x00", "ǅ", "\u212b"]
    ),
    max_size=8,
).map("".join)  # fmt: skip


@given(st.lists(_SPELLINGS, max_size=20), st.sampled_from(["default", "none", "case,dashes"]))
def test_normalising_together_equals_one_at_a_time(texts: list[str], preset: str) -> None:
    rules = resolve(preset)
    assert normalize_all(texts, rules) == [normalize_text(t, rules) for t in texts]


# Rules a caller defines, which are not charwise: anchored at the start or end of the string,
# or looking at the whole string.
_LEADING_APOSTROPHE = Rule("leading-apostrophe", "", lambda t: re.sub(r"^'", "", t))
_TRAILING_PERIOD = Rule("trailing-period", "", lambda t: re.sub(r"\.$", "", t))
_FIRST_THREE = Rule("first-three", "", lambda t: t[:3])
_NUL_FOR_HYPHEN = Rule("nul-for-hyphen", "", lambda t: t.replace("-", "\x00"))


def test_a_rule_anchored_at_the_start_applies_to_every_spelling() -> None:
    texts = ["'tis", "'twas", "o'er", "'"]
    assert normalize_all(texts, [_LEADING_APOSTROPHE]) == [
        ("tis", ("leading-apostrophe",)),
        ("twas", ("leading-apostrophe",)),
        ("o'er", ()),
        ("", ("leading-apostrophe",)),
    ]


def test_a_rule_anchored_at_the_end_applies_to_every_spelling() -> None:
    texts = ["end.", "Mr.", "a.b", "none"]
    rules = [*resolve("default"), _TRAILING_PERIOD]
    assert normalize_all(texts, rules) == [
        ("end", ("trailing-period",)),
        ("mr", ("case", "trailing-period")),
        ("a.b", ()),
        ("none", ()),
    ]


def test_a_rule_a_caller_defines_is_not_charwise() -> None:
    assert not Rule("mine", "", str.upper).charwise
    assert all(rule.charwise for rule in RULES.values())


_CUSTOM = [_LEADING_APOSTROPHE, _TRAILING_PERIOD, _FIRST_THREE, _NUL_FOR_HYPHEN]
_CUSTOM_SPELLINGS = st.lists(
    st.sampled_from(["'", ".", "-", "\u2014", "a", "B", "ß", "\u2019", "..", "'.", "\u00ad"]),
    max_size=6,
).map("".join)


@given(
    st.lists(_CUSTOM_SPELLINGS, max_size=20),
    st.lists(st.sampled_from([*RULES.values(), *_CUSTOM]), max_size=6),
)
def test_normalising_together_equals_one_at_a_time_for_any_rules(
    texts: list[str], rules: list[Rule]
) -> None:
    assert normalize_all(texts, rules) == [normalize_text(t, rules) for t in texts]
