#!/usr/bin/env bash
# Builds (once) the SDK generator of the plugin face, scripts/pulumi-toolchain/sdkgen, and prints
# the path of the executable on the LAST line of stdout (progress goes to stderr):
#
#   SDKGEN=$(bash scripts/ensure-sdkgen.sh | tail -1)
#   "$SDKGEN" -schema lib/provider/plugin/schema.json -out /tmp/sdk   # -> nodejs/ python/ go/
#
# The generator links github.com/pulumi/pulumi/pkg/v3/codegen at the version sdkgen/go.mod names
# (the newest CLI's, newest.pulumiCli in scripts/toolchains.json), so it reuses the module cache of
# the CLI build. The executable is cached under
# ${PULUMI_TOOLCHAIN_CACHE:-$HOME/.cache/pulumi-managed-redis}/sdkgen/<fingerprint of the sources>/,
# built with CGO_ENABLED=0 and -trimpath under a lock; nothing is written inside the repository.
# Needs Go >= 1.25.11 and, the first time, the Go module proxy (or a warm module cache).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src="$here/pulumi-toolchain/sdkgen"
cache_root=${PULUMI_TOOLCHAIN_CACHE:-$HOME/.cache/pulumi-managed-redis}
log() { echo "[ensure-sdkgen] $*" >&2; }

go_bin=$(command -v go || true)
if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go; fi

fp=$(cd "$src" && cat main.go go.mod go.sum | sha256sum | cut -c1-16)
dir="$cache_root/sdkgen/$fp"
exe="$dir/sdkgen"
if [ -x "$exe" ]; then
  echo "$exe"
  exit 0
fi
[ -n "$go_bin" ] || {
  log "Go is not installed; cannot build the SDK generator (https://go.dev/dl/, >= 1.25.11)"
  exit 1
}
mkdir -p "$dir"
exec 9>"$dir/.lock"
if ! flock -n 9; then
  log "another ensure-sdkgen is building; waiting for it..."
  flock 9
fi
if [ ! -x "$exe" ]; then
  start=$SECONDS
  log "building sdkgen with $("$go_bin" version) (a few minutes the first time; log: $dir/build.log)"
  tmp="$dir/sdkgen.tmp.$$"
  if ! (cd "$src" && GOSUMDB=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 \
    "$go_bin" build -trimpath -ldflags "-s -w" -o "$tmp" .) >"$dir/build.log" 2>&1; then
    rm -f "$tmp"
    log "build FAILED; last lines of $dir/build.log:"
    tail -n 25 "$dir/build.log" >&2
    exit 1
  fi
  mv "$tmp" "$exe"
  log "built in $((SECONDS - start))s"
fi
echo "$exe"
