# The two commands: `make run` serves the demo town, `make test` runs the whole suite.
# Both set up everything they need on a fresh machine, and both are safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
RUN_TASKS_BACKEND ?= django_tasks_db.DatabaseBackend
# Links in e-mails and reminders, sent by the worker outside any request, lead here.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install lint format messages system-packages vendor clean check-production fuzz

# SCHED_IDLE where util-linux's chrt is there (Debian has it), else a lower niceness.
WORKER_PRIORITY ?= $(shell command -v chrt >/dev/null 2>&1 && echo chrt --idle 0 || echo nice -n 10)

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Koproduktion läuft auf http://$(HOST):$(PORT)/ – Demo-Zugänge stehen in der README."
	@# Background work (opinion maps, e-mail) goes through the database queue; its worker runs
	@# beside the web server, on the time no request wants (docs/deploy.md), and stops with it.
	export TASKS_BACKEND=$(RUN_TASKS_BACKEND) SITE_URL=$(SITE_URL); \
	$(WORKER_PRIORITY) $(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs in TEST_WORKERS processes (pytest-xdist), each test file whole in one of them,
# so that a module's fixtures are made once; each process has its own test database.
TEST_WORKERS ?= 2

test: install node_modules/.installed system-packages messages
	$(PY) -m ruff check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The production deploy (DJANGO_ENV=production, collectstatic, gunicorn) serves real pages;
# on a fresh SQLite database in a temporary folder (tools/production_check.py).
check-production: install messages
	$(PY) -m tools.production_check

# schemathesis against /api/v1/openapi.json of a started server with the demo town, for
# FUZZ_SECONDS: no server error, every status documented (tools/api_fuzz.py). About 3 minutes.
FUZZ_SECONDS ?= 150
fuzz: install messages
	$(PY) -m tools.api_fuzz --max-time $(FUZZ_SECONDS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --constraint constraints.txt --editable ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests, gettext for the translations and nginx for the test of
# the documented upload serving (tests/test_media_behind_nginx.py), when missing.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	[ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

messages: install
	@command -v msgfmt >/dev/null || $(MAKE) system-packages
	cd koproduktion && ../$(PY) ../manage.py compilemessages --verbosity 0

# Update the translation catalogue after changing UI strings.
makemessages: install
	cd koproduktion && ../$(PY) ../manage.py makemessages --locale en --no-obsolete --no-location

# Copy htmx and Leaflet from npm into our static files (committed, so production needs no npm).
# Their source maps are not shipped, so the comments naming them go: collectstatic in production
# (ManifestStaticFilesStorage) refuses a file that refers to a missing one.
vendor: node_modules/.installed
	cp node_modules/htmx.org/dist/htmx.min.js koproduktion/static/vendor/htmx.min.js
	mkdir -p koproduktion/static/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images koproduktion/static/vendor/leaflet/
	find koproduktion/static/vendor -name '*.js' -o -name '*.css' | \
	  xargs sed -i -E '/^[/][/*][#@] sourceMappingURL=/d'

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
