#!/usr/bin/env bash
# `make run`: set up what is missing, migrate, seed the demo, serve on daphne.
# HOST and PORT (default 127.0.0.1:8000) choose where it listens.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

lock_setup
ensure_python_deps base
build_frontend
unlock_setup

"$PY" - "$HOST" "$PORT" <<'PY' || die "port $PORT on $HOST is busy (another Baton?); try: make run PORT=8001"
import socket
import sys

with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(sys.argv[2])))
PY

# WhiteNoise serves static/ through the finders; an existing STATIC_ROOT keeps it quiet.
mkdir -p "${BATON_VAR_DIR:-$ROOT/var}/staticfiles"

log "manage.py migrate"
"$PY" manage.py migrate --noinput

if "$PY" manage.py help seed_demo >/dev/null 2>&1; then
  log "manage.py seed_demo"
  "$PY" manage.py seed_demo --url "http://$HOST:$PORT/"
else
  warn "manage.py seed_demo is not available in this checkout; skipping the demo data"
fi

log "Baton is starting at http://$HOST:$PORT/  (Ctrl-C stops it)"
exec "$VENV/bin/daphne" -b "$HOST" -p "$PORT" coordinator.asgi:application
