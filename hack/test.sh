#!/usr/bin/env bash
# make test: `make run` end to end (DEMO_EXIT=1) against a control plane without Slipway's CRDs, as a
# newcomer meets it; then unit tests + ITs. Brings the local control plane up when it is not, and leaves it
# as found.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
MVN=${MVN:-mvn -B -ntp}
say() { printf '[test] %s\n' "$*"; }

# shellcheck source=lib.sh
source hack/lib.sh
with_local_cluster

t0=$SECONDS
if [ "$CLUSTER_STARTED" -eq 0 ]; then
  # The control plane was already running and may have our CRDs: the demo must meet a cluster without them
  # (their creation is where the first `make run` broke). This throwaway cluster's WebApps go with them.
  say "removing Slipway's CRDs from the running local control plane, so make run meets a cluster without them"
  kubectl delete crd webapps.slipway.dev rolloutpolicies.slipway.dev --ignore-not-found --wait=true
fi
say "make run (DEMO_EXIT=1), output in target/make-run.log"
mkdir -p target
if ! DEMO_EXIT=1 MVN="$MVN -q" hack/demo.sh > target/make-run.log 2>&1 \
    || ! grep -q '== done' target/make-run.log; then
  tail -n 80 target/make-run.log
  say "FAILED: make run did not reach '== done' (full output: target/make-run.log, operator: target/operator.log)"
  exit 1
fi
say "make run reached '== done' in $((SECONDS - t0))s" | tee target/test-times.log
# The ITs' operator watches every namespace: it must not inherit the demo's app.
kubectl delete namespace slipway-demo --ignore-not-found --wait=true >/dev/null

t1=$SECONDS
rc=0
busy_before=$(machine_busy_seconds)
# `time` counts the CPU of mvn and of all it started and waited for: the tests' JVM, the operators, kubectl,
# helm, Prometheus, image builds. The rest of the machine's busy time is the cluster and the pods.
TIMEFORMAT='%U %S'
{ time $MVN verify -Dit.parallelism="$(it_parallelism)" "$@" 2>&3 || rc=$?; } 3>&2 2>target/mvn-cpu.txt
busy=$(( $(machine_busy_seconds) - busy_before ))
mvn_cpu=$(tail -n 1 target/mvn-cpu.txt | awk '{printf "%d", $1 + $2}')
echo "[test] mvn verify took $((SECONDS - t1))s; make test $((SECONDS - t0))s (plus cluster start-up)" \
  | tee -a target/test-times.log
echo "[test] CPU during mvn verify: the machine busy ${busy}s of $(( $(nproc) * (SECONDS - t1) ))s;" \
  "mvn and what it started ${mvn_cpu}s, the control plane, node and pods the other $((busy - mvn_cpu))s" \
  | tee -a target/test-times.log
hack/test-times.sh
exit $rc
