#!/usr/bin/env bash
# A real Kubernetes control plane as local processes: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok (playing the kubelet of the fake nodes that scale tests use) and one real node
# (a real kubelet with containerd, hack/realnode.sh). Everything is built from Go modules and cached.
#
#   hack/cluster.sh build        build/cache the binaries (seconds when warm)
#   hack/cluster.sh up           start the control plane and the real node (no-op when already up)
#   hack/cluster.sh down         stop exactly what `up` started, remove run state, leave the host as it was
#   hack/cluster.sh status       what runs, on which ports
#   hack/cluster.sh env          print `export KUBECONFIG=...` (use with eval)
#   hack/cluster.sh load IMAGE   put a local Docker image into the real node's runtime
#   hack/cluster.sh crash        SIGKILL everything `up` started, as a stopped machine would (recovery test)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=versions.env
source "$REPO/hack/versions.env"
# shellcheck source=lib.sh
source "$REPO/hack/lib.sh"

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/slipway
BIN=$CACHE/bin
SRC=$CACHE/src
RUN=${SLIPWAY_RUN_DIR:-$CACHE/run}
KUBECONFIG_FILE=$RUN/admin.kubeconfig
OPERATOR_KUBECONFIG_FILE=$RUN/operator.kubeconfig
AUDIT_LOG=$RUN/logs/audit.log
# shellcheck source=realnode.sh
source "$REPO/hack/realnode.sh"

# Loopback ports, all away from the standard ones so a real cluster on this host cannot collide.
ETCD_CLIENT_PORT=12379
ETCD_PEER_PORT=12380
APISERVER_PORT=16443
KCM_PORT=20257
SCHED_PORT=20259
KWOK_PORT=20247
NODES=(kwok-node-0 kwok-node-1)

export GOTOOLCHAIN=local CGO_ENABLED=0

exec 3>&2   # log() writes here even while a build step's output goes to its log file
log() { printf '[cluster] %s\n' "$*" >&3; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

K8S_BINARIES="kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy"
k8s_bin()  { echo "$BIN/k8s-$K8S_VERSION/$1"; }
etcd_bin() { echo "$BIN/etcd-$ETCD_VERSION/etcd"; }
kwok_bin() { echo "$BIN/kwok-$KWOK_VERSION/kwok"; }
helm_bin() { echo "$BIN/helm-$HELM_VERSION/helm"; }
gateway_crds() { echo "$CACHE/gateway-api-$GATEWAY_API_VERSION"; }
kwok_stages()  { echo "$CACHE/kwok-stages-$KWOK_VERSION"; }

# ---------------------------------------------------------------------------------------------
# build

ensure_apt() {
  local missing=()
  command -v openssl >/dev/null || missing+=(openssl)
  command -v curl >/dev/null || missing+=(curl)
  command -v lua5.4 >/dev/null || missing+=(lua5.4)
  command -v python3 >/dev/null || missing+=(python3)   # make run serves demo metrics with it
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing apt packages: ${missing[*]}"
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed"
}

# Runs a build step; on failure names the component, module and version and shows the log tail.
build_step() {
  local component=$1 module=$2 version=$3; shift 3
  local logf=$CACHE/logs/build-$component.log
  mkdir -p "$CACHE/logs"
  if ! "$@" >"$logf" 2>&1; then
    tail -n 30 "$logf" >&2
    die "build of $component failed: module $module version $version (full log: $logf)"
  fi
}

k8s_ldflags() {
  local minor; minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  local ldf="-s -w"
  for kv in gitVersion=$K8S_VERSION gitMajor=1 gitMinor=$minor gitTreeState=clean buildDate=2026-01-01T00:00:00Z; do
    ldf="$ldf -X k8s.io/component-base/version.$kv -X k8s.io/client-go/pkg/version.$kv"
  done
  echo "$ldf"
}

# k8s.io/kubernetes maps its staging modules to v0.0.0 with replace directives, which `go install`
# ignores; a wrapper main module replaces each with its released v0.<minor>.<patch>.
build_k8s() {
  local out; out=$(dirname "$(k8s_bin kube-apiserver)")
  local b; for b in $K8S_BINARIES; do [ -x "$out/$b" ] || break; done
  [ -x "$out/$b" ] && return 0
  log "building $K8S_BINARIES $K8S_VERSION (about 15 min on 2 cores)..."
  local w=$SRC/k8s-$K8S_VERSION staging="v0.${K8S_VERSION#v1.}"
  mkdir -p "$w" "$out"
  (
    cd "$w"
    printf 'module slipway.invalid/k8sbins\n\ngo 1.26.0\n\ngodebug default=go1.26\n\nrequire k8s.io/kubernetes %s\n' "$K8S_VERSION" > go.mod
    (cd /tmp && go mod download k8s.io/kubernetes@"$K8S_VERSION")
    local gomod; gomod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod"
    for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[A-Za-z0-9._-]*\) => \./staging/.*#\1#p' "$gomod"); do
      go mod edit -replace="$m=$m@$staging"
    done
    export GOFLAGS=-mod=mod
    local cmds=() b; for b in $K8S_BINARIES; do cmds+=("k8s.io/kubernetes/cmd/$b"); done
    go get "${cmds[@]/%/@$K8S_VERSION}"
    go build -trimpath -p 2 -ldflags "$(k8s_ldflags)" -o "$out/" "${cmds[@]}"
  )
}

