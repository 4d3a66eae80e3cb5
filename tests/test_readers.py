"""Reading: decoding, BOM, line ends, NFC, Markdown markup, folders, errors."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from collate._flags import flag
from collate.errors import InputError, UsageError
from collate.model import MarkupFormat
from collate.readers import (
    decode,
    detect_markup,
    load_witness,
    markdown_spans,
    read_witness,
    read_witnesses,
)


def test_decode_drops_bom_and_makes_lf() -> None:
    assert decode("\ufeffa\r\nb\rc\n".encode(), "f") == "a\nb\nc\n"


def test_decode_applies_nfc() -> None:
    text = decode(unicodedata.normalize("NFD", "café").encode(), "f")
    assert text == "café" and len(text) == 4


def test_invalid_utf8_names_file_offset_and_option() -> None:
    with pytest.raises(InputError) as error:
        decode(b"abc\xe9def", "memo.txt")
    assert str(error.value) == (
        "memo.txt: not valid utf-8 at byte 3; give the file's encoding with encoding "
        "(for example encoding='cp1252')"
    )
    assert error.value.message(flag) == (
        "memo.txt: not valid utf-8 at byte 3; give the file's encoding with --encoding "
        "(for example --encoding cp1252)"
    )


def test_other_encoding_when_asked() -> None:
    assert decode("café".encode("cp1252"), "f", "cp1252") == "café"


def test_unknown_encoding_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown encoding 'nope'"):
        decode(b"abc", "f", "nope")


def test_binary_file_is_refused() -> None:
    with pytest.raises(InputError, match=r"f\.bin: looks like a binary file"):
        decode(b"\x89PNG\x00\x00\x01", "f.bin")


def test_markdown_is_detected_and_markers_are_markup() -> None:
    text = "**Present:** a \\_\\_ b ~~TOP~~"
    assert detect_markup(text) is MarkupFormat.MARKDOWN
    witness = load_witness(text, "A")
    markup = "".join(text[s.start : s.end] for s in witness.markup)
    assert markup == "****\\\\~~~~"


def test_plain_text_has_no_markup() -> None:
    witness = load_witness("2 * 3 = 6, and a_b", "A")
    assert witness.markup_format is MarkupFormat.PLAIN and witness.markup == ()


def test_markup_can_be_forced_plain() -> None:
    assert load_witness("**x**", "A", markup=MarkupFormat.PLAIN).markup == ()


def test_empty_and_whitespace_files_are_refused(tmp_path: Path) -> None:
    for name, data in (("empty.txt", b""), ("blank.txt", b" \n\t\n")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError, match=f"{name}: the file is empty"):
            read_witness(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_witness(tmp_path / "nope.txt")


def test_folder_without_witnesses(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no witnesses in this folder"):
        read_witnesses([tmp_path])


def test_folder_in_metadata_order(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one\n")
    (tmp_path / "b.txt").write_text("two\n")
    meta = {"witnesses": [{"siglum": "B", "file": "b.txt"}, {"siglum": "A", "file": "a.txt"}]}
    (tmp_path / "metadata.json").write_text(json.dumps(meta))
    assert [w.siglum for w in read_witnesses([tmp_path])] == ["B", "A"]


def test_folder_of_txt_files_in_name_order(tmp_path: Path) -> None:
    for name in ("c", "a", "b"):
        (tmp_path / f"{name}.txt").write_text(name)
    assert [w.siglum for w in read_witnesses([tmp_path])] == ["a", "b", "c"]


def test_broken_metadata(tmp_path: Path) -> None:
    (tmp_path / "metadata.json").write_text("{")
    with pytest.raises(InputError, match="not a valid witness list"):
        read_witnesses([tmp_path])


def test_repeated_sigla_are_numbered_and_one_witness_is_refused(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "x" / "a.txt").write_text("two")
    witnesses = read_witnesses([tmp_path / "a.txt", tmp_path / "x" / "a.txt", tmp_path / "a.txt"])
    assert [w.siglum for w in witnesses] == ["a", "a-2", "a-3"]
    with pytest.raises(InputError, match="collation needs at least two"):
        read_witnesses([tmp_path / "a.txt"])


def test_utf16_with_bom_names_the_encoding() -> None:
    with pytest.raises(InputError, match=r"w\.txt: looks like utf-16 text; give encoding='utf-16'"):
        decode("hello".encode("utf-16"), "w.txt")
    assert decode("hello".encode("utf-16"), "w.txt", "utf16") == "hello"
    assert decode("hello".encode("utf-32"), "w.txt", "UTF_32") == "hello"


def test_json_escapes_are_not_markdown() -> None:
    assert detect_markup('{"a": "say \\"hi\\"", "b": "C:\\\\x"}') is MarkupFormat.PLAIN


def test_a_line_of_underscores_or_asterisks_is_not_markdown() -> None:
    for text in ("the end.\n_______________\n", "a ****** b", "~~~~~~", "x __ __ y"):
        assert detect_markup(text) is MarkupFormat.PLAIN, text
        assert markdown_spans(text) == ()
    assert detect_markup("a __b__ c") is MarkupFormat.MARKDOWN
