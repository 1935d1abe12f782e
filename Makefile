# Corridor task runner; CI calls `make test` (see .ci/run).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL_FILE := /tmp/corridor-pg.url

.PHONY: demo install install-dev test lint typecheck bench bench-screening bench-ownership \
	bench-shipments bench-api bench-web bench-scale bench-batch bench-profiles bench-alerts bench-trade-rules bench-payments browser java \
	ftm-extra \
	pg-start pg-stop clean

HOST ?= 127.0.0.1
PORT ?= 8000

$(BIN)/python:
	@$(PY) -m venv $(VENV) 2>/dev/null || { \
	  echo "python venv module missing: installing python3-venv (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv; \
	  rm -rf $(VENV); $(PY) -m venv $(VENV); }
	@$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	@$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	@$(BIN)/pip install -q -e '.[dev,spark]'

# The FollowTheMoney conformance test's library (the `ftm` extra); its normality dependency
# builds PyICU, which needs ICU's headers, pkg-config, a C++ compiler and Python's headers.
ftm-extra: install-dev
	@$(BIN)/python -c 'import followthemoney' 2>/dev/null || { \
	  { dpkg -s libicu-dev >/dev/null 2>&1 && command -v pkg-config >/dev/null && \
	    command -v g++ >/dev/null && \
	    test -f "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["include"])')/Python.h"; } || { \
	    echo "installing ICU headers and a compiler for PyICU (apt)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libicu-dev pkg-config g++ python3-dev; }; \
	  $(BIN)/pip install -q -e '.[ftm]'; }

# Java for Spark (Debian's OpenJDK 17 when no java is on the PATH).
java:
	@java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])' || { \
	  echo "installing Java 17 for the Spark tests (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    openjdk-17-jre-headless; }

# The main job on the embedded default store: load the bundled lists, show their status,
# load a sample ownership graph and evaluate it under the US, EU and UK rules, check goods
# against the Common High Priority List, screen a sample ledger of trade documents (decisions
# per jurisdiction, red flags, re-export chains, licences), then screen sample parties (real
# listed names in other scripts and spellings, companies that listed persons own, and
# unlisted ones), register sample counterparties for ongoing screening (they raise alerts),
# create the first admin, and serve the web UI and the API on http://$(HOST):$(PORT)/ui/.
demo: install
	@$(BIN)/corridor lists load --bundled
	@$(BIN)/corridor lists status
	@$(BIN)/corridor ownership load corridor/data/samples/ownership.csv --source sample_register
	@$(BIN)/corridor ownership evaluate
	@$(BIN)/corridor ownership explain kz-steppe
	@$(BIN)/corridor goods load --bundled
	@$(BIN)/corridor goods check "8542 31 00 00" --description "Микроконтроллеры 32-бит"
	@$(BIN)/corridor licences load corridor/data/samples/licences.toml
	@$(BIN)/corridor shipments screen corridor/data/samples/ledger.csv \
	  --companies corridor/data/samples/companies.csv --as-of 2025-01-15 --limit 12 --record
	@$(BIN)/corridor shipments chains corridor/data/samples/ledger.csv \
	  --companies corridor/data/samples/companies.csv
	@$(BIN)/corridor payments screen corridor/data/samples/payments.xml \
	  corridor/data/samples/payments.txt --limit 8
	@$(BIN)/corridor screen-file corridor/data/samples/parties.csv
	@$(BIN)/corridor screen "Қасым-Жомарт Тоқаев" --kind person
	@$(BIN)/corridor compare "Kassym-Jomart Tokayev" "Toqaev Qasym-Jomart"
	@$(BIN)/corridor monitor import corridor/data/samples/counterparties.csv
	@$(BIN)/corridor users add admin --role admin --generate-password --if-missing
	@echo
	@echo "Once the server says it is listening, point your browser at"
	@echo "http://$(HOST):$(PORT)/ui/ and sign in as admin (the password was shown when the"
	@echo "admin was made; 'corridor users add NAME --role admin' makes another admin)."
	@$(BIN)/corridor serve --host $(HOST) --port $(PORT)

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

# Chromium for the web UI's browser tests (Debian's package; Playwright drives it).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Chromium for the browser tests (apt)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The whole test suite: lint, types, and pytest on SQLite and a real PostgreSQL server, with
# the web UI driven in headless Chromium (screenshots in .artifacts/screenshots) and bulk
# screening on Apache Spark in local mode (Java 17).
# PostgreSQL runs on a free port in a private directory, so two runs at once never collide.
test: install-dev ftm-extra lint typecheck browser java
	@set -o pipefail; status=0; \
	export PGPORT=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	export PGDATA_DIR=$$(mktemp -d /tmp/corridor-pg-XXXXXX); \
	url=$$(scripts/postgres.sh start | tail -1) || { rm -rf "$$PGDATA_DIR"; exit 1; }; \
	echo "PostgreSQL test server: $$url"; \
	CORRIDOR_TEST_PG_URL="$$url" CORRIDOR_REQUIRE_PG=1 CORRIDOR_REQUIRE_BROWSER=1 \
	  CORRIDOR_REQUIRE_SPARK=1 CORRIDOR_REQUIRE_FTM=1 \
	  $(BIN)/pytest -n 2 -q -p no:cacheprovider || status=$$?; \
	scripts/postgres.sh stop; rm -rf "$$PGDATA_DIR"; exit $$status

# Benchmarks (not part of the test suite): print their figures and baselines.
bench: install
	$(BIN)/python benchmarks/bench_load.py

# Party screening against Levenshtein, OFAC's algorithm and OpenSanctions logic-v2 (~15 min).
bench-screening: install-dev
	@dpkg -s libicu-dev >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config; }
	@$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/bench_screening.py

