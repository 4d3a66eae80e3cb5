"""Normalisation: named rules, presets, what fired, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collate.errors import UsageError
from collate.normalization import PRESETS, RULES, normalize_all, normalize_text, resolve


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
