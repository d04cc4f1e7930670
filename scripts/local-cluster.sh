#!/usr/bin/env bash
# A real single-node Kubernetes cluster for tests, built from Go modules and Debian packages,
# without a container registry and beside (never instead of) the machine's Docker.
#
#   scripts/local-cluster.sh deps                      install the Debian packages it needs (if missing)
#   scripts/local-cluster.sh build [k8s|coredns|provider]...  build what is not cached yet
#   scripts/local-cluster.sh up [--images "img ..."]   start it; LAST stdout line = kubeconfig path
#   scripts/local-cluster.sh status                    "up"/"down" + kubeconfig; exit 0 up, 1 down
#   scripts/local-cluster.sh down                      remove everything `up` started (idempotent)
#   scripts/local-cluster.sh kubectl ARGS...           the cluster's own kubectl on its kubeconfig
#   scripts/local-cluster.sh bin                       print the bin dir
#
# What runs (all as root, all state under $RUN, every port on 127.0.0.1 unless said otherwise):
#   etcd (Debian 3.4)            127.0.0.1:32379/32380, data in $RUN/etcd
#   a SECOND containerd          own root/state/socket under $RUN/containerd; Docker's is untouched
#   kube-apiserver               127.0.0.1:36443 (service CIDR 10.96.0.0/24)
#   kube-controller-manager      127.0.0.1:30257, kube-scheduler 127.0.0.1:30259
#   kubelet                      127.0.0.1:30250, node name "localhost", cgroup v1 + cgroupfs
#   kube-proxy (iptables mode)   127.0.0.1:30249/30256; NodePorts only on the bridge address
#   CoreDNS (host process)       10.244.0.1:1053, the Service kube-system/kube-dns 10.96.0.10:53
#                                 points at it (selector-less Service + EndpointSlice)
#   CNI bridge aninfra-k8s0      10.244.0.1/24 (pods in 10.244.0.0/24), portmap for hostPort
# Storage: the controller-manager's built-in host-path provisioner (--enable-hostpath-provisioner)
# behind the default StorageClass `aninfra-local` (provisioner kubernetes.io/host-path, reclaim
# Delete): every PVC gets a directory /tmp/hostpath_pv/<uuid> (the path is fixed in Kubernetes'
# code), so StatefulSets' volumeClaimTemplates bind without any extra controller. `down` removes
# those directories. Single-node only, which is all this cluster is. The provisioner makes each
# directory root-owned 0750, which a non-root store (redis, postgres) cannot write, and host-path
# volumes ignore fsGroup: a small watcher (hostpath-perms) opens new ones to 0777, as Rancher's
# local-path-provisioner creates them.
# Ingress/gateway: there is no ingress controller. A pod (e.g. the gateway's proxy) publishes
# `hostPort` with `hostIP: 127.0.0.1`; the CNI portmap plugin DNATs 127.0.0.1:<hostPort> to it,
# so the host reaches it on 127.0.0.1 and nothing listens on an outside address.
#
# Environment:
#   ANINFRA_CACHE          binary cache root (default $HOME/.cache/aninfra); binaries in
#                          $ANINFRA_CACHE/k8s-v1.34.4/bin with a VERSIONS file. CI may cache it.
#   ANINFRA_K8S_GO_SCRATCH Go module/build caches and build dirs (default /tmp/aninfra-k8s-go,
#                          ~12 GB after a cold build). Scratch only: CI must NOT cache it.
#   ANINFRA_K8S_RUN        run dir, all cluster state (default /tmp/aninfra-k8s)
#   ANINFRA_K8S_IMAGES     local Docker images imported by `up` (default: see IMAGES below)
#
# Progress goes to stderr. Needs: go >= 1.26 (build), docker (pause image, image import),
# containerd/ctr, runc, containernetworking-plugins (/usr/lib/cni), etcd-server, iptables, openssl,
# gcc (static pause binary). See README.md "Local Kubernetes cluster".
set -euo pipefail

