"""Tokenization: kinds, text as written, offsets, lines, markup skipped."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from collate import tokenization
from collate.model import TokenColumns, TokenKind, Witness
from collate.readers import load_witness
from collate.segmentation import segment
from collate.tokenization import tokenize


def _tokens(text: str) -> list[tuple[str, TokenKind]]:
    witness = load_witness(text, "A")
    return [(t.text, t.kind) for t in tokenize(witness, segment(witness))]


def test_kinds() -> None:
    W, P = TokenKind.WORD, TokenKind.PUNCTUATION
    assert _tokens("good -- it [sic] ███ □ People's 6-30-Bk.") == [
        ("good", W),
        ("--", P),
        ("it", W),
        ("[sic]", TokenKind.EDITORIAL),
        ("███", TokenKind.REDACTION),
        ("□", TokenKind.GLYPH),
        ("People's", W),
        ("6-30-Bk", W),
        (".", P),
    ]
    witness = load_witness("good -- it [sic] ███ □ People's 6-30-Bk.", "A")
    assert tokenize(witness, segment(witness)).markup == bytes([0, 0, 0, 1, 1, 1, 0, 0, 0])


def test_editorial_marks() -> None:
    kinds = [k for _, k in _tokens("[unclear] [illegible] [?] [Illegible word]")]
    assert kinds == [TokenKind.EDITORIAL] * 4


def test_markdown_markers_are_not_text_but_offsets_stay_true() -> None:
    witness = load_witness("**Present:** a \\_\\_ x", "A")
    tokens = tokenize(witness, segment(witness))
    assert [t.text for t in tokens] == ["Present", ":", "a", "__", "x"]
    underscores = tokens[3]
    assert witness.text[underscores.start : underscores.end] == "_\\_"


def test_offsets_lines_and_space_before() -> None:
    text = "one two,\nthree"
    witness = load_witness(text, "A")
    tokens = tokenize(witness, segment(witness))
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.line for t in tokens] == [1, 1, 1, 2]
    assert [t.space_before for t in tokens] == [True, True, False, True]


def test_combining_marks_stay_in_the_word() -> None:
    text = unicodedata.normalize("NFC", "Schlym\u0303 long\u017fs")
    assert [t for t, _ in _tokens(text)] == ["Schlym\u0303", "long\u017fs"]


def test_page_and_furniture_flags() -> None:
    witness = load_witness("body text of the first page here\n\n-2-\n\nmore body text\n", "A")
    tokens = tokenize(witness, segment(witness))
    assert [(t.text, t.page, t.furniture) for t in tokens if t.page == 2][:2] == [
        ("-", 2, True),
        ("2", 2, True),
    ]


def test_soft_hyphen_stays_inside_the_word() -> None:
    assert [t for t, _ in _tokens("trans\u00adcript here")] == ["trans\u00adcript", "here"]


def test_private_use_letters_stay_in_the_word() -> None:
    # MUFI letters live in the private-use area (here U+F502 and U+EBA6).
    assert [t for t, _ in _tokens("glei\uf502 de\ueba6elben")] == ["glei\uf502", "de\ueba6elben"]


def test_variation_selectors_and_joiners_stay_with_their_base() -> None:
    # U+25FC U+FE0F (black medium square, emoji presentation) on a redacted FISA page
    G, P, R, W = TokenKind.GLYPH, TokenKind.PUNCTUATION, TokenKind.REDACTION, TokenKind.WORD
    assert _tokens("a \u25fc\ufe0f\u25fc\ufe0f b") == [
        ("a", W), ("\u25fc\ufe0f", G), ("\u25fc\ufe0f", G), ("b", W)
    ]  # fmt: skip
    assert _tokens("\u25a0\ufe0e \u2588\ufe0f\u2588\ufe0f \u25fc\u200d\u25fc") == [
        ("\u25a0\ufe0e", G), ("\u2588\ufe0f\u2588\ufe0f", R), ("\u25fc\u200d\u25fc", G)
    ]  # fmt: skip
    assert _tokens("\u2764\ufe0f 1\ufe0f\u20e3 A\ufe0e") == [
        ("\u2764\ufe0f", P), ("1\ufe0f\u20e3", W), ("A\ufe0e", W)
    ]  # fmt: skip
    # a selector with no base before it is a symbol of its own, never a word
    assert _tokens("end \ufe0f") == [("end", W), ("\ufe0f", P)]


_SELECTORS_AND_JOINERS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef\u200c\u200d]")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            _PIECES_SHORT := ["◼", "█", "•", "a", "❤", ".", " ", "\ufe0f", "\ufe0e", "\u200d"]
        ),
        max_size=30,
    )
)
def test_a_selector_or_joiner_starts_a_token_only_after_whitespace(pieces: list[str]) -> None:
    text = "".join(pieces)
    witness = load_witness(text, "A")
    for token in tokenize(witness, segment(witness)):
        if _SELECTORS_AND_JOINERS.match(token.text):
            assert token.start == 0 or text[token.start - 1].isspace(), (text, token.text)
            assert token.kind is not TokenKind.WORD


# Pieces that exercise every token kind, whitespace inside editorial marks, and the
# characters only the full pattern handles (marks, private use, joiners, emoji modifiers).
_PIECES = [
    "ab", "c", "x_y", "[sic]", "[illegible words]", "[illegible", "words]", "██", "□",
    "--", "...", "'", "é", "e\u0301", "\u00ad", "ﬁ", "ſ", "\ue000", "אָ", "👍🏽", "🇩🇪",
    "◼\ufe0f", "\ufe0f", "\ufe0e", "\u200d", "█\ufe0f", "❤\ufe0f",
    " ", "  ", "\t", "\n", "\n\n", "\f",
]  # fmt: skip


def _columns(witness: Witness) -> tuple[object, ...]:
    t = tokenize(witness, segment(witness))
    return (t.text, t.kind, list(t.start), list(t.end), list(t.line), t.space_before)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80), st.sampled_from([1, 5, 40]))
def test_chunked_scanning_gives_the_same_tokens(pieces: list[str], chunk: int) -> None:
    """Scanning a few characters at a time (long texts are scanned in chunks) cuts no token
    and loses none."""
    witness = load_witness("".join(pieces), "A")
    whole = _columns(witness)
    saved = tokenization._CHUNK
    try:
        tokenization._CHUNK = chunk
        assert _columns(witness) == whole
    finally:
        tokenization._CHUNK = saved


def _tokenized(witness: Witness, chunk: int) -> TokenColumns:
    """The witness's tokens, its text scanned ``chunk`` characters at a time."""
    saved = tokenization._CHUNK
    try:
        tokenization._CHUNK = chunk
        return tokenize(witness, segment(witness))
    finally:
        tokenization._CHUNK = saved


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*_PIECES, "**", "_", "# ", "\n\n", "\r\n"]), max_size=80),
    st.sampled_from([1, 5, 40]),
)
def test_each_token_is_on_the_line_of_its_first_character(pieces: list[str], chunk: int) -> None:
    """Lines counted on from chunk to chunk and segment to segment, markup inside or not,
    are those of the tokens' offsets."""
    witness = load_witness("".join(pieces), "A")
    tokens = _tokenized(witness, chunk)
    assert list(tokens.line) == [witness.text.count("\n", 0, k) + 1 for k in tokens.start]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=80), st.sampled_from([1, 5, 40]))
