"""Records: the stage before reading, which splits an archive record into its witnesses.

In: the text of one *record* as an archive website publishes a document page (dumped as
Markdown-ish text) and the record's name for messages. The record opens with a header of bold
lines (date, title) and fields introduced by bold labels on a line of their own (``**Citation:**``,
``**Contents:**``, ...); the Contents field lists the witnesses, one per line; the body after that
list holds the witnesses' texts one after another (e.g. the OCR text of the scan, then a retyped
transcript that opens with a heading repeating a line of the scan text).

Out: a :class:`Record` with the header fields and one :class:`RecordPart` per Contents item, and
:func:`record_metadata`, the JSON object describing the split. No I/O: the CLI reads the record
and writes ``<siglum>.txt`` plus the metadata.

Line numbers are 1-based lines of the record; character offsets index the text passed to
:func:`split_record` as given (a leading BOM, if any, counts as character 0).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from collate._lcs import lcs_length
from collate.errors import RecordError

SCHEMA_VERSION = 1
RECORD_FILE = "record.txt"  # the copy of the record that ``collate extract`` writes
# Sigla that would name a witness file ``<siglum>.txt`` equal to the record copy.
RESERVED_SIGLA = frozenset({RECORD_FILE.removesuffix(".txt")})
MIN_SIMILARITY = 0.5  # consecutive witnesses must share at least this much of their words
MAX_SPLITS = 2000  # most candidate splits compared for one record

_Words = Sequence[Sequence[int]]  # the word ids of each line
_BOM = "\ufeff"
_LABEL = re.compile(r"\*\*([^*\n]*[^\W\d_][^*\n]*?):\*\*|\*\*([^*\n]*[^\W\d_][^*\n]*?)\*\*:")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+)>")
_URL = re.compile(r"https?://[^\s<>\"]+")
_WORD = re.compile(r"[^\W_]+")
_DATE = re.compile(  # "September 23, 1944", "23 September 1944", "September 1944", "1944-09-23"
    r"(?:(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)(?:\s+\d{1,2})?,?\s+)?\d{4}|\d{4}-\d{2}(?:-\d{2})?"
)


@dataclass(frozen=True)
class RecordPart:
    """One witness found in the record.

    ``text`` is the witness's lines exactly as in the record, joined by ``"\\n"``, with a final
    ``"\\n"``; it equals ``record[start:end]``, except that when the record's last line has no
    newline, ``end == len(record)`` and ``text`` adds the final ``"\\n"``.
    """

    siglum: str
    label: str
    first_line: int
    last_line: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Record:
    """An archive record: its header fields and its witnesses."""

    title: str
    date: str
    citation: str
    source: str
    summary: str
    original_language: str
    fields: tuple[tuple[str, str], ...]
    contents: tuple[str, ...]
    parts: tuple[RecordPart, ...]
    renamed: tuple[tuple[str, str], ...] = ()  # (siglum, the one given instead): reserved


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    start: int  # offset of the line in the text passed in
    end: int  # offset after its "\n" (or the end of the text)
    text: str  # without the "\n"

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_record(text: str, name: str) -> Record:
    """Split the record ``text`` (decoded, LF line ends) named ``name`` into its witnesses."""
    shift = 1 if text.startswith(_BOM) else 0
    lines = _lines(text[shift:], shift)
    labels = [i for i, line in enumerate(lines) if _label(line.text)]
    if not labels:
        raise RecordError(
            f"{name}: not an archive record: found no bold field labels such as **Citation:** or"
            " **Contents:** on a line of their own; pass the witness files to 'collate compare'"
            " directly instead"
        )
    at = _contents_label(lines, labels, name)
    heads = [i for i in labels if i <= at]  # fields after Contents belong to the body
    fields = tuple(_field(lines, i, j) for i, j in zip(heads, [*heads[1:], at], strict=True))
    items, body_start = _contents(lines, at)
    _check_contents(items, lines[at], name)
    sigla, renamed = _unreserved(_sigla(items))
    parts = _split_body(lines[body_start:], items, sigla, lines[at], name)
    values = {label.casefold(): value for label, value in fields}
    citation = values.get("citation", "")
    date, title = _date_and_title(lines[: labels[0]])
    return Record(
        title=title,
        date=date,
        citation=citation,
        source=_source(citation),
        summary=values.get("summary", ""),
        original_language=values.get("original language", ""),
        fields=fields,
        contents=items,
        parts=parts,
        renamed=renamed,
    )


def record_metadata(record: Record, record_file: str) -> dict[str, object]:
    """The metadata JSON object of a split record; ``record_file`` names the record file."""
    return {
        "schema_version": SCHEMA_VERSION,
        "title": record.title,
        "date": record.date,
        "citation": record.citation,
        "source": record.source,
        "summary": record.summary,
        "original_language": record.original_language,
        "contents": list(record.contents),
        "record": record_file,
        "witnesses": [
            {
                "siglum": part.siglum,
                "label": part.label,
                "file": f"{part.siglum}.txt",
                "record_lines": [part.first_line, part.last_line],
                "record_offsets": [part.start, part.end],
            }
            for part in record.parts
        ],
    }


def _sigla(items: Sequence[str]) -> tuple[str, ...]:
    """Sigla for Contents items: the last word before " - ", or the item's slug if not unique."""
    short = [_slug(item.split(" - ")[0].split()[-1] if item.split() else "") for item in items]
    sigla = [
        s if s and short.count(s) == 1 else _slug(item)
        for s, item in zip(short, items, strict=True)
    ]
    return tuple(
        s if s and sigla.count(s) == 1 else f"{s or 'witness'}-{i}"
        for i, s in enumerate(sigla, start=1)
    )


