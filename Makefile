# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: blind demo test test-fast lint bench bench-quick install clean browser redis

# A fresh Debian machine may lack Python's venv module (Debian ships it as python3-venv).
$(STAMP): pyproject.toml
	sh scripts/need-debian-package 'd=$$(mktemp -d) && $(PYTHON) -m venv "$$d/v"; r=$$?; rm -rf "$$d"; exit $$r' python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(PYTHON) -m venv $(VENV)/pywb
	$(VENV)/pywb/bin/pip install --quiet 'pywb>=2.8'
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

# The scale-out test (tests/reliability/test_scale_out.py) starts Debian's redis-server on 127.0.0.1: installed
# here when missing, as Chromium is (and that test fails with its own message without it).
redis:
	-@sh scripts/need-debian-package "command -v redis-server" redis-server

# The suite starts some 500 Python processes (crawls, archive writers, workers): where the environment turns
# bytecode caching off (PYTHONDONTWRITEBYTECODE, as this machine's and some CI images do) each of them
# compiled the project's modules again, about a seventh of a second of CPU a writer. So the tests compile
# them once and let their processes read and write __pycache__ (ignored by git); nothing else changes.
COMPILED := $(BIN)/python -m compileall -q -j 0 archive pipelines scraper replica tests > /dev/null
WITH_BYTECODE := PYTHONDONTWRITEBYTECODE=

test: lint browser redis
	$(COMPILED)
	$(WITH_BYTECODE) $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal

# The end-to-end tests on the portals built blind (replica/portals.py HELD_OUT; docs/portals.md): what the
# crawler does on themes it was not written for. Not part of `make test`: their failures are the open gaps.
blind: $(STAMP)
	REPLICA_PORTALS=held-out $(BIN)/python -m pytest -q -n 2 -p no:randomly -k "liferay70 or liferay74b or liferay72 or liferay71 or liferay62b or liferay73b" \
		tests/e2e/test_crawl_replica.py tests/e2e/test_change_tracking.py tests/e2e/test_removals.py \
		tests/e2e/test_redesign_portals.py

# Two workers: the fast tiers are pure CPU, one per core (63 s in one process, 47 s on two).
test-fast: $(STAMP)
	$(COMPILED)
	$(WITH_BYTECODE) $(BIN)/python -m pytest -q -n 2 -m "unit or saved_pages or replica"

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
