"""Batch work: one :class:`Job` (a document, OUTDIR, the options) -> one :class:`Outcome`.

This is what a worker process runs, locally or on a Dask worker: hash the inputs, skip the
document when they and the options are those already recorded, else read, collate, measure
(the fidelity of every other witness against the base) and write the reports into
``OUTDIR/<document>/``, each atomically. It never raises: a document that fails gives an
outcome with its error, so one bad document never stops a batch. It never touches the
database: the coordinating process records outcomes (``store.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from collate._flags import flag
from collate._gc import paused_gc
from collate.batch.inputs import Checksum, checksum, input_files, read_document
from collate.batch.outdir import Output, is_reserved, relative, remove_leftovers
from collate.batch.sources import Document, Layout
from collate.errors import CollateError, OutputError, UsageError
from collate.fidelity import Fidelity, measure_fidelity
from collate.files import make_folder, write_atomic
from collate.metrics import CountingRules, EditCounts
from collate.model import Category, Witness
from collate.pipeline import Collation, CollationOptions, collate
from collate.readers import ReadOptions, SourceFormat, with_tei
from collate.render.formats import render_pieces

# options added after the first, at their defaults
LATER: dict[str, object] = {
    "input_format": "auto",
    "allow_outside": False,
    "tei_choice": "edited",
    "tei_corrections": "after",
    "tei_divs": (),
}


@dataclass(frozen=True)
class WorkOptions:
    """The options that shape a document's results (recorded, and part of its key)."""

    normalization: str = "default"
    base: str | None = None
    near_match: float = 0.7
    encoding: str = "utf-8"
    ignore_case: bool = False
    ignore_punctuation: bool = False
    html: bool = False
    tei: bool = False
    input_format: str = "auto"
    allow_outside: bool = False
    tei_choice: str = "edited"  # as --tei-choice
    tei_corrections: str = "after"  # as --tei-corrections
    tei_divs: tuple[str, ...] = ()  # as --tei-div

    def to_json(self) -> str:
        """The options as canonical JSON (sorted keys); the options of :data:`LATER` are left
        out at their defaults, so that documents recorded before they existed keep their
        keys."""
        data = asdict(self)
        for name, default in LATER.items():
            if data[name] == default:
                del data[name]
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    def read_options(self) -> ReadOptions:
        """How the document's files are read."""
        source = None if self.input_format == "auto" else SourceFormat(self.input_format)
        read = ReadOptions(encoding=self.encoding, source=source, allow_outside=self.allow_outside)
        return with_tei(read, self.tei_choice, self.tei_corrections, self.tei_divs)

    def outputs(self) -> tuple[Output, ...]:
        """The reports these options ask for."""
        return (
            Output.JSON,
            *((Output.HTML,) if self.html else ()),
            *((Output.TEI,) if self.tei else ()),
        )


@dataclass(frozen=True)
class Recorded:
    """What the database holds for a document: its key and its outputs."""

    key: str | None
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class Job:
    """One document to process."""

    document: Document
    outdir: str
    options: WorkOptions
    recorded: Recorded | None = None
    force: bool = False


@dataclass(frozen=True)
class PairFigures:
    """The fidelity of one hypothesis witness against the reference (the base): all text, and
    text only (page furniture and markup left out)."""

    reference: str
    hypothesis: str
    chars: EditCounts
    words: EditCounts
    chars_text: EditCounts
    words_text: EditCounts


@dataclass(frozen=True)
class WitnessInfo:
    """A witness as read."""

    siglum: str
    label: str
    path: str | None
    format: str
    markup: str
    tokens: int


@dataclass(frozen=True)
class Timings:
    """Seconds spent on each step, and in all."""

    read: float = 0.0
    collate: float = 0.0
    measure: float = 0.0
    render: float = 0.0
    total: float = 0.0


@dataclass(frozen=True)
class Outcome:
    """What became of one document. ``key`` is ``None`` when it must be redone next time."""

    name: str
    inputs: tuple[Checksum, ...] = ()
    key: str | None = None
    skipped: bool = False
    error: str | None = None
    error_type: str | None = None
    witnesses: tuple[WitnessInfo, ...] = ()
    base: str | None = None
    variants: tuple[tuple[Category, int], ...] = ()
    pairs: tuple[PairFigures, ...] = ()
    outputs: tuple[str, ...] = ()
    timings: Timings = field(default_factory=Timings)
    worker: str = ""


def document_key(inputs: Sequence[Checksum], options: WorkOptions) -> str:
    """SHA-256 over the input paths and checksums and the options."""
    data = json.dumps([[[c.path, c.sha256] for c in inputs], options.to_json()])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def worker_name() -> str:
    """``host:pid`` of the process doing the work."""
    return f"{socket.gethostname()}:{os.getpid()}"


def process_chunk(jobs: Sequence[Job]) -> tuple[Outcome, ...]:
    """:func:`process` each job (the unit of work sent to a worker process)."""
    return tuple(process(job) for job in jobs)


def process(job: Job) -> Outcome:
    """Process one document; never raises."""
    with paused_gc():
        return _process(job)


