# The two commands: `make run` (a shop to try, on SQLite) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: install run test test-postgres lint format bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Links in emails (and other absolute URLs) point at the server this target starts.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Shop front:      http://$(HOST):$(PORT)/shop/"
	@echo "  Your account:    http://$(HOST):$(PORT)/account/"
	@echo "  Staff admin:     http://$(HOST):$(PORT)/admin/"
	@echo "  API docs:        http://$(HOST):$(PORT)/api/docs/"
	@echo "  Health:          http://$(HOST):$(PORT)/api/health"
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) -q -rs

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/mnky_ci} $(PY) -m pytest -n $(PYTEST_WORKERS) -q -rs

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) .data

# Benchmark (never part of `make test` or .ci/run): production settings, gunicorn with 2 workers and
# wrk at 16 connections against a throwaway PostgreSQL database per scale. See docs/PERFORMANCE.md.
#   BENCH_SCALE=small|large (default both), BENCH_DATABASE_URL (default mnky_bench_<scale> on 127.0.0.1)
bench: install
	$(PY) bench/run.py
