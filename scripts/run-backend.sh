#!/usr/bin/env bash
# Runs the portal backend once, without the file watcher of `yarn start`
# (demo, end-to-end tests). Extra arguments are passed to the backend, e.g.
# `--config app-config.demo.yaml`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT/packages/backend"
export NODE_ENV="${NODE_ENV:-development}"
configs=(--config "$ROOT/app-config.yaml")
for extra in "$@"; do configs+=("$extra"); done
exec node --enable-source-maps \
  --require @backstage/cli-node/config/nodeTransform.cjs \
  src/index.ts "${configs[@]}"
