"""The command line's names for the library's parameters: ``near_match`` is ``--near-match``.

Errors name parameters as :class:`~collate.errors.Param` parts; the commands (``cli.py``,
``cli_batch.py`` and the batch workers, whose messages are recorded for the batch's report)
spell them with :func:`flag`, so a message names the flag the user typed.
"""

from __future__ import annotations

from collate.errors import UNSET, Param

# Parameters whose flag is not their name with dashes for underscores.
FLAGS = {
    "normalization": "--normalize",
    "pair_files": "--pairs",
    "output": "-o",
    "outdir": "-o",
    "divs": "--tei-div",
}


def flag(param: Param) -> str:
    """``--near-match 0.0``, or ``--near-match`` for a parameter named without a value."""
    name = FLAGS.get(param.name, "--" + param.name.replace("_", "-"))
    return name if param.value is UNSET else f"{name} {param.value}"
