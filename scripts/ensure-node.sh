#!/usr/bin/env bash
# Makes a Node.js of the given version available without touching the system
# one, and prints the directory holding its `node` on the LAST line of stdout
# (progress goes to stderr):
#
#   NODE_BIN=$(bash scripts/ensure-node.sh 22.12.0 | tail -1)
#   PATH="$NODE_BIN:$PATH" node --version    # -> v22.12.0
#
# The binary comes from the npm registry's `node` package (which installs the
# platform's `node-<os>-<arch>` package), so npm and the registry are all it
# needs. It is installed once into
# ${PULUMI_TOOLCHAIN_CACHE:-$HOME/.cache/pulumi-managed-redis}/node/v<version>;
# later calls return at once. Nothing is written inside the repository.
set -euo pipefail

version=${1:-}
version=${version#v}
if ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "usage: ensure-node.sh X.Y.Z" >&2
  exit 2
fi
cache_root=${PULUMI_TOOLCHAIN_CACHE:-$HOME/.cache/pulumi-managed-redis}
dir="$cache_root/node/v$version"
bin="$dir/node_modules/.bin"
log() { echo "[ensure-node] $*" >&2; }

reports_version() { [ -x "$bin/node" ] && [ "$("$bin/node" --version 2>/dev/null)" = "v$version" ]; }

mkdir -p "$dir"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$dir/.lock"
  flock 9
fi
if ! reports_version; then
  log "installing node@$version from the npm registry into $dir"
  start=$SECONDS
  printf '{ "name": "node-%s", "private": true }\n' "$version" >"$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node@$version" >&2
  reports_version || {
    log "node@$version did not install a working node in $bin"
    exit 1
  }
  log "installed in $((SECONDS - start))s"
fi
log "node $("$bin/node" --version) in $bin"
echo "$bin"