# etcd's server module also carries replace directives; keep it in its own wrapper module so its
# grpc/otel versions are not mixed with Kubernetes'.
build_etcd() {
  local out; out=$(dirname "$(etcd_bin)")
  [ -x "$out/etcd" ] && return 0
  log "building etcd $ETCD_VERSION..."
  local w=$SRC/etcd-$ETCD_VERSION
  rm -rf "$w"; mkdir -p "$w" "$out"
  (
    cd "$w"
    go mod init slipway.invalid/etcdbin
    export GOFLAGS=-mod=mod
    go get go.etcd.io/etcd/server/v3@"$ETCD_VERSION"
    go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
  )
}

build_kwok() {
  local out; out=$(dirname "$(kwok_bin)")
  [ -x "$out/kwok" ] && return 0
  log "building kwok $KWOK_VERSION..."
  mkdir -p "$out"
  GOBIN=$out go install -trimpath sigs.k8s.io/kwok/cmd/kwok@"$KWOK_VERSION"
}

build_helm() {
  local out; out=$(dirname "$(helm_bin)")
  [ -x "$out/helm" ] && return 0
  log "building helm $HELM_VERSION..."
  mkdir -p "$out"
  local minor; minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  GOBIN=$out go install -trimpath -ldflags "-s -w \
    -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor" \
    helm.sh/helm/v3/cmd/helm@"$HELM_VERSION"
}

# hack/kstatus: how kstatus readers (Flux, Helm 4 --wait) judge an object; keyed by its sources.
kstatus_bin() { echo "$BIN/kstatus-$(cat "$REPO"/hack/kstatus/go.sum "$REPO"/hack/kstatus/main.go | sha256sum | cut -c1-12)/kstatus"; }

build_kstatus() {
  local out; out=$(dirname "$(kstatus_bin)")
  [ -x "$out/kstatus" ] && return 0
  log "building hack/kstatus (sigs.k8s.io/cli-utils)..."
  mkdir -p "$out"
  (cd "$REPO/hack/kstatus" && go build -trimpath -ldflags "-s -w" -o "$out/kstatus" .)
}

