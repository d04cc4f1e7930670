#!/usr/bin/env bash
# Builds the Pulumi engine binaries from Go modules (nothing else is downloaded)
# and caches them outside the repository, so that tests can run real Pulumi
# programs offline:
#
#   pulumi                  CLI/engine, github.com/pulumi/pulumi/pkg/v3 v3.248.0
#                           (matches npm @pulumi/pulumi 3.248.0)
#   pulumi-language-nodejs  Node.js language host (see LANG_* below)
#   pulumi-resource-docker  Docker provider for npm @pulumi/docker 5.2.0 (see DOCKER_* below)
#   pulumi-resource-random  Random provider for npm @pulumi/random 4.21.2 (see RANDOM_* below)
#   pulumi-resource-kubernetes  Kubernetes provider for npm @pulumi/kubernetes 4.25.0: built (and
#                           cached) by `scripts/local-cluster.sh build provider` in its own cache
#                           dir, linked into this bin dir (ANINFRA_SKIP_K8S_PROVIDER=1 skips it)
#
# Usage:
#   scripts/pulumi-engine.sh           build if needed; last stdout line = bin dir
#   scripts/pulumi-engine.sh --check   exit 0 if the cached binaries work, else 1 (never builds)
#   PATH="$(scripts/pulumi-engine.sh):$PATH" pulumi version
#
# Environment:
#   ANINFRA_CACHE   cache root (default: $HOME/.cache/aninfra)
#   GOMODCACHE/GOCACHE/GOPROXY are honoured as usual.
#
# Progress goes to stderr; build logs stay in <cache>/<key>/work/*.log.
#
# What is built, and why (the Go module proxy reachable here serves only some
# module versions; everything else answers "403 This module version is not
# available"):
#
# * CLI: pkg/v3@v3.248.0, built from a writable copy of the module with the
#   local `replace ... sdk/v3 => ../sdk` dropped (pkg requires sdk/v3 v3.248.0).
#   main.go calls unexported code in package main, so the module itself is built.
#
# * Language host: the host of the pkg/v3.248.0 commit (dc7edd58bc13) lives in
#   its own untagged module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
#   (pseudo-version v3.0.0-20260624180030-dc7edd58bc13), which the proxy here
#   does not serve. The newest served module that contains a Node.js host is
#   github.com/pulumi/pulumi/sdk/v3@v3.68.0 (./nodejs/cmd/pulumi-language-nodejs;
#   later sdk/v3 versions no longer contain it). Its gRPC protocol is
#   compatible: it runs @pulumi/pulumi 3.248.0 TypeScript programs under the
#   v3.248.0 engine.
#
# * Docker provider: github.com/pulumi/pulumi-docker/provider/v5 is not served
#   here at any version. @pulumi/docker 5.2.0 was generated from upstream
#   kreuzwerker/terraform-provider-docker v4.6.0 (its SDK has
#   Container.deviceCgroupRules and ContainerUpload owner/group, added in
#   v4.6.0); the newest stored pulumi-docker commit, 237b7899bb51 (2026-08-14,
#   bridge v3.137.0), still pins upstream v4.5.0 (5074970c71ce), so 5.2.0 is a
#   later commit. We therefore build a substitute with the same architecture:
#   the upstream Terraform provider as served by the proxy (module
#   github.com/kreuzwerker/terraform-provider-docker, pseudo-version
#   v0.0.0-20260916201441-96d331c98ff4, which contains v4.6.0; its go.mod
#   names itself github.com/terraform-providers/terraform-provider-docker),
#   bridged by github.com/pulumi/pulumi-terraform-bridge/v3 v3.137.0 with
#   pulumi's terraform-plugin-sdk fork (the same pins as pulumi-docker
#   237b7899bb51), plus a tiny main (scripts/pulumi-engine/docker-provider/main.go)
#   that maps tokens and the renamed fields used by the @pulumi/docker SDK.
#   Built with -tags no_compose. Limits: no native docker.Image (buildx)
#   resource, empty GetSchema, no auto-aliases.
#
# * Random provider: github.com/pulumi/pulumi-random/provider/v4 is not served
#   here at any version (v4.21.2 and the version list answer 403). Its newest
#   stored commit, f64d8726a4f5 (2026-08-14, "Upgrade pulumi-terraform-bridge to
#   v3.137.0", after tag v4.21.1, i.e. what 4.21.2 was cut from), wraps upstream
#   hashicorp/terraform-provider-random v3.9.0 through a tiny shim module
#   (provider/shim: module github.com/terraform-providers/terraform-provider-random/shim,
#   requiring github.com/terraform-providers/terraform-provider-random
#   v1.3.2-0.20260513075824-f8d869dc98d9 = v3.9.0, commit f8d869dc98d9; the
#   github.com/hashicorp/... path is not served), bridged by
#   pulumi-terraform-bridge/v3 v3.137.0's pf (plugin framework) bridge with the
#   same terraform-plugin-sdk fork replace and pulumi/sdk/v3 v3.256.0. We build
#   exactly that: the same upstream pin and a shim module like pulumi-random's
#   (scripts/pulumi-engine/random-provider/shim.go.in), plus a main
#   (scripts/pulumi-engine/random-provider/main.go) carrying the ProviderInfo of
#   pulumi-random's provider/resources.go: tokens random:index/randomX:RandomX
#   for all ten resources, default field names (result, length, special,
#   bcryptHash, ...), sensitive attributes as secrets, RandomBytes ComputeID.
#   The binary reports version 4.21.2. Limits: minimal GetSchema (name and
#   version only), no auto-aliases, no docs.
#
# Bump RECIPE whenever what gets built changes: cached binaries carry it.
set -euo pipefail

