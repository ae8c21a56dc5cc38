#!/usr/bin/env bash
# `make lock`: write requirements/base.txt, dev.txt and bench.txt from pyproject.toml,
# every package pinned with its hashes, for every platform and Python >= 3.11. Versions
# already in the lock are kept unless pyproject.toml rules them out; UPGRADE=pkg (or
# UPGRADE=all) moves one package (or everything) to the newest allowed release.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

lock_setup
ensure_venv
[ -x "$VENV/bin/uv" ] || "$PY" -m pip install --disable-pip-version-check -q "uv>=0.5"
unlock_setup

upgrade=()
case "${UPGRADE:-}" in
  "") ;;
  all) upgrade=(--upgrade) ;;
  *) for pkg in ${UPGRADE//,/ }; do upgrade+=(--upgrade-package "$pkg"); done ;;
esac

header="# inputs-sha256: $(lock_inputs_hash)"
mkdir -p requirements
compile() {
  local out="$1"
  shift
  local tmp
  tmp="$(mktemp)"
  # Start from the current lock so unchanged pins stay put.
  [ -f "$out" ] && tail -n +2 "$out" >"$tmp"
  UV_CUSTOM_COMPILE_COMMAND="make lock" "$VENV/bin/uv" pip compile pyproject.toml "$@" \
    --universal --python-version 3.11 --generate-hashes --no-header --quiet \
    "${upgrade[@]}" -o "$tmp"
  { echo "$header"; echo "# Written by \`make lock\` from pyproject.toml; do not edit."; cat "$tmp"; } >"$out"
  rm -f "$tmp"
  log "wrote ${out#"$ROOT"/}"
}
compile requirements/base.txt
compile requirements/dev.txt --extra dev
# The benchmarks' peers on top of the dev lock, constrained to its pins: installing them
# (`make bench`) never moves a package the tests were run with.
compile requirements/bench.txt --extra dev --extra bench --constraint requirements/dev.txt
