"""Run every shell example in README.md and docs/ and check (or rewrite) the output shown.

An example is a ```` ```console ```` block: lines starting with ``$ `` are commands (a command
whose quotes are open, that ends with a backslash or that opens a here-document goes on to
the next lines), the lines
after each command are its output (stdout and stderr, as a terminal shows them); a block whose
last command shows no output and that is followed at once (blank lines between) by a
```` ```json ```` or ```` ```text ```` block has its output there. The commands
of a page run in order in one bash session, in a scratch folder that links ``witnesses`` and
``tests`` of the project, so that examples build on each other as a reader would type them;
``/tmp`` in a command stands for a scratch folder of its own. ``collate`` is the one of the
running Python. Blocks whose commands are all ``--help`` are left to
``scripts/cli_reference.py``, which writes them.

    python scripts/doc_examples.py           # rewrite the outputs shown
    python scripts/doc_examples.py --check   # exit 1 and name each stale example
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
MARK = "\x1e--doc-example-{}--\x1e"  # printed between the outputs of two commands
LINKED = ("witnesses", "tests")


@dataclass
class Example:
    """One command of a page: where its output stands (line indexes) and what it shows."""

    command: str
    first: int  # the index of the first output line
    end: int  # one past the last
    shown: list[str]


_HEREDOC = re.compile(r"<<-?\s*'?(\w+)'?")


def _complete(command: str) -> bool:
    if command.endswith("\\"):
        return False
    heredoc = _HEREDOC.search(command.splitlines()[0])
    if heredoc:  # a here-document: to its terminator line
        return command.splitlines()[-1] == heredoc.group(1) and "\n" in command
    try:
        shlex.split(command)
    except ValueError:  # an open quote
        return False
    return True


def examples(lines: list[str]) -> list[Example]:
    """The commands of a page's console blocks, in order."""
    found: list[Example] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        end = next(k for k in range(i + 1, len(lines)) if lines[k].startswith("```"))
        block: list[Example] = []
        k = i + 1
        while k < end:
            if not lines[k].startswith("$ "):
                k += 1
                continue
            command = lines[k][2:]
            k += 1
            while not _complete(command) and k < end:
                command += "\n" + lines[k]
                k += 1
            first = k
            while k < end and not lines[k].startswith("$ "):
                k += 1
            block.append(Example(command, first, k, lines[first:k]))
        after = next((n for n in range(end + 1, len(lines)) if lines[n].strip()), len(lines))
        if block and not _trimmed(block[-1].shown) and lines[after] in ("```json", "```text"):
            stop = next(n for n in range(after + 1, len(lines)) if lines[n].startswith("```"))
            block[-1] = Example(block[-1].command, after + 1, stop, lines[after + 1 : stop])
            end = stop
        if not all(e.command.rstrip().endswith("--help") for e in block):
            found.extend(block)
        i = end + 1
    return found


def run_page(commands: list[str]) -> list[list[str]]:
    """Each command's output lines, the commands run in order in one bash session."""
    with tempfile.TemporaryDirectory(prefix="collate-doc-") as scratch:
        work, tmp = Path(scratch) / "work", Path(scratch) / "tmp"
        work.mkdir()
        tmp.mkdir()
        for name in LINKED:
            (work / name).symlink_to(ROOT / name)
        script = []
        for n, command in enumerate(commands):
            script.append(f"printf '%s\\n' {shlex.quote(MARK.format(n))}")
            script.append(f"{{ {command.replace('/tmp', str(tmp))}\n}} 2>&1")
        env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(ROOT),
        }
        for name in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
            env.pop(name, None)  # the width and colour a reader's commands get: the defaults
        result = subprocess.run(
            ["bash", "-c", "\n".join(script)],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        out = result.stdout.replace(str(tmp), "/tmp").replace(str(work) + "/", "")
    outputs: list[list[str]] = []
    for n in range(len(commands)):
        start = out.index(MARK.format(n) + "\n") + len(MARK.format(n)) + 1
        stop = out.find(MARK.format(n + 1)) if n + 1 < len(commands) else len(out)
        outputs.append(out[start:stop].splitlines())
    return outputs


def _trimmed(lines: list[str]) -> list[str]:
    """Lines without the blank lines that end them (a block's last output may be followed
    by one)."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def update(page: Path, check: bool) -> list[str]:
    """The stale examples of ``page`` (each as ``page: $ command``); rewritten unless
    ``check``."""
    lines = page.read_text(encoding="utf-8").split("\n")
    found = examples(lines)
    if not found:
        return []
    outputs = run_page([e.command for e in found])
    stale = []
    for example, output in reversed(list(zip(found, outputs, strict=True))):
        shown = _trimmed(example.shown)
        if shown != _trimmed(output):
            stale.append(f"{page.relative_to(ROOT)}: $ {example.command.splitlines()[0]}")
            tail = example.shown[len(shown) :]
            lines[example.first : example.end] = _trimmed(output) + tail
    if stale and not check:
        page.write_text("\n".join(lines), encoding="utf-8")
    return stale[::-1]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    pages = [Path(a).resolve() for a in argv if not a.startswith("--")] or PAGES
    stale = [line for page in pages for line in update(page, check)]
    for line in stale:
        print(("stale: " if check else "rewrote: ") + line, file=sys.stderr)
    if check and stale:
        print("run: python scripts/doc_examples.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
