# `make run` installs, migrates, seeds and serves Bookshelf; `make test` runs the tests.
# Both build a virtualenv in .venv first, and reinstall only when a requirements file changes.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Debian packages some tests drive: a browser, the connection pooler Neon puts in front,
# the Redis the sign-in limits are counted in, and a shared cache to put in front.
DEBIAN_PACKAGES := chromium pgbouncer redis-server varnish

.PHONY: run test lint lint-migrations debian-packages bench

# make run PORT=8000 serves on another port (FLASK_RUN_PORT in .env works too).
PORT ?= $(or $(FLASK_RUN_PORT),5000)
run: $(VENV)/.installed-app
	$(BIN)/flask db upgrade
	$(BIN)/flask seed --if-empty
	$(BIN)/flask run --port $(PORT)

test: $(VENV)/.installed-dev debian-packages
	$(BIN)/python -m pytest

# Installed where apt-get can (as root or through sudo); elsewhere the tests that need
# them skip and say why.
debian-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	[ -z "$$missing" ] || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		command -v apt-get >/dev/null \
		&& $$SUDO apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	} || echo "Could not install $$missing; the tests that need them will be skipped."

lint: $(VENV)/.installed-dev lint-migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Each revision's PostgreSQL SQL (`flask db upgrade --sql`, which connects to nothing),
# checked by squawk for locks and rewrites that would stall a live database. A rule a
# revision waives is waived in that revision, with the reason beside it.
MIGRATION_SQL := $(VENV)/migration-sql
OFFLINE_DB := DATABASE_URL=postgresql://squawk@localhost/squawk DATABASE_DIRECT_URL=
lint-migrations: $(VENV)/.installed-dev
	@rm -rf $(MIGRATION_SQL) && mkdir -p $(MIGRATION_SQL)
	@$(OFFLINE_DB) $(BIN)/flask db history 2>/dev/null \
		| sed -E 's/^<base>/base/; s/ \(head\)//; s/,.*//' | awk '{print $$1 ":" $$3}' \
		| while read -r range; do \
			$(OFFLINE_DB) $(BIN)/flask db upgrade --sql "$$range" 2>/dev/null \
				> "$(MIGRATION_SQL)/$${range#*:}.sql" || exit 1; \
		done
	$(BIN)/squawk $(MIGRATION_SQL)/*.sql

# Builds 10,000-author shelves with 10,000 and 1,000,000 books on the PostgreSQL that
# BENCH_DATABASE_URL names, measures every page against a bare-Flask ceiling, and writes
# bench/RESULTS.md and bench/results.png. About 35 minutes. A quick look:
# make bench BENCH_ARGS="--large-books 20000 --rounds 1 --seconds 1 --loading-rounds 1 --report-dir /tmp"
BENCH_ARGS ?=
bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

$(VENV)/.installed-bench: bench/requirements.txt $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-app: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-app
