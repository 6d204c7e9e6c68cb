# Every target bootstraps .venv from pyproject.toml itself, so a fresh clone needs nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit service workflow integration deploy security browser faults fmt clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sori up

# Two workers: the real-stack tiers on one, in turn; everything else on the other (see tests/conftest.py).
test: lint $(STAMP) deploy-tools browser-tools
	$(BIN)/pytest -q -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit service workflow integration deploy security browser faults: $(STAMP)
	$(BIN)/pytest -q -m $@

browser: browser-tools

# tests/deploy check deploy/ with docker-compose (Debian's package) and kubernetes-validate (the test extra).
.PHONY: deploy-tools
deploy-tools: $(STAMP)
	@if command -v docker-compose >/dev/null 2>&1; then \
		echo "deploy-tools: docker-compose found at $$(command -v docker-compose)"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "deploy-tools: docker-compose is missing and this is not root, so it is not installed;" \
			"run 'sudo apt-get install docker-compose' (tests/deploy fail without it)"; \
	else \
		echo "deploy-tools: installing Debian's docker-compose package"; \
		export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null </dev/null; \
	fi

# tests/browser drive Debian's Chromium with Playwright (the test extra); Playwright's own browser download is not used.
.PHONY: browser-tools
browser-tools: $(STAMP)
	@if [ -x /usr/bin/chromium ]; then \
		echo "browser-tools: chromium found at /usr/bin/chromium"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "browser-tools: /usr/bin/chromium is missing and this is not root, so it is not installed;" \
			"run 'sudo apt-get install chromium' (tests/browser fail without it)"; \
	else \
		echo "browser-tools: installing Debian's chromium package"; \
		export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null </dev/null; \
	fi

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .sori .mypy_cache .pytest_cache .ruff_cache
