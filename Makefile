# Corridor task runner; CI calls `make test` (see .ci/run).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL_FILE := /tmp/corridor-pg.url

.PHONY: demo install install-dev test lint typecheck bench pg-start pg-stop clean

$(BIN)/python:
	@$(PY) -m venv $(VENV) 2>/dev/null || { \
	  echo "python venv module missing: installing python3-venv (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  rm -rf $(VENV); $(PY) -m venv $(VENV); }
	@$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	@$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	@$(BIN)/pip install -q -e '.[dev]'

# The main job on the embedded default store: load the bundled lists, show their status.
demo: install
	@$(BIN)/corridor lists load --bundled
	@$(BIN)/corridor lists status
	@$(BIN)/corridor lists show ofac-16681

lint: install-dev
	$(BIN)/ruff check corridor tests benchmarks
	$(BIN)/ruff format --check corridor tests benchmarks

typecheck: install-dev
	$(BIN)/mypy

pg-start:
	@scripts/postgres.sh start | tail -1 > $(PG_URL_FILE)
	@echo "PostgreSQL test server: $$(cat $(PG_URL_FILE))"

pg-stop:
	@scripts/postgres.sh stop

# The whole test suite: lint, types, and pytest on SQLite and a real PostgreSQL server.
test: install-dev lint typecheck pg-start
	@set -o pipefail; status=0; \
	CORRIDOR_TEST_PG_URL="$$(cat $(PG_URL_FILE))" CORRIDOR_REQUIRE_PG=1 \
	  $(BIN)/pytest -n 2 -q -p no:cacheprovider || status=$$?; \
	scripts/postgres.sh stop; exit $$status

# Benchmarks (not part of the test suite): print their figures and baselines.
bench: install
	$(BIN)/python benchmarks/bench_load.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
