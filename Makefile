# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
export DEBUG ?= 1

.PHONY: run test install migrate demo lint format check-migrations bench clean screenshots prod-smoke backup restore

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Cần Python 3.11 ($(PYTHON))"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	mkdir -p var/mail var/media var/broker/out var/broker/processed
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The site, a Celery worker and beat, on SQLite and a filesystem broker unless
# DATABASE_URL / REDIS_URL are set. Sent e-mails land in var/mail/.
# Links in e-mails and calendars follow the port served (SITE_URL set in the environment wins).
run: demo
	PATH=$(BIN):$$PATH PORT=$(PORT) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/honcho start -f Procfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# The production path without Docker (DEBUG off, collectstatic, migrate, gunicorn, worker, beat, /healthz):
# needs PostgreSQL (DATABASE_URL's server) and redis-server. See bin/prod-smoke.
# Backups (pci_portal/backup.py): the database (pg_dump, or SQLite's online backup) and the stored files in
# var/backups/pci-backup-YYYYMMDD-HHMMSS.tar.gz; restore only into an empty database.
backup: install
	$(PY) manage.py backup $(if $(KEEP),--keep $(KEEP))

restore: install
	@test -n "$(ARCHIVE)" || { echo "Dùng: make restore ARCHIVE=var/backups/pci-backup-….tar.gz"; exit 1; }
	$(PY) manage.py restore $(ARCHIVE)

prod-smoke: install
	env -u DEBUG $(PY) bin/prod-smoke

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/ $(VENV)

# English translations: edit locale/en/LC_MESSAGES/django.po, then compile (needs gettext).
# The compiled .mo is committed so that a fresh machine needs no gettext.
messages: install
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=static
	$(PY) manage.py compilemessages -l en
