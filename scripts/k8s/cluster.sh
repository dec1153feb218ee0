#!/usr/bin/env bash
# A real, local Kubernetes control plane (no Docker, no kubelet) for testing Cairn's Kubernetes
# project-run backend against a real API server: etcd, kube-apiserver, kube-controller-manager
# and kube-scheduler from one binary built from source (scripts/k8s/kcp), plus kwok simulating
# one Ready node whose pods follow the stages in scripts/k8s/kwok-stages.yaml.
#
# Usage: scripts/k8s/cluster.sh build|start|stop|status|env|kubectl [ARGS...]
#   build    build kcp (k8s.io/kubernetes) and kwok into the tools cache, unless the binaries for
#            the pinned versions are already there (cold: ~15-25 min on 2 cores; once).
#   start    build if needed; create certificates, start every component (idempotent: running
#            ones are kept), wait until /readyz is ok and the fake node is Ready.
#   stop     SIGTERM every component (reverse order), SIGKILL after 10 s. Idempotent.
#   status   exit 0 if the API server is ready and the fake node is Ready, 3 otherwise.
#   env      print `export KUBECONFIG=...` (for eval).
#   kubectl  run kubectl (kcp kubectl) against this cluster.
#   reset    stop, delete the state directory, start again.
#
# Environment: CAIRN_K8S_DIR (state: certificates, kubeconfig, etcd data, pid files, logs;
# default /tmp/cairn-k8s), CAIRN_TOOLS_DIR (binary cache; default ~/.cache/cairn-tools).
# Ports (127.0.0.1 only): API server 16443, etcd 12379 (client) / 12380 (peer),
# controller-manager 16257, scheduler 16259, kwok's kubelet-like server 16250.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:-}
[ $# -gt 0 ] && shift
dir=${CAIRN_K8S_DIR:-/tmp/cairn-k8s}
case "$dir" in /*) ;; *) dir="$(pwd)/$dir" ;; esac
dir=${dir%/}
tools=${CAIRN_TOOLS_DIR:-$HOME/.cache/cairn-tools}

# Pins. k8s.io/kubernetes and etcd are pinned in kcp/go.mod (and go.sum); kwok here.
K8S_VERSION=$(awk '$1 == "k8s.io/kubernetes" {print $2; exit}' "$here/kcp/go.mod")
KWOK_VERSION=v0.8.0
KWOK_MODULE=sigs.k8s.io/kwok/cmd/kwok
# Version stamps that k8s's own build (hack/lib/version.sh) sets, so /version and `kubectl
# version` report the real release instead of v0.0.0-master.
k8s_mm=${K8S_VERSION#v}
version_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=${k8s_mm%%.*}"
  version_ldflags+=" -X $pkg.gitMinor=$(echo "$k8s_mm" | cut -d. -f2) -X $pkg.gitTreeState=clean"
done
KCP_LDFLAGS="-s -w$version_ldflags"
# The cache key covers everything the binaries are built from, so a changed pin rebuilds.
src_hash=$(cat "$here/kcp/go.mod" "$here/kcp/go.sum" "$here/kcp/main.go" \
  <(echo "$KWOK_VERSION $KCP_LDFLAGS") | sha256sum | cut -c1-10)
bindir=$tools/k8s-$K8S_VERSION-$src_hash
kcp=$bindir/kcp
kwok=$bindir/kwok

API_PORT=16443
ETCD_PORT=12379
ETCD_PEER_PORT=12380
KCM_PORT=16257
SCHED_PORT=16259
KWOK_PORT=16250
NODE_NAME=cairn-fake-node
SERVICE_CIDR=10.96.0.0/16
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { echo "cluster.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# --- build -------------------------------------------------------------------------------------

build() {
  if [ -x "$kcp" ] && [ -x "$kwok" ]; then
    log "kcp $K8S_VERSION and kwok $KWOK_VERSION present ($bindir)"
    return 0
  fi
  command -v go >/dev/null || die "go not found: the control plane is built from source (Go 1.26+)"
  local staging t0=$SECONDS
  mkdir -p "$tools"
  staging=$(mktemp -d "$tools/.k8s-build.XXXXXX")
  log "building kcp (k8s.io/kubernetes $K8S_VERSION) and kwok $KWOK_VERSION with $(go version | awk '{print $3}')"
  log "(cold build: tens of minutes on 2 cores, once; logs in $staging)"
  # -trimpath and -s -w keep the binaries small and the link fast; nice so other work goes on.
  (cd "$here/kcp" && GOFLAGS=-mod=mod nice -n 10 go build -trimpath -ldflags="$KCP_LDFLAGS" \
    -o "$staging/kcp" .) >"$staging/kcp-build.log" 2>&1 &
  local kcp_pid=$!
  GOBIN="$staging" GOFLAGS=-mod=mod nice -n 10 go install -trimpath -ldflags='-s -w' \
    "$KWOK_MODULE@$KWOK_VERSION" >"$staging/kwok-build.log" 2>&1 &
  local kwok_pid=$!
  local ok=1
  if ! wait "$kcp_pid"; then tail -n 40 "$staging/kcp-build.log" >&2; log "kcp build failed"; ok=0; fi
  if ! wait "$kwok_pid"; then tail -n 40 "$staging/kwok-build.log" >&2; log "kwok build failed"; ok=0; fi
  if [ "$ok" != 1 ]; then rm -rf "$staging"; die "build failed"; fi
  mkdir -p "$bindir"
  mv "$staging/kwok" "$kwok"
  mv "$staging/kcp" "$kcp"  # last: a present kcp means a complete cache entry
  rm -rf "$staging"
  log "built $bindir in $((SECONDS - t0)) s"
}

# --- certificates and kubeconfig ----------------------------------------------------------------

pki=$dir/pki
kubeconfig=$dir/kubeconfig

# sign NAME CN O EXT [CA]: a key and certificate signed by the cluster CA (or CA.crt/CA.key)
sign() {
  local name=$1 cn=$2 o=$3 ext=$4 ca=${5:-ca} subj="/CN=$2"
  [ -n "$o" ] && subj="/O=$o/CN=$cn"
  openssl genrsa -out "$pki/$name.key" 2048 2>/dev/null
  openssl req -new -key "$pki/$name.key" -subj "$subj" -out "$pki/$name.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.crt" -CAkey "$pki/$ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile <(printf '%s\n' "$ext") -out "$pki/$name.crt" 2>/dev/null
  rm -f "$pki/$name.csr"
}

make_pki() {
  if [ -f "$pki/done-v2" ]; then return 0; fi
  command -v openssl >/dev/null || die "openssl not found"
  rm -rf "$pki"
  mkdir -p "$pki"
  chmod 700 "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/ca.key" -out "$pki/ca.crt" \
    -days 3650 -sha256 -subj "/CN=cairn-k8s-ca" 2>/dev/null
  sign apiserver kube-apiserver "" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  # the admin user (system:masters): kubectl, tests, and the controllers/scheduler/kwok
  sign admin cairn-admin system:masters "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  # kwok's kubelet-like server (pod logs), verified by the API server against the CA
  sign kwok "$NODE_NAME" "" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:$NODE_NAME"
  # the API server's client identity towards kubelets (kwok)
  sign apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  # aggregation layer (front proxy): its own CA, trusted for request headers only
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$pki/front-proxy-ca.key" \
    -out "$pki/front-proxy-ca.crt" -days 3650 -sha256 -subj "/CN=cairn-k8s-front-proxy-ca" 2>/dev/null
  sign front-proxy-client front-proxy-client "" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth" front-proxy-ca
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  touch "$pki/done-v2"
}

make_kubeconfig() {
  local b64="base64 -w0"
  cat >"$kubeconfig.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: cairn-k8s
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $($b64 <"$pki/ca.crt")
users:
- name: cairn-admin
  user:
    client-certificate-data: $($b64 <"$pki/admin.crt")
    client-key-data: $($b64 <"$pki/admin.key")
contexts:
- name: cairn-k8s
  context:
    cluster: cairn-k8s
    user: cairn-admin
    namespace: default
current-context: cairn-k8s
EOF
  chmod 600 "$kubeconfig.tmp"
  mv "$kubeconfig.tmp" "$kubeconfig"
}

# --- processes ----------------------------------------------------------------------------------

pidfile() { echo "$dir/$1.pid"; }
logfile() { echo "$dir/$1.log"; }

# pid of the live component named in its pid file (started by us for this state dir), if any
comp_pid() {
  local f pid
  f=$(pidfile "$1")
  [ -f "$f" ] || return 1
  pid=$(tr -dc '0-9' <"$f" 2>/dev/null || true)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)" != Z ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# sets args=(the command line of component $1)
comp_args() {
  case "$1" in
    etcd)
      args=("$kcp" etcd --name=cairn --data-dir="$dir/etcd" \
        --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
        --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
        --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
        --initial-cluster="cairn=http://127.0.0.1:$ETCD_PEER_PORT" \
        --unsafe-no-fsync=true --log-level=warn ) ;;
    kube-apiserver)
      # shellcheck disable=SC2054
      args=("$kcp" kube-apiserver \
        --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
        --bind-address=127.0.0.1 --secure-port="$API_PORT" --advertise-address=127.0.0.1 \
        --endpoint-reconciler-type=none \
        --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
        --client-ca-file="$pki/ca.crt" \
        --authorization-mode=Node,RBAC \
        --service-account-issuer=https://kubernetes.default.svc.cluster.local \
        --service-account-key-file="$pki/sa.pub" \
        --service-account-signing-key-file="$pki/sa.key" \
        --service-cluster-ip-range="$SERVICE_CIDR" \
        --kubelet-certificate-authority="$pki/ca.crt" \
        --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" \
        --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
        --kubelet-preferred-address-types=InternalIP \
        --requestheader-client-ca-file="$pki/front-proxy-ca.crt" \
        --requestheader-allowed-names=front-proxy-client \
        --requestheader-username-headers=X-Remote-User \
        --requestheader-group-headers=X-Remote-Group \
        --requestheader-extra-headers-prefix=X-Remote-Extra- \
        --proxy-client-cert-file="$pki/front-proxy-client.crt" \
        --proxy-client-key-file="$pki/front-proxy-client.key" \
        --allow-privileged=true --profiling=false ) ;;
    kube-controller-manager)
      args=("$kcp" kube-controller-manager \
        --kubeconfig="$kubeconfig" \
        --authentication-kubeconfig="$kubeconfig" --authorization-kubeconfig="$kubeconfig" \
        --bind-address=127.0.0.1 --secure-port="$KCM_PORT" --cert-dir="$dir/kcm-certs" \
        --leader-elect=false '--controllers=*' \
        --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
        --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
        --service-cluster-ip-range="$SERVICE_CIDR" --profiling=false ) ;;
    kube-scheduler)
      args=("$kcp" kube-scheduler \
        --kubeconfig="$kubeconfig" \
        --authentication-kubeconfig="$kubeconfig" --authorization-kubeconfig="$kubeconfig" \
        --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$dir/scheduler-certs" \
        --leader-elect=false --profiling=false ) ;;
    kwok)
      args=("$kwok" --kubeconfig="$kubeconfig" --config="$dir/kwok.yaml" \
        --manage-all-nodes=false \
        --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
        --node-ip=127.0.0.1 --node-port="$KWOK_PORT" \
        --server-address="127.0.0.1:$KWOK_PORT" \
        --tls-cert-file="$pki/kwok.crt" --tls-private-key-file="$pki/kwok.key" \
        --node-lease-duration-seconds=40 --enable-crds=Logs ) ;;
  esac
}

comp_port() {
  case "$1" in
    etcd) echo "$ETCD_PORT" ;; kube-apiserver) echo "$API_PORT" ;;
    kube-controller-manager) echo "$KCM_PORT" ;; kube-scheduler) echo "$SCHED_PORT" ;;
    kwok) echo "$KWOK_PORT" ;;
  esac
}

curl_api() {
  curl -fsS --max-time 3 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
    "https://127.0.0.1:$API_PORT$1"
}

comp_ready() {
  case "$1" in
    etcd) curl -fsS --max-time 2 "http://127.0.0.1:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"' ;;
    kube-apiserver) [ "$(curl_api /readyz 2>/dev/null)" = ok ] ;;
    kube-controller-manager) [ "$(curl -ksS --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz" 2>/dev/null)" = ok ] ;;
    kube-scheduler) [ "$(curl -ksS --max-time 2 "https://127.0.0.1:$SCHED_PORT/healthz" 2>/dev/null)" = ok ] ;;
    kwok) [ "$(curl -ksS --max-time 2 "https://127.0.0.1:$KWOK_PORT/healthz" 2>/dev/null)" = ok ] ;;
  esac
}

# wait_for SECONDS COMMAND...: poll every 0.2 s
wait_for() {
  local secs=$1 i
  shift
  for ((i = 0; i < secs * 5; i++)); do
    "$@" && return 0
    sleep 0.2
  done
  return 1
}

start_comp() {
  local c=$1 pid port
  if pid=$(comp_pid "$c"); then
    log "$c already running (pid $pid)"
  else
    rm -f "$(pidfile "$c")"
    port=$(comp_port "$c")
    port_in_use "$port" && die "port $port (for $c) is already taken by another process"
    comp_args "$c"
    setsid "${args[@]}" </dev/null >>"$(logfile "$c")" 2>&1 &
    echo $! >"$(pidfile "$c")"
  fi
  if ! wait_for 90 comp_ready "$c"; then
    tail -n 40 "$(logfile "$c")" >&2 || true
    comp_pid "$c" >/dev/null || log "$c exited"
    die "$c did not become ready within 90 s (log: $(logfile "$c"))"
  fi
}

kubectl() { "$kcp" kubectl --kubeconfig="$kubeconfig" "$@"; }

# Ready, and kwok holds the node's lease (so it is managing the node's pods)
node_ready() {
  [ "$(kubectl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ] &&
    [ -n "$(kubectl -n kube-node-lease get lease "$NODE_NAME" -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null)" ]
}

default_sa() { kubectl -n default get serviceaccount default >/dev/null 2>&1; }

write_kwok_config() {
  mkdir -p "$dir/kwok-logs"
  # kwok serves `kubectl logs` for every pod from this file (CRI log format).
  if [ ! -f "$dir/kwok-logs/pod.log" ]; then
    local now
    now=$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)
    printf '%s stdout F %s\n' "$now" "cairn fake pod: started" "$now" "cairn fake pod: done" \
      >"$dir/kwok-logs/pod.log"
  fi
  {
    cat "$here/kwok-stages.yaml"
    cat <<EOF
---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata:
  name: cairn-all-pods
spec:
  logs:
  - logsFile: $dir/kwok-logs/pod.log
    follow: false
EOF
  } >"$dir/kwok.yaml"
}

start() {
  build
  local t0=$SECONDS
  mkdir -p "$dir"
  make_pki
  make_kubeconfig
  write_kwok_config
  start_comp etcd
  start_comp kube-apiserver
  start_comp kube-controller-manager
  start_comp kube-scheduler
  # kwok's Logs resource (per-pod log files) must exist before kwok watches it
  kubectl apply -f "$here/kwok-logs-crd.yaml" >/dev/null
  kubectl wait --for=condition=Established crd/logs.kwok.x-k8s.io --timeout=30s >/dev/null
  if ! comp_pid kwok >/dev/null; then
    # kwok handles a node's pods only once it holds the node's lease; a lease left in etcd by a
    # previous run makes it wait for that lease to expire (~20 s), so drop it first
    kubectl -n kube-node-lease delete lease "$NODE_NAME" --ignore-not-found >/dev/null
  fi
  start_comp kwok
  kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Node
metadata:
  name: $NODE_NAME
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: $NODE_NAME
    kubernetes.io/os: linux
    type: kwok
EOF
  if ! wait_for 60 node_ready; then
    tail -n 30 "$(logfile kwok)" >&2 || true
    die "node $NODE_NAME did not become Ready within 60 s (log: $(logfile kwok))"
  fi
  wait_for 60 default_sa || die "the default service account was not created within 60 s (log: $(logfile kube-controller-manager))"
  log "ready in $((SECONDS - t0)) s: API server https://127.0.0.1:$API_PORT, node $NODE_NAME Ready"
  log "export KUBECONFIG=$kubeconfig"
}

stop() {
  local i c pid pids=()
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    c=${COMPONENTS[$i]}
    if pid=$(comp_pid "$c"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$c:$pid")
    fi
  done
  for cp in "${pids[@]}"; do
    c=${cp%%:*}
    pid=${cp#*:}
    for _ in $(seq 1 50); do [ -d "/proc/$pid" ] || break; comp_pid "$c" >/dev/null || break; sleep 0.2; done
    if comp_pid "$c" >/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for c in "${COMPONENTS[@]}"; do
    for _ in $(seq 1 25); do comp_pid "$c" >/dev/null || break; sleep 0.2; done
    rm -f "$(pidfile "$c")"
  done
  log "stopped"
}

status() {
  local c up=1
  for c in "${COMPONENTS[@]}"; do
    if pid=$(comp_pid "$c"); then log "$c: running (pid $pid)"; else log "$c: not running"; up=0; fi
  done
  [ "$up" = 1 ] && [ -x "$kcp" ] && comp_ready kube-apiserver && node_ready && return 0
  return 3
}

case "$cmd" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  env) echo "export KUBECONFIG=$kubeconfig" ;;
  kubectl) [ -x "$kcp" ] || die "not built (run: $0 build)"; kubectl "$@" ;;
  reset) stop; rm -rf "$dir"; start ;;
  *) echo "usage: $0 build|start|stop|status|env|kubectl|reset" >&2; exit 2 ;;
esac
