# Two commands for a newcomer: `make run` and `make test`. Neither needs a database or Redis
# server; set DATABASE_URL / REDIS_URL to use PostgreSQL and Redis instead.
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers suit the 2-core machines we build on; override with PYTEST_WORKERS=auto.
PYTEST_WORKERS ?= 2

.PHONY: install run test bench lint format clean chromium caddy node go

$(VENV)/.installed: pyproject.toml sdk/python/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet -e sdk/python  # the Python SDK, tested against live servers in tests/sdk
	touch $@

install: $(VENV)/.installed

# On a laptop, webhooks may go to http:// and local receivers; set these to false to refuse them.
WEBHOOK_ALLOW_HTTP ?= true
WEBHOOK_ALLOW_PRIVATE_URLS ?= true

# No SECRET_KEY in the environment: a random one is generated once and kept in var/secret_key.
# It prints what a person needs (the secret key's file, the demo's URLs and key, then the servers'
# lines), not the commands, the migrations applied or the worker's banner.
run: install
	@$(PY) manage.py ensure_secret_key
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py seed_demo --base-url http://$(HOST):$(PORT)
	@echo "Serving PulseHR (HTTP and WebSockets) on http://$(HOST):$(PORT) with a webhook worker (Ctrl-C stops both)"
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) \
	  PULSEHR_WEBHOOK_ALLOW_HTTP=$(WEBHOOK_ALLOW_HTTP) PULSEHR_WEBHOOK_ALLOW_PRIVATE_URLS=$(WEBHOOK_ALLOW_PRIVATE_URLS) \
	  $(VENV)/bin/honcho start -f Procfile -p $(PORT)

# The browser tests (tests/e2e) drive the system's Chromium. Where it is missing and we are root
# with apt-get (CI), install it; elsewhere those tests skip, saying why.
CHROMIUM := /usr/bin/chromium

chromium:
	@test -x $(CHROMIUM) || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "Could not install Chromium: the browser tests will be skipped."

# The serving tests (tests/ops/test_serving.py) run the real proxy config, docker/Caddyfile, with
# the system's Caddy: installed like Chromium where it is missing; elsewhere those tests skip.
CADDY := /usr/bin/caddy

caddy:
	@test -x $(CADDY) || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null; } || \
	  echo "Could not install Caddy: the tests through the proxy will be skipped."

# The TypeScript SDK's tests (tests/sdk_typescript) need Node.js >= 18 with npm; they install the SDK's
# packages from sdk/typescript/package-lock.json themselves (`npm ci`). Where node is missing, it is
# installed like Chromium (Debian's nodejs and npm); elsewhere those tests skip, saying why.
node:
	@command -v node >/dev/null || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; } || \
	  echo "Could not install Node.js: the TypeScript SDK's tests will be skipped."

# The Go SDK's tests (tests/sdk_go) need Go >= 1.19 and nothing else (the SDK uses the standard library only).
# Where go is missing, it is installed like Chromium (Debian's golang-go); elsewhere those tests skip, saying why.
go:
	@command -v go >/dev/null || ! command -v apt-get >/dev/null || [ "$$(id -u)" != 0 ] || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null; } || \
	  echo "Could not install Go: the Go SDK's tests will be skipped."

# --dist loadgroup keeps the browser tests on one worker (their xdist_group), so one live stack serves them;
# the TypeScript SDK's tests likewise (one node_modules, one build).
test: install chromium caddy node go
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup

bench: install
	$(PY) bench/run.py

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache sdk/typescript/node_modules sdk/typescript/dist sdk/typescript/build-test