RECIPE=3
PULUMI_VERSION=v3.248.0
DOCKER_VERSION=v5.2.0
RANDOM_VERSION=v4.21.2

CLI_MOD=github.com/pulumi/pulumi/pkg/v3
CLI_VER=$PULUMI_VERSION
SDK_MOD=github.com/pulumi/pulumi/sdk/v3

LANG_MOD=github.com/pulumi/pulumi/sdk/v3
LANG_VER=v3.68.0
LANG_PKG=./nodejs/cmd/pulumi-language-nodejs

DOCKER_UPSTREAM_MOD=github.com/kreuzwerker/terraform-provider-docker
DOCKER_UPSTREAM_VER=v0.0.0-20260916201441-96d331c98ff4
DOCKER_UPSTREAM_PATH=github.com/terraform-providers/terraform-provider-docker
BRIDGE_MOD=github.com/pulumi/pulumi-terraform-bridge/v3
BRIDGE_VER=v3.137.0
TFSDK_MOD=github.com/hashicorp/terraform-plugin-sdk/v2
TFSDK_FORK_MOD=github.com/pulumi/terraform-plugin-sdk/v2
TFSDK_FORK_VER=v2.0.0-20260318212141-5525259d096b
DOCKER_PLUGIN_VERSION=${DOCKER_VERSION#v}

RANDOM_UPSTREAM_MOD=github.com/terraform-providers/terraform-provider-random
RANDOM_UPSTREAM_VER=v1.3.2-0.20260513075824-f8d869dc98d9 # upstream v3.9.0
RANDOM_SHIM_MOD=$RANDOM_UPSTREAM_MOD/shim
RANDOM_SDK_VER=v3.256.0 # github.com/pulumi/pulumi/sdk/v3, as pinned by pulumi-random
RANDOM_PLUGIN_VERSION=${RANDOM_VERSION#v}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HELPERS=$HERE/pulumi-engine
CACHE_ROOT=${ANINFRA_CACHE:-$HOME/.cache/aninfra}
# The key predates the random provider and is kept so that the bin dir stays
# put; RECIPE (in VERSIONS) tells cached binaries apart.
KEY=pulumi-$PULUMI_VERSION-docker-$DOCKER_VERSION
ROOT=$CACHE_ROOT/$KEY
BIN=$ROOT/bin
WORK=$ROOT/work
MANIFEST=$BIN/VERSIONS

log() { printf '[pulumi-engine] %s\n' "$*" >&2; }

# fail COMPONENT MODULE VERSION STEP [LOGFILE]
fail() {
  log "ERROR: building $1 failed"
  log "  module:  $2"
  log "  version: $3"
  log "  step:    $4"
  if [[ -n ${5:-} && -s ${5:-} ]]; then
    log "  log:     $5 (last lines below)"
    tail -n 25 "$5" | sed 's/^/    | /' >&2
  fi
  exit 1
}

binaries_ok() {
  [[ -x $BIN/pulumi && -x $BIN/pulumi-language-nodejs && -x $BIN/pulumi-resource-docker ]] || return 1
  [[ -x $BIN/pulumi-resource-random ]] || return 1
  [[ -f $MANIFEST ]] && grep -qx "recipe=$RECIPE" "$MANIFEST" || return 1
  local v
  v=$(PULUMI_SKIP_UPDATE_CHECK=true "$BIN/pulumi" version 2>/dev/null) || return 1
  [[ $v == "$PULUMI_VERSION" ]] || return 1
  "$BIN/pulumi-language-nodejs" -help >/dev/null 2>&1 || return 1
  "$BIN/pulumi-resource-docker" -version >/dev/null 2>&1 || return 1
  v=$("$BIN/pulumi-resource-random" -version 2>/dev/null) || return 1
  [[ $v == "$RANDOM_PLUGIN_VERSION" ]] || return 1
}

# The Kubernetes provider lives in the local cluster's cache (its recipe is there); link it here so
# that one bin dir on PATH serves both the docker and the kubernetes target.
K8S_PROVIDER_BIN=$CACHE_ROOT/k8s-v1.34.4/bin/pulumi-resource-kubernetes
k8s_provider() {
  [[ ${ANINFRA_SKIP_K8S_PROVIDER:-} == 1 ]] && return 0
  if [[ ! -x $K8S_PROVIDER_BIN ]]; then
    log "pulumi-resource-kubernetes: building (scripts/local-cluster.sh build provider)"
    # not fatal: the docker target does not need it, and the kubernetes engine names it when missing
    if ! ANINFRA_CACHE=$CACHE_ROOT "$HERE/local-cluster.sh" build provider >&2; then
      log "WARNING: pulumi-resource-kubernetes did not build (scripts/local-cluster.sh build provider): the kubernetes target cannot apply"
      return 0
    fi
  fi
  if [[ $(readlink "$BIN/pulumi-resource-kubernetes" 2>/dev/null) != "$K8S_PROVIDER_BIN" ]]; then
    ln -sfn "$K8S_PROVIDER_BIN" "$BIN/pulumi-resource-kubernetes"
  fi
}

if [[ ${1:-} == --check ]]; then
  if binaries_ok; then echo "$BIN"; exit 0; fi
  exit 1
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--check]" >&2
  exit 2
fi

if binaries_ok; then
  log "cached binaries are up to date in $BIN"
  k8s_provider
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null || fail "all" "-" "-" "find the go toolchain on PATH"
mkdir -p "$BIN" "$WORK"

# One build at a time per cache key (tests may call this concurrently).
exec 9>"$ROOT/.lock"
if command -v flock >/dev/null; then
  if ! flock -n 9; then
    log "another build holds $ROOT/.lock; waiting"
    flock 9
  fi
  if binaries_ok; then
    log "another run finished the build; using $BIN"
    k8s_provider
    echo "$BIN"
    exit 0
  fi
fi

export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"
export GOTOOLCHAIN=local
export GOWORK=off
# gobuild DIR ARGS... : go build in DIR, niced so the machine stays usable
gobuild() { local d=$1; shift; (cd "$d" && nice -n 10 go build -trimpath "$@"); }

# module_dir COMPONENT MODULE VERSION -> prints the module's dir in the module cache
module_dir() {
  local logf=$WORK/$1-download.log dir
  log "$1: downloading $2@$3"
  if ! go mod download -json "$2@$3" >"$logf" 2>&1; then
    fail "$1" "$2" "$3" "go mod download" "$logf"
  fi
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' "$logf" | head -n 1)
  [[ -n $dir && -d $dir ]] || fail "$1" "$2" "$3" "go mod download (no Dir in its output)" "$logf"
  printf '%s\n' "$dir"
}

# copy_module COMPONENT MODULE VERSION DEST
copy_module() {
  local src
  src=$(module_dir "$1" "$2" "$3") || exit 1
  rm -rf "$4"
  mkdir -p "$(dirname "$4")"
  cp -r "$src" "$4" || fail "$1" "$2" "$3" "copy module to $4"
  chmod -R u+w "$4"
}

# step COMPONENT MODULE VERSION STEP LOGFILE -- command...
step() {
  local comp=$1 mod=$2 ver=$3 what=$4 logf=$5
  shift 6
  log "$comp: $what (log: $logf)"
  if ! "$@" >>"$logf" 2>&1; then
    fail "$comp" "$mod" "$ver" "$what" "$logf"
  fi
}

# timed NAME FUNCTION: runs FUNCTION and logs its wall time
timed() {
  local start=$(date +%s)
  "$2"
  log "$1: built in $(( $(date +%s) - start ))s"
}

T0=$(date +%s)

# --- 1. pulumi CLI ------------------------------------------------------------
build_cli() {
  local comp=pulumi dir=$WORK/pulumi-pkg logf=$WORK/pulumi-build.log
  : >"$logf"
  copy_module "$comp" "$CLI_MOD" "$CLI_VER" "$dir"
  step "$comp" "$CLI_MOD" "$CLI_VER" "go mod edit -dropreplace=$SDK_MOD" "$logf" -- \
    go mod edit -dropreplace="$SDK_MOD" "$dir/go.mod"
  step "$comp" "$CLI_MOD" "$CLI_VER" "go build ./cmd/pulumi" "$logf" -- \
    gobuild "$dir" \
      -ldflags "-X $SDK_MOD/go/common/version.Version=$PULUMI_VERSION" \
      -o "$BIN/.pulumi.tmp" ./cmd/pulumi
  mv -f "$BIN/.pulumi.tmp" "$BIN/pulumi"
}

# --- 2. Node.js language host --------------------------------------------------
build_lang() {
  local comp=pulumi-language-nodejs dir=$WORK/lang-sdk logf=$WORK/pulumi-language-nodejs-build.log
  : >"$logf"
  copy_module "$comp" "$LANG_MOD" "$LANG_VER" "$dir"
  step "$comp" "$LANG_MOD" "$LANG_VER" "go build $LANG_PKG" "$logf" -- \
    gobuild "$dir" \
      -ldflags "-X $SDK_MOD/go/common/version.Version=$LANG_VER" \
      -o "$BIN/.pulumi-language-nodejs.tmp" "$LANG_PKG"
  mv -f "$BIN/.pulumi-language-nodejs.tmp" "$BIN/pulumi-language-nodejs"
}

# --- 3. Docker provider ---------------------------------------------------------
build_docker() {
  local comp=pulumi-resource-docker dir=$WORK/docker logf=$WORK/pulumi-resource-docker-build.log
  : >"$logf"
  [[ -f $HELPERS/docker-provider/main.go && -f $HELPERS/docker-provider/aninfrashim.go.in ]] ||
    fail "$comp" "$DOCKER_UPSTREAM_MOD" "$DOCKER_UPSTREAM_VER" "find helper files in $HELPERS/docker-provider"
  rm -rf "$dir"
  copy_module "$comp" "$DOCKER_UPSTREAM_MOD" "$DOCKER_UPSTREAM_VER" "$dir/upstream"
  # Expose internal/provider.New to the bridge (same idea as pulumi-docker's patch 0001).
  mkdir -p "$dir/upstream/aninfrashim"
  cp "$HELPERS/docker-provider/aninfrashim.go.in" "$dir/upstream/aninfrashim/aninfrashim.go"
  mkdir -p "$dir/provider"
  cp "$HELPERS/docker-provider/main.go" "$dir/provider/main.go"
  cat >"$dir/provider/go.mod" <<EOF
module aninfra.local/pulumi-resource-docker

go 1.25.11

require (
	$BRIDGE_MOD $BRIDGE_VER
	$DOCKER_UPSTREAM_PATH v0.0.0
)

replace $DOCKER_UPSTREAM_PATH => ../upstream

replace $TFSDK_MOD => $TFSDK_FORK_MOD $TFSDK_FORK_VER
EOF
  step "$comp" "$BRIDGE_MOD + $DOCKER_UPSTREAM_MOD" "$BRIDGE_VER + $DOCKER_UPSTREAM_VER" \
    "go build (tags no_compose)" "$logf" -- \
    gobuild "$dir/provider" -tags no_compose \
      -ldflags "-X main.version=$DOCKER_PLUGIN_VERSION" \
      -o "$BIN/.pulumi-resource-docker.tmp" .
  mv -f "$BIN/.pulumi-resource-docker.tmp" "$BIN/pulumi-resource-docker"
}

# --- 4. Random provider ---------------------------------------------------------
build_random() {
  local comp=pulumi-resource-random dir=$WORK/random logf=$WORK/pulumi-resource-random-build.log
  : >"$logf"
  [[ -f $HELPERS/random-provider/main.go && -f $HELPERS/random-provider/shim.go.in ]] ||
    fail "$comp" "$RANDOM_UPSTREAM_MOD" "$RANDOM_UPSTREAM_VER" "find helper files in $HELPERS/random-provider"
  rm -rf "$dir"
  # Fetch the upstream module up front for a clear error if the proxy refuses it.
  module_dir "$comp" "$RANDOM_UPSTREAM_MOD" "$RANDOM_UPSTREAM_VER" >/dev/null || exit 1
  # The shim is its own module under the upstream import path, so that it may
  # import upstream's internal/provider (as pulumi-random's provider/shim does).
  mkdir -p "$dir/shim" "$dir/provider"
  cp "$HELPERS/random-provider/shim.go.in" "$dir/shim/shim.go"
  cat >"$dir/shim/go.mod" <<EOF
module $RANDOM_SHIM_MOD

go 1.25.8

require $RANDOM_UPSTREAM_MOD $RANDOM_UPSTREAM_VER
EOF
  cp "$HELPERS/random-provider/main.go" "$dir/provider/main.go"
  cat >"$dir/provider/go.mod" <<EOF
module aninfra.local/pulumi-resource-random

go 1.25.11

require (
	$BRIDGE_MOD $BRIDGE_VER
	$SDK_MOD $RANDOM_SDK_VER
	$RANDOM_UPSTREAM_MOD $RANDOM_UPSTREAM_VER
	$RANDOM_SHIM_MOD v0.0.0
)

replace $RANDOM_SHIM_MOD => ../shim

replace $TFSDK_MOD => $TFSDK_FORK_MOD $TFSDK_FORK_VER
EOF
  step "$comp" "$BRIDGE_MOD + $RANDOM_UPSTREAM_MOD" "$BRIDGE_VER + $RANDOM_UPSTREAM_VER" \
    "go build" "$logf" -- \
    gobuild "$dir/provider" \
      -ldflags "-X main.version=$RANDOM_PLUGIN_VERSION" \
      -o "$BIN/.pulumi-resource-random.tmp" .
  mv -f "$BIN/.pulumi-resource-random.tmp" "$BIN/pulumi-resource-random"
}

rm -f "$MANIFEST"
log "building into $BIN (work dir $WORK); the first build takes a long time"
timed pulumi build_cli
timed pulumi-language-nodejs build_lang
timed pulumi-resource-docker build_docker
timed pulumi-resource-random build_random

cat >"$MANIFEST" <<EOF
recipe=$RECIPE
pulumi=$CLI_MOD@$CLI_VER
pulumi-language-nodejs=$LANG_MOD@$LANG_VER $LANG_PKG
pulumi-resource-docker=substitute $DOCKER_PLUGIN_VERSION: $DOCKER_UPSTREAM_MOD@$DOCKER_UPSTREAM_VER + $BRIDGE_MOD@$BRIDGE_VER + $TFSDK_FORK_MOD@$TFSDK_FORK_VER
pulumi-resource-random=substitute $RANDOM_PLUGIN_VERSION: $RANDOM_UPSTREAM_MOD@$RANDOM_UPSTREAM_VER (upstream v3.9.0) + $BRIDGE_MOD@$BRIDGE_VER (pf) + $SDK_MOD@$RANDOM_SDK_VER + $TFSDK_FORK_MOD@$TFSDK_FORK_VER
built=$(date -u +%Y-%m-%dT%H:%M:%SZ) go=$(go env GOVERSION)
EOF

binaries_ok || fail "all" "-" "-" "check the freshly built binaries in $BIN"
# The module copies are only needed while building; keep the logs.
rm -rf "$WORK/pulumi-pkg" "$WORK/lang-sdk" "$WORK/docker" "$WORK/random"
k8s_provider
log "done in $(( $(date +%s) - T0 ))s"
echo "$BIN"
