# The two commands a newcomer needs: `make demo` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV := $(or $(shell command -v uv 2>/dev/null),python3 -m uv)
RUN := $(UV) run --frozen
VENV_STAMP := .venv/.installed
NODE_STAMP := node_modules/.installed
LOCALE := src/vertrouwen/web/locale

.PHONY: help install system-packages browser demo demo-reset test lint pytest bench loadtest backup restore messages secrets

help:
	@echo "make demo        install, fill the demo municipality Voorbeeldstad and serve http://127.0.0.1:8000 (PORT=8001)"
	@echo "make demo-reset  start the demo over with a new database"
	@echo "make test        lint, import contracts and the whole test suite"
	@echo "make bench       benchmarks: a table on screen and var/bench.json"
	@echo "make loadtest    50 case managers + 200 respondents, 10 min, PostgreSQL size M: var/loadtest.json"
	@echo "make backup      pg_dump of DATABASE_URL to var/backups/ (BACKUP_FILE= to choose); docs/operations.md"
	@echo "make restore     pg_restore of BACKUP_FILE (default the newest) into RESTORE_DATABASE_URL or DATABASE_URL"

$(VENV_STAMP): pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(LOCALE)/nl/LC_MESSAGES/django.mo: $(LOCALE)/nl/LC_MESSAGES/django.po $(VENV_STAMP)
	$(RUN) pybabel compile --domain django --directory $(LOCALE) --locale nl --statistics

messages:  ## refresh the Dutch message catalogue from the source
	$(RUN) vertrouwen manage makemessages --locale nl --no-obsolete --ignore 'node_modules/*' --ignore '.venv/*'

# Always asked: an older .env gets the secrets a newer version needs; one it has is never changed.
secrets: | $(VENV_STAMP)
	$(RUN) vertrouwen configure

# Debian packages no Python or npm package brings: as root they are installed, otherwise the command is named.
system-packages:
	@scripts/system-packages reports

browser:
	@scripts/system-packages browser

install: system-packages $(VENV_STAMP) $(NODE_STAMP) $(LOCALE)/nl/LC_MESSAGES/django.mo secrets

PORT ?= 8000

demo: install
	$(RUN) vertrouwen demo --bind 127.0.0.1:$(PORT)

demo-reset: install
	$(RUN) vertrouwen demo --reset --bind 127.0.0.1:$(PORT)

lint: install
	$(RUN) ruff check src tests benchmarks
	$(RUN) lint-imports

pytest: install browser
	$(RUN) pytest

test: lint pytest

bench: install
	$(RUN) python -m benchmarks

# Not part of `make test`: about 10 minutes of load plus the preparation (docs/operations.md).
loadtest: install
	$(RUN) python -m benchmarks.load $(LOADTEST_ARGS)

# Backup and restore (docs/operations.md). No .env is made here: a restore needs the original secrets.
backup: $(VENV_STAMP)
	$(RUN) vertrouwen backup $(if $(BACKUP_FILE),--file "$(BACKUP_FILE)")

restore: $(VENV_STAMP)
	$(RUN) vertrouwen restore $(if $(BACKUP_FILE),--file "$(BACKUP_FILE)") $(if $(filter 1 true yes,$(FORCE)),--force)
