# Pressroom — the README's commands. `make demo` runs the site; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard pressroom/translations/*/LC_MESSAGES/messages.po))

.PHONY: install demo serve test lint bench mutation system-check translations extract clean

install: system-check $(STAMP) $(CATALOGUES)

# WeasyPrint needs Pango; the Vietnamese font is vendored under pressroom/static/fonts.
system-check:
	@if ! /sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' ; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Pango for WeasyPrint (apt-get)"; \
	    apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	  else \
	    echo "WeasyPrint needs Pango. Install it with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	    exit 1; \
	  fi; \
	fi
	@test -f pressroom/static/fonts/NotoSans-Regular.woff2 || { echo "The vendored Noto Sans font is missing from pressroom/static/fonts"; exit 1; }

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (set PYTHON=python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

%.mo: %.po $(STAMP)
	$(BIN)/pybabel -q compile -d pressroom/translations -D messages

demo: install
	PRESSROOM_DEMO_MODE=1 $(BIN)/pressroom demo

serve: install
	$(BIN)/pressroom serve

lint: install
	$(BIN)/ruff check pressroom tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/public_pages.py

# Mutation testing of the modules that keep people safe (pyproject.toml [tool.mutmut]); not in
# CI: about an hour on two cores. Prints the kill rate per module; fails under 90 %.
# Re-test some mutants after adding tests: .venv/bin/mutmut run 'pressroom.core.security*'
mutation: install
	$(BIN)/pip install -q mutmut==3.8.1
	rm -rf mutants
	env -u PRESSROOM_TEST_DATABASE_URL $(BIN)/mutmut run --max-children 2
	$(BIN)/python tests/mutation/report.py

# Translators: extract new strings and merge them into the catalogues.
extract: $(STAMP)
	$(BIN)/pybabel -q extract --no-location -F babel.cfg -k lazy -o pressroom/translations/messages.pot .
	$(BIN)/pybabel -q update -N -i pressroom/translations/messages.pot -d pressroom/translations -D messages

clean:
	rm -rf $(VENV) var mutants pressroom.db pressroom.db-wal pressroom.db-shm