# Ownership: 1,000,000 edges and 50,000 designated parties under the US, EU and UK rules,
# against the textbook fixpoint (~2 min).
bench-ownership: install
	$(BIN)/python benchmarks/bench_ownership.py

# The API on a real PostgreSQL server: 200 screening requests a second for 60 s (~2 min).
bench-api: install-dev pg-start
	@status=0; $(BIN)/python benchmarks/bench_api.py --db "$$(cat $(PG_URL_FILE))" || status=$$?; \
	scripts/postgres.sh stop; exit $$status

# Shipments: precision and recall per rule family on planted patterns, lines per minute with
# party screening on one core, chains of a 1,000,000-line ledger (~10 min).
bench-shipments: install
	$(BIN)/python benchmarks/bench_shipments.py

# The compiled index at scale: a synthetic FtM corpus of 2,000,000 entities loaded, the
# index built, then start-up, memory of one and four processes, latency and recall against
# the exhaustive search (~40 min the first time, with the corpus and store made; later runs
# reuse them). ENTITIES=200000 make bench-scale for a quicker run.
ENTITIES ?= 2000000
bench-scale: install
	$(BIN)/python benchmarks/bench_scale.py --entities $(ENTITIES)

# Bulk screening: screen-file memory at 10,000 and 100,000 rows (flat), and Spark local[2]
# against screen-file --workers 2 on 100,000 rows, results compared (~15 min).
bench-batch: install-dev java
	$(BIN)/python benchmarks/bench_batch.py

# Trade rules and sources: HS versions, embargoes, transit, forwarders, company identity and
# codes typed as numbers on planted cases, innocent traffic, and the previous release on the
# same ledger (~1 min).
bench-trade-rules: install
	$(BIN)/python benchmarks/bench_trade_rules.py

# Payments: recall and precision per kind of planted hit in pacs.008 and MT103 messages,
# innocent messages cleared, messages per second on one core and p99 latency (~2 min).
bench-payments: install
	$(BIN)/python benchmarks/bench_payments.py

# Profiles: pairwise precision and recall of cross-list resolution on the bundled lists, with
# ground truth from identifiers the sources share (all evidence, and blind) (~1 min).
bench-profiles: install
	$(BIN)/python benchmarks/bench_profiles.py

# Alerts before and after profiles on the demo counterparties and 5,000 made ones (~2 min).
bench-alerts: install
	$(BIN)/python benchmarks/bench_alerts.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Web UI: every page loaded in headless Chromium from the real server over a store with
# 10,000 alerts; target under 300 ms a page (~10 min, most of it filling the store).
bench-web: install-dev browser
	$(BIN)/python benchmarks/bench_web.py
