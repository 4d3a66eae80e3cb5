"""Renderers: each reads a finished :class:`~collate.pipeline.Collation` and only reads it.

:func:`render` and :func:`render_pieces` render a collation in any format of the registry
(``formats.py``, :data:`FORMATS`).
"""

from collate.render.formats import FORMATS, Format, render, render_pieces

__all__ = ["FORMATS", "Format", "render", "render_pieces"]
