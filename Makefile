# Everyday tasks. `make run` starts the portal with demo data; `make test` is what CI runs (.ci/run).
#
# Variables CI (or you) can set:
#   VENV         where the virtual environment lives (default .venv)
#   PYTEST_ARGS  extra arguments for pytest, e.g. PYTEST_ARGS="-k smoke -x" or PYTEST_ARGS=--create-db

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PYTEST_ARGS ?=
PYTHON := $(VENV)/bin/python
PIP := $(PYTHON) -m pip --disable-pip-version-check
RUFF := $(VENV)/bin/ruff
# The version named in .python-version (e.g. 3.12), and the oldest one the code supports.
PYTHON_VERSION := $(strip $(shell cat .python-version 2>/dev/null))
MIN_PYTHON := 3.12

.PHONY: help venv install install-dev run test lint format clean

help:
	@echo "make run      start the portal on http://127.0.0.1:8000/ (and its background worker) with Strängnäs's promises and demo users"
	@echo "make test     ruff check, ruff format --check and the whole pytest suite (PYTEST_ARGS=... passes on)"
	@echo "make lint     ruff check and ruff format --check"
	@echo "make format   ruff format and ruff check --fix"
	@echo "make clean    remove $(VENV), staticfiles/ and caches (never db.sqlite3)"
	@echo "make bench    the benchmark on generated national data (docs/PERFORMANCE.md)"
	@echo "make soak     load and crash drill on PostgreSQL (docs/OPERATIONS.md); SERVERS=2: two servers sharing Redis"
	@echo "make backup   back up DATABASE_URL's database into backups/ (FILE=... to choose)"
	@echo "make restore  FILE=... [CONFIRM=yes]: restore a backup"

# The virtual environment, made with the interpreter .python-version names: python$(PYTHON_VERSION) if it is on
# PATH, else the one pyenv picks for this folder, else python3 -- the first that is $(MIN_PYTHON) or newer.
$(VENV)/pyvenv.cfg:
	@min="$(MIN_PYTHON)"; found=""; chosen=""; \
	for candidate in "python$(PYTHON_VERSION)" "$$(pyenv which python 2>/dev/null || true)" python3; do \
	  [ -n "$$candidate" ] || continue; \
	  version="$$("$$candidate" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null)" || continue; \
	  found="$${found:+$$found, }$$candidate is $$version"; \
	  if "$$candidate" -c "import sys; sys.exit(sys.version_info < tuple(map(int, '$$min'.split('.'))))"; then \
	    chosen="$$candidate"; break; \
	  fi; \
	done; \
	if [ -z "$$chosen" ]; then \
	  echo "Python $$min or newer is needed; found $${found:-no python at all}." >&2; \
	  echo "Install it (e.g. pyenv install $(or $(PYTHON_VERSION),$(MIN_PYTHON))) or put python$(MIN_PYTHON) on PATH, then run make again." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$chosen ($$("$$chosen" --version 2>&1))"; \
	"$$chosen" -m venv "$(VENV)"

venv: $(VENV)/pyvenv.cfg

# Requirements are installed again only when a requirements file is newer than its stamp.
$(VENV)/.installed-runtime: requirements.txt | $(VENV)/pyvenv.cfg
	$(PIP) install -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/pyvenv.cfg
	$(PIP) install -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed-runtime

install-dev: $(VENV)/.installed-dev

# load_demo prints the demo logins itself.
run: install
	DEBUG=true $(PYTHON) manage.py migrate --noinput
	DEBUG=true $(PYTHON) manage.py load_strangnas
	DEBUG=true $(PYTHON) manage.py load_demo
	@# The background worker (notices, reminders, e-mail) runs beside the server and stops with it.
	DEBUG=true $(PYTHON) manage.py worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT INT TERM; \
	DEBUG=true $(PYTHON) manage.py runserver 127.0.0.1:8000

lint: install-dev
	$(RUFF) check .
	$(RUFF) format --check .

format: install-dev
	$(RUFF) format .
	$(RUFF) check --fix .

test: lint
	$(PYTHON) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf "$(VENV)" staticfiles .ruff_cache .pytest_cache test-results
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# Operations (docs/OPERATIONS.md). The database is DATABASE_URL's, as for the portal itself.
.PHONY: soak backup restore

# Load and crash drill: gunicorn with production settings on a fresh PostgreSQL database (portal_ops_soak),
# 50 clients for 60 s, one worker killed half-way. SERVERS=2: two gunicorns sharing the database and Redis
# (127.0.0.1:6379/13, already running), a worker of each killed, stale reads counted. SOAK_SECONDS, SOAK_CLIENTS,
# SOAK_DATABASE_URL and SOAK_REDIS_URL change it.
soak: install-dev
	$(PYTHON) -m ops.soak $(if $(SERVERS),--servers $(SERVERS))

# make backup [FILE=...]: pg_dump custom format on PostgreSQL, SQLite's online backup on SQLite.
backup: install
	$(PYTHON) ops/backup.py backup $(if $(FILE),"$(FILE)")

# make restore FILE=backups/portal-....dump [CONFIRM=yes]: a database that has tables is replaced only with CONFIRM=yes.
restore: install
	@if [ -z "$(FILE)" ]; then echo "Usage: make restore FILE=backups/<file> [CONFIRM=yes]" >&2; exit 2; fi
	$(PYTHON) ops/backup.py restore "$(FILE)" $(if $(filter yes,$(CONFIRM)),--yes)

# Benchmark (docs/PERFORMANCE.md): gunicorn with production settings under wrk on generated data at --scale 0.01 and
# at full national size (reuses portal_national when complete, else generates portal_bench_full). Installs Debian's
# wrk when it is missing. BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_SIZES and BENCH_FULL_DATABASE_URL change it.
.PHONY: bench
bench: install-dev
	@if ! command -v wrk >/dev/null; then \
	  echo "No wrk: installing Debian's wrk."; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; \
	fi
	$(PYTHON) -m ops.bench
