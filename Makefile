.PHONY: test lint bench docs

test:
	pytest
	pytest -m slow

lint:
	ruff check collate tests scripts
	ruff format --check collate tests scripts
	mypy

docs:
	python scripts/cli_reference.py
	python scripts/doc_examples.py
