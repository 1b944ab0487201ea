# Consult: the only commands a user needs. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app consult
export PIP_DISABLE_PIP_VERSION_CHECK := 1
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test bench i18n translations install install-test migrate demo clean

## make run: install, compile translations, migrate, load demo data, serve on 127.0.0.1:5000
## beside a background worker (queue in instance/queue.sqlite3; mail printed, not sent)
run: export CONSULT_ENV ?= development
run: install translations
	$(FLASK) db upgrade
	$(FLASK) consult demo
	@echo "Serving Consult on http://127.0.0.1:5000 with a background worker (Ctrl+C stops both)"
	@$(FLASK) consult worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn --config gunicorn.conf.py "consult:create_app()"

## make test: install with test dependencies and run the whole suite
test: install-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make bench: the benchmarks in bench/, printing their figures
bench: install translations
	$(BIN)/python bench/run.py

## make i18n: extract messages, update every catalog, compile
i18n: install
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 \
	  --add-comments=Translators: --project=Consult --copyright-holder="Consult contributors" \
	  -o translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i translations/messages.pot -d translations
	$(MAKE) translations

translations: install
	$(BIN)/pybabel -q compile -d translations

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test $(AXE)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# axe-core (npm registry, test-only) for the accessibility checks in tests/browser/. Without
# npm those checks are skipped, or fail when CONSULT_REQUIRE_BROWSER=1 (CI installs npm).
$(AXE): package.json $(wildcard package-lock.json)
	@if ! command -v npm >/dev/null; then \
	  echo "npm not found: the axe-core accessibility checks will be skipped (apt-get install npm)"; \
	elif [ -f package-lock.json ]; then npm ci --no-audit --no-fund && touch $@; \
	else npm install --no-audit --no-fund && touch $@; fi

clean:
	rm -rf $(VENV) build *.egg-info translations/*/LC_MESSAGES/*.mo node_modules