def _process(job: Job) -> Outcome:
    clock = _Clock()
    name = job.document.name
    inputs: list[Checksum] = []
    key: str | None = None
    try:
        if is_reserved(name):
            raise UsageError(f"{name}: the name of one of OUTDIR's own files; rename the document")
        record: bytes | None = None
        for path in input_files(job.document):
            found, data = checksum(path)
            inputs.append(found)
            record = data if job.document.layout is Layout.RECORDS else None
        key = document_key(inputs, job.options)
        if _unchanged(job, key):
            return Outcome(name, tuple(inputs), key, skipped=True, worker=worker_name())
        return _work(job, record, tuple(inputs), key, clock)
    except Exception as error:
        retry = isinstance(error, OutputError) or not isinstance(error, CollateError)
        # recorded for the batch's report: parameters named by the batch command's flags
        message = error.message(flag) if isinstance(error, CollateError) else _internal(name, error)
        return Outcome(
            name,
            tuple(inputs),
            None if retry else key,
            error=message,
            error_type=type(error).__name__,
            timings=clock.timings(),
            worker=worker_name(),
        )


def _internal(name: str, error: Exception) -> str:
    text = " ".join(str(error).split())
    return f"{name}: internal error ({type(error).__name__}: {text}); please report it"


def _unchanged(job: Job, key: str) -> bool:
    recorded = job.recorded
    if job.force or recorded is None or recorded.key != key:
        return False
    return all((Path(job.outdir) / path).is_file() for path in recorded.outputs)


class _Clock:
    """Seconds between laps."""

    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self.last
        self.last = now

    def timings(self) -> Timings:
        return Timings(**self.laps, total=time.perf_counter() - self.start)


def _work(
    job: Job, record: bytes | None, inputs: tuple[Checksum, ...], key: str, clock: _Clock
) -> Outcome:
    options = job.options
    witnesses, title = read_document(job.document, record, options.read_options())
    hashed = _hash_unlisted(inputs, witnesses)
    clock.lap("read")
    collation_options = CollationOptions(
        normalization=options.normalization,
        base=options.base,
        near_match=options.near_match,
        jobs=1,  # batch spreads documents over the cores instead
    )
    collation = collate(witnesses, collation_options)
    clock.lap("collate")
    rules = CountingRules(options.ignore_case, options.ignore_punctuation)
    fidelities = _measure(collation, collation_options, rules)
    clock.lap("measure")
    outputs = _write(job, collation, fidelities, title)
    clock.lap("render")
    counts = Counter(v.category for v in collation.variants)
    return Outcome(
        name=job.document.name,
        inputs=hashed,
        key=key if hashed == inputs else document_key(hashed, options),
        witnesses=tuple(_info(w, len(t)) for w, t in zip(witnesses, collation.tokens, strict=True)),
        base=collation.base,
        variants=tuple((c, counts[c]) for c in Category),
        pairs=tuple(_figures(f) for f in fidelities),
        outputs=outputs,
        timings=clock.timings(),
        worker=worker_name(),
    )


def _hash_unlisted(
    inputs: tuple[Checksum, ...], witnesses: Sequence[Witness]
) -> tuple[Checksum, ...]:
    """``inputs`` plus any witness file read that was not hashed beforehand."""
    known = {c.path for c in inputs}
    extra = [
        checksum(Path(w.path))[0] for w in witnesses if w.path is not None and w.path not in known
    ]
    return (*inputs, *extra)


def _info(witness: Witness, tokens: int) -> WitnessInfo:
    return WitnessInfo(
        witness.siglum,
        witness.label,
        witness.path,
        witness.source_format,
        witness.markup_format.value,
        tokens,
    )


def _measure(
    collation: Collation, options: CollationOptions, rules: CountingRules
) -> tuple[Fidelity, ...]:
    """The fidelity of every witness but the base against the base, in witness order."""
    if len(collation.witnesses) == 2:
        return (measure_fidelity(collation, rules),)
    base = next(w for w in collation.witnesses if w.siglum == collation.base)
    return tuple(
        measure_fidelity(collate([base, w], options), rules)
        for w in collation.witnesses
        if w.siglum != collation.base
    )


def _figures(fidelity: Fidelity) -> PairFigures:
    return PairFigures(
        fidelity.reference,
        fidelity.hypothesis,
        fidelity.measures.chars,
        fidelity.measures.words,
        fidelity.text_only.chars,
        fidelity.text_only.words,
    )


def _write(
    job: Job, collation: Collation, fidelities: Sequence[Fidelity], title: str
) -> tuple[str, ...]:
    """Write the reports atomically; their paths relative to OUTDIR."""
    name = job.document.name
    folder = Path(job.outdir) / name
    make_folder(folder)
    outputs = job.options.outputs()
    remove_leftovers(folder, outputs)
    pair = fidelities[0] if len(fidelities) == 1 else None  # HTML's figures, as measured here
    for output in outputs:
        pieces = render_pieces(collation, output.value, title=title, fidelity=pair)
        write_atomic(folder / output.file_name, pieces)
    return tuple(relative(name, output) for output in outputs)
