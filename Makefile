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
test: lint $(STAMP) system-tools
	$(BIN)/pytest -q -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit service workflow integration deploy security browser faults: $(STAMP)
	$(BIN)/pytest -q -m $@

browser deploy: system-tools

# tests/deploy check deploy/ with docker-compose, tests/browser drive Debian's Chromium with Playwright (its own
# browser download is not used): as root the missing ones are installed with apt in one go, else we say what to run.
.PHONY: system-tools
system-tools:
	@missing=""; \
	command -v docker-compose >/dev/null 2>&1 || missing="$$missing docker-compose"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -z "$$missing" ]; then \
		echo "system-tools: docker-compose and chromium are here"; \
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
	rm -rf $(VENV) .sori .mypy_cache .pytest_cache .ruff_cache
