# Two commands: `make run` (the app, survey pages and webhook on one port) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# localhost: no sign-in needed, the workbooks are private to this computer. Any other
# address needs CXW_AUTH (or CXW_OPEN=1); see README, "Sign-in and roles".
ADDRESS ?= localhost
CHROMIUM := /usr/bin/chromium

.PHONY: run test chromium bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(BIN)/python -m cxlib.demo.build
	$(BIN)/streamlit run serve.py --server.address $(ADDRESS) --server.port $(PORT) --server.headless true

# Browser tests drive Debian's Chromium; install it when we are root and it is missing.
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

test: $(VENV)/.dev chromium
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache

bench: $(VENV)/.dev
	$(BIN)/python -m bench