def _unreserved(sigla: Sequence[str]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """``sigla`` with each reserved one (see :data:`RESERVED_SIGLA`) given the first free
    ``-2``, ``-3`` ...; and the renamings, as (siglum, new siglum)."""
    result, renamed = list(sigla), []
    for i, siglum in enumerate(sigla):
        if siglum in RESERVED_SIGLA:
            n = 2
            while f"{siglum}-{n}" in result:
                n += 1
            result[i] = f"{siglum}-{n}"
            renamed.append((siglum, result[i]))
    return tuple(result), tuple(renamed)


# -- header -----------------------------------------------------------------------------------


def _lines(text: str, shift: int) -> tuple[_Line, ...]:
    result: list[_Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        end = min(offset + len(raw) + 1, len(text))
        result.append(_Line(number, offset + shift, end + shift, raw))
        offset = end
    if not text or text.endswith("\n"):
        result.pop()  # the "" after a final newline is not a line
    return tuple(result)


def _label(line: str) -> str:
    match = _LABEL.fullmatch(line.strip())
    return (match.group(1) or match.group(2)).strip() if match else ""


def _contents_label(lines: Sequence[_Line], labels: Sequence[int], name: str) -> int:
    for i in labels:
        if _label(lines[i].text).casefold() == "contents":
            return i
    found = ", ".join(f"**{_label(lines[i].text)}:**" for i in labels)
    raise RecordError(
        f"{name}: the record header has no **Contents:** field listing its witnesses (found"
        f" {found}); add the Contents list, or split the record by hand into one file per witness"
    )


def _field(lines: Sequence[_Line], at: int, next_at: int) -> tuple[str, str]:
    """The label at ``at`` and its value: the paragraphs up to the label at ``next_at``."""
    if at == next_at:  # Contents: its value is one paragraph, then the body starts
        items, _ = _contents(lines, at)
        return _label(lines[at].text), "\n".join(items)
    paragraphs = _paragraphs(lines[at + 1 : next_at])
    return _label(lines[at].text), "\n\n".join(_markdown_text(p) for p in paragraphs)


def _paragraphs(lines: Sequence[_Line]) -> list[list[str]]:
    result: list[list[str]] = [[]]
    for line in lines:
        if not line.blank:
            result[-1].append(line.text)
        elif result[-1]:
            result.append([])
    return [p for p in result if p]


def _markdown_text(paragraph: Sequence[str]) -> str:
    """A paragraph without markup; a line ending in two spaces is a line break, else a space."""
    joined = paragraph[0]
    for line in paragraph[1:]:
        joined += ("\n" if joined.endswith("  ") else " ") + line
    return "\n".join(" ".join(_unmark(line).split()) for line in joined.split("\n"))


def _unmark(text: str) -> str:
    text = _AUTOLINK.sub(r"\1", text.replace("**", "").replace("~~", ""))
    return _ESCAPE.sub(r"\1", text)


def _contents(lines: Sequence[_Line], at: int) -> tuple[tuple[str, ...], int]:
    """The Contents items after the label at ``at`` and the index of the line after them."""
    i = at + 1
    while i < len(lines) and lines[i].blank:
        i += 1
    items: list[str] = []
    while i < len(lines) and not lines[i].blank:
        items.append(" ".join(_unmark(lines[i].text).split()))
        i += 1
    return tuple(item for item in items if item), i


def _check_contents(items: Sequence[str], label: _Line, name: str) -> None:
    if len(items) < 2:
        listed = f"1 witness ({items[0]})" if items else "no witnesses"
        raise RecordError(
            f"{name}:{label.number}: the **Contents:** field lists {listed}, but collating needs"
            " at least 2; list each witness on its own line under **Contents:**, or pass the"
            " witness files to 'collate compare' directly"
        )


def _date_and_title(header: Sequence[_Line]) -> tuple[str, str]:
    bold = [p for p in _paragraphs(header) if p[0].lstrip().startswith("**")]
    texts = [" ".join(_unmark(" ".join(p)).split()) for p in bold]
    dates = [t.rstrip(".") for t in texts if _DATE.fullmatch(t.rstrip("."))]
    titles = [t for t in texts if not _DATE.fullmatch(t.rstrip("."))]
    return (dates[0] if dates else "", titles[0] if titles else "")


def _source(citation: str) -> str:
    match = _URL.search(citation)
    return match.group(0).rstrip(".,;)") if match else ""


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


# -- body -------------------------------------------------------------------------------------


def _split_body(
    body: Sequence[_Line], items: Sequence[str], sigla: Sequence[str], label: _Line, name: str
) -> tuple[RecordPart, ...]:
    what = f"{len(items)} witnesses ({', '.join(items)})"
    filled = [i for i, line in enumerate(body) if not line.blank]
    if not filled:
        raise RecordError(
            f"{name}:{label.number}: the record has no text after its **Contents:** list, where"
            f" the texts of its {what} should follow; check that the record was saved whole"
        )
    candidates = _headings(body)
    if len(candidates) < len(items) - 1:
        raise RecordError(
            f"{name}: cannot split the record into its {what}: {_looked(sigla, len(candidates))}"
        )
    words = _word_ids(body)
    starts, score = _best_split(words, filled[0], candidates, len(items))
    if score < MIN_SIMILARITY:
        where = ", ".join(f"line {body[i].number} ({_key(body[i].text)!r})" for i in starts[1:])
        raise RecordError(
            f"{name}: cannot split the record into its {what}: the best split, at {where}, leaves"
            f" witnesses only {score:.0%} alike (at least {MIN_SIMILARITY:.0%} needed); split the"
            " record by hand into one file per witness"
        )
    spans = _spans(starts, len(body))
    return tuple(
        _part(body[start:end], siglum, item)
        for (start, end), siglum, item in zip(spans, sigla, items, strict=True)
    )


def _looked(sigla: Sequence[str], found_count: int) -> str:
    if len(sigla) == 2:
        found = f"a heading of the {sigla[1]} that repeats a line of the {sigla[0]} text"
    else:
        later = f"{', '.join(sigla[1:-1])} and {sigla[-1]}"
        found = f"headings opening the {later} witnesses, each repeating a line of the text before"
    how_many = f"only {found_count}" if found_count else "none"
    return (
        f"looked for {found} (a line after a blank line, markup ignored) and found {how_many};"
        " split the record by hand into one file per witness"
    )


def _word_ids(body: Sequence[_Line]) -> list[list[int]]:
    """Each line's lowercased words, as ids (equal words, equal ids) for fast comparison."""
    ids: dict[str, int] = {}
    words = [_WORD.findall(_unmark(line.text).lower()) for line in body]
    return [[ids.setdefault(word, len(ids)) for word in line] for line in words]


def _key(line: str) -> str:
    return " ".join(_unmark(line).split())


def _headings(body: Sequence[_Line]) -> list[int]:
    """Lines that open a paragraph and repeat an earlier line of the body."""
    keys = [_key(line.text) for line in body]
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    return [i for i, key in enumerate(keys) if key and first[key] < i and body[i - 1].blank]


def _best_split(
    words: _Words, first: int, candidates: Sequence[int], count: int
) -> tuple[tuple[int, ...], float]:
    """Part starts whose consecutive parts are most alike, and their least similarity.

    Two parts of m and n words with c words in common (:class:`_Common`) have the similarity
    2c / (m + n), the Indel similarity when c is their longest common subsequence.
    Splits are tried from the most to the least evenly sized: that similarity is at most
    2 min(m, n) / (m + n), so the search stops once that bound falls below the best similarity
    found. With two parts, a split whose parts have c words in common bounds every other:
    moving the split by d words changes c by at most d, so a split that cannot beat the best
    that way is not compared at all (:class:`_Nearby`).
    """
    before = list(itertools.accumulate((len(w) for w in words), initial=0))
    splits = [(first, *cut) for cut in _cuts(before, candidates, count - 1)]
    splits.sort(key=lambda starts: -_bound(starts, before))
    best, best_starts = (-1.0, -1.0), splits[0]
    common = _Common(words)
    nearby = _Nearby(common, before) if count == 2 else None
    for starts in splits:
        if _bound(starts, before) < best[0]:
            break
        if nearby is not None and not nearby.may_reach(starts, best[0]):
            continue
        score = _score(common, before, starts)
        if score > best:
            best, best_starts = score, starts
    return best_starts, best[0]


class _Common:
    """Words in common of consecutive parts, each pair measured once.

    Their longest common subsequence when the two parts have at most ``EXACT_CELLS`` word
    pairs; beyond, that of each stretch between the anchors :func:`collate._lcs.lcs_match`
    finds (:func:`collate._lcs.lcs_length`): time near-linear in the parts' words, where the
    longest common subsequence of the whole takes time growing with their product.
    """

    def __init__(self, words: _Words) -> None:
        self._words = words
        self._known: dict[tuple[int, int, int], int] = {}

    def __call__(self, start: int, middle: int, end: int) -> int:
        """Words in common of the lines ``start:middle`` and ``middle:end``."""
        key = (start, middle, end)
        if key not in self._known:
            a, b = (
                list(itertools.chain.from_iterable(self._words[x:y]))
                for x, y in ((start, middle), (middle, end))
            )
            self._known[key] = lcs_length(a, b)
        return self._known[key]


class _Nearby:
    """Upper bounds on the similarity of two-part splits from the splits measured so far.

    Parts A | B of T words in all, with c words in common, have the similarity 2c / T. Moving
    d words from B to A (or back) gives parts whose longest common subsequence is at most
    c + d, whatever the words. One measurement per split tried thus rules out its neighbours
    that could not beat the best similarity.
    """

    def __init__(self, common: _Common, before: Sequence[int]) -> None:
        self._common = common
        self._before = before
        self._measured: list[tuple[int, int]] = []  # (words before the split, c)

    def may_reach(self, starts: Sequence[int], best: float) -> bool:
        """Whether the split ``starts`` could have a similarity above ``best``; measures it
        when no split measured so far rules it out."""
        total = self._before[-1] - self._before[starts[0]]
        at = self._before[starts[1]]
        if not total:
            return True
        if any(
            2 * (common + abs(at - where)) < best * total - 1e-9 * total
            for where, common in self._measured
        ):
            return False
        common = self._common(starts[0], starts[1], len(self._before) - 1)
        self._measured.append((at, common))
        return 2 * common >= best * total - 1e-9 * total


def _bound(starts: Sequence[int], before: Sequence[int]) -> float:
    """The highest similarity consecutive parts of these sizes could have."""
    sizes = [before[b] - before[a] for a, b in _spans(starts, len(before) - 1)]
    return min(2 * min(m, n) / (m + n) if m + n else 1.0 for m, n in pairwise(sizes))


def _score(common: _Common, before: Sequence[int], starts: Sequence[int]) -> tuple[float, float]:
    """(least, total) similarity of consecutive parts.

    A similarity is ``1 - (m + n - 2c) / (m + n)`` for parts of m and n words with c in common,
    computed as rapidfuzz computes the Indel similarity, so that equal splits score equal.
    """
    spans = list(_spans(starts, len(before) - 1))
    sims = []
    for (x, y), (_, z) in pairwise(spans):
        total = before[z] - before[x]
        distance = total - 2 * common(x, y, z)
        sims.append(1.0 - distance / total if total else 1.0)
    return min(sims), sum(sims)


def _spans(starts: Sequence[int], end: int) -> Iterator[tuple[int, int]]:
    return zip(starts, (*starts[1:], end), strict=True)


def _cuts(before: Sequence[int], heads: Sequence[int], slots: int) -> Iterator[tuple[int, ...]]:
    """Increasing tuples of ``slots`` heading lines, at most about MAX_SPLITS of them.

    With many headings, each slot keeps those nearest (in words, ``before[i]`` words precede
    line ``i``) to where it would fall if the witnesses were equally long.
    """
    if math.comb(len(heads), slots) <= MAX_SPLITS:
        yield from itertools.combinations(heads, slots)
        return
    per_slot = max(1, math.floor(MAX_SPLITS ** (1 / slots)))
    shortlists = [
        sorted(heads, key=lambda i: abs(before[i] - before[-1] * k / (slots + 1)))[:per_slot]
        for k in range(1, slots + 1)
    ]
    for cut in itertools.product(*shortlists):
        if all(a < b for a, b in pairwise(cut)):
            yield cut


def _part(lines: Sequence[_Line], siglum: str, label: str) -> RecordPart:
    kept = lines[: 1 + max(i for i, line in enumerate(lines) if not line.blank)]
    return RecordPart(
        siglum=siglum,
        label=label,
        first_line=kept[0].number,
        last_line=kept[-1].number,
        start=kept[0].start,
        end=kept[-1].end,
        text="".join(line.text + "\n" for line in kept),
    )
