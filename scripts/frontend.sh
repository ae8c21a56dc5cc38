#!/usr/bin/env bash
# `make frontend`: npm ci when package-lock.json changed, then build static/dist/ when the
# sources changed. FORCE=1 rebuilds anyway.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
lock_setup
build_frontend
