# Two commands set everything up: `make serve` and `make test`. Both create .venv from the
# pinned requirements.txt first (and refresh it when requirements change).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# Playwright drives Debian's chromium; it must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# Mermaid (procedure flowcharts) from the pinned npm package, served from the site itself: Material
# loads it from a public CDN only when no `mermaid` is defined, and a call centre's network may not
# reach one. Debian's nodejs/npm are installed when missing.
MERMAID := docs/assets/javascripts/mermaid.min.js

.PHONY: venv assets serve site check test test-fast test-js chromium java bench bench-large clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

$(MERMAID): node_modules/.package-lock.json
	mkdir -p $(dir $@)
	cp node_modules/mermaid/dist/mermaid.min.js $@

assets: $(MERMAID)

venv: $(STAMP) $(MERMAID)

serve: venv
	$(BIN)/kesu serve

# Both editions: the Simplified site first (it replaces site/), then the Traditional one into site/zh-Hant/.
site: venv
	$(BIN)/kesu build
	$(BIN)/kesu build --edition zh-Hant

check: venv
	$(BIN)/kesu check

chromium:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The Nu Html Checker (vnu.jar from the pinned npm vnu-jar, whose own Java download npm ci skips) runs
# on Debian's Java.
java:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq default-jre-headless; }

test: venv chromium java test-js
	$(BIN)/pytest

# The front-end ES modules (generator/js/) under Node's built-in test runner: tests/js/*.test.mjs.
# Some of them build the shipped site with the venv's kesu (tests/js/site.mjs).
test-js: venv
	node --test tests/js/

# Everything but the browser tests.
test-fast: venv java
	$(BIN)/pytest -m "not browser"

# Performance on synthetic libraries of 100, 1,000 and 5,000 cases (about twelve minutes on 2 cores):
# writes bench/results.json, prints a table, exits 1 when a target of the 性能 page is missed.
# SIZES=100,1000 for a shorter run; SIZES=100 measures the colloquial-query figures (kesu and
# Material's stock search on bench/colloquial.yml) in a minute or two.
SIZES ?= 100,1000,5000
bench: venv chromium
	$(BIN)/python bench/run.py --sizes $(SIZES)

# The next order of magnitude: 5,000 and 20,000 cases in one run (build time at 20,000 against 5,000,
# the first search's bytes at 20,000), plus the shipped site; replaces those sizes in bench/results.json.
# About 45 minutes on 2 cores, most of it the builds at 20,000 (kesu, its Traditional edition, the baseline, Zensical).
bench-large: venv chromium
	$(BIN)/python bench/run.py --sizes 5000,20000

# `kesu clean` removes what the page registry (generator/registry.py) says kesu generates, and site/;
# without .venv nothing was generated.
clean:
	if [ -x $(BIN)/kesu ]; then $(BIN)/kesu clean; fi
	rm -rf .kesu-build.lock .kesu-zh-Hant-* bench/work .pytest_cache
	rm -rf node_modules $(MERMAID)
