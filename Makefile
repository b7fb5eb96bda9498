# govuk-notify developer commands. Every target builds what it needs from pyproject.toml.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# optional extras installed for the tests, e.g. [async,django]; empty while there are none
EXTRAS ?= [async,completion,django,flask,fastapi,spreadsheets]

.PHONY: demo test dist lint typecheck unit schemas docs test-matrix test-clocks bench sandbox clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.$(EXTRAS)' --group dev
	touch $(STAMP)

## The main job, on the embedded sandbox: send every kind of message and read it all back.
demo: $(STAMP)
	$(PY) -m govuk_notify.demo

## Everything CI runs: lint, format check, strict typing, the whole test suite.
test: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks docs/_hooks
	$(VENV)/bin/ruff format --check src tests benchmarks docs/_hooks
	$(VENV)/bin/mypy --strict src tests docs/_hooks
	$(MAKE) --no-print-directory docs
	$(PY) -m pytest

## The documentation site (MkDocs, Material, mkdocstrings) into site/; a warning fails it.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

## Build the sdist and the wheel into dist/ and check them.
dist: $(STAMP)
	rm -rf dist
	$(PY) -m build --outdir dist .
	$(VENV)/bin/twine check --strict dist/*

## Re-write schemas/ from the public models.
schemas: $(STAMP)
	$(PY) -m govuk_notify.schemas schemas

## Run the test suite under every CPython >= 3.10 that pyenv has on this machine.
test-matrix:
	@set -e; found=0; \
	for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[0-9])(\.[0-9]+)?$$'); do \
	  found=1; py="$$(pyenv root)/versions/$$v/bin/python"; \
	  echo "=== CPython $$v"; \
	  $(MAKE) --no-print-directory PYTHON="$$py" VENV=".venv-$$v" unit; \
	done; \
	test $$found = 1 || { echo "no CPython >= 3.10 found by pyenv"; exit 1; }

## The suite at the edges of time: 23:59:30 UTC today, a year end, the night BST starts (under
## libfaketime, preloaded; the build vendored by the libfaketime package of the dev group, since
## Debian's 0.9.10 breaks time.sleep on Python 3.11+), and in two far-apart time zones.
test-clocks: $(STAMP)
	@set -e; lib="$$($(PY) -c 'import libfaketime, pathlib; print(next(pathlib.Path(libfaketime.__file__).parent.rglob("libfaketime.so.1")))')"; \
	for when in "$$(date -u +%Y-%m-%d) 23:59:30" "2026-12-31 23:59:30" "2027-03-28 00:59:30"; do \
	  echo "=== clock at $$when UTC"; \
	  LD_PRELOAD="$$lib" FAKETIME="@$$when" FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC \
	    $(PY) -c 'import datetime; print("process clock:", datetime.datetime.now(datetime.timezone.utc))'; \
	  LD_PRELOAD="$$lib" FAKETIME="@$$when" FAKETIME_DONT_FAKE_MONOTONIC=1 TZ=UTC $(PY) -m pytest -q -x; \
	done; \
	for tz in Europe/London Pacific/Kiritimati; do \
	  echo "=== TZ=$$tz"; TZ=$$tz $(PY) -m pytest -q -x; \
	done

unit: $(STAMP)
	$(PY) -m pytest -q

## Benchmarks against the official client (installed into a separate environment only); the
## table is written into docs/guides/performance.md and its summary into README.md.
bench:
	$(PYTHON) -m venv .bench-venv
	.bench-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[async]' notifications-python-client
	.bench-venv/bin/python -m benchmarks

## Run a sandbox in the foreground.
sandbox: $(STAMP)
	$(VENV)/bin/govuk-notify sandbox

clean:
	rm -rf $(VENV) .venv-* .bench-venv .mypy_cache .ruff_cache .pytest_cache .hypothesis site
