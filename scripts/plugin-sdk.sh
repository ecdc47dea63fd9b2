#!/usr/bin/env bash
# The SDKs of the plugin face, generated from its schema (lib/provider/plugin/schema.json, written by
# `npm run build`) by scripts/pulumi-toolchain/sdkgen (Pulumi's own code generators; built and cached
# by scripts/ensure-sdkgen.sh).
#
#   bash scripts/plugin-sdk.sh generate   # rewrite the committed Node.js SDK, sdk/nodejs
#   bash scripts/plugin-sdk.sh check      # regenerate all three SDKs in a temporary folder and check:
#                                         #  1. the Node.js SDK equals sdk/nodejs, file for file;
#                                         #  2. every Python file compiles (python3 -m py_compile);
#                                         #  3. the Go SDK builds (go build ./...) against
#                                         #     github.com/pulumi/pulumi/sdk/v3 at the newest CLI's
#                                         #     version (newest.pulumiCli in scripts/toolchains.json).
#
# Run `npm run build` first (the schema comes from the build). The Go build reads modules from the
# module cache (GOFLAGS=-mod=mod, GOSUMDB=off) and uses the proxy only for what the cache lacks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
schema=lib/provider/plugin/schema.json
log() { echo "[plugin-sdk] $*" >&2; }
[ -f "$schema" ] || {
  log "$schema is missing: run npm run build first"
  exit 1
}
sdkgen=$(bash scripts/ensure-sdkgen.sh | tail -1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "${1:-}" in
  generate)
    "$sdkgen" -schema "$schema" -out "$tmp" -lang nodejs
    rm -rf sdk/nodejs
    mkdir -p sdk
    cp -R "$tmp/nodejs" sdk/nodejs
    log "wrote sdk/nodejs"
    ;;
  check)
    start=$SECONDS
    "$sdkgen" -schema "$schema" -out "$tmp"
    if ! diff -r "$tmp/nodejs" sdk/nodejs >&2; then
      log "FAIL: sdk/nodejs is not what the generator writes from $schema: run bash scripts/plugin-sdk.sh generate"
      exit 1
    fi
    log "ok: sdk/nodejs is what the generator writes"

    count=0
    while IFS= read -r -d '' py; do
      python3 -m py_compile "$py"
      count=$((count + 1))
    done < <(find "$tmp/python" -name '*.py' -print0)
    [ "$count" -gt 0 ] || {
      log "FAIL: no Python files generated"
      exit 1
    }
    log "ok: $count Python files compile ($(python3 --version))"

    go_bin=$(command -v go || echo /usr/local/go/bin/go)
    cli=$(sed -n 's/.*"newest".*"pulumiCli": *"\([0-9.]*\)".*/\1/p' scripts/toolchains.json)
    cat >"$tmp/go/go.mod" <<GOMOD
module github.com/pulumi-managed-redis/pulumi-managed-redis/sdk/go

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v$cli
GOMOD
    (cd "$tmp/go" && GOSUMDB=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 \
      "$go_bin" build -trimpath ./... >&2) || {
      log "FAIL: the Go SDK does not build against github.com/pulumi/pulumi/sdk/v3 v$cli"
      exit 1
    }
    log "ok: the Go SDK builds against github.com/pulumi/pulumi/sdk/v3 v$cli ($("$go_bin" version))"
    log "checked in $((SECONDS - start))s"
    ;;
  *)
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
