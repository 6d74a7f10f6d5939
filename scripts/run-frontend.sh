#!/usr/bin/env bash
# Serves the portal frontend on :3000 (Rspack dev server).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT/packages/app"
exec backstage-cli package start "$@"
