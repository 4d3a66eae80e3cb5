"""Deterministic archives for the batch tests and benchmark: records, witness folders,
manifests, with seeded OCR-like edits and a few broken documents.

The prose comes from the repository's own texts (the memo's transcript and the OCR test
data); ``random.Random(seed)`` picks passages and edits, so an archive is the same on every
machine.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXTS = (
    ROOT / "witnesses" / "harriman-1944-09-23" / "transcript.txt",
    ROOT / "tests" / "data" / "ocr" / "lorem-ipsum-scan-bad.gt.extracted.txt",
    ROOT / "tests" / "data" / "ocr" / "test-gt.extracted.txt",
)
CONFUSIONS = (
    ("rn", "m"), ("m", "rn"), ("e", "c"), ("l", "1"), ("I", "l"), ("o", "0"), ("h", "b"),
    ("u", "n"), ("cl", "d"), ("w", "vv"), ("i", "l"), ("t", "f"), (",", "."), (".", ","),
)  # fmt: skip
BROKEN = {
    "zz-binary": "binary",
    "zz-empty": "empty",
    "zz-latin1": "invalid UTF-8",
    "zz-unsplittable": "a record that cannot be split",
}


@dataclass
class Archive:
    """A generated archive: its path, good document names, broken ones (name -> what)."""

    path: Path
    names: list[str] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)

    @property
    def all_names(self) -> list[str]:
        return sorted([*self.names, *self.broken])


def _words() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in SEED_TEXTS)
    return [w for w in text.replace("**", "").split() if not w.startswith("[")]


WORDS = _words()


def passage(rng: random.Random, low: int, high: int) -> str:
    """A passage of ``low..high`` words, in lines of about 60 characters and paragraphs."""
    n = rng.randint(low, high)
    start = rng.randrange(len(WORDS) - n)
    lines: list[str] = []
    line: list[str] = []
    for word in WORDS[start : start + n]:
        line.append(word)
        if sum(len(w) + 1 for w in line) > 60:
            lines.append(" ".join(line))
            line = []
            if rng.random() < 0.15:
                lines.append("")
    if line:
        lines.append(" ".join(line))
    return "\n".join(lines) + "\n"


def ocr_edits(rng: random.Random, text: str, rate: float) -> str:
    """``text`` with seeded OCR-like errors (confusions, drops, specks) at about ``rate``."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != "\n" and rng.random() < rate:
            roll = rng.random()
            for source, target in CONFUSIONS:
                if text.startswith(source, i) and roll < 0.7:
                    out.append(target)
                    i += len(source)
                    break
            else:
                if roll < 0.85:
                    i += 1  # a dropped character
                else:
                    out.append(rng.choice(".,'-|"))
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def record_text(number: int, scan: str, transcript: str) -> str:
    """An archive record holding a scan text and its transcript."""
    heading = f"DOCUMENT {number:05d}"
    return (
        f"**May {1 + number % 28}, 1950**\n\n**Generated document {number}**\n\n"
        f"**Citation:**\n\nGenerated for the batch tests <https://example.org/d/{number}>.\n\n"
        "**Contents:**\n\nOriginal Scan  \nTranscript - English\n\n"
        f"{heading}\n\n{scan}\n{heading}\n\n{transcript}"
    )


def _pair(rng: random.Random, words: tuple[int, int], rate: float) -> tuple[str, str]:
    transcript = passage(rng, *words)
    return ocr_edits(rng, transcript, rate), transcript


def make_records(
    root: Path,
    count: int,
    seed: int = 1,
    words: tuple[int, int] = (40, 120),
    rate: float = 0.03,
    broken: bool = True,
) -> Archive:
    """A folder of ``count`` record files (``doc-00001.txt``, ...), plus the broken ones."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    archive = Archive(root)
    for number in range(1, count + 1):
        scan, transcript = _pair(rng, words, rate)
        name = f"doc-{number:05d}"
        (root / f"{name}.txt").write_text(record_text(number, scan, transcript), encoding="utf-8")
        archive.names.append(name)
    if broken:
        (root / "zz-binary.txt").write_bytes(bytes(range(256)) * 4)
        (root / "zz-empty.txt").write_bytes(b"")
        latin = record_text(0, "Caf\u00e9 au lait.\n", "Caf\u00e9 au lait.\n")
        (root / "zz-latin1.txt").write_bytes(latin.encode("latin-1"))
        (root / "zz-unsplittable.txt").write_text("Just a letter.\n\nNo fields.\n")
        archive.broken.update(BROKEN)
    return archive


def make_folders(root: Path, count: int, seed: int = 2, witnesses: int = 2) -> Archive:
    """A folder of ``count`` witness folders, each with ``transcript.txt`` (the first, by
    name order) and ``witnesses - 1`` OCR files ``x-ocr1.txt``, ..."""
    rng = random.Random(seed)
    archive = Archive(root)
    for number in range(1, count + 1):
        folder = root / f"folder-{number:04d}"
        folder.mkdir(parents=True)
        transcript = passage(rng, 30, 80)
        (folder / "a-transcript.txt").write_text(transcript, encoding="utf-8")
        for k in range(1, witnesses):
            text = ocr_edits(rng, transcript, 0.04)
            (folder / f"x-ocr{k}.txt").write_text(text, encoding="utf-8")
        archive.names.append(folder.name)
    return archive


def make_manifest(root: Path, count: int, fmt: str, seed: int = 3) -> tuple[Path, Archive]:
    """Witness files under ``root/files`` and a manifest of them (``csv`` or ``json``)."""
    rng = random.Random(seed)
    files = root / "files"
    files.mkdir(parents=True)
    archive = Archive(files)
    documents: list[tuple[str, list[tuple[str, str]]]] = []
    for number in range(1, count + 1):
        name = f"m-{number:03d}"
        scan, transcript = _pair(rng, (30, 60), 0.03)
        (files / f"{name}.gt.txt").write_text(transcript, encoding="utf-8")
        (files / f"{name}.ocr.txt").write_text(scan, encoding="utf-8")
        documents.append((name, [("gt", f"files/{name}.gt.txt"), ("ocr", f"files/{name}.ocr.txt")]))
        archive.names.append(name)
    if fmt == "csv":
        manifest = root / "manifest.csv"
        with manifest.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["document", "siglum", "path"])
            for name, witnesses in documents:
                writer.writerows([name, siglum, path] for siglum, path in witnesses)
    else:
        manifest = root / "manifest.json"
        data = {
            "documents": [
                {"id": name, "witnesses": [{"siglum": s, "path": p} for s, p in witnesses]}
                for name, witnesses in documents
            ]
        }
        manifest.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return manifest, archive
