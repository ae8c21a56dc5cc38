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
# PYTEST_ARGS adds arguments to both passes (e.g. make test PYTEST_ARGS="-k approval -x").
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

PRIVATE_REDIS_PIDFILE=""
cleanup() {
  local rc=$?
  if [ -n "$PRIVATE_REDIS_PIDFILE" ]; then
    if [ -f "$PRIVATE_REDIS_PIDFILE" ]; then kill "$(cat "$PRIVATE_REDIS_PIDFILE")" 2>/dev/null || true; fi
    rm -f "$PRIVATE_REDIS_PIDFILE"
    # Keep the server's log only when something went wrong.
    [ "$rc" -eq 0 ] && rm -f "${PRIVATE_REDIS_PIDFILE%.pid}.log"
  fi
  return "$rc"
}
trap cleanup EXIT

ensure_chromium() {
  local chromium="${BATON_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return 0
  if command -v apt-get >/dev/null 2>&1; then
    apt_install chromium fonts-liberation
  else
    warn "no $chromium and no apt-get: the browser tests will skip"
  fi
}

# Sets REDIS_TEST_URL: the caller's REDIS_TEST_URL or REDIS_URL when reachable, else a
# private redis-server on a free port that lives as long as this script.
ensure_redis() {
  local candidate
  for candidate in "${REDIS_TEST_URL:-}" "${REDIS_URL:-}"; do
    if redis_reachable "$candidate"; then
      REDIS_TEST_URL="$candidate"
      log "Redis for tests: $REDIS_TEST_URL"
      return 0
    fi
  done
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  local port
  port="$(free_port)"
  PRIVATE_REDIS_PIDFILE="$ROOT/var/test-redis-$port.pid"
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --daemonize yes --pidfile "$PRIVATE_REDIS_PIDFILE" \
    --dir "$ROOT/var" --logfile "$ROOT/var/test-redis-$port.log"
  REDIS_TEST_URL="redis://127.0.0.1:$port/0"
  local _
  for _ in $(seq 50); do
    redis_reachable "$REDIS_TEST_URL" && {
      log "Redis for tests: private redis-server on port $port"
      return 0
    }
    sleep 0.1
  done
  die "the private redis-server on port $port did not answer (see var/test-redis-$port.log)"
}

# Sets PG_TEST_URL when a PostgreSQL server answers; otherwise unsets it, and the tests
# that need PostgreSQL skip with that reason.
ensure_postgres() {
  local url="${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if ! postgres_reachable "$url" && [ "$(id -u)" -eq 0 ] && command -v pg_lsclusters >/dev/null 2>&1; then
    # An installed but stopped local cluster (this happens after a reboot without systemd).
    local version name
    while read -r version name _; do
      pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >/dev/null 2>&1 || true
    done < <(pg_lsclusters --no-header 2>/dev/null | awk '$4 == "down" {print $1, $2}')
  fi
  if postgres_reachable "$url"; then
    PG_TEST_URL="$url"
    log "PostgreSQL for tests: ${url%%\?*}"
  else
    PG_TEST_URL=""
    warn "no PostgreSQL answers at ${url}: the distributed-mode tests will skip (set PG_TEST_URL)"
  fi
}

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
  "$VENV/bin/pytest" -q ${PYTEST_ARGS:-} || embedded_rc=$?

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
      "$VENV/bin/pytest" -q ${PYTEST_ARGS:-} "${paths[@]}" || distributed_rc=$?
    if [ "$distributed_rc" -eq 5 ]; then
      distributed_rc=0 # PYTEST_ARGS deselected every test of this pass
    fi
  fi
fi

if [ "$embedded_rc" -ne 0 ] || [ "$distributed_rc" -ne 0 ]; then
  die "tests failed (embedded pass: exit $embedded_rc, distributed pass: exit $distributed_rc)"
fi
log "all tests passed"
