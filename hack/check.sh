#!/usr/bin/env bash
# make check: the fast loop after every change (target: 6 minutes warm). Compiles, runs every unit test, and
# the ITs that cover the reconciler's core on kwok: CRD drift, the chart (lint, render, schema), admission,
# rolling rollouts, failure and rollback, canary with real Prometheus gates. `make test` (everything, the
# real node, the demo, chaos) before a submission. Brings the local control plane up when it is not, and
# leaves it as found: `make cluster-up` first keeps it up between checks (saves ~30 s each).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
MVN=${MVN:-mvn -B -ntp}
CHECK_ITS=${CHECK_ITS:-CrdDriftIT,HelmChartIT,ValidationIT,WebAppRolloutIT,WebAppFailureIT,CanaryIT}

# shellcheck source=lib.sh
source hack/lib.sh
with_local_cluster
# A demo left running in this cluster would be reconciled by two operators.
kubectl delete namespace slipway-demo --ignore-not-found --wait=true >/dev/null

t0=$SECONDS
mkdir -p target
rc=0
$MVN verify -Dit.test="$CHECK_ITS" -Dit.parallelism="$(it_parallelism)" "$@" || rc=$?
echo "[check] mvn verify ($CHECK_ITS) took $((SECONDS - t0))s" | tee target/test-times.log
rm -f target/make-run.log   # not this run's
hack/test-times.sh
exit $rc
