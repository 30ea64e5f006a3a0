#!/usr/bin/env bash
# make run: the local control plane, the CRDs, the operator, and releases printed as they happen. With Docker,
# the sample shop (samples/apps/shop: Django + Celery, PostgreSQL, Redis) runs on the real node: a rolling
# release, a canary judged by its own metrics through Prometheus, and a bad release the error-rate gate aborts.
# Without Docker the samples run on kwok's simulated nodes instead. The operator then keeps running in the
# foreground (Ctrl-C stops it); DEMO_EXIT=1 stops it when the demo is done.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
NS=${DEMO_NAMESPACE:-slipway-demo}
DEMO=$REPO/target/demo
# shellcheck source=lib.sh
source "$REPO/hack/lib.sh"
# Each step's heading carries the seconds since the demo started (hack/test-times.sh reads them).
say() { printf '\n\033[1m== %s\033[0m  (+%ds)\n' "$*" "$SECONDS"; }

# Every process the demo starts is recorded in $DEMO/<name>.pid and stopped by that PID alone: by the next
# demo (a previous one may still run in another terminal) and when this one exits.
stop_demo_processes() {
  for name in operator exporter prometheus load; do stop_pid_file "$DEMO/$name.pid" slipway-demo >/dev/null; done
}

say "local control plane"
hack/cluster.sh up
eval "$(hack/cluster.sh env)"

say "build the operator"
${MVN:-mvn -B -ntp -q} package -DskipTests
kubectl apply --server-side --force-conflicts -f crds/ >/dev/null
# Not `kubectl wait --for=condition=Established`: it fails on a CRD that has no conditions yet (just created).
wait_condition 60 Established crd/webapps.slipway.dev crd/rolloutpolicies.slipway.dev

say "start the operator (log: target/operator.log)"
mkdir -p "$DEMO"
stop_demo_processes
trap stop_demo_processes EXIT
KUBECONFIG=$SLIPWAY_OPERATOR_KUBECONFIG java -Dslipway-demo -Xmx256m -Dquarkus.http.port=18080 \
  -jar target/quarkus-app/quarkus-run.jar > target/operator.log 2>&1 &
OPERATOR=$!
echo $OPERATOR > "$DEMO/operator.pid"
until curl -fsS http://127.0.0.1:18080/q/health/ready >/dev/null 2>&1; do
  kill -0 $OPERATOR 2>/dev/null || { tail -40 target/operator.log; echo "operator exited" >&2; exit 1; }
  sleep 0.5
done

# Prints a line whenever the WebApp's phase, stage or component counts change, until it is Ready or Stalled
# for the current generation; fails after DEMO_STEP_TIMEOUT seconds (default 300) with the WebApp's status.
follow() {
  local last="" line phase stage message comps gen observed ready stalled
  local deadline=$((SECONDS + ${DEMO_STEP_TIMEOUT:-300}))
  local jp='{.metadata.generation}|{.status.observedGeneration}|{.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Stalled")].status}|{.status.phase}|{.status.rollout.stage}|{.status.message}|{range .status.components[*]}{.name}/{.track}={.availableReplicas}/{.replicas}@{.revision} {end}'
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
    if [ $SECONDS -ge $deadline ]; then
      kubectl -n "$NS" get webapp shop -o yaml >&2
      echo "the demo step did not finish within ${DEMO_STEP_TIMEOUT:-300}s (operator log: target/operator.log)" >&2
      return 1
    fi
    sleep 0.3
  done
}

# start_prometheus SCRAPE_CONFIGS (a YAML block list): Prometheus (built by hack/cluster.sh, on PATH after its env) on 127.0.0.1:19090, scraping every second.
start_prometheus() {
  printf 'global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n%s\n' "$1" > "$DEMO/prometheus.yml"
  rm -rf "$DEMO/prometheus-data"
  prometheus --config.file="$DEMO/prometheus.yml" --storage.tsdb.path="$DEMO/prometheus-data" \
    --web.listen-address=127.0.0.1:19090 --web.page-title=slipway-demo > "$DEMO/prometheus.log" 2>&1 &
  echo $! > "$DEMO/prometheus.pid"
  until curl -fsS http://127.0.0.1:19090/-/ready >/dev/null 2>&1; do
    kill -0 "$(cat "$DEMO/prometheus.pid")" 2>/dev/null || { tail -20 "$DEMO/prometheus.log"; echo "prometheus exited" >&2; exit 1; }
    sleep 0.5
  done
}

