# The README's two commands: `make map` builds the map, `make test` runs the test suite.
# Each creates the virtualenv (.venv) and installs what it needs on a fresh machine.
# `make test` also builds, once, the real Nominatim the geocoding tests query (`make nominatim`:
# .venv-nominatim and .cache/nominatim/hel.sqlite, a few minutes the first time; then nothing).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
AXE    := node_modules/axe-core/axe.min.js
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: map test nominatim lint bench screenshot clean

map: $(STAMP)
	$(BIN)/python build_map.py

test: $(STAMP) $(CHROMIUM) nominatim $(AXE)
	$(BIN)/python -m pytest

# OpenStreetMap data of central Helsinki in a real Nominatim (SQLite), for tests/real_nominatim.py.
# The script checks its own stamp and does nothing when the database is up to date.
nominatim:
	bash scripts/make_nominatim_db.sh

lint: $(STAMP)
	$(BIN)/pip install -q ruff mypy
	$(BIN)/ruff check geo tests build_map.py benchmarks scripts
	$(BIN)/mypy geo

bench: $(STAMP) $(CHROMIUM)
	$(BIN)/python benchmarks/bench_tables.py
	$(BIN)/python benchmarks/bench_render.py

screenshot: $(STAMP) $(CHROMIUM)
	$(BIN)/python scripts/screenshot.py

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-dejavu-core

# axe-core (package.json, package-lock.json), which the browser tests inject to check accessibility.
$(AXE): package.json package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund
	touch $@

clean:
	rm -rf build .pytest_cache
