# `make run` installs, migrates, seeds and serves Bookshelf; `make test` runs the tests.
# Both build a virtualenv in .venv first, and reinstall only when a requirements file changes.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint chromium

run: $(VENV)/.installed-app
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask run

test: $(VENV)/.installed-dev chromium
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium. Installed here where apt-get can (as root or
# through sudo); elsewhere those tests skip and say why.
chromium:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		command -v apt-get >/dev/null \
		&& $$SUDO apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	} || echo "Chromium could not be installed; the browser tests will be skipped."

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-app: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-app
