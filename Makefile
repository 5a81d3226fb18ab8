# Two commands matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1
# `make run PORT=8001` serves on another port; the addresses printed and put in links follow.
PORT ?= 8000
ADDRESS := http://127.0.0.1:$(PORT)

.PHONY: run test lint typecheck bench install

# Beside the server, a task worker sends the mail (printed here by the console backend) and
# the scheduler enqueues the daily reminders, as in production. The worker runs without its
# reloader, whose child would outlive a kill of its parent. Ctrl-C stops all three.
# The demo's onion address is an obviously fake one (content/demo_data.py, DEMO_ONION_URL), so
# that Tor profiles export final texts; set PUBLIC_ONION_URL to use another.
run: export STUDIO_BASE_URL ?= $(ADDRESS)
run: export PUBLIC_ONION_URL ?= http://demoonlydemoonlydemoonlydemoonlydemoonlydemoonlydemoonly.onion
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Background tasks: a worker (manage.py db_worker) and the scheduler" \
	  "(manage.py run_scheduler) run beside the server; mail is printed here."
	@echo "Public site: $(ADDRESS)/   Studio: $(ADDRESS)/studio/"
	@trap 'kill $$worker $$scheduler 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@
