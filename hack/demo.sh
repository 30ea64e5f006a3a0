#!/usr/bin/env bash
# make run: the local control plane, the CRDs, the operator, the django-celery sample, and a rollout of a
# new image printed as it happens. The operator then keeps running in the foreground (Ctrl-C stops it);
# DEMO_EXIT=1 stops it when the demo is done.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
NS=${DEMO_NAMESPACE:-slipway-demo}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "local control plane"
hack/cluster.sh up
eval "$(hack/cluster.sh env)"

say "build the operator"
${MVN:-mvn -B -ntp -q} package -DskipTests
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
kubectl wait --for=condition=Established crd/webapps.slipway.dev crd/rolloutpolicies.slipway.dev --timeout=60s >/dev/null

say "start the operator (log: target/operator.log)"
pkill -f "slipway-demo-operator" 2>/dev/null || true
KUBECONFIG=$SLIPWAY_OPERATOR_KUBECONFIG java -Dslipway-demo-operator -Xmx256m -Dquarkus.http.port=18080 \
  -jar target/quarkus-app/quarkus-run.jar > target/operator.log 2>&1 &
OPERATOR=$!
trap 'kill $OPERATOR 2>/dev/null || true' EXIT
until curl -fsS http://127.0.0.1:18080/q/health/ready >/dev/null 2>&1; do
  kill -0 $OPERATOR 2>/dev/null || { tail -40 target/operator.log; echo "operator exited" >&2; exit 1; }
  sleep 0.5
done

# Prints a line whenever the WebApp's phase, stage or component counts change, until it is Ready or Stalled
# for the current generation.
follow() {
  local last="" line phase stage message comps gen observed ready stalled
  local jp='{.metadata.generation}|{.status.observedGeneration}|{.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Stalled")].status}|{.status.phase}|{.status.rollout.stage}|{.status.message}|{range .status.components[*]}{.name}={.availableReplicas}/{.replicas}@{.revision} {end}'
  while true; do
    line=$(kubectl -n "$NS" get webapp shop -o jsonpath="$jp")
    IFS='|' read -r gen observed ready stalled phase stage message comps <<<"$line"
    if [ "${line#*|*|*|*|}" != "$last" ]; then
      printf '%s  %-11s %-10s %s\n%24s%s\n' "$(date +%T)" "${phase:--}" "${stage:--}" "$message" "" "$comps"
      last=${line#*|*|*|*|}
    fi
    # Done when Ready, or when Stalled and any rollback has finished.
    if [ "$gen" = "$observed" ] && { [ "$ready" = True ] || { [ "$stalled" = True ] && [[ $message != *"waiting for"* ]]; }; }; then
      return 0
    fi
    sleep 0.3
  done
}

say "deploy samples/django-celery.yaml (web + celery worker + beat + migrate) into namespace $NS"
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NS" delete webapp shop --ignore-not-found --wait=true >/dev/null
kubectl -n "$NS" apply -f samples/django-celery.yaml
follow
kubectl -n "$NS" get webapp,deployments,jobs

say "roll out a new image: migrate, then workers, then web, then the scheduler"
kubectl -n "$NS" patch webapp shop --type merge -p '{"spec":{"image":"ghcr.io/example/shop:1.1.0"}}'
follow

say "a broken release: web never becomes ready; Slipway rolls every component back"
kubectl -n "$NS" patch webapp shop --type merge \
  -p '{"spec":{"image":"ghcr.io/example/shop:1.2.0-broken","web":{"podLabels":{"slipway.dev/test-not-ready":"true"}},"rollout":{"progressDeadlineSeconds":15}}}'
follow
kubectl -n "$NS" get webapp shop
kubectl -n "$NS" get events --field-selector involvedObject.kind=WebApp --sort-by=.lastTimestamp | tail -n 12

say "done"
echo "Try: kubectl -n $NS get webapp shop -o yaml      (KUBECONFIG=$KUBECONFIG)"
if [ "${DEMO_EXIT:-0}" = 1 ]; then exit 0; fi
echo "The operator keeps running; Ctrl-C stops it. 'make cluster-down' stops the control plane."
wait $OPERATOR
