"""Reading: files -> :class:`~collate.model.Witness`.

Bytes are decoded strictly (UTF-8 by default, a BOM is dropped), line ends
become LF and the text is NFC-normalised once, here. Markdown left over from
an archive's web page is detected and its markers recorded as markup spans;
detection is reported in the witness (``markup_format``), never silent.
PAGE XML, ALTO and hOCR files give their text in reading order (see
``ocrxml.py``); the format is detected from the root element, or given.
A siglum is the one a folder's ``metadata.json`` gives, else the one a TEI header names,
else the file's stem; a repeated one gets ``-2``, ``-3``.
A folder of witnesses is read in the order of its ``metadata.json`` (as
written by ``collate extract``), else every ``*.txt`` file in name order.
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path, PurePath

from collate._text import looks_like_markup
from collate.collatex import read_collatex
from collate.errors import InputError, Param, UsageError
from collate.files import read_bytes
from collate.model import MarkupFormat, Section, Span, Witness
from collate.tei_reader import Choice, Layer, TeiOptions

METADATA_FILE = "metadata.json"

_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_MARKDOWN_ESCAPE = re.compile(r"\\[_*#\[\]~`]")
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
# A pair of markers holds text that starts and ends with a character other than a space or a
# marker character: a line of underscores or asterisks (a rule, a blank to fill) is text.
_PAIRED = re.compile(r"(\*\*|~~|__)(?=[^\s*~_])([^\n]*?[^\s*~_])\1")
_HEADING = re.compile(r"^#{1,6}(?= )", re.MULTILINE)
_LINK_URL = re.compile(r"<https?://[^>\s]+>")


def check_encoding(encoding: str) -> None:
    """Refuse an ``encoding`` that is unknown, not a text encoding (``rot13``, ``base64``) or
    ``undefined`` (a codec that fails on every input)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding '{encoding}' for ", Param("encoding")) from None
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        raise UsageError(
            f"'{encoding}' is not a text encoding; give one such as utf-8 or cp1252 to ",
            Param("encoding"),
        )


