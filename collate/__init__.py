"""collate: collation and variant analysis of textual witnesses.

The names in ``__all__`` are the public API (docs/api.md): read witnesses, collate them,
measure a text's fidelity to a reference, render a result in any output format, and the
options and result types these take and give. Everything else may change between versions.

Each name is imported from its module when it is first used, so that ``import collate`` (and
every command of the command line, which imports this package) loads no stage it does not
run.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from collate.api import collate, measure, read_witnesses, render_as
    from collate.errors import CollateError
    from collate.metrics import CountingRules
    from collate.model import Witness
    from collate.pipeline import Collation, CollationOptions
    from collate.readers import ReadOptions

# where each public name is defined (a name that is also a submodule's, such as
# ``fidelity`` or ``render``, would be replaced by that submodule once it is imported)
_MODULES = {
    "Collation": "collate.pipeline",
    "CollateError": "collate.errors",
    "CollationOptions": "collate.pipeline",
    "CountingRules": "collate.metrics",
    "ReadOptions": "collate.readers",
    "Witness": "collate.model",
    "collate": "collate.api",
    "measure": "collate.api",
    "read_witnesses": "collate.api",
    "render_as": "collate.api",
}

__all__ = [
    "CollateError",
    "Collation",
    "CollationOptions",
    "CountingRules",
    "ReadOptions",
    "Witness",
    "collate",
    "measure",
    "read_witnesses",
    "render_as",
]


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module 'collate' has no attribute {name!r}")
    value = getattr(import_module(_MODULES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