# Each gate of the last canary: where it ran (a step, counted from 1 as the plugin does, or in the background),
# its phase, and its recent values to four significant digits.
gate_values() {
  kubectl -n "$NS" get webapp shop -o json | python3 -c '
import json, sys
for g in json.load(sys.stdin).get("status", {}).get("canary", {}).get("gates", []):
    where = "background" if g.get("step") is None else "step %d" % (g["step"] + 1)
    values = " ".join("%.4g" % r["value"] for r in g.get("recent", []) if r.get("value") is not None)
    print("gate %s (%s): %s, values %s" % (g["name"], where, g["phase"], values or "-"))'
}

# The simulated demo (no Docker): the django-celery sample's pods on kwok's nodes, which run nothing.
demo_simulated() {
  say "deploy samples/django-celery.yaml (web + celery worker + beat + migrate) into namespace $NS"
  kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$NS" delete webapp shop --ignore-not-found --wait=true >/dev/null
  kubectl -n "$NS" apply -f samples/django-celery.yaml
  follow
  kubectl -n "$NS" get webapp,deployments,jobs

  say "roll out a new image: migrate, then workers, then web, then the scheduler"
  kubectl -n "$NS" patch webapp shop --type merge -p '{"spec":{"image":"ghcr.io/example/shop:1.1.0"}}'
  follow

  say "canary: switch to a RolloutPolicy judged by a real Prometheus (gate: canary error ratio < 1%)"
  # A metrics file served over HTTP plays the app's exporter; Prometheus scrapes it.
  mkdir -p "$DEMO/metrics"
  echo 'demo_error_ratio{app="shop",track="canary"} 0.002' > "$DEMO/metrics/metrics"
  # The -X option (ignored by python) marks the process as the demo's, for stop_pid_file.
  python3 -X slipway-demo -m http.server --bind 127.0.0.1 19101 --directory "$DEMO/metrics" >/dev/null 2>&1 &
  echo $! > "$DEMO/exporter.pid"
  start_prometheus "- {job_name: demo, static_configs: [{targets: ['127.0.0.1:19101']}]}"
  cat <<'POLICY' | kubectl -n "$NS" apply -f -
apiVersion: slipway.dev/v1alpha1
kind: RolloutPolicy
metadata: {name: demo-canary}
spec:
  strategy: Canary
  canary:
    steps: [{setWeight: 25}, {gate: {metrics: [error-rate]}}, {setWeight: 50}, {pause: {duration: 5s}}, {setWeight: 100}]
    podHealth: {readyTimeout: 10s}
  gates:
  - name: error-rate
    condition: result < 0.01
    interval: 2s
    count: 3
    prometheus: {address: "http://127.0.0.1:19090", query: 'max(demo_error_ratio{app="{{app}}",track="{{track}}"})'}
POLICY
  kubectl -n "$NS" patch webapp shop --type merge \
    -p '{"spec":{"image":"ghcr.io/example/shop:1.2.0","rollout":{"rolling":null,"policyRef":{"name":"demo-canary"}}}}'
  follow
  gate_values

  say "a broken release: canary pods never become ready; podHealth aborts it, stable is untouched"
  kubectl -n "$NS" patch webapp shop --type merge \
    -p '{"spec":{"image":"ghcr.io/example/shop:1.3.0-broken","web":{"podLabels":{"slipway.dev/test-not-ready":"true"}}}}'
  follow
  kubectl -n "$NS" get webapp shop
  kubectl -n "$NS" get events --field-selector involvedObject.kind=WebApp --sort-by=.lastTimestamp | tail -n 12
}

