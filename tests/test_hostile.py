"""Hostile and broken input: every command on a corpus of bad files.

Each file of ``tests/data/hostile`` (see its README.md) goes through every command: ``extract``,
``compare`` in every format and view, ``fidelity`` in every format with the file as reference and
as hypothesis (and ``batch``, when it is registered). Each run gives either one line
``Error: ...`` on stderr with the documented exit code, or a correct result: valid JSON, TEI that
lxml parses, HTML with no markup from the witnesses, CSV that reads back, a terminal report
without escape sequences, and every character of the witness kept. Never a traceback.

Large inputs (a 50 MB line, a million one-character lines, 100,000 nested XML elements) are
made in ``tmp_path`` and run in a subprocess with a timeout, measuring its peak memory.
``COLLATE_HOSTILE_FULL=1`` runs the large inputs through every format, not only a selection.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from lxml import etree

from collate._lcs import lcs_match
from collate.alignment import AlignmentOptions, Side, align, spread_order
from collate.cli import main
from collate.model import Alignment, Variant
from collate.ocrxml import _alto_words
from collate.pipeline import CollationOptions, _prepare
from collate.readers import load_witness, read_witness
from collate.transpositions import find_transpositions
from collate.variants import VariantOptions, find_variants
from tests.conftest import script_module
from tests.test_fuzz import HIDDEN, check_html, check_tei, visible_characters

HOSTILE = Path(__file__).parent / "data" / "hostile"
NORMAL = "A normal text of a few words, for the other side.\n"
FULL = bool(os.environ.get("COLLATE_HOSTILE_FULL"))
PASSWD = Path("/etc/passwd")
LEAK = re.compile(r"root:[^:\n]*:0:0:")


def _choices(command: str, option: str) -> list[str]:
    found = main.get_command(click.Context(main), command)
    assert found is not None
    params = found.params
    return list(next(p for p in params if p.name == option).type.choices)


COMPARE_FORMATS = _choices("compare", "fmt")
FIDELITY_FORMATS = _choices("fidelity", "fmt")
HAS_BATCH = "batch" in main.list_commands(click.Context(main))


@dataclass(frozen=True)
class Expect:
    """What each command gives for a file: None for a result, else (exit code, message part)."""

    compare: tuple[int, str] | None = None
    fidelity: tuple[int, str] | None = None
    extract: tuple[int, str] = (4, "not an archive record")


ENTITIES = "refuses XML entity declarations"
CODEC = "which collate cannot read XML in (it reads UTF-8, UTF-16 and single-byte codecs); save"
CORPUS: dict[str, Expect] = {
    "empty.txt": Expect(
        (3, "the file is empty; a witness needs some text"),
        None,
        (3, "the file is empty; give an archive record"),
    ),
    "whitespace.txt": Expect(
        (3, "the file is empty; a witness needs some text"),
        None,
        (3, "the file is empty; give an archive record"),
    ),
    "image.png": Expect(
        (3, "looks like a binary file (it contains NUL bytes)"),
        (2, "looks like a binary file"),
        (3, "looks like a binary file"),
    ),
    "nul.txt": Expect(
        (3, "looks like a binary file (it contains NUL bytes)"),
        (2, "looks like a binary file"),
        (3, "looks like a binary file"),
    ),
    "latin1.txt": Expect(
        (3, "not valid utf-8 at byte 3; give the file's encoding with --encoding"),
        (2, "not valid utf-8 at byte 3"),
        (3, "not valid utf-8 at byte 3"),
    ),
    "utf16-bom.txt": Expect(
        (3, "looks like utf-16 text; give --encoding utf-16"),
        (2, "looks like utf-16 text"),
        (3, "looks like utf-16 text"),
    ),
    "mixed-endings.txt": Expect(),
    "punctuation.txt": Expect(),
    "combining.txt": Expect(),
    "rtl.txt": Expect(),
    "emoji.txt": Expect(),
    "controls.txt": Expect(),
    "markup.txt": Expect(),
    "xxe.page.xml": Expect((3, ENTITIES), (2, ENTITIES)),
    "xxe.alto.xml": Expect((3, ENTITIES), (2, ENTITIES)),
    "xxe.hocr.xhtml": Expect((3, ENTITIES), (2, ENTITIES)),
    "xxe.hocr.html": Expect((3, ENTITIES), (2, ENTITIES)),
    "xxe-parameter.alto.xml": Expect((3, ENTITIES), (2, ENTITIES)),
    "billion-laughs.page.xml": Expect((3, ENTITIES), (2, ENTITIES)),
    "quadratic-blowup.alto.xml": Expect((3, ENTITIES), (2, ENTITIES)),
    "encoding-shift_jis.page.xml": Expect(
        (3, f"'shift_jis', {CODEC}"), (2, f"'shift_jis', {CODEC}")
    ),
    "encoding-big5.page.xml": Expect((3, f"'big5', {CODEC}"), (2, f"'big5', {CODEC}")),
    "encoding-utf-32.page.xml": Expect((3, f"'utf-32', {CODEC}"), (2, f"'utf-32', {CODEC}")),
    "encoding-utf-7.page.xml": Expect((3, f"'utf-7', {CODEC}"), (2, f"'utf-7', {CODEC}")),
    "encoding-rot13.page.xml": Expect((3, f"'rot13', {CODEC}"), (2, f"'rot13', {CODEC}")),
    "encoding-base64.page.xml": Expect((3, f"'base64', {CODEC}"), (2, f"'base64', {CODEC}")),
    "encoding-unknown-codec.page.xml": Expect(
        (3, f"'unknown-codec', {CODEC}"), (2, f"'unknown-codec', {CODEC}")
    ),
    "external-dtd.page.xml": Expect(),
    "xinclude.page.xml": Expect(),
}


def test_the_corpus_is_complete() -> None:
    on_disk = {p.name for p in HOSTILE.iterdir() if p.is_file() and p.name != "README.md"}
    assert on_disk == set(CORPUS)


# Running the CLI


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float = 0.0
    peak_mb: float = 0.0


def invoke(*args: str | Path) -> Run:
    """The CLI in this process (fast; for small inputs)."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"collate {' '.join(map(str, args))} raised") from result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


