# Everything runs from a virtual environment that this Makefile creates itself,
# so a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[tui,dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/grouppass-tui demo

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tui tests bench examples
	$(BIN)/ruff format --check src tui tests bench examples
	$(BIN)/lint-imports

# Two runs: tests/ and tests/tui/ each have a conftest module, which one mypy
# run cannot hold; pyproject.toml leaves tests/tui/ out of the first.
typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy tests/tui/*.py

# Coverage of grouppass and grouppass_tui, failing under the floor in
# pyproject.toml ([tool.coverage.report] fail_under).
unit: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term

bench: $(STAMP)
	$(BIN)/python bench/check.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
