#!/usr/bin/env bash
# `make lint`: ruff (lint + format check), import contracts and checks, migrations in sync, TypeScript types.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

lock_setup
ensure_python_deps dev
typecheck_frontend
unlock_setup

run_lint() {
  check_lock
  log "ruff check"
  "$VENV/bin/ruff" check .
  log "ruff format --check"
  "$VENV/bin/ruff" format --check .
  log "lint-imports (one-way layers, no import cycles: [tool.importlinter] in pyproject.toml)"
  "$VENV/bin/lint-imports" --no-cache
  log "no import cycles among all our modules; function-local imports of them say why"
  env -u REDIS_URL -u DATABASE_URL -u DJANGO_SETTINGS_MODULE "$VENV/bin/pytest" -q -p no:cacheprovider \
    tests/test_no_import_cycles_among_our_modules.py tests/test_no_function_local_imports_without_a_reason.py
  log "manage.py makemigrations --check --dry-run (embedded settings)"
  env -u REDIS_URL -u DATABASE_URL -u DJANGO_SETTINGS_MODULE \
    "$PY" manage.py makemigrations --check --dry-run
}
run_lint
