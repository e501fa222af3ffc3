# The two commands of the README:
#   make demo   start the portal with demo data (SQLite, tasks in-process, no services)
#   make test   run the whole test suite against the real PostgreSQL and Redis
# The work is done by scripts/; this file only names it.

.DEFAULT_GOAL := help
VENV := .venv
PYTEST_ARGS ?=
# The tools that write the locks are pinned like everything else.
UV_VERSION := 0.13.9
PIP_VERSION ?= 26.3

.PHONY: help venv demo test check lint format lock lock-installer uv messages

help:
	@echo "make demo    start the portal with demo data on http://127.0.0.1:8000"
	@echo "make test    run every test (PostgreSQL and Redis must run; PYTEST_ARGS=... to narrow)"
	@echo "make check   migrations up to date, system checks, deployment checks"
	@echo "make lint    ruff check, ruff format --check and the import contracts (.importlinter)"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make lock    regenerate requirements.lock from pyproject.toml"
	@echo "make lock-installer PIP_VERSION=x.y  pin the pip that installs the lock"
	@echo "make messages  extract new strings into the zh-Hant catalogue and compile it"

venv:
	@bash scripts/bootstrap

demo:
	@bash scripts/demo

test:
	@bash scripts/test $(PYTEST_ARGS)

check: venv
	@bash scripts/check

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

uv: venv
	@$(VENV)/bin/uv --version 2>/dev/null | grep -q " $(UV_VERSION)" \
		|| $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

lock: uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 --quiet -o requirements.lock

lock-installer: uv
	@mkdir -p var
	@echo "pip==$(PIP_VERSION)" > var/installer.in
	$(VENV)/bin/uv pip compile var/installer.in --generate-hashes --no-header --quiet \
		--python-version 3.11 -o var/installer.lock
	@{ sed -n '/^#/p' requirements-installer.lock | grep -v '^    #'; \
	   grep -v '^    # via' var/installer.lock; } > requirements-installer.lock.new
	@mv requirements-installer.lock.new requirements-installer.lock
	@cat requirements-installer.lock

messages: venv
	DJANGO_DEBUG=true $(VENV)/bin/python manage.py makemessages -l zh_Hant --no-obsolete \
		--ignore='.venv/*' --ignore='tests/*' --ignore='staticfiles/*' --ignore='var/*'
	DJANGO_DEBUG=true $(VENV)/bin/python manage.py compilemessages -l zh_Hant
