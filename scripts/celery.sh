#!/usr/bin/env bash
# `make worker` / `make beat`: the Celery processes of distributed mode (REDIS_URL and
# DATABASE_URL set). CONCURRENCY (default 16) sets the worker's thread count.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

role="${1:-}"
[ -n "${REDIS_URL:-}" ] || die "celery $role runs in distributed mode only: set REDIS_URL (and DATABASE_URL). Without them, \`make run\` runs tasks and triggers in the web process."

lock_setup
ensure_python_deps base
unlock_setup

case "$role" in
  worker)
    exec "$VENV/bin/celery" -A coordinator worker --pool threads -c "${CONCURRENCY:-16}" -l "${LOGLEVEL:-info}"
    ;;
  beat)
    exec "$VENV/bin/celery" -A coordinator beat -S django_celery_beat.schedulers:DatabaseScheduler -l "${LOGLEVEL:-info}"
    ;;
  *)
    die "usage: scripts/celery.sh worker|beat"
    ;;
esac
