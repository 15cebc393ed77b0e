# amparo: `make run` sets up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_PORT ?= 5433

.PHONY: install run test test-sqlite test-postgres test-browser lint bench system-deps messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/amparo serve --demo

# Debian packages the tests need: PostgreSQL (throwaway cluster) and Chromium (browser tests).
system-deps:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ] || [ ! -x /usr/bin/chromium ]; then \
	  echo "installing postgresql and chromium from Debian…"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql chromium >/dev/null; \
	fi

test: install system-deps
	$(BIN)/python -m scripts.run_tests

test-sqlite: install
	$(BIN)/python -m scripts.run_tests --only sqlite

test-postgres: install system-deps
	$(BIN)/python -m scripts.run_tests --only postgres

test-browser: install system-deps
	$(BIN)/python -m scripts.run_tests --only browser

lint: install
	$(BIN)/ruff check amparo tests benchmarks scripts
	$(BIN)/ruff format --check amparo tests benchmarks scripts

bench: install system-deps
	$(BIN)/python benchmarks/ingest.py

# Recompile translations after editing amparo/locale/*/LC_MESSAGES/django.po (needs gettext).
messages: install
	cd amparo && ../$(BIN)/amparo compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
