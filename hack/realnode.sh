# One real node beside the kwok nodes, a whole one: a real kubelet with its own containerd (Debian's), runc
# and CNI plugins, pods on a bridge of our own (cni0, 10.88.0.0/16); kube-proxy, so Service addresses work;
# cluster DNS (CoreDNS, hack/coredns) on the bridge address, so pods find Services by name; and a forwarder
# that makes the apiserver (loopback only) reachable from pods as `kubernetes.default`.
# Sourced by hack/cluster.sh, which provides RUN, CACHE, BIN, REPO, log, die, start, wait_for, k8s_bin,
# APISERVER_PORT and KUBECONFIG_FILE.
#
# The node is tainted slipway.dev/real-node=true:NoSchedule, so only pods that tolerate it (and select it by
# the label slipway.dev/real-node=true) land there; everything else keeps running on kwok.
# Nothing here talks to any address but loopback and our bridge: the kubelet serves on the bridge address,
# the apiserver reaches it by InternalIP (never resolving the node name), images are imported, never pulled.

REAL_NODE=slipway-real-0
REAL_NODE_IP=10.88.0.1
REAL_NODE_CIDR=10.88.0.0/16
REAL_NODE_BRIDGE=cni0
KUBELET_PORT=20250
KUBELET_HEALTHZ_PORT=20248
KUBE_PROXY_HEALTHZ_PORT=20256
KUBE_PROXY_METRICS_PORT=20249
COREDNS_READY_PORT=20181
CLUSTER_DOMAIN=cluster.local
SERVICE_CIDR=10.96.0.0/16   # kube-apiserver --service-cluster-ip-range
# What the kubelet tunes on the host at start (protectKernelDefaults=false); put back at teardown.
KUBELET_SYSCTLS="vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes"
NODE_DIR=$RUN/node
PAUSE_IMAGE=slipway.local/pause:1

# Debian packages the node runs on; containerd 1.6 talks CRI v1, which kubelet 1.36 needs (1.37 will need
# containerd 2).
realnode_apt() {
  local missing=()
  command -v containerd >/dev/null || missing+=(containerd)
  command -v runc >/dev/null || missing+=(runc)
  [ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
  command -v iptables >/dev/null || missing+=(iptables)
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
  command -v socat >/dev/null || missing+=(socat)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing apt packages for the real node: ${missing[*]}"
  apt_install "${missing[@]}" || die "apt-get install ${missing[*]} failed"
}

# The sandbox ("pause") process of every pod: a few lines of C, built once.
pause_bin() { echo "$BIN/pause-$(sha256sum "$REPO/hack/pause.c" | cut -c1-12)/pause"; }

build_pause() {
  local out; out=$(pause_bin)
  [ -x "$out" ] && return 0
  mkdir -p "$(dirname "$out")"
  gcc -Os -static -o "$out" "$REPO/hack/pause.c" && strip "$out"
}

# hack/coredns: CoreDNS with the few plugins cluster DNS needs; keyed by its sources.
coredns_bin() { echo "$BIN/coredns-$(cat "$REPO"/hack/coredns/go.sum "$REPO"/hack/coredns/main.go | sha256sum | cut -c1-12)/coredns"; }

build_coredns() {
  local out; out=$(coredns_bin)
  [ -x "$out" ] && return 0
  log "building hack/coredns (github.com/coredns/coredns, about 2 min)..."
  mkdir -p "$(dirname "$out")"
  (cd "$REPO/hack/coredns" && go build -trimpath -ldflags "-s -w" -o "$out" .)
}

prometheus_bin() { echo "$BIN/prometheus-$(cat "$REPO"/hack/prometheus/go.sum | sha256sum | cut -c1-12)/prometheus"; }

# Prometheus with Kubernetes pod discovery, for the real node's pods (Debian's package has no Kubernetes
# discovery). Only that discovery is compiled in: fewer dependencies, a shorter build.
build_prometheus() {
  local out; out=$(prometheus_bin)
  [ -x "$out" ] && return 0
  log "building hack/prometheus (github.com/prometheus/prometheus, about 4 min)..."
  mkdir -p "$(dirname "$out")"
  (cd "$REPO/hack/prometheus" && go build -tags remove_all_sd,enable_kubernetes_sd -trimpath -ldflags "-s -w" \
    -o "$out" github.com/prometheus/prometheus/cmd/prometheus)
}

ctr_k8s() { ctr --address "$NODE_DIR/containerd.sock" --namespace k8s.io "$@"; }

# Imports a local Docker image into the node's runtime (what `hack/cluster.sh load IMAGE` does): pods use
# it with imagePullPolicy Never or IfNotPresent and never reach a registry.
realnode_load() {
  local image=$1
  [ -S "$NODE_DIR/containerd.sock" ] || die "the real node is not running (hack/cluster.sh up)"
  local id; id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) \
    || die "no local Docker image $image (docker images lists them)"
  # The node's runtime names every image also by its config digest, which is Docker's image ID: the name and
  # that ID on one manifest mean this very image is there already (a test class and the demo load the same
  # images; an import of the shop's three takes half a minute).
  local digest; digest=$(ctr_image_digest "$image")
  if [ -n "$digest" ] && [ "$digest" = "$(ctr_image_digest "$id")" ]; then
    log "$image is in $REAL_NODE already"; return 0
  fi
  docker save "$image" | ctr_k8s images import - >/dev/null || die "could not import $image into the real node"
  log "loaded $image into $REAL_NODE"
}

