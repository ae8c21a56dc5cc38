#!/usr/bin/env bash
# `make bench`: every benchmark next to its peer in the same invocation, then one table
# (bench/table.py) of Baton, the peer and the ratio. Installs requirements/bench.txt (the dev
# lock plus the peers of the `bench` extra: LangGraph and its SQLite checkpointer) into .venv;
# `make run` never does. Needs Redis (a private one is started when none answers) and
# PostgreSQL (BENCH_PG_URL, default: database baton_bench on the local server).
# BENCH=overhead,parallel runs a subset; each benchmark's JSON line is kept in var/bench/<time>/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
trap cleanup_private_redis EXIT

lock_setup
ensure_python_deps bench
build_frontend
ensure_chromium
unlock_setup
check_lock

ensure_redis
ensure_postgres
[ -n "$PG_TEST_URL" ] || die "make bench needs PostgreSQL for distributed mode (set PG_TEST_URL)"
export BENCH_REDIS_URL="$REDIS_TEST_URL"
export BENCH_PG_URL="${BENCH_PG_URL:-${PG_TEST_URL%/*}/baton_bench}"

out="$ROOT/var/bench/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
declare -A ARGS=(
  [overhead]="--mode both"
  [parallel]="--mode both"
  [pipeline]="--mode both"
  [run_creation]="--mode both"
  [ws_fanout]="--clients 200 --servers 2 --client-processes 2"
  [editor_perf]="--nodes 5000 --edges 7500"
)
failed=0
names="${BENCH:-overhead parallel pipeline run_creation ws_fanout editor_perf}"
for name in ${names//,/ }; do
  log "bench/$name.py ${ARGS[$name]:-}"
  # shellcheck disable=SC2086  # the arguments are split on purpose
  if env -u REDIS_URL -u DATABASE_URL -u DJANGO_SETTINGS_MODULE \
    "$PY" "bench/$name.py" ${ARGS[$name]:-} >"$out/$name.json"; then
    tail -n 1 "$out/$name.json" >&2
  else
    warn "bench/$name.py failed"
    failed=1
  fi
done
"$PY" bench/table.py "$out"
[ "$failed" -eq 0 ] || die "some benchmarks failed (their rows say so)"
