# Two commands: `make run` brings up the embedded stack, `make test` runs every check.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PIP := $(PY) -m pip --disable-pip-version-check
# Every dependency pinned with its hashes: requirements.lock for production (the Dockerfile),
# requirements-dev.lock adds the test and lint tools. Both are made by `make lock`.
LOCKS := requirements.lock requirements-dev.lock
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test lint bench install clean chromium translations lock upgrade

$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --require-hashes -r requirements-dev.lock
	$(PIP) install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# After changing pyproject.toml's dependencies: the locks again, keeping every other pin.
lock:
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q pip-tools
	$(COMPILE) $(LOCK_FLAGS) -o requirements.lock pyproject.toml
	$(COMPILE) $(LOCK_FLAGS) --extra dev -o requirements-dev.lock pyproject.toml

# Every dependency to its newest release that pyproject.toml allows; then `make test` and commit.
upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

run: $(STAMP)
	$(VENV)/bin/o2c run

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

CHROMIUM := /usr/bin/chromium

# The browser tests drive Debian's Chromium: installed here when we may, else one line says how.
chromium:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium; } \
		|| { echo "The browser tests need Chromium: run 'sudo apt-get install chromium', then make test."; exit 1; }

test: lint chromium
	$(VENV)/bin/pytest

# After changing a page's words: the catalog template, then each language's .po to translate.
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F api/translations/babel.cfg -k _ -k N_ --no-location \
		--omit-header -o api/translations/messages.pot .
	$(VENV)/bin/pybabel update -i api/translations/messages.pot -d api/translations \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
