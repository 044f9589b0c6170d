# The two commands of README.md:  `make run`  and  `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DUALCIRC_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install install-test browser lint typecheck check test-postgres bench bench-load clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

# Debian's chromium drives the browser tests (Playwright's own browser download is unreachable);
# a CJK font so that the screenshots the tests keep show Chinese text, not boxes.
browser:
	@{ command -v chromium >/dev/null && [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; } || { \
	  echo "installing Debian's chromium and a CJK font for the browser tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q chromium fonts-wqy-microhei >/dev/null || \
	  { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -q >/dev/null && \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q chromium fonts-wqy-microhei >/dev/null; }; }

## Run the platform on SQLite with demo data at http://$(HOST):$(PORT) (default 127.0.0.1:8000;
## e.g. `make run PORT=8080`, or `make run HOST=0.0.0.0` to be reached from other machines)
HOST ?= 127.0.0.1
PORT ?= 8000
run: install
	$(BIN)/dualcirc demo --serve --addrport $(HOST):$(PORT)

## Run the whole test suite (SQLite unless DATABASE_URL is set)
test: install-test browser
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-test
	$(BIN)/mypy

check: lint typecheck test

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

## Extract the UI's translatable strings into the Chinese and Vietnamese catalogs and compile
## them (then translate the new, empty or fuzzy msgstr entries and run it again to compile).
MESSAGE_LOCALES := zh_Hans vi
messages: install
	cd src/dualcirc && ../../$(BIN)/dualcirc makemessages $(MESSAGE_LOCALES:%=-l %) --ignore "migrations/*" && \
	  ../../$(BIN)/dualcirc compilemessages $(MESSAGE_LOCALES:%=-l %)

## Load test of the production server on PostgreSQL (installs Debian's wrk when missing)
bench-load: install
	@command -v wrk >/dev/null || { \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q wrk >/dev/null || \
	  { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -q >/dev/null && \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q wrk >/dev/null; }; }
	$(BIN)/python bench/load_server.py --prepare
