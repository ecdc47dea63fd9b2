#!/usr/bin/env bash
# Makes a Pulumi CLI available (v3.248.0, the oldest version this package
# supports, unless --version says otherwise), together with our Node.js
# language host, the dynamic-provider plugin and the Pulumi YAML language host,
# and prints the directory holding them on the LAST line of stdout (progress
# goes to stderr):
#
#   PULUMI_BIN=$(bash scripts/ensure-pulumi.sh | tail -1)
#   PATH="$PULUMI_BIN:$PATH" pulumi version   # -> v3.248.0
#   bash scripts/ensure-pulumi.sh --version 3.274.1 | tail -1   # the newest leg
#
# Order: 1) a `pulumi` on PATH that reports the version and has its Node.js
# and YAML language hosts and pulumi-resource-pulumi-nodejs beside it; 2) a complete
# build in the cache; 3) a fresh build from Go modules into the cache
# (${PULUMI_TOOLCHAIN_CACHE:-$HOME/.cache/pulumi-managed-redis}/v<version>/bin),
# the language host against github.com/pulumi/pulumi/sdk/v3 at that version.
# pulumi-language-yaml (github.com/pulumi/pulumi-yaml, "pulumiLanguageYaml" in
# scripts/toolchains.json) does not depend on the CLI's version: it is built
# once into $cache_root/language-yaml/v<version>/ under a lock and stamp of its
# own (adding it never rebuilds a cached CLI) and hard-linked into each CLI's bin.
# Nothing is ever written inside the repository.
#
# Options / environment:
#   --version X.Y.Z              the CLI version (default: "oldest" in scripts/toolchains.json,
#                                3.248.0; also PULUMI_CLI_VERSION)
#   --rebuild                    ignore PATH and cache, build again (the YAML host too)
#   PULUMI_TOOLCHAIN_CACHE=DIR   cache root (default ~/.cache/pulumi-managed-redis)
#   PULUMI_TOOLCHAIN_NO_PATH=1   do not use a pulumi found on PATH
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The default: the oldest supported CLI, from scripts/toolchains.json.
oldest=$(sed -n 's/.*"oldest".*"pulumiCli": *"\([0-9.]*\)".*/\1/p' "$here/toolchains.json")
PULUMI_VERSION=${PULUMI_CLI_VERSION:-$oldest}
YAML_VERSION=$(sed -n 's/.*"pulumiLanguageYaml": *"\([0-9.]*\)".*/\1/p' "$here/toolchains.json")
CLIPBOARD_REPLACE='github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e'

toolchain_src="$here/pulumi-toolchain"
cache_root=${PULUMI_TOOLCHAIN_CACHE:-$HOME/.cache/pulumi-managed-redis}

rebuild=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=1 ;;
    --version)
      [ $# -ge 2 ] || {
        echo "ensure-pulumi: --version needs a value" >&2
        exit 2
      }
      PULUMI_VERSION=$2
      shift
      ;;
    --version=*) PULUMI_VERSION=${1#--version=} ;;
    -h | --help)
      sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "ensure-pulumi: unknown argument: $1" >&2
      exit 2
      ;;
  esac
  shift
