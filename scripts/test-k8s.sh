#!/usr/bin/env bash
# The Kubernetes project-run backend's tests (dist/**/*.k8s-spec.js) against a real API server:
# builds, starts the local control plane with scripts/k8s/cluster.sh (kube-apiserver,
# controller-manager, scheduler, etcd and a kwok fake node; built from source on first use, then
# cached) unless it is already running, runs the tests with KUBECONFIG pointing at it, and stops
# the cluster again if it started it.
#
# Usage: scripts/test-k8s.sh [name-filter]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cluster="scripts/k8s/cluster.sh"
filter=${1:-}

node scripts/build.mjs --quiet

started=0
if ! bash "$cluster" status >/dev/null 2>&1; then started=1; fi
stop_cluster() { if [ "$started" = 1 ]; then bash "$cluster" stop; fi; }
trap stop_cluster EXIT
if [ "$started" = 1 ]; then bash "$cluster" start; fi

eval "$(bash "$cluster" env)"
export KUBECONFIG

if [ -z "$(find dist -name '*.k8s-spec.js' | grep -F -- "$filter")" ]; then
  echo "test-k8s: no *.k8s-spec.js files under dist/${filter:+ matching $filter}" >&2
  exit 1
fi
echo "# Kubernetes tests against $(grep -m1 'server:' "$KUBECONFIG" | awk '{print $2}') ($KUBECONFIG)"
# scripts/test.mjs gives the tier a real PostgreSQL too (the all-in-one end-to-end test needs one).
node scripts/test.mjs --k8s ${filter:+"$filter"}