K8S_VER=v1.34.4
STAGING_VER=v0${K8S_VER#v1}                      # v1.34.4 -> v0.34.4 for the 29 staging repos
COREDNS_VER=v1.15.0
PROVIDER_MOD=github.com/pulumi/pulumi-kubernetes/provider/v4
PROVIDER_PSEUDO=v4.0.0-20260115033456-f47bc2d6f199  # the only version the proxy serves
PROVIDER_STAMP=4.25.0                              # pairs with npm @pulumi/kubernetes 4.25.0

CACHE_ROOT=${ANINFRA_CACHE:-$HOME/.cache/aninfra}
BIN=$CACHE_ROOT/k8s-$K8S_VER/bin
SCRATCH=${ANINFRA_K8S_GO_SCRATCH:-/tmp/aninfra-k8s-go}
RUN=${ANINFRA_K8S_RUN:-/tmp/aninfra-k8s}
KUBECONFIG_OUT=$RUN/kubeconfig                     # fixed name: outside checks use it
IMAGES=${ANINFRA_K8S_IMAGES:-local/debian:bookworm local/postgres:bookworm local/redis:bookworm local/node:host local/python:bookworm local/nginx:bookworm}

ETCD_PORT=32379 ETCD_PEER=32380 API_PORT=36443 KUBELET_PORT=30250 KUBELET_HEALTHZ=30248
KCM_PORT=30257 SCHED_PORT=30259 PROXY_METRICS=30249 PROXY_HEALTHZ=30256 DNS_READY=30281
BRIDGE=aninfra-k8s0 CNI_NET=aninfra-k8s POD_CIDR=10.244.0.0/24 GW_IP=10.244.0.1
SVC_CIDR=10.96.0.0/24 DNS_IP=10.96.0.10 DNS_PORT=1053
CGROUP=aninfra-k8s FWD_CHAIN=ANINFRA-K8S-FWD
PAUSE_IMAGE=docker.io/local/aninfra-k8s-pause:1
CTRD_SOCK=$RUN/containerd/containerd.sock
HOSTPATH_PV=/tmp/hostpath_pv                       # fixed by Kubernetes' host-path provisioner
STORAGE_CLASS=aninfra-local
# processes in start order; `down` stops them in reverse
PROCS=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler coredns kube-proxy kubelet hostpath-perms)

T0=$(date +%s)
log() { printf '[local-cluster %3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
kc() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_OUT" "$@"; }

# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------
go_env() {
  export GOMODCACHE=$SCRATCH/gomod GOCACHE=$SCRATCH/gocache GOFLAGS=-modcacherw GOTOOLCHAIN=local GOWORK=off
  command -v go >/dev/null || die "go is not on PATH (needed to build)"
  mkdir -p "$SCRATCH" "$BIN"
}

# timed NAME LOGFILE -- command...: runs it niced, output to LOGFILE, logs the wall time
timed() {
  local name=$1 logf=$2 s; shift 3; s=$(date +%s)
  log "$name: building (log $logf)"
  if ! ( renice -n 10 "$BASHPID" >/dev/null; "$@" ) >"$logf" 2>&1; then tail -n 30 "$logf" >&2; die "$name: build failed (log $logf)"; fi
  log "$name: built in $(( $(date +%s) - s ))s"
  printf '%s built in %ss\n' "$name" "$(( $(date +%s) - s ))" >>"$SCRATCH/timings.log"
}

K8S_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl kube-proxy)
k8s_cached() { local c; for c in "${K8S_CMDS[@]}"; do [[ -x $BIN/$c ]] || return 1; done; }

build_k8s_go() {
  local dir=$SCRATCH/kbuild m minor ld pkgs=() c
  mkdir -p "$dir"; cd "$dir"
  go mod download -json "k8s.io/kubernetes@$K8S_VER" >/dev/null
  m=$GOMODCACHE/k8s.io/kubernetes@$K8S_VER/go.mod
  # wrapper module: k8s.io/kubernetes' own requires minus the v0.0.0 staging lines, which are
  # replaced by their published versions (the main module's local replaces do not apply here)
  { echo 'module local/k8sbuild'; echo; echo 'go 1.24.0'; echo; echo 'godebug default=go1.24'; echo
    echo "require k8s.io/kubernetes $K8S_VER"; echo
    awk '/^require \(/{f=1;print;next} f&&/^\)/{f=0;print;print "";next} f{print}' "$m" | grep -v 'v0.0.0$'
    echo 'replace ('
    grep -E '^\s+k8s.io/\S+ v0.0.0$' "$m" | awk -v v="$STAGING_VER" '{print "\t"$1" => "$1" "v}'
    echo ')'; } >go.mod
  minor=${K8S_VER#v1.}; minor=${minor%%.*}
  # without the version ldflags the binaries report v0.0.0-master
  ld="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VER -X k8s.io/component-base/version.gitMajor=1"
  ld+=" -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
  ld+=" -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VER"
  for c in "${K8S_CMDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  # one go build for all mains shares the compile work
  go build -mod=mod -trimpath -ldflags="$ld" -o "$BIN/" "${pkgs[@]}"
}

build_coredns_go() {
  local dir=$SCRATCH/corednsbuild p
  rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
  # only the plugins the cluster uses (the full plugin list pulls in every cloud SDK)
  cat >main.go <<'EOF'
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
)

// the upstream plugin order (core/dnsserver/zdirectives.go) restricted to the plugins above
func init() {
	dnsserver.Directives = []string{"bind", "ready", "health", "errors", "log", "loadbalance", "cache", "kubernetes", "forward"}
}

func main() { coremain.Run() }
EOF
  go mod download -json "github.com/coredns/coredns@$COREDNS_VER" >/dev/null
  { echo 'module local/corednsbuild'; echo; echo 'go 1.26.0'; echo
    echo "require github.com/coredns/coredns $COREDNS_VER"; } >go.mod
  CGO_ENABLED=0 go build -mod=mod -trimpath \
    -ldflags="-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VER" -o "$BIN/.coredns.tmp" .
  mv -f "$BIN/.coredns.tmp" "$BIN/coredns"
}