fetch_module_files() {
  local gw kst modcache; gw=$(gateway_crds); kst=$(kwok_stages)
  [ -d "$gw" ] && [ -d "$kst" ] && return 0
  (cd /tmp && go mod download sigs.k8s.io/gateway-api@"$GATEWAY_API_VERSION" sigs.k8s.io/kwok@"$KWOK_VERSION")
  modcache=$(go env GOMODCACHE)
  mkdir -p "$gw" "$kst"
  cp "$modcache/sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION"/config/crd/standard/*.yaml "$gw/"
  cp -r "$modcache/sigs.k8s.io/kwok@$KWOK_VERSION"/kustomize/stage/. "$kst/"
  chmod -R u+w "$gw" "$kst"
}

cmd_build() {
  command -v go >/dev/null || die "go is required (Go >= 1.26) to build the control plane"
  ensure_apt
  realnode_apt
  mkdir -p "$BIN" "$SRC"
  build_step etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" build_etcd
  build_step kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION" build_kwok
  build_step kubernetes k8s.io/kubernetes "$K8S_VERSION" build_k8s
  build_step helm helm.sh/helm/v3 "$HELM_VERSION" build_helm
  build_step kstatus sigs.k8s.io/cli-utils "$(sed -n 's/^require sigs.k8s.io\/cli-utils //p' "$REPO/hack/kstatus/go.mod")" build_kstatus
  build_step coredns github.com/coredns/coredns "$(sed -n 's/^require github.com\/coredns\/coredns //p' "$REPO/hack/coredns/go.mod")" build_coredns
  build_step pause hack/pause.c - build_pause
  build_step prometheus github.com/prometheus/prometheus "$(sed -n 's/^require github.com\/prometheus\/prometheus //p' "$REPO/hack/prometheus/go.mod")" build_prometheus
  build_step module-files "sigs.k8s.io/gateway-api+sigs.k8s.io/kwok" "$GATEWAY_API_VERSION+$KWOK_VERSION" fetch_module_files
  # A stable directory of the current versions, for the Makefile, tests and people.
  mkdir -p "$CACHE/current"
  ln -sfn "$(k8s_bin kubectl)" "$CACHE/current/kubectl"
  ln -sfn "$(helm_bin)" "$CACHE/current/helm"
  ln -sfn "$(etcd_bin)" "$CACHE/current/etcd"
  ln -sfn "$(kwok_bin)" "$CACHE/current/kwok"
  ln -sfn "$(kstatus_bin)" "$CACHE/current/kstatus"
  ln -sfn "$(prometheus_bin)" "$CACHE/current/prometheus"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet; do ln -sfn "$(k8s_bin $c)" "$CACHE/current/$c"; done
  log "binaries ready in $CACHE/current: $("$(k8s_bin kube-apiserver)" --version), etcd $("$(etcd_bin)" --version | head -1 | awk '{print $3}'), kwok $KWOK_VERSION, helm $HELM_VERSION"
}

# ---------------------------------------------------------------------------------------------
# up / down / status

COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

pid_of() { local f=$RUN/$1.pid; [ -f "$f" ] && cat "$f"; }
# Alive, and still the program we started under that PID (see `start`).
running() { local p; p=$(pid_of "$1") && ours "$p" "$(cat "$RUN/$1.cmd" 2>/dev/null)"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_port_free() {
  local component=$1 port=$2
  port_free "$port" || die "port $port (for $component) is already taken on 127.0.0.1: $(ss -ltnp "sport = :$port" 2>/dev/null | tail -n +2 | head -1)"
}

# Starts a component in the background, logging to $RUN/logs/<name>.log. Its PID goes to <name>.pid and its
# program to <name>.cmd: after a killed run the PID may be another process's, which is then never signalled.
start() {
  local name=$1; shift
  setsid "$@" >"$RUN/logs/$name.log" 2>&1 </dev/null 3>&- &
  local pid=$! i
  echo "$pid" > "$RUN/$name.pid"
  echo "$1" > "$RUN/$name.cmd"
  # Until the child has exec'd the program, its PID still shows this script's command line, and `running`
  # would take that instant for an exit (ChaosSmokeIT met it restarting kwok): wait the milliseconds it takes.
  for i in $(seq 1 250); do
    ours "$pid" "$1" && return 0
    kill -0 "$pid" 2>/dev/null || return 0   # it exited already: wait_for says so, with its log
    sleep 0.02
  done
}

# Waits until the probe command succeeds; names the component and shows its log tail otherwise.
wait_for() {
  local name=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! running "$name"; then
      tail -n 30 "$RUN/logs/$name.log" >&2
      die "$name exited during start-up (log: $RUN/logs/$name.log)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$RUN/logs/$name.log" >&2
      die "$name not healthy after ${timeout}s (log: $RUN/logs/$name.log)"
    fi
    sleep 0.5
  done
}

make_pki() {
  local p=$RUN/pki; mkdir -p "$p"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=slipway-test-ca \
    -keyout "$p/ca.key" -out "$p/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout "$p/apiserver.key" -out "$p/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' > "$p/ext"
  openssl x509 -req -in "$p/apiserver.csr" -CA "$p/ca.crt" -CAkey "$p/ca.key" -CAcreateserial -days 3650 \
    -extfile "$p/ext" -out "$p/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$p/sa.key" 2048 2>/dev/null
  # Two identities: the admin that people and tests use, and the operator's own, so the audit log can
  # tell the operator's API calls apart.
  local admin_token operator_token
  admin_token=$(openssl rand -hex 24); operator_token=$(openssl rand -hex 24)
  {
    echo "$admin_token,slipway-admin,slipway-admin,\"system:masters\""
    echo "$operator_token,slipway-operator,slipway-operator,\"system:masters\""
  } > "$p/tokens.csv"
  write_kubeconfig "$KUBECONFIG_FILE" admin "$admin_token"
  write_kubeconfig "$OPERATOR_KUBECONFIG_FILE" slipway-operator "$operator_token"
  cat > "$p/audit-policy.yaml" <<'POLICY'
# Every write, with who made it; reads are not logged.
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
  verbs: [create, update, patch, delete, deletecollection]
- level: None
POLICY
}

write_kubeconfig() {
  local file=$1 user=$2 token=$3 kubectl; kubectl=$(k8s_bin kubectl)
  "$kubectl" config --kubeconfig="$file" set-cluster slipway-local \
    --server="https://127.0.0.1:$APISERVER_PORT" --certificate-authority="$RUN/pki/ca.crt" --embed-certs >/dev/null
  "$kubectl" config --kubeconfig="$file" set-credentials "$user" --token="$token" >/dev/null
  "$kubectl" config --kubeconfig="$file" set-context slipway-local --cluster=slipway-local --user="$user" >/dev/null
  "$kubectl" config --kubeconfig="$file" use-context slipway-local >/dev/null
}

write_kwok_config() {
  local kst; kst=$(kwok_stages)
  {
    for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
             pod/fast/pod-delete.yaml; do
      cat "$kst/$f"; echo '---'
    done
    local first=1
    for f in "$REPO"/hack/kwok/*.yaml; do
      [ $first -eq 1 ] || echo '---'; first=0
      cat "$f"
    done
  } > "$RUN/kwok.yaml"
}

start_etcd() {
  start etcd "$(etcd_bin)" --name=slipway --data-dir="$RUN/etcd" \
    --listen-client-urls=http://127.0.0.1:$ETCD_CLIENT_PORT --advertise-client-urls=http://127.0.0.1:$ETCD_CLIENT_PORT \
    --listen-peer-urls=http://127.0.0.1:$ETCD_PEER_PORT --initial-advertise-peer-urls=http://127.0.0.1:$ETCD_PEER_PORT \
    --initial-cluster=slipway=http://127.0.0.1:$ETCD_PEER_PORT --initial-cluster-state=new \
    --listen-metrics-urls=http://127.0.0.1:12381 \
    --unsafe-no-fsync --quota-backend-bytes=2147483648 --auto-compaction-retention=1 --log-level=warn
  wait_for etcd 60 curl -fsS http://127.0.0.1:$ETCD_CLIENT_PORT/readyz
}

start_apiserver() {
  local p=$RUN/pki
  # It listens on loopback only; the `kubernetes` Service points at the real node's bridge address, where
  # hack/realnode.sh forwards to loopback for pods. OwnerReferencesPermissionEnforcement is on, as in
  # OpenShift: an operator that sets blockOwnerDeletion without rights on its owner's finalizers fails here.
  start kube-apiserver "$(k8s_bin kube-apiserver)" --etcd-servers=http://127.0.0.1:$ETCD_CLIENT_PORT \
    --bind-address=127.0.0.1 --secure-port=$APISERVER_PORT --advertise-address=$REAL_NODE_IP --cert-dir="$p" \
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" \
    --client-ca-file="$p/ca.crt" --token-auth-file="$p/tokens.csv" \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,DefaultStorageClass,ResourceQuota,LimitRanger,OwnerReferencesPermissionEnforcement \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$p/sa.key" --service-account-signing-key-file="$p/sa.key" \
    --service-cluster-ip-range=$SERVICE_CIDR --allow-privileged=true \
    --kubelet-preferred-address-types=InternalIP \
    --audit-policy-file="$p/audit-policy.yaml" --audit-log-path="$AUDIT_LOG" --audit-log-format=json \
    --audit-log-maxsize=500 --audit-log-maxbackup=1 --v=1
  wait_for kube-apiserver 120 curl -fsSk https://127.0.0.1:$APISERVER_PORT/readyz
}

# kwok plays only the nodes annotated as its own (hack/node.yaml); the real node is the kubelet's.
start_kwok() {
  start kwok "$(kwok_bin)" --kubeconfig="$KUBECONFIG_FILE" --config="$RUN/kwok.yaml" \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --node-ip=127.0.0.1 --node-name=localhost --node-port=$KWOK_PORT --server-address=127.0.0.1:$KWOK_PORT \
    --node-lease-duration-seconds=40 --cidr=10.244.0.0/16
  wait_for kwok 60 curl -fsS http://127.0.0.1:$KWOK_PORT/healthz
}

# Stops one component the way a crash would (SIGKILL) and starts it again with the same flags and data:
# the chaos tests' control-plane faults. Only etcd and kube-apiserver are restartable this way.
cmd_restart() {
  local c=${1:-} p
  case $c in etcd|kube-apiserver) ;; *) die "restart: etcd or kube-apiserver, not '$c'" ;; esac
  running "$c" || die "$c is not running (hack/cluster.sh up first)"
  p=$(pid_of "$c")
  kill -9 "$p"
  while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
  local t0=$SECONDS
  case $c in etcd) start_etcd ;; kube-apiserver) start_apiserver ;; esac
  # A real kubelet writes every pod's status again on its sync loop; kwok writes only on watch events, so a
  # pod status write the restart failed (a 500 while etcd was away) stays lost and the pod never turns
  # Running. Restarting kwok makes it list its pods again and write what they lack, as a kubelet would.
  stop_pid_file "$RUN/kwok.pid" >/dev/null
  start_kwok
  log "restarted $c (and kwok) in $((SECONDS - t0))s"
}

cmd_up() {
  if running kube-apiserver && running etcd && running kwok && running kubelet; then
    log "already up (KUBECONFIG=$KUBECONFIG_FILE)"; return 0
  fi
  if [ -d "$RUN" ]; then log "stale run state found; cleaning it"; cmd_down; fi
  cmd_build
  require_port_free etcd $ETCD_CLIENT_PORT; require_port_free etcd $ETCD_PEER_PORT
  require_port_free kube-apiserver $APISERVER_PORT; require_port_free kube-controller-manager $KCM_PORT
  require_port_free kube-scheduler $SCHED_PORT; require_port_free kwok $KWOK_PORT
  mkdir -p "$RUN/logs"
  local t0=$SECONDS p=$RUN/pki kc=$KUBECONFIG_FILE
  make_pki
  write_kwok_config

  start_etcd

  start_apiserver

  start kube-controller-manager "$(k8s_bin kube-controller-manager)" --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port=$KCM_PORT --leader-elect=false --controllers='*' \
    --use-service-account-credentials=false \
    --service-account-private-key-file="$p/sa.key" --root-ca-file="$p/ca.crt" \
    --cluster-signing-cert-file="$p/ca.crt" --cluster-signing-key-file="$p/ca.key" \
    --service-cluster-ip-range=$SERVICE_CIDR --concurrent-deployment-syncs=10 --concurrent-replicaset-syncs=10 \
    --kube-api-qps=200 --kube-api-burst=400 --v=1
  wait_for kube-controller-manager 60 curl -fsSk https://127.0.0.1:$KCM_PORT/healthz

  start kube-scheduler "$(k8s_bin kube-scheduler)" --kubeconfig="$kc" \
    --authentication-kubeconfig="$kc" --authorization-kubeconfig="$kc" \
    --bind-address=127.0.0.1 --secure-port=$SCHED_PORT --leader-elect=false \
    --kube-api-qps=200 --kube-api-burst=400 --v=1
  wait_for kube-scheduler 60 curl -fsSk https://127.0.0.1:$SCHED_PORT/healthz

  start_kwok

  local kubectl; kubectl=$(k8s_bin kubectl)
  for n in "${NODES[@]}"; do
    sed "s/NODE_NAME/$n/g" "$REPO/hack/node.yaml" | "$kubectl" --kubeconfig="$kc" apply -f - >/dev/null
  done
  KUBECTL=$kubectl wait_condition 60 Ready --kubeconfig="$kc" node \
    || die "kwok nodes did not become Ready (log: $RUN/logs/kwok.log)"
  local deadline=$((SECONDS + 60))
  until "$kubectl" --kubeconfig="$kc" -n default get serviceaccount default >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "kube-controller-manager never created the default ServiceAccount (log: $RUN/logs/kube-controller-manager.log)"
    sleep 0.5
  done
  "$kubectl" --kubeconfig="$kc" apply --server-side -f "$(gateway_crds)" >/dev/null \
    || die "could not install the Gateway API CRDs"
  KUBECTL=$kubectl wait_condition 60 Established --kubeconfig="$kc" crd \
    || die "the Gateway API CRDs were not established"
  realnode_up
  log "up in $((SECONDS - t0))s; export KUBECONFIG=$kc"
}

cmd_down() {
  local i
  realnode_down
  for ((i=${#COMPONENTS[@]}-1; i>=0; i--)); do
    local c=${COMPONENTS[$i]} p
    p=$(stop_pid_file "$RUN/$c.pid")
    [ -z "$p" ] || log "stopped $c (pid $p)"
  done
  rm -rf "$RUN"
  [ -z "${REAL_NODE_LEFT_TRACES:-}" ] || die "teardown left traces on the host (listed above)"
}

# What a stopped machine or a cancelled CI job does to a running cluster: SIGKILL, all at once, to every
# process `up` started and to the pods' processes on the real node, leaving the run state (pid files,
# mounts, the bridge, iptables chains, etcd data) for the next `up` to find and clean. The recovery test's
# fault; prints what it killed.
cmd_crash() {
  local f p shim init victims=()
  while read -r shim init; do
    victims+=("pod-init:$init")
    [[ " ${victims[*]} " == *" containerd-shim:$shim "* ]] || victims+=("containerd-shim:$shim")
  done < <(realnode_task_pids)
  for f in "$RUN"/*.pid; do
    [ -f "$f" ] || continue
    p=$(cat "$f")
    ! ours "$p" "$(cat "${f%.pid}.cmd" 2>/dev/null)" || victims+=("$(basename "$f" .pid):$p")
  done
  [ ${#victims[@]} -gt 0 ] || die "crash: nothing of ours runs"
  kill -9 "${victims[@]##*:}" 2>/dev/null || true
  log "crashed: SIGKILL to ${victims[*]}"
}

cmd_status() {
  local any=0
  printf '%-24s %-8s %-8s %s\n' COMPONENT STATE PID PORT
  for c in "${COMPONENTS[@]}" containerd kubelet kube-proxy coredns apiserver-forwarder; do
    local address state=stopped p=""
    case $c in
      etcd) address=127.0.0.1:$ETCD_CLIENT_PORT ;; kube-apiserver) address=127.0.0.1:$APISERVER_PORT ;;
      kube-controller-manager) address=127.0.0.1:$KCM_PORT ;; kube-scheduler) address=127.0.0.1:$SCHED_PORT ;;
      kwok) address=127.0.0.1:$KWOK_PORT ;; containerd) address=$NODE_DIR/containerd.sock ;;
      kubelet) address="$REAL_NODE_IP:$KUBELET_PORT (node $REAL_NODE)" ;;
      kube-proxy) address=127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT ;; coredns) address=$REAL_NODE_IP:53 ;;
      apiserver-forwarder) address="$REAL_NODE_IP:$APISERVER_PORT -> 127.0.0.1:$APISERVER_PORT" ;;
    esac
    if running "$c"; then state=running; p=$(pid_of "$c"); any=1; fi
    printf '%-24s %-8s %-8s %s\n' "$c" "$state" "${p:--}" "$address"
  done
  [ $any -eq 1 ] && echo "KUBECONFIG=$KUBECONFIG_FILE  logs: $RUN/logs"
  return 0
}

cmd_env() {
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
  echo "export SLIPWAY_OPERATOR_KUBECONFIG=$OPERATOR_KUBECONFIG_FILE"
  echo "export SLIPWAY_AUDIT_LOG=$AUDIT_LOG"
  echo "export PATH=$CACHE/current:\$PATH"
}

case "${1:-}" in
  build) cmd_build ;;
  up) cmd_up ;;
  load) [ -n "${2:-}" ] || die "usage: $0 load IMAGE"; realnode_load "$2" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  restart) cmd_restart "${2:-}" ;;
  crash) cmd_crash ;;
  is-up) running kube-apiserver && running etcd && running kwok && running kubelet ;;
  *) echo "usage: $0 build|up|down|status|env|is-up|load IMAGE|restart etcd|kube-apiserver|crash" >&2; exit 2 ;;
esac
