"""Write the ``--help`` of every collate command into docs/cli.md.

The text between ``<!-- cli-reference:start -->`` and ``<!-- cli-reference:end -->`` is generated
with click's CliRunner on :func:`collate.cli.main` at a terminal width of 100; the rest of the page
is written by hand. ``--check`` writes nothing and exits 1 when the page is stale.

    python scripts/cli_reference.py           # rewrite docs/cli.md
    python scripts/cli_reference.py --check   # exit 1 if docs/cli.md is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from collate.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"
START = "<!-- cli-reference:start -->"
END = "<!-- cli-reference:end -->"
PROG = "collate"
WIDTH = 100


def _commands() -> list[list[str]]:
    """Argument lists of every command, the group first: ``[]``, ``["compare"]``, ..."""
    assert isinstance(main, click.Group)
    return [[], *([name] for name in main.list_commands(click.Context(main)))]


def help_text(args: list[str]) -> str:
    """The ``--help`` output of ``collate ARGS``, as a user sees it at width 100."""
    result = CliRunner().invoke(main, [*args, "--help"], prog_name=PROG, terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"{PROG} {' '.join(args)} --help exited {result.exit_code}")
    return result.output


def reference() -> str:
    """The generated part of docs/cli.md, markers excluded."""
    sections = []
    for args in _commands():
        name = " ".join([PROG, *args])
        sections.append(f"### `{name}`\n\n```text\n$ {name} --help\n{help_text(args)}```\n")
    return "\n" + "\n".join(sections) + "\n"


def updated(page: str) -> str:
    """``page`` with the text between the markers replaced by :func:`reference`."""
    head, start, rest = page.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise ValueError(f"the markers {START} and {END} are missing")
    return head + START + reference() + END + tail


def check(path: Path = CLI_DOC) -> bool:
    """Whether ``path`` holds the current CLI reference."""
    page = path.read_text(encoding="utf-8")
    return page == updated(page)


def write(path: Path = CLI_DOC) -> bool:
    """Rewrite the reference in ``path``; whether anything changed."""
    page = path.read_text(encoding="utf-8")
    new = updated(page)
    if new != page:
        path.write_text(new, encoding="utf-8")
    return new != page


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the CLI reference in docs/cli.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md is stale")
    options = parser.parse_args(argv)
    try:
        if options.check:
            if check():
                return 0
            print(f"{CLI_DOC} is stale; run: python scripts/cli_reference.py", file=sys.stderr)
            return 1
        changed = write()
    except (OSError, ValueError) as error:
        print(f"{CLI_DOC}: {error}", file=sys.stderr)
        return 1
    print(f"{'Updated' if changed else 'Unchanged'}: {CLI_DOC}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run())