build_provider_go() {
  local dir=$SCRATCH/pbuild
  mkdir -p "$dir"; cd "$dir"
  go mod download -json "$PROVIDER_MOD@$PROVIDER_PSEUDO" >/dev/null
  rm -rf provider; cp -r "$GOMODCACHE/$PROVIDER_MOD@$PROVIDER_PSEUDO" provider; chmod -R u+w provider; cd provider
  # drop the local-path replace (sdk/v4 => ../sdk); the require list pins sdk/v4 v4.24.0 (served)
  sed -i -e 's#^replace github.com/pulumi/pulumi-kubernetes/sdk/v4 => ../sdk##' -e 's/^toolchain .*//' go.mod
  # schema-embed.json is a go:generate output missing from the module zip
  (cd cmd/pulumi-resource-kubernetes && VERSION=$PROVIDER_STAMP go run -mod=mod generate.go)
  go build -mod=mod -trimpath -ldflags="-s -w -X $PROVIDER_MOD/pkg/version.Version=$PROVIDER_STAMP" \
    -o "$BIN/.pulumi-resource-kubernetes.tmp" ./cmd/pulumi-resource-kubernetes
  mv -f "$BIN/.pulumi-resource-kubernetes.tmp" "$BIN/pulumi-resource-kubernetes"
}

write_versions() {
  {
    k8s_cached && echo "kubernetes=k8s.io/kubernetes@$K8S_VER (staging $STAGING_VER): ${K8S_CMDS[*]}"
    [[ -x $BIN/coredns ]] && echo "coredns=github.com/coredns/coredns@$COREDNS_VER (plugins: bind ready health errors log loadbalance cache kubernetes forward)"
    [[ -x $BIN/pulumi-resource-kubernetes ]] && echo "pulumi-resource-kubernetes=$PROVIDER_MOD@$PROVIDER_PSEUDO stamped $PROVIDER_STAMP (npm @pulumi/kubernetes $PROVIDER_STAMP)"
    echo "go=$(go env GOVERSION 2>/dev/null || echo unknown)"
  } >"$BIN/VERSIONS"
}

build() {
  local want=("$@") c
  [[ ${#want[@]} -gt 0 ]] || want=(k8s coredns provider)
  go_env
  exec 9>"$CACHE_ROOT/k8s-$K8S_VER/.build.lock"
  flock 9
  for c in "${want[@]}"; do
    case $c in
      k8s) k8s_cached && log "kubernetes: cached in $BIN" || timed kubernetes "$SCRATCH/kubernetes-build.log" -- build_k8s_go ;;
      coredns) [[ -x $BIN/coredns ]] && log "coredns: cached in $BIN" || timed coredns "$SCRATCH/coredns-build.log" -- build_coredns_go ;;
      provider) [[ -x $BIN/pulumi-resource-kubernetes ]] && log "provider: cached in $BIN" ||
        timed pulumi-resource-kubernetes "$SCRATCH/provider-build.log" -- build_provider_go ;;
      *) die "unknown build target '$c' (k8s|coredns|provider)" ;;
    esac
  done
  write_versions
  echo "$BIN"
}

# ---------------------------------------------------------------------------------------------
# processes: started detached (setsid), pid in $RUN/pids/NAME, stopped only by that pid
# ---------------------------------------------------------------------------------------------
start() {
  local name=$1; shift
  setsid "$@" >"$RUN/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/pids/$name"
}

# alive NAME: the recorded pid runs and is still the program we started (pids get reused)
alive() {
  local f=$RUN/pids/$1 pid exe
  [[ -f $f ]] || return 1
  pid=$(<"$f"); [[ -n $pid && -d /proc/$pid ]] || return 1
  exe=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $exe == *"$1"* ]]
}

stop() {
  local name=$1 pid i
  if alive "$name"; then
    pid=$(<"$RUN/pids/$name")
    kill "$pid" 2>/dev/null || true
    for i in $(seq 50); do alive "$name" || break; sleep 0.2; done
    if alive "$name"; then log "$name ($pid) ignores SIGTERM: SIGKILL"; kill -9 "$pid" 2>/dev/null || true; sleep 0.5; fi
  fi
  rm -f "$RUN/pids/$name"
}