# Runs collate in a grandchild and reports its peak memory: ru_maxrss is not reset by exec, so
# a child forked straight from this (large) test process would report the parent's size.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call([sys.executable, '-m', 'collate', *sys.argv[1:]])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "sys.stderr.write(f'\\n@peak-kb {peak}\\n')\n"
    "sys.exit(code)\n"
)


def spawn(*args: str | Path, timeout: float = 180.0) -> Run:
    """The CLI in a subprocess, killed after ``timeout`` seconds; with its peak memory."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, *map(str, args)],
            stdout=out,
            stderr=err,
            # PYTHONIOENCODING: strict UTF-8 on stdout, as in a UTF-8 locale other than C
            env={**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"},
            start_new_session=True,
        )
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise AssertionError(f"collate {args} ran over {timeout} s") from None
        out.seek(0)
        err.seek(0)
        stderr, _, peak = err.read().decode("utf-8").rpartition("\n@peak-kb ")
        return Run(
            process.returncode,
            out.read().decode("utf-8"),
            stderr,
            time.monotonic() - start,
            int(peak) / 1024,  # ru_maxrss is in kilobytes on Linux
        )


def assert_error(run: Run, code: int, message: str) -> None:
    assert run.code == code, (run.code, run.err)
    lines = run.err.splitlines()
    assert lines and lines[-1].startswith("Error: "), run.err
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and message in errors[0], run.err
    assert "Traceback" not in run.err and run.out == ""


def assert_clean(run: Run) -> None:
    """A result, not an error: exit 0, no traceback, nothing of /etc/passwd."""
    assert run.code == 0, (run.code, run.err)
    assert "Traceback" not in run.err and "Error" not in run.err
    assert LEAK.search(run.out) is None and LEAK.search(run.err) is None, "/etc/passwd leaked"


# Checking each output


def check_terminal(text: str) -> None:
    assert "\x1b" not in text, "an escape sequence from a witness reached the terminal"
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text), "a control character"
    assert not HIDDEN.search(text), "a bidi control or invisible character"


def check_json(text: str) -> object:
    data = json.loads(text)
    assert json.loads(json.dumps(data)) == data
    return data


def check_csv(text: str, delimiter: str) -> list[list[str]]:
    limit = csv.field_size_limit(len(text) + 1)  # a 50 MB word is one cell
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    finally:
        csv.field_size_limit(limit)
    assert rows and all(len(row) == len(rows[0]) for row in rows)
    return rows


def check_compare(fmt: str, text: str, witness: Path | None = None) -> None:
    """``text`` is a valid output in format ``fmt``; with ``witness``, it lost none of its text."""
    if fmt == "table":
        check_terminal(text)
    elif fmt == "json":
        data = check_json(text)
        assert isinstance(data, dict)
        if witness is not None:
            siglum = data["witnesses"][0]["siglum"]
            kept = "".join(t for rank in data["alignment"] for t in rank[siglum])
            assert kept == visible_characters(read_witness(witness)), "text lost"
    elif fmt == "collatex-json":
        check_json(text)
    elif fmt == "html":
        check_html(text)
    elif fmt == "tei":
        check_tei(text)
    elif fmt in ("csv", "tsv"):
        check_csv(text, "," if fmt == "csv" else "\t")
    else:
        raise AssertionError(f"no check for --format {fmt}: add one")


def check_fidelity(fmt: str, text: str) -> None:
    if fmt == "json":
        data = check_json(text)
        assert isinstance(data, dict) and data["cer"] >= 0 and data["wer"] >= 0
    elif fmt == "csv":
        assert len(check_csv(text, ",")) == 3
    else:
        check_terminal(text)


# The corpus through every command


@pytest.fixture(scope="module")
def normal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("normal") / "normal.txt"
    path.write_text(NORMAL, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(CORPUS))
@pytest.mark.parametrize("fmt", COMPARE_FORMATS)
def test_compare(name: str, fmt: str, normal: Path) -> None:
    path, expect = HOSTILE / name, CORPUS[name]
    for args in ([path, normal], [normal, path]):
        run = invoke("compare", *args, "--format", fmt)
        if expect.compare is not None:
            assert_error(run, *expect.compare)
            continue
        assert_clean(run)
        check_compare(fmt, run.out, path if args[0] == path else None)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_compare_alignment_view(name: str, normal: Path) -> None:
    run = invoke("compare", HOSTILE / name, normal, "--view", "table")
    if CORPUS[name].compare is not None:
        assert_error(run, *CORPUS[name].compare)
    else:
        assert_clean(run)
        check_terminal(run.out)


@pytest.mark.parametrize("name", sorted(CORPUS))
@pytest.mark.parametrize("fmt", FIDELITY_FORMATS)
def test_fidelity(name: str, fmt: str, normal: Path) -> None:
    path, expect = HOSTILE / name, CORPUS[name]
    for args in ([path, normal], [normal, path]):
        run = invoke("fidelity", *args, "--format", fmt)
        if expect.fidelity is not None:
            assert_error(run, *expect.fidelity)
            continue
        assert_clean(run)
        check_fidelity(fmt, run.out)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_extract(name: str, tmp_path: Path) -> None:
    run = invoke("extract", HOSTILE / name, "-o", tmp_path / "out")
    assert_error(run, *CORPUS[name].extract)
    assert not (tmp_path / "out").exists(), "a failed extract must not leave a folder"


FORCED = [
    *(["--input-format", f] for f in _choices("compare", "input_format") if f != "auto"),
    *(["--encoding", e] for e in ["utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig", "ascii"]),
]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_forced_format_or_encoding(name: str) -> None:
    """Read as a format or in an encoding it is not in: an input error or a valid result."""
    for option in FORCED:
        run = invoke("compare", HOSTILE / name, HOSTILE / name, *option, "--format", "tei")
        if run.code:
            assert_error(run, 3, f"{name}: ")
        else:
            assert_clean(run)
            check_tei(run.out)


@pytest.mark.skipif(not HAS_BATCH, reason="collate batch is not registered")
def test_batch_records_every_bad_file(tmp_path: Path) -> None:
    source = tmp_path / "records"
    source.mkdir()
    for name in CORPUS:
        (source / name.replace(".", "-")).with_suffix(".txt").write_bytes(
            (HOSTILE / name).read_bytes()
        )
    run = invoke("batch", source, "-o", tmp_path / "out", "-j", "1", "-q")
    assert run.code == 1 and "Traceback" not in run.err  # documents failed, none crashed
    index = check_json((tmp_path / "out" / "index.json").read_text(encoding="utf-8"))
    assert isinstance(index, dict) and len(index["documents"]) == len(CORPUS)
    check_html((tmp_path / "out" / "index.html").read_text(encoding="utf-8"), scripts=None)


def test_messages_about_written_and_skipped_files_are_safe(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two\n")
    b.write_text("one three\n")
    run = invoke("compare", a, b, "-o", tmp_path / "esc\x1b]0;title\x07.txt")
    check_terminal(run.err)
    (tmp_path / "ref").mkdir()
    (tmp_path / "hyp").mkdir()
    (tmp_path / "ref" / "p1.txt").write_text("one\n")
    (tmp_path / "hyp" / "p1.txt").write_text("one\n")
    (tmp_path / "hyp" / "esc\x1b[31m.txt").write_text("two\n")
    check_terminal(invoke("fidelity", "--pairs", tmp_path / "ref", tmp_path / "hyp").err)


@pytest.mark.skipif(not HAS_BATCH, reason="collate batch is not registered")
def test_batch_summary_is_safe_on_a_terminal(tmp_path: Path) -> None:
    source = tmp_path / "records"
    source.mkdir()
    for name in ("esc\x1b]0;title\x07", "[bold]rich"):
        (source / f"{name}.txt").write_text("not a record\n")
    run = invoke("batch", source, "-o", tmp_path / "out", "-j", "1")
    assert run.code == 1 and "Traceback" not in run.err
    check_terminal(run.out + run.err)
    assert "[bold]rich" in run.out


# Paths that are not readable files


def test_missing_directory_and_device_paths(tmp_path: Path, normal: Path) -> None:
    missing, folder = tmp_path / "missing.txt", tmp_path / "folder"
    folder.mkdir()
    for fmt in COMPARE_FORMATS:
        assert_error(invoke("compare", missing, normal, "--format", fmt), 3, "no such file")
        assert_error(invoke("compare", folder, normal, "--format", fmt), 3, "no witnesses")
    for args in ([missing, normal], [normal, missing]):
        assert_error(invoke("fidelity", *args), 2, "missing.txt: no such file; check the path")
    assert_error(invoke("fidelity", folder, normal), 2, "folder: is a directory, expected a file")
    assert_error(invoke("extract", missing, "-o", tmp_path / "o"), 3, "no such file")
    assert_error(invoke("extract", folder, "-o", tmp_path / "o"), 3, "is a directory")
    if Path("/dev/zero").exists():
        assert_error(invoke("compare", "/dev/zero", normal), 3, "is a device, not a file")
        assert_error(invoke("fidelity", normal, "/dev/zero"), 2, "is a device, not a file")
        assert_error(invoke("extract", "/dev/zero", "-o", tmp_path / "o"), 3, "is a device")


def test_unreadable_file(tmp_path: Path, normal: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("secret words\n")
    locked.chmod(0)
    try:
        try:
            locked.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip(
                "running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop reading"
            )
        message = "locked.txt: cannot read the file (Permission denied); check its permissions"
        for fmt in COMPARE_FORMATS:
            assert_error(invoke("compare", locked, normal, "--format", fmt), 3, message)
        assert_error(invoke("fidelity", locked, normal), 2, message)
        assert_error(invoke("extract", locked, "-o", tmp_path / "o"), 3, message)
    finally:
        locked.chmod(0o600)


# Hostile names and metadata: escaped everywhere, one-line errors


HOSTILE_NAMES = [
    "<script>alert(1)<script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "\uff1cscript\uff1e",
    "line\u2028sep",
    "esc\x1b[31mred",
    "[bold]rich[",
    "caf\udce9",  # the byte 0xE9 of a Latin-1 file name, as Python decodes it
    "new\nline",
]


@pytest.fixture()
def hostile_names(tmp_path: Path) -> list[Path]:
    paths = []
    for name in HOSTILE_NAMES:
        path = tmp_path / f"{name}.txt"
        path.write_text(f"The text of {name!r}: <b>bold</b> & more.\n", encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("fmt", COMPARE_FORMATS)
def test_hostile_file_names(fmt: str, hostile_names: list[Path], tmp_path: Path) -> None:
    run = invoke("compare", *hostile_names, "--format", fmt)
    assert_clean(run)
    check_compare(fmt, run.out)
    target = tmp_path / f"out.{fmt}"
    assert_clean(invoke("compare", *hostile_names, "--format", fmt, "-o", target))
    written = target.read_bytes().decode("utf-8")  # strict: every output is valid UTF-8
    check_compare(fmt, written)
    if fmt == "html":
        assert "&lt;script&gt;alert(1)&lt;script&gt;" in written
        assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in written
        assert "caf\\xe9" in written  # the undecodable byte, shown
    if fmt == "json":
        data = json.loads(written)
        sigla = [w["siglum"] for w in data["witnesses"]]
        assert sigla == HOSTILE_NAMES  # nothing lost: JSON escapes give every name back
        assert all(list(rank) == sigla for rank in data["alignment"])  # the rows' keys too


def test_hostile_names_in_fidelity_and_errors(hostile_names: list[Path], tmp_path: Path) -> None:
    for path in hostile_names:
        for fmt in FIDELITY_FORMATS:
            run = invoke("fidelity", path, hostile_names[0], "--format", fmt)
            assert_clean(run)
            check_fidelity(fmt, run.out)
        missing = path.with_name("missing " + path.name)
        run = invoke("compare", missing, path)
        assert_error(run, 3, "no such file")
        assert len(run.err.strip().splitlines()) == 1, "an error is one line, whatever the name"
        check_terminal(run.err)


@pytest.mark.parametrize("fmt", COMPARE_FORMATS)
def test_hostile_metadata_is_escaped(fmt: str) -> None:
    folder = HOSTILE / "folder"
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    run = invoke("compare", folder, "--format", fmt)
    assert_clean(run)
    check_compare(fmt, run.out)
    if fmt == "html":
        assert "<script>alert('title')" not in run.out
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in run.out
        assert "&quot;&gt;&lt;img src=x onerror=alert(&#x27;label&#x27;)&gt;" in run.out
    if fmt == "json":
        labels = [w["label"] for w in json.loads(run.out)["witnesses"]]
        assert labels == [w["label"] for w in metadata["witnesses"]]
    if fmt == "tei":
        tei = etree.fromstring(run.out.encode("utf-8"))
        ns = {"t": "http://www.tei-c.org/ns/1.0"}
        assert "".join(tei.find(".//t:titleStmt/t:title", ns).itertext()) == metadata["title"]
        ids = [
            w.get("{http://www.w3.org/XML/1998/namespace}id")
            for w in tei.iterfind(".//t:witness", ns)
        ]
        assert len(set(ids)) == 4  # "a b" and "a_b" make the same id once cleaned: told apart


def test_metadata_cannot_reach_outside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("some words\n")
    for escape in ["/etc/passwd", "../outside.txt", "sub/../../outside.txt"]:
        meta = {"witnesses": [{"siglum": "a", "file": "a.txt"}, {"siglum": "b", "file": escape}]}
        (tmp_path / "metadata.json").write_text(json.dumps(meta))
        run = invoke("compare", tmp_path, "--format", "json")
        assert_error(run, 3, "is outside the folder")
        assert LEAK.search(run.out + run.err) is None


def test_deeply_nested_metadata_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one\n")
    (tmp_path / "b.txt").write_text("two\n")
    (tmp_path / "metadata.json").write_text("[" * 100_000 + "]" * 100_000)
    assert_error(invoke("compare", tmp_path), 3, "not a valid witness list")


def test_deeply_nested_collatex_json_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert_error(invoke("compare", path), 3, "deep.json: not valid JSON")


@pytest.mark.parametrize("fmt", COMPARE_FORMATS)
def test_output_equal_to_an_input_is_refused_in_every_format(fmt: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two\n")
    b.write_text("one three\n")
    link = tmp_path / "link.txt"
    link.symlink_to(b)  # the same file by another name
    for target in (b, link, tmp_path / "." / "b.txt"):
        run = invoke("compare", a, b, "--format", fmt, "-o", target)
        assert_error(run, 2, "is one of the input files; choose another -o")
        assert b.read_text() == "one three\n"


@pytest.mark.parametrize("fmt", FIDELITY_FORMATS)
def test_fidelity_output_equal_to_an_input_is_refused(fmt: str, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("one two\n")
    b.write_text("one three\n")
    assert_error(invoke("fidelity", a, b, "--format", fmt, "-o", a), 2, "is one of the input files")
    assert a.read_text() == "one two\n"


# XML: entities refused, nothing fetched or leaked, deep nesting handled


@pytest.mark.skipif(not PASSWD.exists(), reason="no /etc/passwd to leak")
@pytest.mark.parametrize("name", [n for n in CORPUS if ".xml" in n or ".hocr" in n])
def test_xml_never_leaks_a_local_file(name: str, normal: Path) -> None:
    for fmt in COMPARE_FORMATS:
        run = invoke("compare", HOSTILE / name, normal, "--format", fmt)
        assert LEAK.search(run.out + run.err) is None


PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
DEPTH = 100_000


def _deep(kind: str) -> str:
    """A file of ``kind`` whose only word sits beside ``DEPTH`` nested elements."""
    if kind == "page":
        nested = "<TextRegion>" * DEPTH + "</TextRegion>" * DEPTH
        return (
            f'<?xml version="1.0"?><PcGts xmlns="{PAGE_NS}"><Page><TextRegion id="r">'
            f"<TextEquiv><Unicode>deep</Unicode></TextEquiv>{nested}</TextRegion></Page></PcGts>"
        )
    if kind == "alto":
        nested = "<TextBlock>" * DEPTH + '<TextLine><String CONTENT="deep"/></TextLine>'
        nested += "</TextBlock>" * DEPTH
        return (
            '<?xml version="1.0"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#">'
            f"<Layout><Page><PrintSpace>{nested}</PrintSpace></Page></Layout></alto>"
        )
    word = '<div class="ocr_page"><span class="ocr_line"><span class="ocrx_word">deep'
    end = "</span></span></div></body></html>"
    if kind == "xhtml":
        nested = "<span>" * DEPTH + "</span>" * DEPTH
        return f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{word}{nested}{end}'
    # HTML that is not XML: unclosed elements and end tags that close nothing
    return f"<html><body>{word}{'<span>' * DEPTH}{'</b>' * DEPTH}<br>{end}"


@pytest.mark.parametrize("kind", ["page", "alto", "xhtml", "html"])
def test_deep_nesting(kind: str, tmp_path: Path, normal: Path) -> None:
    path = tmp_path / f"deep.{kind}"
    path.write_text(_deep(kind), encoding="utf-8")
    for args in (["compare", path, normal, "--format", "json"], ["fidelity", normal, path]):
        run = spawn(*args, timeout=60)
        assert_clean(run)
        assert run.seconds < 30 and run.peak_mb < 500, (run.seconds, run.peak_mb)
        assert "deep" in run.out


@pytest.mark.parametrize(
    "body",
    ["x<y " * 500_000, "<" * 2_000_000, '<a b="c" ' + 'b="c" ' * 300_000, "<!--" + "a" * 2_000_000],
    ids=["unclosed-tags", "lone-angles", "endless-tag", "endless-comment"],
)
def test_pathological_html_is_quick(body: str, tmp_path: Path, normal: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text('<html><body><div class="ocr_page"><span class="ocr_line">' + body)
    run = spawn("compare", path, normal, "--format", "json", timeout=60)
    assert run.seconds < 20 and run.peak_mb < 500, (run.seconds, run.peak_mb)
    if run.code:
        assert_error(run, 3, "page.html: ")


# Large inputs: bounded time and memory


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("big")
    line = folder / "line.txt"  # one line of 50 MB: one word
    with line.open("w", encoding="utf-8") as handle:
        handle.write("abcdefghij" * 5_000_000 + "\n")
    lines = folder / "lines.txt"  # a million lines of one character
    lines.write_text("".join("abcdefghij"[i % 7] + "\n" for i in range(1_000_000)))
    normal = folder / "normal.txt"
    normal.write_text(NORMAL, encoding="utf-8")
    return {"line": line, "lines": lines, "normal": normal}


MEMORY_MB = 1536  # the bound for every run on the large inputs
# `fidelity` (and the HTML page, which measures fidelity) on the 50 MB line against a short text
# needs one edit operation per character in rapidfuzz's Levenshtein.opcodes: about 3 GB. Known
# and reported (docs/robustness.md); held to this bound until it is fixed.
OPCODES_MEMORY_MB = 4096


def _big_commands(name: str, paths: dict[str, Path], out: Path) -> list[tuple[list[object], int]]:
    path, normal = paths[name], paths["normal"]
    formats = COMPARE_FORMATS if FULL or name == "line" else ["json"]
    commands: list[tuple[list[object], int]] = [(["extract", path, "-o", out / "x"], 4)]
    commands += [(["compare", path, normal, "--format", fmt], 0) for fmt in formats]
    commands += [(["fidelity", path, normal, "--format", "json"], 0)]
    if FULL:
        commands += [
            (["fidelity", normal, path], 0),
            (["compare", path, normal, "--view", "table"], 0),
        ]
    return commands


@pytest.mark.slow  # about a minute
@pytest.mark.parametrize("name", ["line", "lines"])
def test_large_inputs_in_bounded_time_and_memory(
    name: str, big: dict[str, Path], tmp_path: Path
) -> None:
    commands = _big_commands(name, big, tmp_path)

    def run(command: tuple[list[object], int]) -> tuple[list[object], int, Run]:
        args, code = command
        return args, code, spawn(*args, timeout=300)

    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores
        results = list(pool.map(run, commands))
    problems = []
    for args, code, result in results:
        label = " ".join(str(a) for a in args[:1] + args[3:])
        bound = MEMORY_MB
        if name == "line" and ("fidelity" in args or "html" in args):
            bound = OPCODES_MEMORY_MB
        if result.code != code or "Traceback" in result.err:
            problems.append(f"{label}: exit {result.code}: {result.err[-300:]}")
        if result.peak_mb > bound:
            problems.append(f"{label}: peak {result.peak_mb:.0f} MB > {bound} MB")
        print(f"{name}: {label}: {result.seconds:.1f} s, {result.peak_mb:.0f} MB")
    assert not problems, problems
    for args, code, result in results:
        if code == 0 and "compare" in args and "--view" not in args:
            check_compare(str(args[args.index("--format") + 1]), result.out)


# Inputs that went quadratic (round two): each at a size that took many seconds before, with
# a bound far above what it takes now (the machine is shared: no tight bounds)


def _seconds(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def test_shuffled_blocks_align_in_linear_time() -> None:
    """Two witnesses of the same 10-word blocks, one shuffled: 200,000 tokens took 34 s in one
    edit script; about 1 s in pieces."""
    rng = random.Random(1)
    blocks = [[rng.randrange(5000) for _ in range(10)] for _ in range(20_000)]
    a = [x for block in blocks for x in block]
    rng.shuffle(blocks)
    b = [x for block in blocks for x in block]
    assert _seconds(lambda: lcs_match(a, b)) < 12


def test_a_chain_of_hyp_elements_reads_in_linear_time() -> None:
    """One ALTO String followed by 320,000 HYP elements: each HYP copied the word it extends
    (about 17 s); about 0.2 s."""
    chain = '<HYP CONTENT="w\u00f6rd-"/>' * 320_000
    line = ET.fromstring(f'<TextLine><String CONTENT="ab"/>{chain}</TextLine>')
    words: list[list[str]] = []
    assert _seconds(lambda: words.append(_alto_words(line, False)[0])) < 4
    assert words[0] == ["ab" + "w\u00f6rd-" * 320_000]


def test_many_witnesses_choose_the_pivot_in_near_linear_time() -> None:
    """10,000 tiny witnesses: one multiset intersection per pair (50 million) ran out of
    memory; the spreads from each token's counts take about 0.2 s."""
    rng = random.Random(2)
    words = [f"w{i}" for i in range(50)]
    sides = [Side(rng.choices(words, k=rng.randint(3, 6)), b"") for _ in range(10_000)]
    order: list[list[int]] = []
    assert _seconds(lambda: order.append(spread_order(sides))) < 5
    assert sorted(order[0]) == list(range(10_000))


