# Documentary Archive. `make site` builds the site into output/, `make test` runs the tests.
# Both create the virtualenv from the pinned lock file on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: site publish test serve lock clean bench

$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# The Nu HTML Checker for the test suite, pinned in package-lock.json.
NODE_INSTALLED := node_modules/.installed
# Without npm (a machine with only Python and make) the HTML checker tests are skipped.
$(NODE_INSTALLED): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the Nu HTML checker tests will be skipped (.ci/run installs npm)"; fi

site: $(INSTALLED)
	$(BIN)/archive build

publish: $(INSTALLED)
	$(BIN)/archive build --settings publishconf.py

# pytest exits 5 when it collected no test: that is a failure too, not a pass.
test: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest ran no test" >&2; exit 1; fi; \
	exit $$status

# Builds, serves output/ and keeps it up to date as files are saved (archive serve).
serve: $(INSTALLED)
	$(BIN)/archive serve --host $(HOST) --port $(PORT)

# Re-pin every dependency after editing pyproject.toml.
lock: $(INSTALLED)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links --extra test --extra build -o requirements.lock pyproject.toml

clean:
	rm -rf output output.building output.previous .search-refresh-* $(VENV) node_modules cache .pytest_cache *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Benchmark: synthetic corpora (1,000 and 10,000 documents by default) built with our pipeline
# and with stock Pelican in one run; prints the table and writes bench/results/*.json.
BENCH_SIZES ?= 1000 10000
bench: $(INSTALLED)
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES)
