# Pass Emploi — every set-up step lives here so a fresh machine needs only `make run` / `make test`.
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run install migrate seed serve test lint format check-deploy requirements browser clamav clean

$(PY):
	@command -v python$(PYTHON_VERSION) >/dev/null 2>&1 || { echo "python$(PYTHON_VERSION) introuvable : installez Python $(PYTHON_VERSION)."; exit 1; }
	python$(PYTHON_VERSION) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py load_communes
	$(PY) manage.py generate_offers --count 3000 --if-empty
	$(PY) manage.py build_stats --demo

# The task worker (notifications, reminders, nightly jobs) runs beside the server and stops with it.
run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py worker --workers 1 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
browser:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Debian's ClamAV daemon: the attachment tests start their own clamd (see tests/chat/clamd.py).
clamav:
	@test -x /usr/sbin/clamd || { \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq clamav-daemon >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq clamav-daemon >/dev/null; fi; }

test: install browser clamav
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint passemploi --lint
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=passemploi.example CLAMD_HOST=clamav.internal CHAT_MASTER_KEYS=k1:$$(python3 -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())") $(PY) manage.py check --deploy --fail-level WARNING

# Re-pin after editing pyproject.toml.
requirements: $(PY)
	$(PIP) install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links --extra dev -o requirements-dev.txt pyproject.toml

clean:
	rm -rf $(VENV) var
