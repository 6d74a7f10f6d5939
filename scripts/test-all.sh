#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: toolchain, services, static
# checks, unit/store/contract/integration tests (jest) and end-to-end tests
# (Playwright + Debian Chromium). Ends with one line "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/test-results"
rm -rf "$OUT" && mkdir -p "$OUT"
started=$(date +%s)

section() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - started ))"; }

section "bootstrap"
# shellcheck source=scripts/bootstrap.sh
source "$ROOT/scripts/bootstrap.sh" || { echo "bootstrap failed"; echo "0 passed, 1 failed"; exit 1; }
set +e
bash "$ROOT/scripts/ensure-services.sh" || { echo "0 passed, 1 failed"; exit 1; }
export CI=true
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-postgresql://postgres@127.0.0.1:5432}"

declare -a FAILED_STEPS=()
static_passed=0
run_check() {
  local name="$1"; shift
  section "$name"
  if "$@"; then static_passed=$((static_passed + 1)); else FAILED_STEPS+=("$name"); fi
}

run_check "openapi spec is generated" node scripts/generate-openapi.js plugins/praevisio-backend --check
run_check "prettier" prettier --check --loglevel warn .
run_check "lint" backstage-cli repo lint
run_check "tsc" yarn tsc

section "jest (unit, store on SQLite + PostgreSQL, contract, integration)"
backstage-cli repo test --maxWorkers=2 --ci --json --outputFile="$OUT/jest.json" \
  || FAILED_STEPS+=("jest")

section "end-to-end (Playwright, Chromium)"
npx playwright test || FAILED_STEPS+=("e2e")

section "summary"
node "$ROOT/scripts/summarize-tests.js" "$OUT" "$static_passed" "${#FAILED_STEPS[@]}" "${FAILED_STEPS[*]:-}"
