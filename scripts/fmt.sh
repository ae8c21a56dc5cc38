#!/usr/bin/env bash
# `make fmt`: rewrite Python with ruff's formatter and autofixes.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
lock_setup
ensure_python_deps dev
unlock_setup
"$VENV/bin/ruff" format .
"$VENV/bin/ruff" check --fix .
