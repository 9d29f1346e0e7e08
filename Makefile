# Pantau: `make run` serves the command center on the embedded default; `make test` installs what the tests need and runs them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum < requirements.lock | cut -d' ' -f1)
PORT   ?= 8050
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-fast lint bench browser-deps java-deps lighthouse-deps lock clean

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing pinned packages into $(VENV) (first run only)"
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	@$(PY) app.py serve --port $(PORT)

# Debian's chromium and chromium-driver drive the browser tests; Playwright's own browser download needs the internet.
# poppler-utils (pdfinfo, pdftotext, pdffonts, pdfimages, pdftoppm) reads back the printed PDF in the tests.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  echo "Installing Debian chromium and chromium-driver"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@if ! command -v pdfinfo >/dev/null 2>&1 || ! command -v pdffonts >/dev/null 2>&1; then \
	  echo "Installing Debian poppler-utils"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq poppler-utils >/dev/null; \
	fi

# Java 17 runs Spark for the province rollup's parity test and bench (pyspark brings Spark itself).
java-deps:
	@if ! command -v java >/dev/null 2>&1; then \
	  echo "Installing Debian openjdk-17-jre-headless"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

# Modules run on TEST_WORKERS processes (2: this machine's cores); each module stays on one, so its fixtures are shared.
TEST_WORKERS ?= 2

test: $(STAMP) browser-deps java-deps lint
	@$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	@$(VENV)/bin/ruff check .

test-fast: $(STAMP)
	@$(PY) -m pytest -m "not browser"

# Lighthouse for the accessibility bench, pinned by bench/lighthouse/package-lock.json, into its git-ignored node_modules.
lighthouse-deps:
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "Installing Debian nodejs and npm"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@test -f bench/lighthouse/node_modules/lighthouse/cli/index.js || (cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error)

bench: $(STAMP) browser-deps java-deps lighthouse-deps
	@$(PY) -m bench

# Re-pin the whole tree after changing pyproject.toml's dependencies.
lock:
	@rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	@$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	  print('\n'.join(p['dependencies'] + p['optional-dependencies']['test']))" > .lock-venv/direct.txt
	@.lock-venv/bin/pip install --quiet -r .lock-venv/direct.txt && .lock-venv/bin/pip freeze > requirements.lock
	@rm -rf .lock-venv

clean:
	rm -rf $(VENV) data/pantau.duckdb* data/sim data/server.json data/.operator-token tests/artifacts