done
PULUMI_VERSION=${PULUMI_VERSION#v}
if ! [[ $PULUMI_VERSION =~ ^3\.[0-9]+\.[0-9]+$ ]]; then
  echo "ensure-pulumi: not a Pulumi 3 version: $PULUMI_VERSION" >&2
  exit 2
fi
cache="$cache_root/v$PULUMI_VERSION"
bin="$cache/bin"
yaml_cache="$cache_root/language-yaml/v$YAML_VERSION"
yaml_bin="$yaml_cache/pulumi-language-yaml"

log() { echo "[ensure-pulumi] $*" >&2; }

manual_install_help() {
  cat >&2 <<EOF

[ensure-pulumi] ERROR: could not provide the Pulumi CLI v$PULUMI_VERSION.
  Install it manually instead (https://www.pulumi.com/docs/install/), pinned
  to the version of @pulumi/pulumi used by this project:
      curl -fsSL https://get.pulumi.com | sh -s -- --version $PULUMI_VERSION
  then put it first on PATH (e.g. export PATH="\$HOME/.pulumi/bin:\$PATH");
  \`pulumi version\` must print v$PULUMI_VERSION.
  Building it here needs Go >= 1.25.11 (>= 1.26.6 for v3.274; https://go.dev/dl/) and access to
  the Go module proxy.
EOF
}

find_go() { # prints the go binary, or fails
  local go_bin
  go_bin=$(command -v go || true)
  if [ -z "$go_bin" ] && [ -x /usr/local/go/bin/go ]; then go_bin=/usr/local/go/bin/go; fi
  [ -n "$go_bin" ] && echo "$go_bin"
}

# The Pulumi YAML language host, built once for every CLI version. Measured 2026-12-07: v1.25.0
# built in 156 s (wall; 104 s of CPU) on 2 cores at nice 19 beside a CLI build (load 10), its
# modules fetched beforehand in 12 s; its go.mod needs pkg/v3 v3.206.0, so the CLI's compiled
# packages are of little use to it. A later call only links it (under a second).
yaml_complete() {
  [ -x "$yaml_bin" ] && [ -f "$yaml_cache/.stamp" ] &&
    [ "$(cat "$yaml_cache/.stamp")" = "pulumi-language-yaml v$YAML_VERSION" ]
}

ensure_yaml_host() {
  mkdir -p "$yaml_cache"
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$yaml_cache/.lock"
    if ! flock -n 8; then
      log "another ensure-pulumi is building pulumi-language-yaml; waiting for it..."
      flock 8
    fi
  fi
  if [ "$rebuild" = 1 ] || ! yaml_complete; then
    local go_bin ystart=$SECONDS ylog="$yaml_cache/build.log" ytmp
    go_bin=$(find_go) || {
      log "Go is not installed; cannot build pulumi-language-yaml"
      manual_install_help
      exit 1
    }
    ytmp=$(mktemp -d "$yaml_cache/tmp.XXXXXX")
    log "building pulumi-language-yaml v$YAML_VERSION (2-5 minutes on 2 cores; log: $ylog)..."
    if ! GOBIN="$ytmp" CGO_ENABLED=0 GOSUMDB=off GOFLAGS=-buildvcs=false "$go_bin" install -trimpath \
      -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VERSION" \
      "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$YAML_VERSION" >"$ylog" 2>&1; then
      rm -rf "$ytmp"
      log "build FAILED: go install of pulumi-language-yaml v$YAML_VERSION; last lines of $ylog:"
      tail -n 25 "$ylog" >&2 || true
      exit 1
    fi
    mv -f "$ytmp/pulumi-language-yaml" "$yaml_bin" # rename(2): a running host keeps its file
    rm -rf "$ytmp"
    printf 'pulumi-language-yaml v%s\n' "$YAML_VERSION" >"$yaml_cache/.stamp"
    log "pulumi-language-yaml built in $((SECONDS - ystart))s"
  fi
  if command -v flock >/dev/null 2>&1; then exec 8>&-; fi
}

# A hard link (a copy across file systems), not a symbolic link: the CLI warns "using
# pulumi-language-yaml from $PATH at ... expected ..." when the host on PATH resolves elsewhere than
# beside the pulumi executable.
link_yaml_host() { # DIR: make DIR/pulumi-language-yaml the cached YAML host
  [ "$1/pulumi-language-yaml" -ef "$yaml_bin" ] && [ ! -L "$1/pulumi-language-yaml" ] && return 0
  ln -f "$yaml_bin" "$1/.pulumi-language-yaml.$$" 2>/dev/null || cp -p "$yaml_bin" "$1/.pulumi-language-yaml.$$"
  mv -fT "$1/.pulumi-language-yaml.$$" "$1/pulumi-language-yaml"
}

# The language host's sources: every .go file but the tests, in a stable order.
lang_sources() { # DIR
  find "$1" -maxdepth 1 -name '*.go' ! -name '*_test.go' | LC_ALL=C sort
}

# Fingerprint of everything we build besides the CLI itself, so that a change
# to the language host (any of its .go files, go.mod, go.sum) or the shims
# rebuilds just those. File names count too: adding or removing a file changes it.
fingerprint() {
  (
    cd "$toolchain_src"
    for f in $(lang_sources language-nodejs) language-nodejs/go.mod language-nodejs/go.sum \
      pulumi-resource-pulumi-nodejs pulumi-analyzer-policy; do
      printf '%s\n' "$f"
      cat "$f"
    done
  ) | sha256sum | cut -d' ' -f1
}

stamp_content() { printf 'pulumi v%s\nextras %s\n' "$PULUMI_VERSION" "$(fingerprint)"; }

reports_version() { # DIR: does DIR/pulumi report the pinned version?
  local out
  out=$(PULUMI_SKIP_UPDATE_CHECK=true "$1/pulumi" version 2>/dev/null) || return 1
  [ "$out" = "v$PULUMI_VERSION" ]
}

cache_complete() {
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] &&
    [ -x "$bin/pulumi-resource-pulumi-nodejs" ] && [ -f "$bin/.stamp" ] &&
    [ "$(cat "$bin/.stamp")" = "$(stamp_content)" ] && reports_version "$bin"
}

finish() { # DIR: report and print DIR as the last line of stdout
  log "pulumi $(PULUMI_SKIP_UPDATE_CHECK=true "$1/pulumi" version) in $1"
  echo "$1"
  exit 0
}

# 1) pulumi on PATH
if [ "$rebuild" = 0 ] && [ "${PULUMI_TOOLCHAIN_NO_PATH:-0}" != 1 ] && command -v pulumi >/dev/null 2>&1; then
  path_dir=$(dirname "$(command -v pulumi)")
  path_dir=$(cd "$path_dir" && pwd)
  if reports_version "$path_dir"; then
    if { [ -x "$path_dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null; } &&
      { [ -x "$path_dir/pulumi-resource-pulumi-nodejs" ] || command -v pulumi-resource-pulumi-nodejs >/dev/null; } &&
      { [ -x "$path_dir/pulumi-language-yaml" ] || command -v pulumi-language-yaml >/dev/null; }; then
      log "using pulumi from PATH"
      finish "$path_dir"
    fi
    log "pulumi on PATH is v$PULUMI_VERSION but lacks pulumi-language-nodejs, pulumi-resource-pulumi-nodejs or pulumi-language-yaml; not using it"
  else
    log "pulumi on PATH ($path_dir) is not v$PULUMI_VERSION; not using it"
  fi
fi

mkdir -p "$cache"

# Serialise concurrent callers (e.g. parallel test workers).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.lock"
  if ! flock -n 9; then
    log "another ensure-pulumi is running; waiting for it..."
    flock 9
  fi
fi

# 2) complete cached build
if [ "$rebuild" = 0 ] && cache_complete; then
  log "using cached build"
  ensure_yaml_host
  link_yaml_host "$bin"
  finish "$bin"
fi

# 3) build
go_bin=$(find_go || true)
if [ -z "$go_bin" ]; then
  log "Go is not installed; cannot build the Pulumi CLI"
  manual_install_help
  exit 1
fi
export GOSUMDB=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0
export PULUMI_SKIP_UPDATE_CHECK=true

start=$SECONDS
buildlog="$cache/build.log"
: >"$buildlog"
tmp=$(mktemp -d "$cache/tmp.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

fail() {
  log "build FAILED: $*"
  log "last lines of $buildlog:"
  tail -n 25 "$buildlog" >&2 || true
  manual_install_help
  exit 1
}

run() { # run a build step, output to the build log
  echo "+ $*" >>"$buildlog"
  "$@" >>"$buildlog" 2>&1
}

mkdir -p "$tmp/bin"
log "building into $bin with $("$go_bin" version) (log: $buildlog)"

# 3a) the CLI; reuse an existing one when it is the right version
if [ "$rebuild" = 0 ] && [ -x "$bin/pulumi" ] && reports_version "$bin"; then
  log "reusing the already built pulumi CLI"
  cp -p "$(readlink -f "$bin/pulumi")" "$tmp/bin/pulumi"
else
  src="$cache/cli-src" # scratch module; kept so later builds reuse its go.sum
  mkdir -p "$src"
  cat >"$src/go.mod" <<EOF
module pulumi-cli-build

go 1.25.11

require (
	github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION
)

// Same replace as github.com/pulumi/pulumi/pkg/v3's own go.mod.
replace $CLIPBOARD_REPLACE
EOF
  cat >"$src/tools.go" <<'EOF'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
EOF
  log "resolving Go modules for pulumi v$PULUMI_VERSION..."
  (cd "$src" && run "$go_bin" mod tidy) || fail "go mod tidy (module download) failed"
  log "compiling pulumi v$PULUMI_VERSION (5-15 minutes on 2 cores the first time)..."
  # -trimpath as for the language host below, so that its build reuses the compiled SDK packages.
  (cd "$src" && run "$go_bin" build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$tmp/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) || fail "go build of the pulumi CLI failed"
  log "pulumi CLI built after $((SECONDS - start))s"
fi

# 3b) our Node.js language host, against the SDK and code generators (sdk/v3, pkg/v3) of the same
# version: in place when its go.mod names that version, else from a copy in the cache retargeted
# with `go mod edit` + `go mod tidy`. It links pkg/v3's program generator for GenerateProgram
# (`pulumi import` printing TypeScript); the build time is measured in
# scripts/pulumi-toolchain/README.md.
log "building pulumi-language-nodejs (scripts/pulumi-toolchain/language-nodejs)..."
lang_start=$SECONDS
lang_dir="$toolchain_src/language-nodejs"
if ! grep -q "github.com/pulumi/pulumi/sdk/v3 v$PULUMI_VERSION\$" "$lang_dir/go.mod" ||
  ! grep -q "github.com/pulumi/pulumi/pkg/v3 v$PULUMI_VERSION\$" "$lang_dir/go.mod"; then
  lang_src="$cache/language-nodejs-src" # kept so later builds reuse its go.sum
  mkdir -p "$lang_src"
  rm -f "$lang_src"/*.go # a file deleted here must not linger in the copy
  # shellcheck disable=SC2046 # file names without spaces, from lang_sources
  cp $(lang_sources "$lang_dir") "$lang_dir/go.mod" "$lang_src/"
  [ -f "$lang_src/go.sum" ] || cp "$lang_dir/go.sum" "$lang_src/"
  (cd "$lang_src" && run "$go_bin" mod edit -require="github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" \
    -require="github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" &&
    run "$go_bin" mod tidy) || fail "retargeting pulumi-language-nodejs to sdk/v3 and pkg/v3 v$PULUMI_VERSION failed"
  lang_dir=$lang_src
fi
(cd "$lang_dir" && run "$go_bin" build -trimpath \
  -ldflags "-s -w -X main.version=$PULUMI_VERSION" -o "$tmp/bin/pulumi-language-nodejs" .) ||
  fail "go build of pulumi-language-nodejs failed"
log "pulumi-language-nodejs built in $((SECONDS - lang_start))s"

# 3c) shims
install -m 0755 "$toolchain_src/pulumi-resource-pulumi-nodejs" "$tmp/bin/pulumi-resource-pulumi-nodejs"
install -m 0755 "$toolchain_src/pulumi-analyzer-policy" "$tmp/bin/pulumi-analyzer-policy"
stamp_content >"$tmp/bin/.stamp"
ensure_yaml_host
link_yaml_host "$tmp/bin"

reports_version "$tmp/bin" || fail "the built pulumi does not report v$PULUMI_VERSION"

# Publish atomically: $bin is a symlink to a versioned directory, replaced by
# rename(2). The previous directory is kept (a running pulumi started from it
# still finds its plugins there); older ones are removed.
target="bin.$(date +%Y%m%d%H%M%S).$$"
mv "$tmp/bin" "$cache/$target"
old=$(readlink "$bin" 2>/dev/null || true)
if [ -e "$bin" ] && [ ! -L "$bin" ]; then mv "$bin" "$tmp/old-bin"; fi
ln -s "$target" "$tmp/bin-link"
mv -T "$tmp/bin-link" "$bin"
for dir in "$cache"/bin.*; do
  case "$(basename "$dir")" in "$target" | "$old") ;; *) rm -rf "$dir" ;; esac
done
log "build finished in $((SECONDS - start))s"
finish "$bin"