def test_many_witnesses_align_in_near_linear_time() -> None:
    """10,000 tiny witnesses, one sentence with a word replaced or left out now and then (the
    ``witnesses`` shape of benchmarks/growth.py): a word that joins its equals among the
    additions asked every other witness whether it adds the word (about 8 s); counts per
    word and place answer it at once (about 0.5 s)."""
    rng = random.Random(10_000)
    letters = "abcdefghijklmnopqrstuvwxyz"
    readings = [
        ["".join(rng.choices(letters, k=rng.randint(2, 9))) for _ in range(4)] for _ in range(6)
    ]
    texts = []
    for _ in range(10_000):
        words = [r[0] if rng.random() < 0.7 else rng.choice(r) for r in readings]
        texts.append(" ".join(w for w in words if rng.random() > 0.05))
    witnesses = [load_witness(t, f"w{n}") for n, t in enumerate(texts)]
    preset = CollationOptions().normalization
    tokens = [_prepare((w, preset))[1] for w in witnesses]
    table: list[Alignment] = []
    assert _seconds(lambda: table.append(align(tokens, AlignmentOptions()))) < 4
    for w, column in enumerate(tokens):
        assert [k for k in table[0].rows[w] if k != -1] == list(range(len(column)))


@pytest.mark.slow  # about 5 s
def test_far_moves_in_a_repeating_text_with_a_lacuna_in_near_linear_time() -> None:
    """Three witnesses of 210,000 words of a prose-like text that repeats itself, one lacking
    its first half, two with blocks moved far: each candidate block walked the lacuna and
    searched between its places, and each shared run was walked from every pair in it (the
    transpositions took 377 s); about 2 s."""
    growth = script_module("benchmarks/growth.py")
    rng = random.Random(3)
    words = growth.vocabulary(rng, 5000)
    text = rng.choices(words, weights=[1 / (r + 1) for r in range(5000)], k=35_000) * 6
    moved = partial(growth.moved_blocks, rng)
    texts = [text, moved(text[100_000:], 100), moved(text, 200)]
    witnesses = [load_witness(" ".join(t), s) for t, s in zip(texts, "abc", strict=True)]
    preset = CollationOptions().normalization
    tokens = [_prepare((w, preset))[1] for w in witnesses]
    table = align(tokens, AlignmentOptions())
    options = VariantOptions()
    units = find_variants(table, options)
    found: list[tuple[Variant, ...]] = []
    assert _seconds(lambda: found.append(find_transpositions(table, units, options))) < 40
    assert sum(v.moved is not None for v in found[0]) > 0


def test_check_helpers_catch_what_they_should() -> None:
    """The checks above would notice the failures they look for."""
    with pytest.raises(AssertionError):
        check_terminal("a \x1b[31m red")
    with pytest.raises(AssertionError):
        check_html('<html><script></script><script></script><img src=x onerror="x"></html>')
    with pytest.raises(etree.XMLSyntaxError):
        check_tei("<TEI>\x01</TEI>")
    with pytest.raises(AssertionError):
        assert_error(Run(1, "", "Traceback (most recent call last):\nError: x\n"), 1, "x")
