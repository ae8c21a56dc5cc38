#!/usr/bin/env bash
# `make test` (and CI): dev dependencies, frontend build, Chromium, Redis and PostgreSQL for
# the tests that need them, lint, then pytest in two passes:
#
# 1. embedded mode, the whole suite: REDIS_URL and DATABASE_URL are removed from its
#    environment (a developer's own settings never leak in); Redis reaches it only as
#    REDIS_TEST_URL, PostgreSQL only as PG_TEST_URL.
# 2. distributed mode, DISTRIBUTED_TESTS (default: tests/engine tests/distributed
#    tests/faults and the unstorable-text test), with
#    REDIS_URL/DATABASE_URL set to those test services; skipped without PostgreSQL.
#
# Each pass runs on several pytest-xdist processes: much of the suite waits (browsers, worker
# and server start-up, subprocesses), so even 2 cores gain. PYTEST_WORKERS (default 3) and
# PYTEST_DISTRIBUTED_WORKERS (default 2) set how many per pass; 0 runs a pass in this one
# process. Each process has its own test database (pytest-django) and, in distributed mode,
# its own redis-server (tests/parallel.py). A plain `.venv/bin/pytest tests/x.py` runs in
# one process, as before.
#
# PYTEST_ARGS adds arguments to both passes (e.g. make test PYTEST_ARGS="-k approval -x"),
# after the -n above, so PYTEST_ARGS="-n 0" runs both passes in one process.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

trap cleanup_private_redis EXIT

lock_setup
ensure_python_deps dev
build_frontend
typecheck_frontend
ensure_chromium
unlock_setup

log "frontend unit tests (vitest)"
(cd "$FRONTEND" && npm test --silent)

check_lock
log "ruff check"
"$VENV/bin/ruff" check .
log "ruff format --check"
"$VENV/bin/ruff" format --check .
log "lint-imports (one-way layers, no import cycles: [tool.importlinter] in pyproject.toml)"
"$VENV/bin/lint-imports" --no-cache
log "manage.py makemigrations --check --dry-run (embedded settings)"
env -u REDIS_URL -u DATABASE_URL -u DJANGO_SETTINGS_MODULE \
  "$PY" manage.py makemigrations --check --dry-run

ensure_redis
ensure_postgres

pg_env=()
[ -n "$PG_TEST_URL" ] && pg_env=("PG_TEST_URL=$PG_TEST_URL")

# Pass 1, embedded mode: the whole suite.
log "pytest (embedded mode: the whole suite)"
embedded_rc=0
# shellcheck disable=SC2086  # PYTEST_ARGS is split on purpose
env -u REDIS_URL -u DATABASE_URL -u DJANGO_SETTINGS_MODULE -u PG_TEST_URL \
  REDIS_TEST_URL="$REDIS_TEST_URL" "${pg_env[@]}" \
  "$VENV/bin/pytest" -q -n "${PYTEST_WORKERS:-3}" ${PYTEST_ARGS:-} || embedded_rc=$?

# Pass 2, distributed mode: the engine and distributed tests again, with REDIS_URL and
# DATABASE_URL pointing at the test services and real Celery workers (docs/architecture.md).
distributed_rc=0
if [ -z "$PG_TEST_URL" ]; then
  warn "skipping the distributed-mode pass: it needs PostgreSQL (set PG_TEST_URL)"
else
  paths=()
  for path in ${DISTRIBUTED_TESTS:-tests/engine tests/distributed tests/faults tests/edges/test_unstorable_text_is_refused_everywhere.py}; do
    [ -e "$path" ] && paths+=("$path")
  done
  if [ "${#paths[@]}" -gt 0 ]; then
    log "pytest (distributed mode: ${paths[*]})"
    # shellcheck disable=SC2086
    env -u DJANGO_SETTINGS_MODULE \
      REDIS_URL="$REDIS_TEST_URL" DATABASE_URL="$PG_TEST_URL" \
      REDIS_TEST_URL="$REDIS_TEST_URL" PG_TEST_URL="$PG_TEST_URL" \
      "$VENV/bin/pytest" -q -n "${PYTEST_DISTRIBUTED_WORKERS:-2}" ${PYTEST_ARGS:-} "${paths[@]}" ||
      distributed_rc=$?
    if [ "$distributed_rc" -eq 5 ]; then
      distributed_rc=0 # PYTEST_ARGS deselected every test of this pass
    fi
  fi
fi

if [ "$embedded_rc" -ne 0 ] || [ "$distributed_rc" -ne 0 ]; then
  die "tests failed (embedded pass: exit $embedded_rc, distributed pass: exit $distributed_rc)"
fi
log "all tests passed"