def decode(data: bytes, name: str, encoding: str = "utf-8") -> str:
    """Decode ``data`` strictly, drop a BOM, make line ends LF and apply NFC."""
    check_encoding(encoding)
    wide = encoding.lower().replace("-", "").replace("_", "").startswith(("utf16", "utf32"))
    if not wide and b"\x00" in data:
        for bom, codec in _WIDE_BOMS:
            if data.startswith(bom):
                raise InputError(
                    f"{name}: looks like {codec} text; give ", Param("encoding", codec)
                )
        raise InputError(
            f"{name}: looks like a binary file (it contains NUL bytes); give a text file"
        )
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"{name}: not valid {encoding} at byte {error.start}; give the file's encoding with ",
            Param("encoding"),
            " (for example ",
            Param("encoding", "cp1252"),
            ")",
        ) from None
    except UnicodeError as error:  # codecs such as punycode and idna fail without a position
        raise InputError(
            f"{name}: not valid {encoding} ({error}); give the file's encoding with ",
            Param("encoding"),
            " (for example ",
            Param("encoding", "cp1252"),
            ")",
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def markdown_spans(text: str) -> tuple[Span, ...]:
    """The character ranges of ``text`` that are Markdown markers."""
    spans: list[Span] = [Span(m.start(), m.end()) for m in _ESCAPE.finditer(text)]
    # Hide escaped characters from the pair search without moving offsets.
    masked = list(text)
    for span in spans:
        masked[span.end] = "\x00"
    scratch = "".join(masked)
    for match in _PAIRED.finditer(scratch):
        marker = len(match.group(1))
        spans.append(Span(match.start(), match.start() + marker))
        spans.append(Span(match.end() - marker, match.end()))
    for match in _LINK_URL.finditer(scratch):
        spans.append(Span(match.start(), match.start() + 1))
        spans.append(Span(match.end() - 1, match.end()))
    spans.extend(Span(m.start(), m.end() + 1) for m in _HEADING.finditer(scratch))
    return tuple(sorted(set(spans), key=lambda s: (s.start, s.end)))


def detect_markup(text: str) -> MarkupFormat:
    """Markdown if the text has paired ``**``/``~~`` markers or escapes such as ``\\_``."""
    if _PAIRED.search(text) or _MARKDOWN_ESCAPE.search(text):
        return MarkupFormat.MARKDOWN
    return MarkupFormat.PLAIN


def load_witness(
    text: str,
    siglum: str,
    *,
    path: str | None = None,
    label: str = "",
    markup: MarkupFormat | None = None,
) -> Witness:
    """A witness from decoded text; ``markup=None`` detects the format."""
    fmt = detect_markup(text) if markup is None else markup
    spans = markdown_spans(text) if fmt is MarkupFormat.MARKDOWN else ()
    return Witness(siglum, text, path, label or siglum, fmt, spans)


class SourceFormat(Enum):
    """What a witness file holds: plain text, or the text of an OCR XML format."""

    TEXT = "text"
    PAGE = "page"
    ALTO = "alto"
    HOCR = "hocr"
    TEI = "tei"


def source_format(data: bytes, name: str) -> SourceFormat:
    """The format of ``data``: TEI or an OCR XML format by its root element, else plain text.

    XML that is none of TEI, PAGE, ALTO and hOCR is an error, never read as text.
    """
    if not looks_like_markup(data):
        return SourceFormat.TEXT
    from collate.ocrxml import detect_format  # XML parsers: loaded for markup files only
    from collate.tei_reader import is_tei

    if is_tei(data):
        return SourceFormat.TEI

    found = detect_format(data, name)
    return SourceFormat.TEXT if found is None else SourceFormat(found.value)


@dataclass(frozen=True)
class ReadOptions:
    """How to read files: text encoding, markup (None: detect), format (None: detect), whether
    an empty witness is read, whether a folder's files may lead outside it (links), and how
    TEI is read (see ``tei_reader.py``)."""

    encoding: str = "utf-8"
    markup: MarkupFormat | None = None
    source: SourceFormat | None = None
    allow_empty: bool = False
    allow_outside: bool = False
    tei: TeiOptions = field(default_factory=TeiOptions)
    both_layers: bool = False  # a TEI file also gives its text before correction, "A (a.c.)"
    example: int | None = None  # which example of a CollateX XML file (None: its only one)


def with_tei(
    read: ReadOptions, choice: str, corrections: str, divs: tuple[str, ...] = ()
) -> ReadOptions:
    """``read`` reading TEI by the values of the commands' options: ``choice`` a
    :class:`Choice` value, ``corrections`` ``after``, ``before`` or ``both`` (two witnesses
    of each file), ``divs`` the divisions to read."""
    layer = Layer.BEFORE if corrections == "before" else Layer.AFTER
    return replace(
        read, tei=TeiOptions(Choice(choice), layer, divs), both_layers=corrections == "both"
    )


def read_witness(
    path: Path, siglum: str | None = None, label: str = "", options: ReadOptions | None = None
) -> Witness:
    """Read one witness file; an empty or whitespace-only file is an error unless allowed.
    Its siglum is ``siglum``, else the one its TEI header names, else the file's stem."""
    options = options or ReadOptions()
    data = read_bytes(path)
    fmt = source_format(data, str(path)) if options.source is None else options.source
    markup = options.markup
    page_names: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    if fmt is SourceFormat.TEXT:
        text = decode(data, str(path), options.encoding)
    elif fmt is SourceFormat.TEI:
        from collate.tei_reader import read_tei

        tei = read_tei(data, str(path), options.tei)
        text, page_names, markup = tei.text, tei.page_names, MarkupFormat.PLAIN
        sections = tei.sections
        label = label or tei.label
        siglum = siglum or tei.siglum
    else:
        from collate.ocrxml import OcrFormat, extract_text

        text = extract_text(data, str(path), OcrFormat(fmt.value))
        markup = MarkupFormat.PLAIN
    if not options.allow_empty and not text.strip():
        raise InputError(f"{path}: the file is empty; a witness needs some text")
    witness = load_witness(
        text, siglum or siglum_for(path), path=str(path), label=label, markup=markup
    )
    return replace(witness, source_format=fmt.value, page_names=page_names, sections=sections)


def read_pair(
    reference: Path, hypothesis: Path, options: ReadOptions | None = None
) -> tuple[Witness, Witness]:
    """A reference and a hypothesis file read as two witnesses; when their sigla are the
    same (files of the same stem, TEI headers naming the same siglum), they are
    ``reference`` and ``hypothesis``, and so is a label that was the siglum."""
    pair = read_witness(reference, options=options), read_witness(hypothesis, options=options)
    if pair[0].siglum != pair[1].siglum:
        return pair
    return _named(pair[0], "reference"), _named(pair[1], "hypothesis")


def _named(witness: Witness, siglum: str) -> Witness:
    label = siglum if witness.label == witness.siglum else witness.label
    return replace(witness, siglum=siglum, label=label)


def siglum_for(path: Path) -> str:
    """A siglum from a file name: its stem."""
    return path.stem or path.name


def _json(data: bytes) -> object:
    """Decoded UTF-8 JSON; None when it is not (or is nested too deeply to decode)."""
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        return None


def collection_title(paths: Sequence[Path]) -> str:
    """The ``title`` of the first folder's ``metadata.json`` (``""`` when there is none)."""
    for path in paths:
        meta = path / METADATA_FILE
        if os.path.isdir(path) and os.path.isfile(meta):
            try:
                data = _json(read_bytes(meta))
            except InputError:  # unreadable: reading the witness list says so
                data = None
            return str(data.get("title", "")) if isinstance(data, dict) else ""
    return ""


def is_inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` is in ``folder`` (or below it) once links are followed; a link loop
    is taken where it stands (reading it then says what is wrong)."""
    real, root = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return real == root or root in real.parents


def inside(folder: Path, path: Path, allow_outside: bool = False) -> Path:
    """``path``, when it is in ``folder`` once links are followed, or ``allow_outside``."""
    if allow_outside or is_inside(folder, path):
        return path
    raise InputError(
        f"{path}: leads outside the folder {folder} (to {os.path.realpath(path)}); copy the file "
        "into the folder, or give ",
        Param("allow_outside"),
        " to read it",
    )


def _witness_file(folder: Path, meta: Path, name: object) -> Path:
    """The witness file ``name`` of a ``metadata.json``: a path inside its folder."""
    if not isinstance(name, str) or not name:
        raise TypeError(name)
    relative = PurePath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise InputError(
            f"{meta}: the witness file '{name}' is outside the folder; "
            "list files inside the folder (copy the file there)"
        )
    return folder / relative


def folder_entries(folder: Path) -> list[Path]:
    """The entries of ``folder``, or an :class:`InputError` when it cannot be read."""
    try:
        return [folder / name for name in os.listdir(folder)]
    except OSError as error:
        raise InputError(
            f"{folder}: cannot read the folder ({error.strerror}); check its permissions"
        ) from None


def folder_files(folder: Path) -> list[Path]:
    """The ``*.txt`` entries of ``folder`` that are not folders, in name order (named pipes,
    devices and broken links among them are refused when read, never skipped silently)."""
    return sorted(
        p
        for p in folder_entries(folder)
        if fnmatch.fnmatch(p.name, "*.txt") and not os.path.isdir(p)
    )


def _folder_entries(folder: Path, allow_outside: bool) -> list[tuple[Path, str | None, str]]:
    meta = folder / METADATA_FILE
    entries: list[tuple[Path, str | None, str]]
    if os.path.lexists(meta):
        data = _json(read_bytes(inside(folder, meta, allow_outside)))
        try:
            if not isinstance(data, dict):
                raise TypeError(data)
            entries = [
                (_witness_file(folder, meta, w["file"]), str(w["siglum"]), str(w.get("label", "")))
                for w in data["witnesses"]
            ]
        except (KeyError, TypeError, AttributeError):
            raise InputError(
                f"{meta}: not a valid witness list (expected 'witnesses' with 'siglum' and "
                "'file'); fix it or remove it to compare every *.txt file"
            ) from None
    else:
        entries = [(p, None, "") for p in folder_files(folder)]
        if not entries:
            raise InputError(
                f"{folder}: no witnesses in this folder (looked for {METADATA_FILE} and *.txt "
                "files)"
            )
    return [(inside(folder, p, allow_outside), s, label) for p, s, label in entries]


def read_witnesses(
    paths: Sequence[Path], options: ReadOptions | None = None
) -> tuple[Witness, ...]:
    """Read files and folders of witnesses (at least two); sigla made distinct."""
    witnesses = distinct_sigla(read_sources(paths, options))
    if len(witnesses) < 2:
        found = "no witness" if not witnesses else "only one witness"
        raise InputError(
            f"{paths[0] if paths else '.'}: {found} found; collation needs at least two"
        )
    return witnesses


def read_sources(paths: Sequence[Path], options: ReadOptions | None = None) -> list[Witness]:
    """The witnesses of witness files, folders of witnesses and CollateX JSON files, in
    order, with the sigla they give."""
    entries: list[tuple[Path, str | None, str]] = []
    for path in paths:
        if os.path.isdir(path):
            entries.extend(_folder_entries(path, (options or ReadOptions()).allow_outside))
        else:
            entries.append((path, None, ""))
    witnesses: list[Witness] = []
    for p, siglum, label in entries:
        if p.suffix.lower() == ".json" and siglum is None:
            options = options or ReadOptions()
            witnesses.extend(read_collatex(decode(read_bytes(p), str(p), options.encoding), str(p)))
        elif p.suffix.lower() == ".xml" and siglum is None and _is_collatex_xml(p):
            from collate.collatex_xml import read_example

            options = options or ReadOptions()
            witnesses.extend(read_example(read_bytes(p), str(p), options.example, options.tei))
        else:
            witnesses.extend(read_layers(p, siglum, label, options))
    return witnesses


def _is_collatex_xml(path: Path) -> bool:
    """Whether ``path`` (an ``.xml`` file) holds CollateX XML examples."""
    from collate.collatex_xml import is_collatex_xml

    return is_collatex_xml(read_bytes(path))


AC_SUFFIX = " (a.c.)"


def read_layers(
    path: Path, siglum: str | None, label: str, options: ReadOptions | None
) -> list[Witness]:
    """The witness of a file; with ``both_layers``, a TEI file gives two: its text after
    correction and its text before (siglum and label followed by `` (a.c.)``)."""
    witness = read_witness(path, siglum, label, options)
    if options is None or not options.both_layers or witness.source_format != "tei":
        return [witness]
    before = replace(options, tei=replace(options.tei, layer=Layer.BEFORE))
    earlier = read_witness(path, witness.siglum + AC_SUFFIX, witness.label + AC_SUFFIX, before)
    return [witness, earlier]


def distinct_sigla(witnesses: Sequence[Witness]) -> tuple[Witness, ...]:
    """Witnesses whose sigla are made distinct: a repeated siglum gets ``-2``, ``-3`` ..."""
    seen: set[str] = set()
    result: list[Witness] = []
    for witness in witnesses:
        siglum, n = witness.siglum, 1
        while siglum in seen:
            n += 1
            siglum = f"{witness.siglum}-{n}"
        seen.add(siglum)
        result.append(replace(witness, siglum=siglum) if siglum != witness.siglum else witness)
    return tuple(result)


def _stem(path: Path) -> str:
    return path.name.split(".")[0]


def pair_files(
    reference_dir: Path, hypothesis_dir: Path, allow_outside: bool = False
) -> tuple[list[tuple[str, Path, Path]], list[Path]]:
    """Reference and hypothesis files matched by name (else by the name up to its first dot,
    when only one hypothesis has it); hidden files are left out, and a paired file that leads
    outside its folder is refused unless ``allow_outside``.

    Returns the pairs ``(name, reference, hypothesis)`` in name order and the files of either
    folder left unmatched; raises when nothing matches.
    """
    for folder in (reference_dir, hypothesis_dir):
        if not os.path.isdir(folder):
            raise InputError(
                f"{folder}: not a folder; ",
                Param("pair_files"),
                " takes two folders of witness files",
            )
    listed = [
        [p for p in folder_entries(f) if os.path.isfile(p) and not p.name.startswith(".")]
        for f in (reference_dir, hypothesis_dir)
    ]
    refs = sorted(listed[0])
    hyps = {p.name: p for p in listed[1]}
    by_stem: dict[str, list[Path]] = {}
    for hyp in hyps.values():
        by_stem.setdefault(_stem(hyp), []).append(hyp)
    pairs = []
    for ref in refs:
        match = hyps.get(ref.name)
        if match is None and len(by_stem.get(_stem(ref), [])) == 1:
            match = by_stem[_stem(ref)][0]
        if match is not None:
            pairs.append(
                (
                    ref.name,
                    inside(reference_dir, ref, allow_outside),
                    inside(hypothesis_dir, match, allow_outside),
                )
            )
    if not pairs:
        raise InputError(
            f"{hypothesis_dir}: no file matches a file of {reference_dir} by name; "
            "give the hypothesis the reference's file name"
        )
    used = {p for _, r, h in pairs for p in (r, h)}
    unmatched = sorted(p for p in [*refs, *hyps.values()] if p not in used)
    return pairs, unmatched
