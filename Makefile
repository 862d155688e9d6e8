# Two commands: `make run` (the app, survey pages and webhook on one port) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# localhost: no sign-in needed, the workbooks are private to this computer. Any other
# address needs CXW_AUTH (or CXW_OPEN=1); see README, "Sign-in and roles".
ADDRESS ?= localhost
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx

.PHONY: run test chromium nginx bench clean

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

# The proxy test (tests/web/test_proxy.py) runs deploy/nginx.conf with Debian's nginx as a
# plain foreground process; install it when we are root and it is missing, without starting
# Debian's nginx service (policy-rc.d answers 101 while apt runs).
nginx:
	@if [ ! -x $(NGINX) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		norc=; if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; \
			chmod +x /usr/sbin/policy-rc.d; norc=1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
		status=$$?; [ -z "$$norc" ] || rm -f /usr/sbin/policy-rc.d; exit $$status; \
	fi

# Two workers, whole files each (a file's server, browser and database fixtures stay in one
# process): the suite is half waiting on servers and browsers, so it finishes in ~60% of the time.
test: $(VENV)/.dev chromium nginx
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV) .pytest_cache

bench: $(VENV)/.dev
	$(BIN)/python -m bench
