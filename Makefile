# OASIS — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install install-dev system-deps lint check-migrations test-sqlite test-postgres bench bench-load bench-apl bench-pages bench-siting bench-references bench-web bench-cold mutation clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, create the database, load the national bundle (once), serve on http://127.0.0.1:$(PORT)
run: install
	$(BIN)/oasis migrate --noinput --verbosity 0
	$(BIN)/oasis data load
	$(BIN)/oasis serve --port $(PORT)

## make test: install everything (Chromium, PostgreSQL), lint, then the whole suite on SQLite and on PostgreSQL, side
## by side (one engine per core; each engine's report is printed whole when it ends)
test: install-dev system-deps lint check-migrations
	$(MAKE) --no-print-directory --output-sync=target -j2 test-sqlite test-postgres

system-deps:
	bash scripts/ensure_system_deps.sh

lint:
	$(BIN)/ruff check oasis tests bench scripts
	$(BIN)/ruff format --check oasis tests bench scripts
	$(BIN)/mypy oasis

check-migrations:
	OASIS_HOME=$(CURDIR)/var/check $(BIN)/oasis makemigrations --check --dry-run --verbosity 1

test-sqlite:
	OASIS_HOME=$(CURDIR)/var/test $(BIN)/pytest

test-postgres:
	bash scripts/postgres.sh start
	OASIS_HOME=$(CURDIR)/var/test-postgres OASIS_DB=postgres OASIS_PG_HOST=127.0.0.1 OASIS_PG_PORT=54329 \
		OASIS_PG_USER=oasis OASIS_PG_NAME=oasis $(BIN)/pytest -m "not browser"

bench: bench-load bench-apl bench-pages bench-siting bench-references bench-web

## make bench-references: import time of each official reference at national size, and its effect on the Vienne
bench-references: install-dev
	$(BIN)/python bench/import_references.py

bench-load: install-dev
	$(BIN)/python bench/load_bundle.py

## make bench-siting: OASIS against PySAL spopt on the Vienne MCLP instance (installs the peer)
bench-siting: install-dev
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/siting.py

## make bench-web: 50 concurrent visitors (locust) on the production server (gunicorn) and on oasis serve
bench-web: install-dev
	$(BIN)/python bench/load.py

## make bench-cold: first request of each main page on a server just restarted (the OASIS_HOME of `make run`)
bench-cold: install-dev
	$(BIN)/python bench/cold.py
	$(BIN)/python bench/vacancy_cold.py

bench-pages: install-dev system-deps
	$(BIN)/python bench/pages.py

## make bench-apl: OASIS against PySAL access on the national GP instance (installs the peer)
bench-apl: install-dev
	$(BIN)/pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/apl.py

## make mutation [SCOPES="core financement …"]: mutation testing (mutmut) by scope, in var/mutation/; see docs/mutation.md
mutation: install-dev
	$(BIN)/pip install --quiet -e ".[dev,mutation]"
	$(BIN)/python scripts/mutation.py $(SCOPES)

clean:
	rm -rf $(VENV) var
