# Baton. The logic lives in scripts/; these targets only name it.
#   make run                 set up what is missing and serve http://127.0.0.1:8000/
#   make test                dev deps, frontend, Chromium, Redis, lint, the whole suite
#   make bench               every benchmark next to its peer, one table (BENCH=a,b for some)
# Variables: HOST, PORT (run), PYTEST_ARGS (test), CONCURRENCY (worker), FORCE=1 (frontend).

SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run test bench lint lock fmt frontend worker beat clean distclean

help:
	@sed -n 's/^#   /  /p' $(MAKEFILE_LIST)
	@echo "  make lint | lock | fmt | frontend | worker | beat | clean | distclean"

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

bench:
	@bash scripts/bench.sh

lint:
	@bash scripts/lint.sh

lock:
	@bash scripts/lock.sh

fmt:
	@bash scripts/fmt.sh

frontend:
	@bash scripts/frontend.sh

worker:
	@bash scripts/celery.sh worker

beat:
	@bash scripts/celery.sh beat

clean:
	@bash scripts/clean.sh

distclean:
	@bash scripts/clean.sh --all