def test_tokens_are_the_matches_of_the_token_pattern(pieces: list[str], chunk: int) -> None:
    """Each token, its kind and its offsets are those of a match of the full named pattern
    searched for through the whole text (match objects, where the tokenizer splits the
    text in chunks and adds up lengths)."""
    witness = load_witness("".join(pieces), "A")
    if witness.markup:
        return
    tokens = _tokenized(witness, chunk)
    found = list(tokenization._full()[1].finditer(witness.text))
    assert list(zip(tokens.text, tokens.start, tokens.end, tokens.kind, strict=True)) == [
        (m.group(), m.start(), m.end(), tokenization._KINDS[m.lastgroup or ""]) for m in found
    ]


# What the full patterns handle and the simple ones do not, as one character class.
_REFERENCE_SPECIAL = re.compile(
    rf"[{tokenization._mark_ranges()}{tokenization._PRIVATE_USE}\u00ad\u200b-\u200d\u2060"
    "\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U0001f1e6-\U0001f1ff]"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60))
def test_simple_pattern_equals_full_pattern_without_special_characters(text: str) -> None:
    """The fast pattern used for texts without marks, private-use letters, joiners or emoji
    parts tokenizes such texts exactly as the full one."""
    if tokenization._special(text):
        assert _REFERENCE_SPECIAL.search(text)
        return
    assert not _REFERENCE_SPECIAL.search(text)
    assert tokenization._SIMPLE.split(text) == tokenization._full()[0].split(text)
    simple, full = (
        tokenization._SIMPLE_TOKEN.fullmatch(text),
        tokenization._full()[1].fullmatch(text),
    )
    assert (simple and simple.lastgroup) == (full and full.lastgroup)


def test_characters_passed_over_as_never_special_are_not() -> None:
    """Every character :func:`tokenization._special` does not look at is one the simple
    patterns handle."""
    passed_over = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]
    passed_over = [c for c in passed_over if not tokenization._MAYBE_SPECIAL.match(c)]
    assert 700 < len(passed_over) < 1000  # U+0000-U+02FF and U+2000-U+205F, but a few
    assert not [c for c in passed_over if tokenization._special_character(c)]
    assert not [c for c in passed_over if _REFERENCE_SPECIAL.match(c)]
    for c in ("\u00ad", "\u0300", "\u200b", "\u200d", "\u2060", "\ue000", "\U0001f3fb"):
        assert tokenization._special("abc " + c)


def test_gaps_longer_than_a_chunk_and_trailing_whitespace() -> None:
    """A gap longer than a chunk (scanned in a wider window) and trailing whitespace."""
    saved = tokenization._CHUNK
    try:
        tokenization._CHUNK = 64
        witness = load_witness("a" + " " * 5_000 + "[illegible words] b" + " " * 5_000, "A")
        assert [t.text for t in tokenize(witness, segment(witness))] == [
            "a",
            "[illegible words]",
            "b",
        ]
    finally:
        tokenization._CHUNK = saved


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(_PIECES), max_size=40).map("".join),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=60),
    )
)
def test_each_token_has_the_kind_its_text_alone_matches(text: str) -> None:
    """Kinds are taken from the first character where that decides them (a letter or digit
    starts only a word): the same as matching each spelling again."""
    tokens = tokenize(load_witness(text, "A"), segment(load_witness(text, "A")))
    assert tokens.kind == [tokenization._kind(t) for t in tokens.text]
