#!/usr/bin/env bash
# End-to-end checks of the local Kubernetes cluster (scripts/k8s/cluster.sh): Jobs that succeed,
# fail with an exit code, and cannot pull their image; pod logs; Background-propagation delete.
# Starts the cluster when it is not running (and leaves it running). Exit 0 when all pass.
#
# Usage: scripts/k8s/smoke.sh [--keep]   (--keep: do not delete the test namespace)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
keep=0
[ "${1:-}" = --keep ] && keep=1
ns=cairn-smoke-$$
t_all=$SECONDS
fails=0

k() { "$here/cluster.sh" kubectl -n "$ns" "$@"; }
say() { echo "smoke: $*"; }
ok() { say "PASS $*"; }
bad() { say "FAIL $*"; fails=$((fails + 1)); }

if ! "$here/cluster.sh" status >/dev/null 2>&1; then
  say "cluster not running; starting it"
  "$here/cluster.sh" start
fi

cleanup() {
  if [ "$keep" = 0 ]; then
    "$here/cluster.sh" kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  else
    say "kept namespace $ns"
  fi
}
trap cleanup EXIT

"$here/cluster.sh" kubectl create namespace "$ns" >/dev/null
for _ in $(seq 1 100); do k get serviceaccount default >/dev/null 2>&1 && break; sleep 0.1; done

# job NAME IMAGE [EXIT_CODE]: a Job with backoffLimit 0 and one container
job() {
  local env=""
  [ -n "${3:-}" ] && env="
        env:
        - name: CAIRN_FAKE_EXIT_CODE
          value: \"$3\""
  k apply -f - >/dev/null <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: $1
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: $2
        command: ["python", "train.py"]$env
EOF
}

pod_of() { k get pods -l "job-name=$1" -o 'jsonpath={.items[0].metadata.name}'; }

# 1. a Job whose pod succeeds -> Job Complete
t0=$SECONDS
job smoke-ok python:3.12-slim
if k wait --for=condition=Complete job/smoke-ok --timeout=60s >/dev/null; then
  pod=$(pod_of smoke-ok)
  phase=$(k get pod "$pod" -o 'jsonpath={.status.phase} exit={.status.containerStatuses[0].state.terminated.exitCode} node={.spec.nodeName}')
  ok "succeeding Job: Complete in $((SECONDS - t0)) s (pod $pod: $phase)"
else
  bad "succeeding Job did not complete: $(k get job smoke-ok -o 'jsonpath={.status}')"
fi

# 2. logs of that pod, through the API server -> kwok's kubelet-like server
pod=$(pod_of smoke-ok || true)
if [ -n "$pod" ] && out=$(k logs "$pod" 2>&1) && [ -n "$out" ]; then
  ok "pod logs: $(echo "$out" | head -n 1)"
else
  bad "pod logs: ${out:-empty}"
fi

# 2b. per-pod logs: a kwok Logs object named after the pod points at a CRI-format log file
if [ -n "$pod" ]; then
  logdir=${CAIRN_K8S_DIR:-/tmp/cairn-k8s}/kwok-logs
  mkdir -p "$logdir"
  ts=$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)
  printf '%s stdout F epoch 1 loss 0.5\n%s stderr F per-pod log of %s\n' "$ts" "$ts" "$pod" \
    >"$logdir/$ns-$pod.log"
  k apply -f - >/dev/null <<EOF
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Logs
metadata:
  name: $pod
spec:
  logs:
  - logsFile: $logdir/$ns-$pod.log
EOF
  out=""
  for _ in $(seq 1 50); do
    out=$(k logs "$pod" 2>&1 || true)
    case "$out" in *"per-pod log of $pod"*) break ;; esac
    sleep 0.2
  done
  case "$out" in
    *"per-pod log of $pod"*) ok "per-pod logs (kwok Logs): $(echo "$out" | tr '\n' '|')" ;;
    *) bad "per-pod logs: got '$out'" ;;
  esac
fi

# 3. a Job whose container exits 3 -> pod Failed with exit code 3, Job Failed
t0=$SECONDS
job smoke-fail python:3.12-slim 3
if k wait --for=condition=Failed job/smoke-fail --timeout=60s >/dev/null; then
  pod=$(pod_of smoke-fail)
  st=$(k get pod "$pod" -o 'jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason}')
  reason=$(k get job smoke-fail -o 'jsonpath={.status.conditions[?(@.type=="Failed")].reason}')
  if [ "$st" = "Failed 3 Error" ]; then
    ok "failing Job: Failed ($reason) in $((SECONDS - t0)) s (pod $pod: phase/exitCode/reason = $st)"
  else
    bad "failing Job: Failed, but pod status is '$st' (want 'Failed 3 Error')"
  fi
else
  bad "failing Job did not fail: $(k get job smoke-fail -o 'jsonpath={.status}')"
fi

# 4. a Job whose image cannot be pulled -> pod Pending, container waiting ErrImagePull/ImagePullBackOff
t0=$SECONDS
job smoke-badimage registry.invalid/does-not-exist:1
reason=""
for _ in $(seq 1 100); do
  pod=$(pod_of smoke-badimage 2>/dev/null || true)
  [ -n "$pod" ] && reason=$(k get pod "$pod" -o 'jsonpath={.status.containerStatuses[0].state.waiting.reason}' 2>/dev/null || true)
  case "$reason" in ErrImagePull|ImagePullBackOff) break ;; esac
  sleep 0.2
done
phase=$(k get pod "$pod" -o 'jsonpath={.status.phase}' 2>/dev/null || true)
case "$reason/$phase" in
  ErrImagePull/Pending|ImagePullBackOff/Pending) ok "bad image: pod $pod $phase, waiting $reason after $((SECONDS - t0)) s" ;;
  *) bad "bad image: pod ${pod:-?} phase '$phase' waiting reason '$reason'" ;;
esac

# 5. delete that Job with propagationPolicy Background -> its pod goes away
t0=$SECONDS
k delete job smoke-badimage --cascade=background >/dev/null
gone=0
for _ in $(seq 1 150); do
  [ -z "$(k get pods -l job-name=smoke-badimage -o name 2>/dev/null)" ] && { gone=1; break; }
  sleep 0.2
done
if [ "$gone" = 1 ]; then
  ok "Background delete: Job's pods gone in $((SECONDS - t0)) s"
else
  bad "Background delete: pods still there: $(k get pods -l job-name=smoke-badimage -o wide 2>&1)"
fi

if [ "$fails" = 0 ]; then
  say "all checks passed in $((SECONDS - t_all)) s (namespace $ns)"
else
  say "$fails check(s) failed (namespace $ns; logs in ${CAIRN_K8S_DIR:-/tmp/cairn-k8s})"
  exit 1
fi