# wait_for WHAT SECONDS command...: polls once a second
wait_for() {
  local what=$1 n=$2 i; shift 2
  for i in $(seq "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  die "timed out after ${n}s waiting for $what (logs in $RUN/logs)"
}

# ---------------------------------------------------------------------------------------------
# up
# ---------------------------------------------------------------------------------------------
pki() {
  local p=$RUN/pki n
  mkdir -p "$p"; cd "$p"; [[ -f kubeconfig.done ]] && return 0
  crt() {
    openssl genrsa -out "$1.key" 2048 2>/dev/null
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile "$3" -out "$1.crt" 2>/dev/null
  }
  openssl genrsa -out ca.key 2048 2>/dev/null
  openssl req -x509 -new -key ca.key -subj /CN=aninfra-k8s-ca -days 3650 -out ca.crt 2>/dev/null
  printf 'subjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:127.0.0.1,IP:10.96.0.1\nextendedKeyUsage=serverAuth\n' >srv.ext
  echo 'extendedKeyUsage=clientAuth' >cli.ext
  crt apiserver /CN=kube-apiserver srv.ext
  crt admin "/CN=admin/O=system:masters" cli.ext
  crt kubelet "/CN=system:node:localhost/O=system:nodes" cli.ext   # node name = localhost
  crt kcm /CN=system:kube-controller-manager cli.ext
  crt sched /CN=system:kube-scheduler cli.ext
  crt proxy /CN=system:kube-proxy cli.ext                          # bound to system:node-proxier
  crt coredns /CN=aninfra:coredns cli.ext                          # bound by rbac below
  openssl genrsa -out sa.key 2048 2>/dev/null; openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
  for n in admin kubelet kcm sched proxy coredns; do
    local k="$BIN/kubectl --kubeconfig=$RUN/$n.kubeconfig"
    $k config set-cluster local --server="https://127.0.0.1:$API_PORT" --certificate-authority=ca.crt --embed-certs
    $k config set-credentials "$n" --client-certificate="$n.crt" --client-key="$n.key" --embed-certs
    $k config set-context local --cluster=local --user="$n"; $k config use-context local
  done >/dev/null
  cp "$RUN/admin.kubeconfig" "$KUBECONFIG_OUT"; chmod 600 "$RUN"/*.kubeconfig "$KUBECONFIG_OUT"
  touch kubeconfig.done
}

start_containerd() {
  local r=$RUN/containerd
  mkdir -p "$r"
  # restrict_oom_score_adj: REQUIRED when root lacks CAP_SYS_RESOURCE, else every sandbox fails
  #   with "can't get final child's PID from pipe: EOF" (pause asks for oom_score_adj -998)
  containerd config default | sed \
    -e "s#^root = .*#root = \"$r/root\"#" -e "s#^state = .*#state = \"$r/state\"#" \
    -e "s#^  address = \"/run/containerd/containerd.sock\"#  address = \"$CTRD_SOCK\"#" \
    -e "s#sandbox_image = .*#sandbox_image = \"$PAUSE_IMAGE\"#" \
    -e "s#bin_dir = \"/opt/cni/bin\"#bin_dir = \"/usr/lib/cni\"#" \
    -e "s#conf_dir = \"/etc/cni/net.d\"#conf_dir = \"$RUN/cni/net.d\"#" \
    -e "s#path = \"/opt/containerd\"#path = \"$r/opt\"#" \
    -e "s#^            Root = \"\"#            Root = \"$r/runc\"#" \
    -e 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' \
    -e 's/netns_mounts_under_state_dir = false/netns_mounts_under_state_dir = true/' >"$r/config.toml"
  grep -q "address = \"$CTRD_SOCK\"" "$r/config.toml" || die "containerd config: socket not replaced"
  start containerd containerd --config "$r/config.toml"
  wait_for containerd 30 ctr -a "$CTRD_SOCK" version
}

network() {
  mkdir -p "$RUN/cni/net.d" "$RUN/cni/ipam"
  # pods in 10.244.0.0/24 on our own bridge; host-local leases under $RUN; portmap for hostPort;
  # the default route matters: without it a pod cannot reach a ClusterIP ("Network is unreachable")
  cat >"$RUN/cni/net.d/10-$CNI_NET.conflist" <<EOF
{ "cniVersion": "1.0.0", "name": "$CNI_NET", "plugins": [
  { "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
    "ipam": { "type": "host-local", "dataDir": "$RUN/cni/ipam", "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$GW_IP" }]],
              "routes": [{ "dst": "0.0.0.0/0" }] } },
  { "type": "portmap", "capabilities": { "portMappings": true } } ] }
EOF
  # the bridge exists before the first pod so that CoreDNS can bind the gateway address
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip addr show dev "$BRIDGE" | grep -q " $GW_IP/" || ip addr add "$GW_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Docker sets FORWARD's policy to DROP and br_netfilter sends bridged pod-to-pod traffic through
  # FORWARD too: accept everything in and out of our bridge (own chain, removed by down)
  iptables -N "$FWD_CHAIN" 2>/dev/null || true
  iptables -F "$FWD_CHAIN"
  iptables -A "$FWD_CHAIN" -i "$BRIDGE" -j ACCEPT
  iptables -A "$FWD_CHAIN" -o "$BRIDGE" -j ACCEPT
  iptables -C FORWARD -j "$FWD_CHAIN" 2>/dev/null || iptables -I FORWARD 1 -j "$FWD_CHAIN"
}

pause_image() {
  # pause = static C binary FROM scratch, built locally (no registry)
  docker image inspect "${PAUSE_IMAGE#docker.io/}" >/dev/null 2>&1 && return 0
  local d; d=$(mktemp -d)
  printf '%s\n' '#include <signal.h>' '#include <unistd.h>' '#include <sys/wait.h>' \
    'static void d(int s){(void)s;_exit(0);} static void r(int s){(void)s;while(waitpid(-1,0,WNOHANG)>0);}' \
    'int main(void){signal(SIGINT,d);signal(SIGTERM,d);signal(SIGCHLD,r);for(;;)pause();}' >"$d/pause.c"
  gcc -Os -static -o "$d/pause" "$d/pause.c" && strip "$d/pause"
  printf 'FROM scratch\nCOPY pause /pause\nENTRYPOINT ["/pause"]\n' >"$d/Dockerfile"
  docker build -q -t "${PAUSE_IMAGE#docker.io/}" "$d" >/dev/null 2>&1 || die "docker build of the pause image failed"
  rm -rf "$d"
}

# import_images IMG...: docker save | ctr import, skipped when the same image id is imported.
# One `docker save` for all of them writes the shared Debian layers once.
import_images() {
  local img id mark todo=() ids=()
  mkdir -p "$RUN/images"
  for img in "$@"; do
    id=$(docker image inspect --format '{{.Id}}' "$img" 2>/dev/null) || die "local image $img not found in Docker (run the docker bootstrap, or set ANINFRA_K8S_IMAGES)"
    mark=$RUN/images/$(printf '%s' "$img" | tr '/:' '__')
    if [[ -f $mark && $(<"$mark") == "$id" ]]; then continue; fi
    todo+=("$img"); ids+=("$id")
  done
  [[ ${#todo[@]} -gt 0 ]] || return 0
  log "importing ${todo[*]}"
  docker save "${todo[@]}" | ctr -a "$CTRD_SOCK" -n k8s.io images import - >/dev/null
  for id in "${!todo[@]}"; do
    echo "${ids[$id]}" >"$RUN/images/$(printf '%s' "${todo[$id]}" | tr '/:' '__')"
  done
  log "images imported"
}

start_control_plane() {
  local p=$RUN/pki
  start etcd etcd --name aninfra-k8s --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
    --initial-cluster "aninfra-k8s=http://127.0.0.1:$ETCD_PEER" --listen-metrics-urls ''
  # --advertise-address=127.0.0.1 needs --endpoint-reconciler-type=none (so pods cannot reach the
  # API through the `kubernetes` Service: it has no endpoints); the kubelet is reached by the
  # Hostname "localhost" because it refuses a loopback node IP
  start kube-apiserver "$BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
    --secure-port="$API_PORT" --cert-dir="$RUN/apiserver-certs" \
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" --client-ca-file="$p/ca.crt" \
    --kubelet-client-certificate="$p/admin.crt" --kubelet-client-key="$p/admin.key" \
    --kubelet-preferred-address-types=Hostname,InternalIP \
    --service-account-key-file="$p/sa.pub" --service-account-signing-key-file="$p/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range="$SVC_CIDR" --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction --allow-privileged=true --profiling=false --v=1
  wait_for kube-apiserver 120 kc get --raw=/readyz
  start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$RUN/kcm.kubeconfig" \
    --authentication-kubeconfig="$RUN/kcm.kubeconfig" --authorization-kubeconfig="$RUN/kcm.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$RUN/kcm-certs" --root-ca-file="$p/ca.crt" \
    --service-account-private-key-file="$p/sa.key" --use-service-account-credentials=true \
    --cluster-signing-cert-file="$p/ca.crt" --cluster-signing-key-file="$p/ca.key" --leader-elect=false \
    --controllers='*,-nodeipam,-service-lb-controller,-cloud-node-lifecycle' --profiling=false --v=1 \
    --enable-hostpath-provisioner=true
  start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$RUN/sched.kubeconfig" \
    --authentication-kubeconfig="$RUN/sched.kubeconfig" --authorization-kubeconfig="$RUN/sched.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --leader-elect=false --profiling=false --v=1
}

start_dns() {
  # RBAC for CoreDNS's client certificate, and the kube-dns Service in front of the host process
  kc apply -f - >/dev/null <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: 'aninfra:coredns'}
rules:
- {apiGroups: [''], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: 'aninfra:coredns'}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: 'aninfra:coredns'}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: 'aninfra:coredns'}]
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $DNS_IP
  ports:
  - {name: dns, port: 53, targetPort: $DNS_PORT, protocol: UDP}
  - {name: dns-tcp, port: 53, targetPort: $DNS_PORT, protocol: TCP}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-host
  namespace: kube-system
  labels: {kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: aninfra-local-cluster}
addressType: IPv4
endpoints: [{addresses: ['$GW_IP'], conditions: {ready: true}}]
ports:
- {name: dns, port: $DNS_PORT, protocol: UDP}
- {name: dns-tcp, port: $DNS_PORT, protocol: TCP}
EOF
  local fwd=''
  # forward other names to the host's resolver unless it is a loopback address (pods cannot reach it)
  if ns=$(awk '/^nameserver/{print $2; exit}' /etc/resolv.conf 2>/dev/null) && [[ -n $ns && $ns != 127.* && $ns != ::1 ]]; then
    fwd="forward . $ns"
  fi
  cat >"$RUN/Corefile" <<EOF
.:$DNS_PORT {
    bind $GW_IP
    ready 127.0.0.1:$DNS_READY
    errors
    loadbalance
    cache 5
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $RUN/coredns.kubeconfig local
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    $fwd
}
EOF
  start coredns "$BIN/coredns" -conf "$RUN/Corefile"
}

start_node() {
  local p=$RUN/pki c
  # kube-proxy: iptables mode; NodePorts only on the bridge address (not on the machine's
  # outside addresses, not on 127.0.0.1, which would need route_localnet); leaves conntrack
  # sysctls alone (root lacks CAP_SYS_RESOURCE anyway)
  cat >"$RUN/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $RUN/proxy.kubeconfig}
hostnameOverride: localhost
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$PROXY_HEALTHZ
metricsBindAddress: 127.0.0.1:$PROXY_METRICS
nodePortAddresses: ['$POD_CIDR']
iptables: {localhostNodePorts: false}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  start kube-proxy "$BIN/kube-proxy" --config="$RUN/kube-proxy.yaml" --v=1
  # kubelet on cgroup v1: failCgroupV1 false and a cgroupRoot that exists in every hierarchy
  for c in /sys/fs/cgroup/*/; do [[ -L ${c%/} ]] || mkdir -p "${c}$CGROUP"; done
  cat >"$RUN/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ
authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: $p/ca.crt}}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP
containerRuntimeEndpoint: unix://$CTRD_SOCK
failSwapOn: false
failCgroupV1: false
podLogsDir: $RUN/pod-logs
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
resolvConf: $RUN/resolv.conf
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
EOF
  # the kubelet copies the host's search/options into pods; give it a plain file
  printf 'nameserver %s\n' "$DNS_IP" >"$RUN/resolv.conf"
  start kubelet "$BIN/kubelet" --config="$RUN/kubelet.yaml" --kubeconfig="$RUN/kubelet.kubeconfig" \
    --root-dir="$RUN/kubelet-root" --hostname-override=localhost --cert-dir="$RUN/kubelet-certs" --v=1
}

