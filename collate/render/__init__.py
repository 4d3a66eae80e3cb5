"""Renderers: each reads a finished :class:`~collate.pipeline.Collation` and only reads it."""
