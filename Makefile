# Two commands: `make run` brings up the embedded stack, `make test` runs every check.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench install clean chromium translations

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

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
