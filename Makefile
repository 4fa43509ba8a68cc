# famact: the README's commands. `make demo` runs the main job, `make test` the tests.
# Every install step lives here so both work on a fresh machine.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
B ?=
PYTEST_ARGS ?=

.PHONY: setup demo test unit integration bench train-classifier lint typecheck browser clean help corpus

help:
	@echo "make demo   - set everything up and run famact end to end on the bundled demo site"
	@echo "make test   - set everything up and run the test suite"
	@echo "make bench  - run the benchmarks (B=name for one); results in benchmarks/results/"
	@echo "make train-classifier - refit the classifier's model from the labelled sets"
	@echo "make lint   - ruff + mypy + import-linter (the layers' contracts)"
	@echo "make typecheck - mypy alone"
	@echo "make corpus MIRRORS=DIR - build the real-page corpus (.corpus/) from git snapshots"

setup: .venv/.installed .venv/.deploy-installed node_modules/.installed browser

.venv/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The CDK app's libraries (deploy/requirements.txt), apart so a change to either list does not
# reinstall the other. --no-compile: aws-cdk-lib is ~430 MB of Python; compiling all of it took
# ~50 s of the ~55 s install here, while the few modules the app imports compile on first use.
.venv/.deploy-installed: deploy/requirements.txt .venv/.installed
	$(PIP) install --quiet --disable-pip-version-check --no-compile -r deploy/requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for `render: browser` sources and browser tests (browsers cannot be
# downloaded by Playwright here). Installed only when missing; needs root (CI runs as root).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "note: /usr/bin/chromium missing; run 'sudo apt-get install chromium' for browser sources"; \
	  fi; \
	fi

demo: setup
	.venv/bin/famact demo

test: setup
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

unit: setup
	$(PY) -m pytest -n 2 tests/unit $(PYTEST_ARGS)

integration: setup
	$(PY) -m pytest tests/integration $(PYTEST_ARGS)

bench: setup
	$(PY) -m benchmarks $(B)

# Refit the classifier's model on every labelled set (scikit-learn, a dev dependency) and write
# famact/data/classifier_model.json; `make bench B=classification` then re-measures it.
train-classifier: setup
	$(PY) -m famact.classify.training

# The real-page corpus analyzer_corpus scores: third parties' saved test pages, so never committed.
# MIRRORS is a directory of git snapshots named owner+name (see benchmarks/corpus/build.py).
corpus: setup
	@test -n "$(MIRRORS)" || { echo "usage: make corpus MIRRORS=DIR (git snapshots named owner+name)"; exit 2; }
	test -x .corpus-venv/bin/python || python3 -m venv .corpus-venv
	.corpus-venv/bin/pip install --quiet --disable-pip-version-check -r benchmarks/corpus/peer-requirements.txt
	$(PY) -m benchmarks.corpus.build --mirrors $(MIRRORS) --peer-python .corpus-venv/bin/python --out .corpus

lint: setup
	.venv/bin/ruff check famact famact_crawler analyzers benchmarks tests deploy
	$(MAKE) --no-print-directory typecheck
	.venv/bin/lint-imports

typecheck: setup
	.venv/bin/mypy famact famact_crawler analyzers deploy/famact_deploy deploy/app.py

clean:
	rm -rf .venv node_modules .famact .pytest_cache .mypy_cache .ruff_cache *.egg-info deploy/cdk.out
