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

help: ## list the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP) ## create .venv and install the dependencies (done once, redone when pyproject.toml changes)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "partnerbook needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name partnerbook --display-name "Python (partnerbook)" >/dev/null
	@touch $@

data: $(STAMP) ## build the seeded sample programme into data/sample.duckdb
	$(BIN)/python -m partnerbook sample

report: $(STAMP) ## render every report for the period (PERIOD=2026-Q3, ARGS=--force) into outputs/
	$(BIN)/python -m partnerbook report $(if $(PERIOD),--period $(PERIOD)) $(ARGS)

deliver: $(STAMP) ## send the period's reports as params/program.yaml `delivery` says (ARGS=--dry-run)
	$(BIN)/python -m partnerbook deliver $(if $(PERIOD),--period $(PERIOD)) $(ARGS)

test: $(STAMP) ## run the tests: library, notebooks (nbval), end-to-end, browser and database
	$(BIN)/python -m pytest tests notebooks --nbval-lax $(ARGS)

bench: $(STAMP) ## time the naive papermill loop against `partnerbook report`, peak memory, sizes
	$(BIN)/python -m partnerbook bench $(ARGS)

# PARTNERBOOK_LAB_PID: the server's pid (exec keeps the shell's); its kernels show the widgets
lab: $(STAMP) ## open JupyterLab on notebooks/ with the project's kernel and widgets
	PARTNERBOOK_LAB_PID=$$$$ exec $(BIN)/jupyter lab --notebook-dir=notebooks --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) $(ARGS)

clean: ## remove outputs/ and the generated sample (keeps .venv)
	rm -rf outputs data/sample.duckdb

.PHONY: help setup data report deliver test bench lab clean
