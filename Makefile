# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint bench bench-quick install clean browser

# A fresh Debian machine may lack Python's venv module (Debian ships it as python3-venv).
$(STAMP): pyproject.toml
	sh scripts/need-debian-package 'd=$$(mktemp -d) && $(PYTHON) -m venv "$$d/v"; r=$$?; rm -rf "$$d"; exit $$r' python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/hepza demo --db hepza.db

# The browser tests drive Debian's Chromium: installed here when missing and we are root, else one line
# says how (and those tests then fail with their own message; they never skip).
browser:
	-@sh scripts/need-debian-package "command -v chromium || command -v chromium-browser" chromium fonts-dejavu-core

# The whole suite on 4 xdist workers: most tests wait on a crawl subprocess or a fault's timeout, so 4
# pay even on 2 cores; idle workers take queued tests from busy ones (worksteal), so no long test waits
# behind others at the end. `make test-fast`: the unit, saved-page and replica tiers only (no crawl).
PYTEST_WORKERS ?= 4

test: lint browser
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "unit or saved_pages or replica"

# ruff, and mypy over scraper/, pipelines/ and archive/ (check_untyped_defs: see pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run_all
	$(BIN)/python bench/fuzz_extractor.py -max_total_time=60

bench-quick: $(BENCH_STAMP)
	$(BIN)/python -m bench.run_all --quick
	$(BIN)/python bench/fuzz_extractor.py -max_total_time=20

clean:
	rm -rf $(VENV) *.egg-info build
