# Stack Advisor: set-up, run and test. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
SERVE_STAMP := $(VENV)/.serve.stamp
DEV_STAMP   := $(VENV)/.dev.stamp
FLASK   := $(BIN)/flask --app advisor
HOST    ?= 127.0.0.1
PORT    ?= 8000
CHROMIUM ?= /usr/bin/chromium
HTMX    := static/vendor/htmx.min.js
PYTEST_ARGS ?=
BENCH_ARGS  ?=

.PHONY: help venv dev assets chromium nginx db run lint check test bench clean distclean

help:
	@echo "make run        set up and serve on http://$(HOST):$(PORT)"
	@echo "make test       set up, lint, type-check and run the whole test suite (PYTEST_ARGS=...)"
	@echo "make check      the fast lane: lint, types and the tests not marked browser/slow/postgres"
	@echo "make venv | dev | assets | chromium | nginx | db | lint | bench | clean | distclean"

# --- Python ---------------------------------------------------------------
# Each stamp is newer than pyproject.toml once its install succeeded, so an
# install reruns only when the dependencies change. `venv` is what serving
# needs; `dev` adds the test, lint and type-check tools.
venv: $(SERVE_STAMP)
dev: $(DEV_STAMP)

$(SERVE_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -e .
	touch $@

$(DEV_STAMP): $(SERVE_STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]'
	touch $@

# --- Front-end assets -----------------------------------------------------
# npm ci writes node_modules/.package-lock.json, newer than the lock it read.
assets: $(HTMX)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

$(HTMX): node_modules/.package-lock.json
	mkdir -p $(@D)
	cp node_modules/htmx.org/dist/htmx.min.js $@

# --- Browser for the Playwright tests (Debian's Chromium) ----------------
chromium:
	@if [ -x $(CHROMIUM) ]; then \
	  echo "chromium: $$($(CHROMIUM) --version 2>/dev/null || echo $(CHROMIUM))"; \
	elif [ "$$(id -u)" -ne 0 ]; then \
	  echo "warning: $(CHROMIUM) is missing and we are not root; browser tests will fail or skip." >&2; \
	  echo "warning: install it with: sudo apt-get install -y chromium" >&2; \
	else \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

# --- nginx, to run deploy/nginx.conf in the reverse-proxy test (Debian's) -----
nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then \
	  echo "nginx: present"; \
	elif [ "$$(id -u)" -ne 0 ]; then \
	  echo "warning: nginx is missing and we are not root; the reverse-proxy test will skip." >&2; \
	else \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx-light \
	    && (service nginx stop >/dev/null 2>&1 || true); \
	fi

# --- Database -------------------------------------------------------------
db: venv
	$(FLASK) db upgrade
	$(FLASK) seed

# --- Serve ----------------------------------------------------------------
# ADVISOR_ENV unset means development settings.
run: venv assets db
	$(BIN)/gunicorn -c gunicorn.conf.py -b $(HOST):$(PORT) wsgi:app

# --- Lint, types, tests and benchmarks ------------------------------------
# The same three checks run in .pre-commit-config.yaml.
lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The fast lane: no browser, no PostgreSQL, nothing marked slow; two workers.
check: lint assets
	$(BIN)/python -m pytest -q -n 2 -m "not browser and not slow and not postgres" $(PYTEST_ARGS)

test: lint assets chromium nginx
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: dev
	$(BIN)/python -m benchmarks.engine_bench $(BENCH_ARGS)

# --- Cleaning -------------------------------------------------------------
# Leaves .venv and instance/ (the local database) alone; distclean removes .venv.
clean:
	rm -rf node_modules static/vendor build dist *.egg-info .pytest_cache .hypothesis test-artifacts
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