# The manifest digest the node's runtime holds under a name, or nothing.
ctr_image_digest() { ctr_k8s images ls "name==$1" 2>/dev/null | awk 'NR == 2 {print $3}'; }

write_realnode_config() {
  mkdir -p "$NODE_DIR"/{containerd,cni/net.d,cni/ipam,kubelet,pod-logs,pki,logs}
  cat > "$NODE_DIR/containerd/config.toml" <<EOF
version = 2
root = "$NODE_DIR/containerd/root"
state = "$NODE_DIR/containerd/state"
oom_score = 0
[grpc]
  address = "$NODE_DIR/containerd.sock"
[ttrpc]
  address = "$NODE_DIR/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$NODE_DIR/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  disable_apparmor = true
  enable_selinux = false
  netns_mounts_under_state_dir = true
  # Machines of this kind grant no CAP_SYS_RESOURCE: runc cannot lower oom_score_adj below ours; clamp it.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$NODE_DIR/cni/net.d"
    max_conf_num = 1
EOF
  # firewall: Docker sets the FORWARD policy to DROP and br_netfilter sends bridged frames through it; the
  # plugin accepts our pods' traffic. Pods get a route to the bridge and to Service addresses (through the
  # host's kube-proxy rules) and no default route; ipMasq false: nothing of theirs is NATed out of this host.
  cat > "$NODE_DIR/cni/net.d/10-slipway.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "slipway", "plugins": [
  {"type": "bridge", "bridge": "$REAL_NODE_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$NODE_DIR/cni/ipam",
            "ranges": [[{"subnet": "$REAL_NODE_CIDR", "rangeStart": "10.88.0.10", "gateway": "$REAL_NODE_IP"}]],
            "routes": [{"dst": "$SERVICE_CIDR"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}},
  {"type": "firewall"}
]}
EOF
  # Identities: client certificates of the cluster CA. system:node:<name> gets exactly a kubelet's rights
  # (Node authorizer), system:kube-proxy exactly kube-proxy's (the bootstrap role system:node-proxier).
  client_kubeconfig "$NODE_DIR/kubelet/kubeconfig" kubelet "/O=system:nodes/CN=system:node:$REAL_NODE"
  client_kubeconfig "$NODE_DIR/kube-proxy.kubeconfig" kube-proxy "/CN=system:kube-proxy"
  cat > "$NODE_DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $NODE_DIR/kube-proxy.kubeconfig}
hostnameOverride: $REAL_NODE
mode: iptables
clusterCIDR: $REAL_NODE_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$KUBE_PROXY_METRICS_PORT
nodePortAddresses: ["$REAL_NODE_IP/32"]   # never on loopback or the host's own interfaces
# 0 = leave the host's conntrack settings as they are
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  # Cluster DNS: Services and pods of cluster.local from the apiserver; any other name is refused, never
  # forwarded (the kubelet gives pods no other resolver).
  cat > "$NODE_DIR/Corefile" <<EOF
