#!/usr/bin/env bash
# Shared helpers for scripts/*.sh. Sourced, never run on its own.
# shellcheck disable=SC2034  # variables here are used by the scripts that source this file

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
FRONTEND="$ROOT/frontend"
STAMPS="$ROOT/var/stamps"
mkdir -p "$STAMPS"

if [ -t 2 ]; then _B=$'\033[1;34m' _Y=$'\033[1;33m' _R=$'\033[1;31m' _N=$'\033[0m'; else _B="" _Y="" _R="" _N=""; fi
log() { printf '%s==>%s %s\n' "$_B" "$_N" "$*" >&2; }
warn() { printf '%swarning:%s %s\n' "$_Y" "$_N" "$*" >&2; }
die() {
  printf '%serror:%s %s\n' "$_R" "$_N" "$*" >&2
  exit 1
}

# Run a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (and sudo is not installed)"
  fi
}

_APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "cannot install $* here: no apt-get (install it by hand)"
  if [ -z "$_APT_UPDATED" ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _APT_UPDATED=1
  fi
  log "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# One setup at a time per checkout (pip, npm ci and vite rewrite shared directories).
lock_setup() {
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$ROOT/var/.setup.lock"
    flock 9
  fi
}
unlock_setup() {
  if command -v flock >/dev/null 2>&1 && { true >&9; } 2>/dev/null; then
    flock -u 9
    exec 9>&-
  fi
}

# sha256 over the names and contents of the given files/directories (relative to ROOT).
hash_paths() {
  (
    cd "$ROOT" || exit 1
    find "$@" -type f ! -name '*.swp' ! -name '*~' -print0 2>/dev/null |
      LC_ALL=C sort -z | xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1
  )
}
stamp_matches() { [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$2" ]; }
stamp_write() { printf '%s\n' "$2" >"$STAMPS/$1"; }

# --- Python -----------------------------------------------------------------

ensure_venv() {
  [ -x "$PY" ] && return 0
  local base="${PYTHON:-python3}"
  command -v "$base" >/dev/null 2>&1 || die "$base not found: install Python 3.11+ (apt-get install python3)"
  "$base" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "Baton needs Python 3.11+, $base is $("$base" --version 2>&1)"
  log "Creating .venv with $("$base" --version 2>&1)"
  if ! "$base" -m venv "$VENV" 2>/dev/null; then
    # Debian splits venv/ensurepip into python3-venv (or python3.X-venv).
    rm -rf "$VENV"
    local minor
    minor="$("$base" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    apt_install "python${minor}-venv" || apt_install python3-venv
    "$base" -m venv "$VENV"
  fi
}

# Locked installs. requirements/base.txt (runtime), requirements/dev.txt (runtime + dev
# extra) and requirements/bench.txt (dev + the benchmarks' peers, `make bench` only) pin
# every package with its hashes; `make lock` writes them from pyproject.toml.
# Their first line records a hash of pyproject.toml's dependency lists, so a stale lock
# is noticed (lock_is_fresh) without asking any registry.
LOCK_BASE="$ROOT/requirements/base.txt"
LOCK_DEV="$ROOT/requirements/dev.txt"
LOCK_BENCH="$ROOT/requirements/bench.txt"

# The sha256 of pyproject.toml's [project] dependencies and optional-dependencies.
lock_inputs_hash() {
  "${PYTHON_FOR_LOCK:-$PY}" - "$ROOT/pyproject.toml" <<'PY'
import hashlib
import json
import sys
import tomllib

with open(sys.argv[1], "rb") as f:
    project = tomllib.load(f)["project"]
inputs = {
    "requires-python": project.get("requires-python"),
    "dependencies": project.get("dependencies", []),
    "optional-dependencies": project.get("optional-dependencies", {}),
}
print(hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest())
PY
}

# Succeeds when every lock file was written from the current pyproject.toml.
lock_is_fresh() {
  local want file
  want="# inputs-sha256: $(lock_inputs_hash)"
  for file in "$LOCK_BASE" "$LOCK_DEV" "$LOCK_BENCH"; do
    [ -f "$file" ] && [ "$(head -n 1 "$file")" = "$want" ] || return 1
  done
}

check_lock() {
  log "lock files match pyproject.toml"
  lock_is_fresh || die "requirements/*.txt were not written from the current pyproject.toml: run make lock"
}

# ensure_python_deps base|dev|bench: install the lock file's exact versions, hash-checked,
# then the project itself with --no-deps; skipped when the lock is unchanged since the last
# install into this very venv. Each lock includes the one before it (bench ⊃ dev ⊃ base).
ensure_python_deps() {
  local extras="$1"
  ensure_venv
  local lock
  case "$extras" in
    base) lock="$LOCK_BASE" ;;
    dev) lock="$LOCK_DEV" ;;
    bench) lock="$LOCK_BENCH" ;;
    *) die "ensure_python_deps: unknown set $extras" ;;
  esac
  [ -f "$lock" ] || die "${lock#"$ROOT"/} is missing: run make lock"
  local want
  want="$(hash_paths requirements pyproject.toml):$(stat -c %Y "$VENV/pyvenv.cfg")"
  if stamp_matches pip-bench "$want" ||
    { [ "$extras" != bench ] && stamp_matches pip-dev "$want"; } ||
    { [ "$extras" = base ] && stamp_matches pip-base "$want"; }; then
    return 0
  fi
  lock_is_fresh || warn "the lock files are older than pyproject.toml's dependencies: run make lock"
  log "pip install --require-hashes -r ${lock#"$ROOT"/}"
  "$PY" -m pip install --disable-pip-version-check -q --require-hashes --no-deps -r "$lock"
  log "pip install --no-deps -e ."
  (cd "$ROOT" && "$PY" -m pip install --disable-pip-version-check -q --no-deps -e .)
  "$PY" -m pip check >/dev/null || die "the installed packages conflict: $("$PY" -m pip check)"
  stamp_write "pip-$extras" "$want"
}

