#!/usr/bin/env bash
# Starts the portal with demo data: the sandbox simulators (Argo CD on :7010),
# the backend on :7007 and the frontend on :3000. Ctrl-C stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

node packages/sandbox/bin/praevisio-sandbox start --argocd-port 7010 &
pids+=($!)
bash scripts/run-backend.sh --config app-config.demo.yaml &
pids+=($!)
bash scripts/run-frontend.sh &
pids+=($!)

echo "Praevisio Ops demo: http://localhost:3000 (sign in as Guest). Ctrl-C to stop."
wait -n "${pids[@]}"
