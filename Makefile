# 营业区日常管理系统 — see README.md
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_DEBUG ?= 1

.PHONY: run test setup deps os-deps static migrate demo lint messages clean bench

setup: $(VENV)/.installed node_modules/.installed

# What the forms' PDFs need from the system (WeasyPrint: pango; the CJK font) and the fonts for
# printing/screenshots.
OS_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0

os-deps:
	@# Best effort (needs root and apt). Only the missing packages; the package lists are
	@# refreshed (at most 5 minutes) only if the first try fails.
	@missing=""; for p in $(OS_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1 || \
		{ timeout 300 apt-get update -q >/dev/null 2>&1; \
		  apt-get install -y -q --no-install-recommends $$missing >/dev/null 2>&1; } || \
		echo "note: could not install$$missing (pages still work; PDFs of the forms need them)"; fi

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: os-deps demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: os-deps setup
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

# Speed targets (bench/README.md): every benchmark at its default size, a markdown report each.
# BENCH_ARGS is passed to every script, e.g. BENCH_ARGS="--database-url postgres://…".
BENCH_SCRIPTS := $(sort $(wildcard bench/bench_*.py))
bench: setup
	@set -e; for script in $(BENCH_SCRIPTS); do echo "## $$script"; $(PY) $$script $(BENCH_ARGS); done

lint: setup
	$(VENV)/bin/ruff check .

messages: setup
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=node_modules --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3*
