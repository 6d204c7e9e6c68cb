# Every target bootstraps .venv from uv.lock itself, so a fresh clone needs nothing installed by hand: the venv gets
# the uv that the lock pins (pip, with its hashes), then uv installs exactly the lock (`--locked` refuses a lock that
# pyproject.toml no longer matches). Only `make lock` changes the lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv never fetches a Python of its own: the venv's interpreter is the one $(PYTHON) names.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
SYNC := $(BIN)/uv sync --locked --extra test
# The official AsyncAPI parser, from npm at the versions tests/asyncapi/package-lock.json pins.
ASYNCAPI_PARSER := tests/asyncapi/node_modules/.installed

.PHONY: run test lint lock bench unit service workflow integration deploy security browser faults fmt clean

$(BIN)/uv: uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PYTHON) deploy/uv_requirement.py uv.lock > $(VENV)/uv-requirement.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r $(VENV)/uv-requirement.txt
	touch $@

$(STAMP): pyproject.toml uv.lock $(BIN)/uv
	$(SYNC) || { echo "make: uv.lock does not match pyproject.toml (or was edited by hand): run 'make lock'" >&2; exit 1; }
	touch $@

# The one way dependencies change: every package to its newest release that pyproject.toml allows, then the suite.
lock: $(BIN)/uv
	$(BIN)/uv lock --upgrade
	$(SYNC)
	touch $(STAMP)
	$(MAKE) test

run: $(STAMP)
	$(BIN)/sori up

# Three workers: integration's stacks on one, faults' on another, the in-process tiers on whoever is free (see
# tests/conftest.py).
test: lint $(STAMP) system-tools $(ASYNCAPI_PARSER)
	$(BIN)/pytest -q -n 3 --dist loadgroup --durations=30

bench: $(STAMP)
	$(BIN)/sori bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

unit service workflow integration deploy security browser faults: $(STAMP)
	$(BIN)/pytest -q -m $@

browser deploy: system-tools
unit: $(ASYNCAPI_PARSER)

$(ASYNCAPI_PARSER): tests/asyncapi/package-lock.json
	npm ci --prefix tests/asyncapi --no-audit --no-fund --ignore-scripts --silent
	touch $@

# tests/deploy check deploy/ with docker-compose, tests/browser drive Debian's Chromium with Playwright (its own
# browser download is not used), the AsyncAPI check runs Node: as root the missing ones are installed with apt in
# one go, else we say what to run.
.PHONY: system-tools
system-tools:
	@missing=""; \
	command -v docker-compose >/dev/null 2>&1 || missing="$$missing docker-compose"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -z "$$missing" ]; then \
		echo "system-tools: docker-compose, chromium and npm are here"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "system-tools: missing:$$missing, and this is not root; run 'sudo apt-get install$$missing'" \
			"(tests/deploy and tests/browser fail without them)"; \
	else \
		echo "system-tools: installing Debian's$$missing"; \
		export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null </dev/null; \
	fi

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .sori .mypy_cache .pytest_cache .ruff_cache tests/asyncapi/node_modules