$CLUSTER_DOMAIN:53 in-addr.arpa:53 ip6.arpa:53 {
  bind $REAL_NODE_IP
  errors
  kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
    kubeconfig $KUBECONFIG_FILE slipway-local
    pods insecure
  }
  cache 5
  ready 127.0.0.1:$COREDNS_READY_PORT
}
.:53 {
  bind $REAL_NODE_IP
  errors
}
EOF
  cat > "$NODE_DIR/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false          # machines of this kind run cgroup v1 (hybrid); the default refuses it since 1.35
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$NODE_DIR/containerd.sock
address: $REAL_NODE_IP       # serve only on our own bridge
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: true} # the apiserver has no kubelet client certificate: logs/exec arrive anonymously
  webhook: {enabled: false}
authorization: {mode: AlwaysAllow}
registerNode: true
registerWithTaints:
- {key: slipway.dev/real-node, value: "true", effect: NoSchedule}
podLogsDir: $NODE_DIR/pod-logs
resolvConf: ""                # pods get cluster DNS only, never the host's resolver
clusterDNS: [$REAL_NODE_IP]
clusterDomain: $CLUSTER_DOMAIN
maxPods: 30
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
nodeStatusUpdateFrequency: 10s
EOF
}

# client_kubeconfig FILE USER SUBJECT: a kubeconfig for the local apiserver with a fresh client certificate.
client_kubeconfig() {
  local file=$1 user=$2 subject=$3 p=$NODE_DIR/pki kubectl; kubectl=$(k8s_bin kubectl)
  openssl req -newkey rsa:2048 -nodes -subj "$subject" -keyout "$p/$user.key" -out "$p/$user.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' > "$p/ext"
  openssl x509 -req -in "$p/$user.csr" -CA "$RUN/pki/ca.crt" -CAkey "$RUN/pki/ca.key" -CAcreateserial \
    -CAserial "$p/ca.srl" -days 3650 -extfile "$p/ext" -out "$p/$user.crt" 2>/dev/null
  "$kubectl" config --kubeconfig="$file" set-cluster slipway-local --server="https://127.0.0.1:$APISERVER_PORT" \
    --certificate-authority="$RUN/pki/ca.crt" --embed-certs >/dev/null
  "$kubectl" config --kubeconfig="$file" set-credentials "$user" --client-certificate="$p/$user.crt" \
    --client-key="$p/$user.key" --embed-certs >/dev/null
  "$kubectl" config --kubeconfig="$file" set-context default --cluster=slipway-local --user="$user" >/dev/null
  "$kubectl" config --kubeconfig="$file" use-context default >/dev/null
}

# The pause image, made from the static binary (no registry): imported into Docker (so `load` has one
# path) and then into the node's runtime.
import_pause_image() {
  local key; key=$(sha256sum "$(pause_bin)" | cut -c1-12)
  if [ "$(docker image inspect -f '{{index .Config.Labels "dev.slipway.pause"}}' "$PAUSE_IMAGE" 2>/dev/null)" != "$key" ]; then
    tar -C "$(dirname "$(pause_bin)")" -c pause | docker import --change "LABEL dev.slipway.pause=$key" \
      --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
  fi
  realnode_load "$PAUSE_IMAGE" >/dev/null 2>&1 || die "could not import $PAUSE_IMAGE into the real node"
}