# The real demo: the sample shop on the real node (a real kubelet, containerd, kube-proxy, cluster DNS).
demo_shop() {
  say "build the sample shop (samples/apps/shop): Django + Celery, PostgreSQL and Redis images from Debian packages"
  hack/images.sh shop load

  say "PostgreSQL and Redis (samples/apps/shop/backing.yaml) into namespace $NS"
  kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  kubectl -n "$NS" delete webapp shop --ignore-not-found --wait=true >/dev/null
  kubectl -n "$NS" apply -f samples/apps/shop/backing.yaml
  for d in postgres redis; do kubectl -n "$NS" rollout status "deployment/$d" --timeout=120s; done

  say "the shop (samples/apps/shop/webapp.yaml): manage.py migrate first, then gunicorn, 2 Celery workers, 1 beat"
  kubectl -n "$NS" apply -f samples/apps/shop/webapp.yaml
  follow
  kubectl -n "$NS" get jobs,pods -o wide
  URL=http://$(kubectl -n "$NS" get service shop-web -o jsonpath='{.spec.clusterIP}')
  # The shop answers only the names in its ALLOWED_HOSTS: a client in the cluster says shop-web; from here,
  # the Service's address with that name in the Host header.
  CURL="curl -H 'Host: shop-web' $URL/"
  echo "$CURL  →  $(curl -fsS -H 'Host: shop-web' "$URL/")"
  echo "curl $URL/ (Host: its address)  →  $(curl -sS -o /dev/null -w 'HTTP %{http_code}' "$URL/")"

  say "Prometheus finds the shop's pods through the apiserver and copies their app/track/revision labels (docs/canary.md)"
  start_prometheus "$(hack/shop.sh scrape-config "$NS" "$KUBECONFIG")"
  # Traffic from this machine through kube-proxy: ~20 requests/s and a task every 2 s, counted by status.
  python3 -X slipway-demo - "$URL" "$DEMO/load.txt" <<'LOAD' >/dev/null 2>&1 &
import collections, sys, time, urllib.error, urllib.request
url, out = sys.argv[1], sys.argv[2]
counts = collections.Counter()
while True:
    for path in ["/"] * 39 + ["/work/?seconds=0.1"]:
        try:
            request = urllib.request.Request(url + path, headers={"Host": "shop-web"})
            with urllib.request.urlopen(request, timeout=5) as r:
                counts[r.status] += 1
        except urllib.error.HTTPError as e:
            counts[e.code] += 1
        except OSError:
            counts["no answer"] += 1
        with open(out, "w") as f:
            f.write(" ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=str)) + "\n")
        time.sleep(0.05)
LOAD
  echo $! > "$DEMO/load.pid"
  echo "requests to $URL from this machine: see $DEMO/load.txt"

  say "release 2 (rolling): migrate, then the workers, web, the scheduler — under traffic"
  kubectl -n "$NS" patch webapp shop --type json -p '[{"op":"add","path":"/spec/env/-","value":{"name":"VERSION","value":"2"}}]'
  follow
  echo "requests so far: $(cat "$DEMO/load.txt")"

  say "release 3 through the seed's canary (samples/apps/shop/canary-policy.yaml, seconds for minutes)"
  hack/shop.sh quick-policy http://127.0.0.1:19090 | kubectl -n "$NS" apply -f -
  kubectl -n "$NS" patch webapp shop --type merge -p '{"spec":{"rollout":{"rolling":null,"policyRef":{"name":"shop-canary"}}}}' >/dev/null
  kubectl -n "$NS" patch webapp shop --type json -p '[{"op":"replace","path":"/spec/env/6/value","value":"3"}]'
  follow
  gate_values
  echo "requests so far: $(cat "$DEMO/load.txt")"

  say "release 4 answers 5% of requests with 500: the error-rate gate aborts it; the stable pods keep serving"
  kubectl -n "$NS" patch webapp shop --type json -p '[{"op":"replace","path":"/spec/env/6/value","value":"4"},{"op":"add","path":"/spec/env/-","value":{"name":"ERROR_RATE","value":"0.05"}}]'
  follow
  gate_values
  kubectl -n "$NS" get webapp shop
  kubectl -n "$NS" get events --field-selector involvedObject.kind=WebApp --sort-by=.lastTimestamp | tail -n 8
  echo "requests so far: $(cat "$DEMO/load.txt")  (the 500s are release 4's canary's)"
  echo "$CURL  →  $(curl -fsS -H 'Host: shop-web' "$URL/")"
}

if docker info >/dev/null 2>&1; then
  demo_shop
else
  say "no Docker engine answers: the demo runs on kwok's simulated nodes (start dockerd for the real app)"
  demo_simulated
fi

say "done"
echo "Try: kubectl -n $NS get webapp shop -o yaml      (KUBECONFIG=$KUBECONFIG)"
[ -z "${CURL:-}" ] || echo "     $CURL   (the shop keeps serving; kubectl slipway status shop -n $NS)"
if [ "${DEMO_EXIT:-0}" = 1 ]; then exit 0; fi
echo "The operator keeps running; Ctrl-C stops it. 'make cluster-down' stops the control plane."
wait $OPERATOR