start_storage() {
  mkdir -p -m 0777 "$HOSTPATH_PV"; chmod 0777 "$HOSTPATH_PV"
  cat >"$RUN/hostpath-perms.sh" <<EOF
# opens every new host-path volume to the pod's (non-root) user; stopped by local-cluster.sh down
while :; do
  find "$HOSTPATH_PV" -mindepth 1 -maxdepth 1 -type d ! -perm 0777 -exec chmod 0777 {} + 2>/dev/null
  sleep 0.3
done
EOF
  start hostpath-perms bash "$RUN/hostpath-perms.sh"
  kc apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $STORAGE_CLASS
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
EOF
}

node_ready() { kc get sa default && kc wait --for=condition=Ready node/localhost --timeout=2s; }
dns_ready() { curl -sf "http://127.0.0.1:$DNS_READY/ready"; }
proxy_ready() { curl -sf "http://127.0.0.1:$PROXY_HEALTHZ/healthz"; }

is_up() {
  local n
  for n in "${PROCS[@]}"; do alive "$n" || return 1; done
  [[ -f $KUBECONFIG_OUT ]] && kc get --raw=/readyz >/dev/null 2>&1
}

up() {
  local images=$IMAGES
  while [[ $# -gt 0 ]]; do
    case $1 in --images) images=$2; shift 2 ;; *) die "unknown option $1 (up [--images \"img ...\"])" ;; esac
  done
  # shellcheck disable=SC2206
  local imgs=($images)
  if is_up; then
    log "already up"
    import_images "${imgs[@]}"
    echo "$KUBECONFIG_OUT"; return 0
  fi
  # a partial or stale run dir: clean it up first
  if [[ -d $RUN ]]; then log "removing a previous, incomplete run"; down; T0=$(date +%s); fi
  k8s_cached && [[ -x $BIN/coredns ]] || die "binaries missing in $BIN: run '$0 build' first"
  local c; for c in containerd ctr runc etcd iptables openssl docker curl; do command -v "$c" >/dev/null || die "$c is not installed"; done
  mkdir -p "$RUN"/{pids,logs,pod-logs,kubelet-root}
  log "certificates"; pki
  network
  start_containerd
  pause_image
  import_images "$PAUSE_IMAGE" "${imgs[@]}"
  log "control plane"; start_control_plane
  start_dns
  start_storage
  start_node
  wait_for "node Ready" 120 node_ready
  wait_for "kube-proxy" 60 proxy_ready
  wait_for "CoreDNS" 60 dns_ready
  wait_for "the default service account" 60 kc get sa default -n default
  log "up (pids in $RUN/pids, logs in $RUN/logs)"
  echo "$KUBECONFIG_OUT"
}

