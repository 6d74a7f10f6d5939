#!/usr/bin/env bash
# Runs the portal backend once, without the file watcher of `yarn start`
# (demo, end-to-end tests). Extra arguments are passed to the backend, e.g.
# `--config app-config.demo.yaml`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CALLER_DIR="$PWD"
source "$ROOT/scripts/bootstrap.sh"
export NODE_ENV="${NODE_ENV:-development}"
# Config paths are relative to where the script was called from.
configs=(--config "$ROOT/app-config.yaml")
while [ $# -gt 0 ]; do
  if [ "$1" = --config ] && [ $# -ge 2 ]; then
    case "$2" in /*) configs+=(--config "$2") ;; *) configs+=(--config "$CALLER_DIR/$2") ;; esac
    shift 2
  else
    configs+=("$1"); shift
  fi
done
cd "$ROOT/packages/backend"
exec node --enable-source-maps \
  --require @backstage/cli-node/config/nodeTransform.cjs \
  src/index.ts "${configs[@]}"