realnode_up() {
  "$REPO/hack/dockerd.sh" start
  write_realnode_config
  local t0=$SECONDS kubectl; kubectl=$(k8s_bin kubectl)
  # Our bridge, carrying the node IP: the kubelet refuses loopback node IPs and needs the IP on an interface.
  ip link show "$REAL_NODE_BRIDGE" >/dev/null 2>&1 && die "a $REAL_NODE_BRIDGE bridge already exists on this host; remove it or stop what made it"
  ip link add "$REAL_NODE_BRIDGE" type bridge
  ip addr add "$REAL_NODE_IP/16" dev "$REAL_NODE_BRIDGE"
  ip link set "$REAL_NODE_BRIDGE" up
  # Pods reach the apiserver (loopback only) as kubernetes.default: the apiserver advertises the bridge
  # address, kube-proxy sends 10.96.0.1:443 there, and this forwarder passes it on to loopback.
  start apiserver-forwarder socat "TCP-LISTEN:$APISERVER_PORT,bind=$REAL_NODE_IP,reuseaddr,fork" \
    "TCP:127.0.0.1:$APISERVER_PORT"
  start coredns "$(coredns_bin)" -conf "$NODE_DIR/Corefile"
  wait_for coredns 30 curl -fsS "http://127.0.0.1:$COREDNS_READY_PORT/ready"
  start containerd containerd --config "$NODE_DIR/containerd/config.toml"
  wait_for containerd 30 ctr --address "$NODE_DIR/containerd.sock" version
  import_pause_image
  local k; for k in $KUBELET_SYSCTLS; do echo "$k=$(sysctl -n "$k")"; done > "$NODE_DIR/host-sysctls"
  start kubelet "$(k8s_bin kubelet)" --config="$NODE_DIR/kubelet/config.yaml" \
    --kubeconfig="$NODE_DIR/kubelet/kubeconfig" --root-dir="$NODE_DIR/kubelet/root" \
    --hostname-override="$REAL_NODE" --node-ip="$REAL_NODE_IP" --node-labels=slipway.dev/real-node=true --v=1
  wait_for kubelet 60 curl -fsS "http://127.0.0.1:$KUBELET_HEALTHZ_PORT/healthz"
  local deadline=$((SECONDS + 60))
  until "$kubectl" --kubeconfig="$KUBECONFIG_FILE" get node "$REAL_NODE" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "the kubelet never registered $REAL_NODE (log: $RUN/logs/kubelet.log)"
    sleep 0.3
  done
  KUBECTL=$kubectl wait_condition 60 Ready --kubeconfig="$KUBECONFIG_FILE" node "$REAL_NODE" \
    || die "$REAL_NODE did not become Ready (log: $RUN/logs/kubelet.log)"
  # kube-proxy takes its node IP from the node object, so it starts once the kubelet has registered.
  start kube-proxy "$(k8s_bin kube-proxy)" --config="$NODE_DIR/kube-proxy.yaml" --v=1
  wait_for kube-proxy 30 curl -fsS "http://127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT/healthz"
  log "real node $REAL_NODE Ready in $((SECONDS - t0))s (pods on $REAL_NODE_CIDR, bridge $REAL_NODE_BRIDGE)"
}

# Stops the node and leaves the host as it was: no container, mount, bridge or iptables chain of ours left.
realnode_down() {
  local kubectl; kubectl=$(k8s_bin kubectl)
  # Let the kubelet stop its pods the normal way (CNI teardown included) while the apiserver still runs.
  if running kubelet && running kube-apiserver; then
    "$kubectl" --kubeconfig="$KUBECONFIG_FILE" cordon "$REAL_NODE" >/dev/null 2>&1 || true
    "$kubectl" --kubeconfig="$KUBECONFIG_FILE" delete pods -A --field-selector "spec.nodeName=$REAL_NODE" \
      --grace-period=1 --wait=false >/dev/null 2>&1 || true
    local deadline=$((SECONDS + 30))
    while [ $SECONDS -lt $deadline ] && [ -n "$("$kubectl" --kubeconfig="$KUBECONFIG_FILE" get pods -A \
        --field-selector "spec.nodeName=$REAL_NODE" -o name 2>/dev/null)" ]; do sleep 0.5; done
  fi
  local p
  p=$(stop_pid_file "$RUN/kubelet.pid"); [ -z "$p" ] || log "stopped kubelet (pid $p)"
  if running containerd; then
    # Anything left (a pod the kubelet had no time for): kill its task; shims exit with their last task.
    local id
    for id in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    for id in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks delete -f "$id" >/dev/null 2>&1 || true; done
  fi
  # A containerd that was killed (a stopped machine, a cancelled job) left its shims, and with them the pods'
  # processes, running: stop them by the PIDs its state dir recorded.
  local shim init
  while read -r shim init; do
    kill -9 "$init" "$shim" 2>/dev/null || true
    log "stopped a container (pid $init) and its shim (pid $shim) that a killed containerd left"
  done < <(realnode_task_pids)
  local c ran_proxy=0
  [ -f "$RUN/kube-proxy.pid" ] && ran_proxy=1
  for c in containerd kube-proxy coredns apiserver-forwarder; do
    p=$(stop_pid_file "$RUN/$c.pid"); [ -z "$p" ] || log "stopped $c (pid $p)"
  done
  # kube-proxy's own clean-up removes every rule and chain it made (only if we ran one: it would also
  # remove another kube-proxy's).
  [ $ran_proxy -eq 0 ] || "$(k8s_bin kube-proxy)" --cleanup >/dev/null 2>&1 || true
  [ ! -f "$NODE_DIR/host-sysctls" ] || sysctl -q -p "$NODE_DIR/host-sysctls" >/dev/null 2>&1 || true
  if running kube-apiserver; then
    "$kubectl" --kubeconfig="$KUBECONFIG_FILE" delete node "$REAL_NODE" --ignore-not-found >/dev/null 2>&1 || true
  fi
  # What is left now is state only (mounts, the bridge, chains): after a normal run the kubelet's and
  # kube-proxy's own mounts and chains; after a killed one, everything its pods had too. Say how much.
  local found; found=$(realnode_leftovers | awk '{print $1}' | sort | uniq -c | awk '{printf "%s%d %s", sep, $1, $2; sep=", "}')
  [ -z "$found" ] || log "cleaning the real node's state: ${found//:/}"
  # The kubelet bind-mounts its root dir onto itself; pods' network namespaces and volumes are mounts too.
  mount | awk -v d="$NODE_DIR" 'index($3, d) == 1 {print $3}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  ip link del "$REAL_NODE_BRIDGE" 2>/dev/null || true
  iptables_cleanup
  local left; left=$(realnode_leftovers)
  [ -z "$left" ] || { log "ERROR: the real node left traces on the host:"; printf '%s\n' "$left" >&3; REAL_NODE_LEFT_TRACES=1; }
}

