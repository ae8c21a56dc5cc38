#!/usr/bin/env bash
# `make clean`: remove build outputs, stamps and caches. Keeps .venv, node_modules and the
# database in var/ (`make distclean` removes .venv and node_modules too).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

rm -rf static/dist var/stamps var/staticfiles test-artifacts .pytest_cache .ruff_cache
find . \( -path ./.venv -o -path ./frontend/node_modules -o -path ./.git \) -prune -o \
  -type d -name __pycache__ -print0 | xargs -0 -r rm -rf
if [ "${1:-}" = "--all" ]; then
  rm -rf .venv frontend/node_modules
fi
log "clean"
