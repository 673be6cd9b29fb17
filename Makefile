# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make build   set up, validate the catalog, render README.md and the website into site/
#   make test    set up, lint, and run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: all setup build readme site serve validate test test-browser lint bench clean

all: build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

setup: $(STAMP)

validate: setup
	$(BIN)/pruning-catalog validate

readme: setup
	$(BIN)/pruning-catalog readme

site: setup
	$(BIN)/pruning-catalog site

build: validate readme site

serve: setup
	$(BIN)/pruning-catalog site --serve

lint: setup
	$(BIN)/ruff check .

test: setup lint
	$(BIN)/python -m pytest

test-browser: setup
	$(BIN)/python -m pytest -m browser

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .staging test-artifacts build *.egg-info
