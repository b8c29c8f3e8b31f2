# partnerbook: `make help` lists the targets. The first `make report` or `make test`
# creates .venv and installs everything from pyproject.toml; later runs skip that.
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PERIOD ?=
ARGS   ?=
KERNEL := partnerbook# the kernel the notebooks name (render/kernelspec.py NAME)

help: ## list the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP) ## create .venv and install the dependencies (done once, redone when pyproject.toml changes)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "partnerbook needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dask,sql,lab,pdf,dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (partnerbook)" >/dev/null
	@touch $@

data: $(STAMP) ## build the seeded sample programme into data/sample.duckdb
	$(BIN)/python -m partnerbook sample

report: $(STAMP) ## render every report for the period (PERIOD=2026-Q3, ARGS=--force) into outputs/
	$(BIN)/python -m partnerbook report $(if $(PERIOD),--period $(PERIOD)) $(ARGS)

deliver: $(STAMP) ## send the period's reports as params/program.yaml `delivery` says (ARGS=--dry-run)
	$(BIN)/python -m partnerbook deliver $(if $(PERIOD),--period $(PERIOD)) $(ARGS)

test: $(STAMP) ## run the tests: library, notebooks (nbval), end-to-end, browser and database
	$(BIN)/python -m pytest tests notebooks --nbval-lax $(ARGS)

lint: $(STAMP) ## ruff check and format --check, the layer check (import-linter) and declared dependencies (deptry)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/deptry lib/partnerbook

schema: $(STAMP) ## regenerate params/program.schema.json (editors complete and check program.yaml)
	$(BIN)/python -m partnerbook.programme_schema > params/program.schema.json.tmp && mv params/program.schema.json.tmp params/program.schema.json

LOCALES := lib/partnerbook/locale
messages: $(STAMP) ## extract the reader-facing messages (library, templates, notebooks), update and compile each language
	PYTHONPATH=lib $(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header -k _ -k N_ -k ngettext:1,2 -k pgettext:1c,2 -k npgettext:1c,2,3 -o $(LOCALES)/partnerbook.pot lib/partnerbook notebooks
	$(BIN)/pybabel -q update -D partnerbook -i $(LOCALES)/partnerbook.pot -d $(LOCALES) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -D partnerbook -d $(LOCALES) --statistics

bench: $(STAMP) ## time the naive papermill loop against `partnerbook report`, peak memory, sizes
	$(BIN)/python -m partnerbook bench $(ARGS)

lab: $(STAMP) ## open JupyterLab on notebooks/ with the project's kernel and widgets
	exec $(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

clean: ## remove outputs/ and the generated sample (keeps .venv)
	rm -rf outputs data/sample.duckdb

.PHONY: help setup data report deliver test lint schema messages bench lab clean
