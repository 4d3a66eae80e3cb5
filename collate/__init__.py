"""collate: collation and variant analysis of textual witnesses."""

__version__ = "0.1.0"
