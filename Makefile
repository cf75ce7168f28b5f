# The two commands of the README: `make run` and `make test`. Everything else is a helper.

VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The newest Python 3.11+ on this machine (Django 6 wants 3.12+; on 3.11 the 5.2 LTS is used).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3.11 python3; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then echo $$p; break; fi; done)

.PHONY: run worker test install migrate seed superuser check clean bench

# The job queue's worker (mail, webhooks, bulk downloads: extraditions/jobs.py) runs beside the
# server and stops with it.
run: install migrate seed  ## Install, migrate, load the seed data and serve on http://127.0.0.1:8000 with the job worker
	@DEBUG=1 $(PY) manage.py run_huey --workers 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

worker: install  ## Only the job queue's worker (when the app is served some other way)
	DEBUG=1 $(PY) manage.py run_huey --workers 2

# One test worker per core, each with a database of its own (TEST_WORKERS=0: one process). Tests
# are handed out in pytest-django's order, so that on each worker the tests that commit (and
# empty the database after them) come after those that roll back.
TEST_WORKERS ?= auto

test: install  ## Run the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required" >&2; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $@

migrate: install
	DEBUG=1 $(PY) manage.py migrate --no-input

seed: migrate
	DEBUG=1 $(PY) manage.py load_seed_data

superuser: install  ## Create a staff account for the admin
	DEBUG=1 $(PY) manage.py createsuperuser

check: install
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .pytest_cache

bench: install  ## The benchmark (docs/performance.md): PostgreSQL at large scale, gunicorn, wrk, Datasette
	@command -v wrk >/dev/null || { echo "The benchmark needs wrk: apt-get install wrk" >&2; exit 1; }
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) bench/run.py $(BENCH_ARGS)
