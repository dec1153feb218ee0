#!/usr/bin/env bash
# Everything Cairn's tests and the distributed stack need beyond `npm ci`:
#   - Debian packages: postgresql (server for scripts/infra/postgres.sh), nats-server, curl
#     (installed only when missing; apt-get update runs only then)
#   - the Python venvs with the official mlflow clients (scripts/setup-python.sh all)
#   - a local Kubernetes control plane + kwok, built from source (install_k8s below;
#     CAIRN_SKIP_K8S=1 skips it)
# Fast (a second or two) when everything is already present. Needs root (or sudo) for apt.
#
# Usage: scripts/install-deps.sh [--no-python]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=1
for a in "$@"; do
  case "$a" in
    --no-python) python=0 ;;
    *) echo "usage: $0 [--no-python]" >&2; exit 2 ;;
  esac
done

# package -> a file it installs, so both dpkg's view and the real binaries are checked
declare -A want=(
  [postgresql]="/usr/lib/postgresql/*/bin/pg_ctl"
  [nats-server]="/usr/sbin/nats-server"
  [curl]="/usr/bin/curl"
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || return 1
  compgen -G "${want[$1]}" >/dev/null
}

missing=()
for p in postgresql nats-server curl; do
  installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  echo "install-deps: installing ${missing[*]}"
  t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null >/tmp/cairn-apt-install.log 2>&1 || {
    tail -n 40 /tmp/cairn-apt-install.log >&2
    echo "install-deps: apt-get install failed" >&2
    exit 1
  }
  echo "install-deps: apt packages installed in $((SECONDS - t0)) s"
  for p in "${missing[@]}"; do
    installed "$p" || { echo "install-deps: $p still missing after apt-get install" >&2; exit 1; }
  done
else
  echo "install-deps: apt packages present (postgresql, nats-server, curl)"
fi

# MinIO for the S3 backend's tests and the distributed stack: built with `go install` at a pinned
# commit (cached; about 6 minutes cold on 2 cores), in parallel with the Python venvs.
t_minio=$SECONDS
bash "$root/scripts/infra/minio.sh" install >/tmp/cairn-minio-install.log 2>&1 &
minio_pid=$!

if [ "$python" = 1 ]; then
  t0=$SECONDS
  bash "$root/scripts/setup-python.sh" all
  echo "install-deps: python venvs ready ($((SECONDS - t0)) s)"
fi

if ! wait "$minio_pid"; then
  cat /tmp/cairn-minio-install.log >&2
  echo "install-deps: MinIO install failed" >&2
  exit 1
fi
echo "install-deps: MinIO ready ($((SECONDS - t_minio)) s)"

# --- Kubernetes (project runner's Kubernetes backend tests) -------------------------------------
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (one binary, kcp) and
# kwok, built from source at the versions pinned in scripts/k8s/ and cached in
# ~/.cache/cairn-tools/k8s-<version>-<hash>/ (cold: many minutes on 2 cores; then instant).
# Run it with scripts/k8s/cluster.sh start. CAIRN_SKIP_K8S=1 skips the build.
install_k8s() {
  if [ "${CAIRN_SKIP_K8S:-0}" = 1 ]; then echo "install-deps: Kubernetes skipped (CAIRN_SKIP_K8S=1)"; return 0; fi
  local t0=$SECONDS
  if ! bash "$root/scripts/k8s/cluster.sh" build >/tmp/cairn-k8s-build.log 2>&1; then
    cat /tmp/cairn-k8s-build.log >&2
    echo "install-deps: Kubernetes (scripts/k8s) build failed" >&2
    exit 1
  fi
  echo "install-deps: Kubernetes control plane + kwok ready ($((SECONDS - t0)) s)"
}
install_k8s
