# Shell helpers shared by hack/*.sh (sourced, not run).

# apt_install PACKAGE...: Debian packages without recommends. Packages such as prometheus, containerd or
# docker.io would start their own daemons; a policy-rc.d that denies every start (the documented Debian way)
# keeps them from it, so there is nothing of theirs to find and stop afterwards. We start what we need.
apt_install() {
  local policy=/usr/sbin/policy-rc.d own_policy=0 rc=0
  apt-get update -qq >/dev/null || return 1
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy && own_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null || rc=$?
  [ $own_policy -eq 0 ] || rm -f $policy
  return $rc
}

# wait_condition TIMEOUT TYPE KUBECTL_GET_ARGS...
#   Waits until every object that `kubectl get KUBECTL_GET_ARGS...` lists has condition TYPE=True.
#   Unlike `kubectl wait --for=condition=TYPE`, an object that has no conditions yet (a CRD or node read
#   right after it was created) is waited for instead of failing with "accessor error: <nil> is of the type
#   <nil>". Prints the objects still waiting when it gives up. Uses KUBECTL, else kubectl from PATH.
wait_condition() {
  local timeout=$1 type=$2; shift 2
  local kubectl=${KUBECTL:-kubectl} deadline=$((SECONDS + timeout)) rows pending
  while true; do
    rows=$("$kubectl" get "$@" --no-headers \
      -o "custom-columns=NAME:.metadata.name,STATUS:.status.conditions[?(@.type==\"$type\")].status" 2>&1) || rows="?"
    pending=$(awk '$2 != "True"' <<<"$rows")
    [ -n "$rows" ] && [ -z "$pending" ] && return 0
    if [ $SECONDS -ge $deadline ]; then
      echo "timed out after ${timeout}s waiting for condition $type=True on: kubectl get $*" >&2
      echo "${pending:-(no objects listed)}" >&2
      return 1
    fi
    sleep 0.5
  done
}

# ours PID MARK: whether PID is alive and its command line contains MARK. A PID from a pid file of a run
#   that was killed (a stopped machine, a cancelled job) may belong to another process by now.
ours() {
  local pid=$1 mark=$2
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && { [ -z "$mark" ] || tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$mark"; }
}

# stop_pid_file FILE [MARK]: stops the process whose PID FILE holds (SIGTERM, SIGKILL after 10 s), then
#   removes FILE. Only that PID is signalled — never a process found by name — so nothing that is not ours
#   is touched; and only if its command line contains MARK (the PID may have been reused since). MARK
#   defaults to what FILE's sibling FILE%.pid.cmd holds (written by whoever started the process).
#   Prints the PID it stopped.
stop_pid_file() {
  local file=$1 mark=${2:-} pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  [ -n "$mark" ] || [ ! -f "${file%.pid}.cmd" ] || mark=$(cat "${file%.pid}.cmd")
  if ours "$pid" "$mark"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    echo "$pid"
  fi
  rm -f "$file" "${file%.pid}.cmd"
}

# with_local_cluster: builds the local control plane and starts it unless it runs, exports its environment
#   (KUBECONFIG, PATH), and stops it again when the calling script exits if this started it (then
#   CLUSTER_STARTED=1): make test and make check leave the machine as they found it.
with_local_cluster() {
  hack/cluster.sh build
  CLUSTER_STARTED=0
  if ! hack/cluster.sh is-up; then
    hack/cluster.sh up
    CLUSTER_STARTED=1
  fi
  trap '[ "$CLUSTER_STARTED" -eq 0 ] || hack/cluster.sh down' EXIT
  eval "$(hack/cluster.sh env)"
}

# machine_busy_seconds: CPU seconds this machine has been busy since boot, all cores (/proc/stat: user, nice,
#   system, irq, softirq, steal).
machine_busy_seconds() {
  awk -v tick="$(getconf CLK_TCK)" '$1 == "cpu" {printf "%d\n", ($2 + $3 + $4 + $7 + $8 + $9) / tick}' /proc/stat
}

# it_parallelism: how many IT classes run at a time: $IT_PARALLELISM, else the cores plus one, at most 4.
#   Classes mostly wait on pods, deadlines and gate intervals; the ones that time pods or disturb the cluster
#   run alone anyway (@Isolated). Four on two cores kept the load average at 10 (README "How the tests run").
it_parallelism() {
  local n=${IT_PARALLELISM:-$(( $(nproc) + 1 ))}
  echo $(( n < 1 ? 1 : n > 4 ? 4 : n ))
}