# ---------------------------------------------------------------------------------------------
# down
# ---------------------------------------------------------------------------------------------
running_tasks() { ctr -a "$CTRD_SOCK" -n k8s.io tasks ls 2>/dev/null | awk 'NR>1 && $3=="RUNNING"' | grep -c . || true; }

# grep that does not fail the pipeline (set -o pipefail) when nothing matches
matching() { grep "$@" || true; }

# what kube-proxy --cleanup leaves: the kubelet's KUBE-FIREWALL, KUBE-KUBELET-CANARY and
# KUBE-IPTABLES-HINT chains (IPv4 and IPv6). No other Kubernetes runs on this machine.
clean_kube_chains() {
  local ipt t rule chain
  for ipt in iptables ip6tables; do
    for t in filter nat mangle; do
      $ipt -t $t -S 2>/dev/null | matching -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j KUBE-' | while read -r rule; do
        eval "$ipt -t $t ${rule/#-A/-D}" 2>/dev/null || true
      done
      for chain in $($ipt -t $t -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do $ipt -t $t -F "$chain" 2>/dev/null || true; done
      for chain in $($ipt -t $t -S 2>/dev/null | awk '/^-N KUBE-/{print $2}'); do $ipt -t $t -X "$chain" 2>/dev/null || true; done
    done
  done
}

# iptables rules the CNI portmap plugin added for our network (a kill skips the CNI DEL)
clean_portmap() {
  local t=nat rule chain
  iptables -t $t -S 2>/dev/null | matching -F "name: \\\"$CNI_NET\\\"" | matching '^-A' | while read -r rule; do
    # shellcheck disable=SC2086
    eval "iptables -t $t ${rule/#-A/-D}" 2>/dev/null || true
  done
  for chain in $(iptables -t $t -S 2>/dev/null | awk '/^-N CNI-(DN|SN)-/{print $2}'); do
    if ! iptables -t $t -S 2>/dev/null | grep -q -- "-j $chain\b"; then
      iptables -t $t -F "$chain" 2>/dev/null || true; iptables -t $t -X "$chain" 2>/dev/null || true
    fi
  done
  # the shared CNI-HOSTPORT-* chains go once nothing uses them any more
  if ! iptables -t $t -S CNI-HOSTPORT-DNAT 2>/dev/null | grep -q '^-A'; then
    for rule in "PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT" \
                "OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT" \
                "POSTROUTING -m comment --comment CNI portfwd requiring masquerade -j CNI-HOSTPORT-MASQ"; do
      # shellcheck disable=SC2086
      while iptables -t $t -D $rule 2>/dev/null; do :; done
    done
    iptables -t $t -S POSTROUTING 2>/dev/null | matching -- '-j CNI-HOSTPORT-MASQ' | while read -r rule; do
      eval "iptables -t $t ${rule/#-A/-D}" 2>/dev/null || true
    done
    for chain in CNI-HOSTPORT-DNAT CNI-HOSTPORT-SETMARK CNI-HOSTPORT-MASQ; do
      iptables -t $t -F $chain 2>/dev/null || true; iptables -t $t -X $chain 2>/dev/null || true
    done
  fi
}

down() {
  [[ -d $RUN ]] || { log "nothing to remove"; return 0; }
  local n i c
  # 1. no new pods: stop the controllers and scheduler, then let the kubelet tear the pods down
  #    itself (that runs the CNI DEL: veths, portmap rules, IP leases)
  stop kube-controller-manager; stop kube-scheduler
  if alive kubelet && alive kube-apiserver && [[ -f $KUBECONFIG_OUT ]]; then
    # (a forced delete would let the kubelet use each pod's own grace period, 30 s by default)
    kc delete pods --all --all-namespaces --grace-period=1 --wait=false >/dev/null 2>&1 || true
    for i in $(seq 30); do [[ $(running_tasks) == 0 ]] && break; sleep 1; done
    log "pods stopped"
  fi
  for n in kubelet kube-proxy coredns kube-apiserver hostpath-perms; do stop "$n"; done
  log "node and API server stopped"
  # 2. anything left in our containerd (our socket, our namespace only): kill, delete
  if alive containerd && [[ -S $CTRD_SOCK ]]; then
    for c in $(ctr -a "$CTRD_SOCK" -n k8s.io tasks ls -q 2>/dev/null); do ctr -a "$CTRD_SOCK" -n k8s.io tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true; done
    sleep 1
    for c in $(ctr -a "$CTRD_SOCK" -n k8s.io tasks ls -q 2>/dev/null); do ctr -a "$CTRD_SOCK" -n k8s.io tasks rm -f "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr -a "$CTRD_SOCK" -n k8s.io containers ls -q 2>/dev/null); do ctr -a "$CTRD_SOCK" -n k8s.io containers rm "$c" >/dev/null 2>&1 || true; done
  fi
  log "containers removed"
  stop containerd; stop etcd
  log "processes stopped"
  # shims of killed containers exit with their task; any shim still bound to our socket dir
  for c in /proc/[0-9]*; do
    if tr '\0' ' ' 2>/dev/null <"$c/cmdline" | grep -q "containerd-shim.*-address $CTRD_SOCK"; then
      log "stopping leftover shim ${c#/proc/}"; kill -9 "${c#/proc/}" 2>/dev/null || true
    fi
  done
  # 3. mounts under the run dir (projected tokens, CRI netns, shm, rootfs), deepest first
  for i in 1 2 3; do
    awk -v r="$RUN" '$2 ~ "^"r {print $2}' /proc/mounts | sort -r | while read -r c; do umount "$c" 2>/dev/null || umount -l "$c" 2>/dev/null || true; done
    awk -v r="$RUN" '$2 ~ "^"r' /proc/mounts | grep -q . || break
  done
  log "mounts removed"
  # 4. network: kube-proxy's KUBE-* chains, the portmap rules, our FORWARD chain, the bridge
  [[ -x $BIN/kube-proxy ]] && "$BIN/kube-proxy" --cleanup --v=0 >/dev/null 2>&1 || true
  clean_kube_chains
  clean_portmap
  while iptables -D FORWARD -j "$FWD_CHAIN" 2>/dev/null; do :; done
  iptables -F "$FWD_CHAIN" 2>/dev/null || true; iptables -X "$FWD_CHAIN" 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
  log "iptables rules and bridge removed"
  # 5. cgroups the kubelet made under our cgroupRoot (empty once the processes are gone)
  for c in /sys/fs/cgroup/*/"$CGROUP"; do
    [[ -d $c ]] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  log "cgroups removed"
  # 6. the volumes of the host-path provisioner (PVs do not outlive the cluster's etcd)
  rm -rf "$HOSTPATH_PV"
  log "volumes removed"
  # 7. the run dir itself (the image store in it takes a while)
  if awk -v r="$RUN" '$2 ~ "^"r' /proc/mounts | grep -q .; then
    log "WARNING: mounts remain under $RUN; leaving the directory"
  else
    rm -rf "$RUN"
  fi
  log "down"
}

status() {
  if is_up; then echo up; echo "$KUBECONFIG_OUT"; return 0; fi
  echo down; echo "$KUBECONFIG_OUT"; return 1
}

# The Debian packages the cluster runs on (containerd and runc also come with Docker): installed
# only when one is missing, so a provisioned machine never touches apt.
DEB_DEPS=(containerd runc containernetworking-plugins etcd-server iptables openssl gcc libc6-dev curl)
deps() {
  local missing=() p
  for p in "${DEB_DEPS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  if [[ ${#missing[@]} -eq 0 ]]; then log "deps: installed"; return 0; fi
  log "deps: installing ${missing[*]}"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
    die "could not install ${missing[*]}"
}

case "${1:-}" in
  deps) deps ;;
  build) shift; build "$@" ;;
  up) shift; up "$@" ;;
  down) down ;;
  status) status ;;
  kubectl) shift; exec "$BIN/kubectl" --kubeconfig "$KUBECONFIG_OUT" "$@" ;;
  bin) echo "$BIN" ;;
  *) echo "usage: $0 deps | build [k8s|coredns|provider]... | up [--images \"img ...\"] | status | down | kubectl ARGS... | bin" >&2; exit 2 ;;
esac
