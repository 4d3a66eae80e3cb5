"""``python -m collate`` runs the command line."""

from collate.cli import main

main()