# --- Frontend ---------------------------------------------------------------

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    die "node and npm not found: install Node.js 20.19+ (the frontend is built with Vite)"
  fi
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    die "Node.js 20.19+ is needed to build the frontend, found $(node --version)"
}

frontend_deps() {
  ensure_node
  local want
  want="$(hash_paths frontend/package-lock.json)"
  if [ -f "$FRONTEND/node_modules/.package-lock.json" ] && stamp_matches npm-ci "$want"; then
    return 0
  fi
  log "npm ci (frontend/package-lock.json changed)"
  (cd "$FRONTEND" && npm ci --no-audit --no-fund --loglevel=error)
  stamp_write npm-ci "$want"
}

frontend_sources_hash() {
  hash_paths frontend/src frontend/package.json frontend/package-lock.json \
    frontend/vite.config.ts frontend/tsconfig.json frontend/tsconfig.node.json
}

# Build static/dist/app.js + app.css unless the sources are unchanged (FORCE=1 rebuilds).
build_frontend() {
  local want
  want="$(frontend_sources_hash)"
  if [ -z "${FORCE:-}" ] && stamp_matches vite-build "$want" &&
    [ -f "$ROOT/static/dist/app.js" ] && [ -f "$ROOT/static/dist/app.css" ]; then
    log "Frontend up to date (static/dist/)"
    return 0
  fi
  frontend_deps
  log "npm run build → static/dist/"
  (cd "$FRONTEND" && npm run --silent build)
  if [ ! -f "$ROOT/static/dist/app.js" ] || [ ! -f "$ROOT/static/dist/app.css" ]; then
    die "the frontend build did not write static/dist/app.js and app.css"
  fi
  stamp_write vite-build "$want"
}

typecheck_frontend() {
  local want
  want="$(frontend_sources_hash)"
  if [ -z "${FORCE:-}" ] && stamp_matches tsc "$want"; then
    return 0
  fi
  frontend_deps
  log "npm run typecheck"
  (cd "$FRONTEND" && npm run --silent typecheck)
  stamp_write tsc "$want"
}

# --- Services for the test suite -------------------------------------------

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

redis_reachable() {
  [ -n "$1" ] || return 1
  "$PY" - "$1" >/dev/null 2>&1 <<'PY'
import sys

import redis

redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2, socket_timeout=2).ping()
PY
}

postgres_reachable() {
  [ -n "$1" ] || return 1
  "$PY" - "$1" >/dev/null 2>&1 <<'PY'
import sys

import psycopg

psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
}

# Redis, PostgreSQL and Chromium for `make test` and `make bench` (a script that calls
# ensure_redis traps EXIT with cleanup_private_redis).
PRIVATE_REDIS_PIDFILE=""
cleanup_private_redis() {
  local rc=$?
  if [ -n "$PRIVATE_REDIS_PIDFILE" ]; then
    if [ -f "$PRIVATE_REDIS_PIDFILE" ]; then kill "$(cat "$PRIVATE_REDIS_PIDFILE")" 2>/dev/null || true; fi
    rm -f "$PRIVATE_REDIS_PIDFILE"
    # Keep the server's log only when something went wrong.
    [ "$rc" -eq 0 ] && rm -f "${PRIVATE_REDIS_PIDFILE%.pid}.log"
  fi
  return "$rc"
}
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
