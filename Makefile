# Composer: the two commands a newcomer needs are `make run` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The newest Python on this machine that pyproject's requires-python allows (3.11 to 3.13) and that runs (a
# pyenv shim may name a version that is not active), else python3.
PYTHON ?= $(firstword $(foreach version,3.13 3.12 3.11,\
	$(shell python$(version) -c "" >/dev/null 2>&1 && command -v python$(version))) python3)

.PHONY: run serve worker test test-fast fuzz lint bench samples install clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Embedded default: SQLite, in-process Celery worker, in-memory channel layer.
run: $(STAMP)
	bash scripts/ensure-voices
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver --noreload --nostatic 127.0.0.1:8000

# Production web server: HTTP and websockets from COMPOSER_WEB_PROCESSES processes on one port (see README).
serve: $(STAMP)
	$(PY) -m composer.serve --host $${COMPOSER_HOST:-127.0.0.1} --port $${COMPOSER_PORT:-8000}

# Scale-out: a separate render worker (needs REDIS_URL and usually DATABASE_URL).
worker: $(STAMP)
	$(VENV)/bin/celery -A composer.celery worker -l info

# The main suite always runs the embedded default; DATABASE_URL/REDIS_URL, when set, are handed to the
# scale-out suite (tests/scale), which starts its own web server (make serve's) and celery processes against them.
test: $(STAMP)
	bash scripts/ensure-chromium
	bash scripts/ensure-node
	bash scripts/ensure-voices
	SCALE_DATABASE_URL="$${DATABASE_URL:-}" SCALE_REDIS_URL="$${REDIS_URL:-}" DATABASE_URL= REDIS_URL= \
		$(PY) -m pytest $(TEST_WORKERS) $(PYTEST_ARGS)

# One process by default. TEST_WORKERS="-n 2" runs two pytest-xdist workers: the browser modules, which mostly wait
# on their server and Chromium, beside the rest; every test outside tests/e2e stays in one worker, one at a time (the
# scheduler: tests/conftest.py). On a 2-core machine that saved a tenth of the run (20.5 against about 22.5 minutes)
# and made the ETA-accuracy test fail, the browser modules taking the cores from the render it times.
TEST_WORKERS ?=

# The inner loop: every suite without a browser, a video render or the scale-out services.
test-fast: $(STAMP)
	bash scripts/ensure-node
	bash scripts/ensure-voices
	DATABASE_URL= REDIS_URL= $(PY) -m pytest -m "not e2e and not render and not scale" $(PYTEST_ARGS)

# The schema fuzzer alone with many cases per operation, the coverage phase and the operations that render (CI runs
# a few cases per operation as part of the suite).
fuzz: $(STAMP)
	bash scripts/ensure-voices
	DATABASE_URL= REDIS_URL= COMPOSER_FUZZ_EXAMPLES=$${COMPOSER_FUZZ_EXAMPLES:-200} $(PY) -m pytest -m fuzz \
		tests/security/test_schema_fuzz.py $(PYTEST_ARGS)

# Also checks (on PyPI) that every dependency installs from wheels on each Python version the project declares.
lint: $(STAMP)
	$(VENV)/bin/ruff check composer tests bench
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/check-wheels

# The scale-out and batch benches need PostgreSQL and Redis (DATABASE_URL / REDIS_URL, else this machine's defaults).
bench: $(STAMP)
	$(PY) bench/render_bench.py --ten-minutes
	$(PY) bench/api_bench.py
	$(PY) bench/api_cpu_bench.py
	$(PY) bench/preview_bench.py
	$(PY) bench/scaleout_bench.py --database-url "$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" \
		--redis-url "$${REDIS_URL:-redis://127.0.0.1:6379/0}"
	$(PY) bench/batch_bench.py --database-url "$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}" \
		--redis-url "$${REDIS_URL:-redis://127.0.0.1:6379/0}"

# The sample reel: every built-in presenter in both orientations, EN/ZH/JA subtitles, stills for the README.
samples: $(STAMP)
	$(PY) manage.py samples

clean:
	rm -rf $(VENV) var
