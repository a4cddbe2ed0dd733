# The two commands: `make run` and `make test`. Everything builds on `make install`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
PORT ?= 8000
CHROMIUM_PATH ?= /usr/bin/chromium

.PHONY: install install-test lock lock-check browser run serve migrate seed test lint format bench bench-scale load screenshots clean

UV := $(VENV)/bin/uv
# One resolution for Python 3.11 on every platform, with the hash of every file.
LOCK := $(UV) pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--quiet --custom-compile-command "make lock"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet pip==26.3

# Installs exactly the lock (pinned versions, every file's hash checked). Re-installs only when a
# lock file changed (the stamps record the last install). The project runs from the checkout.
$(VENV)/.installed: requirements/base.txt | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(PIP) install --quiet --require-hashes -r requirements/test.txt
	touch $@

$(VENV)/.installed-load: requirements/load.txt $(VENV)/.installed-test
	$(PIP) install --quiet --require-hashes -r requirements/load.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Refreshes the lock from pyproject.toml's ranges, keeping every pin that still fits
# (`make lock ARGS=--upgrade` moves everything to the newest allowed versions).
lock: | $(PY)
	@test -x $(UV) || $(PIP) install --quiet "uv>=0.13,<0.14"
	$(LOCK) $(ARGS) -o requirements/base.txt
	$(LOCK) $(ARGS) --extra test -c requirements/base.txt -o requirements/test.txt
	$(LOCK) $(ARGS) --extra test --extra load -c requirements/test.txt -o requirements/load.txt

# Fails when pyproject.toml asks for something the lock does not satisfy.
lock-check: install-test
	@tmp=$$(mktemp -d) && cp requirements/*.txt "$$tmp"/ && \
	$(LOCK) -o "$$tmp/base.txt" && \
	$(LOCK) --extra test -c requirements/base.txt -o "$$tmp/test.txt" && \
	$(LOCK) --extra test --extra load -c requirements/test.txt -o "$$tmp/load.txt" && \
	if diff -u requirements/base.txt "$$tmp/base.txt" && diff -u requirements/test.txt "$$tmp/test.txt" && \
		diff -u requirements/load.txt "$$tmp/load.txt"; \
	then echo "The lock matches pyproject.toml."; \
	else echo "The lock is stale against pyproject.toml: run make lock and commit requirements/." >&2; exit 1; fi

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@if [ -x "$(CHROMIUM_PATH)" ] || command -v chromium >/dev/null 2>&1; then \
		echo "Chromium: $$(command -v chromium || echo $(CHROMIUM_PATH))"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium package for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing and cannot be installed here; browser tests will be skipped (they fail under CI=true)."; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

# One production worker (production settings; run several behind the load balancer). Clients may
# take 30 s to complete a websocket handshake and a consumer 30 s to finish after its client left
# (daphne's CLI defaults of 5 s and 10 s fail a storm of reconnecting boards); a listen backlog of
# 1024 queues a storm instead of refusing it. Raise `ulimit -n` above twice the sockets held.
# Behind a load balancer, bind to an interface only it reaches (BIND=<private address>) and add
# --proxy-headers with TRUSTED_PROXY_COUNT (README, "Running at scale").
BIND ?= 0.0.0.0
DAPHNE_OPTIONS ?= --websocket_connect_timeout 30 --application-close-timeout 30
serve: install
	$(VENV)/bin/daphne -e tcp:port=$(PORT):interface=$(BIND):backlog=1024 $(DAPHNE_OPTIONS) \
		config.asgi:application

test: install-test browser
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-test lock-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-test
	$(PY) bench/run.py

# The company-scale run (docs/performance.md, "make bench-scale"): PostgreSQL + Redis at 100k users /
# 2M awards by default, on a scratch database it drops (apprentice_bench_scale) and a Redis database
# it flushes (13); two daphne workers, websocket clients, concurrent writers, pages. Smaller:
# make bench-scale ARGS="--users 2000 --teams 40 --awards 40000 --clients 100 --push-seconds 20"
# The scale table: make bench-scale ARGS="--sizes 1000,10000,100000"
bench-scale: install-test
	$(PY) bench/scale.py $(ARGS)

# The load and soak run (docs/reliability.md): a scratch PostgreSQL database and a Redis database
# that it drops and flushes, two daphne workers, 200 locust employees for 5 minutes.
LOAD_ARGS ?= --users 200 --minutes 5 --database apprentice_load --redis redis://127.0.0.1:6379/14
load: $(VENV)/.installed-load
	$(PY) bench/load.py $(LOAD_ARGS)

# PNGs of the key pages at 1366x900 and 390x844 as the demo roles, from a scratch SQLite database
# seeded with seed_demo, into screenshots/ (git-ignored).
screenshots: install-test browser
	CHROMIUM_PATH=$(CHROMIUM_PATH) $(PY) tools/screenshots.py

clean:
	rm -rf $(VENV) staticfiles test-db*.sqlite3* .pytest_cache .ruff_cache