# The containers containerd's state dir records, one "SHIM_PID INIT_PID" line each, for those whose first
# process still runs under a shim of our containerd (its parent, with our socket on its command line: a PID of
# a killed run may be another process's by now). INIT_PID is PID 1 of the container's PID namespace, so its
# death ends every process of the container; a pod's containers share one shim.
realnode_task_pids() {
  local f init shim
  for f in "$NODE_DIR"/containerd/state/io.containerd.runtime.v2.task/*/*/init.pid; do
    [ -f "$f" ] || continue
    init=$(cat "$f")
    shim=$(ps -o ppid= -p "$init" 2>/dev/null | tr -d ' ') || continue
    ours "$shim" "-address $NODE_DIR/containerd.sock" || continue
    echo "$shim $init"
  done
}

# What a stopped real node must not leave behind; prints each trace found.
realnode_leftovers() {
  local shim init
  while read -r shim init; do echo "process: container $init (shim $shim)"; done < <(realnode_task_pids)
  mount | awk -v d="$NODE_DIR" 'index($3, d) == 1 {print "mount: " $3}'
  ip link show "$REAL_NODE_BRIDGE" >/dev/null 2>&1 && echo "bridge: $REAL_NODE_BRIDGE"
  local t
  for t in filter nat mangle; do
    iptables-save -t $t 2>/dev/null | grep -E '^:(KUBE-|CNI-)' | sed "s/^/iptables $t chain: /"
  done
  ip -o addr show 2>/dev/null | grep -F " $REAL_NODE_IP/" | sed 's/^/address: /'
  return 0
}

# The chains the kubelet and the CNI firewall plugin create; none of them are Docker's.
iptables_cleanup() {
  local t tb
  while iptables -D FORWARD -m comment --comment "CNI firewall plugin rules" -j CNI-FORWARD 2>/dev/null; do :; done
  for c in CNI-FORWARD CNI-ADMIN; do iptables -F $c 2>/dev/null && iptables -X $c 2>/dev/null || true; done
  while iptables -D INPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
  while iptables -D OUTPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
  iptables -F KUBE-FIREWALL 2>/dev/null && iptables -X KUBE-FIREWALL 2>/dev/null || true
  for t in iptables ip6tables; do
    for tb in mangle filter nat; do $t -t $tb -X KUBE-KUBELET-CANARY 2>/dev/null || true; done
    $t -t mangle -X KUBE-IPTABLES-HINT 2>/dev/null || true
  done
}
